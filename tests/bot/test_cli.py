"""The command-line contract that tools and the external evaluation depend on."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from bot.cli import main
from tests.conftest import DEV_QUESTIONS, REPO, SHIPPED_REPORT

RESULT_KEYS = {"rank", "score", "text", "quote", "citation", "doc", "section", "heading", "page"}


@pytest.fixture
def run():
    def invoke(*args, input=None, env=None):
        return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)

    return invoke


def test_ask_json_returns_quoted_cited_passages(run, shipped_index):
    result = run("ask", "--index", str(shipped_index), "--json", "Which organisations are members of the Anchor Executive Group?")
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.strip().splitlines()
    answer = json.loads(line)
    assert answer["question"] == "Which organisations are members of the Anchor Executive Group?"
    assert answer["answered"] is True
    assert 1 <= len(answer["results"]) <= 3
    for rank, item in enumerate(answer["results"], start=1):
        assert RESULT_KEYS <= set(item)
        assert item["rank"] == rank
        assert set(item["doc"]) >= {"id", "title", "path", "date"}
        for piece in item["quote"].split("…"):
            assert piece.strip() in item["text"]
    membership = [item for item in answer["results"] if item["section"] == "4.5"]
    assert membership, "para 4.5 lists the Anchor Executive Group's members"
    assert membership[0]["citation"] == "Anchor Institutions in Derbyshire and Derby — Cabinet, 13 January 2022, para 4.5"
    assert membership[0]["doc"]["date"] == "13 January 2022"
    assert [item["score"] for item in answer["results"]] == sorted((item["score"] for item in answer["results"]), reverse=True)


def test_ask_reads_one_question_per_line_from_stdin(run, shipped_index):
    questions = "HR implications\n\nHow do I claim overtime?\nwhat is the anchor charter for\n"
    result = run("ask", "--index", str(shipped_index), "--json", "--top", "2", input=questions)
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert [a["question"] for a in answers] == ["HR implications", "How do I claim overtime?", "what is the anchor charter for"]
    assert all(len(a["results"]) <= 2 for a in answers)


def test_an_off_topic_question_is_declined_and_the_documents_named(run, shipped_index):
    result = run("ask", "--index", str(shipped_index), "--json", "when are the bins collected in Matlock?")
    answer = json.loads(result.stdout)
    assert answer["answered"] is False and answer["results"] == []
    assert answer["searched"] == ["Anchor Institutions in Derbyshire and Derby"]
    plain = run("ask", "--index", str(shipped_index), "when are the bins collected in Matlock?")
    assert "couldn't find this" in plain.output and "Anchor Institutions in Derbyshire and Derby (13 January 2022)" in plain.output


def test_plain_answer_shows_quote_and_citation(run, shipped_index, monkeypatch):
    monkeypatch.setenv("POLICYBOT_INDEX", str(shipped_index))
    result = run("ask", "What are the HR implications?")
    assert result.exit_code == 0
    assert "No human resources (HR) implications have been identified." in result.output
    assert "— Anchor Institutions in Derbyshire and Derby — Cabinet, 13 January 2022, Appendix 1, para 3.1" in result.output


def test_chat_answers_piped_questions(run, shipped_index):
    result = run("chat", "--index", str(shipped_index), input="who is on the anchor executive group?\n")
    assert result.exit_code == 0
    assert "University Hospitals Derby and Burton" in result.output


def test_sources_lists_documents_with_dates_and_passage_counts(run, shipped_index):
    result = run("sources", "--index", str(shipped_index), "--json")
    (row,) = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert row["title"] == "Anchor Institutions in Derbyshire and Derby"
    assert row["date"] == "13 January 2022"
    assert row["passages"] > 20


def test_eval_reports_hit_rates_abstention_and_misses(run, shipped_index):
    result = run("eval", str(DEV_QUESTIONS), "--index", str(shipped_index), "--json")
    figures = json.loads(result.stdout)["result"]
    assert figures["answerable"] == 20 and figures["unanswerable"] == 6
    assert 0 <= figures["hit1"] <= figures["hit3"] <= 1
    assert all({"id", "question", "expected", "got"} <= set(miss) for miss in figures["misses"])


def test_ingest_exit_codes_follow_the_contract(run, tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SHIPPED_REPORT, corpus)
    index = tmp_path / "index"
    clean = run("ingest", "--corpus", str(corpus), "--index", str(index))
    assert clean.exit_code == 0, clean.output
    assert "Indexed 1 document(s)" in clean.output

    (corpus / "scan.pdf").write_bytes(b"not really a pdf")
    (corpus / "notes.xyz").write_text("hello")
    skipped = run("ingest", "--corpus", str(corpus), "--index", str(index))
    assert skipped.exit_code == 1
    assert "Skipped notes.xyz: unsupported file type .xyz" in skipped.output
    assert "Skipped scan.pdf: damaged PDF" in skipped.output

    missing = run("ingest", "--corpus", str(tmp_path / "nowhere"), "--index", str(index))
    assert missing.exit_code == 2 and "corpus folder not found" in missing.output
    monkeypatch.setenv("POLICYBOT_TOPP", "3")
    unknown = run("ingest", "--corpus", str(corpus), "--index", str(index))
    assert unknown.exit_code == 2 and "POLICYBOT_TOPP" in unknown.output


def test_ask_without_an_index_says_to_ingest(run, tmp_path):
    result = run("ask", "--index", str(tmp_path / "empty"), "anything")
    assert result.exit_code == 1 and "run `policybot ingest` first" in result.output


def test_help_does_not_load_torch():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from bot.cli import main\n"
        "for args in (['--help'], ['ask', '--help'], ['ingest', '--help']):\n"
        "    assert CliRunner().invoke(main, args).exit_code == 0\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'faiss') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == ""
