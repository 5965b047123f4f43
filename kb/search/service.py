"""Search: a customer's question in, ranked guides with quoted passages out.

The pipeline, in order:
1. the question is cleaned and cut into words; nothing in it is query syntax;
2. unknown words are corrected against the index vocabulary (typo tolerance), and the
   corrections make the "did you mean" suggestion;
3. words and phrases are grouped into concepts, each expanded with the synonym table
   (1 to 3: `kb.search.analysis`);
4. Whoosh ranks guides by BM25F over the weighted fields (`kb.search.index_reader`);
5. each candidate is re-ranked by how much of the question it covers (concepts weighted
   by rarity), so a guide that answers every part beats one that repeats a single word
   (`kb.search.ranking`);
6. the confidence model decides whether the best guide answers (`kb.search.confidence`),
   and the passage that answers the question becomes the highlighted snippet
   (`kb.search.answers`, this module).

`kb.search.live.SearchService` keeps a `Searcher` on the current build of a process.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from kb.search import answers, confidence, index, questions
from kb.search.analysis import Analysis, QueryReader, clean_query
from kb.search.answers import Answer
from kb.search.index import Concept
from kb.search.index_reader import IndexReader
from kb.search.ranking import Candidate, Ranker
from kb.search.responses import Result, SearchResponse
from kb.search.snippets import (
    SnippetBlock,
    Terms,
    answer_snippet,
    choose_passage,
    highlight,
)
from kb.search.synonyms import Synonyms
from kb.search.text import words

CANDIDATES = 20
CACHE_SIZE = 4096
# Results scoring below this share of the best one are dropped rather than listed: they
# share a word or two with the question, not its subject.
KEEP_SHARE = 0.12
# The best results get the answering passage (`kb.search.answers`) as their snippet; the
# ones below, related rather than answering, the section that matches best, highlighted,
# which costs a fifth as much and keeps a full page of results within its time budget.
ANSWERED = 3


class Searcher:
    """Answers queries from one index build; cheap to call, safe to share across threads."""

    def __init__(self, reader: IndexReader, synonyms: Synonyms):
        self.reader = reader
        self.synonyms = synonyms
        self.analyser = QueryReader(reader, synonyms)
        self.ranker = Ranker(reader)
        # Help-center questions repeat a lot ("reset password"); an answer depends only
        # on the question and this build, so it is computed once per build.
        self.search = lru_cache(maxsize=CACHE_SIZE)(self._search)
        # A guide's sentences and lists, ready to score, read once per build.
        self.prepared = lru_cache(maxsize=CACHE_SIZE)(self._prepare)
        # Questions asked during a procedure repeat as much ("can I do it on my phone?").
        self.answer_in = lru_cache(maxsize=CACHE_SIZE)(self._answer_in)
        # And so are the few words typed at a step ("done", "yes", "next").
        self.ideas = lru_cache(maxsize=CACHE_SIZE)(self._ideas)

    def _prepare(self, docnum: int) -> answers.Prepared:
        return answers.prepare(self.ranker.guide(docnum).data.get("sections", ""))

    def analyse(self, query: str, typing: bool = False) -> Analysis:
        """What the pipeline understands of a query (`kb.search.analysis`)."""
        return self.analyser.analyse(query, typing)

    def _ideas(self, text: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
        """A message's ideas as search reads them: each the ways of saying it, as stems
        (for the chat, which reads every message of a procedure so)."""
        return tuple(tuple(alt.stems for alt in concept.alternatives)
                     for concept in self.analyse(text).concepts)

    def understands(self, word: str) -> bool:
        """Whether a customer's word means something to this help center: a guide or the
        synonym table has it, and it or a way of saying it is in some guide. ("pupils",
        which the table reads as "student", means nothing where no guide says "student".)"""
        if not self.reader.holds(word):
            return False
        analysis = self.analyse(word)
        return not analysis.concepts or analysis.unknown_weight == 0

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
        ranked = self.ranker.rank(analysis, max(CANDIDATES, offset + limit + 1), category)
        concepts = analysis.weighted
        kind = questions.question_type(words(query))
        # "i want to cancel": a task and not what it is done to.
        task_only = len(analysis.concepts) == 1 and \
            analysis.concepts[0].text in questions.ACTION_VERBS
        bare = task_only and self._done_by_several(analysis, ranked)
        confident = bool(ranked) and not bare and self._confident(analysis, ranked[0], kind)
        if ranked and not confident and analysis.unknown_weight and not typing:
            confident = self._confident_without_story(query, ranked[0], category)
        if ranked:
            floor = KEEP_SHARE * ranked[0].score
            ranked = [c for c in ranked if c.score >= floor]
        likely = False
        if bare:
            likely = True  # the guides that do it, as a choice
        elif not confident:
            best = ranked[0] if ranked else None
            ranked = self.ranker.without_common_only(analysis, ranked)
            likely = bool(ranked) and ranked[0] is best and \
                self._likely(analysis, ranked[0], kind)
        terms = highlight_terms(analysis.concepts)
        results = [self._result(c, concepts, kind, terms, n + offset < ANSWERED)
                   for n, c in enumerate(ranked[offset:offset + limit])]
        return SearchResponse(query=query, confident=confident, likely=likely,
                              results=results, suggestion=analysis.suggestion,
                              total=len(ranked), message=problem,
                              vague=not confident and (task_only or not analysis.topical))

    def _answer_in(self, raw_query: str, slug: str) -> Result | None:
        """The answer of one guide to a question, when the confidence model finds that
        the guide answers it (wherever it ranks); None otherwise. For a question asked
        in the middle of that guide's procedure: its own guide is where the person is."""
        query, _ = clean_query(raw_query)
        analysis = self.analyse(query) if query else None
        if analysis is None or not analysis.concepts:
            return None
        ranked = self.ranker.rank(analysis, CANDIDATES, None)
        own = next((c for c in ranked if c.hit.slug == slug), None)
        kind = questions.question_type(words(query))
        if own is None or not self._confident(analysis, own, kind):
            return None
        concepts = analysis.weighted
        result = self._result(own, concepts, kind, highlight_terms(analysis.concepts))
        return result if result.answer is not None else None

    def _done_by_several(self, analysis: Analysis, ranked: list[Candidate]) -> bool:
        """For a question that names a task alone ("i want to cancel"): whether several
        guides do it by their titles ("Cancel your subscription", "Cancel an order"), so
        that which one is meant is the person's to say. (A task one guide alone does,
        "export", is that guide's.)"""
        verb = index.stem(analysis.concepts[0].text)
        titled = [c for c in ranked
                  if verb in self.ranker.guide(c.hit.docnum).title_stems]
        return len(titled) >= 2

    def evidence(self, analysis: Analysis, top: Candidate) -> confidence.Evidence:
        """What the confidence model reads of the best answer (`kb.search.confidence`).
        A question of everyday words alone ("my unicorn hasn't arrived", "still
        waiting") names nothing a guide could be about: whatever guide says "arrive" has
        covered nothing of it."""
        return confidence.Evidence(
            coverage=top.coverage, covered=top.covered if analysis.topical else 0.0,
            total=sum(analysis.weights),
            unknown=analysis.unknown_weight, foreign=analysis.foreign_weight,
            concepts=len(analysis.concepts), score=top.score)

    def _answer(self, candidate: Candidate, concepts: list[tuple[Concept, float]],
                kind: str) -> Answer | None:
        """The passage of the candidate that answers the question, extracted once: the
        confidence model reads the best guide's, and its result quotes the same one."""
        if not candidate.extracted:
            candidate.answer = answers.extract(self.prepared(candidate.hit.docnum),
                                                concepts, kind)
            candidate.extracted = True
        return candidate.answer

    def passage_score(self, analysis: Analysis, top: Candidate, kind: str) -> float:
        """How well the passage that would be quoted from the best guide answers."""
        found = self._answer(top, analysis.weighted, kind)
        return found.score if found is not None else 0.0

    def features(self, analysis: Analysis, top: Candidate, kind: str) -> list[float]:
        return confidence.features(self.evidence(analysis, top),
                                   self.passage_score(analysis, top, kind))

    def _confident_without_story(self, query: str, top: Candidate,
                                 category: str | None) -> bool:
        """Whether the question is answered with confidence once what the customer tells
        of themselves is left out ("I run a small bakery in Lausanne and how do I add a
        client?": "bakery" and "Lausanne", known to no guide, weighed as its topic). Only
        for the same best guide: the story may cost the question its confidence, never
        change its answer. The question left must stand alone: two ideas at least, every
        word known, and no pronoun pointing back at the story ("how do i update it")."""
        told = _question_told(query)
        if told is None:
            return False
        asked = self.analyse(told)
        if len(asked.concepts) < 2 or asked.unknown_weight:
            return False
        again = self.ranker.rank(asked, CANDIDATES, category)
        return bool(again) and again[0].hit.docnum == top.hit.docnum and \
            self._confident(asked, again[0], questions.question_type(words(told)))

    def _confident(self, analysis: Analysis, top: Candidate, kind: str) -> bool:
        evidence = self.evidence(analysis, top)
        decided = confidence.confident(evidence)
        if decided is None:
            # Only a doubtful answer costs an extraction of its passage.
            decided = confidence.confident(evidence, self._judged_passage(analysis, top, kind))
        return bool(decided)

    def _judged_passage(self, analysis: Analysis, top: Candidate, kind: str) -> float:
        """The passage score the confidence model reads: for an order with a verb no list
        names (`questions.Kind.ordered`), the passage a general question would get, so
        that reading it as a task changes the answer shown, not whether there is one.
        Worked out once per candidate: whether it answers, and whether it comes close,
        both read it."""
        if not getattr(kind, "ordered", False):
            return self.passage_score(analysis, top, kind)
        if top.judged is None:
            found = answers.extract(self.prepared(top.hit.docnum), analysis.weighted,
                                    questions.Kind.of(questions.GENERAL))
            top.judged = found.score if found is not None else 0.0
        return top.judged

    def _likely(self, analysis: Analysis, top: Candidate, kind: str) -> bool:
        """Whether a best answer found not confident comes close (`confidence.likely`)."""
        return confidence.likely(self.evidence(analysis, top),
                                 self._judged_passage(analysis, top, kind))

    def _result(self, candidate: Candidate, concepts: list[tuple[Concept, float]],
                kind: str, terms: Terms, answered: bool = True) -> Result:
        data = candidate.data
        answer = self._answer(candidate, concepts, kind) if answered else None
        blocks: list[SnippetBlock] = []
        if answer is not None:
            links = [(a.text, a.url) for a in answer.links]
            snippet, blocks = answer_snippet(answer.text, links, terms, index.stem)
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
                      answer=answer, blocks=blocks)


