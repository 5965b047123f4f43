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

import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from kb.search import index, questions
from kb.search.index import Concept

MAX_STEPS = 5
MAX_ITEMS = 6
MAX_CHARS = 900
# A step's sub-items may take the answer this far, so that a ":" keeps what follows.
HARD_MAX_CHARS = 1200
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
SHORT_SENTENCE = 90
FACT_KINDS = (questions.AMOUNT, questions.TIME, questions.PERSON)
# A neighbouring sentence joins the answer when it holds this share of the question that
# the answer lacks.
NEIGHBOUR_SHARE = 0.2
CONTINUATION = ("in this case", "in that case", "otherwise", "if so", "if not", "then ")
# A sentence that opens with a connective or a pronoun leans on the one before it
# ("Therefore, …", "It is …", "Similarly, …"); one that says "therefore" early draws a
# conclusion from it. It is shown with that sentence, or left out when there is none.
DEPENDENT = re.compile(r"^(?!it('s| is| was) \w+ (to|that)\b|this (guide|article|page)\b)"
                       r"(this|it|its|they|their|these|that|those|so|thus|hence|"
                       r"therefore|however|also|but|and|similarly|likewise|moreover|"
                       r"furthermore|besides|in addition|for (example|instance)|e\.g\.|"
                       r"in (this|that|such a|which) case|otherwise|then|if so|if not)\b|"
                       r"^(\S+ ){1,7}(therefore|thus|hence|consequently)\b", re.I)
EXAMPLE = re.compile(r"^(for (example|instance)|e\.g\.)", re.I)
# An example illustrates the statement before it, which is the answer.
EXAMPLE_FACTOR = 0.85
# A dependent sentence with nothing to lean on (the first after a list): left aside.
ORPHAN_FACTOR = 0.5
# A passage for the other side of a change (planning it / after it happened).
SITUATION_FACTOR = 0.5
# Sections that frame the guide ("Introduction") count like its opening.
INTRODUCTORY = re.compile(r"^(introduction|overview|about|background|summary|context)\b",
                          re.I)


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


@dataclass
class _Block:
    kind: str
    list_id: int
    ordered: bool
    depth: int
    sentences: list[tuple[str, frozenset[str]]]
    links: list[tuple[str, str]]

    @property
    def text(self) -> str:
        return " ".join(s for s, _ in self.sentences)

    @property
    def stems(self) -> frozenset[str]:
        return frozenset().union(*(s for _, s in self.sentences))


@dataclass
class _Section:
    anchor: str
    title: str
    level: int
    title_stems: frozenset[str]
    blocks: list[_Block] = field(default_factory=list)

    @cached_property
    def introductory(self) -> bool:
        return bool(INTRODUCTORY.match(self.title))

    @cached_property
    def situation(self) -> str:
        return questions.section_situation(self.title)

    @cached_property
    def prerequisite(self) -> bool:
        """Whether the section lists what is needed first (answers "who can")."""
        title = self.title.lower()
        return any(word in title for word in ("prerequisite", "requirement",
                                              "before you begin", "before you start"))


@dataclass(frozen=True)
class _Unit:
    section: int
    block: int
    sentence: int  # -1: the whole block; -2: the whole list the block belongs to
    text: str
    stems: frozenset[str]
    context: frozenset[str]  # the words around it: its heading, the sentence before a list
    carries: str = ""  # text that may carry the kind of answer asked for
    # What completes it: the heading it continues, what its ":" announces.
    completed_by: str = ""


def load(stored: Sequence[Any]) -> list[_Section]:
    """Sections from their stored form (`kb.search.passages.dump`), stemmed."""
    return [_Section(anchor, title, level, _stems(title),
                     [_Block(kind, list_id, ordered, depth,
                             [(text, _stems(text)) for text in sentences],
                             [(t, u) for t, u in links])
                      for kind, list_id, ordered, depth, sentences, links in blocks])
            for anchor, title, level, blocks in stored]


def _stems(text: str) -> frozenset[str]:
    return frozenset(index.stems(text))


