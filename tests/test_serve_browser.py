"""`nnzoo serve` in a real browser: the system's chromium driven by playwright opens the
catalogue, submits a bad value and sees the error beside its field, starts a smoke run and
waits for its verdict and its figure. Screenshots go to $NNZOO_SCREENSHOTS (default: the
test's temporary folder). `make browser` installs chromium and playwright."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("NNZOO_CHROMIUM") or shutil.which("chromium") \
    or shutil.which("chromium-browser")


@pytest.fixture
def address(tmp_path):
    """A real `nnzoo serve` on a free port; its address."""
    proc = subprocess.Popen([sys.executable, "-m", "nnzoo", "serve", "--port", "0", "--runs",
                             str(tmp_path / "runs")], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.startswith("nnzoo serve: open http://127.0.0.1:"), line
    yield line.split()[3]
    proc.terminate()
    proc.wait(30)


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine (`make browser` "
                    "installs it with apt-get, or set NNZOO_CHROMIUM to its path)")
def test_a_run_from_the_browser_shows_errors_beside_fields_then_its_verdict(address, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    shots = Path(os.environ.get("NNZOO_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(address)
        page.click('a[href="/e/perceptron"]')
        page.wait_for_selector("#run-form")
        page.fill("#f-lr", "-1")
        page.click("#run-button")
        error = page.locator('[data-error-for="lr"]')
        sync_api.expect(error).to_contain_text("expected --lr to be a number > 0, got -1")
        sync_api.expect(page.locator('.field[data-key="lr"]')).to_have_class("field bad")
        page.screenshot(path=str(shots / "serve-form-error.png"), full_page=True)
        page.fill("#f-lr", page.get_attribute("#f-lr", "data-default"))
        page.check("#f-common-smoke")
        page.click("#run-button")
        page.wait_for_url("**/r/perceptron/**", timeout=120_000)
        sync_api.expect(page.locator("#status")).to_have_text("SMOKE OK", timeout=180_000)
        sync_api.expect(page.locator("#verdict")).to_contain_text("converged")
        figure = page.locator("#figures img").first
        sync_api.expect(figure).to_be_visible()
        page.wait_for_function("document.querySelector('#figures img').naturalWidth > 0")
        assert page.locator("#charts canvas").count() >= 1  # the metrics were drawn
        page.screenshot(path=str(shots / "serve-run.png"), full_page=True)
        page.goto(address + "code/perceptron")
        sync_api.expect(page.locator("a.lib").first).to_be_visible()
        browser.close()
    assert (shots / "serve-run.png").stat().st_size > 10_000
