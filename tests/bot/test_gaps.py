"""The gap report: what staff asked that the documents did not answer, grouped by topic with the real model."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.feedback import AskedQuestion, FeedbackStore, ShownPassage
from bot.gaps import (
    ABSTAINED,
    UNHELPFUL,
    build_report,
    digest_text,
    group_similar,
    report_as_csv,
    report_as_json,
    report_as_text,
    weekly_digest,
)
from tests.bot.test_feedback import declined, hr_answer

NOW = datetime(2024, 5, 8, 9, 0, tzinfo=timezone.utc)
HR_CITATION = "Anchor Institutions in Derbyshire and Derby — Cabinet, 13 January 2022, Appendix 1, para 3.1"


def asked(number: int, question: str, *, answered: bool = False, helpful: int = 0, unhelpful: int = 0, days_ago: float = 1) -> AskedQuestion:
    shown = (ShownPassage(1, "anchor#25", "anchor", "3.1", HR_CITATION, 0.4),) if answered else ()
    return AskedQuestion(
        id=number,
        question=question,
        answered=answered,
        shown=shown,
        channel_type="channel",
        asked_at=NOW - timedelta(days=days_ago),
        user_hash=None,
        helpful_votes=helpful,
        unhelpful_votes=unhelpful,
    )


def test_paraphrases_are_grouped_and_unrelated_questions_kept_apart(embedder):
    questions = [
        "How do I claim overtime?",
        "When are the bins collected?",
        "what's the process for overtime claims",
        "What is the mileage rate for car users?",
        "overtime pay claim form",
        "what day is rubbish collected",
        "how much do we pay per mile for business travel",
        "Who chairs the anchor executive group?",
    ]
    groups = group_similar(embedder.embed(questions))
    as_text = sorted(sorted(questions[i] for i in group) for group in groups)
    assert as_text == sorted(
        [
            sorted(["How do I claim overtime?", "what's the process for overtime claims", "overtime pay claim form"]),
            sorted(["When are the bins collected?", "what day is rubbish collected"]),
            sorted(["What is the mileage rate for car users?", "how much do we pay per mile for business travel"]),
            ["Who chairs the anchor executive group?"],
        ]
    )


def test_only_declined_and_mostly_unhelpful_answers_are_gaps_most_asked_first(embedder):
    history = [
        asked(1, "How do I claim overtime?", days_ago=6),
        asked(2, "What are the HR implications?", answered=True, unhelpful=2, helpful=1, days_ago=5),
        asked(3, "how do I claim for overtime hours", days_ago=3),
        asked(4, "Who is on the Anchor Executive Group?", answered=True, helpful=3),  # answered well
        asked(5, "What is the council's net zero target?", answered=True, helpful=1, unhelpful=1),  # a tie is no gap
        asked(6, "How do I claim overtime?", days_ago=1),
    ]
    report = build_report(history, embedder.embed, since=None, generated_at=NOW)
    assert report.questions_asked == 6 and report.gap_questions == 4
    overtime, hr = report.gaps
    assert overtime.count == 3 and overtime.reasons == {ABSTAINED: 3}
    assert overtime.examples == ("How do I claim overtime?", "how do I claim for overtime hours")  # repeats shown once
    assert overtime.last_asked == NOW - timedelta(days=1)
    assert hr.count == 1 and hr.reasons == {UNHELPFUL: 1} and hr.shown == (HR_CITATION,)

    text = report_as_text(report)
    assert "1. Asked 3 times, last on 7 May 2024 09:00 UTC — not answered 3" in text
    assert "   “How do I claim overtime?”" in text
    assert "2. Asked once" in text and "marked unhelpful (👎) 1" in text
    assert f"Quoted in the unhelpful answers: {HR_CITATION}" in text

    rows = list(csv.DictReader(io.StringIO(report_as_csv(report))))
    assert [(row["group"], row["group_count"], row["reason"]) for row in rows] == [
        ("1", "3", "abstained"), ("1", "3", "abstained"), ("1", "3", "abstained"), ("2", "1", "unhelpful")
    ]
    digest = digest_text(report)
    assert "4 of 6 question(s)" in digest and "• “How do I claim overtime?” — asked 3 times (not answered 3)" in digest


def test_a_report_with_no_gaps_says_so_without_loading_the_model():
    def no_model(texts):
        raise AssertionError("nothing to group, so nothing to embed")

    report = build_report([asked(1, "Who is on the group?", answered=True, helpful=1)], no_model, since=None, generated_at=NOW)
    assert report.gaps == ()
    assert "none went unanswered or was marked unhelpful" in report_as_text(report)
    assert report_as_json(report)["groups"] == []


@pytest.fixture
def run():
    def invoke(*args):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_report_json_lists_declined_and_thumbs_down_questions_from_the_database(run, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYBOT_DB", str(tmp_path / "feedback.sqlite3"))
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.record_answer(declined("How do I claim overtime?"), channel_type="im", user_id="U01")
    store.record_answer(declined("what's the process for overtime claims"), channel_type="slash", user_id="U02")
    disliked = store.record_answer(hr_answer("Any staffing implications?"), channel_type="channel", user_id="U03")
    store.record_feedback(disliked, "U03", helpful=False)
    store.record_answer(hr_answer("What are the HR implications?"), channel_type="channel", user_id="U04")

    result = run("report", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["questions_asked"] == 4 and report["gap_questions"] == 3
    overtime, staffing = report["groups"]
    assert overtime["count"] == 2 and overtime["reasons"] == {"abstained": 2}
    assert set(overtime["examples"]) == {"How do I claim overtime?", "what's the process for overtime claims"}
    assert {q["channel_type"] for q in overtime["questions"]} == {"im", "slash"}
    assert staffing["examples"] == ["Any staffing implications?"] and staffing["reasons"] == {"unhelpful": 1}
    assert staffing["shown"] == [HR_CITATION]

    tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).strftime("%Y-%m-%d")
    later = json.loads(run("report", "--json", "--since", tomorrow).stdout)
    assert later["groups"] == [] and later["since"].startswith(tomorrow)


def test_report_without_a_database_is_empty_and_creates_nothing(run, tmp_path):
    result = run("report")
    assert result.exit_code == 0
    assert "0 question(s) asked" in result.output
    assert not (tmp_path / "var").exists()


def test_report_takes_one_output_format():
    result = CliRunner().invoke(main, ["report", "--json", "--csv"])
    assert result.exit_code == 2 and "choose one of --json and --csv" in result.output


def test_the_weekly_digest_covers_the_last_seven_days(tmp_path, embedder):
    now = datetime.now(timezone.utc)
    path = tmp_path / "feedback.sqlite3"
    FeedbackStore(path, clock=lambda: now - timedelta(days=9)).record_answer(declined("parking permits?"), channel_type="im")
    store = FeedbackStore(path, clock=lambda: now - timedelta(days=2))
    store.record_answer(declined("How do I claim overtime?"), channel_type="im")
    store.record_answer(declined("how do I claim for overtime hours"), channel_type="channel")
    digest = weekly_digest(store, embedder.embed, now=now)
    assert digest.startswith("Policy Bot gap report: 2 of 2 question(s) asked since ")
    assert "— asked 2 times (not answered 2)" in digest and "parking" not in digest
    assert digest.endswith(f"`policybot report --since {now - timedelta(days=7):%Y-%m-%d}`.")
