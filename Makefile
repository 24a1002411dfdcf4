# Two commands on a fresh machine:  `make book` builds the book, `make test` runs the tests.
# The quick loop before each commit: `make check` (also run by the pre-commit hook).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: book test check serve clean venv benchmark pdf

$(BIN)/jupyter-book: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(BIN)/pytest: $(BIN)/jupyter-book requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(BIN)/jupyter-book

## Build the book (warnings are errors), creating the environment first if needed.
book: $(BIN)/jupyter-book
	$(BIN)/jupyter-book build . -W --keep-going

## Print the built book to one PDF, _build/html/edition.pdf (needs a Chromium; `make book` does not).
pdf: $(BIN)/pytest
	$(BIN)/python scripts/edition_pdf.py

## Run every test (validators, loaders, pullers, the full build, notebooks, browser), in as many processes as
## there are cores (at most 4); they share one build of the book. Each test file runs whole in one process.
test: $(BIN)/pytest
	$(BIN)/pytest -ra --numprocesses=auto --maxprocesses=4 --dist=loadfile

## The quick loop: validators, the chapters' static checks and the import contracts, without a build or a browser.
## `make test` (the gate in CI) runs everything.
check: $(BIN)/pytest
	$(BIN)/edition check
	$(BIN)/lint-imports
	$(BIN)/pytest -m check -q

## Preview the built site at http://127.0.0.1:8000/
serve:
	$(PYTHON) -m http.server 8000 --bind 127.0.0.1 --directory _build/html

## Measure build time, rebuild time, page weight and install time (writes benchmark/results/latest.json).
benchmark: $(BIN)/pytest
	$(BIN)/python benchmark/run.py

clean:
	rm -rf _build
