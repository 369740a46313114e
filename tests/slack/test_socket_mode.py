"""Socket Mode: the bot dials a local Slack's websocket, acks each envelope and answers through the Web API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.serve import SOCKET_MODE_PING_SECONDS, socket_mode_handler
from tests.slack.events import CHANNEL, mention
from tests.slack.fake_socket_mode import FakeSocketMode
from tests.slack.reading import shown

FINANCIAL = "No financial implications have been identified."
LEGAL = "No legal implications have been identified."


@pytest.fixture
def socket_mode(fake_slack) -> Iterator[FakeSocketMode]:
    with FakeSocketMode() as server:
        fake_slack.socket_mode_url = server.url
        yield server


@pytest.fixture
def connected_bot(settings, engine, socket_mode):
    handler = socket_mode_handler(settings, engine)
    handler.connect()
    yield handler
    handler.close()


def test_an_event_over_the_websocket_is_acked_and_answered(connected_bot, socket_mode, fake_slack):
    body = mention("What are the financial implications?")

    envelope_id = socket_mode.send_event(body)

    socket_mode.wait_for(lambda server: any(ack["envelope_id"] == envelope_id for ack in server.acks))
    (post,) = fake_slack.wait_for(lambda slack: slack.posts(channel=CHANNEL))
    assert post["thread_ts"] == body["event"]["ts"]
    assert FINANCIAL in shown(post)
    (connections_open,) = fake_slack.calls("apps.connections.open")
    assert connections_open.ok  # the app token, not the bot token, opened the socket


def test_a_redelivered_envelope_is_acked_but_answered_once(connected_bot, socket_mode, fake_slack):
    body = mention("What are the financial implications?")

    first = socket_mode.send_event(body)
    retry = socket_mode.send_event(body, retry_attempt=1)

    socket_mode.wait_for(lambda server: {first, retry} <= {ack["envelope_id"] for ack in server.acks})
    fake_slack.wait_for(lambda slack: slack.posts(channel=CHANNEL))
    # The repeat was filtered before its ack; one more answer gives a wrongly let-through copy time to show.
    socket_mode.send_event(mention("Who has been consulted?", channel="C0SENTINEL"))
    fake_slack.wait_for(lambda slack: slack.posts(channel="C0SENTINEL"))
    assert len(fake_slack.posts(channel=CHANNEL)) == 1


def test_the_bot_reconnects_when_slack_drops_the_websocket(connected_bot, socket_mode, fake_slack):
    socket_mode.wait_for(lambda server: len(server.connections) == 1)

    socket_mode.drop()
    socket_mode.wait_for(lambda server: len(server.connections) == 2, timeout=SOCKET_MODE_PING_SECONDS + 5)
    envelope_id = socket_mode.send_event(mention("What are the legal implications?"))

    socket_mode.wait_for(lambda server: any(ack["envelope_id"] == envelope_id for ack in server.acks))
    (post,) = fake_slack.wait_for(lambda slack: slack.posts(channel=CHANNEL))
    assert LEGAL in shown(post)
