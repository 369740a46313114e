"""Hybrid retrieval: dense (MiniLM + FAISS) and lexical (BM25) rankings fused by reciprocal rank,
lifted by how much of the question each passage covers."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bot.acronyms import acronyms_of
from bot.asks import Asks, gives_reason, holds_kind, read_question, spell_out_years
from bot.glossary import Glossary
from bot.spelling import correct_spelling, is_english, restore_apostrophes, vocabulary_of
from ingest.embed import Embedder
from ingest.lexical import tokens
from ingest.text import sentence_spans
from ingest.passages import contextual_text
from ingest.records import Passage
from ingest.store import Build


@dataclass(frozen=True)
class RetrievalConfig:
    """The retrieval recipe; `policybot eval` compares variants of it (dense only, BM25 only, hybrid...)."""

    dense: bool = True
    lexical: bool = True
    glossary: bool = True
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    # Glossary terms are the officer's words guessed at, so in BM25 they count for less than the question's own.
    expansion_weight: float = 0.5
    # A passage holding every idea of the question gains as much as being ranked first by one more retriever.
    coverage_weight: float = 1.0
    rrf_k: int = 10
    # Naming the document ("the Kellbrook minutes", "the anchor report") counts as much as naming the paragraph.
    document_weight: float = 1.0
    # A question that names a passage's own heading ("any HR implications?" and "Human Resources",
    # "is it a KD?" and "Key Decision") asks for that section.
    heading_weight: float = 0.3
    # Of the best eight within 75% of the best's fused score, those holding what the question asks for lead.
    answer_window: int = 8
    answer_share: float = 0.75
    candidates: int = 40


@dataclass(frozen=True)
class Candidate:
    """A passage with the evidence for it: both retrievers' scores and ranks, and the fused score."""

    passage: Passage
    fused: float
    dense: float
    lexical: float
    dense_rank: int | None
    lexical_rank: int | None
    coverage: float
    missing_years: tuple[str, ...] = ()
    # What the question asks for that the passage lacks: the kind of fact ("date" for "when ...?") and the
    # words naming the thing asked ("deadline" in "what is the deadline for the bid?").
    missing_kind: str | None = None
    missing_focus: tuple[str, ...] = ()
    # The passage never uses the verb that says whose count or sum is asked: a district's 96,000 residents do
    # not answer "how many people does the council employ?".
    missing_action: bool = False
    # The question names a council, partnership or place that few documents mention ("Ashcombe"), and this
    # passage's document never mentions it, or one that no document mentions: an answer about Kellbrook is no
    # answer about Ashcombe.
    other_body: bool = False
    # The question names the passage's own heading: it asks for that section.
    names_heading: bool = False
    # The passage only says where the text is ("Appendix 1 sets out the relevant implications"): it
    # answers nothing itself, and quoting it first hides the paragraphs that do.
    points_elsewhere: bool = False
    # The question asks for one kind of implications ("equalities implications") and this passage is
    # another kind's ("Implications › Financial"): a report without that heading does not answer it.
    other_implications: bool = False
    # The question's words that the passage does not speak of (see `Retriever._speaks_of`; a glossary alternative
    # counts as found); the rarest of them as its IDF; and how many the documents never use at all. A question
    # about "the precept" is not answered by a passage about the budget.
    missing_terms: int = 0
    missing_weight: float = 0.0
    unknown_terms: int = 0
    # Whether the question asks for a kind of fact ("when", "who", "how much") or names the thing asked.
    asks_kind: bool = False
    asks_focus: bool = False


