"""The shape of an answer: the winning sentence or item grown to what it needs to read
whole (sentence-window retrieval). A list item takes its list and the sentence
introducing it; a sentence takes the one it leans on ("Therefore…", "This is…"), the one
that continues it ("In this case…"), and a neighbour holding the part of the question it
misses; a sentence ending with ":" takes what it announces. Steps are numbered and a
long list is cut with "…and N more steps in the guide.".
"""

from __future__ import annotations

import itertools
import re

from kb.search import index, questions
from kb.search.answer_scoring import FACT_KINDS, credit, headed_by_question
from kb.search.answer_tables import table_lines
from kb.search.answer_units import (
    DEPENDENT,
    INSTRUCTION,
    MAX_ITEMS,
    MAX_STEPS,
    Block,
    Section,
    Unit,
    describes_guide,
    intro_of,
    is_row,
    list_members,
)
from kb.search.index import Concept
from kb.search.snippets import more_steps, steps_in
from kb.search.text import is_english

Links = list[tuple[str, str]]

MAX_CHARS = 900
# A step's sub-items may take the answer this far, so that a ":" keeps what follows.
HARD_MAX_CHARS = 1200
SHORT_SENTENCE = 90
# A neighbouring sentence joins the answer when it holds this share of the question that
# the answer lacks.
NEIGHBOUR_SHARE = 0.2
# A pronoun standing for something named before.
REFERS_BACK = re.compile(r"\b(them|they|it|these|those)\b", re.I)
# A sentence pointing at what comes next ("the servers indicated below"): without it, the
# answer would send the reader on to values it does not show.
AHEAD = re.compile(r"\b(below|as follows|the following (ones|values|settings))\b", re.I)
# A reply that only says yes ("Yes.", "Yes!", "Absolutely.").
BARE_YES = re.compile(r"^(yes|yep|sure|absolutely|of course|certainly)[.!]?$", re.I)
# A sentence saying what stops the person until they do something.
BLOCKS = re.compile(r"\b(can't|cannot|can not|won't be able|unable|not possible|blocked|"
                    r"until|unless)\b", re.I)
CONTINUATION = ("in this case", "in that case", "otherwise", "if so", "if not", "then ")


