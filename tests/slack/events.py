"""Payloads shaped like the ones Slack sends: event callbacks, slash commands and block actions."""

from __future__ import annotations

import itertools
import time
import uuid

from tests.slack.fake_slack import BOT_USER_ID, TEAM_ID

OFFICER = "U0OFFICER"
CHANNEL = "C0POLICY"
DM_CHANNEL = "D0OFFICER"

_sequence = itertools.count(1)


def new_ts() -> str:
    """A message timestamp no other test message shares."""
    return f"{int(time.time())}.{next(_sequence):06d}"


def event_callback(event: dict, *, team: str = TEAM_ID, event_id: str | None = None) -> dict:
    return {
        "token": "legacy-verification-token",
        "team_id": team,
        "api_app_id": "A0POLICYBOT",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": team, "user_id": BOT_USER_ID, "is_bot": True, "is_enterprise_install": False}],
    }


def mention(
    question: str, *, channel: str = CHANNEL, user: str = OFFICER, thread_ts: str | None = None, team: str = TEAM_ID
) -> dict:
    """An officer's `@Policy Bot <question>` in a channel, or in a thread when `thread_ts` is given."""
    ts = new_ts()
    event = {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER_ID}> {question}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        "client_msg_id": str(uuid.uuid4()),
        "team": team,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event_callback(event, team=team)


def direct_message(question: str, *, channel: str = DM_CHANNEL, user: str = OFFICER, **extra) -> dict:
    ts = new_ts()
    event = {
        "type": "message",
        "channel_type": "im",
        "user": user,
        "text": question,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        "client_msg_id": str(uuid.uuid4()),
        "team": TEAM_ID,
        **extra,
    }
    return event_callback(event)


def slash_command(
    question: str, response_url: str, *, command: str = "/policy", channel: str = CHANNEL, team: str = TEAM_ID
) -> dict:
    return {
        "token": "legacy-verification-token",
        "team_id": team,
        "team_domain": "council",
        "channel_id": channel,
        "channel_name": "policy",
        "user_id": OFFICER,
        "user_name": "officer",
        "command": command,
        "text": question,
        "api_app_id": "A0POLICYBOT",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": f"{next(_sequence)}.trigger",
    }


def click(
    button: dict,
    response_url: str,
    *,
    channel: str = CHANNEL,
    team: str = TEAM_ID,
    user: str = OFFICER,
    message: dict | None = None,
) -> dict:
    """The block_actions payload Slack sends when `user` presses `button`: on `message` (a message the bot
    posted, with its `ts` and any `thread_ts`), or on an ephemeral message when `message` is None."""
    container = {"type": "message", "message_ts": new_ts(), "channel_id": channel, "is_ephemeral": message is None}
    if message is not None:
        container["message_ts"] = message["ts"]
        if message.get("thread_ts"):
            container["thread_ts"] = message["thread_ts"]
    payload = {
        "type": "block_actions",
        "team": {"id": team, "domain": "council"},
        "user": {"id": user, "username": "officer", "team_id": team},
        "api_app_id": "A0POLICYBOT",
        "token": "legacy-verification-token",
        "container": container,
        "trigger_id": f"{next(_sequence)}.trigger",
        "channel": {"id": channel, "name": "policy"},
        "response_url": response_url,
        "actions": [{**button, "block_id": "answer", "action_ts": new_ts()}],
    }
    if message is not None:
        payload["message"] = {"type": "message", "user": BOT_USER_ID, **message}
    return payload


def share_click(button: dict, response_url: str, *, channel: str = CHANNEL, team: str = TEAM_ID) -> dict:
    """The block_actions payload Slack sends when the officer presses `button` on an ephemeral answer."""
    return click(button, response_url, channel=channel, team=team)


def button(message: dict, action_id: str) -> dict:
    """The button with `action_id` on a message the bot sent; fails if there is none."""
    (found,) = [
        element
        for block in message.get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action_id
    ]
    return found


def buttons(message: dict) -> list[str]:
    """The action ids of every button on a message."""
    return [element["action_id"] for block in message.get("blocks", []) if block["type"] == "actions" for element in block["elements"]]
