"""Block Kit messages for Slack: quoted, cited answers, help, refusals and apologies, within Slack's limits.

Everything that comes from a document or a user goes through `escape`, and every mrkdwn text object is
`verbatim`, so neither a policy document nor a question can ping @channel, mention a user or inject a link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.answer import CANNOT_ANSWER, Answer, Quote
from ingest.records import Citation, Document

MAX_TEXT_CHARS = 3000  # Slack rejects a section text longer than this
MAX_BLOCKS = 50  # Slack rejects a message with more blocks than this
MAX_QUOTES = 3
MAX_BUTTON_VALUE_CHARS = 2000  # Slack's limit on a button's value
PREVIEW_CHARS = 150  # the notification preview; the blocks carry the whole quote
SHARE_ACTION_ID = "share_answer"
QUOTE_PREFIX = "> "
SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
# With at most 3 quotes, each quote gets this many 3,000-character blocks before it is shortened:
# 3 x (12 quote blocks + citation + divider) plus the header blocks stays under MAX_BLOCKS.
MAX_BLOCKS_PER_QUOTE = 12

EXAMPLE_QUESTIONS = (
    "What are the financial implications?",
    "What is Cabinet being asked to agree?",
    "Who has been consulted?",
)
APOLOGY = (
    "Sorry, something went wrong while I was looking that up, and I couldn't answer. "
    "Please try again in a minute; if it keeps happening, tell the policy team."
)
REFUSAL = (
    "Sorry, I'm not set up to answer questions here. "
    "Please ask in a channel where Policy Bot is enabled, or ask the policy team."
)


@dataclass(frozen=True)
class Message:
    """A Slack message: `text` is the fallback shown in notifications, `blocks` what Slack renders."""

    text: str
    blocks: list[dict] = field(default_factory=list)

    def as_kwargs(self) -> dict:
        return {"text": self.text, "blocks": self.blocks}


def escape(text: str) -> str:
    """Escape the three characters Slack treats as markup, so the text shows exactly as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def answer_message(
    answer: Answer, *, asked_by_echo: bool = False, shareable: bool = False, shared_by: str | None = None
) -> Message:
    """The answer as Slack blocks: quotes with citations, or a plain "I couldn't find this" naming what was searched.

    `asked_by_echo` repeats the question, for places where it is not already on screen (a slash
    command, a shared answer); `shareable` adds the "Share in channel" button; `shared_by` is the
    Slack user id of whoever shared it.
    """
    header: list[dict] = []
    if shared_by and SLACK_USER_ID.fullmatch(shared_by):
        header.append(_context(f"Shared by <@{shared_by}>"))
    if asked_by_echo:
        header.append(_context(f"*Question:* {escape(_shorten(answer.question, 500))}"))
    if answer.notice:
        header.append(_context(escape(answer.notice)))
    if answer.answered and answer.quotes:
        body = _quote_blocks(answer.quotes[:MAX_QUOTES])
        text = _preview(answer.quotes[0])
    else:
        body = [_section(escape(CANNOT_ANSWER)), _section(_documents_text("I searched:", answer.searched))]
        text = escape(CANNOT_ANSWER)
    footer = [_share_button(answer.question)] if shareable else []
    return Message(text=text, blocks=header + body + footer)


def help_message(documents: Iterable[Document]) -> Message:
    """What to ask and how: sent for an empty question."""
    examples = "\n".join(f"• {escape(question)}" for question in EXAMPLE_QUESTIONS)
    text = (
        "Ask me a question about the council's policy documents and I'll quote the passages that answer it, "
        "with where to find them. For example:\n" + examples
    )
    return Message(
        text="Ask me a question about the council's policy documents.",
        blocks=[_section(text), _section(_documents_text("I search:", tuple(documents)))],
    )


def refusal_message() -> Message:
    return Message(text=REFUSAL, blocks=[_section(REFUSAL)])


def apology_message() -> Message:
    return Message(text=APOLOGY, blocks=[_section(APOLOGY)])


