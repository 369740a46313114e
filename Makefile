# Policy Bot: `make run` to ask questions (Slack if configured, else the terminal), `make test` to test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# torch is pinned and installed first: 2.13.0 resolves to the machine's CPU wheel, while an unpinned
# resolve would download several GB of CUDA packages.
TORCH := torch==2.13.0

.PHONY: run test install install-dev bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet $(TORCH)
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	@HF_HUB_OFFLINE=1 $(BIN)/policybot start

test: install-dev
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest

bench: install-dev
	HF_HUB_OFFLINE=1 $(BIN)/python benchmarks/ask_latency.py
	HF_HUB_OFFLINE=1 $(BIN)/python benchmarks/ingest_time.py
	HF_HUB_OFFLINE=1 $(BIN)/python benchmarks/slack_load.py

clean:
	rm -rf $(VENV) index/CURRENT index/builds index/.ingest.lock
