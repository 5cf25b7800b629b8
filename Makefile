# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup run test test-fast bench train clean lint format typecheck

setup: $(STAMP)  ## .venv with the pinned dependencies and the package (idempotent)

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: setup  ## process corpus/ into outputs/
	$(PY) -m pipeline run corpus/ --out outputs/

test: setup  ## the whole test suite
	$(PY) -m pytest

test-fast: setup  ## the tests not marked slow (under a minute)
	$(PY) -m pytest -m "not slow"

bench: setup  ## speed and memory figures, measured side by side (benchmarks/)
	$(PY) -m benchmarks

train: setup  ## rebuild every model in models/ from the data
	$(PY) -m pipeline train all

clean:
	rm -rf outputs/ .pytest_cache

lint: setup  ## ruff: lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup  ## mypy over the package (configured in pyproject.toml)
	$(VENV)/bin/mypy

format: setup  ## ruff: rewrite the code in the project's format
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
