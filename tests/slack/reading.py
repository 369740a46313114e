"""Reading messages the way Slack renders them, for assertions on what an officer would see."""

from __future__ import annotations

import re

_MARKUP = re.compile(r"<[^<>]*>")


def texts(message: dict) -> list[str]:
    """Every mrkdwn or plain text Slack would render or notify with: the fallback and each block's texts."""
    return ([message["text"]] if message.get("text") else []) + block_texts(message.get("blocks", []))


def block_texts(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["text"]] if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str) else []
        return own + [text for value in node.values() for text in block_texts(value)]
    if isinstance(node, list):
        return [text for value in node for text in block_texts(value)]
    return []


def shown(message: dict) -> str:
    """The message as an officer reads it: the blocks (or, without blocks, the text), entities decoded, no quote marks."""
    rendered = block_texts(message["blocks"]) if message.get("blocks") else [message.get("text", "")]
    return "\n".join(unescape(line.removeprefix("> ")) for text in rendered for line in text.split("\n"))


def markup(message: dict) -> list[str]:
    """Every `<…>` sequence Slack would turn into a mention, a ping or a link."""
    return [sequence for text in texts(message) for sequence in _MARKUP.findall(text)]


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
