"""momentum's claim at its defaults, and its speed-up measurement on plain descent."""

from experiment_runs import execute


def test_momentum_claim(runs_dir):
    _, s = execute("momentum", runs_dir)
    m = s["metrics"]
    assert s["status"] == "PASS"
    assert 5 * m["steps_momentum"] <= m["steps_plain"]
    assert abs(m["speedup_momentum"] - 10) <= 1  # 1/(1 - 0.9), within 10%
    assert abs(m["speedup_plain"] - 1) < 1e-9  # plain descent is its own yardstick


def test_with_alpha_0_the_speedup_is_1(runs_dir):
    _, s = execute("momentum", runs_dir, alpha=0.0)
    m = s["metrics"]
    assert abs(m["speedup_momentum"] - 1) < 1e-9
    assert m["steps_momentum"] == m["steps_plain"]
    assert s["status"] == "FAIL"  # no speed-up, no claim
