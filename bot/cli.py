"""`policybot`: a thin command line over the ingest pipeline and the engine.

Heavy libraries (torch, sentence-transformers, faiss) load inside the commands that need them,
so `policybot --help` and `policybot sources` stay quick.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.settings import ConfigurationError, Settings, load_settings

if TYPE_CHECKING:
    from bot.engine import Engine
    from ingest.pipeline import IngestReport, Progress
    from ingest.store import Build

EXIT_SKIPPED = 1
EXIT_LOCKED = 3


def _settings(**overrides) -> Settings:
    try:
        return load_settings(**overrides)
    except ConfigurationError as error:
        raise click.UsageError(str(error)) from None


def _current_build(settings: Settings) -> Build:
    from ingest.store import IndexProblem, current_build, load_build

    try:
        return load_build(current_build(settings.index_dir))
    except IndexProblem as problem:
        raise click.ClickException(str(problem)) from None


def _load_engine(settings: Settings) -> Engine:
    from bot.engine import Engine
    from bot.glossary import GlossaryError
    from ingest.embed import ModelUnavailable
    from ingest.store import IndexProblem

    try:
        return Engine.load(settings)
    except (IndexProblem, GlossaryError, ModelUnavailable) as problem:
        raise click.ClickException(str(problem)) from None


index_option = click.option(
    "--index", "index_dir", type=click.Path(path_type=Path), default=None, help="Index folder (default: index/, or POLICYBOT_INDEX)."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Policy Bot: answers questions about council policy documents with verbatim, cited quotes."""


@main.command()
@click.option("--corpus", "corpus_dir", type=click.Path(path_type=Path), default=None, help="Documents folder (default: corpus/, or POLICYBOT_CORPUS).")
@index_option
def ingest(corpus_dir: Path | None, index_dir: Path | None) -> None:
    """Index the documents in the corpus folder (only new or changed ones are embedded)."""
    settings = _settings(corpus_dir=corpus_dir, index_dir=index_dir)
    if not settings.corpus_dir.is_dir():
        raise click.UsageError(f"corpus folder not found: {settings.corpus_dir}")
    progress = _ProgressLine()
    try:
        report = _ingest(settings, progress)
    finally:
        progress.close()
    click.echo(
        f"Indexed {report.documents} document(s), {report.passages} passage(s) into {settings.index_dir} "
        f"({report.embedded_documents} embedded, {report.reused_documents} unchanged"
        + (f", {report.removed_documents} removed" if report.removed_documents else "")
        + ")."
    )
    _echo_skipped(report)
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


def _ingest(settings: Settings, progress: Progress | None = None) -> IngestReport:
    """Ingest the configured corpus; another ingest running, or a model that won't load, is a message, not a traceback."""
    from ingest.embed import Embedder, ModelUnavailable
    from ingest.pipeline import ingest_corpus
    from ingest.store import IngestLocked

    try:
        return ingest_corpus(settings.corpus_dir, settings.index_dir, Embedder(settings.model), progress=progress)
    except IngestLocked as locked:
        click.echo(f"Error: {locked}", err=True)
        sys.exit(EXIT_LOCKED)
    except ModelUnavailable as problem:
        raise click.ClickException(str(problem)) from None


def _echo_skipped(report: IngestReport) -> None:
    for skipped in report.skipped:
        click.echo(f"Skipped {skipped.path}: {skipped.reason}", err=True)


class _ProgressLine:
    """A progress line on a terminal; silent when output is piped, so logs stay clean."""

    def __init__(self) -> None:
        self.interactive = sys.stderr.isatty()
        self.count = 0

    def __call__(self, name: str) -> None:
        self.count += 1
        if self.interactive:
            click.echo(f"\r[{self.count}] {name[:70]:<70}", nl=False, err=True)

    def close(self) -> None:
        if self.interactive and self.count:
            click.echo("\r" + " " * 80 + "\r", nl=False, err=True)


