# One task runner for people and CI. `make run` creates .venv/, installs everything there and starts the
# chat; `make test` runs lint, type check and the whole test suite (real model and browser included).
# Every target uses .venv/, never the Python it was created with, so nothing installed elsewhere on the
# machine can hide a missing dependency, and a system Python that refuses pip (PEP 668) is no obstacle.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
PY = $(BIN)/python
PIP = $(PY) -m pip
# The versions a fresh install resolved and the test suite passed with (make lock rewrites it).
CONSTRAINTS = constraints.txt
STAMP = $(VENV)/.installed
LLAMA_CPP_VERSION = $(shell sed -n 's/^llama_cpp_python==//p' $(CONSTRAINTS))
LLAMA_CFLAGS = $(if $(filter x86_64 amd64,$(shell uname -m)),-mno-amx-tile -mno-amx-int8 -mno-amx-bf16)

.PHONY: install venv run build test lint typecheck pytest fast bench eval doctor lock clean-venv

install: $(STAMP) build/node/node_modules/axe-core/axe.min.js

venv: $(PY)

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' 2>/dev/null || \
	  { echo "Python 3.11 is needed: '$(PYTHON)' is $$($(PYTHON) --version 2>&1). Run: make PYTHON=python3.11"; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || \
	  { echo "'$(PYTHON)' cannot create virtual environments: install python3-venv (apt-get install python3-venv)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=24"

$(STAMP): $(PY) pyproject.toml $(CONSTRAINTS)
	@echo "Installing into $(VENV)/ (first time: about 10 minutes; llama.cpp compiles from source)"
	# torch first, pinned: a plain `torch` requirement would pull a multi-GB CUDA build.
	$(PIP) install --quiet --constraint $(CONSTRAINTS) torch==2.13.0
	# llama.cpp compiled here, for this CPU, never taken from pip's wheel cache (a wheel compiled on another
	# machine may use instructions this one lacks); AMX off: some virtual machines report AMX tiles that
	# fault when used (a segmentation fault in ggml_backend_amx_mul_mat on the first prompt).
	CFLAGS="$(LLAMA_CFLAGS)" CXXFLAGS="$(LLAMA_CFLAGS)" $(PIP) install --quiet --no-cache-dir \
	  --constraint $(CONSTRAINTS) "llama-cpp-python==$(LLAMA_CPP_VERSION)"
	$(PIP) install --quiet --constraint $(CONSTRAINTS) -e ".[dev]"
	@touch $(STAMP)

# axe-core for the browser tests' accessibility audits, into build/ (ignored by git).
build/node/node_modules/axe-core/axe.min.js:
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --silent --no-audit --no-fund --prefix build/node axe-core@4.11.0; \
	else echo "npm not found: the accessibility audits will fail (apt-get install npm)"; fi

run: install
	$(BIN)/expert-chat build
	$(BIN)/expert-chat serve

build: install
	$(BIN)/expert-chat build

doctor: venv
	$(BIN)/expert-chat doctor

lint: install
	$(BIN)/ruff check assistant index ui tests bench eval
	$(BIN)/ruff format --check assistant index ui tests bench eval

typecheck: install
	$(BIN)/mypy

# .venv/bin first on PATH, as if activated: tests start the environment's own commands (chroma, ...).
pytest: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(PY) -m pytest -q

fast: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(PY) -m pytest -q -m "not model and not browser and not embedder"

test: install lint typecheck pytest

bench: install
	$(PY) bench/run.py

eval: install
	$(BIN)/expert-chat eval

# Rewrites constraints.txt from a new environment resolved without it (run after changing pyproject.toml).
lock:
	rm -rf build/lock-venv
	$(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install --quiet --upgrade "pip>=24"
	build/lock-venv/bin/python -m pip install --quiet torch==2.13.0
	build/lock-venv/bin/python -m pip install --quiet -e ".[dev]"
	@{ echo "# Versions resolved by 'make lock' on $$(date -u +%F) and tested; 'make install' installs within them."; \
	  build/lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^ask-the-experts' ; } > $(CONSTRAINTS)
	rm -rf build/lock-venv

clean-venv:
	rm -rf $(VENV)
