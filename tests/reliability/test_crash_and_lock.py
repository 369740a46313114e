"""A real `policybot ingest` killed at any moment leaves the previous index answering; one ingest at a time,
and a lock left by a killed ingest blocks nobody."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from bot.cli import EXIT_LOCKED, main
from ingest import store
from ingest.pipeline import ingest_corpus
from tests.conftest import SHIPPED_REPORT, make_engine
from tests.reliability.conditions import wait_until

POLICYBOT = Path(sys.executable).parent / "policybot"
REPORT_QUESTION = "Which organisations are members of the Anchor Executive Group?"
REPORT_SOURCE = SHIPPED_REPORT.name
LIGHTING_QUESTION = "How quickly are faulty street lights repaired?"

TOPICS = ["street lighting", "library opening hours", "school transport", "pothole repairs"]
_ACTIONS = ["reviews", "sets out", "confirms", "proposes", "records", "explains"]
_SUBJECTS = ["the annual budget", "the consultation response", "the service standard", "the charging policy"]


def write_generated_documents(corpus: Path, seed: int = 7) -> None:
    """Four policies of twenty numbered paragraphs: enough passages that embedding them takes seconds."""
    rng = random.Random(seed)
    for topic in TOPICS:
        lines = [f"{topic.title()} Policy", "", "1. Standards", ""]
        if topic == "street lighting":
            lines += ["1.1 Faulty street lights are repaired within five working days of being reported.", ""]
        for number in range(2, 21):
            sentences = " ".join(
                f"The council {rng.choice(_ACTIONS)} {rng.choice(_SUBJECTS)} for {topic} in ward {rng.randint(1, 40)}."
                for _ in range(5)
            )
            lines += [f"1.{number} {sentences}", ""]
        (corpus / f"{topic.replace(' ', '-')}.txt").write_text("\n".join(lines), encoding="utf-8")


def start_ingest(corpus: Path, index: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(POLICYBOT), "ingest", "--corpus", str(corpus), "--index", str(index)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def holds_lock(index: Path, process: subprocess.Popen) -> bool:
    try:
        return f"pid {process.pid}," in (index / store.LOCK).read_text()
    except FileNotFoundError:
        return False


def writing_a_build(index: Path) -> bool:
    builds = index / store.BUILDS
    return builds.is_dir() and any(entry.startswith(".partial-") for entry in os.listdir(builds))


def kill(process: subprocess.Popen) -> None:
    process.kill()  # SIGKILL: no cleanup handler, no finally block, no atexit runs
    process.wait(timeout=30)


def assert_index_answers(index: Path, embedder, previous: Path) -> None:
    """CURRENT is a complete build (the previous one, unless the ingest got as far as publishing) and
    both the engine and `policybot ask --json` answer from it."""
    current = store.current_build(index)
    assert not current.name.startswith(".partial-")
    build = store.load_build(current)
    if current != previous:
        assert len(build.documents) == 1 + len(TOPICS), "only a complete new build may replace the previous one"
    assert make_engine(index, embedder).ask(REPORT_QUESTION).quotes[0].document.path == REPORT_SOURCE
    result = CliRunner().invoke(main, ["ask", "--index", str(index), "--json", REPORT_QUESTION])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["answered"] and answer["results"][0]["doc"]["path"] == REPORT_SOURCE


def kill_when(corpus: Path, index: Path, condition, delay: float) -> bool:
    """Start a real ingest and SIGKILL it once `condition` holds and `delay` seconds more have passed;
    whether it was still running when killed."""
    process = start_ingest(corpus, index)
    try:
        wait_until(lambda: process.poll() is not None or condition(process), seconds=120, every=0.002)
        if delay:
            wait_until(lambda: process.poll() is not None, seconds=delay)
        return process.poll() is None
    finally:
        kill(process)


def test_sigkill_at_any_moment_leaves_the_previous_index_answering(corpus, index, embedder):
    previous = store.current_build(index)
    write_generated_documents(corpus)
    rng = random.Random()

    assert kill_when(corpus, index, lambda process: True, delay=rng.uniform(0.2, 1.0)), "killed while starting up"
    assert_index_answers(index, embedder, previous)
    assert kill_when(corpus, index, lambda process: holds_lock(index, process), delay=rng.uniform(0.2, 3.0)), (
        "killed while holding the lock, loading the model or embedding"
    )
    assert_index_answers(index, embedder, previous)
    for _ in range(2):  # writing takes tens of milliseconds: a very busy machine may miss it once
        kill_when(corpus, index, lambda process: writing_a_build(index), delay=0)
        assert_index_answers(index, embedder, previous)
        if writing_a_build(index):
            break
    assert writing_a_build(index), "one ingest was killed half-way through writing its build"
    before_rerun = store.current_build(index)

    rerun = CliRunner().invoke(main, ["ingest", "--corpus", str(corpus), "--index", str(index)])

    assert rerun.exit_code == 0, rerun.output
    current = store.current_build(index)
    assert sorted(os.listdir(index / store.BUILDS)) == sorted({current.name, before_rerun.name})
    assert not list(index.glob(f".{store.CURRENT}.*"))
    answer = make_engine(index, embedder).ask(LIGHTING_QUESTION)
    assert answer.answered and "within five working days" in answer.quotes[0].shown


def test_the_next_ingest_removes_what_a_killed_ingest_left(corpus, index, embedder):
    """What SIGKILL can leave, made directly: a half-written build, a complete build it never published,
    and its temporary link. The next ingest removes them and keeps only the new build and the previous."""
    previous = store.current_build(index)
    builds = index / store.BUILDS
    (builds / ".partial-20240101T000000-99999-000001").mkdir()
    (builds / ".partial-20240101T000000-99999-000001" / "passages.jsonl").write_text('{"half": ')
    loaded = store.load_build(previous)
    unpublished = store.write_build(
        index, loaded.manifest, list(loaded.documents.values()), loaded.passages,
        loaded.vectors.reconstruct_n(0, loaded.vectors.ntotal), [["placeholder"]] * len(loaded.passages),
    )
    (index / f".{store.CURRENT}.99999").symlink_to(Path(store.BUILDS) / unpublished.name)
    assert store.current_build(index) == previous

    report = ingest_corpus(corpus, index, embedder)

    assert sorted(os.listdir(builds)) == sorted({report.build.name, previous.name})
    assert not list(index.glob(f".{store.CURRENT}.*"))
    assert np.array_equal(
        store.load_build(report.build).vectors_of(REPORT_SOURCE.removesuffix(".txt")),
        loaded.vectors_of(REPORT_SOURCE.removesuffix(".txt")),
    )


HOLD_THE_LOCK = """
import sys, time
from pathlib import Path
from ingest import store
with store.ingest_lock(Path(sys.argv[1])):
    time.sleep(120)