def confidence_features(searcher: Searcher, query: str) -> list[float] | None:
    """The confidence model's features for a query's best answer (None: no answer), and
    whether the guide covers enough weight to be considered at all."""
    cleaned = clean_query(query)[0]
    analysis = searcher.analyse(cleaned)
    if not analysis.concepts:
        return None
    ranked = searcher.ranker.rank(analysis, CANDIDATES, None)
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


# Where a question follows what the customer tells of themselves: "I run a small bakery in
# Lausanne and how do I add a client", "since we moved offices last month, my invoices …".
_TOLD = re.compile(r"(?:,|;|:|\.|\band\b|\bso\b|\bbut\b|\bnow\b|\bbecause\b)\s+", re.I)
# "how do i update it": a question that points back at the story needs it.
_BACK = re.compile(r"\b(it|its|it's|them|they|this|that|these|those|there|one)\b", re.I)
_SELF = re.compile(r"\b(i|i'm|im|i've|ive|we|we're|were|we've|my|our|me|us)\b", re.I)


def _question_told(query: str) -> str | None:
    """The question after a clause in which the customer speaks of themselves, when
    there is one ("I run a small bakery in Lausanne and …"): what is asked, without the
    story around it. None when the message has no such opening."""
    for match in _TOLD.finditer(query):
        head, tail = query[:match.start()], query[match.end():]
        if len(tail.split()) >= 2 and _SELF.search(head) and not _BACK.search(tail):
            return tail
    return None
