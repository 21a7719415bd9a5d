import json

import pytest

from nnzoo import registry
from nnzoo.cli import main


@pytest.mark.check  # the whole tour at smoke settings: every smoke test again, 141 s
def test_tour_smoke_writes_a_report_with_every_run(runs_dir, capsys):
    # a smoke tour succeeds when every run completes (as `run --smoke`), whatever the claims
    assert main(["tour", "--smoke", "--quiet", "--out", str(runs_dir)]) == 0
    out = capsys.readouterr().out
    names = list(registry.load_all())
    for name in names:
        assert name in out
    assert f"{len(names)}/{len(names)} smoke runs SMOKE OK" in out and "report:" in out
    assert " FAIL " not in out and " PASS " not in out  # a smoke run is not judged
    page = (runs_dir / "index.html").read_text()
    for name in names:
        (run_dir,) = (runs_dir / name).iterdir()
        summary = json.loads((run_dir / "summary.json").read_text())
        assert f'id="{name}"' in page and summary["status"] == "SMOKE OK"
        for fig in summary["figures"]:
            assert f"{name}/{run_dir.name}/figures/{fig}" in page
    assert "http" not in page  # offline: no CDN, no remote resource
    assert page.count('class="badge SMOKE-OK"') == len(names) and 'class="badge PASS"' not in page


def test_report_shows_the_latest_run_of_each_experiment(runs_dir, capsys):
    main(["run", "perceptron", "--task", "and", "--quiet"])
    main(["run", "perceptron", "--task", "xor", "--quiet", "--seed", "1"])
    assert main(["report", str(runs_dir)]) == 0
    page = (runs_dir / "index.html").read_text()
    assert page.count('id="perceptron"') == 1 and "not linearly separable" in page


def test_report_of_a_missing_folder_is_a_user_error(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nothing")]) == 2
    assert "no runs folder" in capsys.readouterr().err
