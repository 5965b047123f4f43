"""Search: a customer's question in, ranked guides with quoted passages out.

The pipeline, in order:
1. the question is cleaned and cut into words; nothing in it is query syntax;
2. unknown words are corrected against the index vocabulary (typo tolerance), and the
   corrections make the "did you mean" suggestion;
3. words and phrases are grouped into concepts, each expanded with the synonym table;
4. Whoosh ranks guides by BM25F over the weighted fields (`kb.search.index`);
5. each candidate is re-ranked by how much of the question it covers (concepts weighted
   by rarity), so a guide that answers every part beats one that repeats a single word;
6. the top guide's coverage decides whether the answer is confident, and the passage that
   covers the question best becomes the highlighted snippet.
"""

from __future__ import annotations

import html
import math
import os
import re
import threading
import time
import unicodedata
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from kb.search import answers, confidence, index, indexing, questions
from kb.search.answers import Answer
from kb.search.index import Alternative, Concept
from kb.search.index_reader import IndexReader, RawHit
from kb.search.snippets import (
    StoredPassage,
    Terms,
    answer_snippet,
    choose_passage,
    highlight,
)
from kb.search.synonyms import Expansion, Synonyms
from kb.search.text import (
    FILLER_GAP,
    PARTICLE_GAP,
    PARTICLES,
    PREPOSITIONS,
    is_english,
    is_filler,
    is_generic,
    is_stopword,
    words,
)
from kb.search.watch import FolderWatch
from kb.settings import Settings

MAX_QUERY_CHARS = 500
MAX_QUERY_WORDS = 40
CANDIDATES = 20
TYPO_WEIGHT = 0.9
CACHE_SIZE = 4096
# Guides read back from the index and made ready to re-rank (decompressed, unpickled, their
# stems as sets), kept per build: the same few dozen guides come back for most questions,
# and reading one costs more than ranking it. Bounded for help centers of thousands.
GUIDE_CACHE = 512
NUMBER_FACTOR = 0.3
# An everyday word no guide uses ("wrong", "put") is not the question's missing topic.
GENERIC_FACTOR = 0.3
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
# A misspelling that is itself a word of English is corrected only into a word found in
# at least this share of the guides.
ENGLISH_FIX_SHARE = 0.3
# Results scoring below this share of the best one are dropped rather than listed: they
# share a word or two with the question, not its subject.
KEEP_SHARE = 0.12
# The best results get the answering passage (`kb.search.answers`) as their snippet; the
# ones below, related rather than answering, the section that matches best, highlighted,
# which costs a fifth as much and keeps a full page of results within its time budget.
ANSWERED = 3
# As-you-type: the last word, still being typed, stands for its most frequent completions.
COMPLETIONS = 3


class Result(BaseModel):
    """One ranked guide. Serialized (`model_dump`) it is a result of `kb search --json`
    and of the API; `coverage` and `passage` are for the callers in the core only."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    slug: str
    title: str
    score: float
    snippet: str = Field(description="The passage that answers best, as HTML: the guide's "
                                     "text escaped, the matched words in `<mark>`.")
    procedure: str | None = Field(description="The procedure compiled from the guide, or "
                                              "null.")
    section: str
    anchor: str
    category: str
    coverage: float = Field(exclude=True)
    passage: str = Field(default="", exclude=True)
    answer: Answer | None = Field(default=None, exclude=True)

    @field_serializer("score")
    def _rounded(self, score: float) -> float:
        return round(score, 4)


class SearchResponse(BaseModel):
    """The answer to one query: the contract of `kb search --json` and the API, produced
    by `model_dump(mode="json")`."""

    model_config = ConfigDict(frozen=True, extra="forbid",
                              json_schema_serialization_defaults_required=True)

    query: str = Field(description="The question as understood (cleaned, cut).")
    confident: bool = Field(description="False when no result answers the question.")
    results: list[Result]
    suggestion: str | None = Field(description="A corrected question, when words were "
                                               "misspelt.")
    total: int = 0
    message: str | None = Field(default=None, exclude_if=lambda value: not value,
                                description="Why the answer is empty or the query was "
                                            "changed; absent otherwise.")


@dataclass
class Analysis:
    """What the pipeline understood of a query (useful to explain a ranking)."""

    concepts: list[Concept] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    unknown_weight: float = 0.0  # of the concepts no guide contains in any form
    foreign_weight: float = 0.0  # ... of those, the ones with a word that is not English
    suggestion: str | None = None


def clean_query(raw: str | bytes) -> tuple[str, str | None]:
    """A query safe to process: decoded, printable, bounded. Returns (query, problem)."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            return "", "the query is not UTF-8 text"
    problem = None
    if len(raw) > MAX_QUERY_CHARS:
        raw, problem = raw[:MAX_QUERY_CHARS], (
            f"the query was cut to its first {MAX_QUERY_CHARS} characters")
    # Control and format characters (NUL, escape sequences, bidi marks) are noise.
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in raw)
    text = re.sub(r"\s+", " ", text).strip()
    return text, problem


