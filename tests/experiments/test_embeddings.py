"""The embeddings family: cooccurrence's claim, its table and its differences with the
course summary's damaged table."""

import json

import numpy as np
import pytest
from experiment_runs import execute, interrupted_then_resumed

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
    import nnzoo.models.embeddings.counts as co

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


# a small analogy set and vectors in which its analogies hold exactly (d = b - a + c), or not
ANALOGIES = {"gender": [("man", "woman", "king", "queen"), ("man", "woman", "boy", "girl"),
                        ("boy", "girl", "king", "queen"), ("king", "queen", "man", "woman"),
                        ("he", "she", "boy", "girl"), ("man", "woman", "he", "she")],
             "plural": [("cat", "cats", "dog", "dogs"), ("dog", "dogs", "house", "houses"),
                        ("house", "houses", "cat", "cats"), ("cat", "cats", "house", "houses")]}


@pytest.fixture
def word_tests(monkeypatch):
    """word-tests, loaded by the experiments, is ANALOGIES (and two similarity pairs)."""
    import nnzoo.data
    from nnzoo.data.wordtests import WordTests

    real = nnzoo.data.load
    tests = WordTests(ANALOGIES, [("man", "woman", 8.0), ("cat", "house", 2.0),
                                  ("dog", "cats", 5.0)], [])
    monkeypatch.setattr(nnzoo.data, "load",
                        lambda name, **kw: tests if name == "word-tests" else real(name, **kw))
    return tests


def _vectors(path, exact: bool, seed: int = 0):
    """Word vectors for ANALOGIES' words plus 40 others, saved in the word2vec format:
    exact: each word = its concept + its attribute (king = royal + male, cats = cat + many),
    so that b - a + c = d; else every word random."""
    from nnzoo.models.embeddings.vectors import WordVectors

    rng = np.random.default_rng(seed)
    concept = {c: rng.normal(size=50) for c in ("person", "royal", "child", "pronoun", "cat",
                                                  "dog", "house")}
    attribute = {a: 2 * rng.normal(size=50) for a in ("male", "female", "one", "many")}
    made = {"man": ("person", "male"), "woman": ("person", "female"), "king": ("royal", "male"),
            "queen": ("royal", "female"), "boy": ("child", "male"), "girl": ("child", "female"),
            "he": ("pronoun", "male"), "she": ("pronoun", "female"), "cat": ("cat", "one"),
            "cats": ("cat", "many"), "dog": ("dog", "one"), "dogs": ("dog", "many"),
            "house": ("house", "one"), "houses": ("house", "many")}
    words = list(made) + [f"other{i}" for i in range(40)]
    vectors = [concept[c] + attribute[a] for c, a in made.values()] + \
        list(rng.normal(size=(40, 50)) * 3)
    if not exact:
        vectors = rng.normal(size=(len(words), 50))
    WordVectors(words, np.array(vectors)).save(path)
    return str(path)


def test_word_arithmetic_judges_questions_drawn_before_the_answers(runs_dir, word_tests):
    good = _vectors(runs_dir.parent / "good.txt", exact=True)
    bad = _vectors(runs_dir.parent / "random.txt", exact=False)
    _, s = execute("word-arithmetic", runs_dir, vectors=good, questions=3)
    m = s["metrics"]
    assert s["status"] == "PASS" and m["rate"] == 1 and m["right"] == 6 and not m["misses"]
    assert all(r == 1 for r in m["ranks"].values())  # exact analogies: d comes first
    _, s = execute("word-arithmetic", runs_dir, vectors=bad, questions=3)
    assert s["status"] == "FAIL" and s["metrics"]["rate"] < 0.5
    assert len(s["metrics"]["misses"]) == 6 - s["metrics"]["right"]
    # the same questions for both: drawn from the seed and the vocabulary, not the answers
    assert list(s["metrics"]["ranks"]) == list(m["ranks"])
    assert set(m["ranks"]) < {f"{b} - {a} + {c} = {d}" for qs in ANALOGIES.values()
                              for a, b, c, d in qs}


