"""Slack typos ("implicatons", "signatroy") read as the document's word they were meant to be."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from string import ascii_lowercase

from ingest.lexical import tokens

_WORD = re.compile(r"[A-Za-z]+")
# Shorter words have too many neighbours one letter away ("cost" / "coat" / "most") to guess safely.
MIN_LENGTH = 5


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """A general English word list: a word in it ("brown", "reset") was typed as meant, even when the
    documents never use it, so it is never "corrected" into a document's word ("grown", "rest")."""
    from spellchecker import SpellChecker

    return frozenset(SpellChecker(distance=1).word_frequency.dictionary)


# The word list spells the American way; council documents spell the British way ("centre", "labour",
# "organisation", "programme", "travelled"). Each pair turns a British spelling into the listed one.
_BRITISH_TO_LISTED = (
    (re.compile(r"tre(s?)$"), r"ter\1"),
    (re.compile(r"our(s|ed|ing|ite|ites|able)?$"), r"or\1"),
    (re.compile(r"is(e|es|ed|ing|ation|ations|er|ers)$"), r"iz\1"),
    (re.compile(r"ys(e|es|ed|ing)$"), r"yz\1"),
    (re.compile(r"ogue(s?)$"), r"og\1"),
    (re.compile(r"mme(s?)$"), r"m\1"),
    (re.compile(r"ll(ed|ing|er|ers)$"), r"l\1"),
    (re.compile(r"(?<=[a-z])ae(?=[a-z])"), "e"),
    (re.compile(r"(?<=[a-z])oe(?=[a-z])"), "e"),
)


def is_english(word: str) -> bool:
    """Whether `word` (lower case) is a general English word, in British or American spelling."""
    listed = english_words()
    return word in listed or any(
        pattern.sub(replacement, word) in listed for pattern, replacement in _BRITISH_TO_LISTED if pattern.search(word)
    )


def vocabulary_of(texts: Iterable[str]) -> frozenset[str]:
    """The words of `texts` as written (lower-cased, not stemmed): what a typo can be mended into."""
    return frozenset(word.lower() for text in texts for word in _WORD.findall(text))


def one_edit_away(word: str) -> set[str]:
    """Every string one deletion, swap of neighbours, replacement or insertion away from `word`."""
    splits = [(word[:cut], word[cut:]) for cut in range(len(word) + 1)]
    deleted = {left + right[1:] for left, right in splits if right}
    swapped = {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    replaced = {left + letter + right[1:] for left, right in splits if right for letter in ascii_lowercase}
    inserted = {left + letter + right for left, right in splits for letter in ascii_lowercase}
    return (deleted | swapped | replaced | inserted) - {word}


# Chat drops the apostrophe: "what if we dont sign?" means "don't".
_BARE_CONTRACTION = re.compile(
    r"\b(do|does|did|is|are|was|were|has|have|had|should|would|could|must|need)nt\b|\b(wo|ca)nt\b", re.IGNORECASE
)


def restore_apostrophes(question: str) -> str:
    """`question` with "dont", "wont", "isnt" ... written as "don't", "won't", "isn't", as the glossary has them."""
    return _BARE_CONTRACTION.sub(lambda match: f"{match[1] or match[2]}n't", question)


def correct_spelling(question: str, vocabulary: frozenset[str], is_known: Callable[[str], bool]) -> str:
    """`question` with each word that neither the documents nor English use replaced by the one word of
    `vocabulary` a single edit away from it, when there is exactly one, or else by the document word it is the
    start of ("decarb"); `is_known(word)` says whether the documents use a word in some form (plural, another
    ending). Ambiguous or distant words are left alone: a guess that turns an unanswerable question into an
    answerable-looking one is worse than the typo."""

    def mend(match: re.Match[str]) -> str:
        typed = match[0]
        word = typed.lower()
        if len(word) < MIN_LENGTH or word in vocabulary or is_known(word) or is_english(word):
            return typed
        nearby = one_edit_away(word) & vocabulary
        if len(nearby) == 1:
            return nearby.pop()
        return _completed(word, vocabulary) or typed

    return _WORD.sub(mend, question)


def _completed(start: str, vocabulary: frozenset[str]) -> str | None:
    """The document word that a clipped word starts ("decarb" for "decarbonisation"), when all the words it could
    start share one stem; the shortest of them."""
    completions = sorted((word for word in vocabulary if word.startswith(start)), key=lambda word: (len(word), word))
    stems = {stem for word in completions for stem in tokens(word)}
    return completions[0] if completions and len(stems) == 1 else None
