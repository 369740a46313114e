"""Word reading: paragraphs, headings, lists and tables in document order, with the title."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from ingest.readers import UnreadableDocument, read_document

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _cabinet_report(path: Path, *, title: str | None = "Anchor Institutions in Derbyshire and Derby") -> Path:
    document = docx.Document()
    if title is not None:
        document.core_properties.title = title
    document.add_heading("Purpose", level=1)
    document.add_paragraph("To update Members on local work regarding Anchor Institutions.")
    document.add_paragraph("Anchor institutions include:")
    document.add_paragraph("the NHS", style="List Bullet")
    document.add_paragraph("the universities", style="List Bullet")
    document.add_heading("Financial Considerations", level=2)
    table = document.add_table(rows=3, cols=2)
    costs = [("Item", "Cost"), ("Charter launch", "£2,500"), ("Evaluation", "£10,000")]
    for row, (item, cost) in zip(table.rows, costs):
        row.cells[0].text = item
        row.cells[1].text = cost
    document.add_paragraph("There are no further financial implications.")
    document.add_paragraph("Agree the Charter.", style="List Number")
    document.save(path)
    return path


def test_paragraphs_headings_lists_and_tables_come_out_in_document_order(tmp_path):
    source = read_document(_cabinet_report(tmp_path / "report.docx"))

    # Word's headings are kept as headings, written as Markdown ones, whatever their length.
    assert source.text == (
        "# Purpose\n\n"
        "To update Members on local work regarding Anchor Institutions.\n\n"
        "Anchor institutions include:\n\n"
        "• the NHS\n\n"
        "• the universities\n\n"
        "## Financial Considerations\n\n"
        "Item\tCost\n\n"
        "Charter launch\t£2,500\n\n"
        "Evaluation\t£10,000\n\n"
        "There are no further financial implications.\n\n"
        # Automatic numbers are not rendered by python-docx, so a numbered item gets no (false) bullet.
        "Agree the Charter."
    )
    assert source.page_starts == ()
    assert source.page_at(10) is None


def test_title_comes_from_core_properties(tmp_path):
    source = read_document(_cabinet_report(tmp_path / "report.docx"))

    assert source.title == "Anchor Institutions in Derbyshire and Derby"


def test_title_falls_back_to_the_heading_the_document_opens_with(tmp_path):
    assert read_document(_cabinet_report(tmp_path / "report.docx", title=None)).title == "Purpose"


def test_a_numbered_heading_after_the_cover_is_not_the_title(tmp_path):
    document = docx.Document()
    document.add_paragraph("SOWERBY METROPOLITAN BOROUGH COUNCIL")
    document.add_paragraph("Title: Joining the Sowerby Anchor Network")
    document.add_heading("1. Purpose", level=1)
    document.add_paragraph("1.1 This report seeks approval to join the Network.")
    document.save(tmp_path / "report.docx")
    assert read_document(tmp_path / "report.docx").title is None


def test_a_heading_style_on_a_sentence_keeps_it_as_text(tmp_path):
    document = docx.Document()
    document.add_heading("Decision", level=1)
    document.add_heading("RESOLVED that Cabinet agrees to sign the Charter.", level=2)
    document.add_heading("Deeply nested heading", level=8)
    document.save(tmp_path / "minutes.docx")
    assert read_document(tmp_path / "minutes.docx").text == (
        "# Decision\n\nRESOLVED that Cabinet agrees to sign the Charter.\n\n###### Deeply nested heading"
    )


def test_the_title_style_names_the_document(tmp_path):
    document = docx.Document()
    document.add_paragraph("Agenda item 7")
    document.add_heading("Our Anchor Pledge 2026", level=0)
    document.add_heading("Introduction", level=1)
    document.save(tmp_path / "pledge.docx")
    assert read_document(tmp_path / "pledge.docx").title == "Our Anchor Pledge 2026"


def test_merged_cells_are_read_once_and_one_column_tables_stay_paragraphs(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Implications"
    table.cell(1, 0).text = "Legal"
    table.cell(1, 1).merge(table.cell(1, 2)).text = "None"
    box = document.add_table(rows=1, cols=1).cell(0, 0)
    box.paragraphs[0].text = "Summary"
    box.add_paragraph("Cabinet is asked to note the report.")
    document.save(tmp_path / "tables.docx")

    assert read_document(tmp_path / "tables.docx").text == (
        "Implications\n\nLegal\tNone\n\nSummary\n\nCabinet is asked to note the report."
    )


def test_text_in_content_controls_tracked_insertions_and_line_breaks_is_kept(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph("Report of the ")
    inserted = "<w:r><w:t>Executive Director</w:t></w:r>"
    deleted = "<w:r><w:delText>Chief Officer</w:delText></w:r>"
    paragraph._p.append(parse_xml(f"<w:ins {W_NS} w:id='1' w:author='x'>{inserted}</w:ins>"))
    paragraph._p.append(parse_xml(f"<w:del {W_NS} w:id='2' w:author='x'>{deleted}</w:del>"))
    paragraph.add_run().add_break()
    paragraph.add_run("Adult Social Care")
    document.element.body.insert(
        0,
        parse_xml(
            f"<w:sdt {W_NS}><w:sdtPr/><w:sdtContent>"
            "<w:p><w:r><w:t>FOR PUBLICATION</w:t></w:r></w:p>"
            "</w:sdtContent></w:sdt>"
        ),
    )
    document.save(tmp_path / "controls.docx")

    assert read_document(tmp_path / "controls.docx").text == (
        "FOR PUBLICATION\n\nReport of the Executive Director\nAdult Social Care"
    )


def test_text_box_is_read_once_after_its_paragraph(tmp_path):
    box = "<w:txbxContent><w:p><w:r><w:t>Key decision: yes</w:t></w:r></w:p></w:txbxContent>"
    # Word writes a text box twice: the modern drawing and a legacy VML copy in mc:Fallback.
    run = parse_xml(
        f"<w:r {W_NS} xmlns:mc='http://schemas.openxmlformats.org/markup-compatibility/2006'"
        " xmlns:v='urn:schemas-microsoft-com:vml'><mc:AlternateContent>"
        f"<mc:Choice Requires='wps'><w:drawing><v:textbox>{box}</v:textbox></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:textbox>{box}</v:textbox></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )
    document = docx.Document()
    document.add_paragraph("Summary").add_run()._r.addnext(run)
    document.add_paragraph("Details follow.")
    document.save(tmp_path / "box.docx")

    assert read_document(tmp_path / "box.docx").text == "Summary\n\nKey decision: yes\n\nDetails follow."


@pytest.mark.parametrize(
    "content",
    [b"\x00\x01binary junk" * 100, b"PK\x03\x04 not really a zip"],
    ids=["junk", "fake-zip-header"],
)
def test_non_word_bytes_are_refused(tmp_path, content):
    path = tmp_path / "report.docx"
    path.write_bytes(content)

    with pytest.raises(UnreadableDocument, match="not a valid Word document"):
        read_document(path)


def test_zip_that_is_not_a_word_document_is_refused(tmp_path):
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")

    with pytest.raises(UnreadableDocument, match="not a valid Word document"):
        read_document(path)


def test_document_without_text_is_refused(tmp_path):
    docx.Document().save(tmp_path / "blank.docx")

    with pytest.raises(UnreadableDocument, match="no text found in the document"):
        read_document(tmp_path / "blank.docx")
