"""A decision's implications at a glance: find a report's decision record by its name or its topic.

`find_decision` matches the words of a request against each report's title, meeting and date
("anchor institutions" → the Anchor Institutions report); when no title matches and a search is
supplied, it takes the document the engine would quote first for the request as a question
("swimming pool" → the leisure centre report), if that document is a report with a record. The result says plainly when nothing
matches, and which reports have records.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.answer import has_enough_evidence
from ingest.decisions import DecisionRecord, Excerpt
from ingest.lexical import tokens
from ingest.records import Document
from ingest.store import Build

if TYPE_CHECKING:
    from bot.engine import Engine

# Share of the request's content words that a report's title, meeting, date or council must contain:
# "anchor institutions" matches fully, "anchor charter" by half, "cabinet leisure" by half.
TITLE_MATCH = 0.5

TopicSearch = Callable[[str], Sequence[str]]


@dataclass(frozen=True)
class DecisionLookup:
    """What `implications <request>` found: the record, other reports that matched as well, documents
    that matched but are not decision reports, and every report that has a record."""

    query: str
    record: DecisionRecord | None
    also: tuple[DecisionRecord, ...] = ()
    not_reports: tuple[Document, ...] = ()
    available: tuple[DecisionRecord, ...] = ()


def find_decision(query: str, build: Build, topic_search: TopicSearch | None = None) -> DecisionLookup:
    """The decision record `query` names (by title words) or, failing that, is about (via `topic_search`,
    which returns the ids of documents relevant to the query, best first)."""
    available = tuple(sorted(build.decisions.values(), key=lambda record: record.title))
    wanted = set(tokens(query))
    if not wanted:
        return DecisionLookup(query, None, available=available)
    scored = _by_title(wanted, build)
    records = [build.decisions[doc_id] for doc_id in scored if doc_id in build.decisions]
    if records:
        return DecisionLookup(query, records[0], also=tuple(records[1:]), available=available)
    if topic_search is not None and not scored:
        # Only the most relevant document counts: "bus routes" is about the decision list, not the
        # leisure centre report that mentions a bus route in passing.
        relevant = list(topic_search(query))[:1]
        if relevant and relevant[0] in build.decisions:
            return DecisionLookup(query, build.decisions[relevant[0]], available=available)
        scored = relevant
    not_reports = tuple(build.documents[doc_id] for doc_id in scored if doc_id in build.documents)
    return DecisionLookup(query, None, not_reports=not_reports, available=available)


def implications_for(engine: Engine, query: str) -> DecisionLookup:
    """The lookup the Slack command and the CLI use: by title, then by topic over the engine's index."""
    engine.reload_if_changed()
    return find_decision(query, engine.retriever.build, topic_search=lambda text: documents_about(engine, text))


def documents_about(engine: Engine, query: str) -> list[str]:
    """Ids of the documents the engine would quote for `query` as a question, best first."""
    cleaned, _ = engine.clean_question(query)
    found: list[str] = []
    candidates = engine.search(cleaned)
    for candidate, runner_up in zip(candidates, [*candidates[1:], None]):
        if has_enough_evidence(candidate, runner_up) and candidate.passage.doc_id not in found:
            found.append(candidate.passage.doc_id)
    return found


def _by_title(wanted: set[str], build: Build) -> list[str]:
    """Ids of documents whose title, meeting, date or council hold enough of the wanted words, best first
    (most words, then most in the title itself, then the latest file)."""
    ranked = []
    for document in build.documents.values():
        title_words = set(tokens(document.title))
        described = title_words | set(tokens(" ".join(filter(None, (document.meeting, document.date, document.council)))))
        share = len(wanted & described) / len(wanted)
        if share >= TITLE_MATCH:
            ranked.append((share, len(wanted & title_words), document.path, document.id))
    ranked.sort(reverse=True)
    return [doc_id for *_, doc_id in ranked]


def _report_name(record: DecisionRecord) -> str:
    where = ", ".join(part for part in (record.meeting, record.date) if part)
    return f"{record.title} ({where})" if where else record.title


def key_decision_words(record: DecisionRecord) -> str:
    """Whether the report is a key decision, as the Slack and text views both say it."""
    if record.key_decision_excerpt is None:
        return "the report does not say"
    # The report says something about it that is neither a plain yes nor no: its words are quoted.
    return {True: "Yes", False: "No", None: "as quoted below"}[record.key_decision]


def _excerpt_line(excerpt: Excerpt, lead: str | None = None) -> str:
    """`Financial — para 1.1: “…”` over `— citation`, with the passage's own line breaks kept and indented."""
    where = excerpt.paragraph or "text"
    head = f"{lead} — {where}" if lead else where
    body = excerpt.text.replace("\n", "\n    ")
    return f"  {head}: “{body}”\n      — {excerpt.citation}"


def lookup_as_text(lookup: DecisionLookup) -> str:
    """The record quoted and cited paragraph by paragraph, or a plain account of what is available."""
    if lookup.record is None:
        return _not_found_text(lookup)
    record = lookup.record
    lines = [record.title, ", ".join(part for part in (record.meeting, record.date, record.council) if part), ""]
    lines.append(f"Key decision: {key_decision_words(record)}")
    if record.key_decision_excerpt:
        lines.append(_excerpt_line(record.key_decision_excerpt))
    lines += ["", "Recommendations"]
    lines += [_excerpt_line(item) for item in record.recommendations] or ["  (none found in the report)"]
    lines += ["", "Implications"]
    for implication in record.implications:
        lines += [_excerpt_line(paragraph, implication.heading) for paragraph in implication.paragraphs]
    if not record.implications:
        lines.append("  (the report has no implications by heading)")
    lines += ["", "Alternative options considered"]
    lines += [_excerpt_line(item) for item in record.alternatives] or ["  (none found in the report)"]
    if lookup.also:
        lines += ["", "Also matching: " + "; ".join(_report_name(other) for other in lookup.also)]
    return "\n".join(lines)


def _not_found_text(lookup: DecisionLookup) -> str:
    lines = []
    if lookup.query.strip():
        lines.append(f"I have no decision record for “{lookup.query.strip()}”.")
    for document in lookup.not_reports[:1]:
        lines.append(
            f"The closest document, “{document.title}”, is not a decision report, so it has no record of "
            "recommendations and implications."
        )
    if lookup.available:
        lines.append("Decision records are kept for these reports:")
        lines += [f"  • {_report_name(record)}" for record in lookup.available]
    else:
        lines.append("None of the indexed documents is a decision report with recommendations or implications.")
    return "\n".join(lines)


def lookup_as_json(lookup: DecisionLookup) -> dict:
    """The `policybot implications --json` contract: the stored record as it is, plus what else matched."""
    return {
        "query": lookup.query,
        "found": lookup.record is not None,
        "report": lookup.record.to_dict() if lookup.record else None,
        "also_matching": [_summary(record) for record in lookup.also],
        "not_reports": [{"doc_id": document.id, "title": document.title} for document in lookup.not_reports],
        "reports_with_records": [_summary(record) for record in lookup.available],
    }


def _summary(record: DecisionRecord) -> dict:
    return {"doc_id": record.doc_id, "title": record.title, "meeting": record.meeting, "date": record.date}
