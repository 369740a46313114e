"""Retrieval quality on the real model: the figures `policybot eval` reports must not slide back.

Floors sit a little below what was measured when they were set (see the README's evaluation section),
so that noise does not fail the suite but a real regression does.
"""

from __future__ import annotations

import json
import shutil

import pytest

from bot.evaluate import ABLATION, EvalQuestion, load_questions, run_ablation, score
from ingest.pipeline import ingest_corpus
from tests.conftest import DEV_QUESTIONS, EVAL_CORPUS, EVAL_DIR, SHIPPED_CORPUS, make_engine
from tests.pdfs import write_pdf

# Measured over the 45-document eval corpus (hit@1 and hit@3 count a quote only when what is shown holds the expected
# text; unanswerables abstained, answerables wrongly abstained) with the abstention model fitted on the read sets:
# eval 0.59, 0.81, 52%, 2.7%; blind 0.54, 0.79, 81%, 12.5%; fresh 0.53, 0.75, 45%, 12.5%; tuning 0.75, 0.95, 50%, 0%;
# sealed 0.72, 0.89, 71%, 2.8%; final 0.55, 0.75, 75%, 12.5%; probe 0.68, 0.82, 58%, 5%; formats 0.85, 0.93, 50%, 0%;
# decisions 0.88, 0.95, 54%, 0%; civic 0.65, 0.82, 67%, 7.5%; fire 0.55, 0.68, 67%, 15%; trust 0.57, 0.72, 62%, 10%;
# police 0.57, 0.72, 50%, 5%; hospital 0.53, 0.68, 46%, 12.5% (all read and tuned on); not tuned on: unseen 0.70,
# 0.80, 50%, 12.5%; holdout 0.47, 0.68, 68%, 11.8%; scrutiny 0.68, 0.82, 58%, 10%; boardpaper 0.62, 0.70, 46%, 12.5%;
# college 0.53, 0.70, 54%, 20%; estuary 0.60, 0.68, 71%, 12.5%; moorland 0.82, 0.88, 54%, 2.5%; harbour 0.70, 0.80,
# 83%, 17.5% (the last three never read). Dev set over the shipped report alone: 0.90, 1.00, 100%, 0%.
FLOORS = {
    "eval": dict(hit1=0.54, hit3=0.76, abstained=0.44, wrongly_abstained=0.07),
    "dev": dict(hit1=0.85, hit3=0.95, abstained=0.80, wrongly_abstained=0.10),
    "blind": dict(hit1=0.49, hit3=0.74, abstained=0.74, wrongly_abstained=0.17),
    "fresh": dict(hit1=0.48, hit3=0.70, abstained=0.38, wrongly_abstained=0.17),
    "tuning": dict(hit1=0.70, hit3=0.90, abstained=0.43, wrongly_abstained=0.04),
    "sealed": dict(hit1=0.67, hit3=0.83, abstained=0.63, wrongly_abstained=0.07),
    "final": dict(hit1=0.50, hit3=0.70, abstained=0.68, wrongly_abstained=0.17),
    "probe": dict(hit1=0.62, hit3=0.77, abstained=0.51, wrongly_abstained=0.09),
    "formats": dict(hit1=0.80, hit3=0.87, abstained=0.43, wrongly_abstained=0.04),
    "decisions": dict(hit1=0.82, hit3=0.90, abstained=0.47, wrongly_abstained=0.04),
    "civic": dict(hit1=0.60, hit3=0.77, abstained=0.59, wrongly_abstained=0.12),
    "fire": dict(hit1=0.50, hit3=0.62, abstained=0.59, wrongly_abstained=0.19),
    "trust": dict(hit1=0.52, hit3=0.67, abstained=0.55, wrongly_abstained=0.14),
    "police": dict(hit1=0.52, hit3=0.67, abstained=0.43, wrongly_abstained=0.09),
    "hospital": dict(hit1=0.47, hit3=0.62, abstained=0.38, wrongly_abstained=0.17),
    "unseen": dict(hit1=0.65, hit3=0.75, abstained=0.43, wrongly_abstained=0.17),
    "holdout": dict(hit1=0.42, hit3=0.62, abstained=0.61, wrongly_abstained=0.16),
    "scrutiny": dict(hit1=0.62, hit3=0.77, abstained=0.51, wrongly_abstained=0.14),
    "boardpaper": dict(hit1=0.57, hit3=0.65, abstained=0.38, wrongly_abstained=0.17),
    "college": dict(hit1=0.47, hit3=0.65, abstained=0.47, wrongly_abstained=0.24),
    "estuary": dict(hit1=0.55, hit3=0.62, abstained=0.63, wrongly_abstained=0.17),
    "moorland": dict(hit1=0.77, hit3=0.82, abstained=0.47, wrongly_abstained=0.07),
    "harbour": dict(hit1=0.65, hit3=0.75, abstained=0.76, wrongly_abstained=0.22),
}


