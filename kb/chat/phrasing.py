"""Questions a customer would ask, phrased from the structure of a guide.

The chat offers follow-up questions after an answer (`kb.chat.followups`). They are read
out as buttons, so they must sound like a person asking, never like a raw heading: a
heading or title in the imperative ("Change All Passwords") becomes "How do I change all
passwords?"; a sentence that introduces steps ("To remove one of the accounts, you must
…:") becomes "How do I remove one of the accounts?"; a short noun heading ("Cashback")
becomes "How does the cashback work?"; a "Prerequisites" section, "What do I need to …?".
Headings that cannot be turned into a natural question (statements, "… as a
collaborator", "Before changing device") are left out rather than forced.

Title Case is undone word by word, keeping the words the guide itself writes with a
capital in the middle of its sentences (product and role names such as "Manager").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# Imperative verbs that open help-center headings and step introductions.
VERBS = frozenset("""access accept activate add allow apply assign authorize back block
book buy cancel change check choose clean clear close configure confirm connect contact
convert copy create deactivate define delete disable disconnect display download edit
empty enable enter export extend find fix force forward generate get give go grant hide import
increase install invite join keep leave limit link list lock log make manage migrate
modify move open order pay pause point print protect publish purchase read recover
redirect regain register reinstall remove rename renew reorder replace request reset
restore resume retrieve revoke save schedule secure see select send set share show sign
sort start stop subscribe suspend switch sync synchronize terminate test track transfer
turn unblock uninstall unlink unlock unsubscribe update upgrade upload use validate verify
view withdraw""".split())
# Sections that say how to read the guide, not what it answers.
SKIPPED = re.compile(r"^(introduction|overview|summary|learn more|see also|related\b|further"
                     r"|more information|read more|notes?|attention|warning|important|tips?"
                     r"|faq|contents|table of contents|before you (start|begin)|conclusion)\b",
                     re.I)
PREREQUISITES = re.compile(r"^(prerequisites?|requirements?|what you need|before you start)"
                           r"\b", re.I)
QUESTION_WORD = re.compile(r"^(how|what|why|where|when|who|which|can|could|is|are|do|does|"
                           r"should|will)\b", re.I)
ASKING = re.compile(r"^(how (do|does|can|to|much|many|long)|(what|which|who|where|when|why) "
                    r"(is|are|do|does|can|should|will|happens))\b|^(can|could|is|are|do|"
                    r"does|should|will) \w+ \w+", re.I)
# A heading that is a statement ("Paying … does not confer ownership") or a part of a
# sentence ("… as a collaborator", "Before changing device") is not a question's object.
STATEMENT = re.compile(r"\b(is|are|was|were|does|do|did|has|have|can|cannot|will|must)\b",
                       re.I)
LEADING_WORD = re.compile(r"^(before|after|with|without|for|as|in|on|from|if|when|while|by|"
                          r"via|using|about|and|or|to|the|a|an)\b", re.I)
STEP_INTRO = re.compile(r"^To ([a-z]+)\b([^,:;.!?]*)[,:]")
# "… you can add a profile picture to your account; …": a task the section explains.
CAN_DO = re.compile(r"\b(?:you can|allows you to|lets you|enables you to) ([a-z]+)\b"
                    r"([^,:;.!?]*)")
PRONOUNS = {"your": "my", "you": "I", "yours": "mine", "yourself": "myself"}
SMALL_WORDS = frozenset("a an the and or of to in on for with by at from as via your".split())
# Words that cannot start what a task acts on ("you can configure so as not to …").
NOT_AN_OBJECT = frozenset("so as at to it them this that these those if when in on from with "
                          "by for and or then than there here not".split())
# An object that points back to an earlier sentence means nothing on a button.
PRONOUN_OBJECTS = frozenset("it them this that these those".split())
MAX_WORDS = 12
NOUN_WORDS = 2


@dataclass(frozen=True)
class Phrased:
    """A question and the section it was phrased from ("" for the guide as a whole)."""

    text: str
    anchor: str


class Phraser:
    """Phrases the questions of one guide; `body` is its text, which tells proper nouns
    (capitalised in the middle of its sentences) from Title Case."""

    def __init__(self, body: str):
        self._capital_mid = Counter(re.findall(r"(?<=[a-z,;] )([A-Z][a-z]+)\b", body))
        self._lower = Counter(re.findall(r"\b([a-z]+)\b", body))

    def questions(self, title: str, sections: list[tuple[str, str, int, list[str]]]) \
            -> list[Phrased]:
        """Every question the guide's structure suggests, in the guide's order: the
        sections' headings and step introductions, the title, then what is needed.
        `sections` are (anchor, heading, level, the sentences of its paragraphs and
        list items)."""
        found: list[Phrased] = []
        prerequisites = ""
        for anchor, heading, level, sentences in sections:
            if level > 1 and PREREQUISITES.match(heading):
                prerequisites = anchor
            elif level > 1:
                asked = self.from_heading(heading)
                if asked:
                    found.append(Phrased(asked, anchor))
            for sentence in sentences:
                asked = self.from_step_intro(sentence)
                if asked:
                    found.append(Phrased(asked, anchor))
        whole = self.from_heading(title, nouns=False)
        if whole:
            found.append(Phrased(whole, ""))
        task = self._task(title)
        if prerequisites and task:
            found.append(Phrased(f"What do I need to {task}?", prerequisites))
        return found

    def from_heading(self, heading: str, nouns: bool = True) -> str | None:
        """A heading as a question, or None when it would not read as one."""
        text = _bare(heading)
        if not text or SKIPPED.match(text) or len(text.split()) > MAX_WORDS:
            return None
        if QUESTION_WORD.match(text):
            # "Why is my domain suspended" is a question without its mark; "What DNSSEC
            # protects against" is not a question at all.
            if not (text.endswith("?") or ASKING.match(text)):
                return None
            how_to = re.match(r"(?i)^how to (.+)$", text.rstrip("?. "))
            if how_to:  # "How to renew a domain": said as a person asks it
                return f"How do I {self._unfold(how_to.group(1))}?"
            return _sentence(self._unfold(text).rstrip("?. ")) + "?"
        task = self._task(text)
        if task:
            return f"How do I {task}?"
        words = text.split()
        if (not nouns or len(words) > NOUN_WORDS or LEADING_WORD.match(text)
                or STATEMENT.search(text) or words[0].lower().endswith("ing")
                or not all(w.isalpha() for w in words)):
            return None
        thing = self._unfold(text, first=True)
        last = words[-1]
        plural = last.endswith("s") and not last.endswith("ss") and not last.isupper()
        return f"How {'do' if plural else 'does'} the {thing} work?"

    def from_step_intro(self, sentence: str) -> str | None:
        """A sentence that names a task: "To remove one of the accounts, you must …:",
        "Go to the user profile section:" (introducing its steps) or "… you can add a
        profile picture …", as "How do I remove one of the accounts?"; else None."""
        sentence = sentence.strip()
        found = STEP_INTRO.match(sentence)
        can = None if found else CAN_DO.search(sentence)
        if can is not None and can.group(2).split()[:1] != [] \
                and can.group(2).split()[0] not in NOT_AN_OBJECT:
            found = can
        if found is None and sentence.endswith(":"):
            # "Go to the user profile section:" introduces the steps that do it.
            found = re.match(r"^([A-Z][a-z]+)\b([^,:;.!?]*):$", sentence)
        if not found or found.group(1).lower() not in VERBS:
            return None
        task = f"{found.group(1).lower()}{found.group(2)}".strip()
        if (len(task.split()) > MAX_WORDS or len(task.split()) < 2
                or task.split()[1] in PRONOUN_OBJECTS):
            return None  # too long to read out, or "send them": them who?
        return f"How do I {self._unfold(_bare(task))}?"

    def _task(self, text: str) -> str | None:
        """An imperative phrase ("Add or Edit a Product Tag") as the task it names
        ("add or edit a product tag"); None when `text` is not imperative. A second
        clause after a comma is left out."""
        text = _bare(text.split(",")[0])
        words = text.split()
        if (len(words) < 2 or words[0].lower() not in VERBS or text.endswith("?")
                or words[1].lower() in PRONOUN_OBJECTS):
            return None
        return self._unfold(text, first=True)

    def _unfold(self, text: str, first: bool = False) -> str:
        """Undo Title Case and speak as the customer ("your" -> "my")."""
        words = text.split()
        title_case = _is_title_case(words)
        out = []
        for n, word in enumerate(words):
            lower = word.lower()
            if lower in PRONOUNS:
                out.append(PRONOUNS[lower])
                continue
            plain = re.fullmatch(r"[A-Z][a-z]+", word) is not None
            if plain and ((n == 0 and first) or (title_case and self._title_cased(word))):
                word = lower
            out.append(word)
        return " ".join(out)

    def _title_cased(self, word: str) -> bool:
        """Whether a capital is Title Case rather than a name: the guide writes the word
        in lower case at least as often as with a capital in mid-sentence."""
        return self._lower[word.lower()] >= self._capital_mid[word]


def _bare(text: str) -> str:
    """A heading without brackets, quotes, slashes and trailing punctuation."""
    text = re.sub(r"\s*\([^)]*\)", "", text)
    text = re.sub(r"[\"“”«»]", "", text)
    text = re.sub(r"\s+", " ", text).strip(" :;,.-–")
    return "" if "/" in text or text.startswith(".") else text


def _is_title_case(words: list[str]) -> bool:
    """Whether every word but the small ones starts with a capital ("kDrive" and "SMS"
    are names either way, so they do not decide)."""
    long = [w for w in words[1:]
            if w.lower() not in SMALL_WORDS and re.fullmatch(r"[A-Za-z][a-z]+", w)]
    return bool(long) and all(w[0].isupper() for w in long)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
