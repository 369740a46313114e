"""Block Kit rendering: exact quotes, citations and links, escaping, and Slack's size limits."""

from __future__ import annotations

import pytest

from bot.answer import CANNOT_ANSWER, Answer, Quote
from bot.blocks import (
    MAX_BLOCKS,
    MAX_BUTTON_VALUE_CHARS,
    MAX_TEXT_CHARS,
    SHARE_ACTION_ID,
    Message,
    answer_message,
    escape,
    help_message,
)
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

    message = answer_message(answer, asked_by_echo=True, shareable=True)

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

    message = answer_message(answered(*(quote(huge, rank=n) for n in range(1, 4))), asked_by_echo=True, shareable=True)

    assert len(message.blocks) <= MAX_BLOCKS
    assert "quote shortened to fit in Slack" in shown(message)
    assert all(len(text) <= MAX_TEXT_CHARS for text in texts(message))


def test_share_button_carries_the_question_within_slacks_limit():
    message = answer_message(answered(quote("Text."), question="q" * 5000), shareable=True)

    (button,) = message.blocks[-1]["elements"]
    assert button["action_id"] == SHARE_ACTION_ID
    assert button["text"]["text"] == "Share in channel"
    assert button["value"] == "q" * MAX_BUTTON_VALUE_CHARS


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
