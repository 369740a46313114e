"""Acronyms the documents never spell out: "UoB" for the University of Brantwick, "JEB" for the Joint Estates
Board. Officers use them; documents write the names in full, so a question's acronym is read as the name."""

from __future__ import annotations

import re
from collections.abc import Iterable

_CAPITALISED = re.compile(r"[A-Z][a-z]+")
_JOINERS = frozenset({"of", "and", "for", "the", "&"})
_WORD_OR_SPACE = re.compile(r"[A-Za-z&]+")
MAX_WORDS = 6


def acronyms_of(texts: Iterable[str]) -> dict[str, str]:
    """Each acronym (lower case) that stands for exactly one capitalised name in `texts`, with that name.
    An acronym is formed from the name's initials, with or without its joining words ("UB" or "UoB")."""
    found: dict[str, set[str]] = {}
    for text in texts:
        for name in {name for line in text.splitlines() for name in _names(line)}:
            for acronym in _initials(name):
                found.setdefault(acronym, set()).add(name)
    return {acronym: names.pop() for acronym, names in found.items() if len(names) == 1}


def _names(text: str) -> set[str]:
    """Runs of two or more capitalised words, joined by "of", "and", "for" or "the", and their sub-runs."""
    names: set[str] = set()
    words = _WORD_OR_SPACE.findall(text)
    run: list[str] = []
    for word in [*words, "."]:
        if _CAPITALISED.fullmatch(word) or (run and word.lower() in _JOINERS):
            run.append(word)
            continue
        names |= _sub_names(run)
        run = []
    return names


def _sub_names(run: list[str]) -> set[str]:
    names: set[str] = set()
    for start in range(len(run)):
        if not _CAPITALISED.fullmatch(run[start]) or run[start].lower() in _JOINERS:
            continue
        for end in range(start + 2, min(len(run), start + MAX_WORDS) + 1):
            words = run[start:end]
            if _CAPITALISED.fullmatch(words[-1]) and sum(1 for word in words if _CAPITALISED.fullmatch(word)) >= 2:
                names.add(" ".join(words))
    return names


def _initials(name: str) -> set[str]:
    words = name.split()
    with_joiners = "".join(word[0] for word in words).lower()
    without = "".join(word[0] for word in words if word.lower() not in _JOINERS).lower()
    return {with_joiners, without}