_YEAR = re.compile(r"^(?:19|20)\d\d$")
_FIELD_LABEL = re.compile(r"^[-•*\s]*(?:\*\*)?([A-Z][A-Za-z ]{2,30}?)(?:\*\*)?:(?:\*\*)?\s", re.MULTILINE)
_POINTER = re.compile(
    r"^(?:(?:Appendix|Appendices|Annex|Schedule)\s+\w+(?:\s+and\s+\w+)?\s+"
    r"(?:sets? out|contains?|details?|gives?|provides?|shows?|lists?|summari[sz]es?|includes?)"
    r"|(?:Please\s+)?(?:see|refer to)\s+(?:paragraph|section|appendix|annex))\b",
    re.IGNORECASE,
)
_POINTER_MAX_WORDS = 30
_WORD = re.compile(r"[a-z]+")
# A capitalised word that does not open a sentence: "Kellbrook" in "what is Kellbrook's target?".
_CAPITALISED = re.compile(r"(?<![.?!:]\s)(?<=[\s(\"'“‘])[A-Z][A-Za-z]{2,}\b")
_REFERS_BACK = re.compile(
    r"(?:This|That|These|Those|It|Its|They|Their|The (?:change|cost|proposal|scheme|increase|rise|post|award))\b"
)
_DEFINITE_NOUN = re.compile(r"The ([A-Za-z]+)\b")
_IMPLICATIONS = re.compile(r"\bimplications\b", re.IGNORECASE)
# "Councillor Hale asked whether the unions had been consulted." The next sentence is the answer.
_REPORTED_QUESTION = re.compile(
    r"\b(?:asked|enquired|queried|questioned)\b(?:\s+\w+){0,3}?\s+(?:whether|if|how|what|why|when|who|which|about)\b",
    re.IGNORECASE,
)
# Weights of the sentence scores that choose what a trimmed quote keeps (set on the read eval sets: the share of
# top quotes showing the expected text went from 91% to 98%). Holding the kind of fact asked, or a reason for
# "why?", adds about what a rare question word does; the heading's and title's words count a quarter.
_REPORTED_QUESTION_SHARE = 0.5
_ANSWER_BONUS = 0.3
_TOPIC_WEIGHT = 0.25
_ALTERNATIVE_WEIGHT = 0.5
_ANTECEDENT_SHARE = 0.9
_IMPLICATIONS_TERM = tokens("implications")[0]
# The implications council report templates list, whether or not a report in the corpus has each heading:
# "any equalities implications?" asks for a kind of implications even of a report that has none.
_USUAL_IMPLICATIONS = frozenset(
    tokens(
        "financial legal human resources equalities equality environmental climate carbon risk property health "
        "procurement social value data protection crime disorder safeguarding transport technology digital "
        "sustainability rural community safety"
    )
)
_FINANCIAL_YEAR = re.compile(r"\b((?:19|20)\d\d)\s?[-/–]\s?(?:19|20)?(\d\d)\b")


def _financial_years(text: str) -> frozenset[str]:
    """Financial years as "2022-23", however written ("2022/23", "2022-2023")."""
    return frozenset(
        f"{start}-{end}" for start, end in _FINANCIAL_YEAR.findall(text) if int(end) == (int(start) + 1) % 100
    )


@dataclass(frozen=True)
class Query:
    """A question as the retrievers use it: its stemmed terms, and what the glossary adds to each."""

    text: str
    terms: tuple[str, ...]
    expanded_terms: tuple[str, ...]
    # What else finds each term: sets of stems that must all be present. The words of an officer's phrase
    # each stand alone ("staffing" is found by "people"); an abbreviation's reading must be there whole
    # ("KD" is found by "key decision", not by the "key" of "key areas").
    alternatives: dict[str, frozenset[frozenset[str]]]
    asks: Asks = Asks(None, ())
    # The question as embedded: its acronyms spelled out.
    spelled_out: str = ""
    # The years and financial years it names ("2024", "2022-23").
    years: tuple[str, ...] = ()
    # The kinds of implications it asks for ("equalities implications"), each as the readings that name it.
    implications: tuple[frozenset[frozenset[str]], ...] = ()
    # The stems of the verb that says whose count or sum is asked, in all its forms ("employs", "employees").
    action_forms: frozenset[str] = frozenset()

    def found_in(self, term: str, present: frozenset[str]) -> bool:
        """Whether `present` holds `term`, or one of its alternatives whole."""
        return term in present or any(reading <= present for reading in self.alternatives.get(term, ()))

    def named_in(self, term: str, present: frozenset[str]) -> bool:
        """Whether `present` names the thing `term` asks about: as `found_in`, or by what the doer holds ("the
        contract ... is re-let" names the contractor)."""
        return self.found_in(term, present) or _HELD_BY_DOER.get(term) in present


