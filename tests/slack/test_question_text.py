"""What the engine is asked: Slack's markup turned back into the plain question the officer typed."""

from __future__ import annotations

import pytest

from bot.slack_app import plain_question

CASES = [
    ("<@U0POLICYBOT> what are the financial implications?", "what are the financial implications?"),
    ("<@U0POLICYBOT|policybot>   and legal?", "and legal?"),
    ("<!channel> <!here> <!everyone> budget", "budget"),
    ("<!subteam^S0TEAM|@policy-team> <@U0CHIEF> budget", "budget"),
    ("see <http://example.gov.uk/p|the policy> and <https://example.gov.uk/q>", "see the policy and https://example.gov.uk/q"),
    ("posted in <#C0POLICY|policy> on <!date^1392734382^{date}|Feb 18>", "posted in #policy on Feb 18"),
    ("A &amp; B &lt;3 &gt; C", "A & B <3 > C"),
    ("&lt;!channel&gt; typed by hand", "<!channel> typed by hand"),
    ("tabs\tand\nnew\r\nlines\x00 and\x1b controls", "tabs and new lines and controls"),
    ("right\u202eto\u2066left", "right to left"),
    ("<@U0POLICYBOT>", ""),
]


@pytest.mark.parametrize(("slack_text", "question"), CASES)
def test_slack_markup_becomes_the_plain_question(slack_text, question):
    assert plain_question(slack_text) == question