class Searcher:
    """Answers queries from one index build; cheap to call, safe to share across threads."""

    def __init__(self, reader: IndexReader, synonyms: Synonyms):
        self.reader = reader
        self.synonyms = synonyms
        self._n = reader.doc_count
        # Help-center questions repeat a lot ("reset password"); an answer depends only
        # on the question and this build, so it is computed once per build.
        self.search = lru_cache(maxsize=CACHE_SIZE)(self._search)
        # A guide's sentences and lists, ready to score, read once per build.
        self.prepared = lru_cache(maxsize=CACHE_SIZE)(self._prepare)
        self.guide = lru_cache(maxsize=GUIDE_CACHE)(self._read_guide)

    def _read_guide(self, docnum: int) -> StoredGuide:
        data = self.reader.stored(docnum)
        return StoredGuide(
            data, frozenset(data["stems"].split()), frozenset(index.stems(data["title"])),
            [StoredPassage(a, t, lv, text, frozenset(s.split()), frozenset(ts.split()))
             for a, t, lv, text, s, ts in data["passages"]])

    def _prepare(self, docnum: int) -> answers.Prepared:
        return answers.prepare(self.guide(docnum).data.get("sections", ""))

    # -- understanding the query -------------------------------------------------------
    def idf(self, df: int) -> float:
        return math.log(1 + self._n / max(df, 1))

    def _known(self, word: str) -> bool:
        """Known words are never "corrected": a word of the guides (in any inflection),
        of the synonym table, or a stopword."""
        if self.reader.knows_word(word) or word in self.synonyms.words or is_stopword(word):
            return True
        stem = index.stem(word)
        return stem in self.synonyms.stems or self.reader.doc_frequency(stem) > 0

    def correct(self, word: str) -> str | None:
        """The most frequent known word within one edit (two for words of 7+ letters);
        a swap of two letters counts as one edit."""
        if len(word) < 4 or any(c.isdigit() for c in word):
            return None
        limit = 1 if len(word) < 7 else 2
        # A cheap pass first (one edit); Whoosh's automaton counts a swap as two edits,
        # so a wider pass, on words sharing two first letters, finds swaps and 2-edit typos.
        passes = [(1, 1), (2, 2)] if len(word) >= 5 else [(1, 1)]
        for maxdist, prefix in passes:
            scored = [(distance, -self.reader.word_frequency(c), c)
                      for c in self.reader.words_within(word, maxdist, prefix)
                      if (distance := index.edit_distance(word, c)) <= limit]
            if scored:
                return min(scored)[2]
        return None

    def complete(self, word: str) -> str | None:
        """The most frequent known word that `word` begins (instant search: the word is
        still being typed); None when `word` is already a word or begins none."""
        if len(word) < 2 or self._known(word):
            return None
        found = self.reader.words_starting(word, COMPLETIONS)
        return found[0] if found else None

    def analyse(self, query: str, typing: bool = False) -> Analysis:
        """`typing`: the last word is still being typed and matches as a prefix."""
        tokens = words(query)[:MAX_QUERY_WORDS]
        completed = self.complete(tokens[-1]) if typing and tokens else None
        if completed:
            tokens[-1] = completed
        corrected: list[str] = []
        typo = [False] * len(tokens)
        for i, word in enumerate(tokens):
            # An everyday word is what the customer meant, not a typo ("stuff" is not
            # "staff").
            fix = None if self._known(word) or is_generic(word) else self.correct(word)
            if fix and is_english(word) \
                    and self.reader.word_frequency(fix) < ENGLISH_FIX_SHARE * self._n:
                # A word of English is what the customer wrote ("printer", "pops"), not
                # a typo of a rare word of the guides ("printed", "pop3"); only a word
                # most guides use ("manger" for "manager") is the likelier reading.
                fix = None
            corrected.append(fix or word)
            typo[i] = fix is not None
        analysis = Analysis()
        if any(typo):
            # The suggestion keeps the customer's own wording, with only the typos fixed.
            suggestion = query
            for word, fix, was_typo in zip(tokens, corrected, typo, strict=True):
                if was_typo:
                    suggestion = re.sub(rf"(?i)\b{re.escape(word)}\b", fix, suggestion, count=1)
            analysis.suggestion = suggestion if suggestion.lower() != query.lower() else None

        stems = [index.stem(w) for w in corrected]
        particles: set[int] = set()  # particles read with their verb, further back
        i = 0
        while i < len(stems):
            if i in particles:
                i += 1
                continue
            length, expansions = self.synonyms.match(stems, i)
            if length <= 1 and not is_stopword(corrected[i]):
                # "my phone was stolen" says "phone stolen": a phrase of the table whose
                # words the customer separated by small words still counts whole.
                gapped, found = self._gapped_match(stems, corrected, i)
                if gapped > max(length, 1):
                    length, expansions = gapped, found
            if length <= 1 and not is_stopword(corrected[i]):
                particle, found = self._separated_particle(stems, corrected, i)
                if found:
                    # The verb stands for the phrase; the words between are read on
                    # their own, and the particle is not read again.
                    particles.add(particle)
                    length, expansions = 1, found
            if length == 1 and is_stopword(corrected[i]):
                # A stopword is never a concept, even when its stem collides with a
                # synonym ("to" is the stem of "tos").
                length, expansions = 0, []
            span = max(length, 1)
            own = tuple(s for s, w in zip(stems[i:i + span], corrected[i:i + span], strict=True)
                        if not is_stopword(w))
            if expansions and span > 1 and len(own) <= 1:
                # A phrase of the synonym table whose small words are most of it means
                # something only whole ("can't log in" is not "log", "got into" is not
                # nothing): a guide has it when it has the whole phrase. Phrases that keep
                # several words ("change the name") still match by those words.
                own = tuple(stems[i:i + span])
            if not own:
                i += span
                continue
            factor = TYPO_WEIGHT if any(typo[i:i + span]) else 1.0
            alternatives = [Alternative(own, factor)]
            # A way of saying it with a word no guide has can match nothing: it is left
            # out, so that a large synonym group costs only the ways this help center uses.
            alternatives += [Alternative(e.stems, e.weight * factor) for e in expansions
                             if e.stems != own and all(map(self.reader.doc_frequency, e.stems))]
            concept = Concept(" ".join(corrected[i:i + span]), tuple(alternatives))
            analysis.concepts.append(concept)
            weight, known = self._concept_weight(concept)
            analysis.weights.append(weight)
            analysis.unknown_weight += 0.0 if known else weight
            if not known and confidence.is_foreign(concept.text):
                analysis.foreign_weight += weight
            i += span
        return analysis

    def _gapped_match(self, stems: list[str], corrected: list[str],
                      start: int) -> tuple[int, list[Expansion]]:
        """The longest phrase of the synonym table made of the content words from
        `start` on, with up to FILLER_GAP filler words between two of them: (the span it covers
        in the question, its expansions), or (0, [])."""
        positions = [start]
        j = start + 1
        while len(positions) < self.synonyms.max_length and j < len(stems):
            gap = 0
            while j < len(stems) and is_filler(corrected[j]) and gap <= FILLER_GAP:
                j, gap = j + 1, gap + 1
            if j >= len(stems) or gap > FILLER_GAP:
                break
            positions.append(j)
            j += 1
        for count in range(len(positions), 1, -1):
            found = self.synonyms.lookup(tuple(stems[p] for p in positions[:count]))
            if found:
                return positions[count - 1] - start + 1, found
        return 0, []

    def _separated_particle(self, stems: list[str], corrected: list[str],
                            verb: int) -> tuple[int, list[Expansion]]:
        """A phrasal verb of the synonym table whose object stands between the verb at
        `verb` and its particle ("take my old account off"): (the particle's position,
        the phrase's expansions), or (0, [])."""
        end = min(len(stems), verb + 2 + PARTICLE_GAP)
        for k in range(verb + 2, end):
            word = corrected[k]
            if word in PREPOSITIONS:
                break
            if word in PARTICLES:
                found = self.synonyms.lookup((stems[verb], stems[k]))
                if found:
                    return k, found
        return 0, []

    def _concept_weight(self, concept: Concept) -> tuple[float, bool]:
        """How much a concept says, and whether any guide contains it: the rarity of the
        customer's own word, if guides use it; else of the most common way guides express
        it; else (a word no guide knows) the weight of a word found in a single guide."""
        own = concept.alternatives[0]
        own_df = self._phrase_df(own.stems)
        if own_df:
            return self.idf(own_df), True
        known = [df for alt in concept.alternatives[1:] if (df := self._phrase_df(alt.stems))]
        if known:
            return self.idf(max(known)), True
        # A number the guides do not contain ("2 accounts") is usually incidental; other
        # unknown words may be the topic ("fondue") or context ("nobody uses it").
        if own.stems[0].isdigit():
            return self.idf(1) * NUMBER_FACTOR, False
        return self.idf(1) * (GENERIC_FACTOR if is_generic(concept.text) else 1.0), False

    def _phrase_df(self, stems: tuple[str, ...]) -> int:
        return self.reader.alternative_frequency(index.Alternative(stems, 1.0))

    # -- answering -----------------------------------------------------------------------
    def _search(self, raw_query: str | bytes, limit: int = 10, offset: int = 0,
                category: str | None = None, instant: bool = False) -> SearchResponse:
        """`instant`: an as-you-type search, where the last word matches as a prefix
        unless the query ends with a space."""
        query, problem = clean_query(raw_query)
        typing = instant and not str(raw_query)[-1:].isspace()
        limit = max(0, min(int(limit), 100))
        offset = max(0, int(offset))
        if not query:
            return SearchResponse(query=query, confident=False, results=[], suggestion=None,
                                  message=problem or "the query is empty")
        analysis = self.analyse(query, typing)
        if not analysis.concepts:
            return SearchResponse(query=query, confident=False, results=[],
                                  suggestion=analysis.suggestion,
                                  message=problem or "the query has no searchable words")
        # One more than the page needs, so that a caller can tell whether a next page exists.
        ranked = self._rank(analysis, max(CANDIDATES, offset + limit + 1), category)
        concepts = list(zip(analysis.concepts, analysis.weights, strict=True))
        kind = questions.question_type(words(query))
        confident = bool(ranked) and self._confident(analysis, ranked[0], kind)
        if ranked:
            floor = KEEP_SHARE * ranked[0].score
            ranked = [c for c in ranked if c.score >= floor]
        terms = highlight_terms(analysis.concepts)
        results = [self._result(c, concepts, kind, terms, n + offset < ANSWERED)
                   for n, c in enumerate(ranked[offset:offset + limit])]
        return SearchResponse(query=query, confident=confident, results=results,
                              suggestion=analysis.suggestion, total=len(ranked),
                              message=problem)

    def _rank(self, analysis: Analysis, candidates: int,
              category: str | None) -> list[_Candidate]:
        """Whoosh's candidates, re-ranked by how much of the question they cover."""
        total_weight = sum(analysis.weights)
        ways = _ways(analysis)
        ranked: list[_Candidate] = []
        for n, hit in enumerate(self.reader.search(analysis.concepts, candidates, category)):
            guide = self.guide(hit.docnum)
            candidate = _Candidate(hit, guide.data, guide.passages)
            covered, share = _covered(ways, guide.stems)
            candidate.covered = covered
            candidate.coverage, share = covered / total_weight, share / total_weight
            title_bonus = fitted_bonus = 1.0
            if n < RERANK_DEPTH:
                # A guide whose single section answers the whole question beats one that
                # mentions each word somewhere.
                best = [_covered(ways, p.stems | p.title_stems) for p in guide.passages]
                best_covered = max((b[0] for b in best), default=0.0) / total_weight
                best_share = max((b[1] for b in best), default=0.0) / total_weight
                candidate.coverage = ((1 - PASSAGE_SHARE) * candidate.coverage
                                      + PASSAGE_SHARE * best_covered)
                share = (1 - PASSAGE_SHARE) * share + PASSAGE_SHARE * best_share
                titled = _covered(ways, guide.title_stems)
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

    def evidence(self, analysis: Analysis, top: _Candidate) -> confidence.Evidence:
        """What the confidence model reads of the best answer (`kb.search.confidence`)."""
        return confidence.Evidence(
            coverage=top.coverage, covered=top.covered, total=sum(analysis.weights),
            unknown=analysis.unknown_weight, foreign=analysis.foreign_weight,
            concepts=len(analysis.concepts), score=top.score)

    def _answer(self, candidate: _Candidate, concepts: list[tuple[Concept, float]],
                kind: str) -> Answer | None:
        """The passage of the candidate that answers the question, extracted once: the
        confidence model reads the best guide's, and its result quotes the same one."""
        if not candidate._extracted:
            candidate._answer = answers.extract(self.prepared(candidate.hit.docnum),
                                                concepts, kind)
            candidate._extracted = True
        return candidate._answer

    def passage_score(self, analysis: Analysis, top: _Candidate, kind: str) -> float:
        """How well the passage that would be quoted from the best guide answers."""
        pairs = list(zip(analysis.concepts, analysis.weights, strict=True))
        found = self._answer(top, pairs, kind)
        return found.score if found is not None else 0.0

    def features(self, analysis: Analysis, top: _Candidate, kind: str) -> list[float]:
        return confidence.features(self.evidence(analysis, top),
                                   self.passage_score(analysis, top, kind))

    def _confident(self, analysis: Analysis, top: _Candidate, kind: str) -> bool:
        evidence = self.evidence(analysis, top)
        decided = confidence.confident(evidence)
        if decided is None:
            # Only a doubtful answer costs an extraction of its passage.
            decided = confidence.confident(evidence, self.passage_score(analysis, top, kind))
        return bool(decided)

    def _result(self, candidate: _Candidate, concepts: list[tuple[Concept, float]],
                kind: str, terms: Terms, answered: bool = True) -> Result:
        data = candidate.data
        answer = self._answer(candidate, concepts, kind) if answered else None
        if answer is not None:
            snippet = answer_snippet(answer.one_line, [(a.text, a.url) for a in answer.links],
                                     terms, index.stem)
        else:
            concept_stems = [(frozenset(s for alt in c.alternatives for s in alt.stems), w)
                             for c, w in concepts]
            passage = choose_passage(candidate.passages, concept_stems)
            snippet = (highlight(passage.text, terms, index.stem) if passage
                       else html.escape(data["summary"], quote=False))
        return Result(slug=candidate.hit.slug, title=data["title"], score=candidate.score,
                      snippet=snippet, procedure=data.get("procedure"),
                      section=answer.section if answer else "",
                      anchor=answer.anchor if answer else "", category=data["category"],
                      coverage=candidate.coverage, passage=answer.text if answer else "",
                      answer=answer)


