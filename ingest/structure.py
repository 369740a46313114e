"""The structure of a council document recovered from extracted text.

Council reports have a title block, numbered sections ("4. Information and Analysis"), numbered
paragraphs ("4.7", often on a line of its own before its text), lists introduced by a sentence,
and appendices with their own numbering ("Appendix 1 – Implications" › "Financial" › "1.1").
PDF extraction damages all of this: numbers land on their own lines or out of order, and a blank
line or page break cuts sentences in two. This module reads the text as a stream of tokens
(numbers, headings, runs of text) and rebuilds the units a person would cite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.text import CELL_SEPARATOR, CLOSING_MARKS, PAGE_NUMBER_LINE, fold_whitespace, word_count

_SUBNUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+)\.?$")
_TOP_NUMBER = re.compile(r"^(\d{1,3})\.$")
_LIST_MARKER = re.compile(r"^(\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})\))$")
_MINUTE_MARKER = re.compile(r"^((?:Minute\s+)?\d{1,4}/\d{2,4})\.?$", re.IGNORECASE)
# "4.7 By signing up ...", and a charter's own numbering: "**Commitment 6.1** We will ...", "Action 2.3 We ...".
_INLINE_SUBNUMBER = re.compile(
    r"^(?:\*\*|__)?(?:(?:Commitment|Pledge|Action|Aim|Objective|Priority|Outcome|Principle|Measure|Target)\s+)?"
    r"(\d{1,3}(?:\.\d{1,3})+)\.?(?:\*\*|__)?\s+(\S.*)$"
)
_INLINE_TOP_NUMBER = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")
_INLINE_LIST_ITEM = re.compile(r"^(\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})\))\s+(\S.*)$")
# A minute's number opens its text; "45/24 as a member ..." after "Minute No." is a sentence running on.
# "2025/26 Budget Proposals" opens with a financial year, not a minute number.
_MINUTE_NUMBER = re.compile(r"^((?i:Minute\s+)?(?!(?:19|20)\d\d/\d\d\b)\d{1,4}/\d{2,4})\.?\s+([^\sa-z].*)$")
_BULLET = re.compile(r"^[•●▪◦‣∙·\-–*]\s+\S")
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_APPENDIX = re.compile(r"^(Appendix|Annex|Schedule)\s+[A-Z0-9]{1,3}\b", re.IGNORECASE)
_TERMINAL = (".", ",", ";", ":", "!")
# A line ending on a joining word runs on; "CALL-IN" and "OPT-IN" do not.
_CONTINUES = re.compile(r"(?<![-\w])(and|or|of|to|the|a|an|for|in|with|by|on|as|at|from)$", re.IGNORECASE)
# "Councillor R Pilkington (in the Chair)" is who attended, not a heading, though it looks like one.
_ATTENDANCE = re.compile(r"^\(?(Councillors?|Cllrs?\.?)\s", re.IGNORECASE)
_MARKUP = re.compile(r"\*\*|__|`")
# A labelled line: "Board sponsor: Rhiannon Pugh-Stannard, Chief Finance Officer", "Wards affected: All", "Title:
# Joining the Anchor Network". Not a heading: read as one, it is replaced by the next heading and its text is lost.
_FIELD = re.compile(r"^[A-Z][\w()/-]*(?: [\w()/-]+){0,2}:\s")
_STATED_TITLE = re.compile(r"^(?:Report )?Title:\s+(\S.*)$", re.IGNORECASE)
# The labels a report's cover uses; "Recommendation: That Cabinet approves ..." is the body's.
_COVER_FIELD = re.compile(
    r"^(?:date(?: of meeting| of decision| of publication)?|meeting|report(?:ing)? (?:of|officer|author)|author"
    r"|contact(?: officer)?|lead (?:member|officer|director)|cabinet member|portfolio(?: holder)?|(?:report )?title"
    r"|key decision|wards?(?: affected)?|exempt(?: information)?|classification|forward plan(?: reference)?)\s*:",
    re.IGNORECASE,
)

_DATE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\s+(\d{4})\b",
    re.IGNORECASE,
)
_COMMITTEE_WORDS = re.compile(
    r"\b(cabinet|council|committee|board|panel|commission|scrutiny|forum|partnership|executive)\b", re.IGNORECASE
)

MAX_TITLE_BLOCK_LINES = 14
_PARAGRAPH_END_SHARE = 0.7
MAX_HEADING_WORDS = 12
MAX_WRAPPED_HEADING_WORDS = 16


@dataclass(frozen=True)
class Line:
    """One non-blank source line: its stripped text and where that text sits in the source."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Token:
    """A marker, a heading or a run of text lines, in reading order."""

    kind: str  # "subnumber" | "topnumber" | "listmarker" | "mdheading" | "run"
    lines: tuple[Line, ...]
    label: str = ""
    level: int = 0
    blank_before: bool = False

    @property
    def text(self) -> str:
        return fold_whitespace("\n".join(line.text for line in self.lines))

    @property
    def span(self) -> tuple[int, int]:
        return self.lines[0].start, self.lines[-1].end


