"""What a question asks for: the kind of fact an answer must hold, and the words naming the thing asked.

Officers' unanswerable questions are mostly near misses: every topic word is in some passage, but the
thing asked is not ("who chairs the Anchor Executive Group?" against a paragraph listing its members;
"when is the charter up for review?" against a paragraph naming the charter). Read from the question's
wh-form with plain patterns, no language model, these two checks catch that: a passage that answers
"when" holds a date or time, and one that answers "what is the deadline for..." says "deadline".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.lexical import tokens

_AUX = r"(?:is|are|was|were|does|do|did|will|would|should|can|could|has|have|had|shall|may|might|must)"
_ARTICLE = r"(?:the|our|a|an|your|their|its|this|that)"

def _one_of(words: str) -> str:
    """A regex alternation of space-separated words: "one two" → "(?:one|two)"."""
    return "(?:" + "|".join(words.split()) + ")"


_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_DAYS = "monday tuesday wednesday thursday friday saturday sunday"
_DATE = re.compile(
    r"\b" + _one_of(f"{_MONTHS} {_DAYS}") + r"\b"
    r"|\b\d{1,2}[.:]\d{2}\s*(?:am|pm)\b|\b\d{1,2}\s*(?:am|pm)\b|\b(?:noon|midday)\b"
    r"|\b(?:in|by|from|until|till|before|after|since|during|end of|early|late|spring|summer|autumn|winter)"
    r"\s+(?:19|20)\d\d\b"
    r"|\b\d{1,2}/\d{1,2}/(?:19|20)?\d\d\b",
    re.IGNORECASE,
)
_CLOCK_TIME = re.compile(
    r"\b\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}[.:]\d{2}\b|\b(?:noon|midday)\b", re.IGNORECASE
)
_FREQUENCY = re.compile(
    r"\b(?:every|each|per|once|twice|a)\s+(?:\w+\s+)?(?:days?|weeks?|fortnights?|months?|quarters?|years?|annum|meetings?|terms?)\b"
    r"|\b(?:daily|weekly|fortnightly|monthly|quarterly|annually|yearly|termly)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty "
    "hundred thousand million billion half third quarter dozen none"
)
_NUMBER = re.compile(r"\d|£|%|\bper ?cent\b|\b" + _one_of(_NUMBER_WORDS) + r"\b", re.IGNORECASE)
# "How much will it cost?" is answered by a sum of money (or its being free), not by any number: "empty since
# 2022" and "46 flats" say nothing of the cost.
_MONEY = re.compile(
    r"£|\bpounds?\b|\b\d+(?:\.\d+)?p\b|%|\bper ?cent\b|\b\d+(?:\.\d+)?\s?(?:k|m|bn|million|billion)\b"
    r"|\bfree of charge\b"
    r"|\bno (?:extra |additional )?cost|\bnil\b|\bexisting (?:budgets?|resources)\b",
    re.IGNORECASE,
)
_COUNT_WORDS = "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty dozen"
# "How long is the course?", "how long does the lease run?": a span of time, or the date it runs to;
# "£25.10 an hour", "150 starts a year" and "once a year" are rates, not spans.
_DURATION = re.compile(
    r"\b(?:\d+|" + _one_of(_COUNT_WORDS) + r")[ -](?:(?!an?\b|per\b|every\b)\w+[ -])?"
    r"(?:hours?|days?|weeks?|fortnights?|months?|years?|terms?|sessions?|semesters?)\b"
    r"|\b(?:until|to|till|through|by) (?:\w+ )?(?:19|20)\d\d\b|\b(?:19|20)\d\d ?[-–] ?(?:19|20)\d\d\b",
    re.IGNORECASE,
)
# "How many providers?" is not answered by "£25.10 an hour", "5%", "by 2027" or "16 October": a count is a number
# that is not a sum of money, a share, a year or a day of the month; nor a list's "(1)" or a minute's "48/25".
_COUNT = re.compile(
    r"(?<![£\d.,/(-])(?!(?:19|20)\d\d\b)\d[\d,]*(?:\.\d+)?(?![\d.,]*\d)(?![)/])"
    r"(?!\s?(?:k|m|bn|million|billion|p|am|pm|%|per ?cent)\b|%)"
    r"(?!\s+" + _one_of(_MONTHS) + r"\b)"
    r"|\b" + _one_of(_COUNT_WORDS) + r"\b(?! (?:of|per ?cent)\b)",
    re.IGNORECASE,
)
_ASKS_COUNT = re.compile(r"^how many\b")
_ASKS_SHARE = re.compile(r"^what (?:percentage|proportion|share|per ?cent|%)(?!\w)")
_ASKS_MONEY = re.compile(
    r"\b(?:cost|costs|costing|spend|spending|spent|pay|pays|paying|paid|price|charge|charges|fee|fees|rent|budget"
    r"|sell|sold|selling|buy|bought|levy"
    r"|funding|worth|(?<!social )value|income|salary|salaries|savings?|money|grant|grants|invest|investing|invested"
    r"|contribut\w*)\b"
)
# Someone named ("Councillor R Pilkington", "Dr A Shah", "Contact: Jo Bloggs") answers "who is the ...?";
# a post ("the Director of Finance", "finance colleagues", "the Chair") answers other "who" questions.
# NHS bodies, universities and colleges name people without a title, by their post: "Simone Achterberg,
# Director of Strategy", "Rhiannon Pugh-Stannard, Chief Finance Officer"; "Chief Executive, Director of
# Resources" is two posts, not a name.
_POST = (
    r"(?:Chief|Director|Deputy|Assistant|Associate|Head|Executive|Principal|Vice|Pro-Vice|Chair|Lead|Manager|Dean"
    r"|Registrar|Secretary|Leader|Cabinet Member|Portfolio Holder|Medical|Interim|Non-Executive|Independent Member)"
)
# Nor is "Head of Human Resources, Head of Legal": a department's words are not a name.
_NAME_WORD = (
    rf"(?!{_POST}\b|(?:Officers?|Services|Council|County|City|Borough|District|University|College|Trust|Board"
    r"|Group|Partnership|Hospitals?|Human|Resources|Finance|Housing|Legal|Law|Governance|Democratic|Growth"
    r"|Regeneration|Development|Planning|Place|Environment|Health|Care|Education|Communities|Strategy|Estates"
    r"|Facilities|Operations|Workforce|People|Policy|Performance|Economy)\b)[A-Z][a-z'’]+"
)
_NAMED_PERSON = re.compile(
    r"\b(?:Councillor|Cllr|Mr|Mrs|Ms|Miss|Mx|Dr|Professor|Prof|Sir|Dame|Lord|Lady)\b\.?\s+[A-Z]"
    r"|\b(?:Author|Contact|Contact Officer|Contact details|Officer)\s*:\s*[A-Z]"
    rf"|\b{_NAME_WORD}(?:[ -]{_NAME_WORD})+,\s+(?:the\s+)?{_POST}\b"
    # "The Chief Executive, Elin Garside, is ...": the post first, the name set off by commas.
    rf"|\b{_POST}\b[\w ]{{0,40}}?,\s+{_NAME_WORD}(?:[ -]{_NAME_WORD})+,"
    # "nominates the Director of Growth as the Council's lead officer": a post given the role answers who holds it.
    rf"|\b(?:nominat|appoint|designat)\w* (?:the |its |our )?{_POST}\b[^.;,]{{0,80}}? as (?:the |its |our |their )?"
    r"(?:[\w'’]+ ){0,3}(?:lead|officer|representative|champion|sponsor|chair|member|contact|nominee)\b"
)
_PERSON_OR_POST = re.compile(
    _NAMED_PERSON.pattern
    + r"|\b(?:Director|Chair|Chairman|Chairperson|Chairs|Chaired|Chief Executive|Leader|Deputy Leader|Cabinet Member"
    r"|Officer|Officers|Manager|Head of|Clerk|Secretary|Mayor|Lead|Portfolio Holder|Commissioner|Councillors?"
    r"|Principal|Vice-Chancellor|Chancellor|President|Dean|Registrar|Governor|Trustee|Sponsor|Champion"
    r"|colleagues|team|contact)\b"
    # "chaired by Owen Trask", "led by the Director": whoever follows answers, titled or not.
    r"|\b(?:chaired|led|headed|convened|sponsored|signed) by (?:the )?[A-Z]"
)
# A firm by name: "Corrin and Pryor Construction Limited", "Hallam Builders Ltd".
_FIRM = re.compile(r"\b[A-Z][\w'&-]*(?:\s+(?:and\s+|&\s+)?[A-Z][\w'&-]*)*\s+(?:Limited|Ltd|plc|PLC|LLP|Contractors|Builders)\b")
# "Where can I find ..." is answered by a place to look: a website, an appendix, an office.
_PLACE = re.compile(
    r"\b(?:appendix|annex|website|web site|webpage|intranet|online|www\.|https?://|available|published|address"
    r"|room|office|held at|located)\b",
    re.IGNORECASE,
)
# "Who is on / in / part of ..." is answered by the member organisations as well.
_ORGANISATION = re.compile(
    r"\b(?:Council|Councils|Trust|University|College|NHS|Board|Partnership|Foundation|Services|Hospitals?|CIC|Ltd"
    r"|Authority|Police|Fire|Group|Network|partners|organisations|members|Limited|plc|LLP)\b"
)

_ASKS_TIME = re.compile(r"^(?:at )?(?:what|which) time\b|\bopening (?:hours|times)\b")
_ASKS_DATE = re.compile(
    r"^(?:when|until when|by when|how soon|what (?:date|day|month|year)|which (?:date|day|month|year))\b|\bdeadline\b"
    # Keyword questions name the fact last: "community fund closing date", "next ICP meeting - date?".
    r"|\b(?:closing|start|end|completion|opening|go-live|launch|review|expiry|renewal|handover) date\b"
    r"|\bdate\W*$"
)
_ASKS_REASON = re.compile(r"\bwhy\b|^how come\b|\b(?:reasons?|rationale|justification)\b")
_REASON = re.compile(
    r"\b(?:because|due to|owing to|as a result|so that|in order to|reasons?|rejected|urgent|would not)\b",
    re.IGNORECASE,
)
_ASKS_PAST_DATE = re.compile(r"^when (?:did|was|were)\b")
_ASKS_FREQUENCY = re.compile(r"^how often\b")
_ASKS_DURATION = re.compile(r"^(?:for )?how (?:long|fast|quick|quickly)\b(?! ago\b)")
# "Where will the fairs be held?", "where is the hub based?": somewhere named, not a web page.
_ASKS_LOCATION = re.compile(
    r"^where (?:will|is|are|was|were|would|does|do)\b.* (?:held|trialled|tested|piloted|built|located|based|sited"
    r"|hosted|opening|opened|open|moving|relocating|go|going)\W*$"
)
# A capitalised name after a preposition, but not a month, a day or a meeting ("in March", "to Cabinet").
_LOCATION = re.compile(
    r"\b(?:at|in|on|near|beside|opposite|within|to)\s+(?:the\s+)?"
    r"(?!" + _one_of(f"{_MONTHS} {_DAYS} cabinet council committee board scrutiny".title()) + r"\b)[A-Z][a-z]+"
)
# "Where is the money coming from?", "where is the PCC funding it from?" ask for a source of funds ("met from
# the reserve"), not a place.
_ASKS_PLACE = re.compile(
    r"^where (?:can|do|does|is|are|would|should|will) (?:i|we|you|staff|officers|the|it|they)\b"
    r"(?!.*\b(?:come|comes|coming|came) from\b|.*\bfrom\W*$)"
)
_AMOUNT_NOUN = r"(?:cost|price|rent|fee|charge|value|amount|total|budget|income|turnover|subsidy)"
_ASKS_NUMBER = re.compile(
    r"^(?:how much|what (?:percentage|proportion|share|per ?cent|%|grade|band|salary|pay band))(?!\w)"
    # "What's it going to cost?", "what is the rent?": an amount, though the question never says "how much".
    r"|\b(?:going to|will it|would it|does it|did it) cost\b|^what (?:will|would|does|do|did) .+ cost\b"
    rf"|^what(?:'s| is| was| will be) the {_AMOUNT_NOUN}\b(?! implications)"
    # Keyword questions: "network manager salary?", "total annual value of the cleaning contract".
    r"|\b(?:salary|salaries|price|rent|fees?|costs?|baseline|headcount)\W*$"
    # "What hourly rate will Kellbrook pay?": a rate of pay or charge is a sum of money, as is a price.
    r"|^what (?:\w+ )?rate\b|\b(?:sell|sold|selling|buy|bought|buying)\b.* for\W*$"
    r"|^(?:the )?(?:total |annual |weekly |monthly |yearly |full-year )*(?:value|cost|salary|price|rent|fee) (?:of|for)\b"
    # "what is the annual value of the contract?", but not "what is the social value weighting?".
    rf"|^what(?:'s| is| was| will be) the (?:\w+ ){{1,2}}{_AMOUNT_NOUN}(?: of\b| for\b|\W*$)"
)
# "Who won the contract?", "who's paying for it?": a firm or a public body answers as well as a person.
_BODY_VERBS = (
    r"(?:won|wins|win|awarded|pays|pay|paying|paid|funds|fund|funding|funded|provides|provide|providing|runs|run|"
    r"running|operates|operate|operating|builds|build|building|built|delivers|deliver|delivering|owns|own|"
    r"manages|manage|managing|supplies|supply|supplying|got|gets|getting)"
)
_WHO_DOES = rf"^who(?:'s| is| are| was| were| will| would| has| have| had)? (?:be |been )?{_BODY_VERBS}\b"
_ASKS_BODY = re.compile(_WHO_DOES)
# "Which contractor has been appointed?" is answered by a firm's name, not by "the contractor will be procured".
_ASKS_FIRM = re.compile(
    r"^(?:which|what) (?:\w+ )?(?:contractors?|company|companies|firms?|suppliers?|builders?|developers?|operators?"
    r"|consultants?|consultancy)\b"
)
_ASKS_WHO = re.compile(r"^(?:who|whom|which (?:councillor|officer|director|person|cabinet member))\b(?!se)")
_ASKS_MEMBERS = re.compile(r"^who(?:'s| is| are| was| were| else)? (?:in|on|part of|involved|a member|members|sits)\b")
# "Who is the chief executive?", "who is Ashcombe's lead officer?", "what is the name of the chair?".
# "who is Ebbsford College's director of finance?": a possessive may run to three words.
_WHO_IS_OF = rf"^who(?:'s| is| was| are) (?:{_ARTICLE}|(?:\w+ ){{0,2}}\w+'s) "
_NAME_OF_THE = rf"^(?:(?:what|which)(?:'s| is| was) the |the )?names? of (?:{_ARTICLE} )?"
_ASKS_NAMED = re.compile(f"{_WHO_IS_OF}|{_NAME_OF_THE}")

# The words naming what is asked, by the question's form.
# "Who chairs ...?" asks for the chair; "who sits on ...?" asks for members, which the form says already.
_WHO_VERB = re.compile(rf"^who (?!{_AUX}\b|'s\b|else\b|(?:sits?|serves?|belongs?)\b|{_BODY_VERBS}\b)(\w+)")
# A noun phrase ends where a preposition, a clause or the question does.
_PHRASE_END = (
    r"(?= (?:for|of|on|in|at|to|from|under|per|by|with|about|after|before|when|if|that|which|we|i|they|you)\b"
    r"|[?.!,]|$)"
)
_WHO_DOES_WHAT = re.compile(rf"{_WHO_DOES} (?:for |to |on )?(?:{_ARTICLE} )?(.+?){_PHRASE_END}")
_WHO_IS_THE = re.compile(rf"{_WHO_IS_OF}(.+?){_PHRASE_END}")
_NAME_OF = re.compile(rf"{_NAME_OF_THE}(.+?)(?= who\b| that\b|{_PHRASE_END})")
_WHAT_IS_THE = re.compile(rf"^(?:what|which)(?:'s| is| are| was| were) {_ARTICLE} (.+?){_PHRASE_END}")
_HOW_MANY = re.compile(
    rf"^(?:how (?:many|much)|what (?:%|percentage|per ?cent)(?: of)?) (?!{_AUX}\b)(.+?)(?= {_AUX}\b|{_PHRASE_END})"
)
# "How much will a swim cost?", "how much does the council spend on ...": the subject and its verb.
_HOW_MUCH_WILL = re.compile(rf"^how (?:many|much) {_AUX} (?:{_ARTICLE} |it |we |they |you |i )?(.+?){_PHRASE_END}")
# "What interest rate applies to ...?", "what age range is it open to?": the fact is named before the verb.
_WHAT_FACT = re.compile(
    r"^(?:what|which) ((?:\w+ ){0,2}(?:rate|range|target|weighting|threshold|limit|percentage|proportion|grade|band"
    r"|age|deadline|budget|salary|fee|price|penalty|sanction))"
    rf" (?:{_AUX}|applies|apply)\b"
)
_IS_THERE = re.compile(rf"^(?:is|are) there (?:a|an) (.+?)(?= (?:mentioned|anywhere)\b|{_PHRASE_END})")
# "When is it up for review?" asks about the review. "When is the review due?", "when does the hub open its
# doors?" end on the happening, not the thing: the thing is the subject ("the review", "the hub").
_HAPPENS = (
    r"(?:due|happen|happening|start|starting|begin|open|close|finish|finished|end|expire|launch|live|ready|"
    r"kick|go|come|take|get|be)"
)
_WHEN = r"(?:when|what time|(?:what|which) (?:date|year|month|day))"
_WHEN_LAST = re.compile(
    rf"^{_WHEN} {_AUX} (?:.*? )?(?<!\bits )(?<!\btheir )(?!{_HAPPENS}\W*$)(\w+)\W*$"
)
_WHEN_SUBJECT = re.compile(
    rf"^{_WHEN} {_AUX} (?:{_ARTICLE} |\w+'s )?(.+?)"
    rf"(?= (?:actually |finally |eventually |first |be |been )*{_HAPPENS}\b|{_PHRASE_END})"
)
_PHRASE_WORDS = 3
_NOT_A_QUESTION_WORD = r"^(?!(?:who|what|when|where|which|how|why|is|are|do|does|can)\b)"
# The fact may come before the year it is for: "garden waste subscription 2025-26".
_KEYWORD_END = r"(?: (?:19|20)\d\d(?:[-/](?:19|20)?\d\d)?)?\W*$"
# Keyword questions ending on a charge ("stall rents", "garden waste subscription") ask for that sum of money.
_CHARGES = r"rents?|fees?|prices|charges|subscriptions?|budget|income"
_KEYWORD_FACT = re.compile(_NOT_A_QUESTION_WORD + rf".* (salary|salaries|baseline|{_CHARGES})" + _KEYWORD_END)
# So do those ending on a rate or a tax ("PTB mileage rate"), though the rate's word need not be repeated.
_KEYWORD_MONEY = re.compile(_NOT_A_QUESTION_WORD + rf".* (?:{_CHARGES}|rates?|tax)" + _KEYWORD_END)
# The verbs that say whose count it is: a district's 96,000 people are not the people its council employs,
# and the levy a university gives away is not the levy it pays.
_HOW_MANY_VERB = re.compile(
    rf"^how (?:many|much) .+? {_AUX} .+? (employ|hire|recruit|host|train|create|deliver|build|fund|support|offer"
    r"|provide|reach|serve|run|operate|own|manage|pay|spend|charge|receive|contribute)"
    r"(?: (?:at the moment|at present|now|currently|today|altogether|in total|between them|each year|a year"
    r"|per year|so far))*"
    r"\W*$"
)
_LIGHT_WORDS = frozenset(tokens("put putting set make making made go going come coming get getting got money"))
# "The Anchor Operational Group", "the college anchor group": the words before a body's noun tell it from the
# other groups and boards in the documents.
_NAMED_BODY = re.compile(
    r"((?:[\w'&-]+ ){1,2})(?:steering |executive |exec |delivery |officers' )?"
    r"(?:group|board|committee|network|partnership|forum|panel)\b"
)


@dataclass(frozen=True)
class Asks:
    """What a question asks for. `kind`: "time" (of day), "date", "frequency", "duration", "location", "place",
    "count", "number", "money", "member", "named person", "person", or None when the form implies none; `focus`:
    the stemmed terms naming the thing asked, all of which an answering passage (with its headings, or a glossary
    alternative) should contain."""

    kind: str | None
    focus: tuple[str, ...]
    past_date: bool = False
    # The stemmed words naming a group, board or committee the question is about ("anchor", "operational").
    body: tuple[str, ...] = ()
    # The verb that says whose count or sum is asked ("employ" in "how many people does X employ?"), as typed:
    # an answering passage must use it in some form ("employs", "employed", "employees").
    action: str | None = None
    # "Why ...?", "how come ...?", "what was the reason ...?": the sentence giving a reason answers.
    reason: bool = False


def read_question(question: str) -> Asks:
    """What `question` asks for, read from its wh-form; questions of other forms ask for nothing in particular."""
    text = _normalise(question)
    # Two letters are too few to insist on: "st" is "Street" in the documents, "HR" is "human resources".
    # Light verbs and "money" say nothing a passage must repeat: "how much money's been put aside" is
    # answered by "£150,000 has been set aside".
    verb = _HOW_MANY_VERB.search(text)
    words = f"{_focus_words(text)} {verb[1]}" if verb else _focus_words(text)
    focus = tuple(term for term in dict.fromkeys(tokens(words)) if len(term) > 2 and term not in _LIGHT_WORDS)
    body = _NAMED_BODY.search(text)
    return Asks(
        _kind(text),
        focus,
        bool(_ASKS_PAST_DATE.search(text)),
        tuple(tokens(body[1])) if body else (),
        verb[1] if verb else None,
        bool(_ASKS_REASON.search(text)),
    )


def gives_reason(text: str) -> bool:
    """Whether `text` gives a reason or says why an option was turned down."""
    return bool(_REASON.search(text))


# "22/23", "2022/23" and "21-22" are financial years, which documents write "2022-23".
_SHORT_FINANCIAL_YEAR = re.compile(r"(?<![\d/.-])(20)?(\d\d)[/-](\d\d)(?![\d/.-])")


def spell_out_years(question: str) -> str:
    """The question with its financial years written as the documents write them."""

    def spelled(match: re.Match[str]) -> str:
        first, second = int(match[2]), int(match[3])
        return f"20{match[2]}-{match[3]}" if second == first + 1 else match[0]

    return _SHORT_FINANCIAL_YEAR.sub(spelled, question)


def _normalise(question: str) -> str:
    text = question.lower().replace("’", "'").strip()
    return re.sub(r"\s+", " ", text)


def _kind(text: str) -> str | None:
    """The first matching form wins: "how often" before "how many", "who is the <role>" before "who"."""
    forms = (
        ("time", _ASKS_TIME),
        ("frequency", _ASKS_FREQUENCY),
        ("duration", _ASKS_DURATION),
        ("location", _ASKS_LOCATION),
        ("place", _ASKS_PLACE),
        ("date", _ASKS_DATE),
        ("count", _ASKS_COUNT),
        ("number", _ASKS_NUMBER),
        ("money", _KEYWORD_MONEY),
        ("firm", _ASKS_FIRM),
        ("body", _ASKS_BODY),
        ("member", _ASKS_MEMBERS),
        ("named person", _ASKS_NAMED),
        ("person", _ASKS_WHO),
    )
    kind = next((kind for kind, pattern in forms if pattern.search(text)), None)
    if kind == "number" and not _ASKS_SHARE.match(text) and _ASKS_MONEY.search(text):
        return "money"
    return kind


def _focus_words(text: str) -> str:
    """The words after "who", "what is the", "how many" or "is there a", the thing won or paid for, or the event
    or subject of a "when" question."""
    for pattern, limit in (
        (_WHO_VERB, 1),
        (_WHO_IS_THE, _PHRASE_WORDS),
        (_NAME_OF, _PHRASE_WORDS),
        (_WHAT_IS_THE, _PHRASE_WORDS),
        (_WHAT_FACT, _PHRASE_WORDS),
        (_HOW_MANY, _PHRASE_WORDS),
        (_HOW_MUCH_WILL, _PHRASE_WORDS),
    ):
        match = pattern.search(text)
        if match:
            return " ".join(match.group(1).split()[:limit])
    # The thing a noun phrase names comes last ("a staff car share scheme", "the main works contract"), as does
    # the event a "when" asks about, and the fact a keyword question asks for ("... network manager salary").
    for pattern, limit in (
        (_KEYWORD_FACT, 1),
        (_WHO_DOES_WHAT, 1),
        (_IS_THERE, _PHRASE_WORDS),
        (_WHEN_LAST, 1),
        (_WHEN_SUBJECT, _PHRASE_WORDS),
    ):
        match = pattern.search(text)
        if match:
            return " ".join(match.group(1).split()[-limit:])
    return ""


def holds_kind(kind: str | None, text: str, dated: bool = False) -> bool:
    """Whether `text` holds the kind of fact the question asks for. `dated`: for "when did/was ..." the
    document's own date (a meeting's, a report's) is an answer too."""
    if kind == "date":
        return dated or bool(_DATE.search(text))
    if kind == "time":
        return bool(_CLOCK_TIME.search(text))
    if kind == "duration":
        return bool(_DURATION.search(text))
    if kind == "frequency":
        return bool(_FREQUENCY.search(text) or _DATE.search(text))
    if kind == "place":
        return bool(_PLACE.search(text))
    if kind == "location":
        return bool(_LOCATION.search(text) or _PLACE.search(text))
    if kind == "number":
        return bool(_NUMBER.search(text))
    if kind == "count":
        return bool(_COUNT.search(text))
    if kind == "money":
        return bool(_MONEY.search(text))
    if kind == "named person":
        return bool(_NAMED_PERSON.search(text))
    if kind == "person":
        return bool(_PERSON_OR_POST.search(text))
    if kind == "firm":
        return bool(_FIRM.search(text))
    if kind in ("body", "member"):
        return bool(_PERSON_OR_POST.search(text) or _ORGANISATION.search(text))
    return True
