import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture
def runs_dir(tmp_path, monkeypatch):
    """An empty folder for run folders, also the working directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path / "runs"
