"""The index directory: immutable builds, a manifest saying how each was made, and an atomic switch.

    index/
      CURRENT -> builds/<id>        symlink, replaced atomically when a build is complete
      builds/<id>/manifest.json     model, dimension, chunker settings, per-document hashes, build time
      builds/<id>/documents.json
      builds/<id>/passages.jsonl
      builds/<id>/decisions.json    each cabinet report's decision record (ingest/decisions.py)
      builds/<id>/vectors.faiss     normalised embeddings, inner-product index
      builds/<id>/lexical/          BM25 index over the same passages
      .ingest.lock                  held (flock) while an ingest runs; released by the kernel if it dies

A reader that resolved CURRENT keeps a complete build even while the next one is being written,
and an ingest killed at any moment leaves CURRENT pointing at the previous complete build.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ingest.decisions import DecisionRecord, extract_decisions
from ingest.records import Document, Passage

FORMAT_VERSION = 1
CURRENT = "CURRENT"
BUILDS = "builds"
LOCK = ".ingest.lock"


class IndexProblem(Exception):
    """Base for problems with the index directory; messages say what to do."""


class IndexNotFound(IndexProblem):
    pass


class IndexMismatch(IndexProblem):
    pass


class IndexCorrupt(IndexProblem):
    pass


class IngestLocked(IndexProblem):
    pass


@dataclass(frozen=True)
class Manifest:
    """How a build was made; a build is only usable with the same model and chunker."""

    model: str
    dimension: int
    chunker: dict
    documents: dict[str, dict]
    skipped: dict[str, str] = field(default_factory=dict)  # path -> sha256 of files that could not be read
    built_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    format: int = FORMAT_VERSION

    @property
    def passage_count(self) -> int:
        return sum(entry["passages"] for entry in self.documents.values())

    def to_dict(self) -> dict:
        return {**self.__dict__, "passage_count": self.passage_count}

    @classmethod
    def from_dict(cls, data: dict) -> Manifest:
        return cls(
            model=data["model"],
            dimension=data["dimension"],
            chunker=data["chunker"],
            documents=data["documents"],
            skipped=data.get("skipped", {}),
            built_at=data["built_at"],
            format=data["format"],
        )


@dataclass
class Build:
    """One complete build as loaded: everything retrieval needs, read once."""

    path: Path
    manifest: Manifest
    documents: dict[str, Document]
    passages: list[Passage]
    vectors: object  # faiss.Index
    lexical: object  # bm25s.BM25
    decisions: dict[str, DecisionRecord] = field(default_factory=dict)  # by document id

    def rows_of(self, doc_id: str) -> list[int]:
        """Where one document's passages sit in `passages` (and in the vector index), in order."""
        return self._rows_by_document.get(doc_id, [])

    def vectors_of(self, doc_id: str) -> np.ndarray:
        """The stored embeddings of one document's passages, in passage order, for reuse."""
        rows = self.rows_of(doc_id)
        if not rows:
            return np.zeros((0, self.manifest.dimension), dtype=np.float32)
        return np.asarray(self._all_vectors[rows], dtype=np.float32)

    @cached_property
    def _rows_by_document(self) -> dict[str, list[int]]:
        rows: dict[str, list[int]] = {}
        for row, passage in enumerate(self.passages):
            rows.setdefault(passage.doc_id, []).append(row)
        return rows

    @cached_property
    def _all_vectors(self) -> np.ndarray:
        # Read out of the index once per build, not once per reused document.
        return self.vectors.reconstruct_n(0, self.vectors.ntotal)


def write_build(
    index_dir: Path,
    manifest: Manifest,
    documents: list[Document],
    passages: list[Passage],
    vectors: np.ndarray,
    lexical_tokens: list[list[str]],
    decisions: Sequence[DecisionRecord] = (),
) -> Path:
    """Write a complete build into a new directory beside the current one; nothing is switched yet."""
    import bm25s
    import faiss

    builds = index_dir / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    build_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 1_000_000:06d}"
    partial = builds / f".partial-{build_id}"
    partial.mkdir()
    _write_json(partial / "documents.json", [document.to_dict() for document in documents])
    with open(partial / "passages.jsonl", "w", encoding="utf-8") as out:
        for passage in passages:
            out.write(json.dumps(passage.to_dict(), ensure_ascii=False) + "\n")
    _write_json(partial / "decisions.json", [record.to_dict() for record in decisions])
    index = faiss.IndexFlatIP(manifest.dimension)
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    faiss.write_index(index, str(partial / "vectors.faiss"))
    lexical = bm25s.BM25()
    # bm25s cannot index an empty corpus; a one-token placeholder keeps an empty build loadable.
    lexical.index(lexical_tokens or [[""]], show_progress=False)
    lexical.save(str(partial / "lexical"))
    _write_json(partial / "manifest.json", manifest.to_dict())
    _fsync_tree(partial)
    final = builds / build_id
    os.rename(partial, final)
    _fsync_dir(builds)  # the rename must reach the disk before CURRENT can point at it
    return final