@dataclass(frozen=True)
class StoredGuide:
    """A guide as the index keeps it, ready to re-rank: shared by every query of a build,
    so never changed."""

    data: dict[str, Any]
    stems: frozenset[str]  # of the whole guide
    title_stems: frozenset[str]
    passages: list[StoredPassage]


@dataclass
class _Candidate:
    """A guide Whoosh found, with what the re-ranking learns about it."""

    hit: RawHit
    data: dict[str, Any]
    passages: list[StoredPassage]
    covered: float = 0.0
    coverage: float = 0.0
    score: float = 0.0
    order: float = 0.0  # the ranking key (`Searcher._rank`)
    _answer: Answer | None = None
    _extracted: bool = False  # whether `_answer` was looked for (None: no passage answers)


def confidence_features(searcher: Searcher, query: str) -> list[float] | None:
    """The confidence model's features for a query's best answer (None: no answer), and
    whether the guide covers enough weight to be considered at all."""
    cleaned = clean_query(query)[0]
    analysis = searcher.analyse(cleaned)
    if not analysis.concepts:
        return None
    ranked = searcher._rank(analysis, CANDIDATES, None)
    if not ranked or ranked[0].covered < confidence.MIN_WEIGHT:
        return None
    return searcher.features(analysis, ranked[0], questions.question_type(words(cleaned)))


