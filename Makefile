# make demo: set up .venv (once) and run the tour; make test: set up and run the tests;
# make check: the tests, then every toured experiment's claim at its defaults (what CI runs).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test check lint clean browser browser-deps

setup: $(STAMP)

# torch first and alone, pinned, so that pip takes the CPU build and never a CUDA one.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check torch==2.13.0
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# The style experiments stop (by design) when VGG-19's weights are missing: fetch them first.
demo: setup
	$(BIN)/nnzoo data fetch vgg19
	$(BIN)/nnzoo tour

# The tests on every core (pytest-xdist), but the long ones marked `check` (the tour at smoke
# settings, the notebooks, a claim or two reproduced): `make check` runs those too.
test: setup
	$(BIN)/python -m pytest -n auto -m "not slow and not check"

# Every claim, as CI runs it: the tests (with the property-based tests' longer profile), then
# the tour at its defaults at seed 0 into runs/check/; the tour exits 1 when any claim FAILs.
check: setup
	HYPOTHESIS_PROFILE=check $(BIN)/python -m pytest -n auto
	$(BIN)/nnzoo data fetch vgg19
	$(BIN)/nnzoo tour --seed 0 --out runs/check

lint: setup
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) runs

# The browser test (tests/test_serve_browser.py, marked `browser`) drives Debian's chromium
# through playwright (installed by the dev extra); playwright's own browser download is not
# used. `make test` skips that test where chromium is absent; `make browser` installs
# chromium with apt-get (as root) when it is missing and runs the test.
browser-deps:
	command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium)

browser: setup browser-deps
	$(BIN)/python -m pytest -m browser tests/test_serve_browser.py
