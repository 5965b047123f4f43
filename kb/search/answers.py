"""Answer extraction: the passage of a guide that answers the question, whole and short.

Every sentence, list item and list of the guide is scored by how much of the question it
covers (the same concepts, synonyms and weights as the ranking) plus a bonus when it
carries the kind of answer asked for (a number for "how much", a role for "who can", a
time for "when", steps for "how do I"). The winner then grows to its natural boundary
(sentence-window retrieval): a sentence ending with ":" takes what follows it, a list
item takes its list and the sentence introducing it, steps are numbered and cut after a
few with "…and N more steps". The guide's intro answers only "what is this guide about"
(or a guide that has nothing else).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from kb.search import questions
from kb.search.answer_units import Section, Unit, build_units, credit, load, matched
from kb.search.answer_window import grow
from kb.search.index import Concept

# How much the kind of answer counts, as a share of the question's total weight.
TYPE_BONUS = 0.45
WEAK_TYPE_BONUS = 0.2
# A whole list is scored as one unit too; being bigger it covers more words by chance.
LIST_FACTOR = 0.8
PROCEDURE_LIST_BONUS = 0.3
GENERAL_LIST_BONUS = 0.15
TITLE_SHARE = 0.5
INTRO_FACTOR = 0.3
LATER_INTRO_FACTOR = 0.8
DEFINITION_INTRO_FACTOR = 0.8
PREREQUISITE_FACTOR = 0.85
FACT_KINDS = (questions.AMOUNT, questions.TIME, questions.PERSON)
ASIDE_FACTOR = 0.8
# Scores this close are a tie.
TIE = 0.01
# Prepositions that the search keeps as words but that carry no subject.
RELATIONS = frozenset({"over", "under", "onto", "through", "across", "below", "between",
                       "within", "upon", "during", "beside", "towards", "toward"})
RELATION_FACTOR = 0.2
# A passage for the other side of a change (planning it / after it happened).
SITUATION_FACTOR = 0.5
# A stated value (a number, a percentage, a day count, a condition announced as such)
# over a mere word of the kind.
VALUE_BONUS = 0.15
VALUE = {questions.AMOUNT: re.compile(r"\d"),
         questions.TIME: re.compile(r"\bD-\d+|\b\d+\s*(days?|weeks?|months?|hours?|minutes?|"
                                    r"years?)\b|\b\d{1,2}:\d{2}\b|"
                                    # A condition stated as such.
                                    r"\bin the following cases?\b|\bonly (if|when)\b",
                                    re.I)}
# A passage for the case where something is still there, working or at hand.
STILL = re.compile(r"\b(is|are) still (present|there|displayed|listed|available|installed|"
                   r"working|active)\b|\bstill (have|has|own|works?)\b", re.I)


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

    @property
    def one_line(self) -> str:
        """The text on one line, for a search result."""
        return " ".join(line.strip() for line in self.text.splitlines() if line.strip())


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
    return Prepared(sections, units, postings, sorted(always),
                    any(u.section > 0 for u in units))


def extract(prepared: Prepared, concepts: list[tuple[Concept, float]],
            kind: str) -> Answer | None:
    """The best answer of a guide to a question of the given kind, or None if empty."""
    sections, units, has_body = prepared.sections, prepared.units, prepared.has_body
    if not units:
        return None
    # "dispute over a domain": "over" says how the words relate, not what the answer is
    # about ("rights over it" would match it).
    concepts = [(c, w * RELATION_FACTOR if c.text.lower() in RELATIONS else w)
                for c, w in concepts]
    total = sum(w for _, w in concepts) or 1.0
    # Each concept with all the stems it can match through.
    flat = [(c, w, frozenset(st for alt in c.alternatives for st in alt.stems))
            for c, w in concepts]
    heaviest_first = sorted(flat, key=lambda entry: -entry[1])
    found = {n for _, _, stems in flat for stem in stems
             for n in prepared.postings.get(stem, ())}
    # Units outside these score 0 (or their list bonus alone), so they can be skipped.
    scored = [(_score(sections, units[n], heaviest_first if n in found else [], kind, total,
                      has_body), -n, units[n])
              for n in sorted(found.union(prepared.always))]
    best = _rarest_of_ties(prepared, scored, heaviest_first)
    if best[2].section == 0 and best[2].block == 0 and has_body and \
            kind not in (questions.ABOUT, questions.DEFINITION):
        # Only the guide's opening matched: the question is about the guide's subject as a
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
    text, links = grow(sections, unit, kind, flat)
    return Answer(text=text, section=section.title, anchor=section.anchor,
                  level=section.level, kind=kind,
                  links=tuple(Link(t, u) for t, u in dict.fromkeys(links) if t in text),
                  score=best[0])


def _rarest_of_ties(prepared: Prepared, scored: list[tuple[float, int, Unit]],
                    concepts: list[tuple[Concept, float, frozenset[str]]]
                    ) -> tuple[float, int, Unit]:
    """The best unit; of units that score the same, the one matching the words that are
    rarest in the guide ("dispute" says more in a guide where every sentence says
    "domain"), then the earlier one (guides state the essential first)."""
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
    return max(tied, key=lambda entry: (
        sum(rare for stems, rare in rarity if not stems.isdisjoint(entry[2].stems)),
        entry[1]))


def _leads_to_page(sections: list[Section], unit: Unit) -> bool:
    """Whether a unit is steps (or the sentence announcing them), rather than a
    condition such as "Only the legal representatives … are allowed"."""
    blocks = sections[unit.section].blocks
    following = blocks[unit.block + 1] if unit.block + 1 < len(blocks) else None
    return blocks[unit.block].ordered or (
        unit.text.rstrip().endswith(":") and following is not None and following.ordered)


def _score(sections: list[Section], unit: Unit,
           concepts: list[tuple[Concept, float, frozenset[str]]],
           kind: str, total: float, has_body: bool) -> float:
    section = sections[unit.section]
    own = context = 0.0
    # A word of the passage answers one word of the question: "preferential price" is a
    # way of saying "cheaper", but then its "price" does not also answer "how much".
    # The heaviest concepts choose first (`extract` passes them in that order).
    used: set[str] = set()
    for concept, weight, stems in concepts:
        got, spent = (0.0, ()) if stems.isdisjoint(unit.stems) else \
            matched(concept, unit.stems, unit.parts, used)
        if got:
            own += weight * got
            used.update(spent)
        elif not stems.isdisjoint(unit.context):
            context += weight * credit(concept, unit.context)
    score = own + TITLE_SHARE * context
    if unit.sentence == -2:
        score *= LIST_FACTOR
        if kind in (questions.PROCEDURE, questions.GENERAL) and \
                section.blocks[unit.block].ordered and \
                (not section.prerequisite or getattr(kind, "navigation", False)):
            # Steps in the prerequisites lead to the page where the task is done: they
            # answer "where is" and "how do I get to", not the task itself.
            # Steps answer "how do I"; a statement of a problem ("the app shows no
            # account") is answered by the sentence that describes that case as much.
            score += total * (PROCEDURE_LIST_BONUS if kind == questions.PROCEDURE
                              else GENERAL_LIST_BONUS)
    listed = unit.sentence != -2 or kind in (questions.AMOUNT, questions.TIME,
                                             questions.PERSON)
    # Prerequisites say who may do what the guide describes: they answer "who can" even
    # when the question names the task in words the guide does not use.
    who = kind == questions.PERSON and section.prerequisite
    if (own or context or who) and listed:
        # Full bonus when the unit itself matches the question and carries the kind,
        # half through its heading or what completes it (facts only: negations and
        # definitions are too common there). Negations and conditions are everywhere: a
        # weaker sign of a consequence.
        weight = WEAK_TYPE_BONUS if kind == questions.CONSEQUENCE else TYPE_BONUS
        if questions.carries(kind, unit.carries):
            # A whole list carries the kind somewhere in it, not necessarily where it
            # matches: half the bonus.
            whole = 0.5 if unit.sentence == -2 else 1.0
            score += weight * total * (1.0 if own or who else 0.5) * whole
            value = VALUE.get(kind)
            if value is not None and own and value.search(unit.carries):
                # "D-14", "20%", "2 months" answer "how long" and "how much" more
                # exactly than "before the deadline" or "the amount".
                score += VALUE_BONUS * total * whole
            if who and not own:
                # The task is the guide's, which the question was routed to.
                score += TITLE_SHARE * total
        elif kind in FACT_KINDS and (own or context) and \
                questions.carries(kind, unit.completed_by):
            score += weight * total * 0.5
        if getattr(kind, "control", False) and (own or context) and \
                questions.CONTROL_CUE.search(unit.carries):
            score += TYPE_BONUS * total * (1.0 if own else 0.5)
        counted = getattr(kind, "unit", "")
        if counted and own and questions.counts_in(counted, unit.carries):
            score += TYPE_BONUS * total
        if getattr(kind, "loss", False) and (own or context) and \
                questions.LOSS_CUE.search(unit.carries):
            score += TYPE_BONUS * total * (1.0 if own else 0.5)
    if getattr(kind, "loss", False) and STILL.search(unit.premise):
        # Written for the case where the thing is still there ("if your account is still
        # present"): not for someone who has lost it.
        score *= SITUATION_FACTOR
    situation = getattr(kind, "situation", "")
    if situation and section.situation and situation != section.situation:
        score *= SITUATION_FACTOR
    score *= unit.standing
    if unit.aside and kind in (questions.PROCEDURE, questions.GENERAL):
        # A note or a warning is an aside to the steps, not the way to do it.
        score *= ASIDE_FACTOR
    if section.introductory and kind != questions.ABOUT:
        score *= LATER_INTRO_FACTOR
    if section.prerequisite and kind != questions.PERSON and \
            not getattr(kind, "navigation", False):
        # Prerequisites answer "who can" and "what do I need"; other questions want the
        # task itself.
        score *= PREREQUISITE_FACTOR
    if unit.section == 0 and has_body:
        # The guide's opening says what the guide is about; later intro paragraphs may
        # state facts ("tags are visible to all users").
        if kind == questions.ABOUT:
            score *= 2.0
        elif kind == questions.DEFINITION:
            score *= DEFINITION_INTRO_FACTOR
        else:
            score *= INTRO_FACTOR if unit.block == 0 else LATER_INTRO_FACTOR
    return score