def highlight_terms(concepts: list[Concept]) -> Terms:
    """What the snippets mark: the question's own words and one-word synonyms wherever
    they occur; a synonym phrase only where it stands whole ("security app", never
    "security" alone), since its words alone are not what the customer asked."""
    singles: set[str] = set()
    phrases: set[tuple[str, ...]] = set()
    for concept in concepts:
        own, *others = concept.alternatives
        singles.update(own.stems)
        for alt in others:
            if len(alt.stems) == 1:
                singles.update(alt.stems)
            else:
                phrases.add(alt.stems)
    return Terms(frozenset(singles), frozenset(phrases))


# The ways of matching each concept of a question, with the concept's weight: each way
# is (its stems, its credit as the confidence model was fitted on it, its credit for
# ordering); computed once per question, checked against every candidate.
Ways = list[tuple[tuple[tuple[frozenset[str], float, float], ...], float]]


def _ways(analysis: Analysis) -> Ways:
    """How a guide can cover each concept: fully with the customer's own word, a little
    less through a synonym, and partly through a related word (`CREDIT_POWER`)."""
    return [(tuple((frozenset(alt.stems), alt.weight, alt.weight ** CREDIT_POWER)
                   for alt in concept.alternatives), weight)
            for concept, weight in zip(analysis.concepts, analysis.weights, strict=True)]


