"""Answers: the quoted, cited passages for a question, or an honest "the documents don't cover this".

Everything shown to an officer is verbatim from a passage; `verify_verbatim` enforces it.
The abstention message and the evidence thresholds behind it live here and nowhere else.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.retrieve import Candidate
from ingest.lexical import tokens
from ingest.passages import cite
from ingest.records import Citation, Document, Passage
from ingest.text import sentence_spans, word_count

CANNOT_ANSWER = "I couldn't find this in the documents I search, so I won't quote anything that might mislead."

# Evidence needed before quoting. A passage that lacks what the question asks for (its year, the kind of fact, the
# verb, the body or the kind of implications named) is never quoted. Otherwise the evidence below is weighed by a
# logistic model, each weight per unit of its feature, fitted with tests/eval/calibrate_abstention.py on the
# evaluation sets that were read and tuned on (see tests/eval/README.md), and quoted when the chance that the
# question is answerable reaches ANSWER_PROBABILITY. The threshold trades honest abstentions against wrong ones:
# at 0.45 the sets not fitted on declined 5 to 19 points more of their unanswerable questions than under the
# hand-set thresholds it replaced, and 2 to 3 points more of their answerable ones. The weights are read
# together, not one by one: coverage, missing terms and the rarest missing word overlap, so a weight's sign alone
# says little.
EVIDENCE_BIAS = -4.2665
EVIDENCE_WEIGHTS = {
    "dense": 6.4401,
    "coverage": 6.2386,
    "dense x coverage": -5.5477,
    "missing focus": -0.8381,
    "names heading": 0.2966,
    "lead": 4.9750,
    "asks kind": -0.6525,
    "asks focus": -0.9757,
    "missing weight": 0.1273,
    "missing terms": -0.4240,
    "unknown terms": 0.5692,
}
ANSWER_PROBABILITY = 0.45
# Below this similarity a passage is not about the question whatever words it shares: in the evaluation sets, 7
# of the 8 best passages this unlike the question were for questions nothing answers.
DENSE_FLOOR = 0.15

# A trimmed quote's words at most. Top quotes average about 48 words over the eval sets (the target is 60 on
# average); a cap of 60 left the expected text out of 2% more of them.
QUOTE_MAX_WORDS = 65
ELLIPSIS = "…"
NEAR_DUPLICATE = 0.8


class QuoteNotVerbatim(AssertionError):
    """A quote that is not a substring of its passage: a bug, never shown to anyone."""


@dataclass(frozen=True)
class Quote:
    """One retrieved passage as shown to the asker: `shown` is verbatim from `passage.text`."""

    rank: int
    score: float
    passage: Passage
    document: Document
    shown: str
    citation: Citation


@dataclass(frozen=True)
class Answer:
    """What the bot says to one question. `searched` names the documents when it abstains."""

    question: str
    answered: bool
    quotes: tuple[Quote, ...] = ()
    searched: tuple[Document, ...] = ()
    notice: str | None = None


def evidence_features(best: Candidate, runner_up: Candidate | None = None) -> dict[str, float]:
    """What the abstention model weighs: how alike the passage reads, how much of the question it holds, what it
    lacks, and how far it leads the next passage."""
    return {
        "dense": best.dense,
        "coverage": best.coverage,
        # Similarity counts for less when every word is found anyway: terse questions embed poorly.
        "dense x coverage": best.dense * best.coverage,
        "missing focus": min(len(best.missing_focus), 2),
        "names heading": float(best.names_heading),
        # A passage put first for holding what is asked, ahead of better-scoring ones, leads by nothing.
        "lead": max(best.fused - runner_up.fused, 0.0) if runner_up is not None else 0.0,
        "asks kind": float(best.asks_kind),
        "asks focus": float(best.asks_focus),
        "missing weight": best.missing_weight,
        "missing terms": min(best.missing_terms, 4),
        "unknown terms": min(best.unknown_terms, 2),
    }


def is_near_miss(candidate: Candidate) -> bool:
    """A near miss however alike it reads: "who chairs the group?" is not answered by a list of its members, nor
    "the 2024-25 target" by a paragraph about 2022-23."""
    return bool(
        candidate.missing_years
        or candidate.missing_kind
        or candidate.missing_action
        or candidate.other_implications
        or candidate.other_body
        or candidate.points_elsewhere
    )


def answer_probability(best: Candidate, runner_up: Candidate | None = None) -> float:
    evidence = evidence_features(best, runner_up)
    z = EVIDENCE_BIAS + sum(EVIDENCE_WEIGHTS[name] * value for name, value in evidence.items())
    return 1.0 / (1.0 + math.exp(-z))


def has_enough_evidence(best: Candidate, runner_up: Candidate | None = None) -> bool:
    """The one place that decides between quoting and abstaining."""
    return (
        not is_near_miss(best)
        and best.dense >= DENSE_FLOOR
        and answer_probability(best, runner_up) >= ANSWER_PROBABILITY
    )


def compose_answer(
    question: str,
    candidates: list[Candidate],
    documents: dict[str, Document],
    sentence_relevance: Callable[[Passage], Sequence[float]],
    top: int = 3,
    notice: str | None = None,
) -> Answer:
    """Quote the best distinct passages, or abstain when the best evidence is too weak. A long passage is
    trimmed to the sentences `sentence_relevance` scores highest."""
    searched = tuple(sorted(documents.values(), key=lambda document: document.title))
    if not candidates or not has_enough_evidence(candidates[0], candidates[1] if len(candidates) > 1 else None):
        return Answer(question, answered=False, searched=searched, notice=notice)
    chosen = _distinct(candidates, top)
    quotes = []
    for rank, candidate in enumerate(chosen, start=1):
        document = documents[candidate.passage.doc_id]
        shown = trim_to_answer(candidate.passage.text, sentence_relevance(candidate.passage))
        verify_verbatim(shown, candidate.passage.text)
        quotes.append(
            Quote(rank, round(candidate.fused, 6), candidate.passage, document, shown, cite(document, candidate.passage))
        )
    return Answer(question, answered=True, quotes=tuple(quotes), searched=searched, notice=notice)


def _distinct(candidates: list[Candidate], top: int) -> list[Candidate]:
    """Drop passages that say nearly the same as one already chosen (repeated boilerplate, copies)."""
    chosen: list[Candidate] = []
    seen: list[set[str]] = []
    for candidate in candidates:
        terms = set(tokens(candidate.passage.text))
        if any(_overlap(terms, other) >= NEAR_DUPLICATE for other in seen):
            continue
        chosen.append(candidate)
        seen.append(terms)
        if len(chosen) == top:
            break
    return chosen


def _overlap(first: set[str], second: set[str]) -> float:
    if not first or not second:
        return 1.0 if first == second else 0.0
    return len(first & second) / len(first | second)


def trim_to_answer(text: str, relevance: Sequence[float], max_words: int = QUOTE_MAX_WORDS) -> str:
    """The passage, or its sentences that carry the answer, joined by "…" where text was left out. `relevance`
    scores each of the passage's `sentence_spans`; sentences beyond it count for nothing."""
    if word_count(text) <= max_words:
        return text
    spans = sentence_spans(text)
    if len(spans) <= 1:
        return text
    scores = [relevance[index] if index < len(relevance) else 0.0 for index in range(len(spans))]
    best = max(range(len(spans)), key=lambda index: (scores[index], -index))
    keep = {best}
    budget = max_words - word_count(text[slice(*spans[best])])
    # A list item keeps the sentence introducing its list, after any sentence as relevant as the item itself.
    introduction = _list_introduction(text, spans, best)
    neighbours = _neighbours_by_relevance(best, scores)
    as_relevant = [index for index in neighbours if scores[index] >= scores[best]]
    for neighbour in as_relevant + ([introduction] if introduction is not None else []) + neighbours:
        budget -= _add(keep, neighbour, text, spans, budget)
    return _join_kept(text, spans, sorted(keep))


