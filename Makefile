# procedo developer commands. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ARGS   ?=

.PHONY: run test lint fix screenshots docs bench browser-test clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## Open the TUI on the bundled processes with the default database.
run: $(STAMP)
	$(BIN)/procedo --processes processes $(ARGS)

## Lint, the import contract, then the whole test suite.
test: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n auto $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/lint-imports

fix: $(STAMP)
	$(BIN)/ruff check --fix src tests bench scripts
	$(BIN)/ruff format src tests bench scripts

## SVG screenshots of the real app into screenshots/ (browser.png too when Chromium is present).
screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

## Handbook pages of the bundled processes into docs/processes/.
docs: $(STAMP)
	$(BIN)/procedo --processes processes docs --out docs/processes

## The browser test of `procedo serve` (installs Debian's chromium when it is missing).
browser-test: $(STAMP)
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	PROCEDO_BROWSER_TEST=required $(BIN)/python -m pytest tests/test_serve_browser.py $(ARGS)

bench: $(STAMP)
	@for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