def grow(sections: list[Section], unit: Unit, kind: str,
         concepts: list[tuple[Concept, float, frozenset[str]]]
         ) -> tuple[str, Links, tuple[str, ...]]:
    """The unit with what it needs to read whole (its list, its intro, what a colon
    announces, the sentence a pronoun refers to or that continues it), as text with
    lists on their own lines, the links inside it, and the anchors of the other
    sections it draws on (the way there)."""
    section = sections[unit.section]
    lines: list[str] = []
    links: list[tuple[str, str]] = []
    block = section.blocks[unit.block]
    way, way_from = way_there(sections, unit, links) if block.kind == "li" and \
        block.ordered else ("", "")
    if block.kind == "li":
        members = list_members(section, unit.block)
        intro = intro_of(section, members[0])
        if intro is not None and unit.section > 0 and _points_at_heading(section, intro):
            # "To do this:" says what the steps do only through the heading above it,
            # which an answer does not show: the heading says it instead.
            lines.append(f"{section.title.rstrip(' :.')}:")
        elif intro is not None:
            # The sentence introducing the list, with the one it leans on ("In this
            # case, …:" after the case it refers to).
            closing = len(section.blocks[intro].sentences) - 1
            lines += _sentences(section, _window(section, intro, closing, []), links,
                                unit.section > 0)
        elif members[0] == 0:
            lines += _parent_intro(sections, unit.section, links)
        whole = (unit.sentence == -2 or block.ordered or len(members) <= MAX_ITEMS
                 or kind == questions.PROCEDURE)
        shown = members if whole else [m for m in members
                                       if abs(m - unit.block) <= 1]
        # The step that holds most of the question, so that a long list shows it.
        focus = max(shown, key=lambda m: (sum(w * credit(c, section.blocks[m].stems)
                                              for c, w, _ in concepts), -m))
        listed = _list_lines(section, shown, links, focus)
        if not lines and len(members) == 1 and listed[0].startswith("- "):
            # A list of one item with nothing introducing it is a sentence: a lone
            # bullet reads as a fragment.
            listed[0] = listed[0][2:]
        elif not lines and unit.section > 0:
            # A list with nothing introducing it (opening its section, or after a
            # paragraph that does not announce it) is a list of what its heading says
            # ("Choose the user's role:", "What happens after cancellation:"): without
            # it, the answer would open on a bare "- ".
            title = section.title.rstrip(" :.")
            lines.append(title if title.endswith(("?", "!")) else f"{title}:")
        lines += listed
        after = members[-1] + 1
        if after >= len(section.blocks) and any(AHEAD.search(section.blocks[m].text)
                                                for m in shown):
            # The list closes its section and points at what follows it.
            lines += _next_section(sections, unit.section, links)
        if whole and len(members) <= MAX_STEPS and after < len(section.blocks) and \
                section.blocks[after].kind == "p":
            # The sentence after a list often completes it ("On this page, enable ...").
            following = section.blocks[after]
            lines.append(following.sentences[0][0])
            links += following.links
            if following.sentences[0][0].rstrip().endswith(":"):
                lines += _what_follows(sections, unit.section, after, links, concepts)
    elif is_row(block):
        lines += table_lines(section, unit.block, links, concepts)
    else:
        contrasted = getattr(kind, "contrast", False) and \
            headed_by_question(sections, unit.section, concepts)
        window = (contrasted and _each_said(section, concepts)) or \
            _window(section, unit.block, unit.sentence, concepts,
                    getattr(kind, "yes_no", True), kind not in FACT_KINDS)
        first_b, first_n = window[0]
        if first_n == 0 and first_b > 0 and section.blocks[first_b - 1].kind == "li" and \
                DEPENDENT.match(section.blocks[first_b].sentences[0][0]):
            # "… is therefore applied" after a short list concludes from it: the list first.
            members = list_members(section, first_b - 1)
            intro = intro_of(section, members[0])
            if intro is not None:
                lines.append(section.blocks[intro].sentences[-1][0])
                links += section.blocks[intro].links
            lines += _list_lines(section, members, links)
        lines += _sentences(section, window, links, unit.section > 0)
        last_b, last_n = window[-1]
        last = section.blocks[last_b].sentences[last_n][0]
        if last.rstrip().endswith(":"):
            lines += _what_follows(sections, unit.section, last_b, links, concepts)
        elif AHEAD.search(last) and last_b + 1 >= len(section.blocks):
            lines += _next_section(sections, unit.section, links)
    # Cut before the way there is put in front: it never pushes the steps out.
    answer = _cut("\n".join(lines))
    if not way:
        return answer, links, ()
    return f"{way}\n{answer}", links, (way_from,)


def way_there(sections: list[Section], unit: Unit, links: Links) -> tuple[str, str]:
    """The steps that lead to where a section's steps start, said in one sentence, when
    a section before it lists them as a prerequisite ("Go to the user profile section:
    1. Log in … 3. Select Manage my profile"): steps that begin "Click on the pencil
    icon" leave the reader asking where that is. With the anchor of the section it comes
    from (its links go to `links`); empty when the steps begin with the same step, or
    when there is no such short list of steps."""
    section = sections[unit.section]
    first = section.blocks[list_members(section, unit.block)[0]].text
    for s in range(unit.section - 1, -1, -1):
        before = sections[s]
        if not before.prerequisite or before.level > section.level:
            continue
        steps = [b for b in before.blocks if b.kind == "li" and b.ordered and b.depth == 0]
        if not steps or len(steps) > MAX_STEPS or \
                _opening(steps[0].text) == _opening(first):
            return "", ""
        members = list_members(before, before.blocks.index(steps[0]))
        if [before.blocks[m] for m in members if before.blocks[m].depth == 0] != steps:
            return "", ""  # more than one list of steps: which one leads here is unclear
        said = [_lowered(step.text.rstrip(" .;")) for step in steps]
        links += [link for step in steps for link in step.links]
        joined = said[0] if len(said) == 1 else \
            f"{', '.join(said[:-1])}, then {said[-1]}"
        intro = intro_of(before, members[0])
        if intro is not None and not _points_at_heading(before, intro):
            lead = before.blocks[intro].sentences[-1][0].rstrip(" :")
            return f"First, {_lowered(lead)}: {joined}.", before.anchor
        return f"First, {joined}.", before.anchor
    return "", ""


