"""Answer extraction: the passage of a guide that answers the question, whole and short.

Every sentence, list item and list of the guide is scored by how much of the question it
covers (the same concepts, synonyms and weights as the ranking) plus a bonus when it
carries the kind of answer asked for (`kb.search.answer_scoring`); of equal scores, the
one matching the question's rarest word in the guide wins. The winner then grows to its
natural boundary (sentence-window retrieval): a sentence ending with ":" takes what
follows it, a list item takes its list and the sentence introducing it, steps are
numbered and cut after a few with "…and N more steps", a table row takes its table. The
guide's intro answers only "what is this guide about" (or a guide that has nothing
else).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from kb.search import questions
from kb.search.answer_scoring import (
    COMPARING_FACTOR,
    FACT_KINDS,
    SAME_TASK_FACTOR,
    comparing_sections,
    passes_over_comparisons,
    score,
    task_sections,
)
from kb.search.answer_units import Section, Unit, build_units, describes_guide, is_row, load
from kb.search.answer_window import grow
from kb.search.index import Concept

# Scores this close are a tie.
TIE = 0.01
# Prepositions that the search keeps as words but that carry no subject.
# ("onto", "upon", "beside", "toward(s)" are stopwords, never a concept.)
RELATIONS = frozenset({"over", "under", "through", "across", "below", "between", "within",
                       "during"})
RELATION_FACTOR = 0.2


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Answer:
    """The answering passage of one guide: plain text (lists on their own lines), the
    section it comes from, and the links inside it."""

    text: str
    section: str
    anchor: str
    level: int
    kind: str
    links: tuple[Link, ...] = ()
    score: float = 0.0
    also: tuple[str, ...] = ()
    """The anchors of other sections the text draws on (the steps that lead there)."""


@dataclass(frozen=True)
class Prepared:
    """A guide's sections and scoring units, built once per index build and guide, with
    an inverted index (stem -> units) so that a question scores only the units that
    contain one of its words, plus the few that score without any (ordered lists)."""

    sections: list[Section]
    units: list[Unit]
    postings: dict[str, list[int]]
    always: list[int]  # the first unit, the first unit of the body, every ordered list
    has_body: bool
    # The units stating a loss ("no account is displayed anymore"): they answer the
    # customer's own words of loss ("smashed", "vanished") without sharing them. Found
    # once per guide here, so that scoring a unit for a question need not search again.
    losses: frozenset[int] = frozenset()
    # The whole lists of prerequisites: they answer "why can't I" in their own words
    # (`questions.Kind.blocked`), so such a question scores them whatever its words.
    prerequisites: tuple[int, ...] = ()
    # The sections that compare things ("Alias and redirection compared"): a "how do I"
    # question passes them over (`answer_scoring.comparing_sections`).
    comparing: frozenset[int] = frozenset()


def prepare(stored: str) -> Prepared:
    """From the JSON text `kb.search.passages.dump` stores (decoded only when needed)."""
    sections = load(json.loads(stored) if stored else [])
    units = build_units(sections)
    postings: dict[str, list[int]] = {}
    for n, unit in enumerate(units):
        for stem in unit.stems | unit.context:
            postings.setdefault(stem, []).append(n)
    always = {0} if units else set()
    first_body = next((n for n, u in enumerate(units) if u.section > 0), None)
    if first_body is not None:
        always.add(first_body)
    always.update(n for n, u in enumerate(units)
                  if u.sentence == -2 and sections[u.section].blocks[u.block].ordered)
    losses = frozenset(n for n, u in enumerate(units) if questions.LOSS_CUE.search(u.carries))
    prerequisites = tuple(n for n, u in enumerate(units)
                          if u.sentence == -2 and sections[u.section].prerequisite)
    return Prepared(sections, units, postings, sorted(always),
                    any(u.section > 0 for u in units), losses, prerequisites,
                    comparing_sections(sections))


def extract(prepared: Prepared, concepts: list[tuple[Concept, float]],
            kind: str) -> Answer | None:
    """The best answer of a guide to a question of the given kind, or None if empty."""
    sections, units, has_body = prepared.sections, prepared.units, prepared.has_body
    if not units:
        return None
    flat, heaviest_first, total = _question(tuple(concepts), getattr(kind, "form", frozenset()))
    found = {n for _, _, stems in flat for stem in stems
             for n in prepared.postings.get(stem, ())}
    # The units stating a loss answer the customer's word for it ("vanished"), unless a
    # heading says that word: the section written for it answers ("My phone died during
    # the ride"), not a loss of something else ("the dock has lost power").
    losses = prepared.losses if getattr(kind, "loss", False) and not any(
        not stems.isdisjoint(section.title_stems) for concept, _, stems in flat
        # (A word alone: a phrase, "phone broke", also names what was lost.)
        if " " not in concept.text and questions.LOSS.search(concept.text)
        for section in sections) else frozenset()
    found.update(losses)
    if getattr(kind, "blocked", False) or getattr(kind, "needs", False):
        found.update(prepared.prerequisites)
    # Units outside these score 0 (or their list bonus alone), so they can be skipped.
    raw = {n: score(sections, units[n], heaviest_first if n in found else [], kind, total,
                    has_body, n in losses)
           for n in sorted(found.union(prepared.always))}
    # The section written for the task asked is where its answer is, a section that
    # compares is not: weighed in the choice, while the score confidence reads stays the
    # passage's own.
    for_task = task_sections(sections, heaviest_first, kind)
    comparing = prepared.comparing if passes_over_comparisons(kind) else frozenset()
    scored = [(value * _placed(sections, units[n], for_task, comparing), -n, units[n])
              for n, value in raw.items()]
    best = _rarest_of_ties(prepared, scored, heaviest_first, kind not in FACT_KINDS)
    if best[2].section == 0 and best[2].block == 0 and has_body and \
            describes_guide(best[2].text) and \
            kind not in (questions.ABOUT, questions.DEFINITION):
        # Only the guide's opening matched (a note, a warning or a fact that opens it
        # is an answer of its own): the question is about the guide's subject as a
        # whole, and its body (its main procedure, usually) answers better than the intro.
        body = [entry for entry in scored if entry[2].section > 0]
        best = max(body, key=lambda entry: (entry[0], entry[1]))
    if sections[best[2].section].prerequisite and _leads_to_page(sections, best[2]) and \
            kind in (questions.PROCEDURE, questions.GENERAL) and \
            not getattr(kind, "navigation", False):
        # Steps in the prerequisites lead to the page where the task is done: a question
        # about the task the guide was found for wants the task itself, in its body.
        body = [entry for entry in scored if entry[2].section > 0 and entry[0] > 0
                and not sections[entry[2].section].prerequisite]
        if body:
            best = max(body, key=lambda entry: (entry[0], entry[1]))
    unit = best[2]
    section = sections[unit.section]
    text, links, also = grow(sections, unit, kind, flat)
    return Answer(text=text, section=section.title, anchor=section.anchor,
                  level=section.level, kind=kind, also=also,
                  links=tuple(Link(t, u) for t, u in dict.fromkeys(links) if t in text),
                  score=raw[-best[1]])  # (an entry's second item is minus its unit's number)


def _placed(sections: list[Section], unit: Unit, for_task: frozenset[int],
            comparing: frozenset[int]) -> float:
    """How much where a unit stands weighs in the choice of passage: more in the section
    written for the task asked, less in one that compares, unless the unit is a step."""
    if unit.section in for_task:
        return SAME_TASK_FACTOR
    block = sections[unit.section].blocks[unit.block]
    if unit.section in comparing and not (block.kind == "li" and block.ordered):
        return COMPARING_FACTOR
    return 1.0


Flat = list[tuple[Concept, float, frozenset[str]]]


@lru_cache(maxsize=16)
def _question(concepts: tuple[tuple[Concept, float], ...],
              form: frozenset[str]) -> tuple[Flat, Flat, float]:
    """The question's concepts as scoring wants them, each with all the stems it can match
    through, in the question's order and heaviest first, and their total weight. Worked
    out once per question, not once per guide quoted (a search quotes a few guides in a
    row; answers are cached per question above this)."""
    # "dispute over a domain": "over" says how the words relate, not what the answer is
    # about ("rights over it" would match it). "long" in "how long" says what kind of
    # answer is wanted (the question's kind), not its subject.
    weighed = [(c, w * RELATION_FACTOR if c.text.lower() in RELATIONS else w)
               for c, w in _own_words_kept(list(concepts)) if c.text.lower() not in form]
    flat = [(c, w, frozenset(st for alt in c.alternatives for st in alt.stems))
            for c, w in weighed]
    return flat, sorted(flat, key=lambda entry: -entry[1]), sum(w for _, w in weighed) or 1.0


def _own_words_kept(concepts: list[tuple[Concept, float]]) -> list[tuple[Concept, float]]:
    """The concepts without the synonyms that are another concept's own word: in "how
    long can i renew an expired domain", "renew" (a weak way of saying "expired") is the
    question's own word for renewing, and must not be spent on "expired" first."""
    own = [frozenset(s for alt in c.alternatives if alt.weight >= 1.0 for s in alt.stems)
           for c, _ in concepts]
    kept: list[tuple[Concept, float]] = []
    for n, (concept, weight) in enumerate(concepts):
        others = frozenset().union(*(o for m, o in enumerate(own) if m != n)) - own[n]
        alternatives = tuple(alt for alt in concept.alternatives
                             if alt.weight >= 1.0 or others.isdisjoint(alt.stems))
        kept.append((concept if len(alternatives) == len(concept.alternatives)
                     else Concept(concept.text, alternatives), weight))
    return kept


