# deepphen developer tasks. `make help` lists them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The suite on every CPU (pytest-xdist), each test module on one worker so that its
# module-scoped fixtures (a browser, a built wheel) are made once. PYTEST_ARGS= runs it in one
# process; PYTEST_ARGS="-x -k lint" picks tests.
PYTEST_ARGS ?= -n auto --dist loadscope

.PHONY: help install demo test test-pythons test-all lint-code lint-catalog page site bench dist \
        dist-check clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)  ## Create .venv and install deepphen with its test tools

demo: $(STAMP)  ## Set up, then search the shipped catalog for "grokking"
	$(BIN)/deepphen search grokking

test: $(STAMP)  ## Set up, then run ruff, the catalog lint and the whole test suite
	$(BIN)/ruff check src tests bench setup.py
	$(BIN)/deepphen lint --catalog catalog
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-pythons: $(STAMP)  ## The test suite on the other supported Pythons found (pyenv or PATH)
	EXCEPT="$$($(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')" \
		tools/test-pythons.sh $(PYTEST_ARGS)

test-all: test test-pythons  ## make test, then the suite on every other supported Python

lint-code: $(STAMP)  ## ruff only
	$(BIN)/ruff check src tests bench setup.py

lint-catalog: $(STAMP)  ## deepphen lint on the shipped catalog
	$(BIN)/deepphen lint --catalog catalog

page: $(STAMP)  ## Regenerate catalog/README.md from the catalog
	$(BIN)/deepphen export --format md --catalog catalog -o catalog/README.md

site: $(STAMP)  ## Write the searchable HTML page to site/index.html (for GitHub Pages)
	mkdir -p site
	$(BIN)/deepphen export --format html --catalog catalog -o site/index.html

bench: $(STAMP)  ## Run the benchmarks (writes bench/out/, see docs/benchmarks.md)
	$(BIN)/python bench/run.py

dist: $(STAMP)  ## Build the sdist and wheel into dist/ and check them with twine
	rm -rf dist
	$(BIN)/python -m build --outdir dist
	$(BIN)/python -m twine check --strict dist/*

dist-check: dist  ## Install the wheel into a clean virtualenv and run it on the shipped catalog
	rm -rf build/venv-wheel
	$(PYTHON) -m venv build/venv-wheel
	build/venv-wheel/bin/python -m pip install --quiet dist/*.whl
	cd build && venv-wheel/bin/deepphen --version
	cd build && venv-wheel/bin/deepphen search grokking --catalog ../catalog --limit 3
	cd build && venv-wheel/bin/python -m deepphen lint --catalog ../catalog
	cd build && venv-wheel/bin/python -m deepphen export --format html --catalog ../catalog -o page.html

clean:  ## Remove the virtualenvs, caches and build output
	rm -rf $(VENV) .venvs .pytest_cache .ruff_cache .hypothesis bench/out site build dist