def _neighbours_by_relevance(best: int, scores: list[float]) -> list[int]:
    """Other sentences, the relevant ones first and the nearer ones before farther ones."""
    others = [index for index in range(len(scores)) if index != best]
    return sorted(others, key=lambda index: (-scores[index], abs(index - best), index))


def _add(keep: set[int], index: int, text: str, spans: list[tuple[int, int]], budget: int) -> int:
    words = word_count(text[slice(*spans[index])])
    if index in keep or words > budget:
        return 0
    keep.add(index)
    return words


def _list_introduction(text: str, spans: list[tuple[int, int]], item: int) -> int | None:
    """The sentence ending in ":" that opens the list `item` is in, when the sentences between are items too."""
    index = item
    while index > 0 and _starts_a_line(text, spans[index]):
        index -= 1
        if text[slice(*spans[index])].rstrip().endswith(":"):
            return index
    return None


def _starts_a_line(text: str, span: tuple[int, int]) -> bool:
    return span[0] == 0 or text[span[0] - 1] == "\n"


def _join_kept(text: str, spans: list[tuple[int, int]], kept: list[int]) -> str:
    parts: list[str] = []
    if kept[0] != 0:
        parts.append(ELLIPSIS + " ")
    for position, index in enumerate(kept):
        start, end = spans[index]
        if position and kept[position - 1] == index - 1:
            previous_end = spans[index - 1][1]
            parts.append(text[previous_end:start])
        elif position:
            parts.append(" " + ELLIPSIS + " ")
        parts.append(text[start:end])
    if kept[-1] != len(spans) - 1:
        parts.append(" " + ELLIPSIS)
    return "".join(parts)


def verbatim_pieces(shown: str) -> list[str]:
    return [piece.strip() for piece in shown.split(ELLIPSIS) if piece.strip()]


def verify_verbatim(shown: str, source: str) -> None:
    """Every piece between ellipses must appear, in order, in the passage it claims to quote."""
    position = 0
    for piece in verbatim_pieces(shown):
        found = source.find(piece, position)
        if found < 0:
            raise QuoteNotVerbatim(f"quote piece not in its passage: {piece[:80]!r}")
        position = found + len(piece)
