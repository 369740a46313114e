"""The council glossary: officers' words and documents' words for the same thing, for query expansion."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

BUNDLED_GLOSSARY = Path(__file__).with_name("glossary.toml")


class GlossaryError(Exception):
    """The glossary file cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class Glossary:
    groups: tuple[tuple[str, ...], ...]

    def matches(self, question: str) -> list[tuple[str, tuple[str, ...]]]:
        """Each glossary term the question uses, with the other terms of its group that it doesn't use.
        A term is used in its possessive or plural form too: "DCC's policy", "how many cllrs"."""
        words = _words(question)
        found: list[tuple[str, tuple[str, ...]]] = []
        for group in self.groups:
            used = [term for term in group if _uses(words, _words(term))]
            others = tuple(term for term in group if term not in used)
            found.extend((term, others) for term in used if others)
        return found


def _words(text: str) -> list[str]:
    text = re.sub(r"['’]s\b", "", text.lower())
    return re.findall(r"[a-z0-9]+", text.replace("’", "").replace("'", ""))


def _uses(words: list[str], phrase: list[str]) -> bool:
    length = len(phrase)
    return bool(phrase) and any(
        all(word in (wanted, wanted + "s", wanted + "es") for word, wanted in zip(words[start : start + length], phrase))
        for start in range(len(words) - length + 1)
    )


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
