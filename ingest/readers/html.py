"""HTML reader: the page's content as paragraphs, without scripts, navigation and page furniture."""

from __future__ import annotations

import re
from bs4 import BeautifulSoup, NavigableString, Tag

from ingest.readers.tidy import tidy_text
from ingest.records import SourceText
from ingest.text import CELL_SEPARATOR

BULLET = "• "

# <head> and <title> are read for metadata first; <svg> holds icon labels, not prose.
_NEVER_CONTENT = ["head", "title", "script", "style", "noscript", "template", "svg", "nav"]
_PAGE_FURNITURE = ["header", "footer"]
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset figcaption figure "
    "form h1 h2 h3 h4 h5 h6 hr html legend li main ol p section summary table tbody tfoot thead ul".split()
)
_DATE_META_NAMES = ("date", "dc.date", "dcterms.date", "dc.date.issued", "dcterms.issued", "dcterms.created")
# HTML collapses runs of whitespace in running text (not in <pre>).
_HTML_WHITESPACE = re.compile(r"[ \t\n\r\f]+")


def read_html(data: bytes) -> SourceText:
    """Extract block elements as paragraphs; title, canonical URL and date come from the head."""
    soup = BeautifulSoup(data, "html.parser")
    title = _head_title(soup)
    url = _canonical_url(soup)
    date = _meta_date(soup)
    _drop_non_content(soup)
    blocks = _blocks(soup.body or soup)
    if title is None:
        first_h1 = soup.find("h1")
        title = _fold(first_h1.get_text()) if first_h1 else None
    return SourceText(text=tidy_text("\n\n".join(blocks)), title=title or None, url=url, date=date)


def _head_title(soup: BeautifulSoup) -> str | None:
    if soup.title is None:
        return None
    return _fold(soup.title.get_text()) or None


def _canonical_url(soup: BeautifulSoup) -> str | None:
    link = soup.find("link", rel="canonical", href=True)
    if link:
        return str(link["href"]).strip() or None
    og_url = soup.find("meta", property="og:url", content=True)
    if og_url:
        return str(og_url["content"]).strip() or None
    return None


def _meta_date(soup: BeautifulSoup) -> str | None:
    """The date a <meta> tag declares (name="date", Dublin Core, or article:published_time), as written."""
    for meta in soup.find_all("meta", content=True):
        name = str(meta.get("name") or meta.get("property") or "").casefold()
        if name in _DATE_META_NAMES or name == "article:published_time":
            return str(meta["content"]).strip() or None
    return None


def _drop_non_content(soup: BeautifulSoup) -> None:
    """Remove scripts, styles, navigation and the site's header/footer.

    A <header> or <footer> inside <article> or <main> belongs to the document (it often holds its
    heading and publication date), so only page-level ones go.
    """
    # Tags nested in one already removed are skipped: decompose() destroys a whole subtree.
    for tag in soup.find_all(_NEVER_CONTENT):
        if not tag.decomposed:
            tag.decompose()
    for tag in soup.find_all(_PAGE_FURNITURE):
        if not tag.decomposed and not tag.find_parent(["article", "main"]):
            tag.decompose()


def _blocks(root: Tag) -> list[str]:
    """The paragraphs of an element: one per block element, list item or table row, in document order."""
    collector = _BlockCollector()
    collector.walk(root)
    collector.end_block()
    return collector.blocks


class _BlockCollector:
    """Gathers inline text into the current paragraph and starts a new one at each block boundary."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self._inline: list[str] = []
        self._marker = ""

    def walk(self, element: Tag) -> None:
        for child in element.children:
            if isinstance(child, NavigableString):
                # Comments, doctypes and CDATA are NavigableString subclasses but not visible text.
                if type(child) is NavigableString:
                    self._inline.append(_HTML_WHITESPACE.sub(" ", str(child)))
            elif child.name == "br":
                self._inline.append("\n")
            elif child.name == "pre":
                self.end_block()
                self.add_block(child.get_text())
            elif child.name == "tr":
                self.end_block()
                self._add_row(child)
            elif child.name == "li":
                self.end_block()
                self._marker = _list_marker(child)
                self.walk(child)
                self.end_block()
            elif child.name in _BLOCK_TAGS:
                self.end_block()
                self.walk(child)
                self.end_block()
            else:
                self.walk(child)

    def end_block(self) -> None:
        lines = (" ".join(line.split()) for line in "".join(self._inline).split("\n"))
        self._inline = []
        self.add_block("\n".join(line for line in lines if line))

    def add_block(self, text: str) -> None:
        """Add a finished paragraph; the first non-empty one after a list item starts gets its marker."""
        if text.strip():
            self.blocks.append(self._marker + text)
            self._marker = ""

    def _add_row(self, row: Tag) -> None:
        """A table row as one paragraph with cells joined by tabs; a one-cell row keeps its paragraphs."""
        cells = [_blocks(cell) for cell in row.find_all(["td", "th"], recursive=False)]
        filled = [cell for cell in cells if cell]
        if len(filled) == 1:
            for block in filled[0]:
                self.add_block(block)
        elif filled:
            self.add_block(CELL_SEPARATOR.join("\n".join(cell) for cell in filled))


def _list_marker(item: Tag) -> str:
    """'• ' for a list item, or its number ('3. ') in a plain numbered list, as a browser would show it."""
    parent = item.parent
    if parent is None or parent.name != "ol" or parent.get("type", "1") != "1":
        return BULLET
    try:
        start = int(parent.get("start", 1))
    except ValueError:
        start = 1
    return f"{start + len(item.find_previous_siblings('li'))}. "


def _fold(text: str) -> str:
    return " ".join(text.split())
