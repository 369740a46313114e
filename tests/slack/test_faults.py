"""Slack failing, hostile questions, strangers asking: the bot answers once, politely, and leaks nothing."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.blocks import APOLOGY, REFUSAL
from bot.serve import socket_mode_handler
from tests.slack.conftest import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, running_http_bot
from tests.slack.events import CHANNEL, DM_CHANNEL, direct_message, event_callback, mention, share_click, slash_command
from tests.slack.fake_socket_mode import FakeSocketMode
from tests.slack.reading import markup, shown

FINANCIAL = "No financial implications have been identified."
TITLE = "Anchor Institutions in Derbyshire and Derby"
PARA_4_7 = (
    "By signing up to the Derbyshire and Derby Anchor Charter Mission Statement the Authority needs to commit "
    "to long-term collaboration with the other Anchor Institutions in the Derbyshire and Derby Anchor Partnership"
)


def test_a_rate_limited_post_waits_out_retry_after_and_is_answered_once(http_bot, fake_slack):
    fake_slack.fail_next("chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})

    http_bot.event(mention("What are the financial implications?"))

    fake_slack.wait_for(lambda slack: slack.posts(channel=CHANNEL))
    first, second = fake_slack.calls("chat.postMessage")
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 1


def test_a_slack_server_error_is_retried_with_backoff_and_answered_once(http_bot, fake_slack):
    fake_slack.fail_next("chat.postMessage", 500)

    http_bot.event(mention("What are the financial implications?"))

    (post,) = fake_slack.wait_for(lambda slack: slack.posts(channel=CHANNEL))
    assert FINANCIAL in shown(post)
    assert [call.status for call in fake_slack.calls("chat.postMessage")] == [500, 200]


def test_a_failing_handler_is_logged_with_context_and_the_officer_gets_an_apology(http_bot, fake_slack, caplog):
    fake_slack.fail_next("chat.postMessage", 200, {"ok": False, "error": "internal_error"})
    body = mention("What are the financial implications?")

    http_bot.event(body)

    (post,) = fake_slack.wait_for(lambda slack: slack.posts(channel=CHANNEL))
    assert shown(post) == APOLOGY
    assert post["thread_ts"] == body["event"]["ts"]
    (record,) = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert "answering a mention failed" in record.getMessage()
    assert f"event_id={body['event_id']}" in record.getMessage()
    assert f"channel={CHANNEL}" in record.getMessage()
    assert record.exc_info  # the traceback goes to the log, never to Slack


def test_officers_asking_at_once_are_each_answered_exactly_once_and_acked_in_time(http_bot, fake_slack):
    """A small version of benchmarks/slack_load.py: 20 officers at once, every fifth event re-delivered by Slack."""
    questions = [mention("What are the financial implications?", channel=f"C0OFFICER{n:02d}") for n in range(20)]

    def ask(numbered: tuple[int, dict]) -> list[float]:
        number, body = numbered
        acks = [http_bot.event(body).seconds]
        if number % 5 == 0:
            acks.append(http_bot.event(body, retry_num=1).seconds)
        return acks

    with ThreadPoolExecutor(max_workers=len(questions)) as officers:
        acks = [ack for officer_acks in officers.map(ask, enumerate(questions)) for ack in officer_acks]
    fake_slack.wait_for(lambda slack: len(slack.posts()) >= len(questions), timeout=30)
    settle_channel = "C0SETTLE"
    http_bot.event(mention("Who has been consulted?", channel=settle_channel))
    fake_slack.wait_for(lambda slack: slack.posts(channel=settle_channel))

    answered = [post["thread_ts"] for post in fake_slack.posts() if post["channel"] != settle_channel]
    assert sorted(answered) == sorted(body["event"]["ts"] for body in questions)
    assert max(acks) < 3


HOSTILE_QUESTIONS = {
    "whitespace": " \t  \n ",
    "only emoji": "🙂🙂🙂 🤔",
    "another language": "Quelles sont les implications financières ?",
    "slack markup": "<@U0CHIEFEXEC> <!subteam^S0TEAM|@policy-team> <!date^1392734382^{date}|Feb 18> "
    "<#C0GENERAL|general> <http://evil.example/login|the form> <mailto:a@b.example|mail> what are the legal implications?",
    "control characters": "What are\x00 the\x1b[31m financial\x07 implications\u202e?",
    "a pasted passage": PARA_4_7,
    "20,000 characters": ("What are the financial implications? " * 541)[:20_000],
}


@pytest.mark.parametrize("question", HOSTILE_QUESTIONS.values(), ids=HOSTILE_QUESTIONS.keys())
def test_odd_and_hostile_questions_get_one_polite_reply_and_ping_nobody(http_bot, fake_slack, caplog, question):
    http_bot.event(direct_message(question))

    (post,) = fake_slack.wait_for(lambda slack: slack.posts(channel=DM_CHANNEL))
    assert shown(post).strip()
    assert markup(post) == []
    assert APOLOGY not in shown(post)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_a_very_long_question_is_trimmed_and_the_officer_told(http_bot, fake_slack):
    http_bot.event(direct_message(HOSTILE_QUESTIONS["20,000 characters"]))

    (post,) = fake_slack.wait_for(lambda slack: slack.posts(channel=DM_CHANNEL))
    assert "very long" in shown(post)
    assert FINANCIAL in shown(post)


def test_a_pasted_passage_finds_itself(http_bot, fake_slack):
    http_bot.event(direct_message(PARA_4_7))

    (post,) = fake_slack.wait_for(lambda slack: slack.posts(channel=DM_CHANNEL))
    assert PARA_4_7 in shown(post)
    assert "para 4.7" in shown(post)


def test_allowed_channel_and_direct_messages_are_answered(restricted_bot, fake_slack):
    restricted_bot.event(mention("What are the financial implications?"))
    restricted_bot.event(direct_message("What are the financial implications?"))

    assert FINANCIAL in shown(fake_slack.wait_for(lambda slack: slack.posts(channel=CHANNEL))[0])
    assert FINANCIAL in shown(fake_slack.wait_for(lambda slack: slack.posts(channel=DM_CHANNEL))[0])


def test_the_home_tab_still_opens_where_channels_are_restricted(restricted_bot, fake_slack):
    event = {"type": "app_home_opened", "user": "U0OFFICER", "channel": "D0OFFICER", "tab": "home", "event_ts": "1.1"}

    restricted_bot.event(event_callback(event))

    (call,) = fake_slack.wait_for(lambda slack: slack.calls("views.publish"))
    assert TITLE in shown(call.params["view"])


@pytest.mark.parametrize(
    "where", [{"channel": "C0ELSEWHERE"}, {"team": "T0STRANGER"}], ids=["other channel", "other workspace"]
)
def test_a_question_from_elsewhere_is_refused_without_document_text(restricted_bot, fake_slack, where):
    restricted_bot.event(mention("What are the financial implications?", **where))

    (post,) = fake_slack.wait_for(lambda slack: slack.posts())
    assert shown(post) == REFUSAL
    assert TITLE not in str(post)


def test_a_slash_command_or_share_from_elsewhere_is_refused(restricted_bot, fake_slack):
    restricted_bot.command(slash_command("What are the financial implications?", fake_slack.response_url("cmd"), channel="C0ELSEWHERE"))
    button = {"action_id": "share_answer", "type": "button", "value": "What are the financial implications?"}
    restricted_bot.interaction(share_click(button, fake_slack.response_url("share"), channel="C0ELSEWHERE"))

    (command,) = fake_slack.wait_for(lambda slack: slack.responses("cmd"))
    (share,) = fake_slack.wait_for(lambda slack: slack.responses("share"))
    assert shown(command) == shown(share) == REFUSAL
    assert share["response_type"] == "ephemeral"


def test_tokens_and_the_signing_secret_never_reach_the_log_even_at_debug(settings, engine, fake_slack, caplog):
    caplog.set_level(logging.DEBUG)
    fake_slack.fail_next("chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
    with running_http_bot(settings, engine) as bot:
        bot.event(mention("What are the financial implications?"))
        bot.command(slash_command("What are the legal implications?", fake_slack.response_url("cmd")))
        fake_slack.wait_for(lambda slack: slack.posts() and slack.responses("cmd"))
    with FakeSocketMode() as socket_mode:
        fake_slack.socket_mode_url = socket_mode.url
        handler = socket_mode_handler(settings, engine)
        handler.connect()
        socket_mode.send_event(mention("Who has been consulted?", channel="C0SOCKET"))
        fake_slack.wait_for(lambda slack: slack.posts(channel="C0SOCKET"))
        handler.close()

    assert "auth.test" in caplog.text and "apps.connections.open" in caplog.text  # DEBUG really was on
    for secret in (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET):
        assert secret not in caplog.text
