"""Fixtures for the reliability tests: a corpus and an index of the shipped report that a test may change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SHIPPED_REPORT


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A corpus folder holding the shipped report, for the test to add to or damage."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SHIPPED_REPORT, folder)
    return folder


@pytest.fixture
def index(shipped_index, tmp_path) -> Path:
    """A private copy of the shipped index (CURRENT is a relative link, so the copy stands alone);
    ingesting `corpus` into it re-embeds nothing that is unchanged."""
    copy = tmp_path / "index"
    shutil.copytree(shipped_index, copy, symlinks=True, ignore=shutil.ignore_patterns(".ingest.lock"))
    return copy
