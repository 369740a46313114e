"""👍 / 👎 and "Show more" under each answer: clicks arrive as signed block_actions and land in the feedback database."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.blocks import (
    EXPIRED,
    HELPFUL_ACTION_ID,
    NOTHING_MORE,
    REFUSAL,
    SHARE_ACTION_ID,
    SHOW_MORE_ACTION_ID,
    THANKS,
    THANKS_UNHELPFUL,
    UNHELPFUL_ACTION_ID,
)
from bot.cli import main
from bot.feedback import FeedbackStore
from tests.slack.events import (
    CHANNEL,
    DM_CHANNEL,
    OFFICER,
    button,
    buttons,
    click,
    direct_message,
    mention,
    new_ts,
    slash_command,
)
from tests.slack.fake_slack import FakeSlack
from tests.slack.reading import shown

FINANCIAL_QUESTION = "What are the financial implications?"
CHARTER_QUESTION = "What does the anchor charter commit the council to?"  # the report has more than 3 answers


def answer_in_thread(http_bot, fake_slack: FakeSlack, question: str, channel: str = CHANNEL) -> dict:
    """Mention the bot and return its answer as the message Slack holds: the posted blocks, with a ts."""
    body = mention(question, channel=channel)
    http_bot.event(body)
    (post,) = fake_slack.wait_for(lambda slack: slack.posts(channel=channel))
    return {**post, "ts": new_ts(), "thread_ts": body["event"]["ts"]}


def stored(settings) -> list:
    return FeedbackStore.from_settings(settings).asked()


def test_clicking_not_helpful_lands_in_the_database_and_the_gap_report_lists_the_question(http_bot, fake_slack, settings):
    answer = answer_in_thread(http_bot, fake_slack, FINANCIAL_QUESTION)

    reply = http_bot.interaction(click(button(answer, UNHELPFUL_ACTION_ID), fake_slack.response_url("vote"), message=answer))

    assert reply.status == 200
    (thanks,) = fake_slack.wait_for(lambda slack: slack.responses("vote"))
    assert shown(thanks) == THANKS_UNHELPFUL
    assert thanks["response_type"] == "ephemeral" and thanks["replace_original"] is False
    (asked,) = stored(settings)
    assert (asked.question, asked.channel_type, asked.unhelpful_votes) == (FINANCIAL_QUESTION, "channel", 1)
    assert asked.user_hash and OFFICER not in asked.user_hash  # the Slack user id itself is never stored
    report = CliRunner().invoke(main, ["report", "--json", "--db", str(settings.db_path)])
    assert report.exit_code == 0, report.output
    (group,) = json.loads(report.output)["groups"]
    assert group["examples"] == [FINANCIAL_QUESTION]
    assert group["reasons"] == {"unhelpful": 1}


def test_a_second_click_replaces_the_officers_vote(http_bot, fake_slack, settings):
    answer = answer_in_thread(http_bot, fake_slack, FINANCIAL_QUESTION)

    http_bot.interaction(click(button(answer, UNHELPFUL_ACTION_ID), fake_slack.response_url("first"), message=answer))
    fake_slack.wait_for(lambda slack: slack.responses("first"))
    http_bot.interaction(click(button(answer, HELPFUL_ACTION_ID), fake_slack.response_url("second"), message=answer))

    (thanks,) = fake_slack.wait_for(lambda slack: slack.responses("second"))
    assert shown(thanks) == THANKS
    (asked,) = stored(settings)
    assert (asked.helpful_votes, asked.unhelpful_votes) == (1, 0)


def test_every_kind_of_answer_is_recorded_with_where_it_was_asked(http_bot, fake_slack, settings):
    http_bot.event(mention(FINANCIAL_QUESTION))
    http_bot.event(direct_message("What are the legal implications?"))
    http_bot.command(slash_command("Who has been consulted?", fake_slack.response_url("cmd")))
    fake_slack.wait_for(lambda slack: slack.posts(channel=CHANNEL) and slack.posts(channel=DM_CHANNEL) and slack.responses("cmd"))

    recorded = {item.question: item.channel_type for item in stored(settings)}

    assert recorded == {FINANCIAL_QUESTION: "channel", "What are the legal implications?": "im", "Who has been consulted?": "slash"}


def test_an_abstention_is_recorded_for_the_gap_report_and_has_nothing_to_rate(http_bot, fake_slack, settings):
    http_bot.event(direct_message("What is the capital of France?"))

    (post,) = fake_slack.wait_for(lambda slack: slack.posts(channel=DM_CHANNEL))
    assert buttons(post) == []
    (asked,) = stored(settings)
    assert (asked.question, asked.answered, asked.channel_type) == ("What is the capital of France?", False, "im")


def test_show_more_posts_the_next_passages_in_the_same_thread(http_bot, fake_slack, settings):
    answer = answer_in_thread(http_bot, fake_slack, CHARTER_QUESTION)
    assert buttons(answer) == [HELPFUL_ACTION_ID, UNHELPFUL_ACTION_ID, SHOW_MORE_ACTION_ID]

    http_bot.interaction(click(button(answer, SHOW_MORE_ACTION_ID), fake_slack.response_url("more"), message=answer))

    first, more = fake_slack.wait_for(lambda slack: len(slack.posts(channel=CHANNEL)) == 2 and slack.posts(channel=CHANNEL))
    assert more["thread_ts"] == answer["thread_ts"]
    assert "More passages" in shown(more)
    first_citations, more_citations = citations(first), citations(more)
    assert more_citations and not set(first_citations) & set(more_citations)
    # Further passages are an answer of their own: rated, and continued, from where they stopped.
    assert button(more, HELPFUL_ACTION_ID)["value"] != button(answer, HELPFUL_ACTION_ID)["value"]
    assert [passage.rank for item in stored(settings) for passage in item.shown] == [1, 2, 3, 4, 5, 6]


def test_show_more_after_the_last_passage_says_there_is_nothing_more(http_bot, fake_slack, engine):
    answer = answer_in_thread(http_bot, fake_slack, CHARTER_QUESTION)
    everything = len(engine.more(CHARTER_QUESTION, shown=0, count=100).quotes)
    pages = [answer]
    # Keep clicking "Show more" on the newest message until the bot says there is no more.
    while SHOW_MORE_ACTION_ID in buttons(pages[-1]):
        http_bot.interaction(click(button(pages[-1], SHOW_MORE_ACTION_ID), fake_slack.response_url(f"more{len(pages)}"), message=pages[-1]))
        fake_slack.wait_for(lambda slack: len(slack.posts(channel=CHANNEL)) > len(pages) or slack.responses(f"more{len(pages)}"))
        if fake_slack.responses(f"more{len(pages)}"):
            assert shown(fake_slack.responses(f"more{len(pages)}")[0]) == NOTHING_MORE
            break
        pages.append({**fake_slack.posts(channel=CHANNEL)[-1], "ts": new_ts()})

    all_citations = [label for page in pages for label in citations(page)]
    assert len(all_citations) == len(set(all_citations)) == everything


def test_show_more_on_a_slash_answer_goes_to_the_asker_only(http_bot, fake_slack):
    http_bot.command(slash_command(CHARTER_QUESTION, fake_slack.response_url("cmd")))
    (answer,) = fake_slack.wait_for(lambda slack: slack.responses("cmd"))
    assert buttons(answer) == [HELPFUL_ACTION_ID, UNHELPFUL_ACTION_ID, SHOW_MORE_ACTION_ID, SHARE_ACTION_ID]

    http_bot.interaction(click(button(answer, SHOW_MORE_ACTION_ID), fake_slack.response_url("more")))

    (more,) = fake_slack.wait_for(lambda slack: slack.responses("more"))
    assert more["response_type"] == "ephemeral"
    assert CHARTER_QUESTION in shown(more)
    assert citations(more) and not set(citations(answer)) & set(citations(more))
    assert fake_slack.posts() == []


def test_a_button_on_an_answer_no_longer_kept_gets_a_polite_note(http_bot, fake_slack, settings):
    gone = {"action_id": UNHELPFUL_ACTION_ID, "type": "button", "value": "999999"}
    garbled = {"action_id": SHOW_MORE_ACTION_ID, "type": "button", "value": "What are the financial implications?"}

    http_bot.interaction(click(gone, fake_slack.response_url("gone")))
    http_bot.interaction(click(garbled, fake_slack.response_url("garbled")))

    (gone_reply,) = fake_slack.wait_for(lambda slack: slack.responses("gone"))
    (garbled_reply,) = fake_slack.wait_for(lambda slack: slack.responses("garbled"))
    assert shown(gone_reply) == shown(garbled_reply) == EXPIRED
    assert stored(settings) == []


def test_clicks_from_a_channel_the_bot_may_not_answer_in_are_refused_and_not_recorded(
    restricted_bot, fake_slack, restricted_settings
):
    answer = answer_in_thread(restricted_bot, fake_slack, CHARTER_QUESTION)
    elsewhere = {"channel": "C0ELSEWHERE", "message": answer}

    restricted_bot.interaction(click(button(answer, UNHELPFUL_ACTION_ID), fake_slack.response_url("vote"), **elsewhere))
    restricted_bot.interaction(click(button(answer, SHOW_MORE_ACTION_ID), fake_slack.response_url("more"), **elsewhere))

    (vote,) = fake_slack.wait_for(lambda slack: slack.responses("vote"))
    (more,) = fake_slack.wait_for(lambda slack: slack.responses("more"))
    assert shown(vote) == shown(more) == REFUSAL
    assert [item.unhelpful_votes for item in stored(restricted_settings)] == [0]
    assert len(fake_slack.posts()) == 1  # only the answer in #policy; nothing more was posted anywhere


def citations(message: dict) -> list[str]:
    return [line for line in shown(message).splitlines() if line.startswith(":page_facing_up:")]
