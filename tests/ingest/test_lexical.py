"""The words BM25 and coverage compare: stemmed, stop words dropped, irregular verbs read as their base."""

from __future__ import annotations

from ingest.lexical import tokens


def test_an_irregular_past_tense_is_the_same_term_as_its_verb():
    assert tokens("How much did we spend with local firms?") == ["spend", "local", "firm"]
    assert set(tokens("£310,000 was spent with local firms")) >= {"spend", "local", "firm"}
    assert tokens("Councillor Pellow had left the Chamber") == tokens("Councillor Pellow leaves the Chamber")


def test_question_words_are_not_terms():
    assert tokens("what does it actually mean?") == []
