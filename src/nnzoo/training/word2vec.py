"""Training word2vec in a run: one part that the run checkpoints with the vectors, so that a
resumed run does not train again, and the vectors kept in the run folder (VECTORS, in the
word2vec text format that gensim and the C tool read)."""

from __future__ import annotations

from collections.abc import Callable

import torch

from nnzoo.data.text import Corpus
from nnzoo.models.embeddings.vectors import WordVectors
from nnzoo.models.embeddings.word2vec import Word2Vec
from nnzoo.training.protocol import TrainingRun

VECTORS = "vectors.txt"  # the trained vectors, in the word2vec text format, in the run folder


def trained_vectors(model: Word2Vec, corpus: Callable[[], Corpus],
                    run: TrainingRun) -> tuple[WordVectors, float]:
    """`model` (a Word2Vec not yet trained) trained on corpus() (resumable: one part; a
    resumed run reads no corpus) and its vectors kept in the run folder (VECTORS); -> the
    WordVectors and the training's words per second."""
    training = run.parts(1, label="training")
    for _ in training:
        text = corpus()
        run.log(f"{text}")
        fitted = model.fit(text)
        training.done({"words": fitted.wv.words, "vectors": torch.from_numpy(fitted.wv.vectors),
                       "words_per_second": fitted.words_per_second_})
    trained = training.results[0]
    wv = WordVectors(trained["words"], trained["vectors"].numpy())
    if not (run.dir / VECTORS).exists():
        wv.save(run.dir / VECTORS)
    run.log(f"{len(wv):,} words of at least {model.min_count} occurrences; "
            f"{trained['words_per_second']:,.0f} words/s; vectors in {run.dir / VECTORS}")
    return wv, trained["words_per_second"]
