"""Block Kit messages for Slack: quoted, cited answers, help, refusals and apologies, within Slack's limits.

Everything that comes from a document or a user goes through `escape`, and every mrkdwn text object is
`verbatim`, so neither a policy document nor a question can ping @channel, mention a user or inject a link.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.answer import CANNOT_ANSWER, Answer, Quote
from ingest.records import Citation, Document

if TYPE_CHECKING:
    from bot.implications import DecisionLookup
    from bot.sources import Source
    from ingest.decisions import Excerpt

MAX_TEXT_CHARS = 3000  # Slack rejects a section text longer than this
MAX_BLOCKS = 50  # Slack rejects a message with more blocks than this
MAX_QUOTES = 3
MAX_BUTTON_VALUE_CHARS = 2000  # Slack's limit on a button's value
# A thread's question carried by "Show more": JSON escaping at most doubles a character, so this fits.
FOLLOW_UP_IN_BUTTON_CHARS = 900
PREVIEW_CHARS = 150  # the notification preview; the blocks carry the whole quote
SHARE_ACTION_ID = "share_answer"
HELPFUL_ACTION_ID = "feedback_helpful"
UNHELPFUL_ACTION_ID = "feedback_unhelpful"
SHOW_MORE_ACTION_ID = "show_more"
QUOTE_PREFIX = "> "
SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
# With at most 3 quotes, each quote gets this many 3,000-character blocks before it is shortened:
# 3 x (12 quote blocks + citation + divider) plus the header blocks stays under MAX_BLOCKS.
MAX_BLOCKS_PER_QUOTE = 12
MAX_BLOCKS_PER_EXCERPT = 3  # an implications paragraph is short; a longer one is shortened and cited
MAX_HOME_BLOCKS = 100  # Slack rejects a Home view with more blocks than this

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
THANKS = "Thanks — noted."
THANKS_UNHELPFUL = (
    "Thanks — noted. The policy team reviews the questions the documents didn't answer well, "
    "so they can add or clarify what's missing."
)
EXPIRED = (
    "Sorry, that answer is too old for me to act on now (I only keep answers for a while). "
    "Please ask the question again."
)
NOTHING_MORE = "That's everything: the documents hold no further passages on this question."
INTRODUCTION = (
    "I answer questions about the council's policy documents by quoting them word for word, with where "
    "each passage comes from. I don't paraphrase, and when the documents don't cover something I say so."
)


@dataclass(frozen=True)
class AnswerActions:
    """The buttons under an answer. 👍/👎 carry the stored answer's id; so does "Share in channel", so the
    channel sees the question re-answered from the index, never text from the button; "Show more"
    carries `show_more` (see `show_more_value`), or is left off when nothing more is likely."""

    answer_id: int
    show_more: str | None = None
    share: bool = False


def show_more_value(answer_id: int, follow_up_to: str | None = None) -> str:
    """The "Show more" button's value: the answer to continue and, in a thread, the question that opened it,
    so the next passages are ranked exactly as the first ones were."""
    value: dict = {"answer": answer_id}
    if follow_up_to:
        value["follow_up_to"] = follow_up_to[:FOLLOW_UP_IN_BUTTON_CHARS]
    return json.dumps(value, ensure_ascii=False)


def parse_show_more_value(value: str) -> tuple[int, str | None]:
    """The answer id and thread question a "Show more" button carries; ValueError for anything else."""
    try:
        data = json.loads(value)
        return int(data["answer"]), data.get("follow_up_to") or None
    except (TypeError, KeyError, json.JSONDecodeError) as error:
        raise ValueError(f"not a Show more value: {value[:100]!r}") from error


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
    answer: Answer,
    *,
    asked_by_echo: bool = False,
    shared_by: str | None = None,
    actions: AnswerActions | None = None,
    continued: bool = False,
) -> Message:
    """The answer as Slack blocks: quotes with citations, or a plain "I couldn't find this" naming what was searched.

    `asked_by_echo` repeats the question, for places where it is not already on screen (a slash
    command, a shared answer); `shared_by` is the Slack user id of whoever shared it; `actions` are
    the buttons (an abstention gets none); `continued` marks the further passages of "Show more".
    """
    header: list[dict] = []
    if shared_by and SLACK_USER_ID.fullmatch(shared_by):
        header.append(_context(f"Shared by <@{shared_by}>"))
    if asked_by_echo:
        header.append(_context(f"*Question:* {escape(_shorten(answer.question, 500))}"))
    if continued:
        header.append(_context("*More passages* on this question:"))
    if answer.notice:
        header.append(_context(escape(answer.notice)))
    if answer.answered and answer.quotes:
        body = _quote_blocks(answer.quotes[:MAX_QUOTES])
        text = _preview(answer.quotes[0])
    else:
        body = [_section(escape(CANNOT_ANSWER)), _section(_documents_text("I searched:", answer.searched))]
        text = escape(CANNOT_ANSWER)
    footer = [_action_buttons(actions)] if actions and answer.answered and answer.quotes else []
    return Message(text=text, blocks=header + body + footer)


def help_message(documents: Iterable[Document], command: str | None = None) -> Message:
    """What to ask and how: sent for an empty question; with the slash `command`, its other uses too."""
    examples = "\n".join(f"• {escape(question)}" for question in EXAMPLE_QUESTIONS)
    text = (
        "Ask me a question about the council's policy documents and I'll quote the passages that answer it, "
        "with where to find them. For example:\n" + examples
    )
    blocks = [_section(text)]
    if command:
        blocks.append(_section(_command_help(command)))
    blocks.append(_section(_documents_text("I search:", tuple(documents))))
    return Message(text="Ask me a question about the council's policy documents.", blocks=blocks)


def thanks_message(helpful: bool) -> Message:
    text = THANKS if helpful else THANKS_UNHELPFUL
    return Message(text=text, blocks=[_section(text)])


def expired_message() -> Message:
    return Message(text=EXPIRED, blocks=[_section(EXPIRED)])


def nothing_more_message() -> Message:
    return Message(text=NOTHING_MORE, blocks=[_section(NOTHING_MORE)])


def sources_message(sources: Sequence[Source]) -> Message:
    """`/policy sources`: the indexed documents with their dates and passage counts."""
    lead = f"*The documents I search* ({_count(len(sources), 'document')}):"
    blocks = [_section(lead)] + _sources_sections(sources, MAX_BLOCKS - 1)
    return Message(text=f"Policy Bot searches {_count(len(sources), 'document')}.", blocks=blocks)


def digest_message(digest: str) -> Message:
    """The weekly gap digest (plain text from `bot.gaps`), escaped, within one block's limit."""
    text = escape(digest)
    if len(text) > MAX_TEXT_CHARS:
        text = text[: MAX_TEXT_CHARS - 1] + "…"
    return Message(text=_shorten(text, PREVIEW_CHARS), blocks=[_section(text)])


