"""Fixtures for running registered experiments (see experiment_runs.py)."""

import pytest
from experiment_runs import execute, interrupted_then_resumed


@pytest.fixture
def run_experiment():
    """execute(name, runs_dir, smoke=False, **values) -> (run, summary)."""
    return execute


@pytest.fixture
def killed_and_resumed():
    """interrupted_then_resumed(name, runs_dir, monkeypatch, kill_at, smoke=False, **values)
    -> (the resumed Run, its summary), None if it ended before checkpoint kill_at."""
    return interrupted_then_resumed
