"""The RL family's experiments: the quick claims, DQN's kept weights and their judgement,
resuming in the middle of a DQN comparison and after Pong's last batch, exit status 3 at
any non-finite loss, and the slow reproductions."""

import json
import math

import numpy as np
import pytest
import torch
from experiment_runs import execute, interrupted_then_resumed

from nnzoo import registry
from nnzoo.cli import main


@pytest.mark.check  # a claim reproduced at its defaults (50 s)
def test_td_gridworld_claim(runs_dir):
    _, s = execute("td-gridworld", runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["max_error"] < 0.01


@pytest.mark.parametrize("env", ["cliffwalking", "frozenlake", "taxi"])
def test_q_learning_claim(env, runs_dir):
    run, s = execute("q-learning", runs_dir, env=env)
    assert s["status"] == "PASS" and s["metrics"]["optimal"]
    assert (run.dir / "figures" / "policy.png").stat().st_size > 1000


def test_dqn_resumes_mid_training_to_the_same_numbers(runs_dir, monkeypatch):
    _, whole = execute("dqn", runs_dir / "a", smoke=True)
    # killed after the third checkpoint: during the second agent (smoke compares both)
    _, resumed = interrupted_then_resumed("dqn", runs_dir / "b", monkeypatch, 3, smoke=True)
    assert resumed["resumed"] and resumed["metrics"] == whole["metrics"]
    assert {"dqn_final_q_start", "double_final_q_start"} <= set(whole["metrics"])


def test_dqn_keeps_the_weights_of_its_best_evaluation_and_judges_them_on_new_episodes(
        runs_dir):
    from nnzoo.rl.dqn import QNetwork
    from nnzoo.rl.envs import evaluate

    run, s = execute("dqn", runs_dir, smoke=True, compare=False)
    evals = [json.loads(line) for line in (run.dir / "metrics.jsonl").read_text().splitlines()]
    returns = [e["return"] for e in evals]
    best = torch.load(run.dir / "checkpoints" / "best-dqn.pt", weights_only=True)
    first_best = evals[int(np.argmax(returns))]  # the first of the highest evaluations
    assert best["step"] == first_best["step"] == s["metrics"]["best_step"]
    assert best["return"] == max(returns) == s["metrics"]["best_eval_return"]
    # the verdict is those weights' mean return on 100 episodes of the stream "judge"
    q = QNetwork(4, 2, hidden=(32, 32))
    q.load_state_dict(best["q"])
    with torch.no_grad():
        judged, _, first = evaluate(lambda obs: q(torch.as_tensor(obs)).argmax(1).numpy(),
                                    "CartPole-v1", 100, rng=run.rng("judge", "dqn"))
    assert len(judged) == 100 and judged.mean() == s["metrics"]["judged_mean"]
    assert s["passed"] == (judged.mean() >= 475)  # gymnasium's CartPole-v1 threshold
    # none of their first states is one of the evaluations' during training
    _, _, seen = evaluate(lambda obs: np.zeros(len(obs), dtype=np.int64), "CartPole-v1", 10,
                          rng=run.rng("eval"))
    assert not (first[:, None, :] == seen[None, :, :]).all(-1).any()


def test_dqn_ends_with_status_3_at_a_non_finite_loss_that_is_not_the_last(runs_dir,
                                                                          monkeypatch, capsys):
    # the first training phase's loss (step 100 in --smoke) is NaN, every later one finite:
    # the run ends there, before the first evaluation is checkpointed
    from nnzoo.rl.dqn import DQN

    real, calls = DQN.train_phase, {"n": 0}

    def nan_first(self):
        calls["n"] += 1
        stats = real(self)
        return {**stats, "loss": float("nan")} if calls["n"] == 1 else stats

    monkeypatch.setattr(DQN, "train_phase", nan_first)
    assert main(["run", "dqn", "--smoke", "--quiet", "--device", "cpu"]) == 3
    assert "the loss became non-finite at step 100" in capsys.readouterr().err
    run_dir = next(runs_dir.glob("dqn/*"))
    assert json.loads((run_dir / "summary.json").read_text())["status"] == "DIVERGED"
    assert not (run_dir / "checkpoints" / "last.pt").exists()


@pytest.mark.parametrize("name", ["reinforce", "a2c"])
def test_policy_gradients_end_with_status_3_at_a_non_finite_loss(name, runs_dir, monkeypatch,
                                                                 capsys):
    from nnzoo.rl.a2c import A2C
    from nnzoo.rl.policy_gradient import REINFORCE

    agent = {"reinforce": REINFORCE, "a2c": A2C}[name]
    real, calls = agent.update, {"n": 0}

    def inf_second(self, batch):  # the second update's loss is infinite, the others finite
        calls["n"] += 1
        stats = real(self, batch)
        return {**stats, "loss": math.inf} if calls["n"] == 2 else stats

    monkeypatch.setattr(agent, "update", inf_second)
    assert main(["run", name, "--smoke", "--quiet", "--device", "cpu"]) == 3
    assert "the loss became non-finite at step" in capsys.readouterr().err
    assert calls["n"] == 2  # it stopped learning at once


def test_a3c_ends_with_status_3_when_a_workers_loss_is_not_finite(runs_dir, monkeypatch,
                                                                  capsys):
    # forked workers inherit the patched loss: NaN from the first rollout on
    from nnzoo.rl.a2c import A2C

    real = A2C.loss
    monkeypatch.setattr(A2C, "loss", lambda self, batch: (
        real(self, batch)[0] * float("nan"), {}))
    assert main(["run", "a3c", "--smoke", "--quiet", "--device", "cpu",
                 "--start-method", "fork"]) == 3
    assert "the loss became non-finite at step" in capsys.readouterr().err
    run_dir = next(runs_dir.glob("a3c/*"))
    assert json.loads((run_dir / "summary.json").read_text())["status"] == "DIVERGED"


def test_pong_reinforce_resumed_after_its_last_batch_ends_with_the_same_numbers(runs_dir,
                                                                               monkeypatch):
    # the games are re-seeded at every batch: a resumed run is number-for-number; killed
    # after the last batch, the resumed run only draws (the first batch's frame restored)
    _, whole = execute("pong-reinforce", runs_dir / "a", smoke=True)
    _, resumed = interrupted_then_resumed("pong-reinforce", runs_dir / "b", monkeypatch, 2,
                                          smoke=True)
    assert resumed["resumed"] and resumed["metrics"] == whole["metrics"]
    assert whole["metrics"]["episodes"] == 4 and not registry.get("pong-reinforce").tour
    assert resumed["figures"] == whole["figures"] == ["pixels_and_weights.png", "returns.png"]


@pytest.mark.parametrize("name, judged, passed", [("a2c", 500.0, True), ("a2c", 474.0, False),
                                                  ("reinforce", 500.0, True)])
def test_policy_gradients_are_judged_on_their_final_policy_on_new_episodes(
        name, judged, passed, runs_dir, monkeypatch):
    # the verdict follows the final policy's return on new episodes, whatever training's
    # running mean did (a smoke run never reaches 475 in training)
    import nnzoo.training.agents as agents

    asked = []

    def judge_policy(policy, env_id, rng, episodes=100):
        asked.append(policy(np.zeros((3, 4), dtype=np.float32)))  # the agent's greedy
        return np.full(episodes, judged)

    monkeypatch.setattr(agents, "judge_policy", judge_policy)
    _, s = execute(name, runs_dir, smoke=True)
    assert s["passed"] == passed and len(asked) == {"a2c": 1, "reinforce": 2}[name]
    assert "solved_at" in s["metrics"] and all(a.shape == (3,) for a in asked)


@pytest.mark.slow
def test_reinforce_claim(runs_dir):
    _, s = execute("reinforce", runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["solved"] >= 4
    assert sum(j >= 475 for j in s["metrics"]["judged"]) >= 4


@pytest.mark.slow
@pytest.mark.parametrize("name", ["a2c", "a3c"])
def test_control_claims(name, runs_dir):
    _, s = execute(name, runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["judged_mean"] >= 475


def test_double_q_claim(runs_dir):
    run, s = execute("double-q", runs_dir, runs=2000)
    m = s["metrics"]
    assert s["status"] == "PASS" and m["q_left_early"] > 3 * m["double_left_early"]
    assert (run.dir / "figures" / "left.png").stat().st_size > 1000


@pytest.mark.slow
def test_policy_search_claim(runs_dir):
    _, s = execute("policy-search", runs_dir)
    m = s["metrics"]
    assert s["status"] == "PASS" and m["solved_at_reinforce"] is not None
    assert m["judged_reinforce"] >= 300 and m["reinforce_first"]
    assert min(m["judged_hill"], m["judged_evolutionary"]) >= 1.5 * m["random_policy"]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["dqn", "dqn-acrobot", "dqn-mountaincar"])
def test_dqn_claims(name, runs_dir):
    from nnzoo.rl.tasks import DQN_TASKS

    _, s = execute(name, runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["judged_mean"] >= DQN_TASKS[name].solved