def refusal_message() -> Message:
    return Message(text=REFUSAL, blocks=[_section(REFUSAL)])


def apology_message() -> Message:
    return Message(text=APOLOGY, blocks=[_section(APOLOGY)])


def home_view(sources: Sequence[Source], command: str = "/policy") -> dict:
    """The App Home tab: what Policy Bot is, how to ask, example questions, and every document it covers."""
    examples = "\n".join(f"• {escape(question)}" for question in EXAMPLE_QUESTIONS)
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Policy Bot", "emoji": True}},
        _section(INTRODUCTION),
        _section(_command_help(command)),
        _section("*For example*\n" + examples),
        _context("Under each answer, :+1: or :-1: tells the policy team what the documents answer well and what to add."),
        {"type": "divider"},
        _section(f"*What I cover* ({_count(len(sources), 'document')})"),
    ]
    blocks += _sources_sections(sources, MAX_HOME_BLOCKS - len(blocks))
    return {"type": "home", "blocks": blocks}


def implications_message(lookup: DecisionLookup) -> Message:
    """`/policy implications`: the decision record quoted and cited paragraph by paragraph, or what is available."""
    from bot.implications import key_decision_words, lookup_as_text

    asked = _context(f"*Implications:* {escape(_shorten(lookup.query, 500))}")
    record = lookup.record
    if record is None:
        text = escape(lookup_as_text(lookup))
        chunks = [text[i : i + MAX_TEXT_CHARS] for i in range(0, len(text), MAX_TEXT_CHARS)][: MAX_BLOCKS - 1]
        return Message(text=_shorten(text, PREVIEW_CHARS), blocks=[asked] + [_section(chunk) for chunk in chunks])
    where = ", ".join(part for part in (record.meeting, record.date, record.council) if part)
    parts: list[list[dict]] = [[asked, _section(f"*{escape(record.title)}*" + (f"\n{escape(where)}" if where else ""))]]
    parts.append([_section(f"*Key decision:* {key_decision_words(record)}")])
    if record.key_decision_excerpt:
        parts.append(_excerpt_blocks(record.key_decision_excerpt))
    parts.append([_section("*Recommendations*" + ("" if record.recommendations else "\n_None found in the report._"))])
    parts += [_excerpt_blocks(item) for item in record.recommendations]
    parts.append([_section("*Implications*" + ("" if record.implications else "\n_The report has none by heading._"))])
    parts += [_excerpt_blocks(item, implication.heading) for implication in record.implications for item in implication.paragraphs]
    parts.append([_section("*Alternative options considered*" + ("" if record.alternatives else "\n_None found in the report._"))])
    parts += [_excerpt_blocks(item) for item in record.alternatives]
    if lookup.also:
        names = "; ".join(escape(_document_name_parts(other.title, other.meeting, other.date)) for other in lookup.also)
        parts.append([_context(f"Also matching: {names}. Name the report more fully to see another.")])
    return Message(text=f"Implications of “{escape(_shorten(record.title, PREVIEW_CHARS))}”", blocks=_fit(parts))


