"""Reading what a question asks for, and whether a passage holds that kind of fact."""

from __future__ import annotations

import pytest

from bot.asks import gives_reason, holds_kind, read_question
from ingest.lexical import tokens


@pytest.mark.parametrize(
    ("question", "kind", "focus"),
    [
        ("who chairs the Derbyshire and Derby Anchor Executive Group?", "person", "chairs"),
        ("who signed the anchor charter for the council?", "person", "signed"),
        ("who is the Cabinet Member for Highways?", "named person", "cabinet member"),
        ("who is Ashcombe's community wealth building officer?", "named person", "community wealth building"),
        ("What is the name of the ICB Chief People Officer who chairs the board?", "named person", "ICB chief people"),
        ("who's in the Ashcombe anchor partnership?", "member", ""),
        ("who do we ask if money issues come up later on?", "person", ""),
        ("when is the Derby and Derbyshire anchor charter up for review?", "date", "review"),
        ("what time does cabinet start?", "time", "cabinet"),
        ("When is the mid-term review of the pledge due?", "date", "mid-term review"),
        ("when does the quillet st hub actually open its doors", "date", "quillet hub"),
        ("who sits on the anchor exec group?", "member", ""),
        ("who won the market hall main works contract", "body", "contract"),
        ("what's the cost per person of a placement", "money", "cost"),
        ("Which contractor is converting Mallender House?", "firm", ""),
        ("what are the cost implications?", None, "cost implications"),
        ("who's paying for the Mallender House conversion?", "body", "conversion"),
        ("What is the deadline for the Sport England bid?", "date", "deadline"),
        ("what's the real living wage per hour at the moment?", None, "real living wage"),
        ("how many staff does Derbyshire County Council employ?", "count", "staff employ"),
        ("how many homes could we get on the clinic site", "count", "homes"),
        ("how many apprentices has ODC got at the moment?", "count", "apprentices"),
        ("how much is the Multiply grant?", "money", "multiply grant"),
        ("how much notice must a partner give?", "number", "notice"),
        ("how much has Ashcombe put aside for co-op grants?", "money", "ashcombe aside"),
        ("how much money's been put aside for co-op grants?", "money", ""),
        ("what will monthly gym membership cost?", "money", ""),
        ("What is the annual value of the cleaning contract?", "money", "annual value"),
        ("what is the social value weighting?", None, "social value weighting"),
        ("how much will a swim cost at the new centre?", "money", "swim cost"),
        ("How often should contract managers check social value delivery?", "frequency", ""),
        ("Where can I find the council's whistleblowing policy?", "place", ""),
        ("is there a staff car share scheme?", None, "car share scheme"),
        ("what did the new social value policy replace?", None, ""),
        ("HR implications", None, ""),
        ("opening hours for the quillet street hub?", "time", ""),
        ("network manager salary?", "money", "salary"),
        ("community fund closing date for applications", "date", ""),
        ("total annual value of the cleaning contract", "money", ""),
        ("apprenticeship starts baseline", "number", "baseline"),
        ("what % weighting does greysands give social value in tenders?", "number", "weighting"),
        ("what grade/salary is the community wealth building officer post", "money", ""),
        ("who is ebbsford college's director of finance and estates?", "named person", "director"),
        ("name of the Trent Valley ICB chief people officer?", "named person", "trent valley icb"),
        ("What year does Ebbsford College expect to reach net zero?", "date", "zero"),
        ("how long is the Ready for Work course?", "duration", ""),
        ("how quickly do they pay local SMEs?", "duration", ""),
        ("go-live date for the jobs portal?", "date", ""),
        ("Kellbrook Sandgate Market Hall stall rents", "money", "rents"),
        ("culverton garden waste subscription 2025-26", "money", "subscription"),
        ("PTB mileage rate", "money", ""),
        ("what hourly rate will Kellbrook pay from april 24 under the RLW?", "money", "hourly rate"),
        ("What is Juxon House expected to sell for?", "money", ""),
        ("how much apprenticeship levy does Brantwick uni pay a year", "money", "apprenticeship levy pay"),
        ("What interest rate applies to the £1.26m prudential borrowing?", "number", "interest rate"),
        ("What age range is Yarlstow Fire Cadets open to?", None, "age range"),
        ("what's the annual revenue budget of Yarlstow fire and rescue?", "money", "annual revenue budget"),
        ("Where will the electric fire engine be trialled?", "location", ""),
        ("where can I park at County Hall?", "place", ""),
        # A source of funds, not a place: "met from the reserve".
        ("Where is the money for the anchor network subscription coming from?", None, ""),
        ("Where is the PCC funding the revenue costs of the anchor plan from?", None, ""),
        ("how soon will the hub open?", "date", ""),
        ("garden waste fees 2025-26", "money", "fees"),
    ],
)
def test_what_a_question_asks_for(question, kind, focus):
    asks = read_question(question)
    assert (asks.kind, asks.focus) == (kind, tuple(tokens(focus)))


