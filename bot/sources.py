"""What Policy Bot covers: the indexed documents, with their dates, passage counts and decision records."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ingest.records import Document
from ingest.store import Build


@dataclass(frozen=True)
class Source:
    """One indexed document as the Home tab, `/policy sources` and `policybot sources` list it."""

    document: Document
    passages: int
    has_decision_record: bool  # `implications` can show its recommendations and implications


def indexed_sources(build: Build) -> tuple[Source, ...]:
    """Every document in the build, by title."""
    counts = Counter(passage.doc_id for passage in build.passages)
    return tuple(
        Source(document, counts[document.id], document.id in build.decisions)
        for document in sorted(build.documents.values(), key=lambda document: document.title)
    )
