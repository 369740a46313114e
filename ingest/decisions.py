"""A cabinet report's decision at a glance: recommendations, key decision, implications, alternatives.

Council reports put these in sections with recognisable headings ("10. Recommendation(s)",
"2. Key Decision", "Appendix 1 – Implications › Financial", "6. Alternative Options Considered")
or in a title-block field ("Key decision: Yes – Forward Plan reference …"). The record is read off
the passages' heading paths, so every item in it is verbatim text of one passage, with that
passage's paragraph number and citation. Documents that are not decision reports (minutes,
guidance, charters) get no record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.passages import section_label
from ingest.records import Document, Passage

_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?\s+")
_APPENDIX_PREFIX = re.compile(r"^(?:Appendix|Annex|Schedule)\s+[A-Z0-9]{1,3}\s*[–:-]?\s*", re.IGNORECASE)
_RECOMMENDATIONS = re.compile(r"^(?:officers?'? )?recommendations?(?:\s*\(s\))?(?: (?:to|for) [\w ]+)?$", re.IGNORECASE)
_KEY_DECISION = re.compile(r"^(?:key decision|is (?:this|it) a key decision)\??$", re.IGNORECASE)
_ALTERNATIVES = re.compile(
    r"^(?:(?:other |alternative )?options? (?:considered|appraisal)|alternatives?(?: options?)? considered)"
    r"(?: and rejected)?$",
    re.IGNORECASE,
)
_IMPLICATIONS = re.compile(r"^implications(?: of (?:the|this) (?:decision|report|proposal))?$", re.IGNORECASE)
_NAMED_IMPLICATIONS = re.compile(r"^(.{2,40}?) implications$", re.IGNORECASE)
_KEY_DECISION_FIELD = re.compile(r"^[\s*_•-]*key decision[\s*_]*:[\s*_]*(?P<value>\S.*?)[\s*_]*$", re.IGNORECASE | re.MULTILINE)
_NOT_KEY = re.compile(r"^(?:no\b|not\b)|\bnot a key decision\b", re.IGNORECASE)
_IS_KEY = re.compile(r"^yes\b|\bis a key decision\b", re.IGNORECASE)

# A report is a decision report when at least this many of its four parts are found: one part alone
# (a "Key decision: Yes" line in a decision list, a "Recommendations" heading in guidance) is not enough.
MIN_PARTS = 2


@dataclass(frozen=True)
class Excerpt:
    """Verbatim text of one passage (all of it, or the part that answers), and where it is."""

    text: str
    passage_id: str
    section: str | None  # the paragraph number as printed: "1.1", "10"
    where: str | None  # "Appendix 1, para 1.1", "section 10", "title page"
    citation: str

    @property
    def paragraph(self) -> str | None:
        """'para 1.1' within its own part of the report; the appendix is in the citation."""
        if self.section and "." in self.section:
            return f"para {self.section}"
        return self.where

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict) -> Excerpt:
        return cls(**data)


@dataclass(frozen=True)
class Implication:
    """One implications heading (Financial, Legal, …) and its paragraphs."""

    heading: str
    paragraphs: tuple[Excerpt, ...]

    def to_dict(self) -> dict:
        return {"heading": self.heading, "paragraphs": [item.to_dict() for item in self.paragraphs]}

    @classmethod
    def from_dict(cls, data: dict) -> Implication:
        return cls(data["heading"], tuple(Excerpt.from_dict(item) for item in data["paragraphs"]))


@dataclass(frozen=True)
class DecisionRecord:
    """What a cabinet report asks for and what it says follows from it. `key_decision` is None when the
    report says nothing recognisable about it."""

    doc_id: str
    title: str
    meeting: str | None
    date: str | None
    council: str | None
    recommendations: tuple[Excerpt, ...] = ()
    key_decision: bool | None = None
    key_decision_excerpt: Excerpt | None = None
    implications: tuple[Implication, ...] = ()
    alternatives: tuple[Excerpt, ...] = ()

    def to_dict(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "meeting": self.meeting,
            "date": self.date,
            "council": self.council,
            "recommendations": [item.to_dict() for item in self.recommendations],
            "key_decision": self.key_decision,
            "key_decision_excerpt": self.key_decision_excerpt.to_dict() if self.key_decision_excerpt else None,
            "implications": [item.to_dict() for item in self.implications],
            "alternatives": [item.to_dict() for item in self.alternatives],
        }

    @classmethod
    def from_dict(cls, data: dict) -> DecisionRecord:
        excerpt = data.get("key_decision_excerpt")
        return cls(
            doc_id=data["doc_id"],
            title=data["title"],
            meeting=data.get("meeting"),
            date=data.get("date"),
            council=data.get("council"),
            recommendations=tuple(Excerpt.from_dict(item) for item in data.get("recommendations", ())),
            key_decision=data.get("key_decision"),
            key_decision_excerpt=Excerpt.from_dict(excerpt) if excerpt else None,
            implications=tuple(Implication.from_dict(item) for item in data.get("implications", ())),
            alternatives=tuple(Excerpt.from_dict(item) for item in data.get("alternatives", ())),
        )


def extract_decision(document: Document, passages: Iterable[Passage]) -> DecisionRecord | None:
    """The decision record of a cabinet-style report, or None for any other document."""
    own = [passage for passage in passages if passage.doc_id == document.id]
    recommendations = tuple(_excerpt(p) for p in own if _under(p, _RECOMMENDATIONS))
    alternatives = tuple(_excerpt(p) for p in own if _under(p, _ALTERNATIVES))
    implications = _implications(own)
    key_excerpt = _key_decision(own)
    found = sum(bool(part) for part in (recommendations, alternatives, implications, key_excerpt))
    if found < MIN_PARTS:
        return None
    return DecisionRecord(
        doc_id=document.id,
        title=document.title,
        meeting=document.meeting,
        date=document.date,
        council=document.council,
        recommendations=recommendations,
        key_decision=_is_key(key_excerpt.text) if key_excerpt else None,
        key_decision_excerpt=key_excerpt,
        implications=implications,
        alternatives=alternatives,
    )


def extract_decisions(documents: Iterable[Document], passages: list[Passage]) -> list[DecisionRecord]:
    """The record of every decision report among `documents`, in their order."""
    return [record for document in documents if (record := extract_decision(document, passages)) is not None]


def heading_name(heading: str) -> str:
    """'10. Recommendation(s)' -> 'Recommendation(s)'; 'Appendix 1 – Implications' -> 'Implications'."""
    return _APPENDIX_PREFIX.sub("", _NUMBER.sub("", heading.strip())).strip()


def _headings(passage: Passage) -> list[str]:
    return [heading_name(part) for part in passage.heading.split(" › ")] if passage.heading else []


def _under(passage: Passage, pattern: re.Pattern) -> bool:
    return any(pattern.match(name) for name in _headings(passage))


def _implications(passages: list[Passage]) -> tuple[Implication, ...]:
    """Paragraphs under a heading inside an "Implications" section or appendix ("… › Financial"), or under a
    heading of their own ("Financial Implications"), grouped by that heading in document order. A bare
    "Implications" paragraph ("Appendix 1 sets out the implications") names no heading and is left out."""
    grouped: dict[str, list[Excerpt]] = {}
    for passage in passages:
        name = _implication_heading(_headings(passage))
        if name:
            grouped.setdefault(name, []).append(_excerpt(passage))
    return tuple(Implication(name, tuple(items)) for name, items in grouped.items())


def _implication_heading(names: list[str]) -> str | None:
    for position, name in enumerate(names):
        if _IMPLICATIONS.match(name) and position + 1 < len(names):
            return _without_implications(names[position + 1])
        if match := _NAMED_IMPLICATIONS.match(name):
            return match.group(1).strip()
    return None


def _without_implications(name: str) -> str:
    match = _NAMED_IMPLICATIONS.match(name)
    return match.group(1).strip() if match else name


def _key_decision(passages: list[Passage]) -> Excerpt | None:
    """The "Key Decision" section's first paragraph, else the value of a "Key decision:" field."""
    for passage in passages:
        if _under(passage, _KEY_DECISION):
            return _excerpt(passage)
    for passage in passages:
        if match := _KEY_DECISION_FIELD.search(passage.text):
            return _excerpt(passage, match.group("value"))
    return None


def _is_key(text: str) -> bool | None:
    text = text.strip()
    if _NOT_KEY.search(text):
        return False
    if _IS_KEY.search(text):
        return True
    return None


def _excerpt(passage: Passage, text: str | None = None) -> Excerpt:
    return Excerpt(
        text=passage.text if text is None else text,
        passage_id=passage.id,
        section=passage.section,
        where=section_label(passage),
        citation=passage.citation,
    )