def _opening(text: str) -> tuple[str, ...]:
    """The first three words of a step, to tell two lists that start alike."""
    return tuple(re.findall(r"\w+", text.lower())[:3])


def _lowered(text: str) -> str:
    """A sentence as the rest of a longer one: its first letter small, unless its first
    word is a name ("Infomaniak", "kDrive") rather than a word such as "Log" or "Go"."""
    word = re.match(r"[A-Za-z]+", text)
    # (The word list leaves out words of two letters: "Go" and "Do" are words too.)
    if word is None or not word[0][1:].islower() or \
            (len(word[0]) > 2 and not is_english(word[0].lower())):
        return text
    return text[0].lower() + text[1:]


def _sentences(section: Section, window: list[tuple[int, int]], links: Links,
               headed: bool = True) -> list[str]:
    """The sentences of a window, a line per paragraph; their links go to `links`. A
    section opening with "This is an amount equal to …" means its heading: it is said
    ("Cashback: This is …") unless the section is the guide's opening (`headed`)."""
    lines: list[str] = []
    for b, group in itertools.groupby(window, key=lambda pair: pair[0]):
        lines.append(" ".join(section.blocks[b].sentences[n][0] for _, n in group))
        links += section.blocks[b].links
    if headed and window[0] == (0, 0) and DEPENDENT.match(lines[0]):
        lines[0] = f"{section.title}: {lines[0]}"
    return lines


def _each_said(section: Section,
               concepts: list[tuple[Concept, float, frozenset[str]]]
               ) -> list[tuple[int, int]]:
    """For "the difference between archive and delete", in a section headed with both
    ("Remove, archive or delete?"): the first sentence that says each in the question's
    own word ("Archiving … keeps all their work", "Deleting … removes all their data"),
    in the section's order; nothing unless that makes two sentences or more."""
    chosen: set[tuple[int, int]] = set()
    for concept, _, _ in concepts:
        own = frozenset(index.stems(concept.text))
        said = next(((b, n) for b, block in enumerate(section.blocks) if block.kind == "p"
                     for n, (_, stems) in enumerate(block.sentences) if own <= stems), None)
        if said is None:
            return []
        chosen.add(said)
    return sorted(chosen) if len(chosen) >= 2 else []