"""


@pytest.fixture
def lock_holder(index):
    """Another process holding the ingest lock on `index`, as a running ingest does."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_THE_LOCK, str(index)])
    try:
        assert wait_until(lambda: holds_lock(index, holder) or holder.poll() is not None, seconds=60)
        assert holder.poll() is None, "the lock holder died before taking the lock"
        yield holder
    finally:
        if holder.poll() is None:
            kill(holder)


def test_a_second_ingest_is_refused_with_exit_3_naming_the_running_one(corpus, index, lock_holder):
    before = store.current_build(index)

    result = CliRunner().invoke(main, ["ingest", "--corpus", str(corpus), "--index", str(index)])

    assert result.exit_code == EXIT_LOCKED
    message = result.stderr.strip()
    assert message.startswith(f"Error: another ingest is already running on {index} (pid {lock_holder.pid}, started ")
    assert message.endswith("wait for it to finish")
    assert store.current_build(index) == before


def test_a_lock_left_by_a_killed_ingest_does_not_block_the_next(corpus, index, lock_holder):
    kill(lock_holder)
    assert f"pid {lock_holder.pid}," in (index / store.LOCK).read_text(), "the dead holder's lock file is still there"

    result = CliRunner().invoke(main, ["ingest", "--corpus", str(corpus), "--index", str(index)])

    assert result.exit_code == 0, result.output
    assert f"pid {os.getpid()}," in (index / store.LOCK).read_text()
