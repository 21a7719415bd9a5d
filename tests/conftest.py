import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture
def runs_dir(tmp_path, monkeypatch):
    """An empty folder for run folders, also the working directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path / "runs"


@pytest.fixture
def served(tmp_path):
    """`nnzoo serve`'s application on an empty runs folder, through starlette's test client
    (which carries the server's token): (client, server). Its runs are stopped at the end."""
    pytest.importorskip("starlette")  # the serve extra (the dev extra has it)
    from starlette.testclient import TestClient

    from nnzoo.serve.app import TOKEN_HEADER, create_app

    runs = tmp_path / "runs"
    runs.mkdir()
    app = create_app(runs, jobs=1, hosts=["testserver"])
    with TestClient(app) as client:
        client.headers[TOKEN_HEADER] = app.state.server.token
        yield client, app.state.server
    app.state.server.jobs.shutdown(wait=20)
