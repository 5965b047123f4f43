"""How often one typo turns an answer away.

For every question of a set that search answers with its right guide, its longest word of
five letters or more (not a stopword) is mistyped one way at a time: two neighbouring
letters swapped, a letter dropped, a letter doubled, a letter replaced. The positions and
replacement letters come from a fixed seed, so runs compare. The answer must stay: the
same guide first, with confidence. Prints, per kind of typo, how many it turned away.

    python bench/typos.py
    python bench/typos.py --set wide.tsv
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

from bench.quality import answered_set
from kb.search.text import is_stopword

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def mistyped(word: str, kind: str, rng: random.Random) -> str:
    """`word` with one typo of `kind`, never on its first or last letter."""
    i = rng.randrange(1, len(word) - 2)
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice(LETTERS.replace(word[i], "")) + word[i + 1:]


def main() -> int:
    with answered_set(__doc__.splitlines()[0], 80) as (set_name, answers, answered):
        for kind in ("swap", "drop", "double", "replace"):
            rng = random.Random(7)
            tried = turned = 0
            for case in answered:
                candidates = [w for w in re.findall(r"[a-z]+", case.query.lower())
                              if len(w) >= 5 and not is_stopword(w)]
                if not candidates:
                    continue
                word = max(candidates, key=len)
                typed = case.query.lower().replace(word, mistyped(word, kind, rng), 1)
                tried += 1
                turned += not answers(typed, case.expected)
            print(f"{kind:8s} turned away {turned} of {tried} ({turned / max(tried, 1):.1%})")
    print(f"{len(answered)} answered questions of {set_name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
