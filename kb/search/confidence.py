"""Whether the best answer answers: the confidence model of search.

A small logistic model reads six features of the best result (`features`): how much of
the question the guide covers, the share of the question no guide knows, the share of it
made of foreign words no guide knows, the length of the question, the strength of the
match, and how well the single passage that would be quoted answers the question. It is
fitted on the labelled question sets with balanced classes by bench/confidence.py.

The same question should get the same verdict from a help center of ten guides as from
one of fifty, so the features are shares of the question where they can be: a word's
weight is its IDF, and IDF grows with the number of guides (log(1 + N/df)), so a weight
read in absolute terms says "more confident" merely because the help center is larger.
The answering passage's score is therefore read as a share of the question's weight
(measured: for the same questions with the same best guide, the absolute score rose by
0.6 of its spread from 10 to 48 guides, the share by nothing).

Two of the features say what an unrelated question looks like and what an answer looks
like, beyond the guide as a whole:
- a word that no guide holds and that is not English either is the name of a product,
  a technology or a language the help center does not cover ("php", "dkim",
  "wordpress"), a stronger sign of an unrelated question than an English word no guide
  happens to use, which is as often the customer's own wording ("leaked", "gadget");
- a guide that covers the question's words in different places has not answered it;
  the passage extracted for the answer (`kb.search.answers`, a sentence, list item or
  list, with the kind of answer asked for) shows whether one place does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kb.search.text import is_english, is_stopword

# Bias first, then one weight per feature, in the order of `features`. Fitted by
# bench/confidence.py on the development, held-out and wide question sets and the tuning
# answer set; the bias then raised by bench/confidence.py's BIAS_RAISE, chosen on the
# development sets (docs/search-quality.md, "Seventh pass").
WEIGHTS = (-1.385, 1.114, -2.089, 0.241, 1.749, -0.986, 1.134)
# The best guide must cover some weight in absolute terms: one matching only a word
# present in most guides ("account") has not answered anything.
MIN_WEIGHT = 1.0
LONG_QUESTION = 12
# Below the threshold, but not far: the best guides are probably related and worth
# offering as a choice ("is it one of these?"), never quoted as the answer. In log-odds,
# where the threshold is 0: -0.8 is a probability of about 0.3. Chosen on the
# development sets (questions, held-out, wide, shifts, school; docs/search-quality.md,
# "Sixteenth pass"): 18 of their 39 in-scope questions declined land in it, 17 with their
# guide among the first three, and 18 of their 74 unrelated questions declined.
LIKELY = -0.8


@dataclass(frozen=True)
class Evidence:
    """What search knows of its best answer when deciding whether it answers."""

    coverage: float  # weighted share of the question the guide covers (ranking's)
    covered: float  # the same, as a weight
    total: float  # the question's whole weight
    unknown: float  # weight of the concepts no guide holds in any form
    foreign: float  # ... of those, the ones holding a word that is not English
    concepts: int
    score: float


def is_foreign(text: str) -> bool:
    """Whether a concept no guide holds names something outside English: a word that is
    neither English nor a number (numbers are incidental: "2 accounts") nor a small word
    of a phrase ("prove who i am")."""
    return any(not is_english(word) and not is_stopword(word) and not word[:1].isdigit()
               for word in text.split())


def features(evidence: Evidence, passage: float) -> list[float]:
    """The model's inputs; `passage` is the answering passage's score, a weight (the
    question's concepts it covers plus the bonus for the kind of answer, itself a share
    of the question's weight), read as a share of the question so that it means the same
    at any size of help center."""
    total = evidence.total or 1.0
    return [evidence.coverage, evidence.unknown / total,
            min(evidence.concepts, LONG_QUESTION) / LONG_QUESTION,
            math.log(evidence.score + 1e-6) / 5, evidence.foreign / total,
            passage / total]


def log_odds(weights: tuple[float, ...] | list[float], values: list[float]) -> float:
    return sum(w * v for w, v in zip(weights, [1.0, *values], strict=True))


def decide(weights: tuple[float, ...] | list[float], values: list[float]) -> bool:
    return log_odds(weights, values) >= 0


def confident(evidence: Evidence, passage: float | None = None,
              weights: tuple[float, ...] | list[float] = WEIGHTS) -> bool | None:
    """Whether the answer is confident; None when that depends on the passage and
    `passage` was not given (the passage costs an extraction: it is computed only when
    the other features do not decide alone, the passage weight being positive)."""
    if evidence.covered < MIN_WEIGHT:
        return False
    if passage is None:
        if decide(weights, features(evidence, 0.0)) and weights[-1] >= 0:
            return True
        return None
    return decide(weights, features(evidence, passage))


def likely(evidence: Evidence, passage: float,
           weights: tuple[float, ...] | list[float] = WEIGHTS) -> bool:
    """For a best answer that is not confident: whether it comes close (`LIKELY`), so
    that its guide is worth offering as a choice rather than nothing at all."""
    return evidence.covered >= MIN_WEIGHT and \
        log_odds(weights, features(evidence, passage)) >= LIKELY
