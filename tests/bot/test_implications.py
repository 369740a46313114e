"""`policybot implications`: a cabinet report's decision, quoted and cited paragraph by paragraph."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.implications import find_decision, implications_for, lookup_as_text
from bot.sources import indexed_sources
from ingest import store

ANCHOR = "Anchor Institutions in Derbyshire and Derby — Cabinet, 13 January 2022"
LEISURE = "Replacement of Castlegate Leisure Centre – Outline Business Case"
ESTATES = "Wendleford One Estate Partnership and Quillet Street Health and Wellbeing Hub"
# A PDF report and a Markdown one in the eval corpus: their decision records are read as the text reports' are.
COMPACT = "Greysands Anchor Employment Compact – Founding Membership of the Council"
FRAMEWORK = "Social Value Framework 2025–2029"
ZARROWFIELD = (
    "Zarrowfield Anchor Network: Signing the Anchor Charter, the Spend Zarrowfield Programme and Bringing Building "
    "Cleaning In House"
)


@pytest.fixture
def run():
    def invoke(*args):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def build_of(index_dir):
    return store.load_build(store.current_build(index_dir))


def test_anchor_institutions_quotes_each_implication_with_its_paragraph_and_citation(run, shipped_index):
    result = run("implications", "--index", str(shipped_index), "anchor", "institutions")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == ["Anchor Institutions in Derbyshire and Derby", "Cabinet, 13 January 2022, Derbyshire County Council"]
    assert "Key decision: No" in lines
    assert "  para 2.1: “This is not a key decision.”" in lines
    for heading, para, opening in [
        ("Financial", "1.1", "No financial implications have been identified."),
        ("Legal", "2.1", "No legal implications have been identified."),
        ("Human Resources", "3.1", "No human resources (HR) implications have been identified."),
    ]:
        position = next(i for i, line in enumerate(lines) if line.startswith(f"  {heading} — para {para}: “{opening}"))
        assert lines[position + 1] == f"      — {ANCHOR}, Appendix 1, para {para}"
    assert "    a) Agree that Derbyshire County Council becomes a signatory to the Derby/Derbyshire Anchor Charter.”" in lines
    assert sum(line.startswith("  para 6.") for line in lines) == 2


def test_implications_json_is_the_stored_record(run, shipped_index):
    result = run("implications", "--index", str(shipped_index), "--json", "Anchor Institutions")
    lookup = json.loads(result.stdout)
    assert lookup["found"] is True
    report = lookup["report"]
    assert report["key_decision"] is False
    assert [(i["heading"], [p["section"] for p in i["paragraphs"]]) for i in report["implications"]] == [
        ("Financial", ["1.1"]), ("Legal", ["2.1"]), ("Human Resources", ["3.1"])
    ]
    assert [a["section"] for a in report["alternatives"]] == ["6.1", "6.2"]


def test_a_topic_finds_its_report_among_other_documents(run, eval_index):
    result = run("implications", "--index", str(eval_index), "leisure", "centre")
    assert result.output.startswith(LEISURE + "\n")
    for heading in ("Financial", "Legal", "Human Resources", "Equalities", "Environmental", "Property", "Social Value", "Risk"):
        assert f"  {heading} — para " in result.output
    assert "Key decision: Yes\n  title page: “Yes – Forward Plan reference FP/23/019”" in result.output


def test_a_topic_not_in_any_title_is_found_by_searching_the_passages(eval_engine):
    # Varnholt's minutes speak of swimming pools too, so the topic is the Sport England bid, which only the report has.
    lookup = implications_for(eval_engine, "sport england bid")
    assert lookup.record is not None and lookup.record.title == LEISURE


def test_a_document_that_is_not_a_report_is_named_with_the_reports_that_have_records(run, eval_index):
    result = run("implications", "--index", str(eval_index), "guidance for commissioning and procurement officers")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "I have no decision record for “guidance for commissioning and procurement officers”.",
        "The closest document, “Social Value in Procurement: Guidance for Commissioning and Procurement Officers”, "
        "is not a decision report, so it has no record of recommendations and implications.",
        "Decision records are kept for these reports:",
        "  • Anchor Institutions in Derbyshire and Derby (Cabinet, 13 January 2022)",
        "  • Community Wealth Building in Phelbury: One Year On (Overview and Scrutiny Committee, 20 January 2026)",
        f"  • {COMPACT} (Cabinet, 19 June 2025)",
        "  • Joining the Sowerthwaite Anchor Network and the Levy Share apprenticeship levy transfer scheme (Cabinet, "
        "21 January 2026)",
        "  • Record of Decisions (Cabinet, 4 December 2025)",
        "  • Record of Decisions (Cabinet, 16 October 2025)",
        f"  • {LEISURE} (Cabinet, 20 June 2023)",
        f"  • {FRAMEWORK} (Cabinet, 6 March 2025)",
        f"  • {ESTATES} (Cabinet, 12 September 2024)",
        f"  • {ZARROWFIELD} (Cabinet, 16 October 2025)",
    ]
    listing = json.loads(run("implications", "--index", str(eval_index), "--json").stdout)
    assert listing["found"] is False
    assert [r["title"] for r in listing["reports_with_records"]] == [
        "Anchor Institutions in Derbyshire and Derby",
        "Community Wealth Building in Phelbury: One Year On",
        COMPACT,
        "Joining the Sowerthwaite Anchor Network and the Levy Share apprenticeship levy transfer scheme",
        "Record of Decisions",
        "Record of Decisions",
        LEISURE,
        FRAMEWORK,
        ESTATES,
        ZARROWFIELD,
    ]


def test_without_a_search_an_unknown_topic_lists_the_reports(shipped_index):
    lookup = find_decision("bin collections", build_of(shipped_index))
    assert lookup.record is None
    assert "Anchor Institutions in Derbyshire and Derby (Cabinet, 13 January 2022)" in lookup_as_text(lookup)


def test_sources_say_which_documents_have_decision_records(eval_index):
    sources = {source.document.title: source for source in indexed_sources(build_of(eval_index))}
    assert sources["Anchor Institutions in Derbyshire and Derby"].has_decision_record
    assert sources["Anchor Institutions in Derbyshire and Derby"].passages == 25
    assert not sources["Minutes of Cabinet"].has_decision_record
