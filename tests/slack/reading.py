"""Reading messages the way Slack renders them, for assertions on what an officer would see."""

from __future__ import annotations

import re

_MARKUP = re.compile(r"<[^<>]*>")


def texts(message: dict) -> list[str]:
    """Every mrkdwn or plain text Slack would render or notify with: the fallback and each block's texts."""
    found = [message["text"]] if message.get("text") else []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(message.get("blocks", []))
    return found


def shown(message: dict) -> str:
    """The message as an officer reads it: blocks' text with mrkdwn entities decoded and quote markers dropped."""
    lines = []
    for text in texts(message)[1:] if message.get("blocks") else texts(message):
        for line in text.split("\n"):
            lines.append(unescape(line.removeprefix("> ")))
    return "\n".join(lines)


def markup(message: dict) -> list[str]:
    """Every `<…>` sequence Slack would turn into a mention, a ping or a link."""
    return [sequence for text in texts(message) for sequence in _MARKUP.findall(text)]


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