@dataclass
class Unit:
    """A draft passage: the spans that make it up, its number and the headings above it."""

    section: str | None
    heading: tuple[str, ...]
    kind: str  # "title" | "numbered" | "text"
    spans: list[tuple[int, int]] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)
    separators: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        out = []
        for separator, piece in zip(self.separators, self.pieces):
            out.append(separator + piece if out else piece)
        return "".join(out)

    @property
    def words(self) -> int:
        return word_count(self.text)

    @property
    def introduces_list(self) -> bool:
        return bool(self.pieces) and self.pieces[-1].endswith(":")

    def add(self, span: tuple[int, int], piece: str, separator: str | None = None) -> None:
        if separator is None:
            separator = _separator(self.pieces[-1], piece) if self.pieces else ""
        self.spans.append(span)
        self.pieces.append(piece)
        self.separators.append(separator)


@dataclass(frozen=True)
class TitleBlock:
    """What the front of a report says about it."""

    text: str
    span: tuple[int, int]
    title: str | None = None
    date: str | None = None
    meeting: str | None = None
    council: str | None = None
    title_is_stated: bool = False  # found after "Report of" or as minutes, not guessed from the lines


@dataclass(frozen=True)
class Structure:
    title_block: TitleBlock | None
    units: tuple[Unit, ...]


def _separator(previous: str, following: str) -> str:
    """Heal a sentence the source broke in two; otherwise keep items on their own lines."""
    if not previous.endswith((".", "!", "?", ":", ";")) and following[:1].islower():
        return " "
    # "... a decision on the scheme by" / "December 2025.": a sentence cannot end on a joining word.
    if (previous.endswith((",", "-", "–")) or _CONTINUES.search(previous)) and not _BULLET.match(following):
        return " "
    return "\n"


def lines_of(text: str) -> list[Line | None]:
    """Each line of `text` stripped, with offsets; None stands for a blank line."""
    result: list[Line | None] = []
    offset = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            result.append(Line(stripped, offset + lead, offset + lead + len(stripped)))
        else:
            result.append(None)
        offset += len(raw) + 1
    return result


def tokenize(text: str) -> list[Token]:
    """Cut the text into markers, headings and runs; a bare number or bullet always starts a new token."""
    tokens: list[Token] = []
    run: list[Line] = []
    blank_before = True
    run_blank_before = True

    def flush() -> None:
        nonlocal run
        if run:
            tokens.append(Token("run", tuple(run), blank_before=run_blank_before))
            run = []

    def flush_before_number() -> None:
        """PDF text has no blank lines: a short unpunctuated line that ends a run right after a finished
        sentence, just before a paragraph number, is the heading of what follows ("Legal" then "2.1")."""
        nonlocal run
        headings: list[Line] = []
        while len(run) >= 2 and _is_short_heading(run[-1].text) and (
            run[-2].text.endswith((".", ":", ";", "?", "!")) or _is_short_heading(run[-2].text)
        ):
            headings.insert(0, run.pop())
        if len(run) == 1 and headings and _is_short_heading(run[0].text):
            headings.insert(0, run.pop())
        flush()
        tokens.extend(Token("run", (heading,)) for heading in headings)

    # After an appendix heading that the extraction glued to the text above it, the short lines
    # that follow ("Implications", "Financial") are headings of their own, not one run.
    in_heading_stack = False
    lines = lines_of(text)
    paragraph_end_width = _PARAGRAPH_END_SHARE * _typical_width(lines)
    for line in lines:
        if line is None:
            flush()
            blank_before = True
            in_heading_stack = False
            continue
        marker = _marker_token(line, blank_before)
        if marker is not None and marker.kind == "pagenumber":
            # A page number left by extraction is furniture: drop it, and let the text around it heal.
            flush()
            blank_before = True
            continue
        if marker is not None:
            if marker.kind in ("subnumber", "topnumber"):
                flush_before_number()
            else:
                flush()
            tokens.append(marker)
            in_heading_stack = False
        else:
            short_heading = _is_short_heading(line.text)
            if run and _APPENDIX.match(line.text) and short_heading:
                in_heading_stack = True
            in_heading_stack = in_heading_stack and short_heading
            starts_item = _BULLET.match(line.text) or _INLINE_LIST_ITEM.match(line.text)
            if run and _starts_inline_number(line.text):
                flush_before_number()
            elif run and (starts_item or in_heading_stack or _heading_ends_run(run, line, paragraph_end_width)):
                flush()
            if not run:
                run_blank_before = blank_before
            run.append(line)
            if line.text.endswith((".", "!", "?")) and len(line.text) < paragraph_end_width:
                # PDF text has no blank lines; a sentence ending well short of the margin ends a paragraph.
                flush()
        blank_before = False
    flush()
    return tokens


