"""The synonym table: customers' words mapped to the guides' words, matched on stems.

The table is data (`kb/search/data/synonyms.yaml`, or a file of the same shape) validated by a
pydantic model. Every entry is stemmed when the table is loaded, so one form covers its
inflections, and phrases are matched as sequences of stems, longest first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from kb.errors import Problem
from procedures.source.yamlerrors import error_line

DEFAULT_PATH = Path(__file__).parent / "data" / "synonyms.yaml"
OWN_FILE = "synonyms.yaml"
"""A help center's own synonyms: a file of the shipped table's shape at the top of its
guides folder ("marks" and "grades" for a school), added to the shipped table."""
# libyaml's loader when PyYAML was built with it: the vocabulary is read by every process
# that searches (a `kb search` too), and the pure-Python parser took a quarter of a second.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]

# An equivalent word is almost as good as the word itself; a related one is a hint.
EQUIVALENT_WEIGHT = 0.8
RELATED_WEIGHT = 0.5


class SynonymFile(BaseModel):
    """The YAML file: `equivalent` groups and one-way `related` expansions."""

    model_config = ConfigDict(extra="forbid")

    equivalent: list[list[Phrase]] = []
    related: dict[Phrase, list[Phrase]] = {}


@dataclass(frozen=True)
class Expansion:
    stems: tuple[str, ...]
    weight: float


class Synonyms:
    """Stemmed lookup: a sequence of stems -> the phrases it should also search for."""

    def __init__(self, table: dict[tuple[str, ...], dict[tuple[str, ...], float]],
                 words: frozenset[str], digest: str):
        self._table = table
        self.max_length = max((len(k) for k in table), default=1)
        self.words = words
        # Stems of every word the table knows, so an inflection of a known word
        # ("shows" for "show") is never taken for a typo.
        self.stems = frozenset(stem for key in table for stem in key)
        self.digest = digest

    @classmethod
    def load(cls, stemmer: Callable[[str], list[str]],
             path: Path = DEFAULT_PATH, own: Path | None = None) -> Synonyms:
        """The table of `path`, with the entries of `own` (a help center's own file)
        added. Raises OSError, yaml.YAMLError or ValidationError for a bad file."""
        texts = [path.read_text(encoding="utf-8")]
        if own is not None:
            texts.append(own.read_text(encoding="utf-8"))
        files = [SynonymFile.model_validate(yaml.load(text, Loader=_LOADER) or {})
                 for text in texts]
        data = SynonymFile(equivalent=[g for f in files for g in f.equivalent],
                           related={})
        for found in files:
            for source, targets in found.related.items():
                data.related.setdefault(source, []).extend(targets)
        text = "\0".join(texts)
        table: dict[tuple[str, ...], dict[tuple[str, ...], float]] = {}
        vocabulary: set[str] = set()

        stemmed: dict[str, tuple[str, ...]] = {}

        def stem(phrase: str) -> tuple[str, ...]:
            # A group of n phrases makes n * n pairs: each phrase is stemmed once.
            found = stemmed.get(phrase)
            if found is None:
                found = stemmed[phrase] = tuple(stemmer(phrase))
            return found

        def add(source: str, target: str, weight: float) -> None:
            key, value = stem(source), stem(target)
            if not key or not value or key == value:
                return
            entry = table.setdefault(key, {})
            entry[value] = max(entry.get(value, 0.0), weight)

        for group in data.equivalent:
            for source in group:
                vocabulary.update(source.lower().split())
                for target in group:
                    add(source, target, EQUIVALENT_WEIGHT)
        for source, targets in data.related.items():
            vocabulary.update(source.lower().split())
            for target in targets:
                add(source, target, RELATED_WEIGHT)
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        return cls(table, frozenset(vocabulary), digest)

    def phrases(self) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """Every (key, expansion) pair of the table, as stems (what a query can ask)."""
        return [(key, value) for key, entry in self._table.items() for value in entry]

    def lookup(self, key: tuple[str, ...]) -> list[Expansion]:
        """The expansions of exactly this sequence of stems ([] when it is no entry)."""
        return [Expansion(k, w) for k, w in self._table.get(key, {}).items()]

    def match(self, stems: list[str], start: int) -> tuple[int, list[Expansion]]:
        """The longest entry starting at `start`: (its length, its expansions) or (0, [])."""
        for length in range(min(self.max_length, len(stems) - start), 0, -1):
            found = self.lookup(tuple(stems[start:start + length]))
            if found:
                return length, found
        return 0, []


def own_file(guides: Path) -> Path | None:
    """The help center's own synonym file, if its guides folder has one."""
    path = guides / OWN_FILE
    return path if path.is_file() else None


def for_help_center(stemmer: Callable[[str], list[str]], guides: Path) -> Synonyms:
    """The shipped table with the help center's own file added; the shipped table alone
    when that file cannot be used (`kb check` says why), so search never stops over it."""
    own = own_file(guides)
    if own is not None:
        try:
            return Synonyms.load(stemmer, own=own)
        except (OSError, UnicodeDecodeError, yaml.YAMLError, ValidationError):
            pass
    return Synonyms.load(stemmer)


def check(path: Path, stemmer: Callable[[str], list[str]] | None = None) -> list[Problem]:
    """Problems of a synonym file, as `file:line: message` (for `kb check`). With the
    index's `stemmer`, also two different words of different entries that search reads
    as one (`_merged_words`): a help center's own file is checked so."""
    try:
        text = path.read_text(encoding="utf-8")
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        # The whole error, marks included, as this file has always reported it.
        return [Problem(str(path), error_line(exc), f"invalid YAML: {exc}")]
    except OSError as exc:
        return [Problem(str(path), 1, f"cannot read the file: {exc.strerror}")]
    except UnicodeDecodeError:
        return [Problem(str(path), 1, "cannot read the file: it is not UTF-8 text")]
    try:
        SynonymFile.model_validate(raw)
    except ValidationError as exc:
        return [Problem(str(path), 1, f"{'.'.join(map(str, e['loc']))}: {e['msg']}")
                for e in exc.errors()]
    # The file's nodes, with their lines, for the checks YAML's values cannot show.
    root = yaml.compose(text, Loader=_LOADER)
    problems = [Problem(str(path), line, f'"{key}" is listed again (first on line {first}): '
                        "only the last list would be used; merge them into one")
                for key, first, line in _repeated_keys(root)]
    if stemmer is not None:
        problems += [Problem(str(path), line, f'"{word}" is read as "{other}" (line {first}): '
                             "search matches words by their stem, so the two entries "
                             "would mean the same; keep the word in one of them")
                     for word, line, other, first in _merged_words(root, stemmer)]
    return problems


def _merged_words(root: yaml.Node | None, stemmer: Callable[[str], list[str]]
                  ) -> list[tuple[str, int, str, int]]:
    """(word, its line, the other word, its line) for two different words of different
    entries, one of them a group, that stem alike: "organise" in a group for sorting and
    "organisation" in a group for the school are both "organis", so every word of one
    group would also search for every word of the other. (Two one-way keys that stem
    alike, "buzz" and "buzzing", only add their targets together.)"""
    entries: list[tuple[bool, list[yaml.ScalarNode]]] = []  # (a group?, its words)
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "equivalent" and isinstance(value, yaml.SequenceNode):
                entries += [(True, [w for w in group.value if isinstance(w, yaml.ScalarNode)])
                            for group in value.value if isinstance(group, yaml.SequenceNode)]
            elif key.value == "related" and isinstance(value, yaml.MappingNode):
                entries += [(False, [k]) for k, _ in value.value
                            if isinstance(k, yaml.ScalarNode)]
    seen: dict[tuple[str, ...], list[tuple[int, str, int]]] = {}
    found = []
    for n, (group, words) in enumerate(entries):
        for node in words:
            word = str(node.value).strip().lower()
            line = node.start_mark.line + 1
            earlier = seen.setdefault(tuple(stemmer(word)), [])
            other = next(((w, at) for m, w, at in earlier if m != n and w != word and
                          (group or entries[m][0])), None)
            if other is not None:
                found.append((str(node.value), line, *other))
            earlier.append((n, word, line))
    return found


def _repeated_keys(root: yaml.Node | None) -> list[tuple[str, int, int]]:
    """(key, its first line, a later line) for each key a mapping of the file repeats:
    YAML keeps only the last, so the words of the earlier list would be silently lost."""
    found: list[tuple[str, int, int]] = []
    pending = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    line = key.start_mark.line + 1
                    if key.value in first:
                        found.append((key.value, first[key.value], line))
                    first.setdefault(key.value, line)
                pending.append(value)
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
    return sorted(found, key=lambda f: f[2])
