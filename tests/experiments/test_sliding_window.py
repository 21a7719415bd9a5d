"""sliding-window's options and what its smoke run measures (the claim itself needs the CMU
dictionary and two minutes: it is checked by running the experiment at seeds 0, 1, 2)."""

import pytest
from experiment_runs import execute

from nnzoo import registry
from nnzoo.errors import UserError


@pytest.mark.parametrize("widths, width", [("1,4,7", 7), ("1,3,5", 7), ("one", 7), ("", 1)])
def test_widths_must_be_odd_and_hold_the_claimed_one(widths, width):
    exp = registry.get("sliding-window")
    with pytest.raises(UserError, match="expected --widths to be odd positive widths"):
        exp.make_config({"widths": widths, "width": width})


def test_asking_for_more_words_than_there_are(runs_dir):
    with pytest.raises(UserError, match=r"--train-words \+ --test-words at most 150"):
        execute("sliding-window", runs_dir, smoke=True, train_words=140)


def test_each_width_is_judged_on_its_own_net_and_on_held_out_words(runs_dir, monkeypatch):
    """The metrics of width w are score_words of the net of width w on the held-out words,
    which the nets never trained on."""
    from nnzoo.training import sequences

    trained, scored = [], {}
    real_train, real_score = sequences.train_window_net, sequences.score_words

    def train(net, train, held_out, *args, **kwargs):
        trained.append(set(train.words))
        return real_train(net, train, held_out, *args, **kwargs)

    def score(net, aligned, symbols, *args, **kwargs):
        scored[net.width] = (set(aligned.words), real_score(net, aligned, symbols, *args,
                                                             **kwargs))
        return scored[net.width][1]

    monkeypatch.setattr(sequences, "train_window_net", train)
    monkeypatch.setattr(sequences, "score_words", score)
    run, s = execute("sliding-window", runs_dir, smoke=True, widths="1,3,7")
    m = s["metrics"]
    assert sorted(scored) == [1, 3, 7] and len(trained) == 3
    for w, (words, measured) in scored.items():
        assert not words & trained[0] and words  # held out
        for k in ("phoneme", "word", "spoken"):
            assert m[f"{k}_w{w}"] == measured[k]
    assert m["gain_over_w1"] == m["phoneme_w7"] - m["phoneme_w1"]
    assert m["unaligned_train"] == 0 and m["symbols"] > 39
    assert {p.name for p in (run.dir / "figures").iterdir()} == {"accuracy_by_width.png",
                                                                  "examples.png"}
