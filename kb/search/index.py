"""The search index on disk: its schema, stemming and building.

Everything Whoosh-specific lives here and in `kb.search.index_reader` (term lookups and
the BM25F query), so the engine can be replaced in two modules. The rest of the core
speaks in stems, `Concept`s and `RawHit`s.

Builds are atomic: each build goes to a fresh folder under the index root, and a small
`CURRENT` file, replaced with `os.replace`, names the folder readers should open. A reader
that opened the previous build keeps reading it undisturbed; old builds are pruned later.

Builds stream: a guide's fields are computed by `prepare` (in worker processes for large
help centers), written, and forgotten. Whoosh's cost is per posting (a term in a guide),
so the index holds no posting it is never asked for:
- how many guides contain each stem and each word is counted while writing and saved
  beside the index (`FREQUENCIES`), not indexed as two more fields;
- of the pairs of adjacent stems ("two_factor"), only those a query can look up are
  indexed: queries ask for phrases only through the synonym table, so `phrase_pairs`
  lists them. The field's length still counts every pair of the guide, so BM25's length
  normalisation, and every score, is what it would be with all pairs indexed. A new way
  of querying phrases must add its pairs to `phrase_pairs`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import itertools
import json
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.analysis import SpaceSeparatedTokenizer, StemFilter
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.lang.porter import stem as porter_stem
from whoosh.support.levenshtein import damerau_levenshtein
from whoosh.system import pack_uint

from kb.search.text import word_string, words
from procedures.source.files import folder_stamp

# Bumped whenever the schema or the way documents are built changes, so that an index
# built by an older version is seen as stale and rebuilt.
SCHEMA_VERSION = 12
CURRENT = "CURRENT"
MANIFEST = "manifest.json"
FREQUENCIES = "frequencies.json"
VOCABULARY_DOC = "__vocabulary__"
# The filler term of the pairs field (no pair of stems contains "~").
LENGTH_TERM = b"~"
# Whoosh sorts postings in memory up to this size, then in runs on disk.
WRITER_LIMIT_MB = 96

# Field weights, in the spirit of Zendesk's published weights (title 3, labels 2.8,
# section title 1.5, body 1): a word in a title says more about a guide than the same
# word somewhere in its body. Each field is scored by BM25 on its own and the scores are
# added (Whoosh's BM25F), so a word in the title and the body counts twice.
FIELD_WEIGHTS: dict[str, float] = {"title": 3.0, "tags": 2.2, "headings": 1.6,
                                   "summary": 1.6, "body": 1.0}


# Porter's step 1b ends with: a stem left on a double consonant other than l, s or z loses
# one ("hopping" -> hop). Whoosh's stemmer skips it, so "logged" gave "logg" and missed
# "log in", "setting" missed "set", "stopped" missed "stop".
DOUBLE_KEPT = frozenset("lsz")

# Porter joins words that a help center keeps apart: "Manager", the tool the guides name
# in nearly every step, and "manage"/"managed" (managed clients, managing domains);
# "subscribers" (people on a list) and "subscribe" (opt in, turn on); a "provider" and
# "provide". Each noun gets its own stem. ("organization"/"organize" and
# "accountant"/"account" were measured too and not kept: docs/search-quality.md, eighth
# pass.)
SEPARATE_STEMS = {
    **dict.fromkeys(("manager", "managers"), "manager"),
    **dict.fromkeys(("subscriber", "subscribers"), "subscriber"),
    **dict.fromkeys(("provider", "providers"), "provider"),
}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of one folded word (Porter); the unit the index and the synonyms share."""
    if word in SEPARATE_STEMS:
        return SEPARATE_STEMS[word]
    stemmed: str = porter_stem(word)  # Whoosh is untyped.
    if (stemmed != word and len(stemmed) > 3 and stemmed[-1] == stemmed[-2]
            and stemmed[-1] not in DOUBLE_KEPT and stemmed[-1] not in "aeiouy"
            and not stemmed[-1].isdigit()):
        return stemmed[:-1]
    return stemmed


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance: a swapped pair of letters ("chnage") is one edit."""
    distance: int = damerau_levenshtein(a, b)  # Whoosh is untyped.
    return distance


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


# A compound written with a hyphen ("e-bike", "wi-fi", "check-in"), which people also
# type as one word ("ebike", "wifi", "checkin").
HYPHENATED = re.compile(r"(?<![\w-])([^\W\d_]{1,12})-([^\W\d_]{2,12})(?![\w-])")


def compounds(text: str) -> dict[str, str]:
    """The hyphenated compounds of a text: each written as one word, with its two words
    as the text writes them ({"ebike": "e bike"})."""
    if "-" not in text:
        return {}
    found = {}
    for first, second in HYPHENATED.findall(text):
        parts = words(f"{first} {second}")
        if len(parts) == 2:
            found["".join(parts)] = " ".join(parts)
    return found


def _analyzer() -> Any:
    # Text is normalised by kb.search.text before it reaches Whoosh (folding, apostrophes), so
    # the Whoosh side only splits on spaces and stems, exactly as queries are stemmed.
    return SpaceSeparatedTokenizer() | StemFilter(stemfn=stem, cachesize=None)


class _Counted(TEXT):  # type: ignore[misc]  # Whoosh is untyped: TEXT is Any.
    """A text field that also takes its terms already counted (stem -> occurrences), as
    `prepare` counts them in a worker process: the postings and the length are those
    Whoosh makes from the text, without the work per word in the process feeding it."""

    def index(self, value: str | dict[str, int], **kwargs: Any) -> Iterator[Any]:
        if isinstance(value, str):
            yield from super().index(value, **kwargs)
            return
        # As Whoosh's Frequency format: weight = occurrences (each weighs 1).
        for term, count in value.items():
            yield term.encode(), count, float(count), pack_uint(count)


class _Pairs(TEXT):  # type: ignore[misc]  # Whoosh is untyped: TEXT is Any.
    """The stem pairs field. Its value is (the pairs to index, the guide's number of
    pairs): each pair is a posting as a TEXT field would make it (frequency 1), and the
    pairs left out still count in the field's length, carried by one filler term."""

    def index(self, value: tuple[list[str], int], **kwargs: Any) -> Iterator[Any]:
        pairs, length = value
        one = pack_uint(1)
        for pair in pairs:
            yield pair.encode(), 1, 1.0, one
        if length > len(pairs):
            rest = length - len(pairs)
            yield LENGTH_TERM, rest, 0.0, pack_uint(rest)


