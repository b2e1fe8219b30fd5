# Two commands for a fresh clone (see README): `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export LITELLM_LOCAL_MODEL_COST_MAP := True
export ORT_DISABLE_TELEMETRY := 1
export ANONYMIZED_TELEMETRY := False
export HF_HUB_OFFLINE := 1

DEMO_BRIEF ?= A Python library 'textstats' with functions word_count(text), char_count(text) and top_words(text, n) plus a CLI that prints the counts for a text file.

.PHONY: demo test test-model lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.local-installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e ".[local,dev]"
	touch $@

$(VENV)/.dev-installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

## demo: set up (.venv + embedded model) and build a small project on the embedded model
demo: $(VENV)/.local-installed
	$(BIN)/softco run "$(DEMO_BRIEF)"

## test: set up (.venv + dev tools) and run the default test suite (no model needed)
test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -q

## test-model: the opt-in tests that run the embedded 1.1 GB model
test-model: $(VENV)/.local-installed
	$(BIN)/python -m pytest -q -m model

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check softco tests examples benchmarks
	$(BIN)/ruff format --check softco tests examples benchmarks

bench: $(VENV)/.local-installed
	$(BIN)/python benchmarks/llm_local.py

clean:
	rm -rf $(VENV) runs .pytest_cache