def _heading_ends_run(run: list[Line], line: Line, paragraph_end_width: float) -> bool:
    """A short unpunctuated line opening a run, followed by a capitalised line, is a heading that PDF
    text glued to its paragraph ("Social value guidance" / "Social value means ...")."""
    last = run[-1]
    opens_run = len(run) == 1 or run[-2].text.endswith((".", "!", "?", ":"))
    wrapped_capitals = last.text.isupper() and line.text.isupper()  # one heading over two lines
    return (
        opens_run
        and not wrapped_capitals
        and len(last.text) < paragraph_end_width
        and _is_short_heading(last.text)
        and line.text[:1].isupper()
    )


def _typical_width(lines: list[Line | None]) -> float:
    """The length of a full line of body text: the 90th percentile of line lengths."""
    widths = sorted(len(line.text) for line in lines if line is not None)
    return widths[int(len(widths) * 0.9)] if widths else 0.0


def _marker_token(line: Line, blank_before: bool) -> Token | None:
    text = line.text
    if match := _SUBNUMBER.match(text):
        return Token("subnumber", (line,), label=match.group(1), blank_before=blank_before)
    if match := _TOP_NUMBER.match(text):
        return Token("topnumber", (line,), label=match.group(1), blank_before=blank_before)
    if match := _LIST_MARKER.match(text):
        return Token("listmarker", (line,), label=match.group(1), blank_before=blank_before)
    if match := _MINUTE_MARKER.match(text):
        return Token("topnumber", (line,), label=match.group(1), blank_before=blank_before)
    if PAGE_NUMBER_LINE.fullmatch(text):
        return Token("pagenumber", (line,), blank_before=blank_before)
    if match := _MARKDOWN_HEADING.match(text):
        inner = match.group(2).strip("*_ ").strip()
        offset = line.text.index(inner) if inner and inner in line.text else 0
        heading_line = Line(inner, line.start + offset, line.start + offset + len(inner))
        return Token("mdheading", (heading_line,), level=len(match.group(1)), blank_before=blank_before)
    return None


def _starts_inline_number(text: str) -> bool:
    return bool(_INLINE_SUBNUMBER.match(text) or _MINUTE_NUMBER.match(text) or _numbered_heading_line(text))


def _numbered_heading_line(text: str) -> bool:
    """'3. Consultation': a section heading even when extraction left no blank line before it."""
    match = _INLINE_TOP_NUMBER.match(text)
    return bool(match) and _is_short_heading(match.group(2))


def looks_like_heading(token: Token) -> bool:
    """A single short line with no closing punctuation, or a capitalised title wrapped over two or three
    lines: a heading in council papers."""
    if token.kind != "run":
        return False
    if len(token.lines) == 1:
        return _is_short_heading(token.lines[0].text)
    text = token.text
    return (
        len(token.lines) <= 3
        and text.isupper()
        and word_count(text) <= MAX_WRAPPED_HEADING_WORDS
        and not text.endswith(_TERMINAL)
    )


