"""How often an everyday phrase around a question turns its answer away.

Customers do not write bare questions: "Hi, unfortunately …", "… as soon as possible,
thanks in advance". For every question of a set that search answers with its right guide,
each phrase below is added before it and after it, and the answer must stay: the same
guide first, with confidence. Prints, per phrase, how many of those questions it turned
away, then the total share.

    python bench/dressed.py                 # questions.tsv against the 48-guide center
    python bench/dressed.py --set wide.tsv
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

from bench.quality import EVAL, fresh, searchers
from kb.search.evaluation import OUT_OF_SCOPE, read_cases

PHRASES = (
    "for some reason", "right now", "as soon as possible", "by the way", "to be honest",
    "at the moment", "in the meantime", "once again", "all of a sudden", "for a while now",
    "on my end", "over and over", "every single time", "no matter what i do",
    "the other day", "this morning", "a few days ago", "after a while", "kind of",
    "sort of", "basically", "honestly", "seriously", "apparently", "obviously",
    "unfortunately", "hopefully", "urgently", "asap", "thank you in advance", "cheers",
    "regards", "hi there", "good morning", "I think", "I guess", "I suppose",
    "I'm not sure but", "quick question", "sorry to bother you", "my boss says",
    "my colleague told me", "as usual", "again and again", "whenever i try",
    "wherever i go", "every time", "like always", "for ages", "somehow",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="questions.tsv", help="a file of tests/fixtures/eval")
    parser.add_argument("--limit", type=int, default=60, help="questions of the set to use")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        search = fresh(searchers(Path(tmp))["wide"])

        def answers(text: str, slug: str) -> bool:
            found = search(text, limit=3)
            return bool(found.confident and found.results and found.results[0].slug == slug)

        cases = [c for c in read_cases(EVAL / args.set) if c.expected != OUT_OF_SCOPE]
        answered = [c for c in cases[:args.limit] if answers(c.query, c.expected)]
        turned = Counter({phrase: sum(not answers(text, c.expected) for c in answered
                                      for text in (f"{phrase} {c.query}",
                                                   f"{c.query} {phrase}"))
                          for phrase in PHRASES})
    trials = 2 * len(answered)
    for phrase, count in turned.most_common():
        print(f"{count:4d} / {trials}  {phrase}")
    total = sum(turned.values())
    print(f"turned away: {total} of {trials * len(PHRASES)} ({total / (trials * len(PHRASES)):.1%})"
          f"; {len(answered)} answered questions of {args.set}, each phrase before and after")
    return 0


if __name__ == "__main__":
    sys.exit(main())