@pytest.mark.parametrize(
    ("question", "action"),
    [
        ("How many people does Stockwell Vale District Council employ?", "employ"),
        ("how much levy does brantwick uni pay in total each year", "pay"),
        ("how many staff are moving into mallender house", None),
        ("how much is the Multiply grant?", None),
        # "own" is a stop word to the stemmer; the verb is kept as typed.
        ("how many homes does the council own?", "own"),
        ("how many people does X employ each year in total?", "employ"),
    ],
)
def test_the_verb_that_says_whose_count_is_asked(question, action):
    assert read_question(question).action == action


def test_only_past_when_questions_accept_the_documents_date():
    assert read_question("When did cabinet consider the anchor institutions report?").past_date
    assert not read_question("when does the highways consultation close?").past_date


@pytest.mark.parametrize(
    ("kind", "text", "holds"),
    [
        ("date", "The call-in period would expire at 5.00pm on Thursday 17 February 2022.", True),
        ("date", "This charter will be reviewed in 2026.", True),
        ("time", "The meeting will start at 10.00 am in the Council Chamber.", True),
        ("time", "MINUTES of a meeting of CABINET held at County Hall, Matlock on Thursday, 10 February 2022", False),
        ("date", "RESOLVED that Cabinet approves the Highways Capital Programme 2022-23.", False),
        ("frequency", "Contract managers should review progress at least every quarter.", True),
        ("frequency", "The board would meet every six weeks.", True),
        ("frequency", "The Board meets three times a year.", True),
        ("number", "The stocktake found the partners employ around 42,000 people.", True),
        ("number", "No human resources (HR) implications have been identified.", False),
        ("money", "The post would cost £51,300 a year including on-costs.", True),
        ("money", "Use of the rooms will be free of charge to community groups.", True),
        ("money", "The summer school will offer 150 free places each year.", False),
        ("money", "Rookwood House has been empty since 2022 and could take 46 flats.", False),
        ("money", "Parents receive a mileage payment of 45p per mile.", True),
        ("count", "Cabinet set a target of 150 apprenticeship starts a year.", True),
        ("count", "The hourly rate paid to providers rises to £25.10 from November 2025.", False),
        ("count", "The hub is due to open by 2027-28.", False),
        ("count", "Twelve units will be opened.", True),
        ("count", "Cabinet:\n(1) approved an increase in the rate paid to providers on the framework", False),
        ("count", "The meeting was held on 16 October 2025.", False),
        ("count", "The works will cost £2.5 million.", False),
        ("count", "Take-up rose by 5% and parents receive 45p per mile.", False),
        ("count", "The hub opens at 10am.", False),
        ("count", "The partners employ about 9,300 people.", True),
        ("duration", "Providers will be paid £25.10 an hour.", False),
        ("duration", "The Board meets once a year and creates 150 starts a year.", False),
        ("location", "Cabinet will decide in March whether the report goes to Cabinet.", False),
        ("location", "We will trial our first electric fire engine at Yarlstow Central Fire Station.", True),
        ("location", "We will trial our first electric fire engine.", False),
        ("duration", "Invoices will be paid within ten days of receipt.", True),
        ("duration", "The lease runs until 2045.", True),
        ("duration", "The course is popular with local employers.", False),
        ("named person", "Councillor R Pilkington (in the Chair)", True),
        ("named person", "The Cabinet Member for Highways, Assets and Transport introduced a report.", False),
        ("named person", "Board sponsor: Rhiannon Pugh-Stannard, Chief Finance Officer", True),
        ("named person", "Simone Achterberg, Director of Strategy and Partnerships, is the executive lead.", True),
        ("named person", "Officers: Chief Executive, Director of Resources, Head of Legal Services", False),
        ("named person", "The Chief Executive, Elin Garside, is the senior responsible owner.", True),
        ("named person", "The Director of Finance, Derbyshire County Council, presented the report.", False),
        ("named person", "Officers: Head of Legal Services, Head of Human Resources, Head of Finance", False),
        ("named person", "Cabinet nominated the Director of Growth as the Council's anchor lead officer.", True),
        ("named person", "Lead officer: Head of Economic Development and Regeneration", False),
        ("named person", "The Board will appoint the Chair at its first meeting, as required by its terms.", False),
        ("named person", "The Council appointed Lead Contractors as delivery partner.", False),
        ("person", "Delivery is overseen by the Anchor Strategy Group, chaired by Owen Trask.", True),
        ("person", "The College will chair the network's steering group.", False),
        ("person", "finance colleagues will be asked for advice", True),
        ("person", "membership includes Derbyshire County Council and Derby University.", False),
        ("member", "membership includes Derbyshire County Council and Derby University.", True),
        ("body", "Cabinet awarded the main works contract to Corrin and Pryor Construction Limited.", True),
        ("body", "The works will be paid for from the capital programme.", False),
        ("firm", "Cabinet awarded the contract to Corrin and Pryor Construction Limited.", True),
        ("firm", "The works contractor will be procured through a regional framework.", False),
        ("place", "Full reports are available on the Council's website.", True),
        ("place", "Cabinet adopted the Social Value Policy 2022.", False),
        (None, "Anything at all.", True),
    ],
)
def test_a_passage_holds_the_kind_of_fact_asked_for(kind, text, holds):
    assert holds_kind(kind, text) is holds


