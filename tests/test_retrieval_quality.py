"""Retrieval quality on the real model: the figures `policybot eval` reports must not slide back.

Floors sit a little below what was measured when they were set (see the README's evaluation section),
so that noise does not fail the suite but a real regression does.
"""

from __future__ import annotations

import json
import shutil

import pytest

from bot.evaluate import ABLATION, load_questions, run_ablation, score
from ingest.pipeline import ingest_corpus
from tests.conftest import DEV_QUESTIONS, EVAL_CORPUS, EVAL_DIR, SHIPPED_CORPUS, make_engine
from tests.pdfs import write_pdf

# Measured over the 11-document eval corpus: eval set (105 questions) hit@1 0.86, hit@3 0.93, 65% of
# unanswerables abstained, 1.4% wrongly abstained; blind set (40, written without sight of the rules) 0.71,
# 0.88, 75%, 8.3%; fresh set (52, written without sight of the code, then used for tuning) 0.62, 0.75, 45%,
# 9.4%; holdout set (56 over three documents written with it, scored once and never tuned on) 0.56, 0.74,
# 45%, 2.9%. Dev set over the shipped report alone: 0.85, 0.95, 100%, 5%.
FLOORS = {
    "eval": dict(hit1=0.82, hit3=0.88, abstained=0.60, wrongly_abstained=0.05),
    "dev": dict(hit1=0.80, hit3=0.90, abstained=0.80, wrongly_abstained=0.10),
    "blind": dict(hit1=0.66, hit3=0.83, abstained=0.68, wrongly_abstained=0.13),
    "fresh": dict(hit1=0.58, hit3=0.70, abstained=0.40, wrongly_abstained=0.13),
    "holdout": dict(hit1=0.50, hit3=0.68, abstained=0.40, wrongly_abstained=0.08),
}


@pytest.fixture(scope="module")
def eval_result(eval_engine):
    return score(eval_engine, load_questions(EVAL_DIR / "questions.jsonl"))


@pytest.fixture(scope="module")
def dev_result(engine):
    return score(engine, load_questions(DEV_QUESTIONS))


@pytest.fixture(scope="module")
def blind_result(eval_engine):
    return score(eval_engine, load_questions(EVAL_DIR / "blind-questions.jsonl"))


@pytest.fixture(scope="module")
def fresh_result(eval_engine):
    return score(eval_engine, load_questions(EVAL_DIR / "fresh-questions.jsonl"))


@pytest.fixture(scope="module")
def holdout_result(eval_engine):
    return score(eval_engine, load_questions(EVAL_DIR / "holdout-questions.jsonl"))


@pytest.mark.parametrize("name", list(FLOORS))
def test_figures_stay_above_their_floors(name, request):
    result = request.getfixturevalue(f"{name}_result")
    floor = FLOORS[name]
    assert result.hit1 >= floor["hit1"]
    assert result.hit3 >= floor["hit3"]
    assert result.abstained_unanswerable >= floor["abstained"]
    assert result.wrongly_abstained <= floor["wrongly_abstained"]


def test_top_quotes_are_short(eval_result, dev_result):
    assert eval_result.mean_quote_words <= 60
    assert dev_result.mean_quote_words <= 60


def test_an_off_topic_question_is_not_answered(engine):
    assert not engine.ask("How do I claim overtime?").answered


def test_a_terse_section_question_is_answered_from_its_section(engine):
    answer = engine.ask("HR implications")
    assert answer.answered
    assert answer.quotes[0].passage.heading == "Appendix 1 – Implications › Human Resources"


def test_a_question_about_another_year_is_not_answered_from_this_one(eval_engine):
    assert not eval_engine.ask("home care rate for 2023-24?").answered
    assert eval_engine.ask("home care hourly rate 2022-23").answered


def test_a_near_miss_is_not_answered_but_the_question_it_resembles_is(eval_engine):
    # The Derbyshire paragraph lists the group's members but not its chair; the ICB charter names its chair.
    assert not eval_engine.ask("who chairs the Derbyshire and Derby Anchor Executive Group?").answered
    answer = eval_engine.ask("who chairs the Trent Valley anchor network board?")
    assert answer.answered
    assert "chaired by the ICB Chief People Officer" in answer.quotes[0].passage.text


def test_a_name_must_stand_beside_the_post_asked_about(eval_engine):
    # The minutes mention the Monitoring Officer and, elsewhere in the passage, a councillor by name.
    assert not eval_engine.ask("who is the council's Monitoring Officer?").answered


def test_a_when_question_needs_a_date(eval_engine):
    assert not eval_engine.ask("when is the Derby and Derbyshire anchor charter up for review?").answered
    answer = eval_engine.ask("when is the ICB anchor charter up for review?")
    assert answer.answered
    assert "reviewed in 2026" in answer.quotes[0].passage.text


def test_a_typo_is_read_as_the_word_meant(eval_engine):
    answer = eval_engine.ask("legal implicatons anchor report")
    assert answer.answered
    assert answer.quotes[0].passage.heading == "Appendix 1 – Implications › Legal"


def test_a_when_question_is_answered_by_the_paragraph_with_the_date(eval_engine):
    # Better-matching paragraphs about the new pool give no date; the one giving the opening date leads.
    answer = eval_engine.ask("when's the new Millbrook pool meant to be open")
    assert answer.answered
    assert "target date for the new centre to open is spring 2026" in answer.quotes[0].passage.text


def test_a_what_time_question_needs_a_time_of_day(eval_engine):
    # Minutes give the meeting's date, never the hour it starts.
    assert not eval_engine.ask("what time does cabinet start?").answered


def test_the_ablation_table_has_every_variant(engine, embedder):
    rows = run_ablation(engine, load_questions(DEV_QUESTIONS), SHIPPED_CORPUS)
    assert [row["variant"] for row in rows] == [name for name, _, _ in ABLATION]
    assert len(rows) == 5
    assert all(0.0 <= row["hit1"] <= row["hit3"] <= 1.0 for row in rows)


@pytest.fixture(scope="module")
def as_pdfs(tmp_path_factory, embedder):
    """The eval corpus with every PDF-extraction-style text file turned into a real PDF (running header and
    footer, no blank lines between paragraphs, as pypdf extracts them), and the questions pointed at them."""
    root = tmp_path_factory.mktemp("pdf-eval")
    corpus = root / "corpus"
    corpus.mkdir()
    renamed = {}
    for source in sorted(EVAL_CORPUS.iterdir()):
        if source.suffix != ".txt":
            shutil.copy(source, corpus / source.name)
            continue
        lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
        pages = [lines[start : start + 45] for start in range(0, len(lines), 45)]
        write_pdf(corpus / f"{source.stem}.pdf", pages, header="Derbyshire County Council", footer="Page {page} of {pages}")
        renamed[source.name] = f"{source.stem}.pdf"
    questions = root / "questions.jsonl"
    with open(questions, "w", encoding="utf-8") as out:
        for line in (EVAL_DIR / "questions.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            record["doc"] = renamed.get(record["doc"], record["doc"])
            out.write(json.dumps(record) + "\n")
    ingest_corpus(corpus, root / "index", embedder)
    return make_engine(root / "index", embedder), load_questions(questions)


def test_the_eval_set_holds_up_when_its_documents_are_pdfs(as_pdfs):
    # Measured over the 11 documents: hit@1 0.81, hit@3 0.91, 55% abstained.
    engine, questions = as_pdfs
    result = score(engine, questions)
    assert result.hit1 >= 0.76 and result.hit3 >= 0.86, result
    assert result.abstained_unanswerable >= 0.50 and result.wrongly_abstained <= 0.09, result
