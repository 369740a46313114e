"""A running engine follows new index builds between questions: no restart, no dropped question, and a
build that fails to load is refused (and logged) while the old one keeps answering."""

from __future__ import annotations

import logging
import shutil
import threading

import pytest

from ingest import store
from ingest.lexical import tokens
from ingest.passages import ChunkSettings, contextual_text
from ingest.pipeline import ingest_corpus
from tests.conftest import make_engine
from tests.reliability.conditions import wait_until

REPORT_QUESTION = "Which organisations are members of the Anchor Executive Group?"
REPORT_SOURCE = "derbyshire-cabinet-2022-01-13-anchor-institutions.txt"
ALLOTMENT_QUESTION = "How do I join the allotment waiting list?"
ALLOTMENT_RULES = (
    "# Allotment Tenancy Rules\n\n"
    "## 1. Waiting list\n\n"
    "1.1 Residents join the allotment waiting list by writing to the Parks Service.\n\n"
    "1.2 Plots are offered in the order applications were received.\n"
)


def engine_log(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "bot.engine"]


def answered_from(answer) -> str | None:
    return answer.quotes[0].document.path if answer.answered else None


def test_a_new_document_is_answered_by_the_same_engine_without_a_restart(corpus, index, embedder):
    engine = make_engine(index, embedder)
    assert answered_from(engine.ask(ALLOTMENT_QUESTION)) != "allotments.md"

    (corpus / "allotments.md").write_text(ALLOTMENT_RULES)
    ingest_corpus(corpus, index, embedder)

    answer = engine.ask(ALLOTMENT_QUESTION)
    assert answered_from(answer) == "allotments.md"
    assert "by writing to the Parks Service" in answer.quotes[0].shown
    assert engine.retriever.build.path == store.current_build(index)


def test_questions_asked_during_the_swaps_are_all_answered(corpus, index, embedder, monkeypatch):
    """Four officers keep asking while three new builds are published: every question gets its answer,
    and the engine moves forward through the builds, each loaded once."""
    engine = make_engine(index, embedder)
    loaded: list[str] = []
    real_load = engine._load
    monkeypatch.setattr(engine, "_load", lambda build: loaded.append(build.name) or real_load(build))
    asked: list[str] = []
    answers: list = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def officer() -> None:
        for _ in range(500):  # bounded even if the main thread never sets `stop`
            if stop.is_set():
                return
            asked.append(REPORT_QUESTION)
            try:
                answers.append(engine.ask(REPORT_QUESTION))
            except BaseException as error:  # noqa: BLE001 - any failure is what this test looks for
                errors.append(error)

    officers = [threading.Thread(target=officer) for _ in range(4)]
    published = []
    for thread in officers:
        thread.start()
    try:
        for swap in range(3):
            if swap % 2 == 0:
                (corpus / "allotments.md").write_text(ALLOTMENT_RULES)
            else:
                (corpus / "allotments.md").unlink()
            published.append(ingest_corpus(corpus, index, embedder).build.name)
            # The officers' own questions make the engine switch; wait for that, not for a fixed time.
            assert wait_until(lambda: engine.retriever.build.path.name == published[-1], seconds=30)
    finally:
        stop.set()
        for thread in officers:
            thread.join(timeout=60)

    assert not errors, errors
    assert not any(thread.is_alive() for thread in officers)
    assert len(answers) == len(asked) >= 12, "no question dropped"
    assert all(answered_from(answer) == REPORT_SOURCE for answer in answers)
    assert loaded == published, "each build loaded once, in order, never switching back"


