"""Missing or malformed Slack configuration: a clear error naming the variable, and a non-zero exit."""

from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.serve import HttpServer, check_settings, socket_mode_handler
from bot.settings import ConfigurationError, load_settings
from tests.slack.conftest import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET


@pytest.mark.parametrize(
    ("http", "given", "named"),
    [
        (False, {"slack_app_token": APP_TOKEN}, "SLACK_BOT_TOKEN"),
        (False, {"slack_bot_token": BOT_TOKEN}, "SLACK_APP_TOKEN"),
        (True, {"slack_bot_token": BOT_TOKEN}, "SLACK_SIGNING_SECRET"),
        (False, {"slack_bot_token": "xoxp-a-user-token", "slack_app_token": APP_TOKEN}, "SLACK_BOT_TOKEN"),
        (False, {"slack_bot_token": BOT_TOKEN, "slack_app_token": BOT_TOKEN}, "SLACK_APP_TOKEN"),
    ],
    ids=["no bot token", "no app token", "http without signing secret", "user token", "bot token as app token"],
)
def test_missing_or_wrong_tokens_are_named(http, given, named):
    with pytest.raises(ConfigurationError, match=named):
        check_settings(load_settings(env_file=None, **given), http=http)


@pytest.mark.parametrize("variable", ["POLICYBOT_ALLOWED_TEAMS", "POLICYBOT_ALLOWED_CHANNELS"])
def test_an_allow_list_of_names_instead_of_ids_is_named(monkeypatch, variable):
    monkeypatch.setenv(variable, "general, T0COUNCIL")

    with pytest.raises(ConfigurationError, match=f"{variable}: .*'general' is not a Slack id"):
        load_settings(env_file=None)


def test_a_bot_token_slack_rejects_is_named(fake_slack, engine):
    settings = load_settings(
        env_file=None, slack_bot_token="xoxb-revoked", slack_signing_secret=SIGNING_SECRET, slack_api_url=fake_slack.url
    )

    with pytest.raises(ConfigurationError, match="SLACK_BOT_TOKEN"):
        HttpServer(settings, engine, "127.0.0.1", 0)


def test_an_unreachable_slack_names_slack_api_url(engine):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        closed_port = unused.getsockname()[1]
    settings = load_settings(
        env_file=None,
        slack_bot_token=BOT_TOKEN,
        slack_app_token=APP_TOKEN,
        slack_api_url=f"http://127.0.0.1:{closed_port}/api/",
    )

    with pytest.raises(ConfigurationError, match="SLACK_API_URL"):
        socket_mode_handler(settings, engine)


def test_serve_without_tokens_exits_non_zero_naming_them():
    result = CliRunner().invoke(main, ["serve"])

    assert result.exit_code != 0
    assert "SLACK_BOT_TOKEN" in result.output and "SLACK_APP_TOKEN" in result.output


def test_serve_http_without_a_signing_secret_exits_non_zero_naming_it(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)

    result = CliRunner().invoke(main, ["serve", "--http", "--port", "8080"])

    assert result.exit_code != 0
    assert "SLACK_SIGNING_SECRET" in result.output
