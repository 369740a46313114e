"""Why a file could not be read, in words a council officer understands."""

from __future__ import annotations

from pathlib import Path


class UnreadableDocument(Exception):
    """A file the pipeline cannot turn into text.

    `reason` is plain English an officer understands, e.g. 'encrypted PDF: needs a password'.
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnreadableContent(Exception):
    """Raised by a format reader, which sees only bytes; `read_document` adds the path."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
