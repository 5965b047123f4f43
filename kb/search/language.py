"""Whether a message is written in another language than the help center's (English).

The guides are in English; a question in German or French finds nothing, and "ask it in
other words" would not tell the customer why. Language identification by function words
(the classic short-text method): the small words of a language (articles, pronouns,
auxiliaries) are frequent, few, and rarely shared, so two of another language and none
of English say which language a message is in. Product names ("kDrive", "kAuth") and
place names are not function words, so a question made of them is not mistaken for one.
"""

from __future__ import annotations

from kb.search.text import words

# Function words of the languages this help center's customers most often write in,
# left out when they are also English words ("die", "come", "son", "a", "an", "in").
OTHER_LANGUAGES = frozenset("""
    wie ich mein meine meinen ist nicht und oder das der ein eine einen kann mich mir
    wo warum wann habe hat sind wird werden mit für fur auf bei von zum zur kein keine
    comment je mon ma mes est pas les une des du au aux pour avec dans sur mais ou où
    pourquoi quand puis peux suis avez vous nous mot
    posso il mio mia non sono che per della delle perché quando dove ho
    como puedo mi el los las una por para con pero porque cuando donde tengo
""".split())
ENGLISH = frozenset("""
    how do does i my me the a an is are what why when where can could to of for with and
    not it this that you your we our
""".split())


def other_language(text: str) -> bool:
    """Whether the message reads as written in another language than English."""
    found = words(text)
    foreign = sum(1 for w in found if w in OTHER_LANGUAGES)
    english = sum(1 for w in found if w in ENGLISH)
    return foreign >= 2 and foreign > english
