"""Forms of English words that no stemmer brings back to their word, read as that word
when no guide uses them: "forgot" is "forget", "mice" is "mouse", "cheapest" is "cheap".

Search matches words by their stems, and a stemmer cuts regular endings only: "forgot"
and "forget" share no stem, so "i forgot to clock out" missed the guide that says "if
you forget to clock out". A form that a guide uses is read as it is ("left" in "the
left sidebar" is no "leave", "found" no "find"); only a form that no guide holds, and
whose word one does, is read as that word, as a correction is.

The table (`data/irregular-forms.txt`, one `form word` pair per line) is made by `build`
(see the data folder's README) from WordNet 3.0: its lists of exceptions to its
inflection rules for verbs and nouns, and the comparisons of its adjectives made by
those rules ("cheap" -> "cheaper", "cheapest"; "easy" -> "easiest"; "big" -> "biggest"),
the stemmer leaving "-er" and "-est" on. Only common words of English whose stems differ
are kept, and a comparison only when it is no word of WordNet's own: "interest" is not
"inter" + "-est", nor "number" "numb" + "-er".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

PATH = Path(__file__).parent / "data" / "irregular-forms.txt"
# WordNet's exception lists of verbs and nouns, as Debian's wordnet-base installs them
# (its adjectives' are comparisons: "better" is no "good").
SOURCES = ("verb.exc", "noun.exc")
# WordNet's indexes: its words (the first field of each line), and its adjectives.
INDEXES = ("index.noun", "index.verb", "index.adj", "index.adv")
ADJECTIVES = "index.adj"
VOWELS = frozenset("aeiou")


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    try:
        lines = PATH.read_text(encoding="utf-8").splitlines()
    except OSError:  # an install without the data reads every form as it is
        return {}
    return dict(line.split(" ", 1) for line in lines if " " in line)


def base_of(form: str) -> str | None:
    """The word an irregular form inflects ("forgot": "forget"), or None."""
    return _table().get(form)


def comparisons(adjective: str) -> list[str]:
    """The comparative and superlative an adjective would have by the regular rules,
    whether or not English uses them ("cheap": "cheaper", "cheapest")."""
    if adjective.endswith("e"):
        return [adjective + "r", adjective + "st"]
    if len(adjective) > 2 and adjective[-1] == "y" and adjective[-2] not in VOWELS:
        return [adjective[:-1] + "ier", adjective[:-1] + "iest"]
    if len(adjective) > 2 and adjective[-1] not in VOWELS | {"w", "x", "y"} and \
            adjective[-2] in VOWELS and adjective[-3] not in VOWELS:
        # One vowel before a last consonant doubles it: "big", "bigger".
        doubled = adjective + adjective[-1]
        return [doubled + "er", doubled + "est", adjective + "er", adjective + "est"]
    return [adjective + "er", adjective + "est"]


def _words(path: Path) -> set[str]:
    """The one-word entries of a WordNet index."""
    return {line.split(" ", 1)[0] for line in path.read_text(encoding="latin-1").splitlines()
            if line and not line.startswith(" ") and "_" not in line.split(" ", 1)[0]}


def build(wordnet: Path, english: Iterable[str], stem: Callable[[str], str]) -> list[str]:
    """The lines of `data/irregular-forms.txt` from WordNet: each form and the word it
    inflects, both common words of English, when the stemmer does not already bring them
    together. The exception lists come first, and their first word listed for a form
    wins; then the adjectives' regular comparisons that are no word of WordNet's own."""
    known = frozenset(english)
    pairs: dict[str, str] = {}
    for name in SOURCES:
        for line in (wordnet / name).read_text(encoding="latin-1").splitlines():
            form, *bases = line.split()
            base = next((b for b in bases if b in known), None)
            if form in known and base is not None and form not in pairs and \
                    stem(form) != stem(base):
                pairs[form] = base
    indexes = {name: _words(wordnet / name) for name in INDEXES}
    lemmas = set().union(*indexes.values())
    # The longer adjective first: "cuter" is "cute", not "cut".
    for adjective in sorted(indexes[ADJECTIVES] & known, key=lambda a: (-len(a), a)):
        for form in comparisons(adjective):
            if form in known and form not in lemmas and form not in pairs and \
                    stem(form) != stem(adjective):
                pairs[form] = adjective
    return [f"{form} {base}" for form, base in sorted(pairs.items())]


if __name__ == "__main__":  # python -m kb.search.inflections /usr/share/wordnet
    import sys

    from kb.search import index
    from kb.search.text import ENGLISH_WORDS

    made = build(Path(sys.argv[1]), ENGLISH_WORDS.read_text(encoding="utf-8").split(),
                 index.stem)
    PATH.write_text("\n".join(made) + "\n", encoding="utf-8")
    print(f"{len(made)} forms written to {PATH}")