def _is_short_heading(text: str) -> bool:
    if (
        _BULLET.match(text)
        or _INLINE_SUBNUMBER.match(text)
        or _INLINE_LIST_ITEM.match(text)
        # "(Councillor Ellory had left the Chamber.)" is a note in minutes, finished inside its bracket.
        or text.rstrip(CLOSING_MARKS).endswith(_TERMINAL)
        or ";" in text
        or CELL_SEPARATOR in text  # a table row, its cells joined by the readers
        or " | " in text  # a Markdown table row
        or _CONTINUES.search(text)
        or _ATTENDANCE.match(text)
        or _FIELD.match(text)
        or word_count(text) > MAX_HEADING_WORDS
    ):
        return False
    first = text.lstrip("(“\"'‘")[:1]
    return first.isupper() or first.isdigit()


def parse_structure(text: str) -> Structure:
    """Recover the title block and the citable units of a document's extracted text."""
    tokens = tokenize(text)
    title_block, body = _split_title_block(tokens)
    builder = _UnitBuilder()
    for position, token in enumerate(body):
        following = body[position + 1] if position + 1 < len(body) else None
        builder.feed(token, following)
    units = builder.finish()
    if title_block is not None:
        cover = Unit(section=None, heading=("Title page",), kind="title")
        cover.spans.append(title_block.span)
        cover.pieces.append(title_block.text)
        cover.separators.append("")
        units = [cover, *units]
    return Structure(title_block, tuple(units))


def _split_title_block(tokens: list[Token]) -> tuple[TitleBlock | None, list[Token]]:
    """A report's front matter: the short lines (and Markdown headings) before its first number or prose."""
    front: list[Line] = []
    position = 0
    while position < len(tokens) and tokens[position].kind in ("run", "mdheading"):
        token = tokens[position]
        following = tokens[position + 1] if position + 1 < len(tokens) else None
        if _starts_inline_number(token.lines[0].text):
            break
        if _is_prose(token) and front and len(token.lines) == 1:
            # One long line in a Word file, still the cover's: "Cabinet Member: Councillor ..., Cabinet Member for
            # Skills, Employment and ...", and "MINUTES of a meeting of the CABINET held in ... on 18 November
            # 2025", after which the minutes begin.
            names_meeting = bool(_MINUTES_OF.match(token.text))
            if names_meeting or _COVER_FIELD.match(token.text):
                front.extend(token.lines)
                position += 1
                if names_meeting:
                    break
                continue
        if _is_prose(token):
            cover = _cover_lines(token) if not front else []
            if len(cover) >= 3:
                # PDF text without blank lines: the cover runs straight into the body.
                front.extend(cover)
                tokens = [*tokens[:position], Token("run", token.lines[len(cover) :]), *tokens[position + 1 :]]
            break
        first_of_body = len(front) >= 3 and following is not None and _is_prose(following)
        if _numbered_heading(token) or (
            first_of_body and not _ISSUE_LINE.match(token.text) and not _STATED_TITLE.match(token.text)
        ):
            break  # the first heading of the body, not part of the cover
        front.extend(token.lines)
        position += 1
    if len(front) < 3 or len(front) > MAX_TITLE_BLOCK_LINES or position == len(tokens):
        return None, tokens
    return _read_title_block(front), tokens[position:]


def _cover_lines(token: Token) -> list[Line]:
    """The short title-like lines a run starts with, up to the first line of running text."""
    cover = []
    for line in token.lines:
        if word_count(line.text) > 16 or line.text.endswith((".", ",", ";")):
            break
        cover.append(line)
    return cover if len(cover) < len(token.lines) else []


def _is_prose(token: Token) -> bool:
    """Long lines, or a full sentence: body text, which a cover never holds."""
    if token.kind != "run":
        return False
    text = token.text
    return any(word_count(line.text) > 16 for line in token.lines) or (
        text.endswith((".", "!", "?")) and word_count(text) >= 3
    )


def _numbered_heading(token: Token) -> bool:
    return token.kind == "mdheading" and bool(_INLINE_TOP_NUMBER.match(token.text) or _INLINE_SUBNUMBER.match(token.text))


_MARKINGS = re.compile(r"^(for publication|not for publication|public|private|official|official[- ]sensitive|exempt|"
                       r"agenda item.*|item \d+.*|summary document|draft)$", re.IGNORECASE)
