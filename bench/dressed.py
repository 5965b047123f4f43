"""How often an everyday phrase around a question turns its answer away.

Customers do not write bare questions: "Hi, unfortunately …", "… as soon as possible,
thanks in advance", "please advise: …", "I run a small bakery in Lausanne and …". For
every question of a set that search answers with its right guide, each phrase of
`PHRASES` is added before it and after it, and each of `OPENINGS` and `STORIES` before it;
the answer must stay: the same guide first, with confidence. Prints, per phrase, how many
of those questions it turned away, then the share for each group.

    python bench/dressed.py                 # questions.tsv against the 48-guide center
    python bench/dressed.py --set wide.tsv
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

from bench.quality import answered_set

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
# Ways to open a question, said before it only.
OPENINGS = (
    "I would like to know", "can you tell me", "is it possible to", "I was wondering if",
    "could you please explain", "I need to", "help me", "what should I do to",
    "I'm trying to", "is there a way to", "I want to know", "please advise", "any idea",
    "what's the best way to", "tell me", "I have a question:", "how can I",
    "I don't understand", "I can't figure out", "where can I",
)
# What customers tell of themselves before they ask, said before the question.
STORIES = (
    "I run a small bakery in Lausanne and", "we are a team of five people and",
    "I'm not very technical, so", "my website is for my photography business and",
    "I've been a customer for years and", "since we moved offices last month,",
    "my nephew set everything up for me and now", "I'm on holiday in Spain and",
    "our accountant is asking because", "I just signed up yesterday and",
)


def main() -> int:
    with answered_set(__doc__.splitlines()[0], 60) as (set_name, answers, answered):
        around = Counter({phrase: sum(not answers(text, c.expected) for c in answered
                                      for text in (f"{phrase} {c.query}",
                                                   f"{c.query} {phrase}"))
                          for phrase in PHRASES})
        before = Counter({phrase: sum(not answers(f"{phrase} {c.query}", c.expected)
                                      for c in answered) for phrase in OPENINGS})
        told = Counter({story: sum(not answers(f"{story} {c.query}", c.expected)
                                   for c in answered) for story in STORIES})
    for name, turned, trials in (("around", around, 2 * len(answered)),
                                 ("before", before, len(answered)),
                                 ("told before", told, len(answered))):
        for phrase, count in turned.most_common():
            print(f"{count:4d} / {trials}  {phrase}")
        total, tried = sum(turned.values()), trials * len(turned)
        print(f"phrases {name} the question turned away: {total} of {tried} "
              f"({total / tried:.1%})\n")
    print(f"{len(answered)} answered questions of {set_name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
