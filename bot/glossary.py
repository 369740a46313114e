"""The council glossary: officers' words and documents' words for the same thing, for query expansion."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

BUNDLED_GLOSSARY = Path(__file__).with_name("glossary.toml")


class GlossaryError(Exception):
    """The glossary file cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class Glossary:
    groups: tuple[tuple[str, ...], ...]
    # Each group's terms split into words once, not for every question.
    _phrases: tuple[tuple[tuple[str, list[str]], ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        phrases = tuple(tuple((term, _words(term)) for term in group) for group in self.groups)
        object.__setattr__(self, "_phrases", phrases)

    def matches(self, question: str) -> list[tuple[str, tuple[str, ...]]]:
        """Each glossary term the question uses, as the question words it ("DCC's", "cllrs"), with the other
        terms of its group that the question doesn't use. Possessive and plural forms count as the term."""
        words = _words(question)
        present = set(words)
        found: list[tuple[str, tuple[str, ...]]] = []
        for group in self._phrases:
            used = {
                term: span
                for term, phrase in group
                if phrase and _could_start(phrase[0], present) and (span := _used_as(words, phrase))
            }
            others = tuple(term for term, _ in group if term not in used)
            found.extend((span, others) for span in dict.fromkeys(used.values()) if others)
        return found


def _could_start(first: str, present: set[str]) -> bool:
    return not present.isdisjoint(_forms(first))


def _forms(word: str) -> tuple[str, ...]:
    """A glossary word as a question may write it: "cllr", "cllrs"; "business", "businesses"."""
    return word, word + "s", word + "es"


def _words(text: str) -> list[str]:
    # As the lexical tokens read them: "don't" is "don", "DCC's" is "dcc".
    return [word.split("'")[0] for word in re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower().replace("’", "'"))]


def _used_as(words: list[str], phrase: list[str]) -> str | None:
    """The question's words that say `phrase`, if any."""
    length = len(phrase)
    for start in range(len(words) - length + 1 if phrase else 0):
        span = words[start : start + length]
        if all(word in _forms(wanted) for word, wanted in zip(span, phrase)):
            return " ".join(span)
    return None


def load_glossary(path: Path | None = None) -> Glossary:
    path = path or BUNDLED_GLOSSARY
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise GlossaryError(f"cannot read the glossary {path}: {error}") from error
    groups = data.get("groups")
    if not isinstance(groups, list) or not all(
        isinstance(group, list) and len(group) >= 2 and all(isinstance(term, str) and term.strip() for term in group)
        for group in groups
    ):
        raise GlossaryError(f"{path}: 'groups' must be a list of lists of at least two terms")
    return Glossary(tuple(tuple(term.strip() for term in group) for group in groups))
