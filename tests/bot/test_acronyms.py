"""Acronyms officers type for names the documents spell out in full."""

from __future__ import annotations

from bot.acronyms import acronyms_of


def test_a_name_gives_its_acronym_with_and_without_joining_words():
    acronyms = acronyms_of(["The pledge is overseen by the University of Brantwick and its Joint Estates Board."])
    assert acronyms["uob"] == "University of Brantwick"
    assert acronyms["ub"] == "University of Brantwick"
    assert acronyms["jeb"] == "Joint Estates Board"


def test_an_acronym_two_names_share_stands_for_neither():
    acronyms = acronyms_of(["Derby City Council and Derbyshire County Council signed the charter."])
    assert "dcc" not in acronyms


def test_a_name_does_not_run_across_lines():
    acronyms = acronyms_of(["CABINET\nWendleford Borough Council"])
    assert "cwbc" not in acronyms and "wbc" in acronyms