# Each set's file in tests/eval; "dev" is scored over the shipped report alone, the others over the eval corpus.
QUESTION_FILES = {
    "eval": "questions.jsonl",
    "dev": "dev-questions.jsonl",
    "blind": "blind-questions.jsonl",
    "fresh": "fresh-questions.jsonl",
    "tuning": "tuning-questions.jsonl",
    "holdout": "holdout-questions.jsonl",
    "sealed": "sealed-questions.jsonl",
    "final": "final-questions.jsonl",
    "probe": "probe-questions.jsonl",
    "formats": "formats-questions.jsonl",
    "unseen": "unseen-questions.jsonl",
    "decisions": "decisions-questions.jsonl",
    "scrutiny": "scrutiny-questions.jsonl",
    "civic": "civic-questions.jsonl",
    "boardpaper": "boardpaper-questions.jsonl",
    "fire": "fire-questions.jsonl",
    "trust": "trust-questions.jsonl",
    "college": "college-questions.jsonl",
    "police": "police-questions.jsonl",
    "hospital": "hospital-questions.jsonl",
    "estuary": "estuary-questions.jsonl",
    "moorland": "moorland-questions.jsonl",
    "harbour": "harbour-questions.jsonl",
}


@pytest.fixture(scope="module")
def scored(engine, eval_engine):
    """The figures for a question set by name, each set scored once per run."""
    results = {}

    def result(name):
        if name not in results:
            questions = load_questions(EVAL_DIR / QUESTION_FILES[name])
            results[name] = score(engine if name == "dev" else eval_engine, questions)
        return results[name]

    return result


@pytest.mark.parametrize("name", list(FLOORS))
def test_figures_stay_above_their_floors(name, scored):
    result = scored(name)
    floor = FLOORS[name]
    assert result.hit1 >= floor["hit1"]
    assert result.hit3 >= floor["hit3"]
    assert result.abstained_unanswerable >= floor["abstained"]
    assert result.wrongly_abstained <= floor["wrongly_abstained"]


def test_top_quotes_are_short(scored):
    assert scored("eval").mean_quote_words <= 60
    assert scored("dev").mean_quote_words <= 60


def test_an_off_topic_question_is_not_answered(engine):
    assert not engine.ask("How do I claim overtime?").answered


def test_a_terse_section_question_is_answered_from_its_section(engine):
    answer = engine.ask("HR implications")
    assert answer.answered
    assert answer.quotes[0].passage.heading == "Appendix 1 – Implications › Human Resources"


def test_implications_the_report_does_not_have_are_not_answered_by_others(engine):
    # The report's appendix has Financial, Legal and Human Resources implications, no Equalities heading.
    assert not engine.ask("Were any equalities implications identified in the anchor institutions report?").answered
    answer = engine.ask("any staffing implications?")
    assert answer.quotes[0].passage.heading == "Appendix 1 – Implications › Human Resources"
    # Terse and barely like the paragraph, but it names the paragraph's heading and most of its words.
    answer = engine.ask("what are the legal implications of signing?")
    assert answer.quotes[0].passage.heading == "Appendix 1 – Implications › Legal"


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
    # A better-matching paragraph about the new centre gives no date; the one giving the opening date leads,
    # though it says "the new centre" where the question says "the new Millbrook centre".
    answer = eval_engine.ask("when is the new Millbrook centre due to open?")
    assert answer.answered
    assert "target date for the new centre to open is spring 2026" in answer.quotes[0].passage.text


def test_a_what_time_question_needs_a_time_of_day(eval_engine):
    # Minutes give the meeting's date, never the hour it starts.
    assert not eval_engine.ask("what time does cabinet start?").answered


def test_an_acronym_the_documents_never_use_is_read_as_its_name(eval_engine):
    answer = eval_engine.ask("UoB net zero target for scope 1 and 2")
    assert any("(scope 1 and 2) by 2035" in quote.passage.text for quote in answer.quotes)


