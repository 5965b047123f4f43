"""How a guide's sentences read: action or description, alternatives, cases, labels.

Imported help articles carry no markup saying "this is a step" or "these are options",
so the compiler reads the words. Every rule here is a short word list or one pattern,
simple enough to explain to a writer and to predict:

- an instruction starts with a verb from VERBS (after lead-ins such as "Then" or
  "Otherwise"), or has one right after an opening clause ("Once logged in, disable...");
  a "Label: value" line or a two-word noun phrase ("Download speed") is not one;
- list items are alternatives when the first says "either", a later one starts with
  "otherwise"/"or"/"alternatively", all start with "if", or the line introducing a
  bullet list ends with ":" and says "either", "one of the following", "choose to" or
  "alternative";
- a paragraph starting with "If" opens a case when a list follows before the next "If";
  two or more such cases in a row are alternatives.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procedures.compiler.outline import Block

VERBS = frozenset("""
    access activate add allow answer apply back call cancel change check choose click close
    complete configure confirm connect contact copy create deactivate define delete deselect
    disable display download drag edit enable ensure enter export fill find follow go import
    indicate insert install keep launch log make modify move navigate note open paste pay
    place press print provide read reconfigure refresh register reinstall remove rename renew
    replace request reset restart restore return save scan scroll search select send set share
    sign specify start submit switch tap test tick turn type uncheck uninstall unlock untick
    update upgrade upload use validate verify visit wait write
""".split())
# Words that can open an instruction without changing what it asks ("Then click...").
LEAD_INS = frozenset("""
    then next now finally first firstly second third lastly also please simply optionally
    afterwards and or otherwise alternatively either else instead
""".split())
# After a verb, these show an object or complement follows ("Save the file", "Go to"),
# so the two words are not a noun phrase.
FOLLOWERS = frozenset("""
    a an the this that these those it them all any each every one your my our their its his
    her some both on to in for from with at up out off into onto via again here there down
    back through over by about and or not yourself whether if
