"""Ingest wall time for the shipped corpus, including Python start-up and the model load, as a user runs it.

Run: python benchmarks/ingest_time.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
POLICYBOT = Path(sys.executable).with_name("policybot")


def timed_ingest(index: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(POLICYBOT), "ingest", "--corpus", str(REPO / "corpus"), "--index", str(index)],
        check=True, capture_output=True, env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        index = Path(scratch) / "index"
        fresh = timed_ingest(index)
        unchanged = timed_ingest(index)
    print(f"ingest of corpus/ from nothing: {fresh:.1f} s wall (model load included)")
    print(f"ingest again, nothing changed:  {unchanged:.1f} s wall (no document re-embedded)")


if __name__ == "__main__":
    main()
