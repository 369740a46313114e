"""The structure parser on the shipped report and on the other shapes council documents take."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from ingest.passages import ChunkSettings, describe_document, make_passages
from ingest.readers import read_document
from ingest.readers.html import read_html
from ingest.records import SourceText
from ingest.structure import parse_structure
from ingest.text import fold_whitespace, sentence_spans, word_count
from tests.conftest import SHIPPED_REPORT


def passages_of(text: str, page_starts: tuple[int, ...] = (), doc_id: str = "doc"):
    source = SourceText(text=text, page_starts=page_starts)
    structure = parse_structure(text)
    document = describe_document(doc_id, f"{doc_id}.txt", "0" * 64, source, structure)
    return document, make_passages(document, source, structure)


@pytest.fixture(scope="module")
def report():
    source = read_document(SHIPPED_REPORT)
    structure = parse_structure(source.text)
    document = describe_document("report", SHIPPED_REPORT.name, "0" * 64, source, structure)
    return source, document, make_passages(document, source, structure)


def by_section(passages, section, heading_start=""):
    found = [p for p in passages if p.section == section and p.heading.startswith(heading_start)]
    assert len(found) == 1, [(p.section, p.heading) for p in passages]
    return found[0]


def test_title_block_gives_title_meeting_and_date(report):
    _, document, passages = report
    assert document.title == "Anchor Institutions in Derbyshire and Derby"
    assert document.meeting == "Cabinet"
    assert document.date == "13 January 2022"
    assert document.council == "Derbyshire County Council"
    cover = passages[0]
    assert cover.heading == "Title page"
    assert "(Cabinet Member for Health and Communities)" in cover.text


def test_a_title_wrapped_over_two_lines_is_read_whole():
    text = (
        "WENDLEFORD BOROUGH COUNCIL\nCABINET\nThursday, 12 September 2024\n"
        "Report of the Director of Regeneration and Assets\n"
        "Wendleford One Estate Partnership and Quillet Street Health and\nWellbeing Hub\n"
        "(Cabinet Member for Regeneration and Property)\n\n1.\n\nPurpose\n\n1.1\n\nTo ask Cabinet to agree.\n"
    )
    document, _ = passages_of(text)
    assert document.title == "Wendleford One Estate Partnership and Quillet Street Health and Wellbeing Hub"


def test_a_numbered_list_stays_with_the_sentence_that_introduces_it():
    text = (
        "# Civic Pledge\n\n## Why we pledge\n\nThe University has been part of this city since 1893, and it means to stay.\n\n"
        "## How we will measure progress\n\nThe annual report will show, for each year:\n\n"
        "1. the number of students enrolled from the priority neighbourhoods;\n"
        "2. the number of apprenticeship starts;\n3. our carbon emissions in tonnes.\n"
    )
    _, passages = passages_of(text)
    listed = [p for p in passages if "apprenticeship starts" in p.text]
    assert len(listed) == 1 and listed[0].section is None
    assert listed[0].text.startswith("The annual report will show, for each year:\n1. the number of students")


def test_a_minute_number_that_runs_on_from_minute_no_is_a_reference_not_a_minute():
    text = (
        "OTTERSBY DISTRICT COUNCIL\nMINUTES of a meeting of CABINET held on 14 November 2024\n\n"
        "41/24. DECLARATIONS OF INTEREST\n\nCouncillor G Pellow declared an interest in Minute No.\n"
        "45/24 as a member of the College. He left the Chamber for that item.\n\n"
        "42/24. CALL-IN\n\nThe decisions could be called in by any four non-executive Members.\n"
    )
    _, passages = passages_of(text)
    declaration = [p for p in passages if "Pellow" in p.text]
    assert len(declaration) == 1 and declaration[0].section == "41/24"
    assert "Minute No. 45/24 as a member of the College" in " ".join(declaration[0].text.split())
    call_in = [p for p in passages if "called in" in p.text]
    assert call_in[0].section == "42/24" and call_in[0].heading == "42/24. CALL-IN"


def test_table_rows_are_text_not_headings():
    text = (
        "# Strategy\n\n## Measuring progress\n\nWe will report these measures every year.\n\n"
        "Measure | Baseline | Target\n\nApprentices learning with the College | 455 | 640\n\n"
        "Hours of free community use | 1,850 | 3,000\n\n## Governance\n\nThe group meets quarterly.\n"
    )
    _, passages = passages_of(text)
    table = [p for p in passages if "455" in p.text]
    assert len(table) == 1 and table[0].heading.endswith("Measuring progress")
    assert "Hours of free community use | 1,850 | 3,000" in table[0].text
    assert not any("|" in p.heading for p in passages)


def test_a_field_under_a_heading_is_text_not_a_heading_that_the_next_one_replaces():
    text = (
        "HARROWDENE NHS FOUNDATION TRUST\nAnchor Pledge 2025\n\n4.\nPledge C – Buying from Harrowdene\n"
        "Board sponsor: Rhiannon Pugh-Stannard, Chief Finance Officer\n\nC1\n"
        "We will raise the share of our spend placed with local suppliers.\n"
    )
    _, passages = passages_of(text)
    sponsor = [p for p in passages if "Rhiannon Pugh-Stannard" in p.text]
    assert len(sponsor) == 1 and sponsor[0].heading == "4. Pledge C – Buying from Harrowdene"
    assert not any("sponsor" in p.heading for p in passages)


def test_a_bracketed_note_in_minutes_is_text_not_a_heading():
    text = (
        "CULVERTON CITY COUNCIL\nMINUTES of a meeting of CABINET held on 10 July 2025\n\n"
        "36/25. LAND AT MILL REACH\n\n(Councillor Ellory had left the Chamber.)\n\n"
        "The Director of Housing presented a report on the disposal of the land.\n"
    )
    _, passages = passages_of(text)
    assert all(p.heading == "36/25. LAND AT MILL REACH" for p in passages if "Director of Housing" in p.text)
    assert not any("Ellory" in p.heading for p in passages)


def test_a_minute_heading_in_capitals_wrapped_over_lines_is_read_whole_and_its_note_kept_verbatim():
    # PDF minutes: no blank lines, the item's title wraps, and a long paragraph is cut between sentences.
    body = " ".join(f"The officer explained point {n} of the procurement strategy to members." for n in range(40))
    text = (
        "QUENDLEBY DISTRICT COUNCIL\nMINUTES of a meeting of CABINET held on 16 October 2025\n49/25\n"
        "GROUNDS MAINTENANCE AND STREET CLEANSING SERVICES 2026–2033 –\n"
        "PROCUREMENT STRATEGY AND SOCIAL VALUE (KEY DECISION – FORWARD PLAN\nREF QDC/KD/25/021)\n"
        f"(Councillor Caddick had left the Chamber.)\n{body}\n"
    )
    _, passages = passages_of(text)
    item = [p for p in passages if "procurement strategy to members" in p.text]
    assert item and all(
        p.heading == "49/25. GROUNDS MAINTENANCE AND STREET CLEANSING SERVICES 2026–2033 – PROCUREMENT STRATEGY "
        "AND SOCIAL VALUE (KEY DECISION – FORWARD PLAN REF QDC/KD/25/021)"
        for p in item
    )
    assert item[0].text.startswith("(Councillor Caddick had left the Chamber.) The officer")


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # A report title wrapped in capitalised words is read whole.
        (
            "ZARROWFIELD COUNCIL\nCABINET\nThursday, 16 October 2025\nReport of the Strategic Director for Place\n"
            "Zarrowfield Anchor Network: Signing the Anchor Charter, the Spend\n"
            "Zarrowfield Programme and Bringing Building Cleaning In House\n"
            "(Cabinet Member for Good Jobs: Councillor Y Adebanjo-Fry)\nKey decision: Yes\n\n1. Purpose\n\n"
            "1.1 To ask Cabinet to agree that the Council signs the Charter.\n",
            "Zarrowfield Anchor Network: Signing the Anchor Charter, the Spend Zarrowfield Programme and Bringing "
            "Building Cleaning In House",
        ),
        # Who brings a report and its wards are not its title.
        (
            "ZARROWFIELD COUNCIL\nCABINET\n16 October 2025\nReport of the Director\nAnchor Charter Update\n"
            "Portfolio Holder Councillor Y Smith\nAll Wards\n\n1. Purpose\n\n1.1 To update Cabinet on the charter.\n",
            "Anchor Charter Update",
        ),
        # The rest of a meeting's line is not a title.
        (
            "JANDERSHIRE COUNTY COUNCIL\n\nCABINET\n\nRECORD OF DECISIONS\n\n"
            "Meeting held on Thursday 16 October 2025 at 2.00pm in the Wyvern Room,\n"
            "County Offices, Castle Lane, Jessford\n\nDate of publication: Monday 20 October 2025\n\n"
            "58/25\n\nANCHOR NETWORK\n\nCabinet agreed to sign the memorandum.\n",
            "Record of Decisions",
        ),
    ],
)
def test_the_title_block_reads_the_title_and_no_more(text, title):
    assert parse_structure(text).title_block.title == title


def test_a_cover_line_labelled_title_is_the_title_and_long_fields_stay_on_the_cover():
    text = (
        "SOWERBY METROPOLITAN BOROUGH COUNCIL\n\nREPORT TO CABINET\n\nDate of meeting: Wednesday 21 January 2026\n\n"
        "Cabinet Member: Councillor Tariq Holroyd, Cabinet Member for Skills, Employment and Inclusive Economy and "
        "Community Wealth\n\nTitle: Joining the Sowerby Anchor Network\n\n"
        "Key decision: Yes, Forward Plan item SMBC/KD/2025/088. Wards affected: all wards.\n\n# 1. Purpose\n\n"
        "1.1 This report seeks Cabinet approval for the Council to join the Network.\n"
    )
    block = parse_structure(text).title_block
    assert (block.title, block.title_is_stated) == ("Joining the Sowerby Anchor Network", True)
    assert (block.council, block.meeting, block.date) == (
        "Sowerby Metropolitan Borough Council", "Cabinet", "21 January 2026"
    )


def test_a_labelled_line_of_the_body_is_not_taken_onto_the_cover():
    text = (
        "SOWERBY METROPOLITAN BOROUGH COUNCIL\n\nREPORT TO CABINET\n\n21 January 2026\n\n"
        "Recommendation: That Cabinet approves the Charter and asks for a progress report in twelve months' time "
        "from the Director of Place.\n\nThe Charter was drawn up by the partners over the winter.\n"
    )
    _, passages = passages_of(text)
    assert any(p.text.startswith("Recommendation: That Cabinet approves") and p.section is None for p in passages)
    assert "Recommendation" not in parse_structure(text).title_block.text


def test_a_heading_naming_a_financial_year_is_not_a_minute():
    _, passages = passages_of("# Budget report\n\n## 2025/26 Budget Proposals\n\nThe budget rises by 4 per cent.\n")
    (passage,) = passages
    assert passage.section is None
    assert passage.heading == "Budget report › 2025/26 Budget Proposals"
    # Nor in plain text, where it opens a paragraph.
    _, passages = passages_of("Budget report\n\n2025/26 Budget Proposals include a rise of 4 per cent in charges.\n")
    assert all(p.section is None for p in passages)


# Minutes saved from Word: headings marked by the reader, the meeting named on one long line.
WORD_MINUTES = (
    "# VARLEY BOROUGH COUNCIL\n\nCABINET\n\n"
    "MINUTES of a meeting of the CABINET held in Committee Room 1, Varley Town Hall, on Tuesday 18 November 2025 "
    "at 10.00am\n\n# PRESENT\n\nCouncillor S Heaton (Leader of the Council) in the Chair\n\n"
    "## 75/25 Questions from members of the public\n\nMrs Pickering asked about the library.\n\n"
    "## 76/25 Varley Anchor Network – Signing the Anchor Charter (Key Decision – Forward Plan Ref VBC/KD/25/037)\n\n"
    "The Cabinet Member introduced a report inviting Cabinet to sign the Charter.\n\n"
    "RESOLVED that Cabinet signs the Varley Anchor Charter.\n"
)


def test_word_minutes_name_their_council_meeting_and_date():
    document, _ = passages_of(WORD_MINUTES)
    assert (document.title, document.council, document.meeting, document.date) == (
        "Minutes of Cabinet", "Varley Borough Council", "Cabinet", "18 November 2025"
    )


def test_a_long_minute_heading_from_word_heads_its_minute_and_stands_alone():
    _, passages = passages_of(WORD_MINUTES)
    resolved = next(p for p in passages if "RESOLVED that Cabinet signs" in p.text)
    assert resolved.section == "76/25"
    # Not under "Present", though Word made the minutes its sub-headings.
    assert resolved.heading == (
        "76/25 Varley Anchor Network – Signing the Anchor Charter (Key Decision – Forward Plan Ref VBC/KD/25/037)"
    )


def test_a_minute_heading_in_capitals_stops_where_its_resolution_starts():
    text = (
        "CULVERTON CITY COUNCIL\nMINUTES of a meeting of CABINET held on 10 July 2025\n49/25\n"
        "ANCHOR NETWORK CHARTER\nRESOLVED:\nThat the charter be signed by the Leader on behalf of the Council.\n"
    )
    assert {unit.heading for unit in parse_structure(text).units} == {("49/25. ANCHOR NETWORK CHARTER",)}


def test_a_closing_bracket_stays_with_its_sentence_and_an_abbreviation_inside_one_ends_nothing():
    text = "(Councillor Ellory had left the Chamber.) The fee (approx.) 50 pounds is due. Next item."
    assert [text[start:end] for start, end in sentence_spans(text)] == [
        "(Councillor Ellory had left the Chamber.)",
        "The fee (approx.) 50 pounds is due.",
        "Next item.",
    ]


def test_table_cells_read_as_the_rows_words():
    html = (
        "<html><body><h1>Agreement</h1><h2>Targets</h2><p>The main targets are below.</p><table>"
        "<tr><th>Measure</th><th>Baseline</th><th>Target</th><th>By</th></tr>"
        "<tr><td>University apprenticeship starts a year</td><td>52</td><td>90</td><td>2027-28</td></tr>"
        "</table></body></html>"
    )
    _, passages = passages_of(read_html(html.encode()).text)
    assert any("University apprenticeship starts a year 52 90 2027-28" in p.text for p in passages)


def test_a_sentence_broken_after_a_joining_word_is_healed_before_a_capital():
    text = (
        "# Pledge\n\n## Our land\n\nWe will bring forward 46 affordable flats, and the Board will take a decision "
        "on the scheme by\n\nDecember 2025.\n\n## Our environment\n\nWe will reach net zero by 2040.\n"
    )
    _, passages = passages_of(text)
    assert any("a decision on the scheme by December 2025." in p.text for p in passages)


def test_paragraph_4_7_is_one_passage_with_its_number(report):
    _, _, passages = report
    paragraph = by_section(passages, "4.7")
    assert paragraph.heading == "4. Information and Analysis"
    assert paragraph.text.startswith("By signing up to the Derbyshire and Derby Anchor Charter Mission")
    assert paragraph.text.endswith("create a strong, resilient, and inclusive local economy.")
    assert paragraph.citation == "Anchor Institutions in Derbyshire and Derby — Cabinet, 13 January 2022, para 4.7"


def test_appendix_paragraph_carries_its_heading_path(report):
    _, _, passages = report
    financial = by_section(passages, "1.1", "Appendix")
    assert financial.heading == "Appendix 1 – Implications › Financial"
    assert financial.text.startswith("No financial implications have been identified.")
    assert "Appendix 1, para 1.1" in financial.citation
    assert by_section(passages, "3.1", "Appendix").heading == "Appendix 1 – Implications › Human Resources"
    assert by_section(passages, "1.1", "1.").text == "Countywide."


def test_sentence_broken_by_a_blank_line_is_healed(report):
    _, _, passages = report
    assert "build wealth in and develop their local community through procurement" in by_section(passages, "4.2").text


def test_list_stays_with_the_sentence_that_introduces_it(report):
    _, _, passages = report
    areas = by_section(passages, "4.3")
    assert areas.text.splitlines()[0] == "Key areas where Anchor Institutions have an impact include:"
    assert "Environment: Reducing environmental impact." in areas.text
    recommendation = next(p for p in passages if p.heading == "10. Recommendation(s)")
    assert recommendation.text == (
        "That Cabinet:\na) Agree that Derbyshire County Council becomes a signatory to the "
        "Derby/Derbyshire Anchor Charter."
    )


def test_number_pulled_out_of_order_still_finds_its_heading(report):
    _, _, passages = report
    reasons = by_section(passages, "11.1")
    assert reasons.heading == "11. Reasons for Recommendation(s)"
    assert by_section(passages, "12.1").text == "No"


def test_every_passage_is_its_source_spans_with_whitespace_folded(report):
    source, _, passages = report
    for passage in passages:
        from_spans = " ".join(fold_whitespace(source.text[start:end]) for start, end in passage.spans)
        assert fold_whitespace(passage.text) == from_spans


MINUTES = """PUBLIC
DERBYSHIRE COUNTY COUNCIL
MINUTES of a meeting of CABINET held at County Hall, Matlock on
Thursday, 10 February 2022

