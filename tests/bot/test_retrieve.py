"""The retriever's word checks that need no index: what names the thing asked, and a verb's forms."""

from __future__ import annotations

from bot.retrieve import Query, _forms_of_verb
from ingest.lexical import tokens


def test_a_doer_is_named_by_what_it_holds_but_not_by_any_shorter_word():
    query = Query("", (), (), {})
    assert query.named_in(tokens("contractor")[0], frozenset(tokens("the contract is re-let in April 2027")))
    assert not query.named_in(tokens("director")[0], frozenset(tokens("we will direct our spend locally")))


def test_a_verb_is_found_in_its_inflections_and_the_nouns_made_from_it():
    assert set(tokens("employs employees employed employment")) <= _forms_of_verb("employ")
    assert set(tokens("payment pays")) <= _forms_of_verb("pay")
    assert not _forms_of_verb("serve") & set(tokens("services"))
