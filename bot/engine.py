"""The engine every front end shares: load the index and model once, answer questions, follow new builds."""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from bot.answer import Answer, compose_answer
from bot.glossary import Glossary, load_glossary
from bot.retrieve import Candidate, Query, RetrievalConfig, Retriever
from bot.settings import Settings
from bot.spelling import english_words
from ingest import store
from ingest.embed import Embedder
from ingest.passages import ChunkSettings
from ingest.records import Document

log = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Zero-width and direction-changing characters: invisible, but they split or reorder the words searched.
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Chat markup a front end passed through as typed: <@U123>, <!channel>, <#C123|policy>, <http://x|label>.
_CHAT_MARKUP = re.compile(r"<([@!#][^<>|\s]*|[a-z][a-z0-9+.-]*:[^<>|\s]*)(?:\|([^<>]*))?>", re.IGNORECASE)
_BROADCASTS = frozenset({"!channel", "!here", "!everyone"})
NOTHING_TO_SEARCH = "Your question has no words I can search for; please ask it in words."
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
        self._refused: Path | None = None  # the last build that failed to load; not retried
        self._index_problem: str | None = None  # the last problem with CURRENT itself, logged once

    @classmethod
    def load(cls, settings: Settings) -> Engine:
        """The engine as configured; the model and word list are loaded now so the first question is not slow."""
        engine = cls(
            settings.index_dir,
            Embedder(settings.model),
            load_glossary(settings.glossary),
            top=settings.top,
            max_question_chars=settings.max_question_chars,
        )
        engine.embedder.embed_one("warm up")
        english_words()
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

    def reload_if_changed(self) -> bool:
        """Switch to a newer build if ingest published one; a build that fails to load is logged once and
        not tried again, and the loaded build keeps answering."""
        if self._new_build() is None:
            return False
        # One question loads the new build; questions arriving meanwhile are answered from the loaded one.
        if not self._reload_lock.acquire(blocking=False):
            return False
        try:
            # CURRENT is read again under the lock: a question that saw an older CURRENT must not switch back to it.
            latest = self._new_build()
            if latest is None:
                return False
            try:
                self._loaded = self._load(latest)
            except store.IndexProblem as problem:
                self._refused = latest
                log.error("new index build %s not loaded, still serving %s: %s", latest.name, self._loaded.build_path.name, problem)
                return False
            return True
        finally:
            self._reload_lock.release()

    def _new_build(self) -> Path | None:
        """The build CURRENT points at, unless it is the loaded one or one that already failed to load."""
        try:
            latest = store.current_build(self.index_dir)
        except store.IndexProblem as problem:
            if str(problem) != self._index_problem:
                log.warning("keeping the loaded index: %s", problem)
            self._index_problem = str(problem)
            return None
        self._index_problem = None
        if latest in (self._loaded.build_path, self._refused):
            return None
        return latest

    def ask(self, question: str, *, top: int | None = None, follow_up_to: str | None = None) -> Answer:
        """Quote the passages that answer `question`; `follow_up_to` is the question that opened the thread."""
        self.reload_if_changed()
        cleaned, notice = self.clean_question(question)
        retriever = self.retriever  # one build for the whole answer, even if a reload lands meanwhile
        words = searchable_words(cleaned)
        query = retriever.prepare(words)
        return compose_answer(
            cleaned,
            self._search(retriever, words, query, follow_up_to),
            retriever.build.documents,
            partial(retriever.sentence_relevance, query),
            top or self.top,
            notice,
        )

    def more(self, question: str, shown: int, count: int | None = None, *, follow_up_to: str | None = None) -> Answer:
        """For "Show more": the passages after the `shown` already on screen, ranked from shown + 1.
        `quotes` is empty when the documents hold nothing further worth quoting."""
        answer = self.ask(question, top=shown + (count or self.top), follow_up_to=follow_up_to)
        return replace(answer, quotes=answer.quotes[shown:])

    def search(self, question: str, *, follow_up_to: str | None = None) -> list[Candidate]:
        retriever = self.retriever
        words = searchable_words(question)
        return self._search(retriever, words, retriever.prepare(words), follow_up_to)

    def _search(self, retriever: Retriever, words: str, query: Query, follow_up_to: str | None) -> list[Candidate]:
        # Emoji and punctuation alone still embed to some vector; there is nothing in them to look up.
        if not has_words(words):
            return []
        alone = retriever.search(query)
        if not follow_up_to:
            return alone
        # A follow-up ("and legal?") is searched on its own and together with the thread's question;
        # its own words lead, the thread supplies what it is about.
        thread = searchable_words(self.clean_question(follow_up_to)[0])
        together = retriever.search(retriever.prepare(f"{words} {thread}"))
        return _merge_rankings(together, alone, FOLLOW_UP_WEIGHT)

    def clean_question(self, question: str) -> tuple[str, str | None]:
        """The question as typed, without control or invisible characters, trimmed to a sane length; the
        notice tells the asker when it was trimmed or when it has nothing to search for (only emoji,
        punctuation or mentions)."""
        text = unicodedata.normalize("NFKC", _CONTROL.sub(" ", _INVISIBLE.sub("", question or "")))
        text = " ".join(text.split())
        notice = None
        if len(text) > self.max_question_chars:
            text = text[: self.max_question_chars].rsplit(" ", 1)[0]
            notice = f"Your question was very long, so I searched using its first {len(text)} characters."
        if not has_words(searchable_words(text)):
            return text, NOTHING_TO_SEARCH
        return text, notice


def searchable_words(question: str) -> str:
    """What is searched for: the question with chat markup read as the asker saw it and mentions dropped.

    The question itself is echoed as typed (front ends escape it): after Slack's escaping is undone,
    `<!channel>` may be text the officer typed, which is theirs to see but nothing to search for.
    """
    return " ".join(_CHAT_MARKUP.sub(lambda match: markup_as_seen(match[1], match[2]), question).split())


def has_words(text: str) -> bool:
    """Whether `text` has anything to search for; emoji, punctuation and spaces alone do not."""
    return any(character.isalnum() for character in text)


def markup_as_seen(target: str, label: str | None = None) -> str:
    """One piece of chat markup (`<target|label>`) as the asker saw it. Mentions and pings say who should
    read, not what is asked, so they become a space; links, channels and dates read as their labels."""
    if target.startswith(("@", "!subteam^")) or target in _BROADCASTS:
        return " "
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!"):
        return label or " "
    return label or target


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
