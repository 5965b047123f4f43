"""Text analysis shared by indexing and querying: words, stems and stopwords.

Both sides must agree exactly, so there is one definition of a word (letters and digits,
accents folded, lowercase) and one stemmer (Porter, via `kb.search.index`, which owns Whoosh).
Stopwords are dropped only from queries: guides are indexed whole, so phrases such as
"log in" keep their positions.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

WORD = re.compile(r"[^\W_]+")
# Combining marks left by NFKD decomposition ("é" -> "e" + U+0301).
COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# A possessive 's goes ("client's" -> client); other apostrophes inside a word join its
# halves ("don't" -> dont, a stopword), which would otherwise leave fragments such as
# "don" and "t" that count as words of the question.
POSSESSIVE = re.compile(r"['’]s\b")
APOSTROPHE = re.compile(r"(?<=[^\W_])['’](?=[^\W_])")
# A contracted verb is its own word: joined, "I'll", "we'll", "she'll" and "we'd" would
# read as "ill", "well", "shell" and "wed".
CONTRACTION = re.compile(r"(?<=[^\W_])['’](ll|d|re|ve)\b")
CONTRACTED = {"ll": " will", "d": " would", "re": " are", "ve": " have"}

# Question, filler and sequence words that carry no topic: customers type them ("what do
# I do first", "it suddenly stopped"), guides do not answer them. Words that do carry
# meaning in a help center ("not", "new", "without", "after", "before") are absent, and
# phrases such as "first name" or "get rid of" are matched by the synonym table before
# stopwords are dropped. Counts ("two locations", "three weeks") qualify the word they
# count: alone they would find "two-factor" ("two factor" is a phrase of the table).
STOPWORDS = frozenset("""
a about above again am an and any anyone anything are as at be been being but by can
cannot cant could did do does doing done dont for from had has have having he hello help her here
hey hi him his how i id if im in into is isnt it its ive just let lets like me might
more most much must my myself need needs of off ok okay on once only or other our ours
ourselves out please pls plz possible really regarding she should so some someone something
still than thank thanks that thats the their theirs them then there these they this those
thx to too tried trying try us very via want wanted wants was we were what whats when where
which while who whom why will wish with would wont yes yet you youre your yours yourself
also already always another anymore anyway certain currently different even ever first
get gets getting got just keep keeps know last lately later maybe next now old older one
ones recently sometimes suddenly thing things
today use used using way yesterday
arent couldnt didnt doesnt hadnt hasnt havent shouldnt theyre theyve wasnt weve werent
theres heres wheres hows whos
wouldnt youll youve
because cause since although though whether beside besides inside despite upon onto
toward towards among amongst whereas somebody anybody everybody everyone
somewhere anywhere everywhere nowhere someplace else whatever wherever whenever
otherwise meanwhile between
cheers regards asap sorry bother guess suppose honestly basically apparently obviously
unfortunately fortunately hopefully seriously literally totally definitely probably
perhaps kindly wondering wonder curious meantime ago usual few single matter over
advise idea ideas clue understand
two three four five six seven eight nine ten both either
""".split())

# Everyday verbs and qualifiers that say how a customer feels or acts rather than what the
# question is about ("put", "wrong", "faster"). They stay in the query, but when no guide
# uses one it is not the unknown topic of the question (as "fondue" or "DKIM" would be),
# so it weighs little in deciding whether the best guide answers. The names of parts of
# an interface ("where is the export button") are of that kind: a help center whose
# guides write "Click **Export**" never says "button", and the question is no less its.
GENERIC = frozenset("""
put make makes made fix fixed wrong right fast faster fastest quick quicker quickest
quickly easy easily easier easiest simple simpler simplest
slow bad good better best big small little lot lots bit sure able unable happen happened
happens happening run runs running go goes going gone went come comes came arrive arrives
arrived arriving wait waits waited waiting seem seems
look looks looking take takes took taken taking give gives gave given giving tell tells
told telling say says said saying think thinks thought thinking mean means meant fixes
fixing puts putting work works worked working stuff problem problems ok fine nice weird
strange actually exactly somehow anything everything nothing properly correctly
morning afternoon evening night moment sudden ages advance usual single question
questions kind honest urgent quickly soon figure
button buttons icon icons link links screen screens tab tabs click clicks clicked clicking
tap taps tapped tapping press pressed pressing
""".split()) | frozenset(
    # When something happens to the customer ("i'm away in july", "classes on tuesday
    # mornings"): the circumstances of a question, not its topic.
    day + suffix for day in "monday tuesday wednesday thursday friday saturday sunday".split()
    for suffix in ("", "s")) | frozenset("""
