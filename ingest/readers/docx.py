"""Word (.docx) reader: body paragraphs and tables in document order, one paragraph per block.

The XML is walked directly rather than through python-docx's `Paragraph.text`, which skips text inside
content controls, tracked insertions and text boxes; those words are part of the document. Running
headers/footers, footnotes and comments are not read.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import docx
from docx.document import Document as WordDocument
from docx.text.paragraph import Paragraph

from ingest.readers.errors import UnreadableContent
from ingest.readers.tidy import tidy_text
from ingest.records import SourceText
from ingest.text import CELL_SEPARATOR, CLOSING_MARKS, word_count

BULLET = "• "

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Elements that only wrap block or cell content (content controls, custom XML) and are looked through.
_WRAPPERS = frozenset({W + "sdt", W + "sdtContent", W + "customXml"})
# Subtrees whose text is not part of the paragraph as shown: deletions, moved-away text, properties,
# field codes, the legacy copy of a drawing, and text boxes (read as blocks of their own).
_SKIPPED = frozenset(
    {W + "del", W + "moveFrom", W + "pPr", W + "rPr", W + "instrText", W + "txbxContent", _MC_FALLBACK}
)
_HEADING_STYLE = re.compile(r"(?:Title|Heading (\d))$")
_BULLET_GLYPHS = ("•", "◦", "▪", "●", "-", "–", "*")
# A minute's title with its key decision reference runs to twenty-odd words; a paragraph runs longer.
_HEADING_MAX_WORDS = 40
_SENTENCE_END = (".", "!", "?", ";", ":")


@dataclass(frozen=True)
class _Block:
    text: str
    # 0 for the Title style, 1 for Heading 1, 2 for Heading 2...; None for a body paragraph.
    heading_level: int | None = None

    @property
    def as_text(self) -> str:
        """Headings written as Markdown headings: Word says which paragraphs are headings, so a long minute
        title ("76/25 Signing the Anchor Charter (Key Decision – Forward Plan Ref …)") is not taken for prose."""
        if self.heading_level is None:
            return self.text
        return f"{'#' * min(max(self.heading_level, 1), 6)} {self.text}"


def read_docx(data: bytes) -> SourceText:
    """Extract paragraphs (headings, list items, table rows) separated by blank lines; no pages."""
    document = _open(data)
    blocks = list(_container_blocks(document.element.body, document))
    text = tidy_text("\n\n".join(block.as_text for block in blocks))
    return SourceText(text=text, title=_title(document, blocks))


def _open(data: bytes) -> WordDocument:
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:
        # python-docx reports a non-zip, a zip without a Word body and malformed XML with different
        # exception types (PackageNotFoundError, KeyError, ValueError, lxml errors); all mean the same here.
        raise UnreadableContent("not a valid Word document") from exc


def _title(document: WordDocument, blocks: list[_Block]) -> str | None:
    """The core-properties title, else the paragraph styled Title, else a heading the document opens with."""
    title = " ".join((document.core_properties.title or "").split())
    if title:
        return title
    styled = next((block.text for block in blocks if block.heading_level == 0), None)
    if styled:
        return styled
    # A heading that opens the document names it; "1. Purpose" after a cover of plain paragraphs does not.
    return blocks[0].text if blocks and blocks[0].heading_level is not None else None


def _unwrapped(element) -> Iterator:
    """The children of `element`, looking through content controls and custom XML wrappers."""
    for child in element:
        if child.tag in _WRAPPERS:
            yield from _unwrapped(child)
        else:
            yield child


def _container_blocks(container, document: WordDocument) -> Iterator[_Block]:
    """Blocks of a body, table cell or text box, in document order."""
    for child in _unwrapped(container):
        if child.tag == W + "p":
            yield from _paragraph_blocks(child, document)
        elif child.tag == W + "tbl":
            yield from _table_blocks(child, document)


def _paragraph_blocks(p, document: WordDocument) -> Iterator[_Block]:
    """The paragraph as one block (with a bullet if it is a bulleted list item), then any text boxes in it."""
    text = _inline_text(p).strip()
    if text:
        style = Paragraph(p, document).style
        style_name = style.name if style is not None else ""
        if _is_bulleted(p, style, document) and not text.startswith(_BULLET_GLYPHS):
            text = BULLET + text
        heading = _HEADING_STYLE.match(style_name or "") if _reads_as_heading(text) else None
        yield _Block(text, heading_level=int(heading.group(1) or 0) if heading else None)
    for box in _text_boxes(p):
        yield from _container_blocks(box, document)


def _reads_as_heading(text: str) -> bool:
    """A heading style on a sentence ("RESOLVED that Cabinet agrees ...") or a long paragraph is a writer's
    formatting, not a heading: it stays text, to be quoted."""
    return word_count(text) <= _HEADING_MAX_WORDS and not text.rstrip(CLOSING_MARKS).endswith(_SENTENCE_END)


def _table_blocks(tbl, document: WordDocument) -> Iterator[_Block]:
    """One block per row, cells joined by tabs; a row with a single filled cell keeps that cell's blocks.

    Tables in council reports are either data (read across a row) or layout (a one-column box holding
    ordinary paragraphs and headings, which should stay paragraphs).
    """
    for row in _unwrapped(tbl):
        if row.tag != W + "tr":
            continue
        cells = [list(_container_blocks(cell, document)) for cell in _unwrapped(row) if cell.tag == W + "tc"]
        filled = [cell for cell in cells if cell]
        if len(filled) == 1:
            yield from filled[0]
        elif filled:
            yield _Block(CELL_SEPARATOR.join("\n".join(block.text for block in cell) for cell in filled))


def _inline_text(element) -> str:
    """The visible text of a paragraph: runs, hyperlinks, fields, content controls and tracked insertions."""
    parts = []
    for node in element:
        tag = node.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue  # comments and processing instructions have non-string tags
        if tag == W + "t":
            parts.append(node.text or "")
        elif tag in (W + "tab", W + "ptab"):
            parts.append("\t")
        elif tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
        else:
            parts.append(_inline_text(node))
    return "".join(parts)


def _text_boxes(p) -> Iterator:
    """Text boxes anchored in this paragraph, excluding nested ones and the legacy duplicate of each."""
    for box in p.iter(W + "txbxContent"):
        between = []
        for ancestor in box.iterancestors():
            if ancestor is p:
                break
            between.append(ancestor.tag)
        if W + "txbxContent" not in between and _MC_FALLBACK not in between:
            yield box


def _is_bulleted(p, style, document: WordDocument) -> bool:
    """Whether the paragraph is a list item whose numbering format is a bullet.

    python-docx does not render automatic numbering, so a numbered item ("1.", "4.2", "(a)") loses its
    number and gets no prefix rather than a misleading bullet; only bullet-format items are marked.
    """
    numbering = _numbering_reference(p, style)
    if numbering is None:
        return False
    num_id, level = numbering
    return _number_format(document, num_id, level) == "bullet"


def _numbering_reference(p, style) -> tuple[int, int] | None:
    """(numId, level) from the paragraph's own properties, else from its style or the styles it is based on."""
    candidates = [p.find(f"{W}pPr/{W}numPr")]
    while style is not None:
        candidates.append(style.element.find(f"{W}pPr/{W}numPr"))
        style = style.base_style
    num_pr = next((candidate for candidate in candidates if candidate is not None), None)
    if num_pr is None:
        return None
    num_id = _int_attribute(num_pr.find(W + "numId"))
    level = _int_attribute(num_pr.find(W + "ilvl")) or 0
    # numId 0 is Word's way of switching off numbering that a style would otherwise apply.
    return (num_id, level) if num_id else None


def _number_format(document: WordDocument, num_id: int, level: int) -> str | None:
    """The numFmt ('bullet', 'decimal', ...) of one list level, honouring level overrides."""
    numbering = document.part.numbering_part.element
    nums = numbering.xpath(f'./w:num[@w:numId="{num_id}"]')
    if not nums:
        return None
    override = nums[0].xpath(f'./w:lvlOverride[@w:ilvl="{level}"]/w:lvl/w:numFmt/@w:val')
    if override:
        return str(override[0])
    abstract_ids = nums[0].xpath("./w:abstractNumId/@w:val")
    if not abstract_ids:
        return None
    abstract_id = _safe_int(abstract_ids[0])
    formats = numbering.xpath(
        f'./w:abstractNum[@w:abstractNumId="{abstract_id}"]/w:lvl[@w:ilvl="{level}"]/w:numFmt/@w:val'
    )
    return str(formats[0]) if formats else None


def _int_attribute(element) -> int | None:
    return None if element is None else _safe_int(element.get(W + "val"))


def _safe_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
