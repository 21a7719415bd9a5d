"""Declarations shared by word2vec and word-arithmetic: the options of training word2vec on a
corpus (their defaults are Word2Vec's, the C tool's and gensim's), the corpus and the model
they name (no algorithms here: those are nnzoo.models.embeddings.word2vec, and the training
in a run nnzoo.training.word2vec.trained_vectors)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nnzoo.errors import check_file
from nnzoo.paths import FilePath
from nnzoo.registry import NonNegativeFloat, NonNegativeInt, PositiveFloat, PositiveInt
from nnzoo.runs import Run


@dataclass
class TrainingConfig:
    arch: Literal["skipgram", "cbow"] = "skipgram"
    """skipgram: each context word predicts the centre word; cbow: their mean predicts it."""
    output: Literal["ns", "hs"] = "ns"
    """Output layer: ns = negative sampling, hs = hierarchical softmax (Huffman tree)."""
    vector_size: PositiveInt = 100
    """Dimensions of the word vectors (the hidden layer)."""
    window: PositiveInt = 5
    """Most words on each side that count as context (shrunk at random for each word)."""
    negative: PositiveInt = 5
    """Noise words drawn per prediction (negative sampling only)."""
    sample: NonNegativeFloat = 1e-3
    """Subsampling of frequent words (0: keep every word)."""
    min_count: PositiveInt = 5
    """Words seen fewer times are dropped."""
    alpha: PositiveFloat = 0.025
    """Learning rate at the start; it falls linearly to min_alpha."""
    min_alpha: NonNegativeFloat = 0.0001
    """Learning rate at the end."""
    epochs: PositiveInt = 5
    """Passes over the corpus."""
    workers: PositiveInt = 1
    """Threads training at once (1: exactly reproducible for a seed)."""
    corpus: Literal["english", "rhyme"] = "english"
    """english: the 3-million-word corpus (`nnzoo data fetch english`); rhyme: the crooked
    man rhyme, a tiny embedded text for a quick look (its vectors mean little)."""
    text: FilePath = ""
    """Your own UTF-8 text file to train on instead (tokenised as nnzoo.data.text says)."""
    restrict: NonNegativeInt = 30000
    """Analogies are answered among this many most frequent words (0: all)."""

    def __post_init__(self):
        check_file(self.text, "--text", "a UTF-8 text file to train on")
        if self.text:  # its content too, before any run folder exists
            from nnzoo.data.text import read_text_file

            read_text_file(self.text)


def corpus_of(cfg: TrainingConfig, run: Run):
    """The Corpus cfg names: --text, the rhyme, or the english corpus."""
    from nnzoo.data import load
    from nnzoo.data.text import Corpus

    if cfg.text:
        return Corpus.from_file(cfg.text)
    if cfg.corpus == "rhyme":
        from nnzoo.data.rhymes import CROOKED_MAN

        return Corpus.from_text(CROOKED_MAN, "rhyme")
    return load("english", log=run.log)


def word2vec(cfg: TrainingConfig, run: Run):
    """Word2Vec as cfg says, drawing from the run's "init" stream (so every variant of one run
    starts from the same weights and draws the same numbers), not yet trained."""
    from nnzoo.models.embeddings.word2vec import Word2Vec
    from nnzoo.registry import build

    return build(Word2Vec, cfg, rng=run.rng("init"), log=run.log)


def train(cfg: TrainingConfig, corpus, run: Run):
    """word2vec(cfg, run) trained on corpus: (WordVectors, the training's words per
    second)."""
    model = word2vec(cfg, run).fit(corpus)
    return model.wv, model.words_per_second_
