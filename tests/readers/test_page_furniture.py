"""Running header/footer removal on page texts, including a property: body text is never removed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ingest.readers.page_furniture import remove_page_furniture, remove_running_lines


def test_header_and_footer_with_changing_digits_are_removed():
    pages = [
        f"Cabinet report – 13 January 2022\nBody {word}\nPage {n} of 3"
        for n, word in enumerate("abc", start=1)
    ]

    assert remove_page_furniture(pages) == ["Body a", "Body b", "Body c"]


def test_repeated_line_in_the_middle_of_long_pages_is_kept():
    bodies = [[f"line {word} {_page_tag(n)}" for word in "abcdefghij"] for n in range(3)]
    pages = ["\n".join(body[:5] + ["Recommendation"] + body[5:]) for body in bodies]

    assert remove_page_furniture(pages) == pages


def test_page_count_and_blank_pages_are_preserved():
    pages = ["Header\nAlpha", "Header", "Header\nGamma"]

    assert remove_page_furniture(pages) == ["Alpha", "", "Gamma"]


_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8)


@given(st.lists(st.lists(_words, min_size=1, max_size=12, unique=True), min_size=1, max_size=8))
def test_body_lines_unique_to_their_page_survive_between_header_and_footer(bodies):
    # Each body line is made unique to its page, so only the header and footer repeat.
    header, footer = "Derbyshire County Council", "Page {} of " + str(len(bodies))
    pages = [
        "\n".join([header, *(f"{word} {_page_tag(n)}" for word in body), footer.format(n)])
        for n, body in enumerate(bodies, start=1)
    ]

    cleaned = remove_page_furniture(pages)

    assert len(cleaned) == len(pages)
    for n, (body, page) in enumerate(zip(bodies, cleaned), start=1):
        if len(pages) > 1:
            assert page == "\n".join(f"{word} {_page_tag(n)}" for word in body)
        else:
            assert page == pages[0]


def _page_tag(n: int) -> str:
    """A letters-only tag per page: digits would be masked, making lines on different pages look alike."""
    return "page" + "q" * n


def test_title_block_in_capitals_is_not_mistaken_for_the_running_header():
    title_page = "DERBYSHIRE COUNTY COUNCIL\nCABINET\nAlpha"
    pages = [title_page, "Derbyshire County Council\nBeta", "Derbyshire County Council\nGamma"]

    assert remove_page_furniture(pages) == [title_page, "Beta", "Gamma"]


def test_plain_text_loses_the_header_printed_above_each_page_number():
    # A PDF extracted to plain text: every page ends with a running header and its page number.
    pages = [f"Paragraph {word} of the report, which carries on\n\nKellbrook Borough Council – Cabinet 16 November 2023\nPage {n} of 4" for n, word in enumerate(["one", "two", "three", "four"], start=1)]
    text = "\n\n".join(pages)

    cleaned = remove_running_lines(text)

    assert "Kellbrook Borough Council – Cabinet" not in cleaned
    assert "Page 2 of 4" not in cleaned
    assert [line for line in cleaned.split("\n") if line] == [
        f"Paragraph {word} of the report, which carries on" for word in ["one", "two", "three", "four"]
    ]


def test_plain_text_loses_a_footer_that_ends_on_its_page_number():
    pages = [
        f"Paragraph {word} of the minutes, which carries on\n\nKellbrook Borough Council – Cabinet 16.11.23      Page {n} of 3"
        for n, word in enumerate(["one", "two", "three"], start=1)
    ]

    cleaned = remove_running_lines("\n\n".join(pages))

    assert "Kellbrook Borough Council" not in cleaned
    assert [line for line in cleaned.split("\n") if line] == [
        f"Paragraph {word} of the minutes, which carries on" for word in ["one", "two", "three"]
    ]


def test_plain_text_without_page_numbers_is_left_as_written():
    text = "Kellbrook Borough Council\n\n1.1 Text.\n\nKellbrook Borough Council\n\n1.2 More text."

    assert remove_running_lines(text) == text
