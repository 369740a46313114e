"""Text primitives shared by parsing and quoting: whitespace folding, sentence boundaries, word counts."""

from __future__ import annotations

import re

# A page number on a line of its own, as PDF extraction leaves it ("12", "Page 3 of 9").
PAGE_NUMBER_LINE = re.compile(r"(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?", re.IGNORECASE)
# The readers set a table row's cells apart with tabs, which passages fold into spaces, so a quote of a row reads
# as the row does on the page ("Apprenticeship starts 52 90"), and as a PDF of the same table gives it.
CELL_SEPARATOR = "\t"
_BROKEN_HYPHEN = re.compile(r"(?<=\w)-[ \t]*\n\s*(?=\w)")
_WHITESPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+(?:['’]\w+)*")

# What closes a sentence after its full stop: "(Councillor Ellory had left the Chamber.)" keeps its ")".
CLOSING_MARKS = "\"'”’)]"
# A sentence ends at . ! or ? (optionally closed by a quote or bracket) followed by space and a capital,
# digit, bullet or opening quote. Abbreviations common in council papers are not ends.
_SENTENCE_END = re.compile(rf"""(?:(?<=[.!?])|(?<=[.!?][{re.escape(CLOSING_MARKS)}]))\s+(?=["'“‘(\[]?[A-Z0-9•])""")
_ABBREVIATIONS = (
    "e.g.", "i.e.", "etc.", "No.", "no.", "Cllr.", "Dr.", "Mr.", "Mrs.", "Ms.", "St.", "approx.",
    "para.", "paras.", "ref.", "cf.", "vs.", "Co.", "Ltd.", "Inc.", "Cl.", "p.", "pp.",
)


def fold_whitespace(text: str) -> str:
    """Join a span's lines into one line: runs of whitespace become one space; a line-end hyphen joins."""
    return _WHITESPACE.sub(" ", _BROKEN_HYPHEN.sub("-", text)).strip()


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`; line breaks also end a sentence (list items, headings)."""
    spans: list[tuple[int, int]] = []
    for line_start, line in _lines_with_offsets(text):
        start = 0
        for match in _SENTENCE_END.finditer(line):
            candidate = line[start : match.start()]
            if candidate.rstrip(CLOSING_MARKS).endswith(_ABBREVIATIONS):
                continue
            spans.append((line_start + start, line_start + match.start()))
            start = match.end()
        if line[start:].strip():
            spans.append((line_start + start, line_start + len(line.rstrip())))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _lines_with_offsets(text: str):
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def fold_with_offsets(raw: str) -> tuple[str, list[int]]:
    """`fold_whitespace(raw)` together with, for each folded character, its index in `raw`."""
    folded: list[str] = []
    origin: list[int] = []
    hyphen_breaks = {match.start() for match in _BROKEN_HYPHEN.finditer(raw)}
    skip_until = -1
    for index, char in enumerate(raw):
        if index < skip_until:
            continue
        if index in hyphen_breaks:
            match = _BROKEN_HYPHEN.match(raw, index)
            folded.append("-")
            origin.append(index)
            skip_until = match.end()
            continue
        if char.isspace():
            if folded and folded[-1] != " ":
                folded.append(" ")
                origin.append(index)
            continue
        folded.append(char)
        origin.append(index)
    while folded and folded[-1] == " ":
        folded.pop()
        origin.pop()
    return "".join(folded), origin
