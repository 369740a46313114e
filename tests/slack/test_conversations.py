"""Scenarios over real HTTP: signed events in, what Slack would post out (mentions, DMs, threads, retries, safety)."""

from __future__ import annotations

import json
import time

from bot.answer import CANNOT_ANSWER
from tests.slack.events import CHANNEL, DM_CHANNEL, direct_message, event_callback, mention
from tests.slack.fake_slack import BOT_ID, BOT_USER_ID, FakeSlack
from tests.slack.reading import markup, shown

FINANCIAL = "No financial implications have been identified."
FINANCIAL_CITATION = "Anchor Institutions in Derbyshire and Derby — Cabinet, 13 January 2022, Appendix 1, para 1.1"
LEGAL = "No legal implications have been identified."
TITLE = "Anchor Institutions in Derbyshire and Derby"


def answer_to(fake_slack: FakeSlack, **where: str) -> dict:
    """The one message the bot posted matching `where`, once it arrives."""
    (post,) = fake_slack.wait_for(lambda slack: slack.posts(**where))
    return post


def settle(http_bot, fake_slack: FakeSlack) -> None:
    """Ask one more question and wait for its answer, giving anything wrongly let through time to show up.

    Repeats and ignored messages are filtered before the HTTP reply, so by now the decisions are made;
    a wrong one would be answered about as fast as this question is.
    """
    body = direct_message("Who has been consulted?", channel="D0SENTINEL")
    http_bot.event(body)
    answer_to(fake_slack, channel="D0SENTINEL")


def test_a_mention_is_answered_in_its_thread_with_the_quote_and_citation(http_bot, fake_slack):
    body = mention("What are the financial implications?")

    reply = http_bot.event(body)

    assert reply.status == 200
    post = answer_to(fake_slack, channel=CHANNEL)
    assert post["thread_ts"] == body["event"]["ts"]
    assert FINANCIAL in shown(post)
    assert FINANCIAL_CITATION in shown(post)
    assert FINANCIAL_CITATION in post["text"]  # the notification names the source too
    assert post["unfurl_links"] is False


def test_a_direct_message_is_answered_in_the_dm(http_bot, fake_slack):
    http_bot.event(direct_message("What are the legal implications?"))

    post = answer_to(fake_slack, channel=DM_CHANNEL)
    assert "thread_ts" not in post
    assert LEGAL in shown(post)


def test_a_follow_up_in_the_thread_is_answered_in_the_context_of_the_first_question(http_bot, fake_slack, engine):
    first = mention("What are the financial implications?")
    http_bot.event(first)
    root = first["event"]["ts"]
    answer_to(fake_slack, thread_ts=root)

    http_bot.event(mention("and legal?", thread_ts=root))

    posts = fake_slack.wait_for(lambda slack: len(slack.posts(thread_ts=root)) == 2 and slack.posts(thread_ts=root))
    follow_up = posts[1]
    assert LEGAL in shown(follow_up)
    in_context = engine.ask("and legal?", follow_up_to="What are the financial implications?")
    on_its_own = engine.ask("and legal?")
    assert [q.citation.label for q in in_context.quotes] != [q.citation.label for q in on_its_own.quotes]
    for quote in in_context.quotes:
        assert quote.citation.label in shown(follow_up)


def test_an_empty_question_gets_help_with_example_questions(http_bot, fake_slack):
    http_bot.event(mention("   "))

    post = answer_to(fake_slack, channel=CHANNEL)
    assert "What are the financial implications?" in shown(post)
    assert TITLE in shown(post)


def test_when_the_documents_do_not_say_the_bot_says_so_and_names_what_it_searched(http_bot, fake_slack):
    http_bot.event(mention("What is the capital of France?"))

    post = answer_to(fake_slack, channel=CHANNEL)
    assert CANNOT_ANSWER in shown(post)
    assert TITLE in shown(post)