def _units(sections: list[_Section]) -> list[_Unit]:
    units: list[_Unit] = []
    for s, section in enumerate(sections):
        heading = _heading_stems(sections, s)
        # A heading that continues its parent's ("… as a collaborator") completes every
        # sentence under it: it says who, or in which case.
        tail = section.title if section.title.startswith(("...", "…")) else ""
        seen_lists: set[int] = set()
        for b, block in enumerate(section.blocks):
            if block.kind != "li":
                for n, (text, stems) in enumerate(block.sentences):
                    context, completed_by = heading, tail
                    if s > 0 and b == 0 and n == 0 and DEPENDENT.match(text):
                        # "This is an amount …" under "Cashback": the heading is its
                        # subject, and is shown with it.
                        stems = stems | section.title_stems
                    if n == len(block.sentences) - 1 and text.rstrip().endswith(":"):
                        # A sentence ending with ":" is read with what it announces.
                        more, more_stems = _announced(sections, s, b)
                        context, completed_by = heading | more_stems, f"{tail} {more}"
                    units.append(_Unit(s, b, n, text, stems, context, text, completed_by))
                continue
            members = _list_members(section, b)
            intro = _intro_of(section, members[0])
            intro_stems = section.blocks[intro].sentences[-1][1] if intro is not None \
                else frozenset()
            context = heading | intro_stems
            units.append(_Unit(s, b, -1, block.text, block.stems, context, block.text,
                               tail))
            if block.list_id not in seen_lists and block.depth == 0:
                seen_lists.add(block.list_id)
                stems = frozenset().union(*(section.blocks[i].stems for i in members))
                stems |= intro_stems
                if members[0] == 0 or intro == 0:
                    # The list is the section: its heading says what it does.
                    stems |= heading
                texts = " ".join(section.blocks[i].text for i in members)
                units.append(_Unit(s, b, -2, block.text, stems, heading, texts, tail))
    return units


def _heading_stems(sections: list[_Section], s: int) -> frozenset[str]:
    """The words of a section's heading, with its parent's when it continues it."""
    section = sections[s]
    if not section.title.startswith(("...", "…")):
        return section.title_stems
    parent = next((p for p in reversed(sections[:s]) if p.level < section.level), None)
    return section.title_stems | (parent.title_stems if parent else frozenset())


def _announced(sections: list[_Section], s: int, b: int) -> tuple[str, frozenset[str]]:
    """The text and words of what a sentence ending with ":" announces (for scoring)."""
    section = sections[s]
    blocks: list[_Block] = []
    if b + 1 < len(section.blocks):
        following = section.blocks[b + 1]
        blocks = [section.blocks[m] for m in _list_members(section, b + 1)] \
            if following.kind == "li" else [following]
    else:
        for sub in sections[s + 1:]:
            if sub.level <= section.level:
                break
            blocks += sub.blocks
    text = " ".join(blk.text for blk in blocks[:MAX_ITEMS * 2])
    return text, frozenset().union(*(blk.stems for blk in blocks[:MAX_ITEMS * 2]))


def _completion(section: _Section, members: list[int]) -> int | None:
    """The paragraph after a short list that completes it ("On this page, enable …")."""
    after = members[-1] + 1
    if len(members) <= MAX_STEPS and after < len(section.blocks) and \
            section.blocks[after].kind == "p":
        return after
    return None


def _list_members(section: _Section, b: int) -> list[int]:
    """Indexes of the items of the list holding block b, nested items included."""
    list_id = section.blocks[b].list_id
    first = b
    while first > 0 and _in_list(section, first - 1, list_id):
        first -= 1
    last = b
    while last + 1 < len(section.blocks) and _in_list(section, last + 1, list_id):
        last += 1
    return list(range(first, last + 1))


def _in_list(section: _Section, i: int, list_id: int) -> bool:
    block = section.blocks[i]
    return block.kind == "li" and (block.list_id == list_id or block.depth > 0)


def _intro_of(section: _Section, first_item: int) -> int | None:
    """The paragraph introducing a list (its last sentence ends with ":"), if any."""
    if first_item > 0:
        before = section.blocks[first_item - 1]
        if before.kind == "p" and before.sentences[-1][0].rstrip().endswith(":"):
            return first_item - 1
    return None


def _credit(concept: Concept, stems: frozenset[str]) -> float:
    best = 0.0
    for alt in concept.alternatives:
        if alt.weight > best and all(s in stems for s in alt.stems):
            best = alt.weight
    return best


@dataclass(frozen=True)
class Prepared:
    """A guide's sections and scoring units, built once per index build and guide, with
    an inverted index (stem -> units) so that a question scores only the units that
    contain one of its words, plus the few that score without any (ordered lists)."""

    sections: list[_Section]
    units: list[_Unit]
    postings: dict[str, list[int]]
    always: list[int]  # the first unit, the first unit of the body, every ordered list
    has_body: bool


