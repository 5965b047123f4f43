"""The units an answer is chosen from: a guide's sections as paragraphs cut into sentences
and list items, and for each sentence, item and list what it says, the words around it
(its heading, the sentence introducing its list) and how well it reads alone.

Built once per index build and guide from the stored form of `kb.search.passages`, and
shared by the scoring (`kb.search.answer_scoring`), the choice (`kb.search.answers`) and
the shaping of the answer (`kb.search.answer_window`, `kb.search.answer_tables`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from kb.search import index, questions

MAX_STEPS = 5
# The verbs a step opens with.
INSTRUCTION = re.compile(r"^(log ?in|sign in|click|tap|go to|select|choose|enter|type|open|"
                         r"press|follow|confirm|write|turn|add|check|copy|paste|save|"
                         r"search|navigate|fill|download|install|create|set|enable|disable|"
                         r"activate|deactivate|define|validate|accept|return|wait|make sure)\b",
                         re.I)
MAX_ITEMS = 6
# An introduction this short ("Parents can:", "You need:") is the start of each item's
# sentence.
SHORT_INTRO = 40
# A sentence that opens with a pronoun is about what the sentence before it names ("Parent
# accounts are free on the School plan. They're not available on the Starter plan."): it
# is read with that sentence's words as well as its own.
PRONOUN_FIRST = re.compile(r"^(they|it|its|their|these|those|this|that)\b(?! (guide|"
                           r"article|page)\b)", re.I)
# A sentence that opens with a connective or a pronoun leans on the one before it
# ("Therefore, …", "It is …", "Similarly, …"); one that says "therefore" early draws a
# conclusion from it. It is shown with that sentence, or left out when there is none.
DEPENDENT = re.compile(r"^(?!it('s| is| was) \w+ (to|that)\b|this (guide|article|page)\b)"
                       r"(this|it|its|they|their|these|that|those|so|thus|hence|"
                       r"therefore|however|also|but|and|similarly|likewise|moreover|"
                       r"furthermore|besides|in addition|for (example|instance)|e\.g\.|"
                       r"in (this|that|such a|which) case|otherwise|then|if so|if not|"
                       # "On this page, enable …": the page the steps before lead to.
                       r"on (this|that|the same) (page|screen|tab|window))\b|"
                       r"^(\S+ ){1,7}(therefore|thus|hence|consequently)\b|"
                       # "You can then choose to:", "The amount is then refunded": what
                       # follows an event the sentence before tells.
                       r"^(\S+ ){1,3}(can|could|will|would|may|might|must|should|is|are|"
                       r"was|were) then\b", re.I)
EXAMPLE = re.compile(r"^(for (example|instance)|e\.g\.)", re.I)
# An example illustrates the statement before it, which is the answer.
EXAMPLE_FACTOR = 0.85
# A dependent sentence with nothing to lean on (the first after a list): left aside.
ORPHAN_FACTOR = 0.5
ASIDE = re.compile(r"^(note|attention|warning|tip|important|caution|remark)\b\W", re.I)
# A sentence that says what the guide is about ("This guide explains how to …", "In this
# article you will learn …"), rather than stating a fact of its own.
DESCRIBES_GUIDE = re.compile(
    r"^(?:in )?(?:this|the following|our|these) (?:guide|article|page|faq|tutorial|"
    r"document|help article|section|instructions?)s?\b|^(?:learn|find out|discover|"
    r"read on|here(?: is|'s| are)|you(?: will|'ll) (?:learn|find|see))\b", re.I)


def describes_guide(text: str) -> bool:
    """Whether a sentence of a guide's opening says what the guide is about."""
    return DESCRIBES_GUIDE.match(text.strip()) is not None


# "Right" as a place on the page, and "right" (or "rights") in any other sense.
POSITION = re.compile(r"\b((to|on|at) the|top|bottom|upper|lower|far|left( and| or)?) "
                      r"right\b|\bright(-hand)?( side| corner| column| of)\b", re.I)
RIGHTS = re.compile(r"\brights?\b", re.I)
# Sections that frame the guide ("Introduction") count like its opening.
INTRODUCTORY = re.compile(r"^(introduction|overview|about|background|summary|context)\b",
                          re.I)


