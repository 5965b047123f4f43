"""Which guides are related to which: the "Related guides" a reader is offered next.

Two guides are related when they share what a reader would recognise as the same
subject: the category, tags, a link from one to the other, and the words they are
written in (their distinctive vocabulary, weighted by how rare each word is across the
help center, so "account" or "click" relate nothing). A category counts as much as it is
rare: one that holds most guides (every imported article's "General") says little. And
the words alone can make two guides related, as imported articles often have nothing
else in common with anything (no tags, no links, each its own category or one for all):
a similarity of `FULL_WORDS` in the guides' distinctive vocabulary counts fully. A guide
with nothing in common with any other gets no suggestions rather than a padded list: a
wrong suggestion costs the reader a click and their trust.

Computed once for the whole knowledge base (a few milliseconds for hundreds of guides)
and memoised by the caller until a guide changes.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kb.content.guides import Guide

WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
# Words of every guide's grammar, not of its subject.
STOP_WORDS = frozenset("""
about above after again against all also and any are because been before being below
between both but can cannot could did does doing done down during each few for from
further had has have having her here hers him his how into its itself just more most
must not now off once only other our ours out over own same she should some such than
that the their theirs them then there these they this those through too under until
very was were what when where which while who whom why will with would you your yours
yourself guide explains page click select open want need use using used make makes
new one two way ways able shown shows see also may well get gets like
""".split())

WEIGHTS = {"category": 0.25, "tags": 0.35, "link": 0.3, "words": 0.6}
# A suggestion must share at least this much with the guide, and not be far weaker than
# the best suggestion (a distant fourth is noise next to three close ones).
MIN_SCORE = 0.3
# The words kept per guide: its distinctive vocabulary, not every word it uses.
TOP_TERMS = 40
MIN_SHARE_OF_BEST = 0.35
# The cosine of two guides' distinctive words that counts as fully sharing a subject
# (measured on imported help centers: "Swap a shift" and "Request time off" 0.24, a
# thermostat's pairing and its reset 0.15, unrelated pairs mostly below 0.06).
FULL_WORDS = 0.2


@dataclass(frozen=True)
class Relation:
    slug: str
    score: float


def _stem(word: str) -> str:
    """A crude English stem, enough to meet "clients" with "client"."""
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def _words(text: str) -> list[str]:
    return [_stem(w) for w in (m.lower() for m in WORD.findall(text)) if w not in STOP_WORDS]


def _profile(guide: Guide) -> Counter[str]:
    """The guide's words, those a reader sees first (title, summary, headings, tags)
    counting more than the body's."""
    head = " ".join([guide.title, guide.meta.summary, *guide.meta.tags,
                     *(h.title for h in guide.headings)])
    counts = Counter(_words(guide.body))
    for word in _words(head):
        counts[word] += 3
    return counts


def _vectors(guides: list[Guide]) -> dict[str, dict[str, float]]:
    """TF-IDF vectors of each guide's most distinctive words, normalised to length one."""
    profiles = {g.slug: _profile(g) for g in guides}
    documents = Counter(word for counts in profiles.values() for word in counts)
    total = len(guides)
    vectors = {}
    for slug, counts in profiles.items():
        weights = {w: (1 + math.log(n)) * math.log((1 + total) / (1 + documents[w]))
                   for w, n in counts.items()}
        top = sorted(((v, w) for w, v in weights.items() if v > 0), reverse=True)[:TOP_TERMS]
        norm = math.sqrt(sum(v * v for v, _ in top)) or 1.0
        vectors[slug] = {w: v / norm for v, w in top}
    return vectors


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def _tags(guide: Guide) -> set[str]:
    return {" ".join(_words(tag)) or tag.lower() for tag in guide.meta.tags}


class Relatedness:
    """Everything needed to relate one guide to the others, built once for all guides.

    Only guides that share something with a guide are scored (found through the words'
    and tags' postings, its links and its category), so relating one guide costs about
    as much as the guides it has something in common with, not the whole help center."""

    def __init__(self, guides: Iterable[Guide]):
        known = list(guides)
        self.guides = {g.slug: g for g in known}
        self.vectors = _vectors(known)
        self.tags = {g.slug: _tags(g) for g in known}
        self.links: dict[str, set[str]] = {g.slug: set() for g in known}
        for guide in known:
            for link in guide.parsed.guide_links():
                if link.slug in self.links and link.slug != guide.slug:
                    self.links[guide.slug].add(link.slug)
                    self.links[link.slug].add(guide.slug)
        self.words: dict[str, list[tuple[str, float]]] = {}
        for slug, vector in self.vectors.items():
            for word, weight in vector.items():
                self.words.setdefault(word, []).append((slug, weight))
        self.tagged: dict[str, set[str]] = {}
        self.categories: dict[str, set[str]] = {}
        for guide in known:
            for tag in self.tags[guide.slug]:
                self.tagged.setdefault(tag, set()).add(guide.slug)
            self.categories.setdefault(guide.meta.category, set()).add(guide.slug)

    def _category_share(self, guide: Guide, other: str) -> float:
        """What sharing the category says: as much as the category is rare. One that
        holds most guides (every imported article's "General") says little."""
        category = guide.meta.category
        if category != self.guides[other].meta.category:
            return 0.0
        return 1.0 - (len(self.categories[category]) - 1) / max(len(self.guides) - 1, 1)

    def of(self, slug: str, limit: int = 4) -> list[Relation]:
        """The guides related to `slug`, most related first (at most `limit`, maybe none)."""
        guide = self.guides.get(slug)
        if guide is None:
            return []
        words: dict[str, float] = {}
        for word, weight in self.vectors[slug].items():
            for other, other_weight in self.words[word]:
                words[other] = words.get(other, 0.0) + weight * other_weight
        mine = self.tags[slug]
        candidates = set(words) | self.links[slug] | self.categories[guide.meta.category]
        for tag in mine:
            candidates |= self.tagged[tag]
        candidates.discard(slug)
        scored = []
        for other in candidates:
            theirs = self.tags[other]
            union = mine | theirs
            score = (WEIGHTS["category"] * self._category_share(guide, other)
                     + WEIGHTS["tags"] * (len(mine & theirs) / len(union) if union else 0.0)
                     + WEIGHTS["link"] * (other in self.links[slug])
                     + WEIGHTS["words"] * min(1.0, words.get(other, 0.0) / FULL_WORDS))
            scored.append(Relation(other, round(score, 4)))
        scored.sort(key=lambda r: (-r.score, r.slug))
        best = scored[0].score if scored else 0.0
        return [r for r in scored[:limit]
                if r.score >= MIN_SCORE and r.score >= best * MIN_SHARE_OF_BEST]


def relate(guides: Iterable[Guide], limit: int = 4) -> dict[str, list[Relation]]:
    """For every guide, the guides related to it (see `Relatedness.of`)."""
    relatedness = Relatedness(guides)
    return {slug: relatedness.of(slug, limit) for slug in relatedness.guides}
