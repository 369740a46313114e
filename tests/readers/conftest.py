"""The reader tests' PDF builder as a fixture (reportlab draws real files; nothing is mocked)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from tests.pdfs import write_pdf


@pytest.fixture
def make_pdf(tmp_path: Path) -> Callable[..., Path]:
    """`make_pdf(pages, name="report.pdf", **write_pdf options)` writes a PDF into the test's temp dir."""

    def make(pages: Sequence[Sequence[str]], name: str = "report.pdf", **options) -> Path:
        return write_pdf(tmp_path / name, pages, **options)

    return make