def _window(section: Section, b: int, n: int,
            concepts: list[tuple[Concept, float, frozenset[str]]],
            yes_no: bool = True, act: bool = False) -> list[tuple[int, int]]:
    """The sentences shown around sentence n of paragraph b, as (block, sentence) pairs:
    the ones it leans on ("This…", "Therefore…"), the one that continues it ("In this
    case…") or that it is too short without, and a neighbour that holds a part of the
    question it misses (sentence-window retrieval). With `act` (a question that is not
    after a fact), a sentence saying what stops the person takes the instruction after it.
    """
    def sentence(pair: tuple[int, int]) -> tuple[str, frozenset[str]]:
        return section.blocks[pair[0]].sentences[pair[1]]

    # A table's row is no sentence of the paragraph beside it: read alone, "Leave the
    # family | No | Yes, any time" before "Only the owner can add members" is noise.
    def prose(at: int) -> bool:
        return section.blocks[at].kind == "p" and not is_row(section.blocks[at])

    def before(pair: tuple[int, int]) -> tuple[int, int] | None:
        if pair[1] > 0:
            return pair[0], pair[1] - 1
        if pair[0] > 0 and prose(pair[0] - 1):
            return pair[0] - 1, len(section.blocks[pair[0] - 1].sentences) - 1
        return None

    def after(pair: tuple[int, int]) -> tuple[int, int] | None:
        if pair[1] + 1 < len(section.blocks[pair[0]].sentences):
            return pair[0], pair[1] + 1
        if pair[0] + 1 < len(section.blocks) and prose(pair[0] + 1):
            return pair[0] + 1, 0
        return None

    window = [(b, n)]
    while DEPENDENT.match(sentence(window[0])[0]) and len(window) < 3:
        previous = before(window[0])
        if previous is None:
            break
        window.insert(0, previous)
    if section.title.rstrip().endswith("?") and window[0][0] == 0 and \
            0 < window[0][1] <= 2:
        # Under a heading that is a question (an FAQ), the paragraph that follows answers
        # it from its first words ("Yes, on the Business plan. Owners turn on …"): a
        # passage from it is shown from there.
        window[:0] = [(0, k) for k in range(window[0][1])]
    opening = sentence(window[0])[0]
    if len(window) == 1 and n > 0 and opening.rstrip().endswith(":") and \
            REFERS_BACK.search(opening):
        # "To send them to other addresses as well:" announces steps about what the
        # sentence before it names ("By default, invoices are sent to …").
        window.insert(0, (b, n - 1))
    following = after(window[-1])
    if following is not None and not sentence(window[-1])[0].rstrip().endswith(":") and (
            (following[0] == b and len(sentence((b, n))[0]) < SHORT_SENTENCE)
            or sentence(following)[0].lower().startswith(CONTINUATION)
            # "… is suspended. It can still be renewed …": the same subject goes on.
            or (following[0] == b and DEPENDENT.match(sentence(following)[0]) is not None
                and len(sentence(following)[0]) < MAX_CHARS // 3)):
        window.append(following)
    # A neighbour holding a part of the question that the window misses comes too.
    total = sum(w for _, w, _ in concepts) or 1.0
    shown = frozenset().union(*(sentence(pair)[1] for pair in window))
    missing = [(c, w) for c, w, _ in concepts if not credit(c, shown)]
    best, gain = None, NEIGHBOUR_SHARE * total
    for pair, at in ((before(window[0]), 0), (after(window[-1]), len(window))):
        if pair is None or (at == 0 and sentence(window[0])[0].rstrip().endswith(":")):
            continue
        if describes_guide(sentence(pair)[0]):
            # "This article explains how to change your plan, …" says what the guide is
            # about: it holds the question's words but no part of the answer.
            continue
        stems = sentence(pair)[1]
        covered = sum(w * credit(c, stems) for c, w in missing)
        if covered > gain and len(sentence(pair)[0]) < MAX_CHARS // 2:
            best, gain = (pair, at), covered
    if best is not None:
        window.insert(best[1], best[0])
    if len(window) == 1 and not sentence(window[0])[0].rstrip().endswith(":"):
        # A sentence alone rarely answers (help centers' answers are two to five
        # sentences): the next one in the section says what follows from it, or else the
        # one before says what it follows from.
        for pair, at in ((after(window[0]), 1), (before(window[0]), 0)):
            if pair is not None and len(sentence(pair)[0]) < MAX_CHARS // 3 and \
                    (at == 1 or not (sentence(pair)[0].rstrip().endswith(":") or
                                     # "They will not see …" before a note would
                                     # dangle: what it leans on is not shown.
                                     DEPENDENT.match(sentence(pair)[0]))) and \
                    not describes_guide(sentence(pair)[0]):
                # What the guide is about is no part of a fact stated after it.
                window.insert(at, pair)
                break
    then = after(window[-1])
    if act and then is not None and then[0] == window[-1][0] and \
            BLOCKS.search(sentence(window[-1])[0]) and \
            INSTRUCTION.match(sentence(then)[0]) and \
            sum(len(sentence(pair)[0]) for pair in window) < MAX_CHARS // 2:
        # "You can't unlock a bike until it's paid. Go to Payment and tap Pay now.": what
        # stops the person comes with what to do about it, from the same paragraph.
        window.append(then)
    if not yes_no and len(window) > 1 and BARE_YES.match(sentence(window[0])[0]):
        # A bare "Yes." answers an FAQ heading's yes-or-no question, not the customer's
        # "how do i …": what follows it does.
        del window[0]
    return window


# A sentence introducing steps that says only that they follow ("To do this:", "Here's
# how:", "Follow these steps:"): what they do is said by the heading above it.
BARE_INTRO = re.compile(r"^(to do (this|that|so|it)|here'?s how( to do it)?|here is how|"
                        r"(please )?follow these steps|proceed as follows|as follows|"
                        r"do (this|the following)|steps?|how to do (it|this))\s*:\s*$", re.I)


def _points_at_heading(section: Section, intro: int) -> bool:
    """Whether the paragraph introducing a list is only a sentence pointing at it."""
    sentences = section.blocks[intro].sentences
    return len(sentences) == 1 and BARE_INTRO.match(sentences[0][0]) is not None


def _list_lines(section: Section, members: list[int], links: list[tuple[str, str]],
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
        # Steps are done in order: the ones leading to the step that answers (the way to
        # its page) are shown before it, what follows it is left to the guide.
        keep = top[:1] + top[max(1, at - MAX_STEPS + 2):at + 1] if at >= MAX_STEPS \
            else top[:MAX_STEPS]
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
        lines.append(more_steps(left) if section.blocks[top[0]].ordered else
                     f"…and {left} more.")
    return lines


def _parent_intro(sections: list[Section], s: int, links: Links) -> list[str]:
    """For a list opening a sub-section, the sentence ending with ":" that closes its
    parent section ("… in the following cases:", with the sentence it leans on) and the
    sub-section's title, or the two headings as one line when the sub-section's
    continues its parent's ("…as …")."""
    level = sections[s].level
    for p, parent in reversed(list(enumerate(sections[:s]))):
        if parent.level < level:
            last = parent.blocks[-1] if parent.blocks else None
            if last is not None and last.kind == "p" and \
                    last.sentences[-1][0].rstrip().endswith(":"):
                closing = len(parent.blocks) - 1, len(last.sentences) - 1
                window = _window(parent, *closing, [])
                return [*_sentences(parent, window, links, p > 0), f"{sections[s].title}:"]
            title = sections[s].title
            if title.startswith(("...", "…")):
                # "Access the Client's account … as a collaborator:" says whose steps
                # these are.
                return [f"{parent.title} {title.lstrip('.… ')}:"]
            return []
    return []


def _what_follows(sections: list[Section], s: int, b: int, links: list[tuple[str, str]],
                  concepts: list[tuple[Concept, float, frozenset[str]]]) -> list[str]:
    """What a sentence ending with ":" announces: the list, table or paragraph after it,
    or the sub-sections that follow when it closes its section."""
    section = sections[s]
    if b + 1 < len(section.blocks):
        following = section.blocks[b + 1]
        if following.kind == "li":
            return _list_lines(section, list_members(section, b + 1), links)
        if is_row(following):
            return table_lines(section, b + 1, links, concepts, introduced=True)
        links += following.links
        return [following.sentences[0][0]]
    lines: list[str] = []
    for sub in sections[s + 1:]:
        if sub.level <= section.level or len(lines) > MAX_ITEMS:
            break
        lines += _under_heading(sub, [blk for blk in sub.blocks if blk.depth == 0])
    return lines


def _next_section(sections: list[Section], s: int, links: list[tuple[str, str]]) -> list[str]:
    """The section after section `s`, under its heading: what a sentence or step closing
    section `s` points at ("… indicated below")."""
    if s + 1 >= len(sections):
        return []
    following = sections[s + 1]
    items = [blk for blk in following.blocks if blk.depth == 0][:MAX_ITEMS]
    for blk in items:
        links += blk.links
    return _under_heading(following, items)


def _under_heading(section: Section, items: list[Block]) -> list[str]:
    """A section's top-level blocks as lines under its heading (none without blocks)."""
    if not items:
        return []
    return [f"{section.title.rstrip(' :.')}:",
            *[("- " if blk.kind == "li" else "") + blk.text for blk in items]]


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
    steps = steps_in(left)
    if steps:
        return [*kept, more_steps(steps)]
    return [*kept, "…and more in the guide."]