def publish(index_dir: Path, build: Path) -> None:
    """Point CURRENT at `build` atomically, then remove what nobody should need any more."""
    link = index_dir / CURRENT
    previous = Path(os.readlink(link)).name if link.is_symlink() else None
    temporary = index_dir / f".{CURRENT}.{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(Path(BUILDS) / build.name)
    os.replace(temporary, link)
    _fsync_dir(index_dir)
    _remove_leftovers(index_dir, keep={build.name, previous})


def _remove_leftovers(index_dir: Path, keep: set[str | None]) -> None:
    """Keep the new build and the one it replaced (a running bot may still be loading it); remove older
    builds and whatever a killed ingest left: half-written builds, a build it never published, its
    temporary link."""
    for path in (index_dir / BUILDS).iterdir():
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
    for link in index_dir.glob(f".{CURRENT}.*"):
        link.unlink(missing_ok=True)


def current_build(index_dir: Path) -> Path:
    link = index_dir / CURRENT
    if not link.is_symlink():
        raise IndexNotFound(f"no index in {index_dir}: run `policybot ingest` first")
    target = index_dir / os.readlink(link)
    if not (target / "manifest.json").is_file():
        raise IndexCorrupt(f"the index in {index_dir} points at a missing build: run `policybot ingest` again")
    return target


def read_manifest(index_dir: Path) -> Manifest:
    return _read_manifest(current_build(index_dir))


def _read_manifest(build: Path) -> Manifest:
    try:
        return Manifest.from_dict(json.loads((build / "manifest.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError) as error:
        raise IndexCorrupt(f"unreadable index manifest in {build}: {error}; run `policybot ingest` again") from error


def check_compatible(manifest: Manifest, model: str, chunker: dict) -> None:
    """An index is only meaningful with the model and chunker that made it."""
    if manifest.format != FORMAT_VERSION:
        raise IndexMismatch(
            f"the index was built by an older Policy Bot (format {manifest.format}); run `policybot ingest` to rebuild it"
        )
    if manifest.model != model:
        raise IndexMismatch(
            f"the index was built with the model {manifest.model!r} but the configured model is {model!r}; "
            "run `policybot ingest` to rebuild it with this model"
        )
    if manifest.chunker != chunker:
        raise IndexMismatch(
            f"the index was built with chunker settings {manifest.chunker} but these are {chunker}; "
            "run `policybot ingest` to rebuild it"
        )


def load_build(build: Path) -> Build:
    """Read one complete build; any damage is an IndexCorrupt naming the build."""
    import bm25s
    import faiss

    # Searching a few thousand vectors needs no threads, and faiss's OpenMP pool, idle-spinning beside
    # torch's on a small machine, made each question's embedding ten times slower (measured).
    faiss.omp_set_num_threads(1)

    manifest = _read_manifest(build)
    try:
        documents = {
            data["id"]: Document.from_dict(data)
            for data in json.loads((build / "documents.json").read_text(encoding="utf-8"))
        }
        with open(build / "passages.jsonl", encoding="utf-8") as lines:
            passages = [Passage.from_dict(json.loads(line)) for line in lines if line.strip()]
        decisions = _read_decisions(build, documents, passages)
        vectors = faiss.read_index(str(build / "vectors.faiss"))
        lexical = bm25s.BM25.load(str(build / "lexical"))
    # EOFError: numpy's answer to an emptied lexical array file.
    except (OSError, EOFError, ValueError, KeyError, TypeError, RuntimeError) as error:
        raise IndexCorrupt(f"the index build {build.name} is damaged ({error}); run `policybot ingest` again") from error
    consistent = (
        vectors.ntotal == len(passages)
        and vectors.d == manifest.dimension
        and all(passage.doc_id in documents for passage in passages)
    )
    if not consistent:
        raise IndexCorrupt(f"the index build {build.name} is inconsistent; run `policybot ingest` again")
    return Build(build, manifest, documents, passages, vectors, lexical, decisions)


def _read_decisions(build: Path, documents: dict[str, Document], passages: list[Passage]) -> dict[str, DecisionRecord]:
    """The stored decision records; a build made before they were stored has them derived from its
    passages (they are a pure function of them), so it keeps working without a re-ingest."""
    path = build / "decisions.json"
    if path.exists():
        records = [DecisionRecord.from_dict(data) for data in json.loads(path.read_text(encoding="utf-8"))]
    else:
        records = extract_decisions(documents.values(), passages)
    return {record.doc_id: record for record in records}


@contextmanager
def ingest_lock(index_dir: Path):
    """Only one ingest at a time. flock is released by the kernel when its holder dies, so a lock left
    by a killed ingest never blocks the next one."""
    index_dir.mkdir(parents=True, exist_ok=True)
    handle = open(index_dir / LOCK, "a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise IngestLocked(
                f"another ingest is already running on {index_dir} ({holder}); wait for it to finish"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {datetime.now().isoformat(timespec='seconds')}")
        handle.flush()
        yield
    finally:
        handle.close()


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _fsync_tree(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(root)


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