def prepare(stored: str) -> Prepared:
    """From the JSON text `kb.search.passages.dump` stores (decoded only when needed)."""
    sections = load(json.loads(stored) if stored else [])
    units = _units(sections)
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
    total = sum(w for _, w in concepts) or 1.0
    # Each concept with all the stems it can match through.
    flat = [(c, w, frozenset(st for alt in c.alternatives for st in alt.stems))
            for c, w in concepts]
    matched = {n for _, _, stems in flat for stem in stems
               for n in prepared.postings.get(stem, ())}
    # Units outside these score 0 (or their list bonus alone), so they can be skipped.
    scored = [(_score(sections, units[n], flat if n in matched else [], kind, total,
                      has_body), -n, units[n])
              for n in sorted(matched.union(prepared.always))]
    # Ties go to the earlier unit: guides state the essential first.
    best = max(scored, key=lambda entry: (entry[0], entry[1]))
    if best[2].section == 0 and best[2].block == 0 and has_body and \
            kind not in (questions.ABOUT, questions.DEFINITION):
        # Only the guide's opening matched: the question is about the guide's subject as a
        # whole, and its body (its main procedure, usually) answers better than the intro.
        body = [entry for entry in scored if entry[2].section > 0]
        best = max(body, key=lambda entry: (entry[0], entry[1]))
    return _grow(sections, best[2], kind, best[0], flat)


def _score(sections: list[_Section], unit: _Unit,
           concepts: list[tuple[Concept, float, frozenset[str]]],
           kind: str, total: float, has_body: bool) -> float:
    section = sections[unit.section]
    own = context = 0.0
    for concept, weight, stems in concepts:
        credit = 0.0 if stems.isdisjoint(unit.stems) else _credit(concept, unit.stems)
        if credit:
            own += weight * credit
        elif not stems.isdisjoint(unit.context):
            context += weight * _credit(concept, unit.context)
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
            score += weight * total * (1.0 if own or who else 0.5)
            if who and not own:
                # The task is the guide's, which the question was routed to.
                score += TITLE_SHARE * total
        elif kind in FACT_KINDS and (own or context) and \
                questions.carries(kind, unit.completed_by):
            score += weight * total * 0.5
        if getattr(kind, "control", False) and (own or context) and \
                questions.CONTROL_CUE.search(unit.carries):
            score += TYPE_BONUS * total * (1.0 if own else 0.5)
        if getattr(kind, "loss", False) and (own or context) and \
                questions.LOSS_CUE.search(unit.carries):
            score += TYPE_BONUS * total * (1.0 if own else 0.5)
    situation = getattr(kind, "situation", "")
    if situation and section.situation and situation != section.situation:
        score *= SITUATION_FACTOR
    if unit.sentence >= 0:
        block = section.blocks[unit.block]
        if EXAMPLE.match(unit.text):
            score *= EXAMPLE_FACTOR
        elif DEPENDENT.match(unit.text) and unit.sentence == 0 and unit.block > 0 and \
                block.kind == "p" and section.blocks[unit.block - 1].kind == "li" and \
                len(_list_members(section, unit.block - 1)) > MAX_STEPS:
            # It concludes from a list too long to show with it.
            score *= ORPHAN_FACTOR
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


