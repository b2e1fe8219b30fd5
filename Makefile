# Two commands for a fresh clone (see README): `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export LITELLM_LOCAL_MODEL_COST_MAP := True
export ORT_DISABLE_TELEMETRY := 1
export ANONYMIZED_TELEMETRY := False
export HF_HUB_OFFLINE := 1

DEMO_BRIEF ?= A word-statistics library 'textstats' with a command-line tool. Interface: textstats/core.py: word_count(text: str) -> int (number of whitespace-separated words); char_count(text: str) -> int (number of characters, spaces included); top_words(text: str, n: int) -> list[tuple[str, int]] (the n most frequent lower-cased words with their counts, most frequent first, ties in alphabetical order). textstats/cli.py: main(argv: list[str] | None = None) -> int; `python -m textstats.cli FILE` prints 'words: N' and 'chars: N' on two lines and returns 0, or returns 1 for a missing file.

# exported and read back as "$$DEMO_BRIEF": pasted into the recipe, the shell would run
# the brief's `python -m textstats.cli FILE` as a command and drop it from the brief
export DEMO_BRIEF

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
	$(BIN)/softco run "$$DEMO_BRIEF"

## test: set up (.venv + dev tools) and run the default test suite (no model needed)
test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -q -n auto --maxprocesses 4

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
