"""Follow-on questions: a short message that leans on the question answered before it.

"how do I add a tag to a product", answered, then "and how do I delete it?": alone, the
second message is about deleting anything at all (search found the guide on deleting a
kAuth account). A person reads "it" as the tag. Here a message that names nothing of
its own, only a pronoun ("it", "them", "that one") or an opener such as "what about
renaming", is read with the thing the previous question was about put in: the words
after that question's first content word (its action), up to the next preposition,
"a tag".

The rule is about the shape of the messages, not their words: it applies only when
the message has at most `MAX_OWN_WORDS` content words and there is an answered question
before it. That reading is kept (`as_meant`) only when search is confident in it and
its answer holds the message's own ideas ("is it free?" is not answered by the steps to
tag a product).

The ideas of a message are as search reads them (`Ideas`): each is the ways of saying
it, as stems, its synonyms included. The chat also uses them to tell which option of a
choice a message names in other words (`held`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from kb.search import index
from kb.search.responses import SearchResponse
from kb.search.text import is_stopword, word_spans

Ideas = Sequence[Sequence[tuple[str, ...]]]
"""A message's ideas, each as its ways of saying it (stems, with the synonyms)."""

MAX_OWN_WORDS = 3
# A pronoun standing for the thing spoken of before.
POINTER = re.compile(r"\b(it|them|that one|this one|those|these)\b", re.I)
# "what about renaming", "and for a domain?": a change of action on the same thing.
OPENER = re.compile(r"^\s*(and\s+)?(what|how)\s+about\b|^\s*and\s+(if|to|for|can|how)\b",
                    re.I)


def as_meant(message: str, previous: str | None,
             search: Callable[[str], SearchResponse],
             understand: Callable[[str], Ideas]) -> str:
    """The message as it is meant: with what it refers to written out (`completed`)
    when search is confident in that reading and the answer it finds holds each of the
    message's own ideas; the message itself otherwise. `search` logs nothing: the
    reading is only tried."""
    fuller = completed(message, previous)
    if fuller is None:
        return message
    read = search(fuller)
    if not read.confident or not read.results:
        return message
    shown = set(index.stems(read.results[0].passage))
    ideas = understand(message)
    return fuller if held(ideas, shown) == len(ideas) else message


def held(ideas: Ideas, stems: Collection[str]) -> int:
    """How many of the ideas some way of saying stands in `stems`."""
    return sum(1 for ways in ideas if any(all(s in stems for s in way) for way in ways))


def completed(message: str, previous: str | None) -> str | None:
    """The message with what it refers to written out, or None when it says what it is
    about itself (or there is nothing before it to lean on)."""
    if not previous:
        return None
    own = _own_words(message)
    if len(own) > MAX_OWN_WORDS or len(word_spans(message)) < 2:
        return None  # a lone "it?" asks nothing to read it with
    thing = subject(previous)
    if not thing:
        return None
    pointer = POINTER.search(message)
    if pointer is not None:
        return f"{message[:pointer.start()]}{thing}{message[pointer.end():]}"
    if OPENER.match(message) and own:
        return f"{message.rstrip(' ?!.')} {thing}"
    return None


# Words that end the thing named after the action ("a tag | to a product", "discount |
# do partners get").
BOUNDARY = frozenset({"to", "for", "in", "on", "from", "with", "of", "into", "at", "by",
                      "and", "or", "so", "because", "if", "when", "after", "before", "do",
                      "does", "did", "is", "are", "was", "can", "could", "should", "will",
                      "would"})
# Asking for a quantity or a kind: the word after it is the thing, not an action.
THING_FOLLOWS = frozenset({"much", "many", "what", "which"})
# Verbs that only frame the question ("what happens if I cancel my hosting", "what does
# cashback mean"): neither the action nor the thing.
FRAME = frozenset({"happen", "happens", "happened", "mean", "means", "meant"})


def _own_words(message: str) -> list[str]:
    """The words of a message that say something (not "how", "it", "about")."""
    return [word for _, _, word in word_spans(message) if not is_stopword(word)]


def subject(question: str) -> str:
    """What a question is about: the words after its first content word (its action, as
    in "how do I add a tag to a product") up to the next preposition or verb, "a tag";
    after "how much" or "which", that first word itself ("how much discount do partners
    get": "discount"); the content word alone when there is only one ("passwords?"). A
    verb that frames the question ("what happens if …") is neither."""
    spans = word_spans(question)
    content = [n for n, (_, _, word) in enumerate(spans)
               if not is_stopword(word) and word not in THING_FOLLOWS and word not in FRAME]
    if not content:
        return ""
    first = content[0]
    if len(content) > 1 and not (first > 0 and spans[first - 1][2] in THING_FOLLOWS):
        first += 1  # past the action
    while first < len(spans) and spans[first][2] in BOUNDARY:
        first += 1
    last = first
    for n in range(first, len(spans)):
        if spans[n][2] in BOUNDARY or spans[n][2] in FRAME:
            break
        last = n + 1
    if last == first:
        return ""
    return question[spans[first][0]:spans[last - 1][1]]
