"""Block Kit rendering: exact quotes, citations and links, escaping, and Slack's size limits."""

from __future__ import annotations

import pytest

from bot.answer import CANNOT_ANSWER, Answer, Quote
from bot.blocks import (
    HELPFUL_ACTION_ID,
    MAX_BLOCKS,
    MAX_BUTTON_VALUE_CHARS,
    MAX_HOME_BLOCKS,
    MAX_TEXT_CHARS,
    SHARE_ACTION_ID,
    SHOW_MORE_ACTION_ID,
    UNHELPFUL_ACTION_ID,
    AnswerActions,
    Message,
    answer_message,
    escape,
    help_message,
    home_view,
    implications_message,
    parse_show_more_value,
    show_more_value,
    sources_message,
)
from bot.implications import DecisionLookup
from bot.sources import Source
from ingest.decisions import DecisionRecord, Excerpt, Implication
from ingest.records import Citation, Document, Passage
from tests.slack import reading

DOCUMENT = Document(
    id="anchor",
    title="Anchor Institutions in Derbyshire and Derby",
    path="corpus/derbyshire-cabinet-2022-01-13-anchor-institutions.txt",
    sha256="0" * 64,
    date="13 January 2022",
    meeting="Cabinet",
)


def quote(text: str, *, rank: int = 1, url: str | None = None, path: str | None = None, section: str = "para 1.1") -> Quote:
    passage = Passage(id=f"p{rank}", doc_id=DOCUMENT.id, text=text, spans=((0, len(text)),), section=section)
    citation = Citation(title=DOCUMENT.title, meeting="Cabinet", date="13 January 2022", section=section, url=url, path=path)
    return Quote(rank=rank, score=0.9, passage=passage, document=DOCUMENT, shown=text, citation=citation)


def answered(*quotes: Quote, question: str = "What are the financial implications?", notice: str | None = None) -> Answer:
    return Answer(question=question, answered=True, quotes=quotes, searched=(DOCUMENT,), notice=notice)


def mrkdwn_objects(message) -> list[dict]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(message.blocks)
    return found


def test_each_quote_is_a_block_quote_followed_by_its_citation():
    message = answer_message(answered(quote("No financial implications have been identified.")))

    section, context = message.blocks
    assert section["text"]["text"] == "> No financial implications have been identified."
    assert context["elements"][0]["text"] == (
        ":page_facing_up: Anchor Institutions in Derbyshire and Derby — Cabinet, 13 January 2022, para 1.1"
    )
    assert "No financial implications have been identified." in message.text  # the notification preview


def test_citation_links_to_the_document_url_or_shows_its_path():
    linked = answer_message(answered(quote("Text.", url="https://democracy.example.gov.uk/doc?id=1&v=2")))
    with_path = answer_message(answered(quote("Text.", path=r"\\fileserver\policy\anchor.pdf")))

    assert markup(linked) == [
        "<https://democracy.example.gov.uk/doc?id=1&amp;v=2|Anchor Institutions in Derbyshire and Derby — Cabinet, "
        "13 January 2022, para 1.1>"
    ]
    assert "`\\\\fileserver\\policy\\anchor.pdf`" in texts(with_path)[-1]
    assert markup(with_path) == []


@pytest.mark.parametrize("url", ["javascript:alert(1)", "slack://channel?id=C1", "ftp://x"])
def test_only_http_links_are_made(url):
    assert markup(answer_message(answered(quote("Text.", url=url)))) == []


def test_a_url_cannot_break_out_of_its_link():
    message = answer_message(answered(quote("Text.", url="https://x.example/a|b><!channel>")))

    assert markup(message) == [
        "<https://x.example/a%7Cb&gt;&lt;!channel&gt;|Anchor Institutions in Derbyshire and Derby — Cabinet, "
        "13 January 2022, para 1.1>"
    ]