def test_a_question_that_saw_an_older_build_never_switches_the_engine_back(corpus, index, embedder, monkeypatch):
    """The race, made to happen: one question reads CURRENT, a newer build is published and loaded by
    another question, then the first question carries on. The engine must stay on the newer build."""
    engine = make_engine(index, embedder)
    (corpus / "allotments.md").write_text(ALLOTMENT_RULES)
    ingest_corpus(corpus, index, embedder)
    real_current_build = store.current_build
    paused, resume = threading.Event(), threading.Event()

    def current_build_then_pause(index_dir):
        seen = real_current_build(index_dir)
        if threading.current_thread().name == "slow officer" and not paused.is_set():
            paused.set()
            resume.wait(timeout=30)
        return seen

    monkeypatch.setattr(store, "current_build", current_build_then_pause)
    slow_answers = []
    slow = threading.Thread(target=lambda: slow_answers.append(engine.ask(REPORT_QUESTION)), name="slow officer")
    slow.start()
    try:
        assert paused.wait(timeout=30)
        (corpus / "allotments.md").unlink()
        newer = ingest_corpus(corpus, index, embedder).build
        engine.ask(REPORT_QUESTION)
        assert engine.retriever.build.path == newer
    finally:
        resume.set()
        slow.join(timeout=30)

    assert [answered_from(answer) for answer in slow_answers] == [REPORT_SOURCE]
    assert engine.retriever.build.path == newer
    assert answered_from(engine.ask(ALLOTMENT_QUESTION)) != "allotments.md"


def _publish_copy_of_current(index, damage) -> str:
    """Write the current build again through the store, damage the copy, publish it; its name is returned."""
    current = store.load_build(store.current_build(index))
    passages = current.passages
    chunking = ChunkSettings()
    build = store.write_build(
        index,
        current.manifest,
        list(current.documents.values()),
        passages,
        current.vectors.reconstruct_n(0, current.vectors.ntotal),
        [tokens(contextual_text(current.documents[p.doc_id], p, chunking.context)) for p in passages],
    )
    damage(build)
    store.publish(index, build)
    return build.name


def _truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _rename_the_document(build):
    """documents.json no longer has the id its passages point at."""
    documents = build / "documents.json"
    documents.write_text(documents.read_text().replace('"id": "derbyshire', '"id": "renamed', 1))


DAMAGE = {
    "vectors.faiss truncated": lambda build: _truncate(build / "vectors.faiss"),
    "lexical index emptied": lambda build: (build / "lexical" / "indptr.csc.index.npy").write_bytes(b""),
    "manifest.json not JSON": lambda build: (build / "manifest.json").write_text("{ half a manif"),
    "passages name a document that is not there": _rename_the_document,
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_build_that_fails_to_load_is_refused_once_and_the_old_one_keeps_answering(index, embedder, caplog, monkeypatch, damage):
    engine = make_engine(index, embedder)
    serving = engine.retriever.build.path
    broken = _publish_copy_of_current(index, damage)
    loads = []
    real_load_build = store.load_build
    monkeypatch.setattr(store, "load_build", lambda path: loads.append(path.name) or real_load_build(path))

    with caplog.at_level(logging.WARNING, logger="bot.engine"):
        answers = [engine.ask(REPORT_QUESTION) for _ in range(3)]

    assert all(answered_from(answer) == REPORT_SOURCE for answer in answers)
    assert engine.retriever.build.path == serving
    (refusal,) = engine_log(caplog)
    assert refusal.levelno == logging.ERROR
    assert broken in refusal.getMessage() and serving.name in refusal.getMessage()
    assert "run `policybot ingest` again" in refusal.getMessage()
    assert loads == [broken], "the broken build is tried once, not on every question"


def test_a_newer_build_after_a_broken_one_is_loaded(corpus, index, embedder):
    engine = make_engine(index, embedder)
    serving = engine.retriever.build.path
    _publish_copy_of_current(index, DAMAGE["vectors.faiss truncated"])
    engine.ask(REPORT_QUESTION)
    assert engine.retriever.build.path == serving

    (corpus / "allotments.md").write_text(ALLOTMENT_RULES)
    ingest_corpus(corpus, index, embedder)

    assert answered_from(engine.ask(ALLOTMENT_QUESTION)) == "allotments.md"


def test_a_dangling_current_link_keeps_the_loaded_build_and_is_logged_once(index, embedder, caplog):
    engine = make_engine(index, embedder)
    shutil.rmtree(store.current_build(index))

    with caplog.at_level(logging.WARNING, logger="bot.engine"):
        answers = [engine.ask(REPORT_QUESTION) for _ in range(3)]

    assert all(answered_from(answer) == REPORT_SOURCE for answer in answers)
    (warning,) = engine_log(caplog)
    assert "points at a missing build" in warning.getMessage()