@main.command()
@index_option
@click.option("--top", type=click.IntRange(1, 10), default=None, help="How many passages to quote (default 3).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per question, one per line.")
@click.argument("question", required=False)
def ask(index_dir: Path | None, top: int | None, as_json: bool, question: str | None) -> None:
    """Answer QUESTION, or each line of standard input when QUESTION is omitted."""
    from bot.render import answer_as_json, answer_as_text

    settings = _settings(index_dir=index_dir, top=top)
    engine = _load_engine(settings)
    questions = [question] if question is not None else (line.rstrip("\n") for line in sys.stdin)
    for text in questions:
        if question is None and not text.strip():
            continue
        answer = engine.ask(text)
        if as_json:
            click.echo(json.dumps(answer_as_json(answer), ensure_ascii=False))
        else:
            click.echo(answer_as_text(answer) + "\n")


@main.command()
@index_option
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
def sources(index_dir: Path | None, as_json: bool) -> None:
    """List the indexed documents with their dates and passage counts."""
    from bot.sources import indexed_sources

    build = _current_build(_settings(index_dir=index_dir))
    for source in indexed_sources(build):
        document = source.document
        if as_json:
            row = {"id": document.id, "title": document.title, "date": document.date, "path": document.path, "passages": source.passages}
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            click.echo(f"{document.title} — {document.date or 'undated'} — {source.passages} passages — {document.path}")
    if not as_json:
        click.echo(f"Index built {build.manifest.built_at} with {build.manifest.model}.")


@main.command()
@index_option
def chat(index_dir: Path | None) -> None:
    """Ask questions interactively (or pipe them in); follow-ups keep the previous question's topic."""
    from bot.render import answer_as_text

    settings = _settings(index_dir=index_dir)
    engine = _load_engine(settings)
    interactive = sys.stdin.isatty()
    if interactive:
        click.echo(f"Policy Bot — {len(engine.documents)} document(s) indexed. Ask a question; Ctrl-D to leave.")
    while True:
        if interactive:
            click.echo("> ", nl=False)
        line = sys.stdin.readline()
        if not line:
            break
        if line.strip():
            click.echo(answer_as_text(engine.ask(line.strip())) + "\n")


