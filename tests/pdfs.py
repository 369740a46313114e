"""Real PDF files for tests, drawn with reportlab: running headers and footers, pages, titles."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = A4
LINE_HEIGHT = 14


def write_pdf(
    path: Path,
    pages: Sequence[Sequence[str]],
    *,
    header: str | None = None,
    footer: str | None = None,
    title: str | None = None,
    footer_first: bool = False,
) -> Path:
    """Draw each page's lines top to bottom; `header`/`footer` may use {page} and {pages}.

    With `footer_first` the footer is written into the content stream before the body, as some
    producers do, so it is extracted first although it is drawn at the bottom.
    """
    pdf = canvas.Canvas(str(path), pagesize=A4)
    if title is not None:
        pdf.setTitle(title)
    for number, lines in enumerate(pages, start=1):
        furniture = {"page": number, "pages": len(pages)}
        if footer and footer_first:
            pdf.drawString(72, 30, footer.format(**furniture))
        if header:
            pdf.drawString(72, HEIGHT - 40, header.format(**furniture))
        y = HEIGHT - 100
        for line in lines:
            pdf.drawString(72, y, line)
            y -= LINE_HEIGHT
        if footer and not footer_first:
            pdf.drawString(72, 30, footer.format(**furniture))
        pdf.showPage()
    pdf.save()
    return path
