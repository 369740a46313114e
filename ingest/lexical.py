"""Lexical tokens for BM25: lower-cased words, English stop words dropped, Snowball-stemmed."""

from __future__ import annotations

import re
from functools import lru_cache

from bm25s.stopwords import STOPWORDS_EN

_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
# Words a question uses to ask, not to say what it is about.
_QUESTION_WORDS = frozenset(
    "what whats which who whom whose when where why how does do did is are was were can could should would "
    "will shall may might must tell me about any anything there please us we our i my show give list find "
    "mentioned mention say says said talk talks anywhere".split()
)
_STOP = frozenset(STOPWORDS_EN) | _QUESTION_WORDS


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokens(text: str) -> list[str]:
    """Stemmed content words of `text` in order (duplicates kept: BM25 counts them)."""
    words = [word.replace("’", "'").split("'")[0] for word in _TOKEN.findall(text.lower())]
    return _stemmer().stemWords([word for word in words if word not in _STOP and len(word) > 1])