january february march april may june july august september october november december
summer winter spring autumn weekend weekends tomorrow tonight overnight mornings
afternoons evenings nights
""".split())
# "-ly" adverbs of frequency or time say when something happens, which guides do say
# ("monthly invoices", "renew early"): never taken for a word of stance.
TIMELY = frozenset("daily weekly monthly yearly hourly nightly quarterly annually early "
                   "fortnightly biweekly bimonthly".split())


def fold(text: str) -> str:
    """Lowercase and strip accents: 'Résumé' -> 'resume'."""
    if text.isascii():
        return text.lower()
    return COMBINING.sub("", unicodedata.normalize("NFKD", text)).lower()


def words(text: str) -> list[str]:
    """The words of a text, folded, in order (stopwords kept)."""
    folded = POSSESSIVE.sub(" ", fold(text))
    if "'" in folded or "’" in folded:
        folded = CONTRACTION.sub(lambda m: CONTRACTED[m[1]], folded)
    return WORD.findall(APOSTROPHE.sub("", folded))


def word_string(text: str) -> str:
    """The words of a text, folded, as one string with single spaces ("that's not it":
    "that not it"): what patterns of how people ask are matched on."""
    return " ".join(words(text))


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) for each word of the original text, for highlighting.

    Folding can change the length of a string (ligatures, combining marks), so spans are
    found on the original text and each word is folded on its own.
    """
    if text.isascii():
        # Folding ASCII is lowercasing, which keeps every position: one pass suffices.
        return [(m.start(), m.end(), m.group()) for m in WORD.finditer(text.lower())]
    return [(m.start(), m.end(), fold(m.group()))
            for m in WORD.finditer(text) if fold(m.group())]


# The small words a customer may put between the words of a set phrase without changing
# it: articles, possessives, pronouns and forms of be/have ("my phone was stolen" is
# "phone stolen", "changing my phone" is "changing phone"). Prepositions are not among
# them: "website from another host" is not "website host".
FILLERS = frozenset("""
a an the my our your his her their its it this that these those is was were are be been
being am has have had got gets getting me us them him
""".split())


# English phrasal verbs put their object between the verb and its particle ("take my old
# account off", "set it up", "log the intern out"). A particle after up to
# PARTICLE_GAP words makes a phrase with the verb, unless a preposition stands between
# them: then the particle is the preposition's ("add a user to my account up to ten").
PARTICLES = frozenset("off out up down away back over on in".split())
PREPOSITIONS = frozenset("""
to for from with without at of by into onto about under above across after before
between through during via per than like
""".split())
PARTICLE_GAP = 4


# How many fillers may stand between two words of a set phrase, both where a question's
# phrases are read (`kb.search.service`) and where a snippet marks them (`kb.search.snippets`).
FILLER_GAP = 2


# "left" is where things are on a screen in nearly every guide ("the left sidebar menu"),
# and in a question as often the past of "leave" ("my boss left the company"): followed by
# an article or a possessive it has an object, so it is the verb.
DETERMINERS = frozenset("a an the my our your his her their this that".split())
VERB_FORMS = {"left": "leave"}
# "heading" is a part of a page in a guide, and in a question as often someone going
# somewhere ("heading abroad in july", "head to Settings"): before a direction it is
# "going", a word of manner that names no topic.
HEADING = frozenset("head heads headed heading".split())
DIRECTIONS = frozenset("""to abroad overseas out off home back away over into towards toward
down up north south east west""".split())
# "keep" is a filler when it says something goes on ("it keeps crashing", "keep getting
# logged out"), and when it has an object it is as often holding on to a thing ("keep
# the bike overnight", "how long can i keep a bike") as storing records: of records, or
# asked how long someone other than the customer keeps it, it is read as "retain",
# which the synonym table relates to the guides' "kept" and "retention" ("do you keep my
# invoices", "how long do you keep my account"). "keep me signed in", "keep up" and the
# idioms ("keep an eye on", "keep track of") are neither.
KEEPING = frozenset("keep keeps".split())
RECORDS = frozenset("""data information info files emails mails messages invoices records
history backups logs photos pictures documents details recordings copies""".split())
NOT_KEPT = frozenset("me us up on in out off away down track".split())
KEEP_IDIOMS = (("an", "eye"), ("a", "copy"), ("a", "record"))
# Ways of saying "again and again" in several words, whose "time" or "all" would otherwise
# be read as a topic ("the app logs me out all the time" is not about time off).
REPEATEDLY = (("all", "the", "time"), ("the", "whole", "time"), ("over", "and", "over"),
              ("again", "and", "again"), ("time", "after", "time"))