def test_markup_in_documents_notices_and_questions_is_escaped():
    hostile = "Ask <!channel> or <@U0BOSS> & see <http://evil.example|the form> > now"
    answer = answered(quote(hostile, section="para <!here>"), question=hostile, notice=hostile)

    message = answer_message(answer, asked_by_echo=True, actions=AnswerActions(7, share=True))

    assert markup(message) == []
    assert hostile in shown(message)
    assert escape(hostile) in message.text


def test_every_mrkdwn_text_is_verbatim_so_slack_does_not_autolink_names():
    message = answer_message(answered(quote("Text.")), asked_by_echo=True)

    assert all(text["verbatim"] is True for text in mrkdwn_objects(message))


def test_at_most_three_passages_are_quoted():
    message = answer_message(answered(*(quote(f"Passage {n}.", rank=n) for n in range(1, 6))))

    assert "Passage 3." in shown(message)
    assert "Passage 4." not in shown(message)


def test_a_long_quote_is_split_across_blocks_without_losing_a_character():
    text = ("Officers & members <must> read this. " * 400).strip()  # ~15,000 characters, many escapes

    message = answer_message(answered(quote(text)))

    sections = [block["text"]["text"] for block in message.blocks if block["type"] == "section"]
    assert len(sections) > 1
    assert all(len(section) <= MAX_TEXT_CHARS for section in sections)
    assert "".join(shown_section.removeprefix("> ") for shown_section in map(reading.unescape, sections)) == text


def test_a_multi_line_passage_stays_one_block_quote():
    message = answer_message(answered(quote("Examples include:\nLeeds Anchor Network\nCheshire and Merseyside")))

    assert message.blocks[0]["text"]["text"] == "> Examples include:\n> Leeds Anchor Network\n> Cheshire and Merseyside"


def test_huge_quotes_are_shortened_to_fit_slacks_block_limit():
    huge = "word " * 60_000

    message = answer_message(answered(*(quote(huge, rank=n) for n in range(1, 4))), asked_by_echo=True, actions=ALL_BUTTONS)

    assert len(message.blocks) <= MAX_BLOCKS
    assert "quote shortened to fit in Slack" in shown(message)
    assert all(len(text) <= MAX_TEXT_CHARS for text in texts(message))


ALL_BUTTONS = AnswerActions(7, show_more=show_more_value(7), share=True)


def test_an_answer_carries_feedback_show_more_and_share_buttons_holding_the_answer_id():
    message = answer_message(answered(quote("Text.")), actions=ALL_BUTTONS)

    buttons = message.blocks[-1]["elements"]
    assert [(b["action_id"], b["text"]["text"]) for b in buttons] == [
        (HELPFUL_ACTION_ID, "👍 Helpful"),
        (UNHELPFUL_ACTION_ID, "👎 Not helpful"),
        (SHOW_MORE_ACTION_ID, "Show more"),
        (SHARE_ACTION_ID, "Share in channel"),
    ]
    assert [b["value"] for b in buttons] == ["7", "7", '{"answer": 7}', "7"]


def test_an_abstention_gets_no_buttons():
    message = answer_message(Answer(question="q", answered=False, searched=(DOCUMENT,)), actions=ALL_BUTTONS)

    assert all(block["type"] != "actions" for block in message.blocks)


def test_show_more_carries_the_threads_question_within_slacks_limit():
    value = show_more_value(7, 'and "legal"? ' * 1000)

    assert len(value) <= MAX_BUTTON_VALUE_CHARS
    answer_id, follow_up_to = parse_show_more_value(value)
    assert answer_id == 7 and follow_up_to.startswith('and "legal"? and')
    assert parse_show_more_value(show_more_value(8)) == (8, None)
    with pytest.raises(ValueError):
        parse_show_more_value("What are the financial implications?")