_MINUTES_OF = re.compile(r"^minutes of (?:a|the) (?:\w+ )?meeting of (?:the )?(.+?)(?: held\b.*)?$", re.IGNORECASE)
_ISSUE_LINE = re.compile(r"^(report of|approved|lead |issued|published|version|updated|effective|date)\b", re.IGNORECASE)


def _read_title_block(lines: list[Line]) -> TitleBlock:
    texts = [_MARKUP.sub("", line.text).strip() for line in lines]
    date = next((_format_date(m) for t in texts if (m := _DATE.search(t))), None)
    council = next((t for t in texts if re.search(r"\bcouncil$", t, re.IGNORECASE) and word_count(t) <= 6), None)
    meeting = _meeting(texts, council)
    title, stated = _title(texts, council, meeting)
    return TitleBlock(
        text="\n".join(line.text for line in lines),
        span=(lines[0].start, lines[-1].end),
        title=title,
        date=date,
        meeting=meeting,
        council=_title_case(council) if council else None,
        title_is_stated=stated,
    )


def _meeting(texts: list[str], council: str | None) -> str | None:
    """The committee: from 'MINUTES of a meeting of CABINET held ...' or a short committee line."""
    for text in texts:
        if match := _MINUTES_OF.match(text):
            return _title_case(_DATE.sub("", match.group(1)).strip(" ,–-"))
    for text in texts:
        if text == council or _FIELD.match(text) or text.lower().startswith(("report of", "approved")):
            continue
        if _COMMITTEE_WORDS.search(text) and word_count(text) <= 8:
            # "REPORT TO CABINET" is a report to the Cabinet.
            name = re.sub(r"^report to (?:the )?", "", re.split(r"\s[–-]\s|,", text)[0].strip(), flags=re.IGNORECASE)
            if name and not _DATE.search(name) and not re.search(r"\bcouncil$", name, re.IGNORECASE):
                return _title_case(name)
    return None


def _title(texts: list[str], council: str | None, meeting: str | None) -> tuple[str | None, bool]:
    """The line after 'Report of ...'; minutes are titled by their meeting; else the first line that
    is not the council, the committee, a date, a marking or a labelled field."""
    for index, text in enumerate(texts):
        if text.lower().startswith("report of") and index + 1 < len(texts) and not texts[index + 1].startswith("("):
            title = texts[index + 1]
            # A long title wraps: "... Quillet Street Health and" / "Wellbeing Hub".
            for following in texts[index + 2 :]:
                if not _title_goes_on(title, following):
                    break
                title = f"{title} {following}"
            return title, True
    if stated := next((match[1] for text in texts if (match := _STATED_TITLE.match(text))), None):
        return stated, True
    if any(_MINUTES_OF.match(text) for text in texts) and meeting:
        return f"Minutes of {meeting}", True
    candidates = [
        text
        for index, text in enumerate(texts)
        # "Meeting held on 16 October 2025 ... in the Wyvern Room," / "County Offices, Castle Lane, Jessford": the rest
        # of the meeting's line, not a title.
        if not (index and texts[index - 1].endswith(",") and _DATE.search(texts[index - 1]))
        and text != council
        and not _MARKINGS.match(text)
        and not _FIELD.match(text)
        and not _DATE.search(text)
        and not _ISSUE_LINE.match(text)
        and not (meeting and _title_case(text) == meeting)
    ]
    # Of the remaining lines, a title is usually the fullest: "Corporate Procurement" is the team,
    # "Social Value in Procurement: Guidance for ..." the document.
    title = max(candidates, key=word_count) if candidates else None
    return (_title_case(title) if title else None), False


def _title_goes_on(title: str, following: str) -> bool:
    """Whether `following` continues a title broken mid-phrase, rather than starting the next field: after a
    joining word or mark, in lower case, or in the title's own capitalised words ("... the Spend" /
    "Zarrowfield Programme and Bringing Building Cleaning In House")."""
    if following.startswith("(") or _FIELD.match(following) or _DATE.search(following) or _MARKINGS.match(following):
        return False
    last = title.split()[-1].lower() if title.split() else ""
    return (
        last in _SMALL_WORDS
        or title.endswith(("–", "-", ",", ":", "&"))
        or following[:1].islower()
        or (
            _capitalised_words(title)
            and _capitalised_words(following)
            and not following.endswith((".", ":"))
            and not _ROLE_OR_WARD.search(following)
        )
    )


