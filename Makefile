# One task runner for people and CI. `make run` installs everything and starts the chat;
# `make test` runs lint, type check and the whole test suite (real model and browser included).
PYTHON ?= python3
PIP = $(PYTHON) -m pip

.PHONY: install run build test lint typecheck pytest fast bench eval clean-home

install:
	# torch first, pinned: a plain `torch` requirement would pull a multi-GB CUDA build.
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e ".[dev]"
	# axe-core for the browser tests' accessibility audits, into build/ (ignored by git).
	@if command -v npm >/dev/null 2>&1; then \
	  test -f build/node/node_modules/axe-core/axe.min.js || \
	  npm install --silent --no-audit --no-fund --prefix build/node axe-core@4.11.0; \
	else echo "npm not found: the accessibility audits will fail (apt-get install npm)"; fi

run: install
	expert-chat build
	expert-chat serve

build:
	expert-chat build

lint:
	ruff check assistant index ui tests bench eval
	ruff format --check assistant index ui tests bench eval

typecheck:
	mypy

pytest:
	$(PYTHON) -m pytest -q

fast:
	$(PYTHON) -m pytest -q -m "not model and not browser and not embedder"

test: install lint typecheck pytest

bench:
	$(PYTHON) bench/run.py

eval:
	expert-chat eval