class Retriever:
    """Searches one loaded build. Stateless between questions, so it is safe to share across threads."""

    def __init__(self, build: Build, embedder: Embedder, glossary: Glossary, config: RetrievalConfig) -> None:
        self.build = build
        self.embedder = embedder
        self.glossary = glossary
        self.config = config
        with_context = build.manifest.chunker.get("context", True)
        texts = [contextual_text(build.documents[p.doc_id], p, with_context) for p in build.passages]
        self._passage_terms = [frozenset(tokens(text)) for text in texts]
        self._vocabulary = vocabulary_of(texts)
        self._acronyms = acronyms_of(texts)
        self._document_frequency = _document_frequency(self._passage_terms)
        self._title_block_terms = _title_block_terms(build)
        self._document_terms = _document_terms(build, self._title_block_terms, self._passage_terms)
        self._documents_with = _document_frequency(list(self._document_terms.values()))
        self._names = _names_of_few_documents(build, self._documents_with)
        self._name_terms = frozenset(self._names.values())
        # What each passage speaks of: its own words, its document's council, meeting and title, and the names its
        # document gives elsewhere ("the new centre" is the Millbrook centre of the report it is in).
        self._speaks_of = [
            terms | self._title_block_terms[p.doc_id] | (self._name_terms & self._document_terms[p.doc_id])
            for p, terms in zip(build.passages, self._passage_terms)
        ]
        self._points_elsewhere = [
            bool(_POINTER.match(p.text)) and len(p.text.split()) <= _POINTER_MAX_WORDS for p in build.passages
        ]
        # The kinds of implications the documents report under their own headings ("Financial", "Legal").
        self._implication_headings = [
            frozenset(tokens(p.heading.split(" › ")[-1])) if _IMPLICATIONS.search(p.heading) else None
            for p in build.passages
        ]
        self._implication_kinds = _USUAL_IMPLICATIONS.union(*(h for h in self._implication_headings if h))
        # A passage's own heading, and the labels of the fields it holds ("Key Decision: Yes", "**Wards:** All").
        self._heading_terms = [
            tuple(
                terms
                for label in (p.heading.split(" › ")[-1], *_FIELD_LABEL.findall(p.text))
                if (terms := frozenset(term for term in tokens(label) if not term.isdigit()))
            )
            for p in build.passages
        ]
        # A passage speaks of its own words' years and of its document's date ("the meeting in 2022").
        self._passage_years = [
            frozenset(t for t in terms | set(tokens(build.documents[p.doc_id].date or "")) if _YEAR.match(t))
            | _financial_years(text)
            for p, terms, text in zip(build.passages, self._passage_terms, texts)
        ]
        self._row_of = {passage.id: row for row, passage in enumerate(build.passages)}
        # Split and stemmed once per build, so the answer path only compares sets.
        self._passage_sentences = [
            tuple((p.text[start:end], frozenset(tokens(p.text[start:end]))) for start, end in sentence_spans(p.text))
            for p in build.passages
        ]

    def prepare(self, question: str) -> Query:
        question = restore_apostrophes(spell_out_years(question))
        question = correct_spelling(question, self._vocabulary, self._is_known_word)
        matches = self.glossary.matches(question) if self.config.glossary else []
        acronyms = self._acronyms_in(question, matches) if self.config.glossary else {}
        matches += [(word, (name,)) for word, name in acronyms.items()]
        expansions = tuple(dict.fromkeys(term for _, others in matches for term in others))
        terms = tuple(tokens(question))
        expanded = terms + tuple(dict.fromkeys(t for phrase in expansions for t in tokens(phrase) if t not in terms))
        # Each word of a glossary phrase the question uses ("pull out") is found by the group's other terms.
        alternatives: dict[str, set[frozenset[str]]] = {}
        for used, others in matches:
            if _is_abbreviation(used):
                readings = {frozenset(tokens(phrase)) for phrase in others} - {frozenset()}
            else:
                readings = {frozenset([term]) for phrase in others for term in tokens(phrase)}
            for term in tokens(used):
                alternatives.setdefault(term, set()).update(readings)
        spelled_out = question
        for word, name in acronyms.items():
            spelled_out = re.sub(rf"\b{re.escape(word)}\b", name, spelled_out)
        readings = {t: frozenset(a) for t, a in alternatives.items()}
        asks = read_question(question)
        return Query(
            question,
            terms,
            expanded,
            readings,
            asks,
            spelled_out,
            tuple(term for term in dict.fromkeys(terms) if _YEAR.match(term)) + tuple(sorted(_financial_years(question))),
            self._implications_asked(terms, readings),
            _forms_of_verb(asks.action) if asks.action else frozenset(),
        )

    def _implications_asked(
        self, terms: tuple[str, ...], alternatives: dict[str, frozenset[frozenset[str]]]
    ) -> tuple[frozenset[frozenset[str]], ...]:
        """For "HR implications" or "staffing implications", the kinds asked, each as the readings that name a
        kind: "equality impact assessment" makes "impact" an alternative for "equalities", but a paragraph about
        impact is not about equalities."""
        if _IMPLICATIONS_TERM not in terms:
            return ()
        asked = []
        for term in dict.fromkeys(terms):
            kinds = {reading for reading in alternatives.get(term, ()) if reading & self._implication_kinds}
            if term in self._implication_kinds:
                kinds.add(frozenset([term]))
            if term != _IMPLICATIONS_TERM and kinds:
                asked.append(frozenset(kinds))
        return tuple(asked)

    def _acronyms_in(self, question: str, matches: list[tuple[str, tuple[str, ...]]]) -> dict[str, str]:
        """The question's acronyms that the documents never use but whose name they do ("UoB": "University of
        Brantwick"); the glossary's readings of a word come first."""
        matched = {word for used, _ in matches for word in used.lower().split()}
        found: dict[str, str] = {}
        for word in re.findall(r"\b[A-Za-z]{2,6}\b", question):
            lowered = word.lower()
            name = self._acronyms.get(lowered)
            # Typed in capitals, three letters or more, it is an acronym even if the word list has it ("FRS").
            typed_as_acronym = word.isupper() and len(word) >= 3
            if (
                name
                and lowered not in matched
                and lowered not in self._vocabulary
                and (typed_as_acronym or not is_english(lowered))
            ):
                found[word] = name
        return found

    def search(self, query: Query) -> list[Candidate]:
        """The best `config.candidates` passages for a `prepare`d question by fused evidence, best first."""
        count = len(self.build.passages)
        if count == 0:
            return []
        depth = min(self.config.candidates, count)
        dense_scores = self._dense_scores(query)
        lexical_scores = self._lexical_scores(query)
        dense_ranks = _ranks(dense_scores, depth) if self.config.dense else {}
        lexical_ranks = _ranks(lexical_scores, depth, positive_only=True) if self.config.lexical else {}
        k = self.config.rrf_k
        fused: dict[int, float] = {}
        for row, rank in dense_ranks.items():
            fused[row] = fused.get(row, 0.0) + self.config.dense_weight / (k + rank)
        for row, rank in lexical_ranks.items():
            fused[row] = fused.get(row, 0.0) + self.config.lexical_weight / (k + rank)
        coverage = {row: self.coverage(query, row) for row in fused}
        candidate_documents = {self.build.passages[row].doc_id for row in fused}
        by_document = {doc_id: self.document_coverage(query, doc_id) for doc_id in candidate_documents}
        said = frozenset(query.expanded_terms)
        names_heading = {row: any(heading <= said for heading in self._heading_terms[row]) for row in fused}
        for row in fused:
            fused[row] += self.config.coverage_weight * coverage[row] / (k + 1)
            fused[row] += self.config.heading_weight * names_heading[row] / (k + 1)
            fused[row] += self.config.document_weight * by_document[self.build.passages[row].doc_id] / (k + 1)
        # Names as the question spells them: "colege" is a typo for college, not Coleg Rhoswen.
        spelled = _WORD.findall(query.text.lower())
        named = list(dict.fromkeys(self._names[word] for word in spelled if word in self._names))
        # Words the documents use elsewhere, so not an officer's paraphrase: "operational" tells the Anchor
        # Operational Group from a document's Anchor Strategy Group.
        body = [term for term in query.asks.body if term in self._document_frequency]
        named_nowhere = self._names_nothing_mentions(query)
        other_body = {
            doc_id: named_nowhere
            or (bool(named) and self._document_terms[doc_id].isdisjoint(named))
            or not all(query.found_in(term, self._document_terms[doc_id]) for term in body)
            for doc_id in candidate_documents
        }
        # Passages from the documents the question names come before the rest, and passages that only
        # point elsewhere come last; otherwise fused evidence decides.
        ordered = sorted(
            fused,
            key=lambda row: (
                other_body[self.build.passages[row].doc_id] or self._points_elsewhere[row],
                -fused[row],
                -dense_scores[row],
            ),
        )
        candidates = [
            Candidate(
                passage=self.build.passages[row],
                fused=fused[row],
                dense=float(dense_scores[row]),
                lexical=float(lexical_scores[row]),
                dense_rank=dense_ranks.get(row),
                lexical_rank=lexical_ranks.get(row),
                coverage=coverage[row],
                missing_years=self._missing_years(query, row),
                missing_kind=self._missing_kind(query, row),
                missing_focus=self._missing_focus(query, row),
                missing_action=self._missing_action(query, row),
                other_body=other_body[self.build.passages[row].doc_id],
                names_heading=names_heading[row],
                points_elsewhere=self._points_elsewhere[row],
                other_implications=self._other_implications(query, row),
                **self._missing_terms(query, row),
                asks_kind=query.asks.kind is not None,
                asks_focus=bool(query.asks.focus),
            )
            for row in ordered[:depth]
        ]
        return _asked_for_first(candidates, self.config.answer_window, self.config.answer_share)

    def _names_nothing_mentions(self, query: Query) -> bool:
        """Whether the question names a place or body that no document mentions: "what is Kellbrook's
        apprenticeship target?" has no answer in documents that never speak of Kellbrook, however alike another
        council's target reads. A name is a word capitalised inside a sentence that is not English; acronyms are
        left out (officers abbreviate what documents write in full, "CHC" for continuing healthcare), and so are
        clipped document words ("Ebbsford Coll")."""
        for match in _CAPITALISED.finditer(query.text):
            word = match[0]
            if word.isupper() or (word[:-1].isupper() and word.endswith("s")) or is_english(word.lower()):
                continue
            if self._is_known_word(word) or any(stem in query.alternatives for stem in tokens(word)):
                continue
            if not any(known.startswith(word.lower()) for known in self._vocabulary):
                return True
        return False

    def coverage(self, query: Query, row: int) -> float:
        """Share of the question's information (IDF-weighted terms) that the passage contains.

        A term the corpus never uses weighs most: a question about "overtime" is not answered by a
        passage that shares only "council" with it. A glossary expansion of a term stands in for it. The
        passage speaks for its document's council and meeting too: "Kellbrook's budget consultation" is
        covered by a paragraph of Kellbrook's minutes that says only "the consultation", and for the names its
        document gives elsewhere: "the new Millbrook centre" by the report's "the new centre".
        """
        return _share_found(query, self._speaks_of[row], self._idf)

    def _missing_terms(self, query: Query, row: int) -> dict[str, float | int]:
        missing = [term for term in dict.fromkeys(query.terms) if not query.found_in(term, self._speaks_of[row])]
        return dict(
            missing_terms=len(missing),
            missing_weight=max((self._idf(term) for term in missing), default=0.0),
            unknown_terms=sum(term not in self._document_frequency for term in missing),
        )

    def document_coverage(self, query: Query, doc_id: str) -> float:
        """Share of the question's information found anywhere in one document (its text, title, council or
        meeting): a question naming a council or a report ("Ashcombe", "the anchor report") is about that one."""
        documents = len(self._document_terms)
        return _share_found(
            query, self._document_terms[doc_id], lambda term: _idf(documents, self._documents_with.get(term, 0))
        )

    def _missing_years(self, query: Query, row: int) -> tuple[str, ...]:
        """Years the question names that the passage never mentions: "the 2024-25 target" is not answered
        by a paragraph about 2022-23, however alike the two read."""
        present = self._passage_years[row]
        return tuple(year for year in query.years if year not in present)

    def _missing_kind(self, query: Query, row: int) -> str | None:
        """The kind of fact the question asks for ("date", "number", "person"...) when the passage holds none."""
        if query.asks.kind is None:
            return None
        passage = self.build.passages[row]
        dated = query.asks.past_date and bool(self.build.documents[passage.doc_id].date)
        about = self._sentences_about(query, row)
        return None if holds_kind(query.asks.kind, about, dated) else query.asks.kind

    def _sentences_about(self, query: Query, row: int) -> str:
        """The passage's sentences that mention something the question names: a number or a name answers
        "how many apprentices?" only when it stands beside the apprentices."""
        # The thing asked, when the question names it ("the chief executive"), else anything it names. Words
        # of the document's own council or title ("Trent Valley" in the Trent Valley charter) hold for every
        # sentence of it, so they pick out none.
        own = self._title_block_terms[self.build.passages[row].doc_id]
        named = (
            [term for term in query.asks.focus if term not in own]
            or [term for term in query.terms if term not in own]
            or query.terms
        )
        if not named:
            return self.build.passages[row].text
        about: list[str] = []
        introduced = previous_about = False
        for sentence, terms in self._passage_sentences[row]:
            # A sentence that introduces a list ("Signed ... by:") speaks through the items that follow it, and
            # one that refers back ("The change would cost £186,000") speaks of what the one before named.
            if (
                introduced
                or any(query.named_in(term, terms) for term in named)
                or (previous_about and _REFERS_BACK.match(sentence))
            ):
                about.append(sentence)
                introduced = introduced or sentence.rstrip().endswith(":")
                previous_about = True
            else:
                previous_about = False
        return " ".join(about)

    def sentence_relevance(self, query: Query, passage: Passage) -> tuple[float, ...]:
        """Each of the passage's `sentence_spans` scored by its share of the question's information (IDF-weighted,
        a glossary alternative standing in for a term), more when it holds the kind of fact asked: "who chairs the
        board?" is answered by "chaired by Dr Okafor", not by "The Board oversees the charter". Words of the
        passage's heading and its document's title are what every sentence is about, so they tell sentences apart
        less: of the Social Value Policy decision, "what did the policy replace?" is answered by the sentence
        saying "replaces". Minutes report a member's question and then its reply, so the reply carries what its
        question matched, and the question less. The officer's own word counts for more than a glossary
        alternative: "who signs off?" asks for "signed off by", not for "a decision of". Scored only for the
        passages quoted, so a search pays nothing for it."""
        row = self._row_of[passage.id]
        topic = self._title_block_terms[passage.doc_id] | frozenset(tokens(passage.heading))
        weights = {
            term: self._idf(term) * (_TOPIC_WEIGHT if query.found_in(term, topic) else 1.0)
            for term in dict.fromkeys(query.terms)
        }
        total = sum(weights.values())
        relevance: list[float] = []
        asked = 0.0
        previous: frozenset[str] = frozenset()
        for sentence, own_terms in self._passage_sentences[row]:
            # "It is signed off by the Commissioner" speaks of the annual report the sentence before named, and
            # "The network focuses on ..." of the Leeds Anchor Network.
            continues = _continues(sentence, previous)
            terms = own_terms | previous if continues else own_terms
            previous = own_terms
            found = sum(
                weight if term in terms else weight * _ALTERNATIVE_WEIGHT
                for term, weight in weights.items()
                if query.found_in(term, terms)
            )
            share = found / total if total else 0.0
            if query.asks.kind is not None and holds_kind(query.asks.kind, sentence):
                share += _ANSWER_BONUS
            if query.asks.reason and gives_reason(sentence):
                share += _ANSWER_BONUS
            if _REPORTED_QUESTION.search(sentence):
                asked = share
                share *= _REPORTED_QUESTION_SHARE
            else:
                share, asked = share + asked * max(0.0, 1.0 - share), 0.0
            if continues and relevance:
                # "These are the three priority neighbourhoods." says what the sentence before it names are.
                relevance[-1] = max(relevance[-1], share * _ANTECEDENT_SHARE)
            relevance.append(share)
        return tuple(relevance)

    def _other_implications(self, query: Query, row: int) -> bool:
        """Whether the question asks for kinds of implications that this passage is not about: an implications
        paragraph under another kind's heading, or any other paragraph that never mentions the kind asked."""
        if not query.implications:
            return False
        heading = self._implication_headings[row]
        about = heading if heading is not None else self._passage_terms[row]
        return not any(reading <= about for kind in query.implications for reading in kind)

    def _missing_focus(self, query: Query, row: int) -> tuple[str, ...]:
        """Words naming the thing asked that neither the passage, its headings, its document's council and title
        nor a glossary alternative has: "how much has Ashcombe set aside" is asked of Ashcombe's strategy. A
        name the document gives elsewhere is not missing: the Millbrook report's paragraph says "the new centre"."""
        return tuple(term for term in query.asks.focus if not query.named_in(term, self._speaks_of[row]))

    def _missing_action(self, query: Query, row: int) -> bool:
        """Whether the passage lacks every form of the asked verb: "employ" is found in "employed" and
        "employees", "pay" in "payment" (and "paid")."""
        if query.asks.action is None:
            return False
        return not any(query.found_in(form, self._passage_terms[row]) for form in query.action_forms)

    def _is_known_word(self, word: str) -> bool:
        """Whether the documents use `word` in some form, or it is a word that is never searched for."""
        stems = tokens(word)
        return not stems or all(stem in self._document_frequency for stem in stems)

    def _idf(self, term: str) -> float:
        return _idf(len(self._passage_terms), self._document_frequency.get(term, 0))

    def _dense_scores(self, query: Query) -> np.ndarray:
        # Computed even when dense ranking is switched off: its similarity is evidence for abstention.
        # The question alone, its acronyms read as the names they stand for: glossary terms appended to it pulled
        # the embedding off the question's meaning.
        count = len(self.build.passages)
        vector = self.embedder.embed_one(query.spelled_out or query.text).reshape(1, -1)
        scores, rows = self.build.vectors.search(vector, count)
        dense = np.zeros(count, dtype=np.float32)
        dense[rows[0]] = scores[0]
        return dense

    def _lexical_scores(self, query: Query) -> np.ndarray:
        count = len(self.build.passages)
        scores = np.zeros(count, dtype=np.float32)
        added = query.expanded_terms[len(query.terms) :]
        for terms, weight in ((query.terms, 1.0), (added, self.config.expansion_weight)):
            if terms and weight:
                scores += weight * np.asarray(self.build.lexical.get_scores(list(terms))[:count], dtype=np.float32)
        return scores