def test_a_question_naming_a_council_is_answered_from_its_documents(eval_engine):
    # Northmere's charter has a Real Living Wage date too; the question asks about Ashcombe.
    answer = eval_engine.ask("When is Ashcombe hoping to become a Real Living Wage accredited employer?")
    assert answer.quotes[0].document.council == "Ashcombe City Council"
    assert "by March 2024" in answer.quotes[0].passage.text


def test_a_place_no_document_mentions_is_not_answered_from_another(engine):
    # The shipped report is Derbyshire's alone: Leeds's and Preston's examples read alike, but say nothing of
    # Kellbrook or Northmere.
    assert not engine.ask("what is Kellbrook's apprenticeship target?").answered
    assert not engine.ask('does the "Northmere" charter commit to paying the real living wage?').answered
    # Names and acronyms the report uses, and a clipped word of it, are no strangers.
    assert engine.ask("what does the Derby and Derbyshire charter commit the council to?").answered
    assert engine.ask("any HR implications for DCC staff?").answered
    assert engine.ask("what is the Anchor Exec Group?").answered


def test_each_set_can_be_scored_over_its_own_documents_alone(embedder):
    from tests.eval.score_own_documents import pooled, score_own_documents

    ravenmoor = "ravenmoor-cabinet-2023-06-20-leisure-centre-replacement.md"
    questions = [
        EvalQuestion("r1", "how bad is the maintenance backlog at Castlegate?", ravenmoor, "maintenance backlog of £6.8 million"),
        # Answered over the whole eval corpus, which holds Kellbrook's minutes; not over Ravenmoor's report and
        # the shipped one.
        EvalQuestion("k1", "what's the real living wage going to cost Kellbrook?", None, None),
    ]
    documents, result = score_own_documents(questions, EVAL_CORPUS, embedder)
    assert documents == 2
    assert (result.hit1, result.abstained_unanswerable) == (1.0, 1.0)
    assert pooled([result, result]) == (1.0, 1.0, 1.0, 0.0)


@pytest.mark.parametrize(
    ("question", "first_passage_holds"),
    [
        # A "when" question ending on "due" asks about its subject, the review.
        ("When is the mid-term review of the Brantwick pledge due?", "by September 2026"),
        # Who won a contract is answered by the firm.
        ("who won the sandgate market hall main works contract", "Corrin and Pryor Construction Limited"),
        # A frequency with a number in it answers "how often".
        ("How often will the Joint Estates Board meet?", "meet every six weeks"),
        # A typo ("colege") is not the Welsh name of another document's college ("Coleg Rhoswen").
        (
            "whats the yearly borrowing cost to us of the £1.2m for the colege skills centre",
            "at an annual cost of about £83,000 over 25 years",
        ),
        # A sponsor named by post, without a title, answers "who's the sponsor?".
        (
            "who's the board sponsor for the buying local pledge at Harrowdene NHS FT?",
            "Rhiannon Pugh-Stannard, Chief Finance Officer",
        ),
    ],
)
def test_what_is_asked_for_leads(eval_engine, question, first_passage_holds):
    assert first_passage_holds in eval_engine.ask(question).quotes[0].passage.text


def test_a_field_the_question_names_is_quoted(eval_engine):
    # Over 39 documents a Quendleby minute whose heading reads "(KEY DECISION – FORWARD PLAN REF QDC/KD/25/019)"
    # scores within 1% of Wendleford's title page and leads; the reference asked for is still quoted.
    answer = eval_engine.ask("KD ref for the One Estate Partnership report?")
    assert any("Forward Plan reference WBC/FP/24/038" in quote.passage.text for quote in answer.quotes)


def test_a_financial_year_typed_short_is_read_as_the_documents_write_it(eval_engine):
    answer = eval_engine.ask("how many anchor pathways placements in total for 22/23?")
    assert any("initial target of 60 placements during 2022-23" in quote.passage.text for quote in answer.quotes)
    assert not eval_engine.ask("ashcombe council tax rise 23/24").answered


def test_a_sentence_broken_by_a_running_header_is_found_whole(eval_engine):
    answer = eval_engine.ask("how many affordable homes could go on the brindle road clinic site")
    quoted = [quote.passage.text for quote in answer.quotes]
    assert any("could provide about 28 affordable homes" in text for text in quoted)
    assert not any("Page 3 of 9" in text or "Wendleford Borough Council – Cabinet" in text for text in quoted)


