"""The gap report: questions the documents did not answer well, grouped by topic, for the policy team.

A question is a gap when the bot declined to answer it, or when officers marked its answer 👎 more
often than 👍. Questions that say the same thing in other words are grouped, so the report reads as
a list of topics to add or clarify ("overtime claims, asked 5 times") rather than a log.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np

from bot.feedback import AskedQuestion, FeedbackStore

# Cosine similarity between a question and a group's centroid at which the question joins the group.
# With the bundled MiniLM model, paraphrases of one question score 0.45-0.95 against each other
# ("when are the bins collected?" / "what day is rubbish collected" 0.52) and unrelated council
# questions below 0.35; against a centroid paraphrases score higher still, so 0.5 keeps them together
# and different topics apart.
SIMILAR_QUESTIONS = 0.5
MAX_EXAMPLES = 3
MAX_SHOWN = 3
DIGEST_PERIOD = timedelta(days=7)

ABSTAINED = "abstained"
UNHELPFUL = "unhelpful"
REASON_WORDS = {ABSTAINED: "not answered", UNHELPFUL: "marked unhelpful (👎)"}

Embed = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class GapQuestion:
    """One question the documents did not answer well, and why."""

    question: str
    asked_at: datetime
    reason: str  # ABSTAINED or UNHELPFUL
    channel_type: str
    shown: tuple[str, ...] = ()  # citations of what was quoted, for answers marked unhelpful


@dataclass(frozen=True)
class Gap:
    """Questions about one topic, newest first."""

    questions: tuple[GapQuestion, ...]

    @property
    def count(self) -> int:
        return len(self.questions)

    @property
    def last_asked(self) -> datetime:
        return self.questions[0].asked_at

    @property
    def examples(self) -> tuple[str, ...]:
        """Up to MAX_EXAMPLES differently worded questions, newest first."""
        seen: dict[str, str] = {}
        for item in self.questions:
            seen.setdefault(" ".join(item.question.casefold().split()), item.question)
        return tuple(seen.values())[:MAX_EXAMPLES]

    @property
    def reasons(self) -> dict[str, int]:
        counts = Counter(item.reason for item in self.questions)
        return {reason: counts[reason] for reason in (ABSTAINED, UNHELPFUL) if counts[reason]}

    @property
    def shown(self) -> tuple[str, ...]:
        """The passages most often quoted in answers officers marked unhelpful."""
        counts = Counter(citation for item in self.questions for citation in item.shown)
        return tuple(citation for citation, _ in counts.most_common(MAX_SHOWN))


@dataclass(frozen=True)
class GapReport:
    since: datetime | None
    generated_at: datetime
    questions_asked: int
    gaps: tuple[Gap, ...]

    @property
    def gap_questions(self) -> int:
        return sum(gap.count for gap in self.gaps)


def gap_questions(asked: Iterable[AskedQuestion]) -> list[GapQuestion]:
    """The asked questions that count as gaps, in the order given."""
    found = []
    for item in asked:
        if not item.answered:
            found.append(GapQuestion(item.question, item.asked_at, ABSTAINED, item.channel_type))
        elif item.unhelpful_votes > item.helpful_votes:
            shown = tuple(passage.citation for passage in item.shown)
            found.append(GapQuestion(item.question, item.asked_at, UNHELPFUL, item.channel_type, shown))
    return found


def group_similar(vectors: np.ndarray, threshold: float = SIMILAR_QUESTIONS) -> list[list[int]]:
    """Greedy grouping of normalised vectors: each joins the group whose centroid is most similar, if at
    least `threshold`, else starts a new group. Linear in groups per item, which is plenty for the
    hundreds of questions a retention period holds, and deterministic for a given order."""
    groups: list[list[int]] = []
    sums: list[np.ndarray] = []
    for index, vector in enumerate(vectors):
        if groups:
            centroids = np.vstack(sums)
            centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
            similarity = centroids @ vector
            best = int(np.argmax(similarity))
            if similarity[best] >= threshold:
                groups[best].append(index)
                sums[best] = sums[best] + vector
                continue
        groups.append([index])
        sums.append(np.array(vector, dtype=np.float32))
    return groups


def build_report(
    asked: Sequence[AskedQuestion],
    embed: Embed,
    *,
    since: datetime | None,
    generated_at: datetime,
    threshold: float = SIMILAR_QUESTIONS,
) -> GapReport:
    """Find the gaps among `asked` and group them by topic, most asked (then most recent) first."""
    found = sorted(gap_questions(asked), key=lambda item: item.asked_at)
    gaps: list[Gap] = []
    if found:
        # Each distinct wording is embedded once; repeats of a question share its vector.
        wordings = sorted({_wording(item.question) for item in found})
        vectors = dict(zip(wordings, embed(wordings)))
        groups = group_similar(np.vstack([vectors[_wording(item.question)] for item in found]), threshold)
        gaps = [Gap(_newest_first(found[i] for i in group)) for group in groups]
        gaps.sort(key=lambda gap: (-gap.count, -gap.last_asked.timestamp()))
    return GapReport(since=since, generated_at=generated_at, questions_asked=len(asked), gaps=tuple(gaps))


def gap_report(store: FeedbackStore, embed: Embed, since: datetime | None = None, now: datetime | None = None) -> GapReport:
    """The report over what the store holds since `since` (an aware datetime), e.g. for the weekly digest."""
    generated_at = now or datetime.now(timezone.utc)
    return build_report(store.asked(since), embed, since=since, generated_at=generated_at)


def _newest_first(questions: Iterable[GapQuestion]) -> tuple[GapQuestion, ...]:
    return tuple(sorted(questions, key=lambda item: item.asked_at, reverse=True))


def _wording(question: str) -> str:
    return " ".join(question.split())


def _when(moment: datetime) -> str:
    return moment.strftime("%-d %B %Y %H:%M UTC")


def _why(gap: Gap) -> str:
    return ", ".join(f"{REASON_WORDS[reason]} {count}" for reason, count in gap.reasons.items())


def report_as_text(report: GapReport) -> str:
    """The report for a policy officer: each topic with how often and when it was asked, and why it is here."""
    period = f"questions since {report.since:%-d %B %Y}" if report.since else "all questions on record"
    lines = [f"Policy Bot gap report — {period} (made {_when(report.generated_at)})", ""]
    if not report.gaps:
        lines.append(f"{report.questions_asked} question(s) asked; none went unanswered or was marked unhelpful.")
        return "\n".join(lines)
    lines.append(
        f"{report.questions_asked} question(s) asked; {report.gap_questions} not answered or marked unhelpful, "
        f"in {len(report.gaps)} topic(s). Most asked first."
    )
    for number, gap in enumerate(report.gaps, start=1):
        times = "once" if gap.count == 1 else f"{gap.count} times"
        lines += ["", f"{number}. Asked {times}, last on {_when(gap.last_asked)} — {_why(gap)}"]
        lines += [f"   “{example}”" for example in gap.examples]
        if gap.shown:
            lines.append("   Quoted in the unhelpful answers: " + "; ".join(gap.shown))
    lines += [
        "",
        "For each topic, add a document that answers it to the corpus (or clarify the one quoted), then run "
        "`policybot ingest`; if staff use words the documents don't, add them to the glossary.",
    ]
    return "\n".join(lines)


def report_as_json(report: GapReport) -> dict:
    """The `policybot report --json` contract."""
    return {
        "since": report.since.isoformat() if report.since else None,
        "generated_at": report.generated_at.isoformat(),
        "questions_asked": report.questions_asked,
        "gap_questions": report.gap_questions,
        "groups": [
            {
                "count": gap.count,
                "last_asked": gap.last_asked.isoformat(),
                "reasons": gap.reasons,
                "examples": list(gap.examples),
                "shown": list(gap.shown),
                "questions": [
                    {
                        "question": item.question,
                        "asked_at": item.asked_at.isoformat(),
                        "reason": item.reason,
                        "channel_type": item.channel_type,
                    }
                    for item in gap.questions
                ],
            }
            for gap in report.gaps
        ],
    }


CSV_COLUMNS = ("group", "group_count", "question", "reason", "asked_at", "channel_type", "shown")


def report_as_csv(report: GapReport) -> str:
    """One row per question, numbered by group, for a spreadsheet or another tool."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for number, gap in enumerate(report.gaps, start=1):
        for item in gap.questions:
            writer.writerow(
                (number, gap.count, item.question, item.reason, item.asked_at.isoformat(), item.channel_type, "; ".join(item.shown))
            )
    return out.getvalue()