# ("every time" is not among them: "every time they write" asks how often something is
# sent, which a guide answers with its own "each time" or "once every 4 days".)
# Greetings and sign-offs, and "in one go" (all together, as "at once" says): manners and
# manner, no topic ("Good morning. Our accountant needs all the invoices in one go").
COURTESIES = (("good", "morning"), ("good", "afternoon"), ("good", "evening"),
              ("good", "day"), ("kind", "regards"), ("best", "regards"),
              ("warm", "regards"), ("many", "thanks"), ("thanks", "in", "advance"),
              ("thank", "you", "in", "advance"), ("have", "a", "nice", "day"),
              ("have", "a", "good", "day"), ("in", "one", "go"), ("in", "one", "shot"))


def _by_first_word(readings: list[tuple[tuple[str, ...], str]]
                   ) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Phrases and what each is read as ("" for nothing), by their first word, longest
    first: a question's words are looked up once each, not against every phrase."""
    found: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, reading in sorted(readings, key=lambda entry: -len(entry[0])):
        found.setdefault(phrase[0], []).append((phrase, reading))
    return found


_READINGS = _by_first_word([*((phrase, "repeatedly") for phrase in REPEATEDLY),
                            *((phrase, "") for phrase in COURTESIES)])


def _stores(tokens: list[str], i: int) -> bool:
    """Whether "keep" at `i` stores something: it has an object, not a verb that goes
    on ("keep getting") or a particle ("keep on", "keep me posted"), and the object is
    records ("keep my data", "keep invoices") or the question asks how long someone
    other than the customer keeps it."""
    following = tokens[i + 1] if i + 1 < len(tokens) else ""
    if not following or following in NOT_KEPT or following.endswith("ing") or \
            following in PREPOSITIONS or tuple(tokens[i + 1:i + 3]) in KEEP_IDIOMS:
        return False
    thing = tokens[i + 2] if following in DETERMINERS and i + 2 < len(tokens) else following
    if thing in RECORDS:
        return True
    # "how long do you keep my account" asks how long it is stored; "how long can i keep
    # a bike" how long the customer may hold on to a thing.
    return _after_how_long(tokens, i) and "i" not in tokens[max(0, i - 2):i]


def _lasting(tokens: list[str], i: int) -> bool:
    """Whether "last" at `i` is the verb of "how long do the batteries last" (which a
    guide answers with "which last about 2 years"), not "the last invoice" or "last
    week": it ends the question or a clause, after "how long" and no determiner."""
    ends = i + 1 == len(tokens) or tokens[i + 1] in PREPOSITIONS | {"if", "when", "on"}
    return _after_how_long(tokens, i) and ends and i > 0 and tokens[i - 1] not in DETERMINERS


def _after_how_long(tokens: list[str], i: int) -> bool:
    """Whether "how long" comes before word `i`: the question asks for a duration."""
    return any(tokens[j:j + 2] == ["how", "long"] for j in range(i))


