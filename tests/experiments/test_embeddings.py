"""The embeddings family: cooccurrence's claim, its table and its differences with the
course summary's damaged table."""

import numpy as np
from experiment_runs import execute

from nnzoo.data.rhymes import CROOKED_MAN, SUMMARY_TABLE, summary_counts, words

ISSUE_WORDS = ("a all and bought cat caught crooked found he house in little lived man mile "
               "mouse sixpence stile there they together upon walked was who").split()


def test_the_rhyme_has_the_courses_25_words():
    tokens = words(CROOKED_MAN)
    assert sorted(set(tokens)) == ISSUE_WORDS == list(SUMMARY_TABLE)
    assert len(tokens) == 39 and tokens.count("crooked") == 7 and tokens.count("a") == 7


def test_summary_table_is_read_as_its_cells():
    cells = summary_counts()
    assert cells["a", "crooked"] == 6 and cells["crooked", "a"] == 6
    assert cells["cat", "was"] == 1 and ("cat", "who") not in cells  # the damage


def test_cooccurrence_claim_table_and_differences(runs_dir):
    run, s = execute("cooccurrence", runs_dir)
    m = s["metrics"]
    assert s["status"] == "PASS" and m["counts_wrong"] == 0
    assert m["context_agreement"] >= 0.4 > m["shuffled_p99"]
    assert m["words"] == 25 and m["tokens"] == 39
    assert m["total_count"] == 2 * 38  # 38 pairs side by side, each counted both ways
    log = (run.dir / "log.txt").read_text()
    assert "cat       summary only: was" in log and "rhyme only: who" in log
    assert m["rows_differing_from_summary"] == 14
    table = (run.dir / "cooccurrence.tsv").read_text().splitlines()
    assert table[0].split("\t") == ["word", *ISSUE_WORDS]
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in table[1:]}
    assert rows["a"][ISSUE_WORDS.index("crooked")] == "6"
    assert rows["stile"][ISSUE_WORDS.index("he")] == "1"  # across the line end
    X = np.array([[int(c or 0) for c in rows[w]] for w in ISSUE_WORDS])
    assert np.array_equal(X, X.T)
    s_vals = np.linalg.svd(X, compute_uv=False)
    assert np.allclose(m["singular_values"], s_vals)
    # the rows the summary prints right are the same here
    cells = summary_counts()
    for w in ("a", "all", "bought", "house", "in", "lived", "sixpence", "stile", "there"):
        theirs = [str(cells[w, b]) if (w, b) in cells else "" for b in ISSUE_WORDS]
        assert rows[w] == theirs, w


def test_a_placement_that_ignores_the_counts_fails(runs_dir, monkeypatch):
    # the words placed by columns 3 and 4 of U (the first two dropped): counts still exact
    import nnzoo.models.embeddings.cooccurrence as co

    def wrong_columns(X, dim, power=0.0):
        return np.linalg.svd(np.asarray(X, float))[0][:, 2:2 + dim]

    monkeypatch.setattr(co, "svd_embeddings", wrong_columns)
    _, s = execute("cooccurrence", runs_dir)
    assert s["status"] == "FAIL" and s["metrics"]["counts_wrong"] == 0
    assert s["metrics"]["context_agreement"] < 0.4


def test_a_wider_window_is_still_exact_and_skips_the_comparison(runs_dir):
    run, s = execute("cooccurrence", runs_dir, window=3)
    m = s["metrics"]
    assert m["counts_wrong"] == 0 and m["total_count"] == 2 * (38 + 37 + 36)
    # three words each side: nearly every two words share a neighbour, and the plane keeps
    # less of the contexts' order (rho about 0.40, near the claim's edge; the claim is at 1)
    assert m["shuffled_p99"] < m["context_agreement"] < 0.45
    assert "summary only" not in (run.dir / "log.txt").read_text()


def test_word_arithmetic_trains_as_word2vec_and_reads_its_vectors(runs_dir):
    import pytest

    from nnzoo.errors import UserError
    from nnzoo.models.embeddings.vectors import WordVectors

    w2v, _ = execute("word2vec", runs_dir, smoke=True)
    arith, s = execute("word-arithmetic", runs_dir, smoke=True)
    ours = WordVectors.load(arith.dir / "vectors.txt")
    theirs = WordVectors.load(w2v.dir / "vectors.txt")  # the same options and seed
    assert ours.words == theirs.words and np.array_equal(ours.vectors, theirs.vectors)
    answers = [w for w, _ in s["metrics"]["answers"]]
    assert len(answers) == 10 and not {"house", "man", "mouse"} & set(answers)
    assert answers[0] == ours.most_similar(["house", "mouse"], ["man"], topn=1)[0][0]

    run, s = execute("word-arithmetic", runs_dir, vectors=str(w2v.dir / "vectors.txt"),
                     expr="crooked + man - cat")
    assert s["status"] == "FAIL"  # the rhyme has none of the analogies' words
    assert set(s["metrics"]["ranks"].values()) == {None}
    assert not (run.dir / "vectors.txt").exists()  # nothing trained
    with pytest.raises(UserError, match="'paris' not in the vocabulary of 25 words"):
        execute("word-arithmetic", runs_dir, vectors=str(w2v.dir / "vectors.txt"),
                expr="paris - man")
