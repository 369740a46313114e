"""Plain-text and Markdown readers: decode the bytes, keep the text as written."""

from __future__ import annotations

import codecs
import re
import unicodedata

from ingest.readers.errors import UnreadableContent
from ingest.readers.page_furniture import remove_running_lines
from ingest.readers.tidy import tidy_text
from ingest.records import SourceText

# Real text has (almost) no control characters; a tenth of them means the file is not prose.
MAX_CONTROL_SHARE = 0.1

_TEXT_CONTROLS = frozenset("\t\n\r\f\v")
_MARKDOWN_H1 = re.compile(r"#[ \t]+(?P<title>.+?)(?:[ \t]+#+)?[ \t]*")
_CODE_FENCE = re.compile(r"\s{0,3}(?:```|~~~)")


def read_text(data: bytes) -> SourceText:
    """A .txt file's text, without the running headers and footers a PDF extraction left in it. Its title is
    left to the structure parser, which reads the title block."""
    return SourceText(text=remove_running_lines(_decode_prose(data)))


def read_markdown(data: bytes) -> SourceText:
    """A Markdown file's text as written (headings keep their '#'); the title is the first '# ' heading."""
    text = _decode_prose(data)
    return SourceText(text=text, title=_first_h1(text))


def _decode_prose(data: bytes) -> str:
    """Decode and tidy; refuse binary content and files that are only whitespace."""
    text = tidy_text(_decode(data))
    if not text.strip():
        raise UnreadableContent("empty file")
    controls = sum(1 for ch in text if ch not in _TEXT_CONTROLS and unicodedata.category(ch) == "Cc")
    if controls > MAX_CONTROL_SHARE * len(text):
        raise UnreadableContent("not a text file (binary content)")
    return text


def _decode(data: bytes) -> str:
    """UTF-8 (BOM or not) or UTF-16 with a BOM; otherwise Windows-1252, which is how '£' arrives from old PCs."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    elif b"\x00" in data:
        raise UnreadableContent("not a text file (binary content)")
    else:
        encodings = ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableContent("not a text file (unknown character encoding)")


def _first_h1(text: str) -> str | None:
    """The first level-one ATX heading outside fenced code blocks."""
    in_code = False
    for line in text.split("\n"):
        if _CODE_FENCE.match(line):
            in_code = not in_code
        elif not in_code and (heading := _MARKDOWN_H1.fullmatch(line)):
            return heading["title"].strip()
    return None
