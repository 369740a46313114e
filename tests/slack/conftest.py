"""The real bot on loopback, talking to a fake Slack: fixtures for the Slack scenario tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bot.serve import HttpServer
from bot.settings import Settings, load_settings
from tests.slack.events import CHANNEL
from tests.slack.fake_slack import TEAM_ID, FakeSlack
from tests.slack.signed_requests import SlackSender

BOT_TOKEN = "xoxb-test-bot-token-0000000000"
APP_TOKEN = "xapp-1-test-app-token-0000000000"
SIGNING_SECRET = "test-signing-secret-0123456789abcdef"


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN) as slack:
        yield slack


@pytest.fixture
def settings(fake_slack: FakeSlack, tmp_path) -> Settings:
    """Settings as an admin would write them in .env, pointing the bot at the fake Slack (never a real .env)
    and keeping its feedback database in the test's own folder."""
    return load_settings(
        env_file=None,
        slack_bot_token=BOT_TOKEN,
        slack_app_token=APP_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.url,
        db_path=tmp_path / "feedback.sqlite3",
    )


@contextmanager
def running_http_bot(settings: Settings, engine) -> Iterator[SlackSender]:
    """The bot served by waitress on a free port; yields a sender that signs requests as Slack does."""
    server = HttpServer(settings, engine, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, name="policybot-http", daemon=True)
    thread.start()
    try:
        yield SlackSender(f"http://127.0.0.1:{server.port}", settings.slack_signing_secret)
    finally:
        server.stop()
        thread.join(timeout=10)


@pytest.fixture
def http_bot(settings: Settings, engine) -> Iterator[SlackSender]:
    with running_http_bot(settings, engine) as sender:
        yield sender


@pytest.fixture
def restricted_settings(settings: Settings) -> Settings:
    """The council's workspace only, and in channels only #policy."""
    return settings.model_copy(update={"allowed_teams": frozenset({TEAM_ID}), "allowed_channels": frozenset({CHANNEL})})


@pytest.fixture
def restricted_bot(restricted_settings: Settings, engine) -> Iterator[SlackSender]:
    """A bot allowed to answer only the council's workspace, and in channels only in #policy."""
    with running_http_bot(restricted_settings, engine) as sender:
        yield sender