# Lines that follow a title in a report's heading block: who brings it, and where it applies.
_ROLE_OR_WARD = re.compile(
    r"\b(?:Councillor|Cllr|Portfolio|Cabinet Member|Director|Officer|Executive|Wards?|Divisions?|Report of)\b"
)


def _capitalised_words(text: str) -> bool:
    """Every word but the small ones starts with a capital, as the words of a title do."""
    words = [word for word in text.split() if word.lower() not in _SMALL_WORDS and word[:1].isalpha()]
    return bool(words) and all(word[:1].isupper() for word in words)


def _format_date(match: re.Match) -> str:
    day, month, year = match.groups()
    return f"{int(day)} {month.capitalize()} {year}"


_SMALL_WORDS = {"and", "of", "the", "for", "in", "on", "to", "a", "an", "at", "by", "with"}


def _title_case(text: str) -> str:
    """'IMPROVEMENT AND SCRUTINY COMMITTEE' reads better as 'Improvement and Scrutiny Committee';
    mixed case is kept as written."""
    if not text.isupper():
        return text
    words = text.lower().split()
    return " ".join(w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))


class _UnitBuilder:
    """Consumes tokens in order and emits units; holds the heading path and any number still waiting."""

    def __init__(self) -> None:
        self.units: list[Unit] = []
        self.current: Unit | None = None
        self.path: list[str] = []
        self.levels: list[int] = []
        self.section: str | None = None
        self.pending_section: str | None = None
        self.pending_paragraph: str | None = None
        self.pending_item: Token | None = None
        self.bare_appendix = False

    def feed(self, token: Token, following: Token | None) -> None:
        if token.kind == "subnumber":
            self._close()
            self.pending_paragraph = token.label
        elif token.kind == "topnumber":
            # The number may have been pulled ahead of text that still belongs to the open unit
            # (as in "a)" "11." "Agree that ..."): it waits for its heading before anything closes.
            self.pending_section = token.label
        elif token.kind == "listmarker":
            self.pending_item = token
        elif token.kind == "mdheading":
            self._markdown_heading(token)
        elif self.pending_paragraph is not None:
            self._open_numbered(self.pending_paragraph, token)
            self.pending_paragraph = None
        elif (
            self.pending_section is not None
            and len(token.lines) > 1
            and _is_short_heading(token.lines[0].text)
            and not looks_like_heading(token)
        ):
            # Without blank lines (PDF text) a section's heading arrives glued to its first paragraph.
            heading_lines = _wrapped_heading_length(token.lines)
            self._heading(" ".join(line.text for line in token.lines[:heading_lines]))
            self.feed(Token("run", token.lines[heading_lines:]), following)
        elif self.pending_item is not None:
            self._add_list_item(token)
        elif self._is_heading(token, following) and not _starts_inline_number(token.lines[0].text):
            self._heading(token.text)
        else:
            self._inline_or_body(token)

    def finish(self) -> list[Unit]:
        self._close()
        return self.units

    def _is_heading(self, token: Token, following: Token | None) -> bool:
        if not looks_like_heading(token):
            return False
        if self.pending_section is not None or _APPENDIX.match(token.text):
            return True
        if self.current is not None and self.current.introduces_list:
            # Short unpunctuated lines after "include:" are list items, unless a number follows.
            return following is not None and (
                following.kind in ("subnumber", "topnumber") or _starts_inline_number(following.lines[0].text)
            )
        return True

    def _heading(self, text: str) -> None:
        self._close()
        if self.pending_section is not None:
            self.section = self.pending_section
            self._set_path(1, f"{self.pending_section}. {text}")
            self.pending_section = None
            self.bare_appendix = False
        elif _APPENDIX.match(text):
            self.section = None
            self._set_path(1, text)
            self.bare_appendix = bool(re.fullmatch(r"(Appendix|Annex|Schedule)\s+\S+", text, re.IGNORECASE))
        elif self.bare_appendix and len(self.path) == 1:
            self.path[0] = f"{self.path[0]} – {text}"
            self.bare_appendix = False
        else:
            level = 2 if self.path and (self.section or _APPENDIX.match(self.path[0])) else 1
            self._set_path(level, text)
            self.bare_appendix = False

    def _markdown_heading(self, token: Token) -> None:
        self._close()
        text = token.text
        minute = _MINUTE_NUMBER.match(text)
        match = _INLINE_TOP_NUMBER.match(text) or _INLINE_SUBNUMBER.match(text) or minute
        self.section = match.group(1) if match else None
        if _APPENDIX.match(text):
            self.section = None
        if minute:
            # A minute stands alone whatever heading level it was given: it is not part of "Present".
            self.path, self.levels = [], []
        self._set_path(token.level, text)
        self.pending_section = None

    def _set_path(self, level: int, text: str) -> None:
        while self.levels and self.levels[-1] >= level:
            self.levels.pop()
            self.path.pop()
        self.levels.append(level)
        self.path.append(text)

    def _open_numbered(self, label: str, token: Token) -> None:
        self._close()
        self.current = Unit(section=label, heading=tuple(self.path), kind="numbered")
        self.current.add(token.span, token.text)

    def _add_list_item(self, token: Token) -> None:
        marker = self.pending_item
        self.pending_item = None
        if self.current is None:
            self.current = Unit(section=self.section, heading=tuple(self.path), kind="text")
        self.current.add(marker.span, marker.label, separator="\n" if self.current.pieces else "")
        self.current.add(token.span, token.text, separator=" ")

    def _inline_or_body(self, token: Token) -> None:
        first = token.lines[0].text
        if match := _INLINE_SUBNUMBER.match(first):
            self._open_inline(match.group(1), token, len(first) - len(match.group(2)))
            return
        if match := _MINUTE_NUMBER.match(first):
            self._close()
            if looks_like_heading(token):
                self.section = match.group(1)
                self._set_path(1, token.text)
                return
            self._open_inline(match.group(1), token, len(first) - len(match.group(2)))
            return
        if (match := _INLINE_TOP_NUMBER.match(first)) and (token.blank_before or _numbered_heading_line(first)):
            if match.group(2)[:1].islower() and self.current is not None:
                # "1. the number of students enrolled;" goes on the sentence that introduced the list.
                self.current.add(token.span, token.text, separator="\n")
                return
            if looks_like_heading(token):
                self.pending_section = match.group(1)
                self._heading(match.group(2))
            else:
                self._open_inline(match.group(1), token, len(first) - len(match.group(2)))
            return
        if (match := _INLINE_LIST_ITEM.match(first)) and self.current is not None:
            self.current.add(token.span, token.text, separator="\n")
            return
        self._add_body(token)

    def _open_inline(self, label: str, token: Token, number_width: int) -> None:
        """A paragraph whose number shares its first line ("11.1 By becoming ..."); the number is not quoted."""
        self._close()
        start, end = token.span
        self.current = Unit(section=label, heading=tuple(self.path), kind="numbered")
        self.current.add((start + number_width, end), fold_whitespace(_text_after(token, number_width)))

    def _add_body(self, token: Token) -> None:
        """Text after a paragraph number belongs to that paragraph; unnumbered text is cut at each
        paragraph (short ones are merged later) unless it continues a list or a broken sentence."""
        if self.current is not None and self.current.kind == "text" and not self._continues(token):
            self._close()
        if self.current is None:
            self.current = Unit(section=self.section, heading=tuple(self.path), kind="text")
        self.current.add(token.span, token.text)

    def _continues(self, token: Token) -> bool:
        text = token.text
        return (
            self.current.introduces_list
            or bool(_BULLET.match(text) or _INLINE_LIST_ITEM.match(text))
            or _separator(self.current.pieces[-1], text) == " "
        )

    def _close(self) -> None:
        if self.current is not None and self.current.pieces:
            self.units.append(self.current)
        self.current = None


def _wrapped_heading_length(lines: tuple[Line, ...]) -> int:
    """How many lines a heading in capitals takes before its text: a long one wraps ("GROUNDS MAINTENANCE ...
    2026–2033 –" / "PROCUREMENT STRATEGY AND SOCIAL VALUE"), but "RESOLVED:" opens the text."""
    if not lines[0].text.isupper():
        return 1
    count = 1
    while (
        count < len(lines) - 1
        and lines[count].text.isupper()
        and _is_short_heading(lines[count].text)
        and not lines[count].text.endswith(":")
    ):
        count += 1
    return count


def _text_after(token: Token, width: int) -> str:
    first, *rest = token.lines
    return "\n".join([first.text[width:], *(line.text for line in rest)])