21/22

LIBRARY SERVICE – COMMUNITY MANAGED
LIBRARIES

The Cabinet Member reported that five libraries had transferred to community
groups during the year and that volunteers now ran them with support from
the library service. Members asked about opening hours and were told that
each group sets its own hours within a minimum of twelve a week.

7

RESOLVED that Cabinet:

(1) notes the transfer of the five libraries; and

(2) agrees a further grant of £5,000 to each group.
"""


def test_minutes_are_cited_by_minute_number_and_resolutions_keep_their_items():
    document, passages = passages_of(MINUTES, doc_id="minutes")
    assert document.title == "Minutes of Cabinet"
    assert document.date == "10 February 2022"
    body = [p for p in passages if p.section == "21/22"]
    assert body and all(p.heading == "21/22. LIBRARY SERVICE – COMMUNITY MANAGED LIBRARIES" for p in body)
    resolution = next(p for p in body if "RESOLVED" in p.text)
    assert "(1) notes the transfer" in resolution.text and "(2) agrees a further grant" in resolution.text
    assert "minute 21/22" in resolution.citation
    assert all(p.text.strip() != "7" for p in passages), "a stray page number is not a passage"


MARKDOWN_REPORT = """# Ravenmoor Borough Council

## Cabinet – 20 June 2023

