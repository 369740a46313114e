"""Answers for the terminal and for machines: plain text for people, the stable JSON contract for tools."""

from __future__ import annotations

import textwrap

from bot.answer import CANNOT_ANSWER, Answer
from ingest.records import Document


def documents_searched(documents: tuple[Document, ...]) -> list[str]:
    return [f"{d.title} ({d.date})" if d.date else d.title for d in documents]


def answer_as_text(answer: Answer) -> str:
    lines = []
    if answer.notice:
        lines.append(f"({answer.notice})")
    if not answer.answered:
        lines.append(CANNOT_ANSWER)
        searched = documents_searched(answer.searched)
        lines.append("I searched: " + ("; ".join(searched) if searched else "no documents (the index is empty)") + ".")
        return "\n".join(lines)
    for quote in answer.quotes:
        body = "\n".join(textwrap.fill(part, 96) for part in quote.shown.split("\n"))
        lines.append(textwrap.indent(f"“{body}”", "  "))
        lines.append(f"    — {quote.citation.label}")
        lines.append("")
    return "\n".join(lines).rstrip()


def answer_as_json(answer: Answer) -> dict:
    """The `policybot ask --json` contract: keep these keys stable, tools depend on them."""
    return {
        "question": answer.question,
        "answered": answer.answered,
        "results": [
            {
                "rank": quote.rank,
                "score": quote.score,
                "text": quote.passage.text,
                "quote": quote.shown,
                "citation": quote.citation.label,
                "doc": {
                    "id": quote.document.id,
                    "title": quote.document.title,
                    "path": quote.document.path,
                    "date": quote.document.date,
                },
                "section": quote.passage.section,
                "heading": quote.passage.heading,
                "page": quote.passage.pages[0] if quote.passage.pages else None,
                "pages": list(quote.passage.pages),
            }
            for quote in answer.quotes
        ],
        "message": None if answer.answered else CANNOT_ANSWER,
        "searched": [] if answer.answered else [d.title for d in answer.searched],
        "notice": answer.notice,
    }
