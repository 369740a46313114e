"""The typed records that flow from the corpus to the index: source text, documents, passages, citations."""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True)
class SourceText:
    """What a reader extracts from one file: its text, where its pages begin, and what it says about itself.

    `page_starts` holds the character offset at which each page begins (page 1 first); it is empty
    for formats without pages (TXT, Markdown, HTML, DOCX), so no page is ever invented.
    """

    text: str
    page_starts: tuple[int, ...] = ()
    title: str | None = None
    date: str | None = None
    url: str | None = None

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding `offset`, or None when the format has no pages."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))


@dataclass(frozen=True)
class Document:
    """One indexed file and what its title block (or the reader) says about it."""

    id: str
    title: str
    path: str
    sha256: str
    date: str | None = None
    meeting: str | None = None
    council: str | None = None
    url: str | None = None
    has_pages: bool = False

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict) -> Document:
        return cls(**data)


@dataclass(frozen=True)
class Passage:
    """A citable piece of a document: one numbered paragraph, a list with its lead-in, or a short run of text.

    `text` is the source text of `spans` with whitespace folded, so it reads as one paragraph even when
    the source broke it across lines or pages; each span is a (start, end) offset pair in the document's
    extracted text. `heading` is the heading path ("Appendix 1 – Implications › Financial").
    """

    id: str
    doc_id: str
    text: str
    spans: tuple[tuple[int, int], ...]
    section: str | None = None
    heading: str = ""
    pages: tuple[int, ...] = ()
    citation: str = ""

    @property
    def page_label(self) -> str | None:
        if not self.pages:
            return None
        first, last = self.pages[0], self.pages[-1]
        return f"p.{first}" if first == last else f"pp.{first}–{last}"

    def to_dict(self) -> dict:
        data = dict(self.__dict__)
        data["spans"] = [list(span) for span in self.spans]
        data["pages"] = list(self.pages)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Passage:
        return cls(
            **{
                **data,
                "spans": tuple(tuple(span) for span in data["spans"]),
                "pages": tuple(data["pages"]),
            }
        )


@dataclass(frozen=True)
class Citation:
    """Where a quote comes from, in the words an officer would use to find it again."""

    title: str
    meeting: str | None = None
    date: str | None = None
    section: str | None = None
    heading: str = ""
    page: str | None = None
    path: str | None = None
    url: str | None = None

    @property
    def label(self) -> str:
        """`Anchor Institutions in Derbyshire and Derby — Cabinet, 13 January 2022, para 4.7, p.2`."""
        where = ", ".join(part for part in (self.meeting, self.date) if part)
        head = f"{self.title} — {where}" if where else self.title
        parts = [head]
        if self.section:
            parts.append(self.section)
        elif self.heading:
            parts.append(self.heading)
        if self.page:
            parts.append(self.page)
        return ", ".join(parts)
