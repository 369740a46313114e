"""PDF reader: the text of each page, with page boundaries kept and running headers/footers removed."""

from __future__ import annotations

import io
import logging
import re

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from ingest.readers.errors import UnreadableContent
from ingest.readers.page_furniture import remove_page_furniture
from ingest.readers.tidy import tidy_text
from ingest.records import SourceText

PAGE_SEPARATOR = "\n\n"

# Titles that producers write by default, which say nothing about the document.
_PLACEHOLDER_TITLES = frozenset({"untitled", "title", "document", "slide 1", "presentation"})
_FILE_NAME = re.compile(r"\.(?:pdf|docx?|rtf|odt|txt|indd|xlsx?|pptx?)$", re.IGNORECASE)

# pypdf logs what it repaired ("EOF marker not found") without saying which file; a file it cannot
# read is reported by ingest with its name and reason, so its own warnings would only be noise.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def read_pdf(data: bytes) -> SourceText:
    """Extract the text of a PDF page by page; `page_starts` records where each page begins in `text`."""
    reader, raw_pages = _open_and_extract(data)
    pages = [tidy_text(page) for page in remove_page_furniture([tidy_text(page) for page in raw_pages])]
    if not any(pages):
        raise UnreadableContent("no extractable text — needs OCR")
    text, page_starts = _join_pages(pages)
    # Metadata dates record when the file was produced, not when the report was dated, so date stays None.
    return SourceText(text=text, page_starts=page_starts, title=_metadata_title(reader))


def _open_and_extract(data: bytes) -> tuple[PdfReader, list[str]]:
    """Open the PDF (trying the empty password when encrypted) and extract each page's text."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise UnreadableContent("encrypted PDF: needs a password")
        return reader, [page.extract_text() or "" for page in reader.pages]
    except UnreadableContent:
        raise
    except DependencyError as exc:
        # pypdf needs the optional 'cryptography' package for AES encryption, even with an empty password.
        reason = "encrypted PDF: AES encryption needs the 'cryptography' package installed"
        raise UnreadableContent(reason) from exc
    except Exception as exc:
        # A damaged file can make pypdf fail in many ways (its own errors, but also KeyError, ValueError,
        # RecursionError...); each means the same to an officer. KeyboardInterrupt is not an Exception.
        raise UnreadableContent(f"damaged PDF: {_short(exc)}") from exc


def _join_pages(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    """Join page texts with a blank line and return where each page starts."""
    starts = []
    offset = 0
    for page in pages:
        starts.append(offset)
        offset += len(page) + len(PAGE_SEPARATOR)
    return PAGE_SEPARATOR.join(pages), tuple(starts)


def _metadata_title(reader: PdfReader) -> str | None:
    """The /Title from the PDF's metadata, unless it is empty, a placeholder or a file name."""
    try:
        raw = reader.metadata.title if reader.metadata else None
    except Exception:
        # A damaged info dictionary should cost us the title, not the document.
        return None
    title = " ".join(str(raw).split()) if raw else ""
    if title.casefold().startswith("microsoft word - "):
        return None
    if not any(ch.isalpha() for ch in title) or title.casefold() in _PLACEHOLDER_TITLES:
        return None
    if _FILE_NAME.search(title):
        return None
    return title


def _short(exc: BaseException) -> str:
    """The first line of an exception's message, short enough for a status report."""
    message = str(exc).strip().split("\n")[0] or type(exc).__name__
    return message if len(message) <= 100 else message[:97] + "..."
