"""Whatever the policy team drops into corpus/: each bad file is named with a plain reason, the rest is indexed."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from click.testing import CliRunner
from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from bot.cli import EXIT_SKIPPED, main
from ingest import store
from tests.conftest import SHIPPED_REPORT, make_engine
from tests.pdfs import write_pdf

SUPPORTED = ".docx, .htm, .html, .md, .pdf, .txt"

# Every file that must be skipped, and the reason an officer reads for it.
SKIPPED = {
    "broken-minutes.pdf": "damaged PDF: ",  # a prefix: the rest is pypdf's own words
    "locked-budget.pdf": "encrypted PDF: needs a password",
    "scanned-letter.pdf": "no extractable text — needs OCR",
    "blank.txt": "empty file",
    "junk.txt": "not a text file (binary content)",
    "junk.docx": "not a valid Word document",
    "huge-export.txt": "file too large (50 MB; limit 20 MB)",
    "budget.xlsx": f"unsupported file type .xlsx; supported: {SUPPORTED}",
}
INDEXED = {
    "derbyshire-cabinet-2022-01-13-anchor-institutions.txt",
    "allotments.pdf",
    "parking-charges.txt",
}


def _encrypted_copy(source, target, user_password):
    writer = PdfWriter(clone_from=source)
    # AES, as Word and Acrobat write it today; opening even the empty password needs `cryptography`.
    writer.encrypt(user_password=user_password, owner_password="owner-only", algorithm="AES-256")
    writer.write(target)


def _scanned_pdf(path):
    """A page image without a text layer, as a scanner produces: shapes only."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.rect(60, 60, 470, 700, fill=0)
    pdf.circle(300, 420, 120, fill=1)
    pdf.showPage()
    pdf.save()


def _write_messy_corpus(corpus):
    corpus.mkdir()
    shutil.copy(SHIPPED_REPORT, corpus)
    plain = corpus.parent / "plain.pdf"
    write_pdf(plain, [[
        "Allotment Tenancy Rules",
        "1. Waiting list",
        "1.1 Residents join the allotment waiting list by writing to the Parks Service.",
        "1.2 Plots are offered in the order applications were received.",
    ]])
    _encrypted_copy(plain, corpus / "allotments.pdf", user_password="")
    _encrypted_copy(plain, corpus / "locked-budget.pdf", user_password="s3cret-budget")
    (corpus / "broken-minutes.pdf").write_bytes(plain.read_bytes()[:700])
    _scanned_pdf(corpus / "scanned-letter.pdf")
    (corpus / "blank.txt").touch()
    (corpus / "junk.txt").write_bytes(os.urandom(4096))
    (corpus / "junk.docx").write_bytes(os.urandom(4096))
    with open(corpus / "huge-export.txt", "wb") as huge:  # sparse: 50 MB on paper, nothing on disk
        huge.truncate(50_000_000)
    (corpus / "parking-charges.txt").write_bytes(
        "Parking Charges 2024\n\n"
        "1. Permits\n\n"
        "1.1 A resident's parking permit costs £45 a year; a second permit costs £90.\n".encode("cp1252")
    )
    (corpus / "budget.xlsx").write_bytes(b"PK\x03\x04 not really a spreadsheet")


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """One real `policybot ingest` over the messy corpus, shared by this module's tests."""
    root = tmp_path_factory.mktemp("messy")
    corpus, index = root / "corpus", root / "index"
    _write_messy_corpus(corpus)
    with pytest.MonkeyPatch.context() as patch:  # the autouse clean environment is per test, so repeat it here
        patch.chdir(root)
        for name in [name for name in os.environ if name.startswith(("SLACK_", "POLICYBOT_"))]:
            patch.delenv(name)
        result = CliRunner().invoke(main, ["ingest", "--corpus", str(corpus), "--index", str(index)])
    return result, index


def test_each_bad_file_is_named_with_its_plain_reason_and_exit_code_is_1(ingested):
    result, _ = ingested

    assert result.exit_code == EXIT_SKIPPED, result.output
    # Every line on stderr names a file: no library noise ("EOF marker not found") and no duplicates.
    skipped_lines = result.stderr.splitlines()
    assert all(line.startswith("Skipped ") for line in skipped_lines), result.stderr
    reported = dict(line.removeprefix("Skipped ").split(": ", 1) for line in skipped_lines)
    assert len(reported) == len(skipped_lines)
    assert set(reported) == set(SKIPPED)
    for name, reason in SKIPPED.items():
        assert reported[name].startswith(reason), (name, reported[name])
    assert len(reported["broken-minutes.pdf"]) < 120
    assert f"Indexed {len(INDEXED)} document(s)" in result.stdout


def test_everything_else_is_indexed_and_cp1252_pound_signs_survive(ingested):
    _, index = ingested

    build = store.load_build(store.current_build(index))

    assert {document.path for document in build.documents.values()} == INDEXED
    assert set(build.manifest.skipped) == set(SKIPPED)
    assert any("£45 a year; a second permit costs £90" in passage.text for passage in build.passages)


@pytest.mark.parametrize(
    "question, source, quoted",
    [
        ("Which organisations are members of the Anchor Executive Group?",
         "derbyshire-cabinet-2022-01-13-anchor-institutions.txt", "Anchor Executive Group"),
        ("How do I join the allotment waiting list?", "allotments.pdf", "by writing to the Parks Service"),
        ("How much is a resident's parking permit?", "parking-charges.txt", "£45 a year"),
    ],
)
def test_questions_about_the_good_documents_are_answered(ingested, embedder, question, source, quoted):
    _, index = ingested

    answer = make_engine(index, embedder).ask(question)

    assert answer.answered
    assert answer.quotes[0].document.path == source, answer.quotes[0].citation.label
    assert quoted in answer.quotes[0].shown


def test_policybot_ask_answers_from_the_index_built_beside_bad_files(ingested):
    _, index = ingested

    result = CliRunner().invoke(main, ["ask", "--index", str(index), "--json", "How do I join the allotment waiting list?"])

    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["answered"] is True
    assert answer["results"][0]["doc"]["path"] == "allotments.pdf"
    assert "allotment waiting list" in answer["results"][0]["quote"]
