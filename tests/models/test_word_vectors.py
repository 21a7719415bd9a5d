import numpy as np
import pytest

from nnzoo.errors import DataError, UserError
from nnzoo.models.embeddings.vectors import WordVectors, parse_expression


def small():
    # king - man + woman = queen exactly, in unit vectors
    words = ["man", "woman", "king", "queen", "apple"]
    v = np.array([[1, 0, 0], [0, 1, 0], [1, 0, 1], [0, 1, 1], [-1, -1, 0.2]], np.float32)
    return WordVectors(words, v * np.array([[1], [2], [3], [4], [5]], np.float32))


def test_cosine_and_3cosadd_by_hand():
    wv = small()
    assert wv.similarity("man", "king") == pytest.approx(1 / np.sqrt(2))
    # b̂ - â + ĉ with a=man, b=king, c=woman: (1/√2)(1,0,1) - (1,0,0) + (0,1,0)
    q = np.array([1 / np.sqrt(2) - 1, 1, 1 / np.sqrt(2)])
    q /= np.linalg.norm(q)
    expected = float(q @ (np.array([0, 1, 1]) / np.sqrt(2)))
    (word, cos), = wv.analogy("man", "king", "woman")
    assert word == "queen" and cos == pytest.approx(expected, rel=1e-6)
    ranked = [w for w, _ in wv.most_similar(["king"], topn=10)]
    assert "king" not in ranked and ranked == ["man", "queen", "woman", "apple"]
    assert [w for w, _ in wv.most_similar(["king"], topn=10, restrict=2)] == ["man", "woman"]


def test_unknown_word_is_a_user_error():
    with pytest.raises(UserError, match="'paris' is not in the vocabulary of 5 words"):
        small().similarity("paris", "man")


def test_word2vec_text_format_round_trip_and_gensim_reads_it(tmp_path):
    wv = small()
    wv.save(tmp_path / "v.txt")
    back = WordVectors.load(tmp_path / "v.txt")
    assert back.words == wv.words and np.array_equal(back.vectors, wv.vectors)
    gensim = pytest.importorskip("gensim")
    kv = gensim.models.KeyedVectors.load_word2vec_format(str(tmp_path / "v.txt"))
    assert list(kv.index_to_key) == wv.words and np.array_equal(kv.vectors, wv.vectors)
    kv.save_word2vec_format(str(tmp_path / "g.txt"))  # and we read gensim's
    assert np.array_equal(WordVectors.load(tmp_path / "g.txt").vectors, wv.vectors)


def test_a_damaged_file_is_one_clear_error(tmp_path):
    (tmp_path / "bad.txt").write_text("2 3\nman 1 2 3\nwoman 1 2\n")
    with pytest.raises(DataError, match="line 3 has 2 numbers, not 3"):
        WordVectors.load(tmp_path / "bad.txt")


def test_an_expression_is_words_joined_by_plus_and_minus():
    assert parse_expression("paris - france + italy") == (["paris", "italy"], ["france"])
    assert parse_expression("King-man+Woman") == (["king", "woman"], ["man"])
    assert parse_expression("- a + don't + 1790") == (["don't", "1790"], ["a"])
    for bad, why in [("a b", "no \\+ or - before 'b'"), ("a + - b", "two signs in a row"),
                     ("a +", "ends with a sign"), ("  ", "has no words"),
                     ("a! + b", "'a!' is not a word")]:
        with pytest.raises(UserError, match=why):
            parse_expression(bad)