@dataclass
class Block:
    kind: str
    list_id: int
    ordered: bool
    depth: int
    sentences: list[tuple[str, frozenset[str]]]
    links: list[tuple[str, str]]

    @property
    def text(self) -> str:
        return " ".join(s for s, _ in self.sentences)

    @cached_property
    def stems(self) -> frozenset[str]:
        # Shared by the item's unit and its list's: computed once.
        return frozenset().union(*(s for _, s in self.sentences))


@dataclass
class Section:
    anchor: str
    title: str
    level: int
    title_stems: frozenset[str]
    blocks: list[Block] = field(default_factory=list)
    # Written for something not working: its heading, or one it sits under, says so
    # ("Troubleshooting" > "A student's quiz shows 0 points"). Set by `load`, which sees
    # the headings above it.
    for_problems: bool = False

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

    @cached_property
    def permission(self) -> bool:
        """Whether the section says who may do the task ("Who can delete a student
        account"): with the prerequisites, what stops someone who may not."""
        return self.title.lower().startswith(("who can ", "who may ", "who is allowed "))


@dataclass(frozen=True, slots=True)
class Unit:
    section: int
    block: int
    sentence: int  # -1: the whole block; -2: the whole list the block belongs to
    text: str
    stems: frozenset[str]
    context: frozenset[str]  # the words around it: its heading, the sentence before a list
    carries: str = ""  # text that may carry the kind of answer asked for
    # What completes it: the heading it continues, what its ":" announces.
    completed_by: str = ""
    standing: float = 1.0  # how well it reads alone (see `standing`)
    aside: bool = False  # a note or a warning ("Note: …", "Attention: …")
    # For a whole list, the stems of each of its items, its intro and its heading: a
    # phrase matches inside one of them, not across the list ("access" in one step and
    # "to the right" in another are not "access rights").
    parts: tuple[frozenset[str], ...] = ()
    # The case it is written for: the sentence itself, or for a list the sentence that
    # introduces it ("If your account is still present …:").
    premise: str = ""
    # For a row of a table: the words of each row's name (its first cell), the header
    # left out, and which of them is this row's.
    row_names: tuple[frozenset[str], ...] = ()
    row: int = -1


def load(stored: Sequence[Any]) -> list[Section]:
    """Sections from their stored form (`kb.search.passages.dump`), stemmed."""
    sections = [Section(anchor, title, level, stems_of(title),
                        [Block(kind, list_id, ordered, depth,
                               [(text, stems_of(text)) for text in sentences],
                               [(t, u) for t, u in links])
                         for kind, list_id, ordered, depth, sentences, links in blocks])
                for anchor, title, level, blocks in stored]
    for section in sections:
        _number_steps(section)
    _mark_problem_sections(sections)
    return sections


def _mark_problem_sections(sections: list[Section]) -> None:
    """Set `for_problems` on each section, walking the headings once. The guide's title,
    which every section sits under, says what the guide is about, not which case: it
    counts for the opening only."""
    above: list[tuple[int, bool]] = []  # the open headings: (level, written for problems)
    for s, section in enumerate(sections):
        says = questions.PROBLEM_CASE.search(section.title) is not None
        if s == 0:
            section.for_problems = says
            continue
        while above and above[-1][0] >= section.level:
            above.pop()
        section.for_problems = says or any(flag for _, flag in above)
        above.append((section.level, says))


def _number_steps(section: Section) -> None:
    """Many help centers write steps as bullets ("- Click on …"): a bulleted list whose
    items mostly open with an instruction is steps, numbered and weighed as such."""
    items: dict[int, list[Block]] = {}
    for block in section.blocks:
        if block.kind == "li" and block.depth == 0 and not block.ordered:
            items.setdefault(block.list_id, []).append(block)
    for members in items.values():
        commands = sum(1 for block in members if INSTRUCTION.match(block.text))
        if len(members) >= 2 and commands * 3 >= len(members) * 2:
            for block in members:
                block.ordered = True


def stems_of(text: str) -> frozenset[str]:
    stems = frozenset(index.stems(text))
    if "right" in stems and not RIGHTS.search(POSITION.sub(" ", text)):
        # "the icon to the right of the Client", "at the top right": a place on the
        # page, not a right ("access rights", "who holds the rights").
        stems -= {"right"}
    return stems


