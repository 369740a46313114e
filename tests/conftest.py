"""Shared fixtures: a clean environment for every test, and the real model and indexes built once per run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHIPPED_CORPUS = REPO / "corpus"
SHIPPED_REPORT = SHIPPED_CORPUS / "derbyshire-cabinet-2022-01-13-anchor-institutions.txt"
EVAL_DIR = REPO / "tests" / "eval"
EVAL_CORPUS = EVAL_DIR / "corpus"
DEV_QUESTIONS = EVAL_DIR / "dev-questions.jsonl"

# No test may reach a model hub; the bundled model is loaded from site-packages.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No developer token, setting or .env leaks into a test, and nothing is written into the repo."""
    for name in list(os.environ):
        if name.startswith(("SLACK_", "POLICYBOT_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def embedder():
    """The real bundled MiniLM model, loaded once for the whole run."""
    from ingest.embed import Embedder

    model = Embedder()
    model.embed_one("warm up")
    return model


def _build(corpus: Path, index_dir: Path, embedder) -> Path:
    from ingest.pipeline import ingest_corpus

    ingest_corpus(corpus, index_dir, embedder)
    return index_dir


@pytest.fixture(scope="session")
def shipped_index(tmp_path_factory, embedder) -> Path:
    """An index of the shipped corpus (the Derbyshire cabinet report)."""
    return _build(SHIPPED_CORPUS, tmp_path_factory.mktemp("shipped-index"), embedder)


@pytest.fixture(scope="session")
def eval_index(tmp_path_factory, embedder) -> Path:
    """An index of the evaluation corpus: the report plus council documents that act as distractors."""
    return _build(EVAL_CORPUS, tmp_path_factory.mktemp("eval-index"), embedder)


def make_engine(index_dir: Path, embedder):
    from bot.engine import Engine
    from bot.glossary import load_glossary

    return Engine(index_dir, embedder, load_glossary())


@pytest.fixture(scope="session")
def engine(shipped_index, embedder):
    """The engine every front end uses, over the shipped corpus."""
    return make_engine(shipped_index, embedder)


@pytest.fixture(scope="session")
def eval_engine(eval_index, embedder):
    return make_engine(eval_index, embedder)
