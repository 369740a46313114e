"""From a document's structure to citable passages: sized, paged, and named the way officers cite them."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ingest.lexical import LEXICAL_VERSION
from ingest.records import Citation, Document, Passage, SourceText
from ingest.structure import Structure, TitleBlock, Unit
from ingest.text import fold_whitespace, fold_with_offsets, sentence_spans, word_count

# Bump when passage boundaries or text change, so indexes built by an older chunker are rebuilt.
CHUNKER_VERSION = "16"

_LIST_ITEM = re.compile(r"^(?:[•●▪◦‣∙·*–-]|\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})\))\s")
_APPENDIX_NAME = re.compile(r"^((?:Appendix|Annex|Schedule)\s+[A-Z0-9]{1,3})\b", re.IGNORECASE)


@dataclass(frozen=True)
class ChunkSettings:
    """Passage size for text without paragraph numbers (numbered paragraphs are kept whole up to max_words),
    and whether retrievers see each passage with its title and heading path (`context`)."""

    min_words: int = 40
    max_words: int = 200
    context: bool = True

    def to_dict(self) -> dict:
        return {
            "version": CHUNKER_VERSION,
            "min_words": self.min_words,
            "max_words": self.max_words,
            "context": self.context,
            "tokens": LEXICAL_VERSION,
        }


def describe_document(doc_id: str, path: str, sha256: str, source: SourceText, structure: Structure) -> Document:
    """The document record: the title block's facts first, the reader's (file metadata) second."""
    block = structure.title_block
    return Document(
        id=doc_id,
        title=_choose_title(block, source.title) or _title_from_id(doc_id),
        path=path,
        sha256=sha256,
        date=(block.date if block else None) or source.date,
        meeting=block.meeting if block else None,
        council=block.council if block else None,
        url=source.url,
        has_pages=bool(source.page_starts),
    )


def _choose_title(block: TitleBlock | None, stated_by_file: str | None) -> str | None:
    """A title the cover states ("Report of ..." then the title) beats the file's own title, which beats
    a title guessed from the cover; a council's name is never a document's title."""
    if block and block.title and block.title_is_stated:
        return block.title
    if stated_by_file and not re.search(r"\bcouncil$", stated_by_file.strip(), re.IGNORECASE):
        return stated_by_file
    return block.title if block and block.title else stated_by_file


def _title_from_id(doc_id: str) -> str:
    return doc_id.replace("-", " ").replace("_", " ").strip().capitalize()


def make_passages(
    document: Document, source: SourceText, structure: Structure, settings: ChunkSettings = ChunkSettings()
) -> list[Passage]:
    """Sized units become passages with pages and a citation; ids are stable within one document version."""
    units = _merge_short_text_units(list(structure.units), settings)
    sized = [part for unit in units for part in _split_long_unit(unit, source.text, settings)]
    passages = []
    for number, unit in enumerate(sized, start=1):
        pages = _pages(source, unit.spans)
        passage = Passage(
            id=f"{document.id}#{number}",
            doc_id=document.id,
            text=unit.text,
            spans=tuple(unit.spans),
            section=unit.section,
            heading=" › ".join(_drop_title_heading(unit.heading, document.title)),
            pages=pages,
        )
        passages.append(_with_citation(passage, document))
    return passages


def _drop_title_heading(heading: tuple[str, ...], title: str) -> tuple[str, ...]:
    """A Markdown or HTML document's own title is its first heading; the citation already names it."""
    if heading and fold_whitespace(heading[0]).lower() == fold_whitespace(title).lower():
        return heading[1:]
    return heading


def _with_citation(passage: Passage, document: Document) -> Passage:
    return replace(passage, citation=cite(document, passage).label)


def cite(document: Document, passage: Passage) -> Citation:
    return Citation(
        title=document.title,
        meeting=document.meeting,
        date=document.date,
        section=section_label(passage),
        heading=passage.heading,
        page=passage.page_label,
        path=document.path,
        url=document.url,
    )


