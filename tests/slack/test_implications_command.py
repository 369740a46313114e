"""`/policy implications <report or topic>`: a decision's record, quoted and cited paragraph by paragraph."""

from __future__ import annotations

import pytest

from tests.slack.events import slash_command
from tests.slack.reading import markup, shown

APPENDIX = "Anchor Institutions in Derbyshire and Derby — Cabinet, 13 January 2022, Appendix 1"
IMPLICATIONS = {
    "Financial — para 1.1": ("No financial implications have been identified. If any financial implications are "
                             "identified at a later stage, finance colleagues will be asked for advice", f"{APPENDIX}, para 1.1"),
    "Legal — para 2.1": ("No legal implications have been identified. If any legal implications are identified at a "
                         "later stage, legal colleagues will be asked for advice", f"{APPENDIX}, para 2.1"),
    "Human Resources — para 3.1": ("No human resources (HR) implications have been identified.", f"{APPENDIX}, para 3.1"),
}


def implications(http_bot, fake_slack, request: str) -> dict:
    http_bot.command(slash_command(f"implications {request}", fake_slack.response_url("record")))
    (response,) = fake_slack.wait_for(lambda slack: slack.responses("record"))
    assert response["response_type"] == "ephemeral"
    assert markup(response) == []
    assert fake_slack.posts() == []
    return response


def test_the_reports_financial_legal_and_hr_implications_are_quoted_with_their_paragraphs(http_bot, fake_slack):
    record = shown(implications(http_bot, fake_slack, "anchor institutions"))

    lines = record.splitlines()
    for lead, (quote, citation) in IMPLICATIONS.items():
        at = lines.index(f"*{lead}*")
        assert lines[at + 1].startswith(quote)  # the paragraph itself, verbatim, under its heading
        assert lines[at + 2] == f":page_facing_up: {citation}"


def test_the_record_includes_the_recommendation_key_decision_and_alternatives(http_bot, fake_slack):
    record = shown(implications(http_bot, fake_slack, "anchor institutions"))

    assert "*Anchor Institutions in Derbyshire and Derby*\nCabinet, 13 January 2022, Derbyshire County Council" in record
    assert "*Key decision:* No\n*para 2.1*\nThis is not a key decision." in record
    assert "a) Agree that Derbyshire County Council becomes a signatory to the Derby/Derbyshire Anchor Charter." in record
    assert "*para 6.1*\nDo nothing. Derbyshire County Council do not sign the Anchor Charter" in record
    assert "*para 6.2*\nDerbyshire County Council defer the decision" in record


@pytest.mark.parametrize("request_text", ["", "the swimming pool closure"])
def test_an_unknown_report_says_so_and_names_the_reports_with_records(http_bot, fake_slack, request_text):
    response = shown(implications(http_bot, fake_slack, request_text))

    assert "Decision records are kept for these reports:" in response
    assert "Anchor Institutions in Derbyshire and Derby (Cabinet, 13 January 2022)" in response
    assert "Financial" not in response
