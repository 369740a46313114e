"""Hybrid retrieval: dense (MiniLM + FAISS) and lexical (BM25) rankings fused by reciprocal rank."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from bot.glossary import Glossary
from ingest.embed import Embedder
from ingest.lexical import tokens
from ingest.passages import contextual_text
from ingest.records import Passage
from ingest.store import Build


@dataclass(frozen=True)
class RetrievalConfig:
    """The retrieval recipe; `policybot eval` compares variants of it (dense only, BM25 only, hybrid...)."""

    dense: bool = True
    lexical: bool = True
    glossary: bool = True
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    rrf_k: int = 10
    candidates: int = 40

    def but(self, **changes) -> RetrievalConfig:
        return replace(self, **changes)


@dataclass(frozen=True)
class Candidate:
    """A passage with the evidence for it: both retrievers' scores and ranks, and the fused score."""

    passage: Passage
    fused: float
    dense: float
    lexical: float
    dense_rank: int | None
    lexical_rank: int | None
    coverage: float


@dataclass(frozen=True)
class Query:
    """A question as the retrievers use it: its stemmed terms, and what the glossary adds to each."""

    text: str
    terms: tuple[str, ...]
    expanded_terms: tuple[str, ...]
    expansions: tuple[str, ...]
    alternatives: dict[str, frozenset[str]]


class Retriever:
    """Searches one loaded build. Stateless between questions, so it is safe to share across threads."""

    def __init__(self, build: Build, embedder: Embedder, glossary: Glossary, config: RetrievalConfig) -> None:
        self.build = build
        self.embedder = embedder
        self.glossary = glossary
        self.config = config
        with_context = build.manifest.chunker.get("context", True)
        self._passage_terms = [
            frozenset(tokens(contextual_text(build.documents[p.doc_id], p, with_context))) for p in build.passages
        ]
        self._document_frequency = _document_frequency(self._passage_terms)

    def prepare(self, question: str) -> Query:
        use_glossary = self.config.glossary
        expansions = tuple(self.glossary.expansions(question)) if use_glossary else ()
        terms = tuple(tokens(question))
        expanded = terms + tuple(dict.fromkeys(t for phrase in expansions for t in tokens(phrase) if t not in terms))
        alternatives = {
            term: frozenset(t for phrase in self.glossary.expansions(term) for t in tokens(phrase))
            for term in terms
            if use_glossary
        }
        return Query(question, terms, expanded, expansions, alternatives)

    def search(self, question: str, limit: int | None = None) -> list[Candidate]:
        """Passages ranked by fused evidence, best first."""
        count = len(self.build.passages)
        if count == 0:
            return []
        query = self.prepare(question)
        depth = min(self.config.candidates, count)
        dense_scores = self._dense_scores(query)
        lexical_scores = self._lexical_scores(query)
        dense_ranks = _ranks(dense_scores, depth) if self.config.dense else {}
        lexical_ranks = _ranks(lexical_scores, depth, positive_only=True) if self.config.lexical else {}
        fused: dict[int, float] = {}
        for row, rank in dense_ranks.items():
            fused[row] = fused.get(row, 0.0) + self.config.dense_weight / (self.config.rrf_k + rank)
        for row, rank in lexical_ranks.items():
            fused[row] = fused.get(row, 0.0) + self.config.lexical_weight / (self.config.rrf_k + rank)
        ordered = sorted(fused, key=lambda row: (-fused[row], -dense_scores[row]))
        return [
            Candidate(
                passage=self.build.passages[row],
                fused=fused[row],
                dense=float(dense_scores[row]),
                lexical=float(lexical_scores[row]),
                dense_rank=dense_ranks.get(row),
                lexical_rank=lexical_ranks.get(row),
                coverage=self.coverage(query, row),
            )
            for row in ordered[: limit or depth]
        ]

    def coverage(self, query: Query, row: int) -> float:
        """Share of the question's information (IDF-weighted terms) that the passage contains.

        A term the corpus never uses weighs most: a question about "overtime" is not answered by a
        passage that shares only "council" with it. A glossary expansion of a term stands in for it.
        """
        if not query.terms:
            return 0.0
        present = self._passage_terms[row]
        total = found = 0.0
        for term in dict.fromkeys(query.terms):
            weight = self._idf(term)
            total += weight
            if term in present or not present.isdisjoint(query.alternatives.get(term, ())):
                found += weight
        return found / total if total else 0.0

    def _idf(self, term: str) -> float:
        documents = len(self._passage_terms)
        frequency = self._document_frequency.get(term, 0)
        return math.log(1 + (documents + 1) / (frequency + 0.5))

    def _dense_scores(self, query: Query) -> np.ndarray:
        # Computed even when dense ranking is switched off: its similarity is evidence for abstention.
        count = len(self.build.passages)
        text = query.text if not query.expansions else f"{query.text} ({', '.join(query.expansions[:6])})"
        vector = self.embedder.embed_one(text).reshape(1, -1)
        scores, rows = self.build.vectors.search(vector, count)
        dense = np.zeros(count, dtype=np.float32)
        dense[rows[0]] = scores[0]
        return dense

    def _lexical_scores(self, query: Query) -> np.ndarray:
        count = len(self.build.passages)
        if not query.expanded_terms:
            return np.zeros(count, dtype=np.float32)
        scores = self.build.lexical.get_scores(list(query.expanded_terms))
        return np.asarray(scores[:count], dtype=np.float32)


def _ranks(scores: np.ndarray, depth: int, positive_only: bool = False) -> dict[int, int]:
    order = np.argsort(-scores, kind="stable")[:depth]
    return {int(row): rank for rank, row in enumerate(order, start=1) if not positive_only or scores[row] > 0}


def _document_frequency(passage_terms: list[frozenset[str]]) -> dict[str, int]:
    frequency: dict[str, int] = {}
    for terms in passage_terms:
        for term in terms:
            frequency[term] = frequency.get(term, 0) + 1
    return frequency
