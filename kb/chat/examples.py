"""Example questions made from a help center's own guides, for the hints that show a
person how to ask ("For example: “how do I request time off”").

A hint written for one company reads as nonsense on another's help center (a shift
app's customers were told to try "how do I add a client as a reseller"). The guides' own
titles say what this help center answers: a title that is a question is asked as it is,
and a title that is a task ("Request time off", "Set your availability") is asked as a
customer would ("how do I request time off", "how do I set my availability"). Titles that
are neither ("Notifications FAQ", "Parent accounts") make no example.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from procedures.compiler import wording

# "Set your availability" is asked "how do I set my availability"; a title that speaks of
# "you" otherwise ("Choose when you get reminders") cannot be turned round by one word.
YOUR = re.compile(r"\byour\b", re.I)
YOU = re.compile(r"\byou\b", re.I)
MAX_CHARS = 60


def example_questions(titles: Iterable[str], limit: int = 2) -> list[str]:
    """Up to `limit` questions, from the titles in the order given (the most viewed
    guides first, say), each as a customer would type it."""
    found: list[str] = []
    for title in titles:
        asked = _asked(title.strip())
        if asked and asked not in found and len(asked) <= MAX_CHARS:
            found.append(asked)
            if len(found) == limit:
                break
    return found


def _asked(title: str) -> str | None:
    if title.endswith("?"):
        question = title.rstrip("?").strip()
        return _lower_first(question) if question else None
    if not wording.is_instruction(title) or YOU.search(title):
        return None
    return "how do I " + _lower_first(YOUR.sub("my", title))


def _lower_first(text: str) -> str:
    """The first letter in lower case, unless the first word is "I" or an acronym."""
    first = text.split(maxsplit=1)[0]
    if first == "I" or (len(first) > 1 and first.isupper()):
        return text
    return text[:1].lower() + text[1:]
