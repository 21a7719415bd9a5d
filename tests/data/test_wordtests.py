"""The word-tests data set, on small files the tests write (no network)."""

import hashlib
import zipfile

import pytest

from nnzoo.data import DATASETS, load
from nnzoo.data import wordtests as wt
from nnzoo.errors import DataError

QUESTIONS = (b": capital-common-countries\nAthens Greece Baghdad Iraq\n"
             b"Athens Greece Bangkok Thailand\n\n: family\nboy girl brother sister\n")
WORDSIM = (b"# The WordSimilarity-353 Test Collection\n# Word 1\tWord 2\tHuman (mean)\n"
           b"love\tsex\t6.77\nstock\tCD\t1.31\n")
SIMLEX = b"# The SimLex-999 Test data\nold\tnew\t1.58\nsmart\tintelligent\t9.2\n"


def test_parsers_lowercase_and_keep_sections_in_order():
    sections = wt.parse_analogies(QUESTIONS)
    assert list(sections) == ["capital-common-countries", "family"]
    assert sections["capital-common-countries"] == [("athens", "greece", "baghdad", "iraq"),
                                                    ("athens", "greece", "bangkok", "thailand")]
    assert sections["family"] == [("boy", "girl", "brother", "sister")]
    assert wt.parse_pairs(WORDSIM, "w") == [("love", "sex", 6.77), ("stock", "cd", 1.31)]


@pytest.mark.parametrize("raw, match", [
    (b"athens greece baghdad iraq\n", r"line 1: expected four words after a ': section'"),
    (b": s\nathens greece baghdad\n", r"line 2: expected four words"),
])
def test_damaged_questions_are_one_clear_error(raw, match):
    with pytest.raises(DataError, match=match):
        wt.parse_analogies(raw, "q.txt")


def test_damaged_pairs_are_one_clear_error():
    with pytest.raises(DataError, match=r"s.txt line 2: expected 'word<TAB>word<TAB>score'"):
        wt.parse_pairs(b"a\tb\t1\na\tb\tmuch\n", "s.txt")
    with pytest.raises(DataError, match="not UTF-8"):
        wt.parse_pairs(b"\xff\tb\t1\n", "s.txt")


def test_download_reads_the_wheel_and_gives_unix_line_ends(tmp_path, monkeypatch):
    def fake_pip_download(requirement, dest):
        assert requirement == "gensim==4.4.0"
        wheel = dest / "gensim-4.4.0-cp311-cp311-win_amd64.whl"
        with zipfile.ZipFile(wheel, "w") as z:  # as the Windows wheel stores them
            for name, raw in zip(wt.FILES, (QUESTIONS, WORDSIM, SIMLEX)):
                z.writestr(wt.FOLDER + name, raw.replace(b"\n", b"\r\n"))
        return wheel

    monkeypatch.setattr(wt, "pip_download", fake_pip_download)
    assert wt.download(tmp_path) == (QUESTIONS, WORDSIM, SIMLEX)


def test_fetch_convert_and_read_back_through_the_cache(tmp_path, monkeypatch):
    from nnzoo.data.datasets import Dataset

    monkeypatch.setenv("NNZOO_DATA", str(tmp_path / "cache"))
    files = (QUESTIONS, WORDSIM, SIMLEX)
    tiny = Dataset(**{**vars(DATASETS["word-tests"]), "name": "tiny-word-tests",
                      "download": lambda dest: files,
                      "sha256": tuple(hashlib.sha256(f).hexdigest() for f in files)})
    monkeypatch.setitem(DATASETS, "tiny-word-tests", tiny)
    tests = load("tiny-word-tests")
    assert tests.analogies == wt.parse_analogies(QUESTIONS)
    assert tests.wordsim353 == [("love", "sex", 6.77), ("stock", "cd", 1.31)]
    assert tests.simlex999 == [("old", "new", 1.58), ("smart", "intelligent", 9.2)]
    assert repr(tests) == ("WordTests(3 analogy questions in 2 sections, WordSim-353: 2 pairs, "
                           "SimLex-999: 2 pairs)")


def test_the_registry_entry_names_the_wheel_files_and_their_digests():
    ds = DATASETS["word-tests"]
    assert ds.digests == wt.SHA256 and len(ds.digests) == 3
    assert all(len(d) == 64 for d in ds.digests)
    assert "gensim==4.4.0" in ds.origin and all(f in ds.origin for f in wt.FILES)
    assert "Apache 2.0" in ds.licence and "LGPL" in ds.licence