def build_units(sections: list[Section]) -> list[Unit]:
    units: list[Unit] = []
    for s, section in enumerate(sections):
        heading = heading_stems(sections, s)
        # A heading that continues its parent's ("… as a collaborator") completes every
        # sentence under it: it says who, or in which case.
        tail = section.title if section.title.startswith(("...", "…")) else ""
        seen_lists: set[int] = set()
        # Each table's row names, by the table's first block: read once for its rows.
        tables: dict[int, tuple[frozenset[str], ...]] = {}
        for b, block in enumerate(section.blocks):
            if block.kind != "li":
                # Every sentence of a note or a warning is part of it, not only the one
                # its label opens.
                aside = bool(block.sentences) and ASIDE.match(block.sentences[0][0]) is not None
                header = _header_row(section, b)
                for n, (text, stems) in enumerate(block.sentences):
                    context, completed_by = heading, tail
                    if header:
                        # A row means what its table's first row names: "Employees | Up
                        # to 10 | Unlimited" says "up to 10" of the "Free" column.
                        stems = stems | header
                    if s > 0 and b == 0 and n == 0 and (DEPENDENT.match(text) or
                                                         _one_statement(section)):
                        # "This is an amount …" under "Cashback": the heading is its
                        # subject, and is shown with it. So is the heading of a section
                        # that is one paragraph ("Available languages": "The
                        # interfaces are available in French, …").
                        stems = stems | section.title_stems
                    if PRONOUN_FIRST.match(text) and DEPENDENT.match(text):
                        before = block.sentences[n - 1][1] if n > 0 else _last_said(section, b)
                        stems = stems | before
                    if n == len(block.sentences) - 1 and text.rstrip().endswith(":"):
                        # A sentence ending with ":" is read with what it announces.
                        more, more_stems = announced(sections, s, b)
                        context, completed_by = heading | more_stems, f"{tail} {more}"
                    names, row = _row_names(section, b, tables) if header else ((), -1)
                    units.append(Unit(s, b, n, text, stems, context, text, completed_by,
                                       standing(section, b, n), aside, premise=text,
                                       row_names=names, row=row))
                continue
            members = list_members(section, b)
            intro = intro_of(section, members[0])
            intro_stems = section.blocks[intro].sentences[-1][1] if intro is not None \
                else frozenset()
            context = heading | intro_stems
            premise = section.blocks[intro].sentences[-1][0] if intro is not None else ""
            # An item completes the short sentence that introduces its list ("Parents
            # can:" + "see grades and teacher feedback"): its words are the item's own.
            own = block.stems | intro_stems if len(premise) <= SHORT_INTRO else block.stems
            units.append(Unit(s, b, -1, block.text, own, context, block.text,
                               tail, premise=premise))
            if block.list_id not in seen_lists and block.depth == 0:
                seen_lists.add(block.list_id)
                stems = frozenset().union(*(section.blocks[i].stems for i in members))
                stems |= intro_stems
                headed = members[0] == 0 or intro == 0 or _first_steps(section, b)
                if headed:
                    # The list is the section: its heading says what it does. So are
                    # the section's steps after a word of who may do it ("Only the owner
                    # can delete the company account." above the steps that delete it).
                    stems |= heading
                texts = " ".join(section.blocks[i].text for i in members)
                parts = (*(section.blocks[i].stems for i in members), intro_stems,
                         heading if headed else frozenset())
                units.append(Unit(s, b, -2, block.text, stems, heading, texts, tail,
                                  parts=parts, premise=premise))
    return units


def _first_steps(section: Section, b: int) -> bool:
    """Whether block b opens the section's one list of steps, after nothing but a short
    paragraph (a sentence or two: who may do it, what to know first)."""
    if not section.blocks[b].ordered or section.blocks[b].depth:
        return False
    before = section.blocks[:b]
    if len(before) != 1 or before[0].kind != "p" or len(before[0].sentences) > 2:
        return False
    lists = {block.list_id for block in section.blocks
             if block.kind == "li" and block.ordered and not block.depth}
    return len(lists) == 1


def _last_said(section: Section, b: int) -> frozenset[str]:
    """The words of the paragraph sentence just before block `b`, if there is one."""
    if b == 0 or section.blocks[b - 1].kind == "li" or not section.blocks[b - 1].sentences:
        return frozenset()
    return section.blocks[b - 1].sentences[-1][1]


