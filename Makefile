# The two commands of the README: `make demo` and `make test`. Everything else supports them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TRAIN_STAMP := $(VENV)/.installed-train

.PHONY: demo test lint typecheck bench-ingest clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The tests also cover the fine-tuning code: torch (the CPU build, `train` extra) only for them.
$(TRAIN_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,train]'
	touch $(TRAIN_STAMP)

demo: $(STAMP)
	$(BIN)/ediplomacy demo

test: $(TRAIN_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest

bench-ingest: $(STAMP)
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) data/demo build *.egg-info
