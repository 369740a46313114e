"""Plain text and Markdown: encodings, line endings, odd spaces, titles and binary content."""

from __future__ import annotations

import codecs
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.readers import UnreadableDocument, read_document
from ingest.readers.tidy import tidy_text


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_windows_1252_text_keeps_the_pound_sign(tmp_path):
    path = _write(tmp_path, "fees.txt", "Charge: £25 per visit – “standard” rate\r\n".encode("cp1252"))

    assert read_document(path).text == "Charge: £25 per visit – “standard” rate"


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8], ids=["utf-8", "utf-8-bom"])
def test_utf8_with_or_without_bom(tmp_path, bom):
    path = _write(tmp_path, "notes.txt", bom + "Budget £2.5m\n".encode("utf-8"))

    assert read_document(path).text == "Budget £2.5m"


def test_utf16_with_bom_is_text_not_binary(tmp_path):
    path = _write(tmp_path, "export.txt", "Budget £2.5m".encode("utf-16"))

    assert read_document(path).text == "Budget £2.5m"


def test_line_endings_spaces_and_form_feeds_are_normalised(tmp_path):
    raw = "1.1\tCountywide.   \r\n\r\n\r\n\r\n2.1 Not\u00a0a key decision.\rEnd of page\fNext page\n"
    path = _write(tmp_path, "report.txt", raw.encode("utf-8"))

    source = read_document(path)

    assert source.text == "1.1\tCountywide.\n\n2.1 Not a key decision.\nEnd of page\nNext page"
    assert source.title is None
    assert source.page_starts == ()


def test_markdown_is_kept_as_written_and_titled_by_its_first_h1(tmp_path):
    markdown = "```\n# not a heading\n```\n\n# Anchor Institutions #\n\n## Purpose\n\nTo update Members.\n"
    path = _write(tmp_path, "anchor.md", markdown.encode("utf-8"))

    source = read_document(path)

    assert source.text == markdown.rstrip("\n")
    assert source.title == "Anchor Institutions"


def test_binary_junk_named_txt_is_refused(tmp_path):
    path = _write(tmp_path, "junk.txt", os.urandom(4096) + b"\x00")

    with pytest.raises(UnreadableDocument, match=r"not a text file \(binary content\)"):
        read_document(path)


def test_text_made_mostly_of_control_characters_is_refused(tmp_path):
    path = _write(tmp_path, "controls.txt", bytes(range(1, 9)) * 50 + b"some words")

    with pytest.raises(UnreadableDocument, match=r"not a text file \(binary content\)"):
        read_document(path)


@pytest.mark.parametrize(
    "content", [b"   \r\n\t\n", "\ufeff \u00a0\n".encode("utf-8")], ids=["spaces", "bom-and-nbsp"]
)
def test_whitespace_only_text_is_an_empty_file(tmp_path, content):
    with pytest.raises(UnreadableDocument, match="empty file"):
        read_document(_write(tmp_path, "blank.txt", content))


# Everything except ligatures (which are spelled out) and lone surrogates (which can't be written to a file).
_LIGATURES = "".join(map(chr, range(0xFB00, 0xFB07)))
_any_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters=_LIGATURES))


@given(_any_text)
def test_tidying_never_drops_or_reorders_words(text):
    assert tidy_text(text).split() == text.split()


@given(_any_text)
def test_tidying_is_idempotent(text):
    assert tidy_text(tidy_text(text)) == tidy_text(text)


def test_a_sentence_broken_by_a_running_header_and_page_number_reads_whole(tmp_path):
    header = "Wendleford Borough Council – Cabinet 12 September 2024"
    body = [
        "2.1\n\nThe clinic site could",
        "provide about 28 affordable homes.\n\n2.2\n\nThe hub opens in 2027.",
        "2.3\n\nThe partnership runs for five years.",
    ]
    text = "".join(f"{page}\n\n{header}\nPage {n} of 3\n\n" for n, page in enumerate(body, start=1))
    path = _write(tmp_path, "report.txt", text.encode("utf-8"))

    read = read_document(path).text

    assert header not in read
    assert "could\n\nprovide about 28 affordable homes." in read
