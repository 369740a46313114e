"""The app manifest an admin installs grants what the bot uses: scopes, events, the slash command, Socket Mode."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.settings import Settings

MANIFEST = Path(__file__).resolve().parents[2] / "bot" / "slack_manifest.yml"


def test_the_manifest_grants_what_the_bot_needs_and_no_more():
    manifest = yaml.safe_load(MANIFEST.read_text())

    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "app_mentions:read", "chat:write", "commands", "im:history", "im:read", "im:write"
    }
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im", "app_home_opened"}
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == Settings.model_fields["slash_command"].default
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True  # the Share button
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True  # officers can DM the bot
    assert manifest["features"]["app_home"]["messages_tab_read_only_enabled"] is False