def home_view(documents: Iterable[Document]) -> dict:
    """The App Home tab: how to ask, and which documents are searched."""
    return {"type": "home", "blocks": help_message(documents).blocks}


def _quote_blocks(quotes: Iterable[Quote]) -> list[dict]:
    blocks: list[dict] = []
    for quote in quotes:
        if blocks:
            blocks.append({"type": "divider"})
        chunks = _split_for_blocks(quote.shown, MAX_TEXT_CHARS)
        blocks.extend(_section(_as_block_quote(chunk)) for chunk in chunks[:MAX_BLOCKS_PER_QUOTE])
        citation = _citation_text(quote.citation)
        if len(chunks) > MAX_BLOCKS_PER_QUOTE:
            citation += " _(quote shortened to fit in Slack; the document has the full passage)_"
        blocks.append(_context(citation))
    return blocks


def _as_block_quote(text: str) -> str:
    return QUOTE_PREFIX + escape(text).replace("\n", "\n" + QUOTE_PREFIX)


def _split_for_blocks(text: str, limit: int) -> list[str]:
    """Split `text` into pieces whose block-quoted, escaped form fits in `limit`, breaking at spaces where possible."""
    pieces = []
    while len(_as_block_quote(text)) > limit:
        cut = _longest_fitting_prefix(text, limit)
        space = text.rfind(" ", 0, cut)
        # Break at a word boundary unless that would waste more than half the block.
        if space > cut // 2:
            cut = space + 1
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return pieces


def _longest_fitting_prefix(text: str, limit: int) -> int:
    size = len(QUOTE_PREFIX)
    for index, char in enumerate(text):
        size += len(escape(char)) + (len(QUOTE_PREFIX) if char == "\n" else 0)
        if size > limit:
            return index
    return len(text)


def _citation_text(citation: Citation) -> str:
    label = escape(citation.label)
    link = _safe_link(citation.url) or _safe_link(citation.path)
    if link:
        return f":page_facing_up: <{link}|{label}>"
    if citation.path:
        return f":page_facing_up: {label} · {_code(citation.path)}"
    return f":page_facing_up: {label}"


def _safe_link(target: str | None) -> str | None:
    """A URL usable inside Slack's `<url|label>`, or None for anything that is not plain http(s)."""
    if not target or not target.startswith(("https://", "http://")):
        return None
    return escape(target).replace("|", "%7C").replace(" ", "%20")


def _code(text: str) -> str:
    # A backtick inside would end the code span early, so such a path is shown as plain text.
    return escape(text) if "`" in text else f"`{escape(text)}`"


def _preview(quote: Quote) -> str:
    return f"{escape(quote.citation.label)}: “{escape(_shorten(quote.shown, PREVIEW_CHARS))}”"


def _documents_text(lead: str, documents: tuple[Document, ...]) -> str:
    if not documents:
        return f"{lead} no documents yet; the policy team needs to add some."
    lines = [lead]
    room = MAX_TEXT_CHARS - len(lead) - 40  # leave space for the "…and N more" line
    for shown, document in enumerate(documents):
        line = "• " + escape(_document_name(document))
        room -= len(line) + 1
        if room < 0:
            lines.append(f"…and {len(documents) - shown} more")
            break
        lines.append(line)
    return "\n".join(lines)


def _document_name(document: Document) -> str:
    when = ", ".join(part for part in (document.meeting, document.date) if part)
    return f"{document.title} ({when})" if when else document.title


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _share_button(question: str) -> dict:
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": SHARE_ACTION_ID,
                "text": {"type": "plain_text", "text": "Share in channel"},
                "value": question[:MAX_BUTTON_VALUE_CHARS],
            }
        ],
    }


def _section(mrkdwn: str) -> dict:
    return {"type": "section", "text": _mrkdwn(mrkdwn)}


def _context(mrkdwn: str) -> dict:
    return {"type": "context", "elements": [_mrkdwn(mrkdwn)]}


def _mrkdwn(text: str) -> dict:
    # verbatim stops Slack's own auto-linking of names and mentions in what we pass through.
    return {"type": "mrkdwn", "text": text, "verbatim": True}
