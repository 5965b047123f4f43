"""Reading an open index build: term statistics, word lookups and the BM25F query.

The query side of `kb.search.index` (which builds the index): the two are the only
modules that talk to Whoosh. A reader opens one build and is shared by the threads of a
process; `search` turns a question's `Concept`s into one Whoosh query in which the ways of
saying one concept do not add up (`_DisMax`), and returns `RawHit`s for the re-ranking.
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.matching import DisjunctionMaxMatcher, NullMatcher
from whoosh.query import And, DisjunctionMax, Or, Term

from kb.errors import SearchIndexError
from kb.search.index import (
    FIELD_WEIGHTS,
    FREQUENCIES,
    Alternative,
    Concept,
    bigram,
    read_manifest,
    stem,
)

# BM25's saturation (K1) and length normalisation (B, for the fields FIELD_B leaves out:
# summary and body); a grid around them found nothing better (docs/search-quality.md).
BM25_K1 = 1.2
BM25_B = 0.75
# Short fields are barely length-normalised: a 4-word title is not "long".
FIELD_B = {"title_B": 0.3, "tags_B": 0.3, "headings_B": 0.5}
# A phrase found anywhere in a guide weighs like a word in a heading.
PHRASE_WEIGHT = 1.6
# Share of guides above which a concept is too common to be worth retrieving by, once
# the collection is big enough for that to matter for speed.
COMMON_SHARE = 0.3
PRUNE_FROM = 100
# At most about this many postings are scored per query once the collection is large.
MATCH_BUDGET = 1500


@dataclass(frozen=True)
class RawHit:
    """A guide that matched, with its BM25F score."""

    docnum: int
    slug: str
    score: float


class IndexReader:
    """An open build, shared by the threads of a process. Whoosh searchers read files
    through shared handles and are not safe to use from two threads at once, so each
    thread gets its own searcher on the same build, opened on its first query."""

    def __init__(self, folder: Path):
        try:
            self._index = whoosh_index.open_dir(str(folder))
        except Exception as exc:  # Whoosh raises many kinds for a damaged index.
            raise SearchIndexError(f"cannot open the search index in {folder}: {exc}") from exc
        self.folder = folder
        self.manifest = read_manifest(folder)
        try:
            tables = json.loads((folder / FREQUENCIES).read_text())
            self._stem_df: dict[str, int] = tables["stems"]
            self._word_df: dict[str, int] = tables["words"]
            self._compounds: dict[str, str] = tables["compounds"]
        except (OSError, ValueError, KeyError) as exc:
            raise SearchIndexError(f"cannot read the search index in {folder}: {exc}") from exc
        self._weighting = scoring.BM25F(B=BM25_B, K1=BM25_K1, **FIELD_B)
        self._local = threading.local()
        self._opened: list[Any] = []  # Whoosh searchers
        self._lock = threading.Lock()
        self.doc_count = max(self._reader.doc_count() - 1, 1)
        self._slugs: dict[int, str] = {}

    @property
    def _searcher(self) -> Any:
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._local.searcher = self._index.searcher(weighting=self._weighting)
            with self._lock:
                self._opened.append(searcher)
        return searcher

    @property
    def _reader(self) -> Any:
        return self._searcher.reader()

    def close(self) -> None:
        with self._lock:
            for searcher in self._opened:
                searcher.close()
            self._opened.clear()

    def doc_frequency(self, stem_: str) -> int:
        """In how many guides a stem occurs, in any field."""
        return self._stem_df.get(stem_, 0)

    def knows_word(self, word: str) -> bool:
        return self.word_frequency(word) > 0

    def holds(self, word: str) -> bool:
        """Whether the guides (or the synonym table) have the word, in any inflection."""
        return self.knows_word(word) or self.doc_frequency(stem(word)) > 0

    def compound(self, word: str) -> list[str] | None:
        """The two words of a compound the guides write with a hyphen ("e bike" for
        "ebike"), or None."""
        parts = self._compounds.get(word)
        return parts.split() if parts else None

    def word_frequency(self, word: str) -> int:
        """In how many guides a word occurs (plus one for a word of the synonym table)."""
        return self._word_df.get(word, 0)

    def words_within(self, word: str, maxdist: int, prefix: int = 1) -> list[str]:
        """Known words within `maxdist` edits, sharing the first `prefix` letters (few
        typos touch the first letters, and the prefix makes the lookup much cheaper)."""
        return list(self._reader.terms_within("words", word, maxdist, prefix=prefix))

    def words_starting(self, prefix: str, limit: int) -> list[str]:
        """Known words that begin with `prefix`, most frequent first (as-you-type)."""
        found = itertools.islice(self._reader.expand_prefix("words", prefix), 200)
        candidates = [w.decode() if isinstance(w, bytes) else str(w) for w in found]
        return sorted(candidates, key=lambda w: (-self.word_frequency(w), w))[:limit]

    def alternative_frequency(self, alt: Alternative) -> int:
        """In how many guides an alternative occurs (a phrase: its rarest stem pair)."""
        if len(alt.stems) == 1:
            return self.doc_frequency(alt.stems[0])
        rarest: int = min(self._reader.doc_frequency("bigrams", bigram(a, b))
                          for a, b in itertools.pairwise(alt.stems))
        return rarest

    def _words_of_phrase(self, concept: Concept) -> tuple[int, Any] | None:
        """A phrase no guide says in its words together ("delete my account", where the
        guides say "delete your Rotaly account") still finds the guides holding all its
        words: (their rarest word's document frequency, the query), or None when a word
        is in no guide. Without it, a question that is that phrase found nothing."""
        # The phrase as said, else as read with its irregular forms brought back to their
        # words ("lost my phone": "lose" … "phone"), which means as much.
        for alt in concept.phrase_readings():
            counts = [self.doc_frequency(stem_) for stem_ in alt.stems]
            if all(counts):
                return min(counts), And([
                    self._alternative_query(Alternative((stem_,), alt.weight))
                    for stem_ in alt.stems])
        return None

    def _alternative_query(self, alt: Alternative) -> Any:
        """A word: a term per field that contains it (absent ones would only add empty
        matchers); a phrase: its stem pairs."""
        if len(alt.stems) == 1:
            stem_ = alt.stems[0]
            terms = [Term(field, stem_, boost=weight * alt.weight)
                     for field, weight in FIELD_WEIGHTS.items()
                     if self._reader.doc_frequency(field, stem_)]
            return terms[0] if len(terms) == 1 else _Or(terms)
        pairs = [Term("bigrams", bigram(a, b), boost=PHRASE_WEIGHT * alt.weight)
                 for a, b in itertools.pairwise(alt.stems)]
        return pairs[0] if len(pairs) == 1 else And(pairs)

    def search(self, concepts: list[Concept], limit: int,
               category: str | None = None) -> list[RawHit]:
        """BM25F on the weighted field; alternatives of one concept do not add up.

        Alternatives that occur in no guide are left out (most synonyms of a word are
        absent from any one knowledge base), and so are concepts found in most guides
        ("account", "log in"): they barely move BM25 but would make Whoosh score every
        guide. The coverage re-ranking still counts them, from each candidate's stems.
        """
        at_scale = self.doc_count >= PRUNE_FROM
        common = COMMON_SHARE * self.doc_count
        scored = []
        for concept in concepts:
            present = sorted(((df, alt) for alt in concept.alternatives
                              if (df := self.alternative_frequency(alt))),
                             key=lambda pair: pair[0])
            if at_scale and present:
                # A very common way of saying it ("add" for "set up") would match most
                # guides; keep the specific ways, or at least the rarest one.
                present = [p for p in present if p[0] <= common] or present[:1]
            if present:
                queries = [self._alternative_query(alt) for _, alt in present]
                query = _DisMax(queries, tiebreak=0.1) if len(queries) > 1 else queries[0]
                scored.append((sum(df for df, _ in present), query))
            elif (loose := self._words_of_phrase(concept)) is not None:
                scored.append(loose)
        if not scored:
            return []
        subqueries = []
        if not at_scale:
            subqueries = [q for _, q in scored]
        else:
            # Rarest concepts first, until the guides they would make Whoosh score exceed
            # the budget: the most informative words decide the candidates, the common ones
            # are left to the re-ranking.
            matched = 0
            for df, query in sorted(scored, key=lambda pair: pair[0]):
                if subqueries and (df > common or matched + df > MATCH_BUDGET):
                    break
                subqueries.append(query)
                matched += df
        query = _Or(subqueries) if len(subqueries) > 1 else subqueries[0]
        filter_ = Term("category", category) if category else None
        results = self._searcher.search(query, limit=limit, filter=filter_)
        return [RawHit(hit.docnum, self.slug(hit.docnum), hit.score) for hit in results]

    def slug(self, docnum: int) -> str:
        """A guide's slug, read once per build: `hit["slug"]` would decompress and unpickle
        the whole stored guide on every query."""
        found = self._slugs.get(docnum)
        if found is None:
            found = self._slugs[docnum] = self._searcher.stored_fields(docnum)["slug"]
        return found

    def stored(self, docnum: int) -> dict[str, Any]:
        """What the index keeps of a guide (`IndexDocument.data`)."""
        data: dict[str, Any] = self._searcher.stored_fields(docnum)["data"]
        return data

    def categories(self) -> list[str]:
        return sorted(t.decode() for t in self._reader.lexicon("category"))


class _Or(Or):  # type: ignore[misc]  # Whoosh is untyped: Or is Any.
    """An Or that always uses a tree of union matchers. For small collections Whoosh
    otherwise preloads every posting of every term into arrays first, which costs more
    than the whole search for the short queries of a help center."""

    matcher_type = Or.DEFAULT_MATCHER


class _DisMaxMatcher(DisjunctionMaxMatcher):  # type: ignore[misc]  # Whoosh is untyped.
    """Whoosh 2.7's DisjunctionMaxMatcher scores with a child that sits on another
    document, ignores `tiebreak`, and drops an active child in `replace`; this one only
    combines children positioned on the current document."""

    def score(self) -> float:
        a, b = self.a, self.b
        score: float  # Whoosh matchers are untyped; their scores are floats.
        if not a.is_active():
            score = b.score()
        elif not b.is_active():
            score = a.score()
        elif a.id() != b.id():
            score = a.score() if a.id() < b.id() else b.score()
        else:
            sa, sb = a.score(), b.score()
            score = max(sa, sb) + self.tiebreak * min(sa, sb)
        return score

    def replace(self, minquality: float = 0) -> Any:
        a, b = self.a, self.b
        if not a.is_active():
            return b.replace(minquality) if b.is_active() else NullMatcher()
        if not b.is_active():
            return a.replace(minquality)
        new_a, new_b = a.replace(minquality), b.replace(minquality)
        if not new_a.is_active():
            return new_b
        if not new_b.is_active():
            return new_a
        if new_a is not a or new_b is not b:
            return self.__class__(new_a, new_b, tiebreak=self.tiebreak)
        return self


class _DisMax(DisjunctionMax):  # type: ignore[misc]  # Whoosh is untyped.
    """Best-of for the ways to match one concept, so synonyms do not add up."""

    def _matcher(self, subs: Any, searcher: Any, context: Any) -> Any:
        reader = searcher.reader()
        return self._tree_matcher(subs, _DisMaxMatcher, searcher, context,
                                  lambda q: q.estimate_size(reader), tiebreak=self.tiebreak)
