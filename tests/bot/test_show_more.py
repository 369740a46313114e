""""Show more": the next passages after those already on screen, never the same ones again."""

from __future__ import annotations


def test_show_more_continues_the_ranking_where_the_answer_stopped(engine):
    question = "What does the anchor charter commit the council to?"
    first = engine.ask(question)
    more = engine.more(question, shown=len(first.quotes))
    assert first.answered and more.answered
    assert [quote.rank for quote in more.quotes] == list(range(len(first.quotes) + 1, len(first.quotes) + 1 + len(more.quotes)))
    assert more.quotes, "the report has more than three relevant paragraphs"
    assert not {q.passage.id for q in first.quotes} & {q.passage.id for q in more.quotes}


def test_show_more_is_empty_when_the_documents_hold_nothing_further(engine):
    question = "What are the HR implications?"
    everything = engine.more(question, shown=0, count=100)
    assert engine.more(question, shown=len(everything.quotes)).quotes == ()