def test_shared_answer_names_who_shared_it_but_only_a_real_user_id():
    assert "<@U0OFFICER>" in markup(answer_message(answered(quote("Text.")), shared_by="U0OFFICER"))
    assert markup(answer_message(answered(quote("Text.")), shared_by="U1><!channel")) == []


def test_abstention_says_so_plainly_and_names_the_documents_searched():
    answer = Answer(question="What is the capital of France?", answered=False, searched=(DOCUMENT,))

    message = answer_message(answer)

    assert message.text == CANNOT_ANSWER
    assert CANNOT_ANSWER in shown(message)
    assert "Anchor Institutions in Derbyshire and Derby (Cabinet, 13 January 2022)" in shown(message)


def test_a_long_list_of_searched_documents_fits_one_block():
    documents = tuple(
        Document(id=f"d{n}", title=f"Policy paper number {n} on a subject of some length", path=f"{n}.txt", sha256="0")
        for n in range(500)
    )

    message = answer_message(Answer(question="q", answered=False, searched=documents))

    assert all(len(text) <= MAX_TEXT_CHARS for text in texts(message))
    assert "more" in shown(message).splitlines()[-1]


def test_help_lists_example_questions_and_the_documents():
    message = help_message((DOCUMENT,))

    assert "What are the financial implications?" in shown(message)
    assert "Anchor Institutions in Derbyshire and Derby" in shown(message)


def shown(message: Message) -> str:
    return reading.shown(message.as_kwargs())


def markup(message: Message) -> list[str]:
    return reading.markup(message.as_kwargs())


def texts(message: Message) -> list[str]:
    return reading.texts(message.as_kwargs())


def source(n: int, **changes) -> Source:
    document = Document(id=f"d{n}", title=f"Policy paper number {n} on a subject of some length", path=f"{n}.txt",
                        sha256="0", date="1 April 2024", meeting="Cabinet", **changes)
    return Source(document, passages=n, has_decision_record=False)


def test_five_thousand_sources_fit_the_home_view_and_a_message():
    sources = [source(n) for n in range(5000)]

    view = home_view(sources)
    message = sources_message(sources)

    assert len(view["blocks"]) <= MAX_HOME_BLOCKS
    assert len(message.blocks) <= MAX_BLOCKS
    assert all(len(text) <= MAX_TEXT_CHARS for text in reading.texts(view) + texts(message))
    assert "more" in reading.shown(view).splitlines()[-1]
    assert "more" in shown(message).splitlines()[-1]


def test_a_sources_title_and_link_are_escaped():
    hostile = source(1, url="https://x.example/a|b><!channel>")
    hostile = Source(Document(**{**hostile.document.to_dict(), "title": "<!here> & co"}), 1, True)

    message = sources_message([hostile])

    assert markup(message) == ["<https://x.example/a%7Cb&gt;&lt;!channel&gt;|&lt;!here&gt; &amp; co>"]
    assert "1 passage · implications at a glance" in shown(message)


def excerpt(text: str, section: str) -> Excerpt:
    return Excerpt(text=text, passage_id=f"p{section}", section=section, where=f"para {section}",
                   citation=f"Report — Cabinet, 1 April 2024, para {section}")


def test_a_huge_decision_record_is_cut_to_whole_parts_within_slacks_limits():
    paragraphs = tuple(excerpt(f"<!channel> Paragraph {n}. " + "word " * 2000, f"1.{n}") for n in range(1, 60))
    record = DecisionRecord(doc_id="r", title="Report", meeting="Cabinet", date="1 April 2024", council=None,
                            recommendations=paragraphs[:5], implications=(Implication("Financial", paragraphs),))

    message = implications_message(DecisionLookup("report", record))

    assert len(message.blocks) <= MAX_BLOCKS
    assert all(len(text) <= MAX_TEXT_CHARS for text in texts(message))
    assert markup(message) == []
    assert "Financial — para 1.1" in shown(message)
    assert "don't fit in one Slack message" in shown(message).splitlines()[-1]