def schema() -> Schema:
    analyzer = _analyzer()
    return Schema(
        slug=ID(stored=True, unique=True),
        category=ID(stored=True),
        **{field: _Counted(analyzer=analyzer, phrase=False) for field in FIELD_WEIGHTS},
        # Every unstemmed word of every guide, in one document: the lexicon the spelling
        # corrector walks. (How many guides hold a word is in FREQUENCIES.)
        words=TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False),
        # Pairs of adjacent stems ("two_factor"): a phrase is one term lookup, far cheaper
        # than Whoosh's positional phrase matching.
        bigrams=_Pairs(analyzer=SpaceSeparatedTokenizer(), phrase=False),
        data=STORED,
    )


@dataclass(frozen=True)
class IndexDocument:
    """What the index needs of one guide; built by `kb.search.indexing` from a Guide."""

    slug: str
    category: str
    title: str
    tags: str
    headings: str
    summary: str
    body: str
    data: dict[str, Any]


@dataclass(frozen=True)
class PreparedDocument:
    """One guide as the writer takes it: the field values, already normalised, and the
    distinct stems and words it contributes to the frequency tables. Plain data, so it
    crosses from a worker process cheaply."""

    fields: dict[str, Any]
    stems: list[str]
    words: list[str]
    pairs: list[str]
    compounds: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Alternative:
    """One way of matching a concept: a word (one stem) or a phrase (several), weighted."""

    stems: tuple[str, ...]
    weight: float


@dataclass(frozen=True)
class Concept:
    """One idea of the question (a word or a phrase) and every way to match it."""

    text: str
    alternatives: tuple[Alternative, ...]

    def phrase_readings(self) -> list[Alternative]:
        """The ways of reading a phrase concept that mean it as much as its own words do:
        the phrase as said (first), and as read with its irregular forms brought back to
        their words ("lose" … "phone" for "lost my phone"); not the table's other ways of
        saying it, which weigh less. Empty for a one-word concept."""
        own = self.alternatives[0] if self.alternatives else None
        if own is None or len(own.stems) < 2:
            return []
        return [alt for alt in self.alternatives
                if len(alt.stems) > 1 and alt.weight >= own.weight]


def bigram(first: str, second: str) -> str:
    return f"{first}_{second}"


def _bigrams(texts: Iterable[str]) -> list[str]:
    pairs: set[str] = set()
    for text in texts:
        pairs.update(bigram(a, b) for a, b in itertools.pairwise(stems(text)))
    return sorted(pairs)


def phrase_pairs(phrases: Iterable[tuple[tuple[str, ...], tuple[str, ...]]]) -> frozenset[str]:
    """The stem pairs queries can look up, from the synonym table's (key, expansion)
    phrases: a key's words may reach the query with some left out (stopwords), so any
    pair of them in order; an expansion is searched as it is, so its adjacent pairs."""
    pairs: set[str] = set()
    for key, expansion in phrases:
        pairs.update(bigram(a, b) for a, b in itertools.combinations(key, 2))
        pairs.update(bigram(a, b) for a, b in itertools.pairwise(expansion))
    return frozenset(pairs)