def test_word_arithmetic_trains_as_word2vec_and_reads_its_vectors(runs_dir, word_tests):
    from nnzoo.errors import UserError
    from nnzoo.models.embeddings.vectors import WordVectors

    w2v, _ = execute("word2vec", runs_dir, smoke=True)
    arith, s = execute("word-arithmetic", runs_dir, smoke=True)
    ours = WordVectors.load(arith.dir / "vectors.txt")
    theirs = WordVectors.load(w2v.dir / "vectors.txt")  # the same options and seed
    assert ours.words == theirs.words and np.array_equal(ours.vectors, theirs.vectors)
    answers = s["metrics"]["answers"]
    assert len(answers) == 10 and not {"house", "man", "mouse"} & {w for w, _ in answers}
    # 3CosAdd by hand: cosines with house^ + mouse^ - man^, the three words left out
    unit = ours.vectors / np.linalg.norm(ours.vectors, axis=1, keepdims=True)
    i = {w: k for k, w in enumerate(ours.words)}
    query = unit[i["house"]] + unit[i["mouse"]] - unit[i["man"]]
    cos = unit @ query / np.linalg.norm(query)
    cos[[i["house"], i["mouse"], i["man"]]] = -np.inf
    best = np.argsort(-cos, kind="stable")[:10]
    assert [w for w, _ in answers] == [ours.words[k] for k in best]
    assert np.allclose([c for _, c in answers], cos[best], atol=1e-5)

    run, s = execute("word-arithmetic", runs_dir, vectors=str(w2v.dir / "vectors.txt"),
                     expr="crooked + man - cat")
    assert s["status"] == "FAIL"  # the rhyme has none of the analogies' words
    assert "nothing to judge" in s["headline"] and "ranks" not in s["metrics"]
    assert not (run.dir / "vectors.txt").exists()  # nothing trained
    with pytest.raises(UserError, match="'paris' not in the vocabulary of 25 words"):
        execute("word-arithmetic", runs_dir, vectors=str(w2v.dir / "vectors.txt"),
                expr="paris - man")


def test_word2vec_compares_the_four_variants_and_judges_what_held(runs_dir, word_tests,
                                                                  monkeypatch):
    rng = np.random.default_rng(0)
    words = [w for q in ANALOGIES["gender"] + ANALOGIES["plural"] for w in q]
    text = runs_dir.parent / "text.txt"
    text.write_text("\n".join(" ".join(rng.choice(words, 8)) for _ in range(300)))
    run, s = execute("word2vec", runs_dir, text=str(text), min_count=1, vector_size=8,
                     epochs=5, sample=0.0)
    m = s["metrics"]
    rows = {(r["arch"], r["output"]): r for r in m["variants"]}
    assert list(rows) == [("skipgram", "ns"), ("skipgram", "hs"), ("cbow", "ns"), ("cbow", "hs")]
    asked = rows["skipgram", "ns"]  # the default variant is the run's own training
    assert asked["accuracy"] == m["analogy_accuracy"] and asked["rho"] == m["wordsim353_rho"]
    assert len({r["words_per_second"] for r in rows.values()}) == 4  # four trainings timed
    assert rows["cbow", "ns"]["words_per_second"] > rows["skipgram", "ns"]["words_per_second"]
    # the verdict is the claim's: both thresholds, and for each output layer skip-gram ahead
    # of CBOW on analogies and CBOW at least 1.5 times as fast
    ahead = all(rows["skipgram", o]["accuracy"] > rows["cbow", o]["accuracy"]
                for o in ("ns", "hs"))
    speedup = min(rows["cbow", o]["words_per_second"] / rows["skipgram", o]["words_per_second"]
                  for o in ("ns", "hs"))
    # (here skip-gram is ahead, 20% and 10% of the questions against 10% and 0%, so a
    # comparison turned round fails; not asserted: numba's fastmath may round otherwise
    # on another processor)
    assert m["compared"] == {"skipgram_ahead": ahead, "cbow_speedup": pytest.approx(speedup)}
    held = m["analogy_accuracy"] >= 0.07 and m["wordsim353_rho"] >= 0.3 and ahead and \
        speedup >= 1.5
    assert s["status"] == ("PASS" if held else "FAIL")
    assert (run.dir / "figures" / "variants.png").exists()

    # killed after the first other variant, resumed: the same scores (timings aside)
    _, resumed = interrupted_then_resumed("word2vec", runs_dir / "b", monkeypatch, 2,
                                          text=str(text), min_count=1, vector_size=8, epochs=5,
                                          sample=0.0)
    assert resumed["resumed"]
    def untimed(rows):  # as text: nan (SimLex, no pairs here) equals nan
        return json.dumps([{k: v for k, v in r.items() if k != "words_per_second"}
                           for r in rows])

    assert untimed(resumed["metrics"]["variants"]) == untimed(m["variants"])


def test_word2vec_on_a_text_without_test_words_says_there_is_nothing_to_judge(runs_dir,
                                                                             word_tests):
    text = runs_dir.parent / "text.txt"
    text.write_text("zork blab quux frob\n" * 50)
    _, s = execute("word2vec", runs_dir, text=str(text), min_count=1, vector_size=8, epochs=1)
    assert s["status"] == "FAIL" and "nan" not in s["headline"]
    assert s["headline"].startswith("nothing to judge: none of the 10 analogy questions")
    assert "4 vectors at" in s["headline"] and "variants" not in s["metrics"]
    # similarity pairs but no whole analogy: what was judged, and no nan
    text.write_text("man woman cat house dog cats\n" * 50)
    _, s = execute("word2vec", runs_dir, text=str(text), min_count=1, vector_size=8, epochs=1,
                   compare=False)
    assert s["status"] == "FAIL" and "nan" not in s["headline"]
    assert s["headline"].startswith("no analogy question covered; WordSim-353 rho ")
    assert "over 3 pairs; the four variants not compared (--no-compare)" in s["headline"]