def _grow(sections: list[_Section], unit: _Unit, kind: str, score: float,
          concepts: list[tuple[Concept, float, frozenset[str]]]) -> Answer:
    """The unit with what it needs to read whole: its list, its intro, what a colon
    announces, the sentence a pronoun refers to or that continues it."""
    section = sections[unit.section]
    lines: list[str] = []
    links: list[tuple[str, str]] = []
    block = section.blocks[unit.block]
    if block.kind == "li":
        members = _list_members(section, unit.block)
        intro = _intro_of(section, members[0])
        if intro is not None:
            lines.append(section.blocks[intro].sentences[-1][0])
            links += section.blocks[intro].links
        elif members[0] == 0:
            lines += _parent_intro(sections, unit.section)
        whole = (unit.sentence == -2 or block.ordered or len(members) <= MAX_ITEMS
                 or kind == questions.PROCEDURE)
        shown = members if whole else [m for m in members
                                       if abs(m - unit.block) <= 1]
        # The step that holds most of the question, so that a long list shows it.
        focus = max(shown, key=lambda m: (sum(w * _credit(c, section.blocks[m].stems)
                                              for c, w, _ in concepts), -m))
        lines += _list_lines(section, shown, links, focus)
        after = members[-1] + 1
        if whole and len(members) <= MAX_STEPS and after < len(section.blocks) and \
                section.blocks[after].kind == "p":
            # The sentence after a list often completes it ("On this page, enable ...").
            following = section.blocks[after]
            lines.append(following.sentences[0][0])
            links += following.links
            if following.sentences[0][0].rstrip().endswith(":"):
                lines += _what_follows(sections, unit.section, after, links)
    else:
        window = _window(section, unit.block, unit.sentence, concepts)
        first_b, first_n = window[0]
        if first_n == 0 and first_b > 0 and section.blocks[first_b - 1].kind == "li" and \
                DEPENDENT.match(section.blocks[first_b].sentences[0][0]):
            # "… is therefore applied" after a short list concludes from it: the list first.
            members = _list_members(section, first_b - 1)
            intro = _intro_of(section, members[0])
            if intro is not None:
                lines.append(section.blocks[intro].sentences[-1][0])
                links += section.blocks[intro].links
            lines += _list_lines(section, members, links)
        elif first_n == 0 and first_b == 0 and unit.section > 0 and \
                DEPENDENT.match(section.blocks[0].sentences[0][0]):
            # "This is an amount equal to …" opening a section means its heading.
            lines.append(f"{section.title}: ")
        for b, group in itertools.groupby(window, key=lambda pair: pair[0]):
            text = " ".join(section.blocks[b].sentences[n][0] for _, n in group)
            if lines and lines[-1].endswith(": "):
                lines[-1] += text
            else:
                lines.append(text)
            links += section.blocks[b].links
        last_b, last_n = window[-1]
        last = section.blocks[last_b].sentences[last_n][0]
        if last.rstrip().endswith(":"):
            lines += _what_follows(sections, unit.section, last_b, links)
    text = _cut("\n".join(lines))
    return Answer(text=text, section=section.title, anchor=section.anchor,
                  level=section.level, kind=kind,
                  links=tuple(Link(t, u) for t, u in dict.fromkeys(links) if t in text),
                  score=score)


def _window(section: _Section, b: int, n: int,
            concepts: list[tuple[Concept, float, frozenset[str]]]) -> list[tuple[int, int]]:
    """The sentences shown around sentence n of paragraph b, as (block, sentence) pairs:
    the ones it leans on ("This…", "Therefore…"), the one that continues it ("In this
    case…") or that it is too short without, and a neighbour that holds a part of the
    question it misses (sentence-window retrieval)."""
    def sentence(pair: tuple[int, int]) -> tuple[str, frozenset[str]]:
        return section.blocks[pair[0]].sentences[pair[1]]

    def before(pair: tuple[int, int]) -> tuple[int, int] | None:
        if pair[1] > 0:
            return pair[0], pair[1] - 1
        if pair[0] > 0 and section.blocks[pair[0] - 1].kind == "p":
            return pair[0] - 1, len(section.blocks[pair[0] - 1].sentences) - 1
        return None

    def after(pair: tuple[int, int]) -> tuple[int, int] | None:
        if pair[1] + 1 < len(section.blocks[pair[0]].sentences):
            return pair[0], pair[1] + 1
        if pair[0] + 1 < len(section.blocks) and section.blocks[pair[0] + 1].kind == "p":
            return pair[0] + 1, 0
        return None

    window = [(b, n)]
    while DEPENDENT.match(sentence(window[0])[0]) and len(window) < 3:
        previous = before(window[0])
        if previous is None:
            break
        window.insert(0, previous)
    following = after(window[-1])
    if following is not None and not sentence(window[-1])[0].rstrip().endswith(":") and (
            (following[0] == b and len(sentence((b, n))[0]) < SHORT_SENTENCE)
            or sentence(following)[0].lower().startswith(CONTINUATION)):
        window.append(following)
    # A neighbour holding a part of the question that the window misses comes too.
    total = sum(w for _, w, _ in concepts) or 1.0
    shown = frozenset().union(*(sentence(pair)[1] for pair in window))
    missing = [(c, w) for c, w, _ in concepts if not _credit(c, shown)]
    best, gain = None, NEIGHBOUR_SHARE * total
    for pair, at in ((before(window[0]), 0), (after(window[-1]), len(window))):
        if pair is None or (at == 0 and sentence(window[0])[0].rstrip().endswith(":")):
            continue
        stems = sentence(pair)[1]
        covered = sum(w * _credit(c, stems) for c, w in missing)
        if covered > gain and len(sentence(pair)[0]) < MAX_CHARS // 2:
            best, gain = (pair, at), covered
    if best is not None:
        window.insert(best[1], best[0])
    return window