def section_label(passage: Passage) -> str | None:
    """'para 4.7', 'Appendix 1, para 1.1', 'section 10', 'title page', or the heading for unnumbered text."""
    appendix = _APPENDIX_NAME.match(passage.heading)
    if passage.section and "." in passage.section:
        return f"{appendix.group(1)}, para {passage.section}" if appendix else f"para {passage.section}"
    if passage.section and "/" in passage.section:
        return f"minute {passage.section.removeprefix('Minute ').strip()}"
    if passage.section:
        return f"section {passage.section}"
    if passage.heading == "Title page":
        return "title page"
    return passage.heading.split(" › ")[-1] if passage.heading else None


def _pages(source: SourceText, spans: list[tuple[int, int]]) -> tuple[int, ...]:
    if not source.page_starts:
        return ()
    pages = {source.page_at(offset) for start, end in spans for offset in (start, max(start, end - 1))}
    return tuple(sorted(page for page in pages if page is not None))


def _merge_short_text_units(units: list[Unit], settings: ChunkSettings) -> list[Unit]:
    """Unnumbered paragraphs shorter than min_words join their neighbours under the same heading."""
    merged: list[Unit] = []
    for unit in units:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and unit.kind == previous.kind == "text"
            and unit.heading == previous.heading
            and unit.section == previous.section
            and (previous.words < settings.min_words or unit.words < settings.min_words / 2)
            and previous.words + unit.words <= settings.max_words
        ):
            for span, piece, separator in zip(unit.spans, unit.pieces, unit.separators):
                previous.add(span, piece, separator="\n" if separator == "" else separator)
        else:
            merged.append(unit)
    return merged


def _split_long_unit(unit: Unit, text: str, settings: ChunkSettings) -> list[Unit]:
    """Cut a unit over max_words between its pieces, or between sentences of a long piece, never inside one."""
    if unit.words <= settings.max_words or unit.kind == "title":
        return [unit]
    parts: list[Unit] = []
    current = _empty_like(unit)
    in_list = False
    for span, piece, separator in _pieces_no_longer_than(unit, text, settings.max_words):
        piece_words = word_count(piece)
        is_item = bool(_LIST_ITEM.match(piece))
        in_list = (in_list and is_item) or current.introduces_list
        # A list stays with the sentence that introduces it, up to half as long again as a passage may be.
        limit = settings.max_words * (1.5 if in_list and is_item else 1)
        if current.pieces and current.words + piece_words > limit and not current.introduces_list:
            parts.append(current)
            current = _empty_like(unit)
            in_list = False
        current.add(span, piece, separator=separator if current.pieces else "")
    if current.pieces:
        parts.append(current)
    return parts


def _empty_like(unit: Unit) -> Unit:
    return Unit(section=unit.section, heading=unit.heading, kind=unit.kind)


def _pieces_no_longer_than(unit: Unit, text: str, max_words: int):
    for span, piece, separator in zip(unit.spans, unit.pieces, unit.separators):
        if word_count(piece) <= max_words:
            yield span, piece, separator
            continue
        for index, (sentence_span, sentence) in enumerate(_sentences_with_spans(text, span)):
            yield sentence_span, sentence, separator if index == 0 else " "


def _sentences_with_spans(text: str, span: tuple[int, int]):
    """Each sentence of the source span, with its own source offsets."""
    start, end = span
    folded, origin = fold_with_offsets(text[start:end])
    for sentence_start, sentence_end in sentence_spans(folded):
        yield (start + origin[sentence_start], start + origin[sentence_end - 1] + 1), folded[
            sentence_start:sentence_end
        ]


def contextual_text(document: Document, passage: Passage, with_context: bool = True) -> str:
    """What the retrievers see: title and heading path before the paragraph, so that a short paragraph
    ("No consultation is required.") is found by what it is about."""
    context = " › ".join(part for part in (document.title, passage.heading) if part) if with_context else ""
    return f"{context}: {passage.text}" if context else passage.text