def digest_text(report: GapReport, top: int = 5) -> str:
    """A short plain-text digest for a Slack channel (the caller escapes it for mrkdwn)."""
    period = f"since {report.since:%-d %B %Y}" if report.since else "recently"
    if not report.gaps:
        return f"Policy Bot answered all {report.questions_asked} question(s) asked {period}; none was marked unhelpful."
    lines = [
        f"Policy Bot gap report: {report.gap_questions} of {report.questions_asked} question(s) asked {period} "
        f"were not answered or marked unhelpful. The topics asked most:"
    ]
    for gap in report.gaps[:top]:
        times = "once" if gap.count == 1 else f"{gap.count} times"
        lines.append(f"• “{gap.examples[0]}” — asked {times} ({_why(gap)})")
    if len(report.gaps) > top:
        lines.append(f"…and {len(report.gaps) - top} more topic(s).")
    since = f" --since {report.since:%Y-%m-%d}" if report.since else ""
    lines.append(f"The full list: `policybot report{since}`.")
    return "\n".join(lines)


def weekly_digest(store: FeedbackStore, embed: Embed, now: datetime | None = None) -> str:
    """The digest of the last DIGEST_PERIOD, for posting to POLICYBOT_DIGEST_CHANNEL once a week."""
    now = now or datetime.now(timezone.utc)
    return digest_text(gap_report(store, embed, since=now - DIGEST_PERIOD, now=now))
