"""Ingest: every file in the corpus becomes passages, embeddings and a new index build, switched in atomically."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest import store
from ingest.decisions import extract_decision
from ingest.embed import Embedder
from ingest.lexical import tokens
from ingest.passages import ChunkSettings, contextual_text, describe_document, make_passages
from ingest.readers import UnreadableDocument, read_document
from ingest.records import Document, Passage
from ingest.structure import parse_structure

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass
class Skipped:
    path: str
    reason: str
    sha256: str = ""


@dataclass
class IngestReport:
    """What an ingest did: the numbers in the summary an officer sees."""

    documents: int = 0
    passages: int = 0
    embedded_documents: int = 0
    reused_documents: int = 0
    removed_documents: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    build: Path | None = None


@dataclass
class _Parsed:
    document: Document
    passages: list[Passage]
    vectors: np.ndarray | None = None


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Every visible file below the corpus folder, in a stable order."""
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus_dir}")
    return sorted(
        path
        for path in corpus_dir.rglob("*")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(corpus_dir).parts)
    )


def document_id(relative_path: str, taken: set[str]) -> str:
    """A readable id from the file name; the extension is added only to tell two same-named files apart."""
    stem = re.sub(r"[^a-z0-9]+", "-", Path(relative_path).with_suffix("").as_posix().lower()).strip("-") or "document"
    if stem not in taken:
        return stem
    return re.sub(r"[^a-z0-9]+", "-", relative_path.lower()).strip("-")


def ingest_corpus(
    corpus_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    chunking: ChunkSettings = ChunkSettings(),
    progress: Progress | None = None,
) -> IngestReport:
    """Index the corpus into a new build beside the current one and switch to it when it is complete.

    Documents whose content hash is unchanged since the current build keep their passages and vectors;
    only new or changed documents are embedded; files no longer in the corpus drop out.
    """
    files = corpus_files(corpus_dir)
    with store.ingest_lock(index_dir):
        previous = _reusable_build(index_dir, embedder.model_name, chunking)
        report = IngestReport()
        parsed: list[_Parsed] = []
        taken: set[str] = set()
        for path in files:
            relative = path.relative_to(corpus_dir).as_posix()
            if progress:
                progress(relative)
            try:
                item = _parse_file(path, relative, document_id(relative, taken), chunking)
            except UnreadableDocument as error:
                report.skipped.append(Skipped(relative, error.reason, _sha256(path)))
                # Info, not warning: the caller prints the report, and a second copy would only confuse.
                log.info("skipped %s: %s", relative, error.reason)
                continue
            taken.add(item.document.id)
            _reuse_vectors(item, previous)
            parsed.append(item)
        _embed_missing(parsed, embedder, chunking, report)
        report.documents = len(parsed)
        report.passages = sum(len(item.passages) for item in parsed)
        if previous is not None:
            current_hashes = {item.document.sha256 for item in parsed}
            report.removed_documents = sum(
                1 for entry in previous.manifest.documents.values() if entry["sha256"] not in current_hashes
            )
        report.build = _write_and_publish(index_dir, parsed, report.skipped, embedder, chunking)
    return report


def index_is_current(corpus_dir: Path, index_dir: Path, model: str, chunking: ChunkSettings = ChunkSettings()) -> bool:
    """True when the index was built the configured way from exactly the files now in the corpus,
    so `make run` can skip loading the model for an ingest that would change nothing."""
    try:
        manifest = store.read_manifest(index_dir)
        store.check_compatible(manifest, model, chunking.to_dict())
    except store.IndexProblem:
        return False
    built_from = {entry["path"]: entry["sha256"] for entry in manifest.documents.values()} | manifest.skipped
    now = {path.relative_to(corpus_dir).as_posix(): _sha256(path) for path in corpus_files(corpus_dir)}
    return built_from == now


def _sha256(path: Path) -> str:
    """The content hash; empty for a file that cannot be opened (it is reported as skipped anyway)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def _parse_file(path: Path, relative: str, doc_id: str, chunking: ChunkSettings) -> _Parsed:
    source = read_document(path)
    sha256 = _sha256(path)
    structure = parse_structure(source.text)
    document = describe_document(doc_id, relative, sha256, source, structure)
    passages = make_passages(document, source, structure, chunking)
    if not passages:
        raise UnreadableDocument(path, "no text to index")
    return _Parsed(document, passages)


def _reusable_build(index_dir: Path, model: str, chunking: ChunkSettings) -> store.Build | None:
    """The current build, if it was made the same way; otherwise everything is embedded afresh."""
    try:
        build = store.load_build(store.current_build(index_dir))
        store.check_compatible(build.manifest, model, chunking.to_dict())
    except store.IndexProblem as problem:
        log.info("not reusing the current index: %s", problem)
        return None
    return build


def _reuse_vectors(item: _Parsed, previous: store.Build | None) -> None:
    """Unchanged content (same hash, same passages) keeps the vectors it already has."""
    if previous is None:
        return
    for old in previous.documents.values():
        if old.sha256 != item.document.sha256:
            continue
        old_texts = [previous.passages[row].text for row in previous.rows_of(old.id)]
        if old_texts == [p.text for p in item.passages] and old.title == item.document.title:
            item.vectors = previous.vectors_of(old.id)
            return


def _embed_missing(parsed: list[_Parsed], embedder: Embedder, chunking: ChunkSettings, report: IngestReport) -> None:
    for item in parsed:
        if item.vectors is not None:
            report.reused_documents += 1
            continue
        texts = [contextual_text(item.document, passage, chunking.context) for passage in item.passages]
        item.vectors = embedder.embed(texts)
        report.embedded_documents += 1


def _write_and_publish(
    index_dir: Path, parsed: list[_Parsed], skipped: list[Skipped], embedder: Embedder, chunking: ChunkSettings
) -> Path:
    documents = [item.document for item in parsed]
    passages = [passage for item in parsed for passage in item.passages]
    by_id = {item.document.id: item.document for item in parsed}
    vectors = [item.vectors for item in parsed if item.vectors is not None and len(item.vectors)]
    dimension = vectors[0].shape[1] if vectors else embedder.dimension
    manifest = store.Manifest(
        model=embedder.model_name,
        dimension=dimension,
        chunker=chunking.to_dict(),
        documents={
            item.document.id: {
                "path": item.document.path,
                "sha256": item.document.sha256,
                "passages": len(item.passages),
            }
            for item in parsed
        },
        skipped={item.path: item.sha256 for item in skipped},
    )
    build = store.write_build(
        index_dir,
        manifest,
        documents,
        passages,
        np.vstack(vectors) if vectors else np.zeros((0, dimension), dtype=np.float32),
        [tokens(contextual_text(by_id[passage.doc_id], passage, chunking.context)) for passage in passages],
        decisions=[record for item in parsed if (record := extract_decision(item.document, item.passages))],
    )
    store.publish(index_dir, build)
    return build