def is_row(block: Block) -> bool:
    """Whether a paragraph is a table row (`kb.search.passages` keeps one as its cells
    joined by " | ")."""
    return block.kind == "p" and len(block.sentences) == 1 and " | " in block.sentences[0][0]


def table_span(section: Section, b: int) -> tuple[int, int]:
    """The first and last blocks of the table whose row block b is."""
    first = last = b
    while first > 0 and is_row(section.blocks[first - 1]):
        first -= 1
    while last + 1 < len(section.blocks) and is_row(section.blocks[last + 1]):
        last += 1
    return first, last


def _header_row(section: Section, b: int) -> frozenset[str]:
    """The words of the first row of the table block b is a later row of (the names of
    its columns), else nothing."""
    if not is_row(section.blocks[b]):
        return frozenset()
    first, _ = table_span(section, b)
    return section.blocks[first].sentences[0][1] if first < b else frozenset()


def _row_names(section: Section, b: int, tables: dict[int, tuple[frozenset[str], ...]]
               ) -> tuple[tuple[frozenset[str], ...], int]:
    """The words of the name (first cell) of each row of the table that block b is a
    later row of (kept in `tables` for its other rows), and the place of b's among them."""
    first, last = table_span(section, b)
    if first not in tables:
        tables[first] = tuple(stems_of(section.blocks[i].sentences[0][0].split(" | ", 1)[0])
                              for i in range(first + 1, last + 1))
    return tables[first], b - first - 1


def _one_statement(section: Section) -> bool:
    """Whether a section says one thing: a single paragraph, with at most a note."""
    said = [block for block in section.blocks
            if not (block.kind == "p" and ASIDE.match(block.sentences[0][0]))]
    return len(said) == 1 and said[0].kind == "p"


def standing(section: Section, b: int, n: int) -> float:
    """How well sentence n of paragraph b stands as an answer: an example weighs less
    than the statement it illustrates, a conclusion from a list too long to show with
    it is left aside."""
    text = section.blocks[b].sentences[n][0]
    if EXAMPLE.match(text):
        return EXAMPLE_FACTOR
    if DEPENDENT.match(text) and n == 0 and b > 0 and section.blocks[b - 1].kind == "li" \
            and len(list_members(section, b - 1)) > MAX_STEPS:
        return ORPHAN_FACTOR
    return 1.0


def heading_stems(sections: list[Section], s: int) -> frozenset[str]:
    """The words of a section's heading, with its parent's when it continues it."""
    section = sections[s]
    if not section.title.startswith(("...", "…")):
        return section.title_stems
    parent = next((p for p in reversed(sections[:s]) if p.level < section.level), None)
    return section.title_stems | (parent.title_stems if parent else frozenset())


def announced(sections: list[Section], s: int, b: int) -> tuple[str, frozenset[str]]:
    """The text and words of what a sentence ending with ":" announces (for scoring)."""
    section = sections[s]
    blocks: list[Block] = []
    if b + 1 < len(section.blocks):
        following = section.blocks[b + 1]
        blocks = [section.blocks[m] for m in list_members(section, b + 1)] \
            if following.kind == "li" else [following]
    else:
        for sub in sections[s + 1:]:
            if sub.level <= section.level:
                break
            blocks += sub.blocks
    text = " ".join(blk.text for blk in blocks[:MAX_ITEMS * 2])
    return text, frozenset().union(*(blk.stems for blk in blocks[:MAX_ITEMS * 2]))


def list_members(section: Section, b: int) -> list[int]:
    """Indexes of the items of the list holding block b, nested items included."""
    list_id = section.blocks[b].list_id
    first = b
    while first > 0 and in_list(section, first - 1, list_id):
        first -= 1
    last = b
    while last + 1 < len(section.blocks) and in_list(section, last + 1, list_id):
        last += 1
    return list(range(first, last + 1))


def in_list(section: Section, i: int, list_id: int) -> bool:
    block = section.blocks[i]
    return block.kind == "li" and (block.list_id == list_id or block.depth > 0)


def intro_of(section: Section, first_item: int) -> int | None:
    """The paragraph introducing a list (its last sentence ends with ":"), if any."""
    if first_item > 0:
        before = section.blocks[first_item - 1]
        if before.kind == "p" and before.sentences[-1][0].rstrip().endswith(":"):
            return first_item - 1
    return None
