"""The App Home tab and `/policy sources`: what Policy Bot covers, and how to ask it."""

from __future__ import annotations

from tests.slack.events import OFFICER, event_callback, slash_command
from tests.slack.reading import markup, shown

TITLE = "Anchor Institutions in Derbyshire and Derby"
DOC_ID = "derbyshire-cabinet-2022-01-13-anchor-institutions"


def open_home(http_bot, fake_slack) -> dict:
    event = {"type": "app_home_opened", "user": OFFICER, "channel": "D0OFFICER", "tab": "home", "event_ts": "1.1"}
    http_bot.event(event_callback(event))
    (call,) = fake_slack.wait_for(lambda slack: slack.calls("views.publish"))
    assert call.params["user_id"] == OFFICER
    return call.params["view"]


def passage_count(engine, doc_id: str) -> int:
    return sum(1 for passage in engine.retriever.build.passages if passage.doc_id == doc_id)


def test_opening_the_app_home_shows_each_document_with_its_date_and_passage_count(http_bot, fake_slack, engine):
    view = open_home(http_bot, fake_slack)

    assert view["type"] == "home"
    passages = passage_count(engine, DOC_ID)
    assert f"• *{TITLE}* — Cabinet, 13 January 2022 — {passages} passages · implications at a glance" in shown(view)
    assert "What I cover (1 document)" in shown(view).replace("*", "")


def test_the_app_home_says_how_to_ask_with_examples(http_bot, fake_slack):
    home = shown(open_home(http_bot, fake_slack))

    for how in ("Mention me in a channel", "Send me a direct message", "/policy your question",
                "/policy implications report or topic", "/policy sources"):
        assert how in home
    assert "What are the financial implications?" in home


def test_opening_the_messages_tab_publishes_nothing(http_bot, fake_slack):
    event = {"type": "app_home_opened", "user": OFFICER, "channel": "D0OFFICER", "tab": "messages", "event_ts": "1.1"}
    http_bot.event(event_callback(event))
    http_bot.command(slash_command("sources", fake_slack.response_url("settle")))

    fake_slack.wait_for(lambda slack: slack.responses("settle"))
    assert fake_slack.calls("views.publish") == []


def test_policy_sources_lists_the_indexed_documents_to_the_asker(http_bot, fake_slack, engine):
    http_bot.command(slash_command("sources", fake_slack.response_url("sources")))

    (response,) = fake_slack.wait_for(lambda slack: slack.responses("sources"))
    assert response["response_type"] == "ephemeral"
    assert f"• *{TITLE}* — Cabinet, 13 January 2022 — {passage_count(engine, DOC_ID)} passages" in shown(response)
    assert markup(response) == []
    assert fake_slack.posts() == []


def test_policy_help_explains_the_command(http_bot, fake_slack):
    http_bot.command(slash_command("help", fake_slack.response_url("help")))

    (response,) = fake_slack.wait_for(lambda slack: slack.responses("help"))
    assert "/policy implications report or topic" in shown(response)
    assert "What are the financial implications?" in shown(response)