def test_a_passage_that_only_points_to_an_appendix_is_not_quoted_first(eval_engine):
    answer = eval_engine.ask("What are the equalities implications of the Derbyshire anchor institutions cabinet report?")
    assert not answer.answered or not answer.quotes[0].passage.text.startswith("Appendix 1 sets out")


def test_a_group_the_document_never_names_is_not_answered_from_it(eval_engine):
    # Ebbsford's Anchor Strategy Group has a chair; Derbyshire's Anchor Operational Group has none named. (Asked
    # without the county, Swaithorpe's "Anchor Working Group of operational leads ... chaired by" is quoted: each
    # word is in that charter. Requiring a group's words side by side cost more answers than it saved.)
    assert not eval_engine.ask("who chairs Derbyshire's Anchor Operational Group?").answered
    answer = eval_engine.ask("Who chairs Ebbsford College's Anchor Strategy Group?")
    assert "chaired by Owen Trask" in answer.quotes[0].passage.text


def test_a_cost_question_needs_a_sum_of_money(eval_engine):
    # The Rookwood House paragraph gives a year and a number of flats, never the cost of converting it.
    assert not eval_engine.ask("How much is Rookwood House going to cost to convert into flats?").answered
    answer = eval_engine.ask("what's the real living wage going to cost Kellbrook?")
    assert any("full-year cost of £186,000" in quote.passage.text for quote in answer.quotes)


def test_a_word_docx_and_a_pdf_in_the_corpus_are_answered_from(eval_engine):
    answer = eval_engine.ask("who is the SRO for the health board's anchor commitments")
    assert answer.quotes[0].document.path.endswith(".docx")
    assert "Elin Garside, is the senior responsible owner" in answer.quotes[0].passage.text
    answer = eval_engine.ask("greysands compact - which jobs do care leavers get a guaranteed interview for")
    assert answer.quotes[0].document.path.endswith(".pdf")


@pytest.mark.parametrize("name", [name for name in QUESTION_FILES if name != "dev"])
def test_every_question_set_is_valid_against_the_eval_corpus(name, capsys):
    from tests.eval.check_questions import main as check

    assert check(["check_questions", str(EVAL_DIR / QUESTION_FILES[name]), str(EVAL_CORPUS)]) == 0, capsys.readouterr().out


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
    # Measured over the 39 documents: hit@1 0.66, hit@3 0.82, 58% abstained, 1.4% wrongly abstained.
    engine, questions = as_pdfs
    result = score(engine, questions)
    figures = (result.hit1, result.hit3, result.abstained_unanswerable, result.wrongly_abstained)
    assert result.hit1 >= 0.61 and result.hit3 >= 0.77, figures
    assert result.abstained_unanswerable >= 0.51 and result.wrongly_abstained <= 0.05, figures


@pytest.mark.parametrize(
    "question",
    [
        # The university gives levy away; what it pays is nowhere.
        "how much apprenticeship levy does brantwick uni pay a year",
        # A district's 96,000 residents are not the people its council employs.
        "How many people does Stockwell Vale District Council employ?",
        # Keyword questions ending on a charge ask for it.
        "Kellbrook Sandgate Market Hall stall rents",
    ],
)
def test_a_question_whose_asked_thing_no_passage_holds_is_not_answered(eval_engine, question):
    assert not eval_engine.ask(question).answered


def test_a_price_question_is_answered_by_the_sum(eval_engine):
    answer = eval_engine.ask("Mill Reach - what are we selling it to the CLT for?")
    assert "It was proposed that the freehold be sold to the CLT for £160,000" in answer.quotes[0].passage.text


@pytest.mark.parametrize(
    ("question", "quote_shows"),
    [
        # Minutes report a member's question and then its reply: the reply is what answers.
        (
            "Were the trade unions consulted on the RLW, apprenticeship and parking proposals?",
            "consulted at the Joint Staff Forum on 4 November 2025",
        ),
        # "It is signed off by ..." speaks of the annual report the sentence before names.
        ("Who signs off the police anchor annual report?", "It is signed off by the Commissioner"),
        # "Who chairs ...?" wants the sentence naming a person, not the one saying the board oversees the charter.
        ("who chairs the anchor board at Swaithorpe?", "chaired by Bernadette Achterlonie"),
        # "Why ...?" wants the sentence giving the reason.
        ("why was call-in waived on the street lighting contract?", "price guarantee expired on 31 March 2022"),
    ],
)
def test_a_trimmed_quote_keeps_the_sentence_that_answers(eval_engine, question, quote_shows):
    assert quote_shows in eval_engine.ask(question).quotes[0].shown
