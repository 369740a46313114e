"""The weekly gap digest, posted to POLICYBOT_DIGEST_CHANNEL, and the daily clean-up of old feedback."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from slack_sdk import WebClient

from bot.answer import Answer
from bot.feedback import FeedbackStore
from bot.serve import Housekeeping, next_digest_time
from bot.slack_app import post_digest
from tests.slack.conftest import BOT_TOKEN
from tests.slack.reading import markup, shown

DIGEST_CHANNEL = "C0POLICYTEAM"
MONDAY_9AM = datetime(2024, 4, 8, 9, 0, tzinfo=timezone.utc)


def test_the_digest_lists_unanswered_questions_escaped_in_the_configured_channel(settings, engine, fake_slack):
    settings = settings.model_copy(update={"digest_channel": DIGEST_CHANNEL})
    store = FeedbackStore.from_settings(settings)
    store.record_answer(Answer("When are <!channel> bins collected & by whom?", answered=False), channel_type="im", user_id="U0A")

    assert post_digest(WebClient(token=BOT_TOKEN, base_url=fake_slack.url), settings, store, engine)

    (post,) = fake_slack.posts(channel=DIGEST_CHANNEL)
    assert "“When are <!channel> bins collected & by whom?” — asked once (not answered 1)" in shown(post)
    assert markup(post) == []


def test_without_a_digest_channel_nothing_is_posted(settings, engine, fake_slack):
    assert not post_digest(WebClient(token=BOT_TOKEN, base_url=fake_slack.url), settings, FeedbackStore.from_settings(settings), engine)
    assert fake_slack.calls("chat.postMessage") == []


def test_housekeeping_posts_on_monday_morning_and_deletes_old_feedback_daily(settings, engine, fake_slack):
    settings = settings.model_copy(update={"digest_channel": DIGEST_CHANNEL, "retention_days": 7})
    now = [MONDAY_9AM - timedelta(days=8)]
    store = FeedbackStore(settings.db_path, retention_days=7, clock=lambda: now[0])
    store.record_answer(Answer("What is the overtime rate?", answered=False), channel_type="im")
    now[0] = MONDAY_9AM - timedelta(days=2)  # the bot starts on Saturday morning
    housekeeping = Housekeeping(settings, engine, WebClient(token=BOT_TOKEN, base_url=fake_slack.url), store, clock=lambda: now[0])

    now[0] = MONDAY_9AM - timedelta(minutes=1)
    housekeeping.run_due()
    assert store.asked() == [] and fake_slack.calls() == []  # a day has passed: the 8-day-old question went; no digest yet
    store.record_answer(Answer("Who approves leave?", answered=False), channel_type="im")
    now[0] = MONDAY_9AM
    housekeeping.run_due()
    housekeeping.run_due()

    (post,) = fake_slack.posts(channel=DIGEST_CHANNEL)
    assert "Who approves leave?" in shown(post)
    assert housekeeping.next_digest == MONDAY_9AM + timedelta(days=7)


def test_the_next_digest_is_the_coming_monday_at_nine():
    assert next_digest_time(MONDAY_9AM - timedelta(seconds=1)) == MONDAY_9AM
    assert next_digest_time(MONDAY_9AM) == MONDAY_9AM + timedelta(days=7)
    assert next_digest_time(MONDAY_9AM + timedelta(days=3, hours=5)) == MONDAY_9AM + timedelta(days=7)
