"""Typos are read as the document's word they were meant to be, and nothing else is changed."""

from __future__ import annotations

import pytest

from bot.spelling import correct_spelling, one_edit_away, restore_apostrophes, vocabulary_of

VOCABULARY = frozenset("legal implications anchor report recommendation councillors signatory grown".split())


def never_known(word: str) -> bool:
    return False


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("legal implicatons anchor report", "legal implications anchor report"),
        ("Implicatons?", "implications?"),
        ("who is a signatroy", "who is a signatory"),
        ("anchr reprt", "anchor report"),
        # A real English word is kept even when a document's word is one letter away.
        ("brown bin charges", "brown bin charges"),
        # Two edits away, too short to guess, or unknown to the documents altogether: left as typed.
        ("reccomendation to cabinet", "reccomendation to cabinet"),
        ("lgal report", "lgal report"),
        ("overtime claims", "overtime claims"),
    ],
)
def test_a_typo_is_mended_into_the_documents_word(typed, read_as):
    assert correct_spelling(typed, VOCABULARY, never_known) == read_as


def test_a_clipped_word_is_read_as_the_document_word_it_starts():
    vocabulary = frozenset({"decarbonisation", "maintain", "maintenance"})
    assert correct_spelling("decarb grant", vocabulary, never_known) == "decarbonisation grant"
    # Words of one stem that start alike: always the same, shortest then first in order.
    assert correct_spelling("decarb", frozenset({"decarbonised", "decarbonises"}), never_known) == "decarbonised"
    # "maint" could start words of two stems: left as typed.
    assert correct_spelling("grounds maint", vocabulary | {"grounds"}, never_known) == "grounds maint"


def test_a_word_the_documents_use_in_another_form_is_left_alone():
    assert correct_spelling("signatorys", VOCABULARY, lambda word: word == "signatorys") == "signatorys"


def test_a_typo_near_two_document_words_is_left_alone():
    assert correct_spelling("countz", frozenset({"county", "countr"}), never_known) == "countz"
    assert correct_spelling("mxyzptlk", frozenset({"mxyzptlm", "mxyzptla"}), never_known) == "mxyzptlk"


def test_one_edit_covers_deletion_insertion_replacement_and_swap():
    near = one_edit_away("plan")
    assert {"pan", "plans", "plat", "paln"} <= near
    assert "plan" not in near and "plane" in near


def test_the_vocabulary_is_the_documents_words_as_written():
    texts = ["Appendix 1 – Implications › Legal: No legal implications.", "Councillors' Allowances"]
    assert vocabulary_of(texts) == {"appendix", "implications", "legal", "no", "councillors", "allowances"}


def test_a_contraction_typed_without_its_apostrophe_gets_it_back():
    assert restore_apostrophes("what if we dont sign? Wont it cost?") == "what if we don't sign? Won't it cost?"
    assert restore_apostrophes("the font and the count") == "the font and the count"
