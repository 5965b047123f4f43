"""The outline of a guide turned into steps and choices, with ids that stay put.

Each `##` section (or `###` subsection) is a scope: its steps are numbered by position,
`<anchor>-<n>` for list items, `<anchor>-note-<n>` for paragraphs and notes,
`<anchor>-warning-<n>` for warnings, so rewording a step never renames it and fixing a
heading renames only its own section's steps. Choices are `Fork`s whose branches the
compiler links to whatever follows them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from typing import Any

from procedures.compiler import outline as blocks
from procedures.compiler import wording as wording
from procedures.compiler.outline import Block, Item, Section
from procedures.model import Link, Step, StepKind
from procedures.source.callouts import callout_kind

ANCHOR_LIMIT = 60  # keeps nested ids such as "<anchor>-3.2.1" within the 120 allowed


@dataclass
class Branch:
    option: str
    label: str
    nodes: list[Node]


@dataclass
class Fork:
    """A choice and its branches. The choice step is made when its options are known;
    a branch that does not reach an end rejoins at whatever follows the fork."""

    id: str
    text: str
    line: int
    stage: str
    branches: list[Branch]
    step: Step | None = None
    details: list[str] = field(default_factory=list)


Node = Step | Fork


@dataclass
class Scope:
    """Where steps are being made: ids are `<prefix>-<position>` within one (sub)section."""

    prefix: str
    stage: str
    prerequisites: bool = False
    counters: dict[str, itertools.count[int]] = field(default_factory=dict)

    def position(self, kind: str) -> int:
        return next(self.counters.setdefault(kind, itertools.count(1)))


class StepBuilder:
    """Turns the outline into nodes; one per guide, it keeps step ids unique."""

    def __init__(self, slug: str = "") -> None:
        self.slug = slug
        self.used: set[str] = set()
        self.requires: list[str] = []

    def claim(self, step_id: str) -> str:
        # Ids from different rules can meet ("Foo" note 1, section "Foo note" step 1);
        # "_" never appears in a derived id, so the suffix cannot collide again.
        unique, n = step_id, 2
        while unique in self.used:
            unique, n = f"{step_id}_{n}", n + 1
        self.used.add(unique)
        return unique

    def step(self, scope: Scope, kind: StepKind, step_id: str, text: blocks.Text | str,
             line: int, **extra: Any) -> Step:
        if isinstance(text, blocks.Text):
            extra.setdefault("links", text.links)
            text = text.text
        return Step(id=self.claim(step_id), kind=kind, text=text, line=line,
                    stage=scope.stage, **extra)

    def fork(self, scope: Scope, step_id: str, text: str, line: int,
             branches: list[Branch], details: list[str] | None = None) -> Fork:
        return Fork(self.claim(step_id), text, line, scope.stage, branches,
                    details=details or [])

    def intro(self, found: list[Block], title: str = "") -> list[Node]:
        """The opening paragraphs as one note; anything after them like a section. When
        the opening holds steps of its own (help desks often put the steps of the
        article's task before any heading), its stage is `title`, so that a walk through
        it stops where the sections start."""
        has_steps = bool(title) and any(
            b.kind == "list" or (b.kind == "paragraph" and
                                 wording.is_action_paragraph(b.text.text)) for b in found)
        scope, count = Scope("intro", title if has_steps else ""), 0
        while count < len(found) and found[count].kind == "paragraph":
            rest = found[count + 1:]
            if rest and rest[0].kind == "list" and found[count].text.text.endswith(":"):
                break  # it introduces the list: keep it with the list
            if isinstance(wording.group_cases(found[count:])[0], list):
                break  # it opens the first of several cases
            count += 1
        nodes: list[Node] = []
        if count:
            lead = found[:count]
            nodes.append(self.step(scope, "note", "intro", lead[0].text.text, lead[0].line,
                                   details=[b.text.text for b in lead[1:]],
                                   links=[link for b in lead for link in b.text.links]))
        return nodes + self.blocks(found[count:], scope)

    def section(self, section: Section) -> list[Node]:
        scope = Scope(_prefix(section.anchor), section.title,
                      wording.is_prerequisites(section.title))
        found = section.blocks
        if found and found[0].kind == "paragraph":
            # "This is an amount equal to …" under "Cashback" defines the heading; as a
            # step the heading is not read, so the sentence says it.
            first = found[0]
            found = [replace(first, text=replace(first.text, text=wording.defined(
                section.title, first.text.text))), *found[1:]]
        nodes = self.blocks(found, scope)
        subs = section.subsections
        scopes = [Scope(_prefix(s.anchor), section.title, scope.prerequisites) for s in subs]
        if len(subs) < 2 or wording.looks_sequential([s.title for s in subs]):
            for sub, inner in zip(subs, scopes, strict=True):
                nodes.append(self.step(inner, "note", f"{inner.prefix}-heading", sub.title,
                                       sub.line))
                nodes += self.blocks(sub.blocks, inner)
            return nodes
        branches = [Branch(inner.prefix, wording.option_label(sub.title),
                           self.blocks(sub.blocks, inner))
                    for sub, inner in zip(subs, scopes, strict=True)]
        return [*nodes, self.fork(scope, f"{scope.prefix}-choice", "Which applies to you?",
                                  subs[0].line, branches)]

    def ways(self, sections: list[Section]) -> list[Node]:
        """Sections that are ways to do one task ("… (mobile app)", "… (web app)"): a
        choice of the one the person uses, each branch its section, rejoining after the
        last. A run goes through one way, not the same task twice. The choice belongs to
        no section: a walk through one of them goes straight to its steps."""
        first = sections[0]
        branches = [Branch(_prefix(section.anchor), wording.option_label(section.title),
                           self.section(section)) for section in sections]
        # Its id does not open with a section's anchor: it is no step of that section.
        return [self.fork(Scope(_prefix(first.anchor), ""), f"ways-{_prefix(first.anchor)}",
                          "Which applies to you?", first.line, branches)]

    def blocks(self, found: list[Block], scope: Scope, kind: StepKind = "note") -> list[Node]:
        """Paragraphs become `kind` steps (notes, or warnings inside a warning callout)."""
        nodes: list[Node] = []
        previous = ""
        after_list = False
        for part in wording.group_cases(found):
            if isinstance(part, list):
                nodes.append(self.cases(part, scope))
            elif part.kind == "list":
                nodes += self.items(part, scope, None, previous)
            elif part.kind == "quote":
                nodes += self.quote(part, scope)
            elif part.text.text:
                text = part.text
                if after_list:
                    # "…and on the new device, install…" goes on from the list before
                    # it; as a step of its own it must read alone.
                    text = replace(text, text=wording.on_its_own(text.text))
                # A paragraph that says "Click …" is a step to do, as a list item is
                # (not inside a warning, and not among the prerequisites).
                made: StepKind = "instruction" if kind == "note" and \
                    not scope.prerequisites and wording.is_action_paragraph(text.text) \
                    else kind
                nodes.append(self.step(scope, made, f"{scope.prefix}-{made}-"
                                       f"{scope.position(made)}", text, part.line,
                                       details=part.details))
            # The paragraph just before a list may say the items are alternatives.
            previous = part.text.text if isinstance(part, Block) and \
                part.kind == "paragraph" else ""
            after_list = isinstance(part, Block) and part.kind == "list"
        return nodes

    def cases(self, cases: list[list[Block]], scope: Scope) -> Fork:
        """Consecutive "If ..." paragraphs, each with its own list: one branch per case."""
        n = scope.position("cases")
        branches = [Branch(f"case-{k}", wording.case_label(case[0].text.text),
                           self.blocks(case, scope)) for k, case in enumerate(cases, 1)]
        return self.fork(scope, f"{scope.prefix}-cases" + f"-{n}" * (n > 1),
                         "Which applies to you?", cases[0][0].line, branches)

    def quote(self, quote: Block, scope: Scope) -> list[Node]:
        callout = callout_kind(quote.label)
        text = wording.capitalise(quote.after) if callout else quote.text.text
        kind: StepKind = callout or "note"
        nodes: list[Node] = []
        if text:
            nodes.append(self.step(scope, kind, f"{scope.prefix}-{kind}-"
                                   f"{scope.position(kind)}", text, quote.line,
                                   links=quote.text.links))
        return nodes + self.blocks(quote.body, scope, kind)

    def items(self, found: Block, scope: Scope, parent: str | None, intro: str,
              numbers: itertools.count[int] | None = None) -> list[Node]:
        """A list's items in order; requirement runs and alternatives become choices."""
        numbers = numbers or itertools.count(1)
        ids = [f"{parent}.{next(numbers)}" if parent else
               f"{scope.prefix}-{scope.position('item')}" for _ in found.items]
        if scope.prerequisites and parent is None and not found.ordered:
            return self.requirements(found.items, ids, scope)
        texts = [_item_text(item) for item in found.items]
        per_item = [self.item(item, step_id, scope, found.ordered)
                    for item, step_id in zip(found.items, ids, strict=True)]
        if not wording.are_alternatives(texts, intro, found.ordered):
            return [node for nodes in per_item for node in nodes]
        branches = [Branch(f"alternative-{k}", wording.option_label(text), nodes)
                    for k, (text, nodes) in enumerate(zip(texts, per_item, strict=True), 1)]
        choice_id = f"{parent}-choice" if parent else \
            f"{scope.prefix}-choice-{scope.position('choice')}"
        return [self.fork(scope, choice_id, wording.question(texts), found.items[0].line,
                          branches)]

    def item(self, item: Item, step_id: str, scope: Scope, ordered: bool) -> list[Node]:
        # A parent whose sub-items are alternatives is the instruction leading to them.
        forks = any(wording.are_alternatives([_item_text(i) for i in sub.items],
                                             item.text.text, sub.ordered)
                    for sub in item.lists)
        kind: StepKind = "instruction" if ordered or forks or (
            not item.text.only_link and wording.is_instruction(item.text.text)) else "note"
        nodes: list[Node] = []
        shown = _shown_with(item) if kind == "instruction" and not forks else []
        if item.text.text:
            nodes.append(self.step(scope, kind, step_id, item.text, item.line,
                                   details=[*item.details, *shown]))
        if shown:
            return nodes
        numbers = itertools.count(1)
        for sub in item.lists:
            nodes += self.items(sub, scope, step_id, item.text.text, numbers)
        return nodes

    def requirements(self, items: list[Item], ids: list[str], scope: Scope) -> list[Node]:
        """Condition bullets of a Prerequisites list: one yes/no check per run of them.
        Bullets about knowing something are explained in a note instead: a person who
        asked to be walked through a guide is never stopped for not knowing it yet."""
        nodes: list[Node] = []
        run: list[Item] = []
        knowledge = [i for i in items if wording.is_knowledge(i.text.text)]
        for item, step_id in [*zip(items, ids, strict=True), (None, "")]:
            if item is not None and item in knowledge:
                if item is knowledge[0]:
                    nodes.append(self.knowledge([_item_text(i, fold=True) for i in knowledge],
                                                item.line, scope))
                continue
            if item is not None and wording.is_requirement(item.text.text):
                run.append(item)
                continue
            if run:
                nodes.append(self.check([_item_text(i, fold=True) for i in run],
                                        run[0].line, scope))
                run = []
            if item is not None:
                nodes += self.item(item, step_id, scope, ordered=False)
        return nodes

    def knowledge(self, known: list[str], line: int, scope: Scope) -> Step:
        self.requires += known
        # Announced, listed as the guide lists it (one run of sentences would read as if
        # each were a step to take), then what to make of it.
        listed = "\n".join(["", *(f"- {wording.sentence(t)}" for t in known), ""]) \
            if len(known) > 1 else f" {wording.sentence(known[0])} "
        them = "these" if len(known) > 1 else "this"
        return self.step(scope, "note", "prerequisites-explained",
                         f"Good to know before you start:{listed}The guide explains {them} "
                         "as you go, so you can simply carry on.", line,
                         links=self.guide_link())

    def guide_link(self) -> list[Link]:
        return [Link(slug=self.slug, text="Read the whole guide")] if self.slug else []

    def check(self, needed: list[str], line: int, scope: Scope) -> Fork:
        self.requires += needed
        what = "What you can do: ask someone for whom it is the case to do it, or read " \
            "the guide to see what it takes; if you think it should already be the case, " \
            "contact support."
        listed = [wording.sentence(t) for t in needed]
        summary = " ".join(listed)
        this = "this" if len(needed) == 1 else "all of this"
        # The outcome is read on its own, after the question: it says what was missing.
        blocked = self.step(scope, "end", "prerequisites-not-met",
                            f"You cannot continue until {this} is the case: {summary} "
                            f"{what}", line, outcome="blocked", links=self.guide_link())
        branches = [Branch("yes", "Yes", []), Branch("no", "No", [blocked])]
        if len(needed) == 1:
            return self.fork(scope, "prerequisites-check",
                             f"Before you start: {summary} Is this the case?", line, branches)
        # Several conditions are listed, as the guide lists them: run together into the
        # question, five rules read as one paragraph in bold.
        return self.fork(scope, "prerequisites-check",
                         "Before you start, is all of this the case?", line, branches,
                         details=listed)


def _item_text(item: Item, fold: bool = False) -> str:
    """An item's text; with `fold` (or when the item itself is empty) its nested items are
    folded in, for an item that must stand alone: a requirement or an option label."""
    nested = [t for sub in item.lists for i in sub.items if (t := _item_text(i, True))]
    if nested and (fold or not item.text.text):
        return " ".join(t for t in (item.text.text, "; ".join(nested)) if t)
    return item.text.text


def _shown_with(item: Item) -> list[str]:
    """The nested items an instruction announces ("Choose one of the options:" above
    "Trade — …" and "Give away — …"), when they describe rather than ask for something
    to do: said with the step, as its details. Apart, the step would end on a colon
    and the person would say "done" before reading what it announces."""
    if not item.text.text.rstrip().endswith(":") or not item.lists:
        return []
    nested = [i for sub in item.lists for i in sub.items]
    if any(sub.ordered for sub in item.lists) or any(i.lists for i in nested) or \
            any(wording.is_instruction(i.text.text) for i in nested):
        return []
    return [t for i in nested if (t := _item_text(i))]


def _prefix(anchor: str) -> str:
    return anchor[:ANCHOR_LIMIT].rstrip("-") or "section"
