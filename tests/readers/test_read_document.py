"""What read_document checks for every format: suffix, existence, size and emptiness."""

from __future__ import annotations

import time

import pytest

from ingest.readers import SUPPORTED_SUFFIXES, UnreadableDocument, read_document


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == frozenset({".pdf", ".docx", ".html", ".htm", ".txt", ".md"})


@pytest.mark.parametrize(
    "name, shown", [("minutes.xyz", ".xyz"), ("minutes.DOC", ".doc"), ("README", "(no extension)")]
)
def test_unsupported_file_type_names_the_supported_ones(tmp_path, name, shown):
    path = tmp_path / name
    path.write_text("Minutes of the meeting")

    with pytest.raises(UnreadableDocument) as raised:
        read_document(path)

    assert raised.value.reason == f"unsupported file type {shown}; supported: .docx, .htm, .html, .md, .pdf, .txt"
    assert str(raised.value) == f"{path}: {raised.value.reason}"


@pytest.mark.parametrize("suffix", sorted(SUPPORTED_SUFFIXES))
def test_zero_byte_file_is_empty_whatever_its_format(tmp_path, suffix):
    path = tmp_path / f"blank{suffix}"
    path.touch()

    with pytest.raises(UnreadableDocument, match="^.*: empty file$"):
        read_document(path)


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".html"])
def test_whitespace_only_file_is_empty_whatever_its_format(tmp_path, suffix):
    path = tmp_path / f"blank{suffix}"
    path.write_bytes(b" \r\n\t \n")

    with pytest.raises(UnreadableDocument, match="empty file"):
        read_document(path)


def test_file_over_the_limit_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("x" * 2_500)

    with pytest.raises(UnreadableDocument) as raised:
        read_document(path, max_bytes=1_000)

    assert raised.value.reason == "file too large (2 KB; limit 1 KB)"


def test_fifty_megabyte_file_is_refused_by_size_before_reading(tmp_path):
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.seek(52_000_000 - 1)
        handle.write(b"\n")
    started = time.perf_counter()

    with pytest.raises(UnreadableDocument) as raised:
        read_document(path)

    assert raised.value.reason == "file too large (52 MB; limit 20 MB)"
    assert time.perf_counter() - started < 0.5


def test_file_at_the_limit_is_read(tmp_path):
    path = tmp_path / "exact.txt"
    path.write_text("x" * 1_000)

    assert read_document(path, max_bytes=1_000).text == "x" * 1_000


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableDocument, match="file not found"):
        read_document(tmp_path / "gone.pdf")


def test_folder_is_not_a_file(tmp_path):
    folder = tmp_path / "minutes.md"
    folder.mkdir()

    with pytest.raises(UnreadableDocument, match="not a file"):
        read_document(folder)
