"""Re-ranking Whoosh's candidates by how much of the question each one covers.

Step 5 of the search pipeline (`kb.search.service`). BM25F finds the candidates; each is
then scored by the weighted share of the question's concepts it holds (in the customer's
words or in other words), in the guide as a whole, in its best single section and in its
title, so a guide that answers every part beats one that repeats a single word.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kb.search import index
from kb.search.analysis import Analysis
from kb.search.answers import Answer
from kb.search.index_reader import IndexReader, RawHit
from kb.search.snippets import StoredPassage

COVERAGE_POWER = 1.5
PASSAGE_SHARE = 0.5
RERANK_DEPTH = 10
# A guide that says it in other words still covers that part of the question: the
# synonym table's weights (0.8 for an equivalent, 0.5 for a related word) say how sure a
# match is, which BM25 uses as they are; the ordering softens them to weight **
# CREDIT_POWER (0.85 and 0.59), since customers rarely use the article's own word. The
# confidence model still reads coverage and score as it was fitted on them
# (docs/search-quality.md, "Sixth pass: ranking").
CREDIT_POWER = 0.75
# A guide whose title says what the question asks is the one the help center meant for
# it: the score grows by up to this share with the weighted share of the question's
# concepts its title holds (beyond BM25's title field, which rewards any title word).
TITLE_BONUS = 0.4
FAQ_SHARE = 0.5
# Guides read back from the index and made ready to re-rank (decompressed, unpickled, their
# stems as sets), kept per build: the same few dozen guides come back for most questions,
# and reading one costs more than ranking it. Bounded for help centers of thousands.
GUIDE_CACHE = 512
COMMON_WORDS = 0.5
"""A word held by this share of the guides or more ("click", "account") does not make a
guide one of the closest matches on its own (`Ranker.without_common_only`). Measured on
the labelled sets at 0.3, the rule also dropped the answering guide of two questions in
the ten-guide help center, where three guides make 0.3; at 0.5 it drops none."""


@dataclass(frozen=True)
class StoredGuide:
    """A guide as the index keeps it, ready to re-rank: shared by every query of a build,
    so never changed."""

    data: dict[str, Any]
    stems: frozenset[str]  # of the whole guide
    title_stems: frozenset[str]
    passages: list[StoredPassage]
    # The words of its headings that are questions (an FAQ's): the titles of their answers.
    asked: tuple[frozenset[str], ...] = ()


@dataclass
class Candidate:
    """A guide Whoosh found, with what the re-ranking learns about it."""

    hit: RawHit
    data: dict[str, Any]
    passages: list[StoredPassage]
    covered: float = 0.0
    coverage: float = 0.0
    score: float = 0.0
    order: float = 0.0  # the ranking key (`Ranker.rank`)
    answer: Answer | None = None  # the answering passage (`Searcher._answer`)
    extracted: bool = False  # whether `answer` was looked for (None: no passage answers)
    judged: float | None = None  # the passage score confidence reads (`Searcher._judged_passage`)


class Ranker:
    """Ranks the guides of one index build for analysed questions."""

    def __init__(self, reader: IndexReader):
        self.reader = reader
        self.guide = lru_cache(maxsize=GUIDE_CACHE)(self._read_guide)

    def _read_guide(self, docnum: int) -> StoredGuide:
        data = self.reader.stored(docnum)
        passages = [StoredPassage(a, t, lv, text, frozenset(s.split()), frozenset(ts.split()))
                    for a, t, lv, text, s, ts in data["passages"]]
        return StoredGuide(
            data, frozenset(data["stems"].split()), frozenset(index.stems(data["title"])),
            passages, tuple(p.title_stems for p in passages if p.title.rstrip().endswith("?")))

    def rank(self, analysis: Analysis, candidates: int,
              category: str | None) -> list[Candidate]:
        """Whoosh's candidates, re-ranked by how much of the question they cover."""
        total_weight = sum(analysis.weights)
        ways = ways_of(analysis)
        ranked: list[Candidate] = []
        for n, hit in enumerate(self.reader.search(analysis.concepts, candidates, category)):
            guide = self.guide(hit.docnum)
            candidate = Candidate(hit, guide.data, guide.passages)
            covered, share = covered_by(ways, guide.stems)
            candidate.covered = covered
            candidate.coverage, share = covered / total_weight, share / total_weight
            title_bonus = fitted_bonus = 1.0
            if n < RERANK_DEPTH:
                # A guide whose single section answers the whole question beats one that
                # mentions each word somewhere.
                best = [covered_by(ways, p.stems | p.title_stems) for p in guide.passages]
                best_covered = max((b[0] for b in best), default=0.0) / total_weight
                best_share = max((b[1] for b in best), default=0.0) / total_weight
                candidate.coverage = ((1 - PASSAGE_SHARE) * candidate.coverage
                                      + PASSAGE_SHARE * best_covered)
                share = (1 - PASSAGE_SHARE) * share + PASSAGE_SHARE * best_share
                titled = covered_by(ways, guide.title_stems)
                # An FAQ's questions are the titles of its answers: a heading that is a
                # question and holds the customer's counts as a title, for half.
                asked = max((covered_by(ways, heading) for heading in guide.asked),
                            default=(0.0, 0.0))
                titled = (max(titled[0], FAQ_SHARE * asked[0]),
                          max(titled[1], FAQ_SHARE * asked[1]))
                fitted_bonus = 1 + TITLE_BONUS * titled[0] / total_weight
                title_bonus = 1 + TITLE_BONUS * titled[1] / total_weight
            candidate.score = hit.score * candidate.coverage ** COVERAGE_POWER * fitted_bonus
            candidate.order = hit.score * share ** COVERAGE_POWER * title_bonus
            ranked.append(candidate)
        ranked.sort(key=lambda c: (-c.order, c.hit.slug))
        if ranked and ranked[0].order > 0:
            # Ordered by what they cover in any words; scored on the scale the confidence
            # model was fitted on: the best keeps its own score (customer's words and
            # synonyms credited as the model saw them), the others in proportion.
            scale = ranked[0].score / ranked[0].order
            for candidate in ranked:
                candidate.score = candidate.order * scale
        return ranked

    def without_common_only(self, analysis: Analysis,
                            ranked: list[Candidate]) -> list[Candidate]:
        """The candidates but those that share with the question only words most guides
        hold ("click", "account", "log in"), when the question has a word that fewer
        guides hold: such a guide mentions the question's words without being about it.
        For the list of closest matches under an answer search is not confident in."""
        count = max(self.reader.doc_count, 1)
        shares = [[(frozenset(alt.stems), self.reader.alternative_frequency(alt) / count)
                   for alt in concept.alternatives] for concept in analysis.concepts]
        if not any(0 < share < COMMON_WORDS for ways in shares for _, share in ways):
            return ranked
        kept = []
        for candidate in ranked:
            stems = self.guide(candidate.hit.docnum).stems
            held = [share for ways in shares for way, share in ways if way <= stems]
            if not held or min(held) < COMMON_WORDS:
                kept.append(candidate)
        return kept


# The ways of matching each concept of a question, with the concept's weight: each way
# is (its stems, its credit as the confidence model was fitted on it, its credit for
# ordering); computed once per question, checked against every candidate.
Ways = list[tuple[tuple[tuple[frozenset[str], float, float], ...], float]]


def ways_of(analysis: Analysis) -> Ways:
    """How a guide can cover each concept: fully with the customer's own word, a little
    less through a synonym, and partly through a related word (`CREDIT_POWER`)."""
    return [(tuple((frozenset(alt.stems), alt.weight, alt.weight ** CREDIT_POWER)
                   for alt in concept.alternatives), weight)
            for concept, weight in zip(analysis.concepts, analysis.weights, strict=True)]


def covered_by(ways: Ways, matched: frozenset[str]) -> tuple[float, float]:
    """The weight of the question a set of stems covers (each concept by its best way),
    as the confidence model reads it and as the ordering does."""
    fitted = ordering = 0.0
    for alternatives, weight in ways:
        found = [(credit, soft) for stems, credit, soft in alternatives if stems <= matched]
        if found:
            fitted += weight * max(credit for credit, _ in found)
            ordering += weight * max(soft for _, soft in found)
    return fitted, ordering
