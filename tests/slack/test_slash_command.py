"""`/policy <question>`: acked at once, answered to the asker only via response_url, shareable with one click."""

from __future__ import annotations

from bot.blocks import HELPFUL_ACTION_ID, SHARE_ACTION_ID
from tests.slack.events import OFFICER, button, buttons, share_click, slash_command
from tests.slack.reading import markup, shown

FINANCIAL = "No financial implications have been identified."
FINANCIAL_CITATION = "Anchor Institutions in Derbyshire and Derby — Cabinet, 13 January 2022, Appendix 1, para 1.1"


def private_answer(http_bot, fake_slack, question: str, name: str = "command") -> dict:
    http_bot.command(slash_command(question, fake_slack.response_url(name)))
    (response,) = fake_slack.wait_for(lambda slack: slack.responses(name))
    return response


def test_the_command_is_acked_within_3_seconds_and_answered_to_the_asker_only(http_bot, fake_slack):
    reply = http_bot.command(slash_command("What are the financial implications?", fake_slack.response_url("one")))

    assert reply.status == 200
    assert reply.seconds < 3
    (response,) = fake_slack.wait_for(lambda slack: slack.responses("one"))
    assert response["response_type"] == "ephemeral"
    assert FINANCIAL in shown(response)
    assert FINANCIAL_CITATION in shown(response)
    assert "What are the financial implications?" in shown(response)  # the question, since Slack doesn't show it
    assert fake_slack.posts() == []  # nothing in the channel


def test_the_answer_can_be_shared_in_the_channel(http_bot, fake_slack):
    response = private_answer(http_bot, fake_slack, "What are the financial implications?")
    share = button(response, SHARE_ACTION_ID)
    assert share["text"]["text"] == "Share in channel"

    reply = http_bot.interaction(share_click(share, fake_slack.response_url("share")))

    assert reply.status == 200
    shared, removed = fake_slack.wait_for(lambda slack: len(slack.responses("share")) == 2 and slack.responses("share"))
    assert shared["response_type"] == "in_channel"
    assert FINANCIAL in shown(shared)
    assert FINANCIAL_CITATION in shown(shared)
    assert markup(shared) == [f"<@{OFFICER}>"]  # "Shared by @officer", and no other mention or link
    assert "Share in channel" not in shown(shared)
    assert button(shared, HELPFUL_ACTION_ID)["value"] == share["value"]  # votes in the channel count for the same answer
    assert removed == {"delete_original": True}


def test_an_abstention_offers_nothing_to_share(http_bot, fake_slack):
    response = private_answer(http_bot, fake_slack, "What is the capital of France?")

    assert buttons(response) == []


def test_an_empty_command_gets_help(http_bot, fake_slack):
    response = private_answer(http_bot, fake_slack, "")

    assert "What are the financial implications?" in shown(response)


def test_a_question_typed_with_markup_characters_pings_nobody(http_bot, fake_slack):
    # Slack sends what the officer typed with &, < and > escaped, as here.
    response = private_answer(http_bot, fake_slack, "&lt;!channel&gt; what are the financial implications? &amp; &gt;")

    assert "what are the financial implications? & >" in shown(response)  # echoed as typed, not as markup
    assert markup(response) == []