# Doers whose names the stemmer leaves whole, each with what they hold: a paragraph about the contract names the
# contractor. A list, not a rule: "director" is not named by "direct", nor "visitor" by "visit".
_HELD_BY_DOER = {
    tokens(doer)[0]: tokens(held)[0]
    for doer, held in (
        ("contractor", "contract"),
        ("cleaner", "cleaning"),
        ("supplier", "supply"),
        ("funder", "fund"),
        ("trainer", "training"),
        ("builder", "build"),
        ("buyer", "buy"),
        ("seller", "sell"),
    )
}


def _continues(sentence: str, previous_terms: frozenset[str]) -> bool:
    """Whether `sentence` goes on about what the sentence before it named: it refers back ("It", "This"), or
    opens on "The" and a noun that sentence used."""
    if _REFERS_BACK.match(sentence):
        return True
    definite = _DEFINITE_NOUN.match(sentence)
    return bool(definite) and any(term in previous_terms for term in tokens(definite[1]))


def _forms_of_verb(verb: str) -> frozenset[str]:
    """The stems of a verb's inflections and the nouns made from it: employ, employs, employed, employing,
    employee(s), employment, employer(s)."""
    endings = ("", "s", "es", "ed", "d", "ing", "ee", "ees", "ment", "ments", "er", "ers")
    return frozenset(stem for ending in endings for stem in tokens(verb + ending))


