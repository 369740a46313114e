"""Document readers: one file in, its text (with page offsets where the format has pages) out.

`read_document` is the only entry point the pipeline needs; it checks what every format shares (suffix,
size, emptiness) and hands the bytes to the reader for the suffix.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.readers.docx import read_docx
from ingest.readers.errors import UnreadableContent, UnreadableDocument
from ingest.readers.html import read_html
from ingest.readers.pdf import read_pdf
from ingest.readers.text import read_markdown, read_text
from ingest.records import SourceText

__all__ = ["SUPPORTED_SUFFIXES", "UnreadableDocument", "read_document"]

DEFAULT_MAX_BYTES = 20_000_000

_READERS: dict[str, Callable[[bytes], SourceText]] = {
    ".pdf": read_pdf,
    ".docx": read_docx,
    ".html": read_html,
    ".htm": read_html,
    ".txt": read_text,
    ".md": read_markdown,
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_READERS)


def read_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read one file of a supported type; raise UnreadableDocument saying why when it can't be read."""
    path = Path(path)
    reader = _reader_for(path)
    data = _read_bytes(path, max_bytes)
    try:
        source = reader(data)
    except UnreadableContent as exc:
        raise UnreadableDocument(path, exc.reason) from exc
    if not source.text.strip():
        raise UnreadableDocument(path, "no text found in the document")
    return source


def _reader_for(path: Path) -> Callable[[bytes], SourceText]:
    suffix = path.suffix.lower()
    if suffix not in _READERS:
        shown = suffix or "(no extension)"
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise UnreadableDocument(path, f"unsupported file type {shown}; supported: {supported}")
    return _READERS[suffix]


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, after checking its size with stat so an oversized file is never loaded."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise UnreadableDocument(path, "not a file")
        if size > max_bytes:
            raise UnreadableDocument(path, f"file too large ({_size(size)}; limit {_size(max_bytes)})")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise UnreadableDocument(path, "file not found") from exc
    except PermissionError as exc:
        raise UnreadableDocument(path, "permission denied") from exc
    except OSError as exc:
        raise UnreadableDocument(path, f"could not open the file ({exc.strerror or exc})") from exc
    if not data.strip():
        raise UnreadableDocument(path, "empty file")
    return data


def _size(size: int) -> str:
    """A byte count as an officer reads it: '52 MB', '2.5 MB', '300 KB', '12 bytes'."""
    if size >= 10_000_000:
        return f"{size / 1_000_000:.0f} MB"
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f}".removesuffix(".0") + " MB"
    if size >= 1_000:
        return f"{size / 1_000:.0f} KB"
    return f"{size} bytes"
