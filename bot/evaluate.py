"""`policybot eval`: how often the right passage is quoted, and how honestly the bot abstains."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bot.answer import Answer
from bot.engine import Engine
from bot.retrieve import RetrievalConfig
from ingest.passages import ChunkSettings

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def fold_for_matching(text: str) -> str:
    """Compare as the dev set says: whitespace folded, curly quotes straightened, case ignored."""
    return " ".join(text.translate(_QUOTES).lower().split())


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    doc: str | None
    answer_contains: str | None

    @property
    def answerable(self) -> bool:
        return self.answer_contains is not None


def load_questions(path: Path) -> list[EvalQuestion]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            questions.append(EvalQuestion(data["id"], data["question"], data.get("doc"), data.get("answer_contains")))
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}, line {number}: not a question record ({error})") from None
    return questions


@dataclass
class Miss:
    id: str
    question: str
    expected: str
    got: str


@dataclass
class EvalResult:
    """The figures for one question set under one configuration."""

    answerable: int = 0
    unanswerable: int = 0
    hit1: float = 0.0
    hit3: float = 0.0
    mrr: float = 0.0
    abstained_unanswerable: float = 0.0
    wrongly_abstained: float = 0.0
    mean_quote_words: float = 0.0
    median_ms: float = 0.0
    misses: list[Miss] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def hit_rank(answer: Answer, question: EvalQuestion) -> int | None:
    """The rank of the first quote that shows the expected text (from the expected document): a passage holding
    the answer does not help the officer if its trimmed quote leaves the answer out."""
    if not answer.answered or question.answer_contains is None:
        return None
    needle = fold_for_matching(question.answer_contains)
    for quote in answer.quotes:
        same_document = question.doc is None or Path(quote.document.path).name == question.doc
        if same_document and needle in fold_for_matching(quote.shown):
            return quote.rank
    return None


def score(engine: Engine, questions: list[EvalQuestion], top: int = 3) -> EvalResult:
    result = EvalResult()
    reciprocal, hits1, hits3, quote_words, timings = [], 0, 0, [], []
    abstained_right = abstained_wrong = 0
    for question in questions:
        started = time.perf_counter()
        answer = engine.ask(question.question, top=top)
        timings.append((time.perf_counter() - started) * 1000)
        if answer.answered:
            quote_words.append(len(answer.quotes[0].shown.split()))
        if not question.answerable:
            result.unanswerable += 1
            if answer.answered:
                result.misses.append(Miss(question.id, question.question, "no answer (abstain)", _first(answer)))
            else:
                abstained_right += 1
            continue
        result.answerable += 1
        abstained_wrong += not answer.answered
        rank = hit_rank(answer, question)
        hits1 += rank == 1
        hits3 += rank is not None
        reciprocal.append(1 / rank if rank else 0.0)
        if rank != 1:
            result.misses.append(Miss(question.id, question.question, question.answer_contains, _first(answer)))
    result.hit1 = hits1 / max(result.answerable, 1)
    result.hit3 = hits3 / max(result.answerable, 1)
    result.mrr = statistics.fmean(reciprocal) if reciprocal else 0.0
    result.abstained_unanswerable = abstained_right / max(result.unanswerable, 1)
    result.wrongly_abstained = abstained_wrong / max(result.answerable, 1)
    result.mean_quote_words = statistics.fmean(quote_words) if quote_words else 0.0
    result.median_ms = statistics.median(timings) if timings else 0.0
    return result


def _first(answer: Answer) -> str:
    if not answer.answered:
        return "abstained"
    quote = answer.quotes[0]
    return f"{quote.citation.label}: {quote.shown[:90]}"


ABLATION = (
    ("dense only", RetrievalConfig(lexical=False, glossary=False), False),
    ("BM25 only", RetrievalConfig(dense=False, glossary=False), False),
    ("hybrid", RetrievalConfig(glossary=False), False),
    ("hybrid + glossary", RetrievalConfig(), False),
    ("hybrid + glossary + context text", RetrievalConfig(), True),
)


def run_ablation(engine: Engine, questions: list[EvalQuestion], corpus_dir: Path | None) -> list[dict]:
    """Each retrieval variant scored on the same questions. Variants without context text need an index
    built without it, so they are measured only when the corpus is given."""
    from ingest.pipeline import ingest_corpus

    rows = []
    with tempfile.TemporaryDirectory(prefix="policybot-ablation-") as scratch:
        plain_index = None
        if corpus_dir is not None:
            plain_index = Path(scratch)
            ingest_corpus(corpus_dir, plain_index, engine.embedder, ChunkSettings(context=False))
        for name, config, with_context in ABLATION:
            if not with_context and plain_index is None:
                continue
            variant = Engine(
                engine.index_dir if with_context else plain_index,
                engine.embedder,
                engine.glossary,
                config=config,
                chunking=ChunkSettings(context=with_context),
                top=engine.top,
                max_question_chars=engine.max_question_chars,
            )
            figures = score(variant, questions)
            rows.append({"variant": name, **{k: v for k, v in figures.to_dict().items() if k != "misses"}})
    return rows


def format_report(result: EvalResult, ablation: list[dict] | None) -> str:
    lines = [
        f"answerable questions     {result.answerable}",
        f"unanswerable questions   {result.unanswerable}",
        f"hit@1                    {result.hit1:.3f}",
        f"hit@3                    {result.hit3:.3f}",
        f"MRR                      {result.mrr:.3f}",
        f"abstained (unanswerable) {result.abstained_unanswerable:.3f}",
        f"wrongly abstained        {result.wrongly_abstained:.3f}",
        f"mean top quote words     {result.mean_quote_words:.1f}",
        f"median ask ms            {result.median_ms:.1f}",
    ]
    if ablation:
        lines += ["", f"{'variant':<34} {'hit@1':>6} {'hit@3':>6} {'MRR':>6} {'abst':>6} {'wrong':>6} {'words':>6} {'ms':>6}"]
        for row in ablation:
            lines.append(
                f"{row['variant']:<34} {row['hit1']:>6.3f} {row['hit3']:>6.3f} {row['mrr']:>6.3f} "
                f"{row['abstained_unanswerable']:>6.3f} {row['wrongly_abstained']:>6.3f} "
                f"{row['mean_quote_words']:>6.1f} {row['median_ms']:>6.1f}"
            )
    if result.misses:
        lines += ["", "misses:"]
        lines += [f"  {miss.id} {miss.question!r}\n      expected: {miss.expected}\n      got:      {miss.got}" for miss in result.misses]
    return "\n".join(lines)
