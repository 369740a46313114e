"""Whitespace clean-up shared by every reader, so all formats reach the pipeline in one shape."""

from __future__ import annotations

import re

# No-break and typographic spaces become plain spaces: officers type plain spaces when they search.
_SPACES = {codepoint: " " for codepoint in [0x00A0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000]}
# Form feeds, vertical tabs and Unicode line/paragraph separators end a line; the pipeline only knows "\n".
_LINE_BREAKS = {ord(ch): "\n" for ch in "\f\v\x85\u2028\u2029"}
# PDF fonts often emit typographic ligatures; spelled out, "ﬁnance" matches a search for "finance".
_LIGATURES = {0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "st", 0xFB06: "st"}
_TRANSLATION = {**_SPACES, **_LINE_BREAKS, **_LIGATURES}

_RUN_OF_BLANK_LINES = re.compile(r"\n{3,}")


def tidy_text(text: str) -> str:
    """Normalise line endings and odd spaces, strip trailing whitespace and blank edges, keep single blank lines.

    Words are never dropped or reordered: only whitespace changes (and ligatures are spelled out).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATION)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _RUN_OF_BLANK_LINES.sub("\n\n", text).strip()
