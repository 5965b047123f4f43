"""Understanding a question: cleaned, corrected, cut into weighted concepts.

Steps 1 to 3 of the search pipeline (`kb.search.service`): the question is cleaned and
cut into words (nothing in it is query syntax); unknown words are corrected against the
index vocabulary, which makes the "did you mean" suggestion; words and phrases are
grouped into concepts, each with the ways the synonym table says it, and weighed by
rarity (a word no guide holds weighs as a word of a single guide).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from kb.search import confidence, index, inflections
from kb.search.index import Alternative, Concept
from kb.search.index_reader import IndexReader
from kb.search.language import other_language
from kb.search.synonyms import Expansion, Synonyms
from kb.search.text import (
    FILLER_GAP,
    PARTICLE_GAP,
    PARTICLES,
    PREPOSITIONS,
    is_english,
    is_filler,
    is_frame_word,
    is_generic,
    is_how_frame,
    is_notice_frame,
    is_stopword,
    read_as_meant,
    spell_out_endings,
    words,
)

MAX_QUERY_CHARS = 500
MAX_QUERY_WORDS = 40
TYPO_WEIGHT = 0.9
NUMBER_FACTOR = 0.3
# An everyday word no guide uses ("wrong", "put") is not the question's missing topic.
GENERIC_FACTOR = 0.3
# A misspelling that is itself a word of English is corrected only into a word found in
# at least this share of the guides.
ENGLISH_FIX_SHARE = 0.3
# As-you-type: the last word, still being typed, stands for its most frequent completions.
COMPLETIONS = 3


@dataclass
class Analysis:
    """What the pipeline understood of a query (useful to explain a ranking)."""

    concepts: list[Concept] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    unknown_weight: float = 0.0  # of the concepts no guide contains in any form
    foreign_weight: float = 0.0  # ... of those, the ones with a word that is not English
    suggestion: str | None = None
    # Whether any concept names something a guide could be about (`QueryReader._topical`).
    topical: bool = False

    @property
    def weighted(self) -> list[tuple[Concept, float]]:
        """Each concept with its weight, as answers and scores read them."""
        return list(zip(self.concepts, self.weights, strict=True))


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


class QueryReader:
    """Reads questions against one index build and the synonym table."""

    def __init__(self, reader: IndexReader, synonyms: Synonyms):
        self.reader = reader
        self.synonyms = synonyms
        self._n = reader.doc_count

    def idf(self, df: int) -> float:
        return math.log(1 + self._n / max(df, 1))

    def _known(self, word: str) -> bool:
        """Known words are never "corrected": a word of the guides (in any inflection),
        of the synonym table, or a stopword."""
        if self.reader.holds(word) or word in self.synonyms.words or is_stopword(word):
            return True
        return index.stem(word) in self.synonyms.stems

    def correct(self, word: str) -> str | None:
        """The most frequent known word within one edit (two for words of 7+ letters);
        a swap of two letters counts as one edit."""
        if len(word) < 4 or any(c.isdigit() for c in word):
            return None
        limit = 1 if len(word) < 7 else 2
        # Two letters swapped is the commonest typo ("cahnge", "porfile"), often among the
        # first letters, which the passes below keep: each swap is looked up directly.
        swapped = [(1, 0, -frequency, c) for c in _swaps(word)
                   if (frequency := self.reader.word_frequency(c))]
        # A cheap pass first (one edit); Whoosh's automaton counts a swap as two edits,
        # so a wider pass, on words sharing two first letters, finds 2-edit typos. Among
        # words as near, a doubled letter typed once ("maried": "married", not "marked")
        # is the likelier slip, then the most frequent word.
        passes = [(1, 1), (2, 2)] if len(word) >= 5 else [(1, 1)]
        for maxdist, prefix in passes:
            scored = [(distance, 0 if _undoubled(c) == word else 1,
                       -self.reader.word_frequency(c), c)
                      for c in self.reader.words_within(word, maxdist, prefix)
                      if (distance := index.edit_distance(word, c)) <= limit]
            if scored or swapped:
                return min(scored + swapped)[3]
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
        # "ebike" is the guides' "e-bike": read as its two words.
        tokens = read_as_meant(
            [part for word in words(spell_out_endings(query))[:MAX_QUERY_WORDS]
             for part in self.reader.compound(word) or (word,)])
        completed = self.complete(tokens[-1]) if typing and tokens else None
        if completed:
            tokens[-1] = completed
        corrected: list[str] = []
        typo = [False] * len(tokens)
        for i, word in enumerate(tokens):
            # An everyday word is what the customer meant, not a typo ("stuff" is not
            # "staff").
            fix = None if self._known(word) or is_generic(word) else self.correct(word)
            if fix and is_english(word) and (
                    self.reader.word_frequency(fix) < ENGLISH_FIX_SHARE * self._n
                    or _replaced_letter(word, fix)
                    or index.edit_distance(word, fix) > 1
                    or not self.reader.doc_frequency(index.stem(fix))):
                # A word of English is what the customer wrote ("printer", "pops"), not
                # a typo of a rare word of the guides ("printed", "pop3"); only a word
                # most guides use, with a letter left out or swapped ("manger" for
                # "manager"), is the likelier reading; two edits make another word
                # ("arrived" is no "archived"). One letter replaced makes another
                # word ("clock" is no "click", "node" no "note", "lake" no "like"); and
                # a word only the synonym table knows is no guide's ("cheapest" is not
                # "cheaper" in a help center of two guides).
                fix = None
            corrected.append(fix or word)
            typo[i] = fix is not None
        analysis = Analysis()
        if any(typo) and not other_language(query):
            # The suggestion keeps the customer's own wording, with only the typos fixed.
            # (A question in another language has none: its words are no typos of ours.)
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
            if is_notice_frame(corrected, i):
                # "how much notice": how long before (`kb.search.questions`), as "how
                # long" asks how long; no price, and no notice the guide must name.
                i += 3
                continue
            length, expansions, particle = self._phrase_at(stems, corrected, i)
            if particle:
                particles.add(particle)
            if length > 1:
                length, expansions = self._overlapped(stems, i, length, expansions)
            if length <= 1 and ((i and is_how_frame(corrected[i - 1], corrected[i])) or
                                is_frame_word(corrected, i)):
                # "how long", "how soon", "what does … mean": the kind of answer asked,
                # read by `kb.search.questions`, not a word the right guide must contain.
                i += 1
                continue
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
            if span == 1 and len(alternatives) == 1 and \
                    (base := inflections.base_of(corrected[i])) and not self._phrase_df(own):
                alternatives += self._base_alternatives(base, factor)
            elif len(own) > 1 and not self._phrase_df(own):
                alternatives += self._based_phrase(corrected[i:i + span], own, factor)
            concept = Concept(" ".join(corrected[i:i + span]), tuple(alternatives))
            analysis.concepts.append(concept)
            weight, known = self._concept_weight(concept)
            analysis.weights.append(weight)
            analysis.unknown_weight += 0.0 if known else weight
            if not known and confidence.is_foreign(concept.text):
                analysis.foreign_weight += weight
            analysis.topical = analysis.topical or self._topical(concept)
            i += span
        return analysis

    def _topical(self, concept: Concept) -> bool:
        """Whether a concept of the question names something a guide could be about: not
        an everyday word ("arrived", "waiting"), nor a way of saying that something is
        wrong ("broken", "doesn't work", which the synonym table reads as "problem")."""
        if all(is_generic(word) or is_stopword(word) for word in concept.text.split()):
            return False
        said = tuple(index.stem(word) for word in words(concept.text))
        return not any(found.stems == (_PROBLEM,) for found in self.synonyms.lookup(said))

    def _base_alternatives(self, base: str, factor: float) -> list[Alternative]:
        """For a form no guide uses and no stemmer brings back to its word ("forgot",
        "cheapest"): that word ("forget"), when a guide holds it, and what the synonym
        table reads it as ("cheap": a price), as the word itself would be read."""
        stemmed = (index.stem(base),)
        found = [Alternative(stemmed, factor)] if self.reader.holds(base) else []
        _, expansions = self.synonyms.match(list(stemmed), 0)
        return found + [Alternative(e.stems, e.weight * factor) for e in expansions
                        if e.stems != stemmed and all(map(self.reader.doc_frequency, e.stems))]

    def _based_phrase(self, said: list[str], own: tuple[str, ...],
                      factor: float) -> list[Alternative]:
        """For a phrase of the synonym table that no guide says as it is, with a form no
        stemmer brings back ("lost my phone"): the phrase with that form read as its word
        ("lose" … "phone"), when a guide says it so ("if you lose your phone"), as a
        single word of that form would be read."""
        based = tuple(index.stem(inflections.base_of(word) or word) for word in said
                      if not is_stopword(word))
        if based == own or len(based) != len(own) or \
                not all(map(self.reader.doc_frequency, based)):
            return []
        return [Alternative(based, factor)]

    def _phrase_at(self, stems: list[str], corrected: list[str],
                   i: int) -> tuple[int, list[Expansion], int]:
        """The synonym table's phrase that starts at word `i`: (how many words it spans,
        its expansions, the position of a particle read with it further on, or 0)."""
        length, expansions = self.synonyms.match(stems, i)
        if length > 1 or is_stopword(corrected[i]):
            return length, expansions, 0
        # "my phone was stolen" says "phone stolen": a phrase of the table whose words
        # the customer separated by small words still counts whole.
        gapped, found = self._gapped_match(stems, corrected, i)
        if gapped > 1:
            return gapped, found, 0
        # "take my old account off": the verb stands for the phrase; the words between
        # are read on their own, and the particle is not read again.
        particle, found = self._separated_particle(stems, corrected, i)
        if found:
            return 1, found, particle
        return length, expansions, 0

    def _overlapped(self, stems: list[str], start: int, length: int,
                    expansions: list[Expansion]) -> tuple[int, list[Expansion]]:
        """A phrase of the table at `start`, grown over a phrase that shares its last
        words and that the table says means the same ("get my money" and "money back" in
        "get my money back"): one thing said once, not a concept and a word left over
        ("back") that any guide about returning something matches."""
        for j in range(start + 1, start + length):
            further, found = self.synonyms.match(stems, j)
            if j + further <= start + length:
                continue
            own, theirs = tuple(stems[j:j + further]), tuple(stems[start:start + length])
            if any(e.stems == own for e in expansions) or \
                    any(e.stems == theirs for e in found):
                merged = {e.stems: e for e in found}
                merged.update({e.stems: e for e in expansions})
                return j + further - start, list(merged.values())
        return length, expansions

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
                if self.synonyms.match(stems, k)[0] > 1:
                    # The particle opens a phrase of its own ("put my pass on hold").
                    break
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
        # A phrase read with its irregular forms brought back to their words ("lose" …
        # "phone" for "lost my phone", `_based_phrase`) is known when a guide holds its
        # words, as the search finds it (`IndexReader._words_of_phrase`). The phrase as
        # said, with its words apart in a guide, stays unknown: counted as known, it made
        # an unrelated question of the development set a confident answer.
        loose = [min(dfs) for alt in concept.phrase_readings()[1:]
                 if all(dfs := [self.reader.doc_frequency(s) for s in alt.stems])]
        if loose:
            return self.idf(max(loose)), True
        # A number the guides do not contain ("2 accounts") is usually incidental; other
        # unknown words may be the topic ("fondue") or context ("nobody uses it").
        if own.stems[0].isdigit():
            return self.idf(1) * NUMBER_FACTOR, False
        return self.idf(1) * (GENERIC_FACTOR if is_generic(concept.text) else 1.0), False

    def _phrase_df(self, stems: tuple[str, ...]) -> int:
        return self.reader.alternative_frequency(index.Alternative(stems, 1.0))


# What the synonym table reads "broken", "doesn't work", "error" as.
_PROBLEM = index.stem("problem")


def _replaced_letter(word: str, fix: str) -> bool:
    """Whether two words differ by letters put in place of others, not by a letter left
    out, added or two letters swapped."""
    return len(word) == len(fix) and sorted(word) != sorted(fix)


def _swaps(word: str) -> set[str]:
    """The word with two neighbouring letters swapped, each way it can be."""
    return {word[:i] + word[i + 1] + word[i] + word[i + 2:]
            for i in range(len(word) - 1) if word[i] != word[i + 1]}


def _undoubled(word: str) -> str | None:
    """The word with its one doubled letter typed once ("married": "maried"); None when
    it has no doubled letter or more than one."""
    doubles = [i for i in range(len(word) - 1) if word[i] == word[i + 1]]
    return word[:doubles[0]] + word[doubles[0] + 1:] if len(doubles) == 1 else None
