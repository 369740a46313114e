"""The feedback store on a real SQLite file: what is kept, what is never kept, and for how long."""

from __future__ import annotations

import sqlite3
import stat
import threading
from datetime import datetime, timedelta, timezone

import pytest

from bot.answer import Answer, Quote
from bot.feedback import FeedbackStore, UnknownAnswer
from bot.settings import load_settings
from ingest.passages import cite
from ingest.records import Document, Passage

USER = "U0123ABCDEF"
REPORT = Document(
    id="anchor",
    title="Anchor Institutions in Derbyshire and Derby",
    path="anchor.txt",
    sha256="0" * 64,
    date="13 January 2022",
    meeting="Cabinet",
)


def hr_answer(question: str = "What are the HR implications?") -> Answer:
    passage = Passage(
        id="anchor#25",
        doc_id="anchor",
        text="No human resources (HR) implications have been identified.",
        spans=((0, 58),),
        section="3.1",
        heading="Appendix 1 – Implications › Human Resources",
    )
    quote = Quote(1, 0.812345, passage, REPORT, passage.text, cite(REPORT, passage))
    return Answer(question, answered=True, quotes=(quote,))


def declined(question: str) -> Answer:
    return Answer(question, answered=False, searched=(REPORT,))


@pytest.fixture
def store(tmp_path) -> FeedbackStore:
    return FeedbackStore(tmp_path / "var" / "policybot.sqlite3")


def test_an_answer_is_stored_with_the_passages_shown_and_their_scores(store):
    answer_id = store.record_answer(hr_answer(), channel_type="channel", user_id=USER)
    (asked,) = store.asked()
    assert asked.id == answer_id
    assert asked.question == "What are the HR implications?"
    assert asked.answered is True
    assert asked.channel_type == "channel"
    assert asked.asked_at.tzinfo is not None
    (shown,) = asked.shown
    assert (shown.rank, shown.passage_id, shown.doc_id, shown.section, shown.score) == (1, "anchor#25", "anchor", "3.1", 0.812345)
    assert shown.citation == "Anchor Institutions in Derbyshire and Derby — Cabinet, 13 January 2022, Appendix 1, para 3.1"


def test_slack_user_ids_are_stored_only_as_salted_hashes(tmp_path):
    path = tmp_path / "feedback.sqlite3"
    store = FeedbackStore(path)
    answer_id = store.record_answer(declined("how do I claim overtime?"), channel_type="im", user_id=USER)
    store.record_feedback(answer_id, USER, helpful=False)
    (asked,) = store.asked()
    assert asked.user_hash and asked.user_hash != USER and USER not in asked.user_hash
    on_disk = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith(path.name))
    assert USER.encode() not in on_disk
    # The generated salt is kept, so the same person hashes the same way after a restart ...
    assert FeedbackStore(path).hash_user(USER) == asked.user_hash
    # ... and a configured salt gives other hashes than the generated one.
    assert FeedbackStore(path, salt="a configured secret").hash_user(USER) != asked.user_hash


def test_feedback_is_linked_to_its_answer_and_a_second_vote_replaces_the_first(store):
    answer_id = store.record_answer(hr_answer(), channel_type="slash", user_id=USER)
    store.record_feedback(answer_id, USER, helpful=False)
    store.record_feedback(answer_id, "U0999OTHER", helpful=False)
    assert (store.answer(answer_id).helpful_votes, store.answer(answer_id).unhelpful_votes) == (0, 2)
    store.record_feedback(answer_id, USER, helpful=True)
    assert (store.answer(answer_id).helpful_votes, store.answer(answer_id).unhelpful_votes) == (1, 1)


def test_feedback_on_an_unknown_answer_is_a_clear_error(store):
    with pytest.raises(UnknownAnswer, match="retention period"):
        store.record_feedback(12345, USER, helpful=True)
    with pytest.raises(UnknownAnswer):
        store.answer(12345)


def test_channel_type_must_be_one_the_report_understands(store):
    with pytest.raises(ValueError, match="channel_type"):
        store.record_answer(hr_answer(), channel_type="email")


def test_rows_older_than_the_retention_period_are_deleted_when_the_store_opens(tmp_path):
    path = tmp_path / "feedback.sqlite3"
    now = datetime.now(timezone.utc)
    old = FeedbackStore(path, clock=lambda: now - timedelta(days=91))
    stale = old.record_answer(declined("bins in Matlock?"), channel_type="im", user_id=USER)
    old.record_feedback(stale, USER, helpful=False)
    recent = FeedbackStore(path, clock=lambda: now - timedelta(days=10))
    kept = recent.record_answer(declined("overtime?"), channel_type="im", user_id=USER)

    reopened = FeedbackStore(path, retention_days=90)
    assert [asked.id for asked in reopened.asked()] == [kept]
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM feedback").fetchone() == (0,)


def test_a_long_running_bot_can_delete_expired_rows_on_demand(tmp_path):
    today = [datetime.now(timezone.utc)]
    store = FeedbackStore(tmp_path / "feedback.sqlite3", retention_days=90, clock=lambda: today[0])
    store.record_answer(declined("overtime?"), channel_type="im", user_id=USER)
    assert store.delete_expired() == 0
    today[0] += timedelta(days=91)
    assert store.delete_expired() == 1
    assert store.asked() == []


def test_concurrent_answers_and_votes_from_many_threads_all_land(store):
    errors: list[BaseException] = []

    def officer(number: int) -> None:
        try:
            for turn in range(15):
                answer_id = store.record_answer(hr_answer(f"question {number}-{turn}"), channel_type="channel", user_id=f"U{number:04d}")
                store.record_feedback(answer_id, f"U{number:04d}", helpful=turn % 2 == 0)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=officer, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    asked = store.asked()
    assert len(asked) == 8 * 15 and len({item.id for item in asked}) == 8 * 15
    assert sum(item.helpful_votes + item.unhelpful_votes for item in asked) == 8 * 15
    with sqlite3.connect(store.path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_the_database_location_and_retention_come_from_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYBOT_DB", str(tmp_path / "data" / "bot" / "feedback.sqlite3"))
    monkeypatch.setenv("POLICYBOT_RETENTION_DAYS", "30")
    monkeypatch.setenv("POLICYBOT_USER_SALT", "from the environment")
    settings = load_settings(env_file=None)
    store = FeedbackStore.from_settings(settings)
    assert store.path == tmp_path / "data" / "bot" / "feedback.sqlite3" and store.path.is_file()
    assert store.retention_days == 30
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert store.hash_user(USER) == FeedbackStore(store.path, salt="from the environment").hash_user(USER)


def test_the_default_database_is_outside_the_index(tmp_path):
    settings = load_settings(env_file=None)
    assert settings.db_path.parts[0] == "var" and settings.retention_days == 90
    FeedbackStore.from_settings(settings)
    assert (tmp_path / "var" / "policybot.sqlite3").is_file()  # tests run in tmp_path
