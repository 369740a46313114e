"""Warm `ask` latency: a batch of officers' questions through one loaded engine, as `ask` reads stdin.

Prints the median and 95th percentile per question after a warm-up. Run: python benchmarks/ask_latency.py
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parent.parent


def questions(count: int) -> list[str]:
    """The question sets' questions, repeated (with a varying suffix) up to `count`."""
    base = []
    for name in ("tests/eval/dev-questions.jsonl", "tests/eval/questions.jsonl"):
        base += [json.loads(line)["question"] for line in (REPO / name).read_text().splitlines() if line.strip()]
    return [base[i % len(base)] + ("" if i < len(base) else f" ({i // len(base)})") for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--corpus", type=Path, default=REPO / "tests" / "eval" / "corpus")
    args = parser.parse_args()

    from bot.engine import Engine
    from bot.glossary import load_glossary
    from ingest.embed import Embedder
    from ingest.pipeline import ingest_corpus

    embedder = Embedder()
    with tempfile.TemporaryDirectory() as index:
        report = ingest_corpus(args.corpus, Path(index), embedder)
        engine = Engine(Path(index), embedder, load_glossary())
        batch = questions(args.count)
        for question in batch[:20]:
            engine.ask(question)
        timings = []
        for question in batch:
            started = time.perf_counter()
            engine.ask(question)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(f"corpus: {report.documents} documents, {report.passages} passages; {len(batch)} questions, warm")
    print(f"ask median {statistics.median(timings):.1f} ms, p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms, "
          f"max {timings[-1]:.1f} ms")


if __name__ == "__main__":
    main()