@main.command(name="eval")
@click.argument("question_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@index_option
@click.option("--corpus", "corpus_dir", type=click.Path(exists=True, path_type=Path, file_okay=False), default=None,
              help="With --ablation: the corpus, to build the no-context variant's index.")
@click.option("--ablation", is_flag=True, help="Also compare retrieval variants (dense / BM25 / hybrid / glossary / context).")
@click.option("--json", "as_json", is_flag=True, help="Figures as one JSON object.")
def evaluate(question_file: Path, index_dir: Path | None, corpus_dir: Path | None, ablation: bool, as_json: bool) -> None:
    """Score answers against a question file (hit@1, hit@3, MRR, abstention) and list the misses."""
    from bot.evaluate import format_report, load_questions, run_ablation, score

    settings = _settings(index_dir=index_dir, corpus_dir=corpus_dir)
    try:
        questions = load_questions(question_file)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    engine = _load_engine(settings)
    result = score(engine, questions)
    table = run_ablation(engine, questions, settings.corpus_dir if corpus_dir else None) if ablation else None
    if as_json:
        click.echo(json.dumps({"result": result.to_dict(), "ablation": table}, ensure_ascii=False))
    else:
        click.echo(format_report(result, table))


@main.command()
@index_option
@click.option("--http", "use_http", is_flag=True, help="Serve the Events API over HTTP (needs SLACK_SIGNING_SECRET) instead of Socket Mode.")
@click.option("--host", default=None, help="With --http: interface to listen on (default 0.0.0.0, or POLICYBOT_HTTP_HOST).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="With --http: port (default 3000, or POLICYBOT_HTTP_PORT).")
def serve(index_dir: Path | None, use_http: bool, host: str | None, port: int | None) -> None:
    """Answer questions in Slack: Socket Mode by default (no public URL needed), or HTTP with --http."""
    from bot import serve as slack

    settings = _settings(index_dir=index_dir, http_host=host, http_port=port)
    try:
        slack.check_settings(settings, http=use_http)
        engine = _load_engine(settings)
        if use_http:
            slack.serve_http(settings, engine)
        else:
            slack.serve_socket_mode(settings, engine)
    except ConfigurationError as error:
        raise click.ClickException(str(error)) from None


@main.command()
@click.pass_context
def start(ctx: click.Context) -> None:
    """What `make run` does: index the corpus if it changed, then serve Slack if its tokens are set, else chat."""
    from ingest.pipeline import index_is_current

    settings = _settings()
    if not settings.corpus_dir.is_dir():
        raise click.UsageError(f"corpus folder not found: {settings.corpus_dir}")
    if not index_is_current(settings.corpus_dir, settings.index_dir, settings.model):
        click.echo(f"Indexing {settings.corpus_dir} ...", err=True)
        report = _ingest(settings)
        click.echo(f"Indexed {report.documents} document(s), {report.passages} passage(s).", err=True)
        _echo_skipped(report)
    if settings.slack_bot_token and settings.slack_app_token:
        ctx.invoke(serve, index_dir=None, use_http=False, host=None, port=None)
    else:
        ctx.invoke(chat, index_dir=None)


@main.command()
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Only questions asked on or after this date (YYYY-MM-DD, UTC).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of text.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV, one row per question with its group number.")
@click.option("--db", "db_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Feedback database (default: var/policybot.sqlite3, or POLICYBOT_DB).")
def report(since: datetime | None, as_json: bool, as_csv: bool, db_path: Path | None) -> None:
    """What to add to the documents next: questions the bot could not answer or that got 👎, grouped by topic."""
    import sqlite3

    from bot.feedback import FeedbackStore
    from bot.gaps import build_report, report_as_csv, report_as_json, report_as_text
    from ingest.embed import Embedder, ModelUnavailable

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    settings = _settings(db_path=db_path)
    since = since.replace(tzinfo=timezone.utc) if since else None
    # No database yet means nothing has been asked: an empty report, not a new file.
    try:
        asked = FeedbackStore.from_settings(settings).asked(since) if settings.db_path.exists() else []
    except sqlite3.Error as error:
        raise click.ClickException(f"cannot read the feedback database {settings.db_path}: {error}") from None
    embedder = Embedder(settings.model)  # loads the model only if there are questions to group
    try:
        gaps = build_report(asked, embedder.embed, since=since, generated_at=datetime.now(timezone.utc))
    except ModelUnavailable as problem:
        raise click.ClickException(str(problem)) from None
    if as_json:
        click.echo(json.dumps(report_as_json(gaps), ensure_ascii=False))
    elif as_csv:
        click.echo(report_as_csv(gaps), nl=False)
    else:
        click.echo(report_as_text(gaps))


@main.command()
@click.argument("request", nargs=-1)
@index_option
@click.option("--json", "as_json", is_flag=True, help="The decision record as one JSON object.")
def implications(request: tuple[str, ...], index_dir: Path | None, as_json: bool) -> None:
    """A cabinet report's decision at a glance, each paragraph quoted and cited: recommendations, key decision,
    implications by heading and alternative options. REQUEST names the report (title words) or its topic."""
    from bot.implications import find_decision, implications_for, lookup_as_json, lookup_as_text

    settings = _settings(index_dir=index_dir)
    query = " ".join(request)
    lookup = find_decision(query, _current_build(settings))
    if lookup.record is None and lookup.available and not lookup.not_reports and query.strip():
        # No title matched: find the report by topic, which needs the model.
        lookup = implications_for(_load_engine(settings), query)
    click.echo(json.dumps(lookup_as_json(lookup), ensure_ascii=False) if as_json else lookup_as_text(lookup))