def test_a_past_when_question_is_answered_by_a_dated_document():
    assert holds_kind("date", "To update Members on local work regarding Anchor Institutions.", dated=True)


@pytest.mark.parametrize(
    ("question", "body"),
    [
        ("who chairs the Anchor Operational Group?", "anchor operational"),
        ("how often does the college anchor group get together", "college anchor"),
        ("when does the Northmere Anchor Board meet?", "northmere anchor"),
        ("what does the charter commit the council to?", ""),
    ],
)
def test_the_words_naming_a_group_the_question_is_about(question, body):
    assert read_question(question).body == tuple(tokens(body))


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("why was call-in waived on the street lighting contract?", True),
        ("Mossgate library - why not just flog it on the open market?", True),
        ("how come we didn't set up a company for the network?", True),
        ("what was the reason for the delay?", True),
        ("what does the charter commit the council to?", False),
        ("how many councillors does it take to call in a decision?", False),
    ],
)
def test_a_question_asking_why(question, reason):
    assert read_question(question).reason is reason


@pytest.mark.parametrize(
    ("text", "gives"),
    [
        ("The decision was urgent because the supplier's price guarantee expired on 31 March 2022.", True),
        ("Sale on the open market was rejected as the policy prefers community use.", True),
        ("Call-in: Waived.", False),
        ("The Board meets three times a year.", False),
    ],
)
def test_a_sentence_giving_a_reason(text, gives):
    assert gives_reason(text) is gives