def _covered(ways: Ways, matched: frozenset[str]) -> tuple[float, float]:
    """The weight of the question a set of stems covers (each concept by its best way),
    as the confidence model reads it and as the ordering does."""
    fitted = ordering = 0.0
    for alternatives, weight in ways:
        found = [(credit, soft) for stems, credit, soft in alternatives if stems <= matched]
        if found:
            fitted += weight * max(credit for credit, _ in found)
            ordering += weight * max(soft for _, soft in found)
    return fitted, ordering


class SearchService:
    """A Searcher that follows the guides folder: rebuilds and reopens when it changes.

    A background watch (`kb.search.watch`) counts changes under the folder, through file
    notifications or, where there are none, a scan every `refresh_seconds` in its own
    thread; a query only compares that count with the last one acted on. After a change
    the guides are fingerprinted (one `stat` per file) and the index rebuilt if they
    really differ. The watch starts with the first query of each process, so each forked
    server worker has its own. `refresh_seconds=0` checks the files on every query
    instead, without a thread (for tests that change guides and search at once).
    """

    def __init__(self, settings: Settings, procedure_for: indexing.ProcedureFinder | None = None,
                 synonyms: Synonyms | None = None, refresh_seconds: float = 2.0,
                 on_gap: Callable[[SearchResponse], None] | None = None,
                 notifications: bool = True):
        self.settings = settings
        self.synonyms = synonyms or Synonyms.load(index.stems)
        self.procedure_for = procedure_for or (lambda guide: None)
        self.refresh_seconds = refresh_seconds
        self.notifications = notifications
        self.on_gap = on_gap
        self._lock = threading.Lock()
        self._searcher: Searcher | None = None
        self._build: Path | None = None
        self._checked = 0.0
        self._watch: FolderWatch | None = None
        self._seen = -1  # the watch's change count when the guides were last checked
        # Called with each newly opened build's searcher, before it answers: work done
        # once per build by its users (the chat's follow-up suggestions).
        self.on_open: list[Callable[[Searcher], object]] = []

    @property
    def watch_mode(self) -> str:
        """How changes are noticed in this process: "notifications", "polling" (a scan
        in the background), or "on request" (a timed check when a query comes)."""
        watch = self._watch
        return watch.mode if watch is not None and watch.alive else "on request"

    def _fresh(self) -> bool:
        """Whether the open searcher may be used as is (no file system access)."""
        if self._searcher is None:
            return False
        watch = self._watch
        if watch is not None and watch.alive:
            return watch.generation == self._seen
        if watch is not None and watch.pid != os.getpid():
            return False  # a forked child: it starts its own watch now
        return (self.refresh_seconds > 0
                and time.monotonic() - self._checked < self.refresh_seconds)

    def _start_watch(self) -> FolderWatch | None:
        """This process's watch, started on first use (after a fork, anew)."""
        watch = self._watch
        if watch is not None and (watch.alive or watch.pid == os.getpid()):
            return watch if watch.alive else None
        watch = self._watch = FolderWatch(self.settings.guides, self.refresh_seconds,
                                          self.notifications)
        try:
            watch.start()
        except OSError:
            return None  # no folder to watch: checked by time, on request
        # Stopped when this service is collected (tests build many; a server one).
        weakref.finalize(self, watch.stop)
        return watch

    def searcher(self) -> Searcher:
        if self._fresh():
            return self._searcher  # type: ignore[return-value]
        with self._lock:
            if not self._fresh():
                watch = self._start_watch() if self.refresh_seconds > 0 else None
                # Read before checking: a change during the check is checked again.
                seen = watch.generation if watch is not None else -1
                build = indexing.ensure_index(self.settings.index_root, self.settings.guides,
                                              self.synonyms, self.procedure_for)
                if build != self._build:
                    old = self._searcher
                    searcher = Searcher(IndexReader(build), self.synonyms)
                    for prepare in self.on_open:
                        prepare(searcher)
                    self._searcher = searcher
                    self._build = build
                    if old is not None:
                        old.reader.close()
                self._seen = seen
                self._checked = time.monotonic()
        return self._searcher  # type: ignore[return-value]

    def close(self) -> None:
        """Stop watching the guides (the searcher stays usable, checked on request)."""
        if self._watch is not None:
            self._watch.stop()

    def search(self, query: str | bytes, limit: int = 10, offset: int = 0,
               category: str | None = None, log_gap: bool = True,
               instant: bool = False) -> SearchResponse:
        """Search; an unconfident answer is logged as a content gap unless `log_gap` is
        false (as-you-type searches: half-typed words are not questions). `instant`: the
        last word is still being typed and matches as a prefix ("lost my phon")."""
        response = self.searcher().search(query, limit=limit, offset=offset,
                                          category=category, instant=instant)
        if log_gap and not response.confident and response.query and self.on_gap is not None:
            self.on_gap(response)
        return response
