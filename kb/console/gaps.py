"""Content gaps for the console: unanswered and badly answered questions, grouped.

Questions are grouped when they share their meaning-bearing words (stop words dropped,
words stemmed): "delete my mailbox" and "how to delete a mailbox?" land together. A
group shows how often it was asked, a few examples and the guide that came closest (the
one most often shown or voted "not helpful"), and can be exported as the skeleton of the
guide that would answer it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from kb.console.period import Period
from kb.search.text import is_generic, is_stopword, words
from kb.store.database import Database
from kb.store.schema import content_gaps, guide_feedback

MAX_DISTINCT = 1000
MIN_WORD = 3


@dataclass
class Group:
    words: list[str]
    count: int = 0
    examples: list[str] = field(default_factory=list)
    near: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)

    @property
    def key(self) -> str:
        return "-".join(self.words)[:80] or "other"

    @property
    def near_miss(self) -> str | None:
        return self.near.most_common(1)[0][0] if self.near else None


def stem(word: str) -> str:
    """A light stemmer, enough to group "mailboxes" with "mailbox" and "deleting" with
    "delete" for reading (the search index has its own)."""
    for suffix in ("ing", "es", "ed", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_WORD:
            return word[: -len(suffix)]
    return word


def terms(text: str) -> dict[str, str]:
    """The meaning-bearing words of a text: stem -> the word as written (first seen)."""
    found: dict[str, str] = {}
    for w in words(text):
        if len(w) >= MIN_WORD and not is_stopword(w):
            found.setdefault(stem(w), w)
    return found


def gap_groups(db: Database, period: Period, limit: int = 30) -> list[Group]:
    items: list[tuple[str, int, str | None, str]] = []
    g = content_gaps.c
    n = func.count().label("n")
    for r in db.rows(select(func.max(g.query).label("q"), n, func.max(g.top_slug).label("slug"))
                     .where(g.created_at >= period.start, g.created_at < period.end)
                     .group_by(g.normalized).order_by(n.desc()).limit(MAX_DISTINCT)
                     # Without statistics SQLite would sort every row of the period.
                     .with_hint(content_gaps, "INDEXED BY content_gaps_grouped", "sqlite")):
        items.append((r.q, r.n, r.slug, "unanswered"))
    # A "not helpful" vote with what was missing: a question the guide answered badly.
    f = guide_feedback.c
    for r in db.rows(select(f.comment.label("q"), f.slug, n)
                     .where(f.helpful == 0, f.comment.is_not(None), f.comment != "",
                            f.created_at >= period.start, f.created_at < period.end)
                     .group_by(f.comment, f.slug).order_by(n.desc()).limit(MAX_DISTINCT)):
        items.append((r.q, r.n, r.slug, "badly answered"))
    return group(items)[:limit]


def group(items: list[tuple[str, int, str | None, str]]) -> list[Group]:
    """Greedy grouping, most asked first: a question joins the first group whose words
    it shares (two words, or all of its words when it has fewer)."""
    groups: list[tuple[set[str], Group]] = []
    by_word: dict[str, list[int]] = {}  # word -> the groups whose core has it, in order
    for text, count, near, kind in sorted(items, key=lambda i: -i[1]):
        written = terms(text)
        mine = set(written)
        if not mine:
            continue
        home = None
        candidates = sorted({n for w in mine for n in by_word.get(w, ())})
        for n in candidates:
            core, g = groups[n]
            if len(mine & core) >= min(2, len(mine), len(core)):
                home = g
                break
        if home is None:
            # Named by the words as customers wrote them, in their order.
            home = Group(words=list(written.values()))
            for w in mine:
                by_word.setdefault(w, []).append(len(groups))
            groups.append((mine, home))
        home.count += count
        if len(home.examples) < 5 and text not in home.examples:
            home.examples.append(text)
        if near:
            home.near[near] += count
        home.kinds[kind] += count
    return sorted((g for _, g in groups), key=lambda g: -g.count)


def unknown_words(g: Group, in_guides: Callable[[str], bool]) -> list[str]:
    """The group's words that no guide uses in any form (`in_guides` tells, given a
    word). They are the customers' words for something: a guide may say it otherwise
    ("transcript" for "grades"), which the help center's own synonym file can tell search.
    Everyday words ("good" in "for good", "wrong") are left out: search already weighs
    them little, and they mean nothing to teach."""
    return [w for w in g.words if not in_guides(w) and not is_generic(w)]


def skeleton(g: Group, today: str) -> str:
    """The Markdown of a new guide for this group, to be written by a person."""
    title = g.examples[0].strip().rstrip("?").capitalize() if g.examples else "New guide"
    slug = re.sub(r"[^a-z0-9]+", "-", " ".join(g.words).lower()).strip("-")[:60] or "new-guide"
    asked = "\n".join(f"- {e}" for e in g.examples)
    near = f"\nThe closest guide so far: [{g.near_miss}]({g.near_miss}.md).\n" \
        if g.near_miss else ""
    return (f"---\ntitle: {title}\nslug: {slug}\ncategory: To sort\n"
            f"summary: Answers what customers asked {g.count} times without finding it.\n"
            f"tags: [{', '.join(g.words[:5])}]\nproducts: [Manager]\nlanguage: en\n"
            f"updated: {today}\n---\n\n"
            f"<!-- Customers asked:\n{asked}\n-->\n{near}\n"
            "Say in one or two sentences what this guide helps with.\n\n"
            "## Prerequisites\n\n- What must be true before starting.\n\n"
            f"## {title}\n\n1. The first step.\n2. The next step.\n")