def read_as_meant(tokens: list[str]) -> list[str]:
    """The words with what they mean in the question: a form that is also a word of
    position read as its verb when an object follows it ("left the company": "leave the
    company"; "left sidebar" stays), "last" as the verb of "how long … last" ("lasts"),
    "heading" before a direction as "going", "keep" that stores records as "retain",
    "repeatedly" said in several words read as one, and greetings and sign-offs left
    out."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        word = tokens[i]
        phrase, reading = next(((p, r) for p, r in _READINGS.get(word, ())
                                if tuple(tokens[i:i + len(p)]) == p), ((), ""))
        if phrase:
            if reading:
                out.append(reading)
            i += len(phrase)
            continue
        if word in VERB_FORMS and i + 1 < len(tokens) and tokens[i + 1] in DETERMINERS:
            word = VERB_FORMS[word]
        elif word == "last" and _lasting(tokens, i):
            word = "lasts"
        elif word in HEADING and i + 1 < len(tokens) and tokens[i + 1] in DIRECTIONS:
            word = "going"
        elif word in KEEPING and _stores(tokens, i):
            word = "retain"
        out.append(word)
        i += 1
    return out


# After "how", these words ask for a kind of answer (a duration, a moment, a count), not
# for a topic: "how long does a transfer take" is about the transfer. Phrases of the
# synonym table that start with "how" ("how often", "how much") are read before them.
HOW_FRAMES = frozenset("long early soon late far many".split())


# After "how much", these words ask for a time before something, not for a price ("how
# much notice do i need to give").
NOTICE_WORDS = frozenset("notice warning time".split())


def is_notice_frame(words: list[str], i: int) -> bool:
    """Whether "how much" at `i` asks how long before ("how much notice")."""
    return words[i:i + 2] == ["how", "much"] and i + 2 < len(words) and \
        words[i + 2] in NOTICE_WORDS


def is_how_frame(previous: str, word: str) -> bool:
    """Whether `word`, coming after `previous`, only says what kind of answer is asked."""
    return previous == "how" and word in HOW_FRAMES


# The verbs of something awaited coming, and the words saying it has not yet.
ARRIVING = frozenset("came come arrived arrive arrives".split())
NOT_YET = frozenset("never not nt didnt hasnt havent hadnt doesnt dont still yet".split())


def is_frame_word(words: list[str], i: int) -> bool:
    """Whether the word at `i` only gives the question its form, which
    `kb.search.questions` reads, and is no word the right guide must contain: "mean"
    closing "what does decreasing rate mean" (asks about "decreasing rate"); "happens"
    in "what happens when the time limit runs out" (a consequence, `questions.
    WHAT_HAPPENS`); "came" in "the code never came" (someone waiting, `questions.WAITING`);
    "difference" in "the difference between archive and delete"."""
    if words[i] in ("happens", "happen", "happened") and words[0] == "what" and (
            i == 1 or (i == 2 and words[1] in ("will", "would", "could", "did"))):
        return True
    if words[i] in ARRIVING and i and words[i - 1] in NOT_YET:
        # "the code hasn't arrived": someone waiting for the code, which is what the
        # question is about (`kb.search.questions.WAITING` reads the waiting). The
        # synonym table's phrases ("never came", "didnt come": what does not arrive or
        # is not received) are read before this, and keep their words as a concept.
        return True
    if words[i] in ("difference", "differences") and i + 1 < len(words) and \
            words[i + 1] == "between":
        # "the difference between archive and delete" asks about archive and delete.
        return True
    if words[i] not in ("mean", "means") or i != len(words) - 1:
        return False
    return (words[0] == "whats" and i > 1) or \
        (words[0] == "what" and words[1] in ("does", "do", "did", "is") and i > 2)


# A word written with a leading dot (".com", ".shop") is a domain name's ending: the
# question is about a domain, which the guides call by name while the ending itself is
# everywhere in their links ("infomaniak.com").
DOMAIN_ENDING = re.compile(r"(?:^|(?<=\s))\.([^\W\d_]{2,12})\b")


def spell_out_endings(text: str) -> str:
    """The text with each domain ending followed by the word "domain"."""
    return DOMAIN_ENDING.sub(r"\1 domain", text)


def is_filler(word: str) -> bool:
    return word in FILLERS


@lru_cache(maxsize=4096)
def is_generic(word: str) -> bool:
    """Whether a word says how rather than what: an everyday verb or qualifier, or an
    adverb made from an English adjective ("clearly", "constantly", "randomly")."""
    return word in GENERIC or _stance_adverb(word)


def _stance_adverb(word: str) -> bool:
    if len(word) < 6 or not word.endswith("ly") or word in TIMELY:
        return False
    stem = word[:-2]
    bases = (stem, stem[:-1] + "y" if stem.endswith("i") else "",  # easily: easy
             word[:-1] + "e" if word.endswith(("bly", "ply", "tly")) else "",  # simply
             word[:-4] if word.endswith("ally") else "")  # basically: basic
    return any(base and is_english(base) for base in bases)


@lru_cache(maxsize=4096)
def is_stopword(word: str) -> bool:
    return word in STOPWORDS


ENGLISH_WORDS = Path(__file__).parent / "data" / "english-words.txt"


@lru_cache(maxsize=1)
def _english() -> frozenset[str]:
    try:
        return frozenset(ENGLISH_WORDS.read_text(encoding="utf-8").split())
    except OSError:
        return frozenset()  # without the list, every unknown word may be a typo


def is_english(word: str) -> bool:
    """Whether a folded word is a word of English (SCOWL's common list, with its
    inflections): such a word is what the customer meant, never a typo of a guide's word
    ("printer" is not "printed", "pops" is not "pop3")."""
    return word in _english()
