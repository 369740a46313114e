"""Decision records read off real cabinet reports: every item a verbatim passage with its paragraph and citation."""

from __future__ import annotations

import json
import shutil

import pytest

from ingest import store
from ingest.decisions import DecisionRecord, extract_decision
from ingest.passages import describe_document, make_passages
from ingest.readers import read_document
from ingest.structure import parse_structure
from tests.conftest import EVAL_CORPUS, SHIPPED_REPORT

RAVENMOOR = EVAL_CORPUS / "ravenmoor-cabinet-2023-06-20-leisure-centre-replacement.md"
ANCHOR = "Anchor Institutions in Derbyshire and Derby — Cabinet, 13 January 2022"
LEISURE = "Replacement of Castlegate Leisure Centre – Outline Business Case — Cabinet, 20 June 2023"


def parsed(path):
    source = read_document(path)
    structure = parse_structure(source.text)
    document = describe_document(path.stem, path.name, "0" * 64, source, structure)
    return document, make_passages(document, source, structure)


def record_of(path) -> DecisionRecord | None:
    return extract_decision(*parsed(path))


def all_excerpts(record: DecisionRecord):
    yield from record.recommendations
    yield from record.alternatives
    if record.key_decision_excerpt:
        yield record.key_decision_excerpt
    for implication in record.implications:
        yield from implication.paragraphs


def test_the_anchor_report_record():
    record = record_of(SHIPPED_REPORT)
    assert (record.title, record.meeting, record.date, record.council) == (
        "Anchor Institutions in Derbyshire and Derby", "Cabinet", "13 January 2022", "Derbyshire County Council"
    )
    assert record.key_decision is False
    assert record.key_decision_excerpt.text == "This is not a key decision."
    assert record.key_decision_excerpt.paragraph == "para 2.1"

    (recommendation,) = record.recommendations
    assert recommendation.text == (
        "That Cabinet:\na) Agree that Derbyshire County Council becomes a signatory to the Derby/Derbyshire Anchor Charter."
    )
    assert recommendation.citation == f"{ANCHOR}, section 10"

    assert [(i.heading, [(p.paragraph, p.citation) for p in i.paragraphs]) for i in record.implications] == [
        ("Financial", [("para 1.1", f"{ANCHOR}, Appendix 1, para 1.1")]),
        ("Legal", [("para 2.1", f"{ANCHOR}, Appendix 1, para 2.1")]),
        ("Human Resources", [("para 3.1", f"{ANCHOR}, Appendix 1, para 3.1")]),
    ]
    financial, legal, hr = (i.paragraphs[0].text for i in record.implications)
    assert financial.startswith("No financial implications have been identified. If any financial implications")
    assert legal.startswith("No legal implications have been identified.")
    assert hr.startswith("No human resources (HR) implications have been identified.")

    first, second = record.alternatives
    assert (first.paragraph, second.paragraph) == ("para 6.1", "para 6.2")
    assert first.text.startswith("Do nothing. Derbyshire County Council do not sign the Anchor Charter")
    assert second.text.startswith("Derbyshire County Council defer the decision regarding signing the Anchor Charter")


def test_the_ravenmoor_report_keeps_every_implication_heading_it_has():
    record = record_of(RAVENMOOR)
    assert [i.heading for i in record.implications] == [
        "Financial", "Legal", "Human Resources", "Equalities", "Environmental", "Property", "Social Value", "Risk"
    ]
    financial = record.implications[0]
    assert [p.paragraph for p in financial.paragraphs] == ["para 1.1", "para 1.2", "para 1.3"]
    assert financial.paragraphs[2].citation == f"{LEISURE}, Appendix 1, para 1.3"
    # "Key decision: Yes – ..." is a title-block field: the value is quoted, the title page cited.
    assert record.key_decision is True
    assert record.key_decision_excerpt.text == "Yes – Forward Plan reference FP/23/019"
    assert record.key_decision_excerpt.citation == f"{LEISURE}, title page"
    (recommendation,) = record.recommendations
    assert recommendation.text.startswith("That Cabinet:\n(a) approves the outline business case")
    assert "(d) delegates authority to the Director of Place" in recommendation.text
    assert [a.paragraph for a in record.alternatives] == ["para 4.1", "para 4.2"]  # "4. Options considered"


@pytest.mark.parametrize("path", [SHIPPED_REPORT, RAVENMOOR], ids=["anchor", "ravenmoor"])
def test_every_item_is_verbatim_from_the_passage_it_cites(path):
    document, passages = parsed(path)
    by_id = {passage.id: passage for passage in passages}
    record = extract_decision(document, passages)
    for excerpt in all_excerpts(record):
        passage = by_id[excerpt.passage_id]
        assert excerpt.text in passage.text
        assert excerpt.citation == passage.citation
    assert DecisionRecord.from_dict(json.loads(json.dumps(record.to_dict()))) == record


@pytest.mark.parametrize(
    "name",
    [
        "derbyshire-cabinet-minutes-2022-02-10.txt",
        "derbyshire-scrutiny-health-minutes-2022-09-19.txt",
        "derbyshire-cabinet-decision-list-2022-03-17.md",  # has "Key decision:" fields, but is no report
        "derbyshire-social-value-procurement-guidance.txt",
        "ashcombe-community-wealth-building-strategy-summary.txt",
        "trent-valley-icb-anchor-charter.html",
    ],
)
def test_documents_that_are_not_decision_reports_get_no_record(name):
    assert record_of(EVAL_CORPUS / name) is None


def test_the_build_stores_decision_records_and_derives_them_for_older_builds(shipped_index, tmp_path):
    build_dir = store.current_build(shipped_index)
    stored = json.loads((build_dir / "decisions.json").read_text(encoding="utf-8"))
    assert [record["title"] for record in stored] == ["Anchor Institutions in Derbyshire and Derby"]
    record = store.load_build(build_dir).decisions["derbyshire-cabinet-2022-01-13-anchor-institutions"]
    assert record == DecisionRecord.from_dict(stored[0]) == record_of(SHIPPED_REPORT)

    older = tmp_path / "older-build"
    shutil.copytree(build_dir, older)
    (older / "decisions.json").unlink()
    assert store.load_build(older).decisions == store.load_build(build_dir).decisions