def _share_found(query: Query, present: frozenset[str], weight_of: Callable[[str], float]) -> float:
    """The weighted share of the question's terms in `present`; a glossary alternative stands in for a term."""
    total = found = 0.0
    for term in dict.fromkeys(query.terms):
        weight = weight_of(term)
        total += weight
        if query.found_in(term, present):
            found += weight
    return found / total if total else 0.0


def _is_abbreviation(used: str) -> bool:
    """"KD", "DCC", "cllrs": one short word that is not English."""
    return " " not in used.strip() and len(used) <= 5 and not is_english(used.lower())


def _idf(collection: int, frequency: int) -> float:
    return math.log(1 + (collection + 1) / (frequency + 0.5))


def _title_block_terms(build: Build) -> dict[str, frozenset[str]]:
    """Each document's council, meeting and title, as terms."""
    return {
        doc_id: frozenset(tokens(" ".join(part for part in (document.council, document.meeting, document.title) if part)))
        for doc_id, document in build.documents.items()
    }


def _document_terms(
    build: Build, title_block_terms: dict[str, frozenset[str]], passage_terms: list[frozenset[str]]
) -> dict[str, frozenset[str]]:
    """Each document's terms: all its passages' and its title block's (council, meeting, title)."""
    terms: dict[str, set[str]] = {doc_id: set(found) for doc_id, found in title_block_terms.items()}
    for passage, found in zip(build.passages, passage_terms):
        terms[passage.doc_id] |= found
    return {doc_id: frozenset(words) for doc_id, words in terms.items()}