def _list_lines(section: _Section, members: list[int], links: list[tuple[str, str]],
                focus: int | None = None) -> list[str]:
    """A list as lines ("1. …" or "- …"), a long one cut after MAX_STEPS items, or, when
    the item that answers comes later, its first step and the steps around that item."""
    top = [m for m in members if section.blocks[m].depth == 0]
    if not top:  # only nested items (a window inside a sub-list)
        links += [link for m in members for link in section.blocks[m].links]
        return [f"- {section.blocks[m].text}" for m in members]
    keep = top
    if len(top) > MAX_STEPS + 1:
        at = top.index(focus) if focus in top else 0
        keep = top[:1] + top[max(1, at - 2):at + 2] if at >= MAX_STEPS else top[:MAX_STEPS]
    lines: list[str] = []
    shown = False
    for m in members:
        block = section.blocks[m]
        if block.depth > 0:
            if shown:
                lines.append("   - " + block.text)
                links += block.links
            continue
        shown = m in keep
        if not shown:
            continue
        number = top.index(m) + 1
        if lines and number > 1 and top[number - 2] not in keep:
            lines.append("…")
        lines.append(f"{number}. {block.text}" if block.ordered else f"- {block.text}")
        links += block.links
    left = len(top) - top.index(keep[-1]) - 1
    if left:
        lines.append(f"…and {left} more step{'s' if left > 1 else ''} in the guide."
                     if section.blocks[top[0]].ordered else f"…and {left} more.")
    return lines


def _parent_intro(sections: list[_Section], s: int) -> list[str]:
    """For a list opening a sub-section, the sentence ending with ":" that closes its
    parent section ("… in the following cases:") and the sub-section's title, or the
    two headings as one line when the sub-section's continues its parent's ("…as …")."""
    level = sections[s].level
    for parent in reversed(sections[:s]):
        if parent.level < level:
            last = parent.blocks[-1] if parent.blocks else None
            if last is not None and last.kind == "p" and \
                    last.sentences[-1][0].rstrip().endswith(":"):
                return [last.sentences[-1][0], f"{sections[s].title}:"]
            title = sections[s].title
            if title.startswith(("...", "…")):
                # "Access the Client's account … as a collaborator:" says whose steps
                # these are.
                return [f"{parent.title} {title.lstrip('.… ')}:"]
            return []
    return []


def _what_follows(sections: list[_Section], s: int, b: int,
                  links: list[tuple[str, str]]) -> list[str]:
    """What a sentence ending with ":" announces: the list or paragraph after it, or the
    sub-sections that follow when it closes its section."""
    section = sections[s]
    if b + 1 < len(section.blocks):
        following = section.blocks[b + 1]
        if following.kind == "li":
            return _list_lines(section, _list_members(section, b + 1), links)
        links += following.links
        return [following.sentences[0][0]]
    lines: list[str] = []
    for sub in sections[s + 1:]:
        if sub.level <= section.level or len(lines) > MAX_ITEMS:
            break
        items = [blk for blk in sub.blocks if blk.depth == 0]
        if items:
            lines.append(f"{sub.title}:")
            lines += [("- " if blk.kind == "li" else "") + blk.text for blk in items]
    return lines


def _cut(text: str) -> str:
    """About MAX_CHARS, cut between lines: the sub-items of a step ending with ":" stay
    with it (up to HARD_MAX_CHARS), and what is left out is said ("…and 2 more steps in
    the guide."). A first line too long on its own is cut at a sentence or a word."""
    if len(text) <= MAX_CHARS:
        return text
    lines = text.split("\n")
    kept: list[str] = []
    size = 0
    for n, line in enumerate(lines):
        nested = line.startswith(" ") and kept and (kept[-1].rstrip().endswith(":")
                                                    or kept[-1].startswith(" "))
        if kept and size + len(line) > (HARD_MAX_CHARS if nested else MAX_CHARS):
            return "\n".join(_closed(kept, lines[n:]))
        kept.append(line)
        size += len(line) + 1
    if len(kept) > 1:
        return text
    cut = text.rfind(". ", 0, MAX_CHARS) + 1
    if cut < MAX_CHARS // 2:
        return text[:MAX_CHARS].rsplit(" ", 1)[0] + " …"
    return text[:cut].rstrip()


def _closed(kept: list[str], left: list[str]) -> list[str]:
    """The kept lines, not ending on a colon, and a line saying what was left out."""
    while len(kept) > 1 and kept[-1].rstrip().endswith(":"):
        left.insert(0, kept.pop())
    steps = sum(1 for line in left if re.match(r"\d+\. ", line))
    steps += sum(int(m[1]) for line in left if (m := re.match(r"…and (\d+) more step", line)))
    if steps:
        return [*kept, f"…and {steps} more step{'s' if steps > 1 else ''} in the guide."]
    return [*kept, "…and more in the guide."]