**Report of the Director of Place**

# Replacement of Castlegate Leisure Centre

## 1. Purpose of the report

1.1 To seek approval of the outline business case for a new leisure centre.

## Appendix 1 – Implications

### Financial

1.1 The scheme costs £24.6 million, funded by prudential borrowing and S106 contributions.
"""


def test_markdown_report_front_matter_and_numbered_paragraphs():
    document, passages = passages_of(MARKDOWN_REPORT, doc_id="ravenmoor")
    assert document.title == "Replacement of Castlegate Leisure Centre"
    assert document.meeting == "Cabinet" and document.date == "20 June 2023"
    purpose = next(p for p in passages if p.section == "1.1" and p.heading.startswith("1."))
    assert purpose.text == "To seek approval of the outline business case for a new leisure centre."
    financial = next(p for p in passages if p.heading.endswith("Financial"))
    assert financial.heading == "Appendix 1 – Implications › Financial"
    assert financial.section == "1.1"


sentence = st.builds(
    lambda words, end: " ".join(words).capitalize() + end,
    st.lists(st.sampled_from("council anchor charter partners employment local procurement the and of".split()), min_size=4, max_size=30),
    st.sampled_from([".", "!"]),
)
paragraph = st.lists(sentence, min_size=1, max_size=12).map(" ".join)


@settings(max_examples=25, deadline=None)
@given(st.lists(paragraph, min_size=1, max_size=12))
def test_unnumbered_text_is_cut_only_between_sentences_into_readable_sizes(paragraphs):
    text = "Guidance note\n\n" + "\n\n".join(paragraphs) + "\n"
    _, passages = passages_of(text)
    sizes = ChunkSettings()
    for passage in passages:
        assert word_count(passage.text) <= sizes.max_words * 1.5 or "\n" not in passage.text
        for start, end in passage.spans:
            piece = text[start:end]
            assert piece.rstrip()[-1] in ".!?" or end == len(text.rstrip()), f"cut inside a sentence: {piece[-40:]!r}"
    words_in = word_count(" ".join(paragraphs))
    assert sum(word_count(p.text) for p in passages if p.heading != "Title page") >= words_in


def test_the_report_as_a_pdf_without_blank_lines_reads_as_the_text_does(report, tmp_path):
    """pypdf gives no blank lines between paragraphs: headings arrive glued to the text around them."""
    from tests.pdfs import write_pdf

    lines = [line for line in SHIPPED_REPORT.read_text(encoding="utf-8").splitlines() if line.strip()]
    pdf = write_pdf(tmp_path / "report.pdf", [lines[i : i + 45] for i in range(0, len(lines), 45)],
                    header="PUBLIC", footer="Page {page} of {pages}")
    source = read_document(pdf)
    structure = parse_structure(source.text)
    document = describe_document("report", "report.pdf", "0" * 64, source, structure)
    from_pdf = make_passages(document, source, structure)
    _, _, from_text = report
    assert [(p.section, p.heading) for p in from_pdf] == [(p.section, p.heading) for p in from_text]
    assert [fold_whitespace(p.text) for p in from_pdf] == [fold_whitespace(p.text) for p in from_text]
    assert by_section(from_pdf, "3.1", "Appendix").pages == (len(lines) // 45 + 1,)


def test_paragraphs_without_blank_lines_end_where_a_sentence_stops_short_of_the_margin():
    text = (
        "Social value guidance\n"
        "Social value means the wider economic, social and environmental benefits that a\n"
        "contract can deliver for Derbyshire on top of the goods, services or works being\n"
        "bought, such as jobs and training for local people and work experience for the young.\n"
        "It applies to all contracts over £25,000.\n"
        "Commitments made in a tender must be written into the contract as key performance\n"
        "indicators, with a named measure, a target and a date, and reviewed every quarter by\n"
        "the contract manager, who records progress on the contract management system too.\n"
        "Repeated failure can be treated as a breach of contract.\n"
    )
    _, passages = passages_of(text)
    texts = [p.text for p in passages]
    assert any(t.startswith("Social value means") and t.endswith("over £25,000.") for t in texts)
    assert any(t.startswith("Commitments made") and t.endswith("breach of contract.") for t in texts)


def test_minutes_without_blank_lines_keep_their_cover_and_minute_numbers():
    document, passages = passages_of("\n".join(line for line in MINUTES.splitlines() if line.strip()), doc_id="minutes")
    assert document.title == "Minutes of Cabinet" and document.date == "10 February 2022"
    resolution = next(p for p in passages if "RESOLVED" in p.text)
    assert resolution.section == "21/22"
    assert "(2) agrees a further grant of £5,000 to each group." in resolution.text
