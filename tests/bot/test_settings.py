"""Secrets come from the environment or `.env`, which stays private and out of git."""

from __future__ import annotations

import logging

import pytest

from bot.settings import ConfigurationError, load_settings
from tests.conftest import REPO


def test_tokens_are_read_from_a_private_env_file(tmp_path, caplog):
    env = tmp_path / ".env"
    env.write_text("SLACK_BOT_TOKEN=xoxb-from-file\nSLACK_APP_TOKEN=xapp-from-file\nPOLICYBOT_TOP=2\n")
    env.chmod(0o600)
    with caplog.at_level(logging.WARNING):
        settings = load_settings(env_file=env)
    assert (settings.slack_bot_token, settings.slack_app_token, settings.top) == ("xoxb-from-file", "xapp-from-file", 2)
    assert "readable by other users" not in caplog.text


def test_an_env_file_others_can_read_is_warned_about_without_showing_its_secrets(tmp_path, caplog):
    env = tmp_path / ".env"
    env.write_text("SLACK_BOT_TOKEN=xoxb-secret-value\n")
    env.chmod(0o644)
    with caplog.at_level(logging.WARNING):
        load_settings(env_file=env)
    assert f"{env} is readable by other users" in caplog.text and "chmod 600" in caplog.text
    assert "xoxb-secret-value" not in caplog.text


def test_the_environment_wins_over_the_env_file(tmp_path, monkeypatch):
    env = tmp_path / ".env"
    env.write_text("SLACK_BOT_TOKEN=xoxb-from-file\n")
    env.chmod(0o600)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-environment")
    assert load_settings(env_file=env).slack_bot_token == "xoxb-from-environment"


def test_an_unknown_key_in_the_env_file_is_an_error(tmp_path):
    env = tmp_path / ".env"
    env.write_text("POLICYBOT_TOPP=2\n")
    env.chmod(0o600)
    with pytest.raises(ConfigurationError, match="POLICYBOT_TOPP"):
        load_settings(env_file=env)


def test_env_files_are_never_committed():
    ignored = (REPO / ".gitignore").read_text().splitlines()
    assert ".env" in ignored