def prepare(doc: IndexDocument) -> PreparedDocument:
    """Everything Python computes for one guide before Whoosh sees it (the costly part of
    a build, so it runs in worker processes for large help centers)."""
    texts = [doc.title, doc.tags, doc.headings, doc.summary, doc.body]
    all_words = words(" ".join(texts))
    distinct = set(all_words)
    all_stems = sorted({stem(w) for w in distinct})
    fields: dict[str, Any] = {
        "slug": doc.slug, "category": doc.category,
        **{name: Counter(stems(text)) for name, text in zip(FIELD_WEIGHTS, texts, strict=True)},
        "data": {**doc.data, "stems": " ".join(all_stems)},
    }
    return PreparedDocument(fields, all_stems, sorted(distinct), _bigrams(texts),
                            compounds(" ".join(texts)))


def fingerprint(files: Iterable[Path], extra: str = "") -> str:
    """A cheap identity of the guide files (names, sizes, modification times)."""
    digest = hashlib.sha256(f"{SCHEMA_VERSION}\n{extra}\n".encode())
    for name, size, mtime in folder_stamp(files):
        digest.update(f"{name}\0{size}\0{mtime}\n".encode())
    return digest.hexdigest()


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Serialise builds between processes (several server workers may notice staleness)."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_build(root: Path) -> Path | None:
    """The folder of the build readers should use, or None if there is none yet."""
    try:
        name = (root / CURRENT).read_text().strip()
    except OSError:
        return None
    path = root / name
    return path if name and (path / MANIFEST).is_file() else None


def read_manifest(build: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((build / MANIFEST).read_text())
        return manifest
    except (OSError, ValueError):
        return {}


def build(root: Path, documents: Iterable[PreparedDocument], vocabulary: Iterable[str],
          pairs: frozenset[str], manifest: Callable[[], dict[str, Any]]) -> Path:
    """Write a complete new index and switch readers to it atomically.

    `pairs` are the stem pairs queries can look up (`phrase_pairs`); `manifest` is called
    once every document is written (it may describe what reading them found, such as the
    number of problems)."""
    root.mkdir(parents=True, exist_ok=True)
    name = f"build-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    folder = root / name
    folder.mkdir()
    writer = None
    try:
        ix = whoosh_index.create_in(str(folder), schema())
        # One writer in this process: the Python work per guide is done by `prepare`,
        # possibly elsewhere, and Whoosh only analyses space-separated stems here.
        writer = ix.writer(limitmb=WRITER_LIMIT_MB)
        stem_df: Counter[str] = Counter()
        word_df: Counter[str] = Counter()
        joined: dict[str, str] = {}
        count = 0
        for doc in documents:
            joined.update(doc.compounds)
            writer.add_document(**doc.fields, bigrams=(
                [p for p in doc.pairs if p in pairs], len(doc.pairs)))
            stem_df.update(doc.stems)
            word_df.update(doc.words)
            count += 1
        # The vocabulary document holds every word (of the guides, and of customers:
        # the synonym keys) so the spelling corrector knows them; no query field can
        # match it. A synonym word counts as found in one more document, as it always has.
        known = set(word_string(" ".join(vocabulary)).split())
        word_df.update(known)
        writer.add_document(slug=VOCABULARY_DOC, words=" ".join(sorted(word_df)))
        writer.commit(optimize=True)
        # A compound is looked up as one word only when no guide writes it so.
        joined = {w: parts for w, parts in sorted(joined.items()) if w not in word_df}
        (folder / FREQUENCIES).write_text(json.dumps(
            {"stems": stem_df, "words": word_df, "compounds": joined}, separators=(",", ":")))
        (folder / MANIFEST).write_text(json.dumps({**manifest(), "documents": count,
                                                   "schema": SCHEMA_VERSION}))
        pointer = root / f".{CURRENT}.{os.getpid()}"
        pointer.write_text(name)
        os.replace(pointer, root / CURRENT)
    except BaseException:
        if writer is not None and not writer.is_closed:
            writer.cancel()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    prune(root, keep={name})
    return folder


def prune(root: Path, keep: set[str], grace_seconds: float = 60.0) -> None:
    """Remove old builds that no reader should still be opening (older than a grace time)."""
    now = time.time()
    for path in root.glob("build-*"):
        if path.name in keep:
            continue
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > grace_seconds:
                shutil.rmtree(path, ignore_errors=True)

