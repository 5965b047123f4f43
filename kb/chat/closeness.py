"""When a question sits between guides: the runners-up close enough to the best result
that the chat asks "Which of these is your question about?" instead of answering; and
when no guide answers with confidence but some come close, the ones worth offering.

One rule for the chat's answer and for the follow-up suggestions it checks, so that a
suggestion kept because it gets an answer never gets that question instead.
"""

from __future__ import annotations

from kb.search import questions
from kb.search.responses import Result, SearchResponse
from kb.search.text import words

# A runner-up within this share of the best score, covering nearly as much of the
# question, is as likely to be what the person meant.
CLOSE_SCORE = 0.75
CLOSE_COVERAGE = 0.9
# Offered when not sure: at most this many guides, each within this share of the best.
MAYBE_GUIDES = 3
MAYBE_SHARE = 0.6


def close_runners_up(response: SearchResponse) -> list[Result]:
    """The second and third results that are as likely as the first (none when the
    response has no results). A question asking for a value ("how much", "how long")
    that the first result's passage states and a runner-up's does not is answered: the
    runner-up only shares its words ("how much is the monthly pass" beside "Pause or
    cancel your monthly pass")."""
    if not response.results:
        return []
    top = response.results[0]
    close = [r for r in response.results[1:3]
             if r.score >= CLOSE_SCORE * top.score and r.coverage >= top.coverage * CLOSE_COVERAGE]
    if close:
        stated = questions.STATED_VALUE.get(questions.question_type(words(response.query)))
        if stated is not None and stated.search(top.passage):
            close = [r for r in close if stated.search(r.passage)]
    return close


def maybe_guides(response: SearchResponse) -> list[Result]:
    """The guides to offer as a choice when none answers with confidence but the best
    comes close (`likely`); none otherwise."""
    if response.confident or not response.likely or not response.results:
        return []
    best = response.results[0].score
    return [r for r in response.results[:MAYBE_GUIDES] if r.score >= MAYBE_SHARE * best]
