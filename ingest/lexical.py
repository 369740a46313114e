"""Lexical tokens for BM25: lower-cased words, English stop words dropped, Snowball-stemmed."""

from __future__ import annotations

import re
from functools import lru_cache

from bm25s.stopwords import STOPWORDS_EN_PLUS

# Bump when `tokens` changes: a BM25 index is only valid with the tokens it was built from.
LEXICAL_VERSION = "5"

_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
# Words a question uses to ask, or to fill out a chatty question ("what actually happens if..."),
# not to say what it is about. Left in, they count as rare terms that no passage contains.
_QUESTION_WORDS = frozenset(
    "what whats which who whom whose when where why how does do did is are was were can could should would "
    "will shall may might must tell me about any anything something there please us we our i my show give "
    "list find mentioned mention say says said talk talks anywhere many much happen happens happened done "
    "mean means meant actually actual thing things supposed get gets got getting happening bad often know want like "
    "really hope hoped hoping become becomes becoming became".split()
)
_STOP = frozenset(STOPWORDS_EN_PLUS) | _QUESTION_WORDS
# The stemmer leaves irregular verbs alone, so "how much did we spend?" would never find "£310,000 was spent".
_IRREGULAR = {
    form: base
    for base, forms in {
        "spend": "spent", "pay": "paid", "meet": "met", "hold": "held", "make": "made", "take": "took taken",
        "win": "won", "sell": "sold", "buy": "bought", "build": "built", "lead": "led",
        "leave": "left", "begin": "began begun", "choose": "chose chosen", "keep": "kept", "bring": "brought",
        "seek": "sought", "tell": "told", "run": "ran", "rise": "rose risen", "fall": "fell fallen",
        "grow": "grew grown", "draw": "drew drawn", "write": "wrote written", "lend": "lent", "send": "sent",
        "see": "saw seen", "stand": "stood", "understand": "understood",
    }.items()
    for form in forms.split()
}


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


# Officers write "£250k" and "£1.5m", documents "£250,000" and "£1.5 million": each is read as one number.
_THOUSANDS_COMMA = re.compile(r"(?<=\d),(?=\d{3}\b)")
_AMOUNT = re.compile(r"\b(\d+(?:\.\d+)?)\s?(k|m|bn|thousand|million|billion)\b")
_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}


def _amount(match: re.Match[str]) -> str:
    return str(round(float(match[1]) * _MULTIPLIERS[match[2]]))


def tokens(text: str) -> list[str]:
    """Stemmed content words of `text` in order (duplicates kept: BM25 counts them)."""
    text = _AMOUNT.sub(_amount, _THOUSANDS_COMMA.sub("", text.lower()))
    words = [word.replace("’", "'").split("'")[0] for word in _TOKEN.findall(text)]
    kept = [_IRREGULAR.get(word, word) for word in words if word not in _STOP and len(word) > 1]
    return _stemmer().stemWords(kept)
