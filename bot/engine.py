"""The engine every front end shares: load the index and model once, answer questions, follow new builds."""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from bot.answer import Answer, compose_answer
from bot.glossary import Glossary, load_glossary
from bot.retrieve import Candidate, RetrievalConfig, Retriever
from bot.settings import Settings
from ingest import store
from ingest.embed import Embedder
from ingest.passages import ChunkSettings
from ingest.records import Document

log = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FOLLOW_UP_WEIGHT = 0.5


@dataclass(frozen=True)
class _Loaded:
    """One build and the retriever over it; swapped as a whole so a question never sees half of each."""

    build_path: Path
    retriever: Retriever


class Engine:
    """Answers questions from the current index build; thread-safe, and reloads when a new build appears."""

    def __init__(
        self,
        index_dir: Path,
        embedder: Embedder,
        glossary: Glossary,
        config: RetrievalConfig = RetrievalConfig(),
        chunking: ChunkSettings = ChunkSettings(),
        top: int = 3,
        max_question_chars: int = 1000,
    ) -> None:
        self.index_dir = index_dir
        self.embedder = embedder
        self.glossary = glossary
        self.config = config
        self.chunking = chunking
        self.top = top
        self.max_question_chars = max_question_chars
        self._reload_lock = threading.Lock()
        self._loaded = self._load(store.current_build(index_dir))

    @classmethod
    def load(cls, settings: Settings, config: RetrievalConfig = RetrievalConfig()) -> Engine:
        """The engine as configured; the model is loaded now so the first question is not slow."""
        engine = cls(
            settings.index_dir,
            Embedder(settings.model),
            load_glossary(settings.glossary),
            config=config,
            top=settings.top,
            max_question_chars=settings.max_question_chars,
        )
        engine.embedder.embed_one("warm up")
        return engine

    def _load(self, build_path: Path) -> _Loaded:
        build = store.load_build(build_path)
        store.check_compatible(build.manifest, self.embedder.model_name, self.chunking.to_dict())
        log.info("loaded index build %s (%d passages)", build_path.name, len(build.passages))
        return _Loaded(build_path, Retriever(build, self.embedder, self.glossary, self.config))

    @property
    def retriever(self) -> Retriever:
        return self._loaded.retriever

    @property
    def documents(self) -> tuple[Document, ...]:
        return tuple(sorted(self.retriever.build.documents.values(), key=lambda document: document.title))

    def passage_count(self, doc_id: str) -> int:
        return sum(1 for passage in self.retriever.build.passages if passage.doc_id == doc_id)

    def reload_if_changed(self) -> bool:
        """Switch to a newer build if ingest published one; a build that fails to load is logged and ignored."""
        try:
            latest = store.current_build(self.index_dir)
        except store.IndexProblem as problem:
            log.warning("keeping the loaded index: %s", problem)
            return False
        if latest == self._loaded.build_path:
            return False
        with self._reload_lock:
            if latest == self._loaded.build_path:
                return False
            try:
                self._loaded = self._load(latest)
            except store.IndexProblem as problem:
                log.error("new index build %s not loaded, still serving %s: %s", latest.name, self._loaded.build_path.name, problem)
                return False
        return True

    def ask(self, question: str, *, top: int | None = None, follow_up_to: str | None = None) -> Answer:
        """Quote the passages that answer `question`; `follow_up_to` is the question that opened the thread."""
        self.reload_if_changed()
        cleaned, notice = self.clean_question(question)
        retriever = self.retriever
        candidates = self.search(cleaned, follow_up_to=follow_up_to, retriever=retriever)
        return compose_answer(cleaned, candidates, retriever.build.documents, top or self.top, notice)

    def more(self, question: str, shown: int, count: int | None = None, *, follow_up_to: str | None = None) -> Answer:
        """For "Show more": the passages after the `shown` already on screen, ranked from shown + 1.
        `quotes` is empty when the documents hold nothing further worth quoting."""
        answer = self.ask(question, top=shown + (count or self.top), follow_up_to=follow_up_to)
        return replace(answer, quotes=answer.quotes[shown:])

    def search(
        self, question: str, *, follow_up_to: str | None = None, retriever: Retriever | None = None
    ) -> list[Candidate]:
        retriever = retriever or self.retriever
        if not question:
            return []
        if not follow_up_to:
            return retriever.search(question)
        # A follow-up ("and legal?") is searched on its own and together with the thread's question;
        # its own words lead, the thread supplies what it is about.
        alone = retriever.search(question)
        together = retriever.search(f"{question} {self.clean_question(follow_up_to)[0]}")
        return _merge_rankings(together, alone, FOLLOW_UP_WEIGHT)

    def clean_question(self, question: str) -> tuple[str, str | None]:
        """The question without control characters, trimmed to a sane length (and a notice if it was)."""
        text = unicodedata.normalize("NFKC", _CONTROL.sub(" ", question or ""))
        text = " ".join(text.split())
        if len(text) <= self.max_question_chars:
            return text, None
        cut = text[: self.max_question_chars].rsplit(" ", 1)[0]
        return cut, f"Your question was very long, so I searched using its first {len(cut)} characters."


def _merge_rankings(primary: list[Candidate], secondary: list[Candidate], secondary_weight: float) -> list[Candidate]:
    """Order by the primary ranking, lifted where the secondary agrees; evidence comes from the primary."""
    score: dict[str, float] = {}
    best: dict[str, Candidate] = {}
    for weight, ranking in ((1.0, primary), (secondary_weight, secondary)):
        for rank, candidate in enumerate(ranking, start=1):
            key = candidate.passage.id
            score[key] = score.get(key, 0.0) + weight / (10 + rank)
            if key not in best or candidate.dense > best[key].dense:
                best[key] = candidate
    return [best[key] for key in sorted(score, key=lambda key: -score[key])]
