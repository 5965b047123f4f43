"""Irregular forms of English words, read as the word they inflect when no guide uses
them: "forgot" is "forget", "bought" is "buy", "mice" is "mouse".

Search matches words by their stems, and a stemmer cuts regular endings only: "forgot"
and "forget" share no stem, so "i forgot to clock out" missed the guide that says "if
you forget to clock out". A form that a guide uses is read as it is ("left" in "the
left sidebar" is no "leave", "found" no "find"); only a form that no guide holds, and
whose word one does, is read as that word, as a correction is.

The table (`data/irregular-forms.txt`, one `form word` pair per line) is made from
WordNet 3.0's lists of exceptions to its inflection rules by `build` (see the data
folder's README), keeping the common words of English whose stems differ.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

PATH = Path(__file__).parent / "data" / "irregular-forms.txt"
# WordNet's exception lists of verbs and nouns, as Debian's wordnet-base installs them
# (its adjectives' are comparisons: "better" is no "good").
SOURCES = ("verb.exc", "noun.exc")


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


def build(wordnet: Path, english: Iterable[str], stem: Callable[[str], str]) -> list[str]:
    """The lines of `data/irregular-forms.txt` from WordNet's `*.exc` files: each form
    and the word it inflects, both common words of English, when the stemmer does not
    already bring them together. The first word listed for a form wins."""
    known = frozenset(english)
    pairs: dict[str, str] = {}
    for name in SOURCES:
        for line in (wordnet / name).read_text(encoding="latin-1").splitlines():
            form, *bases = line.split()
            base = next((b for b in bases if b in known), None)
            if form in known and base is not None and form not in pairs and \
                    stem(form) != stem(base):
                pairs[form] = base
    return [f"{form} {base}" for form, base in sorted(pairs.items())]


if __name__ == "__main__":  # python -m kb.search.inflections /usr/share/wordnet
    import sys

    from kb.search import index
    from kb.search.text import ENGLISH_WORDS

    made = build(Path(sys.argv[1]), ENGLISH_WORDS.read_text(encoding="utf-8").split(),
                 index.stem)
    PATH.write_text("\n".join(made) + "\n", encoding="utf-8")
    print(f"{len(made)} forms written to {PATH}")