""".split())
# Prerequisites that are interface actions are steps to do, not conditions to meet.
ACTIONS = frozenset("click tap go open select press navigate visit log sign scroll".split())
PREREQUISITES = re.compile(r"^(prerequisites?|requirements?|before you (start|begin)"
                           r"|what you need|you will need)\b", re.IGNORECASE)
ALTERNATIVE_MARKERS = re.compile(r"^(otherwise|or|alternatively|else|instead|if not)\b",
                                 re.IGNORECASE)
ALTERNATIVE_CUES = re.compile(r"\b(either|one of the following|one of these|choose (to|between)"
                              r"|alternatives?)\b", re.IGNORECASE)
SEQUENTIAL_TITLE = re.compile(r"^((step|part|phase|stage)\s*\d+|\d+\s*[.):-])", re.IGNORECASE)
# Where a long option label can be cut and still say what the option is.
CONNECTOR = re.compile(r"\s(?:if|when|to|so that|in order to|using|by|because|which|where)\s"
                       r"|\s\(|[,;:]\s")
LABEL_LIMIT = 80


def words(text: str) -> list[str]:
    return [w.strip("\"'“”‘’*_`()[]").lower() for w in text.split()]


def _without_lead_ins(text: str) -> str:
    parts = text.split()
    while parts and words(parts[0])[0].rstrip(",") in LEAD_INS and len(parts) > 1:
        parts = parts[1:]
    return " ".join(parts)


def _first_word(text: str) -> str:
    found = words(_without_lead_ins(text))
    return re.sub(r"[^a-z]+$", "", found[0]) if found else ""


def _is_label(text: str) -> bool:
    """"Note: ...", "Legal representative: all rights" (a term and its description)."""
    head, colon, rest = text.partition(":")
    head_words = head.split()
    if not colon or not rest.strip() or not head_words or len(head_words) > 4:
        return False
    return len(head_words) == 1 or _first_word(head) not in VERBS


def _is_noun_phrase(text: str) -> bool:
    """Two words, no punctuation, a lowercase noun after a verb that is also a noun:
    "Download speed", "Search results" (but "Click here", "Open settings" are actions)."""
    parts = words(text)
    return (len(parts) == 2 and parts[0] not in ACTIONS and not text.endswith((".", "!", ")")) and
            text.split()[1][:1].islower() and parts[1] not in FOLLOWERS)


def is_instruction(text: str) -> bool:
    """Does this list item ask the reader to do something?"""
    text = _without_lead_ins(text)
    if not text or _is_label(text) or _is_noun_phrase(text):
        return False
    if _first_word(text) in VERBS:
        return True
    clause, comma, rest = text.partition(",")
    return bool(comma) and len(clause.split()) <= 10 and _first_word(rest) in VERBS


# Interface actions that open a paragraph written as a step to do ("Click the trash icon
# next to their name."), not as something to know.
PARAGRAPH_ACTIONS = ACTIONS | frozenset(
    "enter type choose fill copy paste tick uncheck drag confirm save upload".split())


def is_action_paragraph(text: str) -> bool:
    """Does this paragraph ask the reader to do something in the interface (a step the
    run waits for), rather than tell them something? A paragraph that ends with ":"
    announces what follows it instead."""
    text = text.strip()
    return _first_word(text) in PARAGRAPH_ACTIONS and not text.endswith(":")


def is_requirement(text: str) -> bool:
    """A prerequisite bullet states a condition unless it is an interface action."""
    return _first_word(text) not in ACTIONS


KNOWLEDGE = re.compile(r"^(understanding|understand|knowledge of|familiarity with|be(ing)? "
                       r"familiar with|an? (understanding|overview) of)\b", re.IGNORECASE)


def is_knowledge(text: str) -> bool:
    """A prerequisite about knowing something ("Understanding the differences…"): it is
    explained, never asked as a condition to stop on."""
    return bool(KNOWLEDGE.match(text.strip()))


def is_prerequisites(title: str) -> bool:
    return bool(PREREQUISITES.match(title.strip(" .:…")))


def opens_case(text: str) -> bool:
    return bool(re.match(r"^if\s", text, re.IGNORECASE))


def are_alternatives(items: list[str], intro: str = "", ordered: bool = False) -> bool:
    """Do these list items (and the line that introduces them) offer a choice? The
    introducing line only counts for a bullet list: numbers say "one after the other"."""
    if len(items) < 2:
        return False
    if words(items[0])[:1] == ["either"] or all(opens_case(t) for t in items):
        return True
    if any(ALTERNATIVE_MARKERS.match(t.strip()) for t in items[1:]):
        return True
    return not ordered and intro.rstrip().endswith(":") and bool(ALTERNATIVE_CUES.search(intro))


# "Request a swap (web app)", "Change it from the Manager", "Clock in with GPS": what a
# heading says after the task it shares with the headings of other ways to do that task.
_WAY = re.compile(r"\s*(\([^()]*\)|\b(?:on|in|from|with|using|via|for)\s+(?:the\s+|an?\s+)?"
                  r"[\w .-]+)$", re.IGNORECASE)


def task_of(title: str) -> str:
    """A heading without the way it says the task is done ("Clock in with a PIN
    (kiosk)": "clock in"), in lower case; "" when nothing else is left."""
    before = None
    while before != title:
        before, title = title, _WAY.sub("", title).strip()
    return title.lower()


def other_ways(titles: list[str]) -> bool:
    """Whether headings are ways to do one task ("Request a swap (mobile app)", "Request
    a swap (web app)"): the same task, said the same, each done another way."""
    tasks = {task_of(t) for t in titles}
    return len(titles) > 1 and len(tasks) == 1 and "" not in tasks and \
        len(set(titles)) == len(titles)


def looks_sequential(titles: list[str]) -> bool:
    """"Step 1", "Step 2": subsections to follow in turn, not alternatives."""
    return all(SEQUENTIAL_TITLE.match(t.strip()) for t in titles)


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


# A paragraph opening with one of these in lower case goes on from what came before.
_JOINING = re.compile(r"^(?:and|or|then|and then|but)\s+(?=[a-z])")


# A sentence that defines what its heading names: "This is an amount equal to …".
DEFINITION = re.compile(r"^(this|it|these|they) (is|are|means) (a|an|the|any)\b", re.I)


def defined(title: str, text: str) -> str:
    """A section's opening sentence, with the heading it defines said first ("Cashback:
    This is an amount …"); any other sentence as it is."""
    title = title.rstrip(" :.")
    if not DEFINITION.match(text) or title.endswith(("?", "!")) or len(title.split()) > 6:
        return text
    return f"{title}: {text}"


def on_its_own(text: str) -> str:
    """A paragraph that continues the list before it ("and on the new device, install…")
    as a sentence that reads alone ("On the new device, install…")."""
    if not text[:1].islower():
        return text
    rest = _JOINING.sub("", text, count=1)
    first = rest.split(" ", 1)[0]
    # "kAuth", "iOS": a name keeps its case.
    return capitalise(rest) if first.isalpha() and first.islower() else rest


def shorten(text: str, limit: int = LABEL_LIMIT) -> str:
    """Cut a long label at a clause boundary, or failing that between words."""
    if len(text) <= limit:
        return text
    for match in CONNECTOR.finditer(text):
        if len(text[:match.start()].split()) >= 3 and match.start() <= limit:
            return text[:match.start()].rstrip(" ,;:")
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def option_label(text: str) -> str:
    """An option's label from a heading or list item: "... as a collaborator" -> "As a
    collaborator", "otherwise select the last choice" -> "Select the last choice"."""
    text = re.sub(r"^(\.\.\.|…)\s*", "", text.strip())
    stripped = ALTERNATIVE_MARKERS.sub("", text, count=1).lstrip(" ,")
    if words(stripped)[:1] == ["either"]:
        stripped = stripped.split(None, 1)[1] if len(stripped.split()) > 1 else stripped
    return capitalise(shorten(stripped or text))


def case_label(text: str) -> str:
    """The condition of an "If ..." paragraph: up to the first comma that ends the clause
    ("If it's too late, and no account is shown, there's..." keeps the "and" part)."""
    for match in re.finditer(r"[,;:.](\s|$)", text):
        following = text[match.end():].lstrip()
        if match.group()[0] == "," and re.match(r"(and|or|but)\b", following):
            continue
        return capitalise(shorten(text[:match.start()]))
    return capitalise(shorten(text))


def question(items: list[str]) -> str:
    """The question of a choice between list items."""
    if all(is_instruction(t) for t in items) and not any(
            opens_case(t) or ALTERNATIVE_MARKERS.match(t.strip()) or " if " in t
            for t in items):
        return "What do you want to do?"
    return "Which applies to you?"


def sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", ":", "…")) else text + "."


def group_cases(found: list[Block]) -> list[Block | list[list[Block]]]:
    """The blocks, with each run of two or more "If ..." cases grouped: a case is its
    paragraph up to the list it introduces, plus what follows until the next case."""
    parts: list[Block | list[list[Block]]] = []
    i = 0
    while i < len(found):
        end = _case_end(found, i)
        if end is None:
            parts.append(found[i])
            i += 1
            continue
        cases = [found[i:end]]
        while True:
            k = next((j for j in range(end, len(found)) if _is_if(found[j])), None)
            following = _case_end(found, k) if k is not None else None
            if following is None:
                break
            cases[-1] += found[end:k]
            cases.append(found[k:following])
            end = following
        parts += [cases] if len(cases) > 1 else cases[0]
        i = end
    return parts


def _is_if(block: Block) -> bool:
    return block.kind == "paragraph" and opens_case(block.text.text)


def _case_end(found: list[Block], i: int) -> int | None:
    """Just past the list that the "If ..." paragraph at `i` introduces, or None."""
    if not _is_if(found[i]):
        return None
    for j in range(i + 1, len(found)):
        if found[j].kind == "list":
            return j + 1
        if _is_if(found[j]):
            return None
    return None
