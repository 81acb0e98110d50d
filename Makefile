# procedo developer commands. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ARGS   ?=
# The tests' journals in memory where the machine has /dev/shm: every write still syncs as it
# does on disk, but a sync costs nothing there (a busy shared disk made journal tests 3-5x slower).
# Only with room to spare (a container's /dev/shm is often 64 MB): at least 1 GB free.
TEST_TMP := $(shell test -d /dev/shm -a -w /dev/shm && \
	test "$$(df -Pk /dev/shm | awk 'NR==2 {print $$4}')" -gt 1048576 2>/dev/null && echo /dev/shm)
PYTEST   := $(if $(TEST_TMP),TMPDIR=$(TEST_TMP) )$(BIN)/python -m pytest -n auto --dist worksteal

.PHONY: run test test-fast test-tui lint fix screenshots docs bench soak browser-test bpmn-schema-test clean

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
	$(PYTEST) $(ARGS)

## The fast loop: every test but those that run the Textual app (marked tui by tests/conftest.py).
test-fast: $(STAMP)
	$(PYTEST) -m "not tui" $(ARGS)

## Only the tests that run the app (Pilot and snapshots).
test-tui: $(STAMP)
	$(PYTEST) -m tui $(ARGS)

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

## The browser tests: `procedo serve` driven in Chromium, the Mermaid maps rendered by
## Mermaid itself and the BPMN exports opened by bpmn-js (installs Debian's chromium and, with
## npm, Mermaid and bpmn-js when they are missing).
NODE_MODULES := .cache/mermaid/node_modules
BPMN_JS := .cache/bpmn-js/node_modules/bpmn-js/dist/bpmn-modeler.production.min.js
browser-test: $(STAMP)
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	@test -d $(NODE_MODULES)/jsdom -a -f $(NODE_MODULES)/mermaid/dist/mermaid.min.js || \
		npm install --prefix .cache/mermaid --no-audit --no-fund --silent mermaid@12.3.0 jsdom@29.1.1
	@test -f $(BPMN_JS) || \
		npm install --prefix .cache/bpmn-js --no-audit --no-fund --silent bpmn-js@18.31.1
	PROCEDO_BROWSER_TEST=required PROCEDO_MERMAID_MODULES=$(CURDIR)/$(NODE_MODULES) \
		$(BIN)/python -m pytest -p no:xdist tests/test_serve_browser.py \
		tests/test_mermaid_in_browser.py tests/test_render_mermaid.py \
		tests/test_bpmn_in_browser.py $(ARGS)

## The BPMN exports validated against the OMG's BPMN 2.0 XSD (the copy SpiffWorkflow ships:
## its wheel is fetched with pip into .cache/, lxml installed into the venv, neither kept in
## the repository).
BPMN_XSD := .cache/bpmn-xsd/SpiffWorkflow/bpmn/parser/schema/BPMN20.xsd
bpmn-schema-test: $(STAMP)
	@$(BIN)/python -c "import lxml" 2>/dev/null || $(BIN)/python -m pip install --quiet lxml
	@test -f $(BPMN_XSD) || ( \
		$(BIN)/python -m pip download --quiet --no-deps spiffworkflow==3.2.0 -d .cache/bpmn-xsd && \
		cd .cache/bpmn-xsd && $(CURDIR)/$(BIN)/python -m zipfile -e spiffworkflow-3.2.0-py3-none-any.whl . )
	PROCEDO_BPMN_XSD=$(CURDIR)/$(BPMN_XSD) PROCEDO_BPMN_XSD_TEST=required \
		$(BIN)/python -m pytest -p no:xdist tests/test_bpmn_schema.py $(ARGS)

bench: $(STAMP)
	@for f in bench/*.py; do case $$f in bench/soak*) continue;; esac; \
		echo "== $$f"; $(BIN)/python $$f; done

## The journal's soak test (about 8 minutes; ARGS="--kills 20 --seconds 20" for a short one).
soak: $(STAMP)
	$(BIN)/python bench/soak.py $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