def test_bot_messages_edits_deletions_and_its_own_posts_are_ignored(http_bot, fake_slack):
    ignored = [
        direct_message("What are the financial implications?", subtype="bot_message", bot_id="B0OTHER"),
        direct_message("What are the financial implications?", bot_id="B0OTHER", app_id="A0OTHER"),
        direct_message("What are the financial implications?", user=BOT_USER_ID, bot_id=BOT_ID),
        direct_message("edited", subtype="message_changed", message={"text": "What are the financial implications?"}),
        direct_message("", subtype="message_deleted", deleted_ts="1.000001"),
        direct_message("What are the financial implications?", edited={"user": "U0OFFICER", "ts": "1.2"}),
    ]
    bot_mention = mention("What are the financial implications?")
    bot_mention["event"]["bot_id"] = "B0OTHER"
    for body in [*ignored, bot_mention]:
        assert http_bot.event(body).status == 200

    settle(http_bot, fake_slack)

    assert [post["channel"] for post in fake_slack.posts()] == ["D0SENTINEL"]


def test_a_retried_or_duplicated_event_is_answered_exactly_once(http_bot, fake_slack):
    body = mention("What are the financial implications?")
    second_copy = {**body, "event_id": "Ev0SECONDCOPY"}
    # A mention inside a DM arrives twice, as message.im and as app_mention, under different event ids.
    dm = direct_message(f"<@{BOT_USER_ID}> What are the legal implications?")
    dm_as_mention = event_callback({**dm["event"], "type": "app_mention"})

    replies = [
        http_bot.event(body),
        http_bot.event(body, retry_num=1),
        http_bot.event(body, retry_num=2),
        http_bot.event(second_copy),
        http_bot.event(dm),
        http_bot.event(dm_as_mention),
    ]
    answer_to(fake_slack, channel=CHANNEL)
    answer_to(fake_slack, channel=DM_CHANNEL)
    settle(http_bot, fake_slack)

    assert [reply.status for reply in replies] == [200] * 6
    assert len(fake_slack.posts(channel=CHANNEL)) == 1
    assert len(fake_slack.posts(channel=DM_CHANNEL)) == 1


def test_a_retry_whose_first_delivery_never_arrived_is_answered(http_bot, fake_slack):
    http_bot.event(mention("What are the financial implications?"), retry_num=1)

    assert FINANCIAL in shown(answer_to(fake_slack, channel=CHANNEL))


def test_forged_and_stale_requests_are_refused_and_nothing_is_posted(http_bot, fake_slack):
    body = json.dumps(mention("What are the financial implications?")).encode()

    forged = http_bot.post(body, "application/json", secret="not-the-signing-secret")
    stale = http_bot.post(body, "application/json", timestamp=int(time.time()) - 6 * 60)
    unsigned = http_bot.request("POST", "/slack/events", body, {"Content-Type": "application/json"})
    settle(http_bot, fake_slack)

    assert (forged.status, stale.status, unsigned.status) == (401, 401, 401)
    assert fake_slack.posts(channel=CHANNEL) == []
    # Refused requests don't count as deliveries: the genuine one is still answered.
    http_bot.post(body, "application/json")
    assert FINANCIAL in shown(answer_to(fake_slack, channel=CHANNEL))


def test_a_question_full_of_pings_and_links_pings_nobody(http_bot, fake_slack):
    question = (
        "<!channel> <!here> <!everyone> <!subteam^S0POLICY|@policy-team> <@U0CHIEFEXEC> "
        "<http://evil.example/login|the council form> what are the financial implications?"
    )
    http_bot.event(mention(question))

    post = answer_to(fake_slack, channel=CHANNEL)
    assert FINANCIAL in shown(post)
    assert markup(post) == []


def test_health_check_answers_once_the_index_is_loaded(http_bot):
    health = http_bot.request("GET", "/healthz")
    elsewhere = http_bot.request("GET", "/")

    assert health.status == 200
    assert json.loads(health.body) == {"status": "ok", "documents": 1}
    assert elsewhere.status == 404


def test_opening_the_home_tab_shows_how_to_ask_and_what_is_searched(http_bot, fake_slack):
    event = {"type": "app_home_opened", "user": "U0OFFICER", "channel": "D0OFFICER", "tab": "home", "event_ts": "1.1"}

    http_bot.event(event_callback(event))

    (call,) = fake_slack.wait_for(lambda slack: slack.calls("views.publish"))
    assert call.params["user_id"] == "U0OFFICER"
    assert TITLE in shown(call.params["view"])
    assert "What are the financial implications?" in shown(call.params["view"])