def _fit(parts: list[list[dict]]) -> list[dict]:
    """Whole parts (a heading, an excerpt with its citation) up to Slack's block limit, saying when some are left out."""
    blocks: list[dict] = []
    for number, part in enumerate(parts):
        if len(blocks) + len(part) > MAX_BLOCKS - 1:
            blocks.append(_context(f"…{len(parts) - number} more part(s) of the record don't fit in one Slack message; the report has them all."))
            break
        blocks += part
    return blocks


def _excerpt_blocks(excerpt: Excerpt, heading: str | None = None) -> list[dict]:
    """One paragraph of a decision record: `*Financial — para 1.1*` over the verbatim text, then its citation."""
    where = excerpt.paragraph or "text"
    lead = f"*{escape(f'{heading} — {where}' if heading else where)}*\n"
    chunks = _split_for_blocks(excerpt.text, MAX_TEXT_CHARS - len(lead))
    blocks = [_section(lead + _as_block_quote(chunks[0]))]
    blocks += [_section(_as_block_quote(chunk)) for chunk in chunks[1:MAX_BLOCKS_PER_EXCERPT]]
    citation = f":page_facing_up: {escape(excerpt.citation)}"
    if len(chunks) > MAX_BLOCKS_PER_EXCERPT:
        citation += " _(shortened to fit in Slack; the report has the full paragraph)_"
    return blocks + [_context(citation)]


def _command_help(command: str) -> str:
    slash = escape(command)
    return (
        "*How to ask*\n"
        "• Mention me in a channel: `@Policy Bot what are the financial implications?` I answer in the thread, "
        "and a reply there that mentions me is read as a follow-up.\n"
        "• Send me a direct message.\n"
        f"• Type `{slash} your question` anywhere: only you see the answer, and you can share it in the channel.\n"
        f"• `{slash} implications report or topic`: a cabinet report's recommendations, key decision, "
        "implications and alternative options, paragraph by paragraph.\n"
        f"• `{slash} sources`: the documents I search. `{slash} help`: how to ask."
    )


def _sources_sections(sources: Sequence[Source], max_blocks: int) -> list[dict]:
    """The documents as bullet lines packed into sections, within `max_blocks` and each block's limit."""
    if not sources:
        return [_section("No documents yet; the policy team needs to add some.")]
    sections: list[list[str]] = [[]]
    for shown, source in enumerate(sources):
        line = _source_line(source)
        if sum(len(item) + 1 for item in sections[-1]) + len(line) > MAX_TEXT_CHARS:
            if len(sections) == max_blocks:
                sections[-1][-1] = f"…and {len(sources) - shown + 1} more"
                break
            sections.append([])
        sections[-1].append(line)
    return [_section("\n".join(lines)) for lines in sections]


def _source_line(source: Source) -> str:
    document = source.document
    link = _safe_link(document.url)
    title = f"<{link}|{escape(document.title)}>" if link else f"*{escape(document.title)}*"
    when = ", ".join(part for part in (document.meeting, document.date or "undated") if part)
    line = f"• {title} — {escape(when)} — {_count(source.passages, 'passage')}"
    if source.has_decision_record:
        line += " · implications at a glance"
    return _shorten(line, MAX_TEXT_CHARS)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


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
    return _document_name_parts(document.title, document.meeting, document.date)


def _document_name_parts(title: str, meeting: str | None, date: str | None) -> str:
    when = ", ".join(part for part in (meeting, date) if part)
    return f"{title} ({when})" if when else title


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _action_buttons(actions: AnswerActions) -> dict:
    answer_id = str(actions.answer_id)
    buttons = [
        _button(HELPFUL_ACTION_ID, "👍 Helpful", answer_id),
        _button(UNHELPFUL_ACTION_ID, "👎 Not helpful", answer_id),
    ]
    if actions.show_more:
        buttons.append(_button(SHOW_MORE_ACTION_ID, "Show more", actions.show_more))
    if actions.share:
        buttons.append(_button(SHARE_ACTION_ID, "Share in channel", answer_id))
    return {"type": "actions", "block_id": f"answer-{answer_id}", "elements": buttons}


def _button(action_id: str, label: str, value: str) -> dict:
    return {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "value": value[:MAX_BUTTON_VALUE_CHARS],
    }


def _section(mrkdwn: str) -> dict:
    return {"type": "section", "text": _mrkdwn(mrkdwn)}


def _context(mrkdwn: str) -> dict:
    return {"type": "context", "elements": [_mrkdwn(mrkdwn)]}


def _mrkdwn(text: str) -> dict:
    # verbatim stops Slack's own auto-linking of names and mentions in what we pass through.
    return {"type": "mrkdwn", "text": text, "verbatim": True}
