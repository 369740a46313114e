"""The words BM25 and coverage compare: stemmed, stop words dropped, irregular verbs read as their base."""

from __future__ import annotations

from ingest.lexical import tokens


def test_an_irregular_past_tense_is_the_same_term_as_its_verb():
    assert tokens("How much did we spend with local firms?") == ["spend", "local", "firm"]
    assert set(tokens("£310,000 was spent with local firms")) >= {"spend", "local", "firm"}
    assert tokens("Councillor Pellow had left the Chamber") == tokens("Councillor Pellow leaves the Chamber")


def test_question_words_are_not_terms():
    assert tokens("what does it actually mean?") == []
    # Chatty fillers: "what's happening to the old laundry?", "when is Ashcombe hoping to become accredited?"
    assert tokens("what's happening, are they hoping to become") == []


def test_an_amount_is_one_number_however_it_is_written():
    assert tokens("tenders over £2m") == tokens("tenders over £2 million") == ["tender", "2000000"]
    assert tokens("a £250k contract") == tokens("a £250,000 contract")
    assert tokens("£1.5m") == tokens("£1,500,000")
    assert tokens("£10k") != tokens("£25,000")