def _names_of_few_documents(build: Build, documents_with: dict[str, int]) -> dict[str, str]:
    """Proper names ("Ashcombe", "Kellbrook", "Mallender House", "Castlegate") that fewer than half the
    documents mention, lower-cased, each with its term: a question using one is about those documents. A name
    is a capitalised word that is not general English; English words ("strategy", "leisure") are topics, left
    to the retrievers."""
    capitalised = {
        word
        for document in build.documents.values()
        for part in (document.council, document.meeting, document.title)
        if part
        for word in _WORD.findall(part.lower())
    } | {word.lower() for passage in build.passages for word in re.findall(r"\b[A-Z][a-z]{2,}\b", passage.text)}
    names = {word: terms[0] for word in capitalised if not is_english(word) and len(terms := tokens(word)) == 1}
    return {word: term for word, term in names.items() if 0 < documents_with.get(term, 0) * 2 < len(build.documents)}


def _asked_for_first(candidates: list[Candidate], window: int, share: float) -> list[Candidate]:
    """Among the leading candidates, those holding what the question asks for (its year, the kind of fact,
    the thing named) go before those that lack it: "when will the pool open?" is answered by the paragraph
    giving the opening date, not by the better-matching one about the pool."""
    if not candidates or window <= 1:
        return candidates
    floor = candidates[0].fused * share
    leading = [c for c in candidates[:window] if c.fused >= floor]
    return sorted(leading, key=_lacks_what_is_asked) + candidates[len(leading) :]


def _lacks_what_is_asked(candidate: Candidate) -> tuple[bool, int]:
    """Lacking the fact asked for (its year, a date for "when") weighs more than lacking a word that names
    the thing asked, which the passage may put another way ("the new centre" for "the Millbrook centre")."""
    lacks_fact = (
        candidate.missing_years or candidate.missing_kind or candidate.missing_action or candidate.other_implications
    )
    return bool(lacks_fact), len(candidate.missing_focus)


def _ranks(scores: np.ndarray, depth: int, positive_only: bool = False) -> dict[int, int]:
    order = np.argsort(-scores, kind="stable")[:depth]
    return {int(row): rank for rank, row in enumerate(order, start=1) if not positive_only or scores[row] > 0}


def _document_frequency(passage_terms: list[frozenset[str]]) -> dict[str, int]:
    frequency: dict[str, int] = {}
    for terms in passage_terms:
        for term in terms:
            frequency[term] = frequency.get(term, 0) + 1
    return frequency

