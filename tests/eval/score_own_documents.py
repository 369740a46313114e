#!/usr/bin/env python3
"""Score each question set over an index of only its own documents, as the outside measurement is run.

Usage:
    HF_HUB_OFFLINE=1 .venv/bin/python tests/eval/score_own_documents.py QUESTIONS.jsonl... [--corpus DIR]

The tests score every set over the whole evaluation corpus (45 documents, fifteen of them anchor charters much
alike), which is harder than a corpus of a few documents. Here each set gets a fresh index of the documents its
questions name, plus the shipped Derbyshire report (the outside sets have it alongside their own), so its
unanswerable questions are asked of the documents the set was written about. Prints each set's figures and the
pooled figures, never a question or a miss, so sets kept unread can be scored without being read.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.engine import Engine  # noqa: E402
from bot.evaluate import EvalQuestion, EvalResult, load_questions, score  # noqa: E402
from bot.glossary import load_glossary  # noqa: E402
from ingest.embed import Embedder  # noqa: E402
from ingest.pipeline import ingest_corpus  # noqa: E402

SHIPPED_REPORT = "derbyshire-cabinet-2022-01-13-anchor-institutions.txt"


def own_documents(questions: list[EvalQuestion], corpus: Path) -> list[Path]:
    """The documents the questions name, and the shipped report when the corpus has it."""
    names = {question.doc for question in questions if question.doc} | {SHIPPED_REPORT}
    return sorted(path for name in names if (path := corpus / name).is_file())


def score_own_documents(questions: list[EvalQuestion], corpus: Path, embedder: Embedder) -> tuple[int, EvalResult]:
    """How many documents were indexed, and the figures of the questions asked of them alone."""
    documents = own_documents(questions, corpus)
    with tempfile.TemporaryDirectory(prefix="policybot-own-") as scratch:
        own_corpus, index_dir = Path(scratch) / "corpus", Path(scratch) / "index"
        own_corpus.mkdir()
        for document in documents:
            shutil.copy2(document, own_corpus / document.name)
        ingest_corpus(own_corpus, index_dir, embedder)
        return len(documents), score(Engine(index_dir, embedder, load_glossary()), questions)


def pooled(results: list[EvalResult]) -> tuple[float, float, float, float]:
    """hit@1, hit@3, unanswerables abstained and answerables wrongly abstained over all the sets' questions."""
    answerable = sum(result.answerable for result in results) or 1
    unanswerable = sum(result.unanswerable for result in results) or 1
    return (
        sum(result.hit1 * result.answerable for result in results) / answerable,
        sum(result.hit3 * result.answerable for result in results) / answerable,
        sum(result.abstained_unanswerable * result.unanswerable for result in results) / unanswerable,
        sum(result.wrongly_abstained * result.answerable for result in results) / answerable,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", nargs="+", type=Path)
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parent / "corpus")
    args = parser.parse_args(argv)
    embedder = Embedder()
    print(f"{'set':<32} {'docs':>4} {'hit@1':>6} {'hit@3':>6} {'abst':>6} {'wrong':>6} {'words':>6}")
    results = []
    for path in args.questions:
        documents, result = score_own_documents(load_questions(path), args.corpus, embedder)
        results.append(result)
        print(
            f"{path.name:<32} {documents:>4} {result.hit1:>6.3f} {result.hit3:>6.3f} "
            f"{result.abstained_unanswerable:>6.3f} {result.wrongly_abstained:>6.3f} {result.mean_quote_words:>6.1f}"
        )
    hit1, hit3, abstained, wrongly = pooled(results)
    print(f"{'pooled':<32} {'':>4} {hit1:>6.3f} {hit3:>6.3f} {abstained:>6.3f} {wrongly:>6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
