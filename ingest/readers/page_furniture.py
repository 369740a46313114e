"""Remove running headers, footers and page numbers from the text of a PDF's pages.

A line is furniture when it sits near the edge of its page and the same line (digits aside) sits near
the edge of most other pages too. "Near the edge" means among the first or last few lines of the page's
*extracted* text rather than its visual position: PDF producers may write a footer into the content stream
before the body, so it can come out first.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from ingest.text import PAGE_NUMBER_LINE

# Lines at each end of a page that may be furniture: room for a two-line header and a two-line footer that
# both come out at the same end.
EDGE_LINES = 4
# Share of pages on which a line must repeat to count as running; 60% tolerates a cover page and a few
# pages without a header (e.g. landscape appendices) while a heading that recurs by chance rarely reaches it.
MIN_SHARE = 0.6

_PAGE_NUMBER = re.compile(
    r"(?:page\s+)?[-–—]?\s*(?P<number>\d{1,4})\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?",
    re.IGNORECASE,
)
# A footer that ends on its page number: "Kellbrook Borough Council – Cabinet 16.11.23        Page 1 of 3".
_FOOTER_WITH_PAGE_NUMBER = re.compile(r"\S.*\s\bpage\s+\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_WHITESPACE = re.compile(r"\s+")


def remove_page_furniture(pages: Sequence[str]) -> list[str]:
    """The pages' text without running headers/footers or page-number lines; one entry per page, always."""
    lines_per_page = [page.split("\n") for page in pages]
    needed = _pages_needed(len(pages))
    if needed is None:
        return list(pages)
    edge_keys = [_edge_keys(lines, page_no) for page_no, lines in enumerate(lines_per_page, start=1)]
    counts = Counter(key for keys in edge_keys for key in set(keys.values()))
    running = {key for key, count in counts.items() if count >= needed}
    return [
        "\n".join(line for index, line in enumerate(lines) if keys.get(index) not in running).strip("\n")
        for lines, keys in zip(lines_per_page, edge_keys)
    ]


def remove_running_lines(text: str) -> str:
    """Plain text extracted from a PDF without its page breaks: the page-number lines (or footers ending in
    one) mark where pages end, so the text between two of them is read as a page and its running headers and
    footers are removed as from a PDF's pages ("Wendleford Borough Council – Cabinet 12 September 2024" above
    every "Page N of 9")."""
    pages: list[str] = []
    page: list[str] = []
    for line in text.split("\n"):
        page.append(line)
        if PAGE_NUMBER_LINE.fullmatch(line.strip()) or _FOOTER_WITH_PAGE_NUMBER.search(line):
            pages.append("\n".join(page))
            page = []
    pages.append("\n".join(page))
    if len(pages) < 3:
        return text
    return "\n\n".join(remove_page_furniture(pages))


def _pages_needed(page_count: int) -> int | None:
    """How many pages a line must appear on to be furniture, or None when there are too few pages to tell.

    One page gives no evidence. With two pages both must agree, since one match out of two is as likely a
    repeated heading as a header.
    """
    if page_count < 2:
        return None
    if page_count == 2:
        return 2
    return max(2, math.ceil(MIN_SHARE * page_count))


def _edge_keys(lines: list[str], page_no: int) -> dict[int, tuple[str, int | None]]:
    """Comparison keys for the non-blank lines near the top and bottom of one page, by line index."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    edge = filled[:EDGE_LINES] + filled[-EDGE_LINES:]
    keys = {index: _line_key(lines[index], page_no) for index in edge}
    return {index: key for index, key in keys.items() if key is not None}


def _line_key(line: str, page_no: int) -> tuple[str, int | None] | None:
    """What a line must share with lines on other pages to count as the same running line.

    Every key includes the line's text with digits masked, so "Page 3 of 7" and "Cabinet – 13 January 2022"
    repeat across pages. A page number ("3", "- 3 -", "Page 3 of 7") is also keyed by its offset from the
    physical page number: "3" on page 3 and "4" on page 4 match, but a paragraph number that happens to
    sit at a page edge does not. Any other line without letters, such as "4.1", is never furniture, so
    section numbers survive.
    """
    text = _WHITESPACE.sub(" ", line).strip()
    # Case is kept: a running header "Derbyshire County Council" must not take the title block's
    # "DERBYSHIRE COUNTY COUNCIL" off the first page.
    shape = _DIGITS.sub("#", text)
    page_number = _PAGE_NUMBER.fullmatch(text)
    if page_number:
        return (shape, int(page_number["number"]) - page_no)
    if not any(ch.isalpha() for ch in text):
        return None
    return (shape, None)