def _rarest_of_ties(prepared: Prepared, scored: list[tuple[float, int, Unit]],
                    concepts: list[tuple[Concept, float, frozenset[str]]],
                    prose: bool = False) -> tuple[float, int, Unit]:
    """The best unit; of units that score the same, the one matching the words that are
    rarest in the guide ("dispute" says more in a guide where every sentence says
    "domain"), then, with `prose` (a question after no single value), a sentence rather
    than a table's row ("why is there a €10 hold": the paragraph that explains it, not
    the row of the payment methods that names it), then the earlier one (guides state
    the essential first)."""
    top = max(entry[0] for entry in scored)
    tied = [entry for entry in scored if entry[0] >= top * (1 - TIE)]
    if len(tied) == 1:
        return tied[0]
    units = prepared.units
    rarity: list[tuple[frozenset[str], float]] = []
    for _, _, stems in concepts:
        said = {n for stem in stems for n in prepared.postings.get(stem, ())
                if units[n].sentence != -2 and stem in units[n].stems}
        rarity.append((stems, 1.0 / len(said) if said else 0.0))
    sections = prepared.sections
    return max(tied, key=lambda entry: (
        sum(rare for stems, rare in rarity if not stems.isdisjoint(entry[2].stems)),
        prose and not is_row(sections[entry[2].section].blocks[entry[2].block]),
        entry[1]))


def _leads_to_page(sections: list[Section], unit: Unit) -> bool:
    """Whether a unit is steps (or the sentence announcing them), rather than a
    condition such as "Only the legal representatives … are allowed"."""
    blocks = sections[unit.section].blocks
    following = blocks[unit.block + 1] if unit.block + 1 < len(blocks) else None
    return blocks[unit.block].ordered or (
        unit.text.rstrip().endswith(":") and following is not None and following.ordered)
