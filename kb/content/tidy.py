"""Making an imported article's Markdown a well-formed guide, whatever its source did.

Help articles arrive with headings at any level, headings with nothing under them before
a sub-heading (a parent section), headings without text (an image that was stripped),
and titles that are a whole sentence. None of that is an error: this module rewrites the
body so that sections start at `##`, levels never jump, a heading directly followed by a
heading of its own level becomes the parent of the ones that belong to it, a heading
without text disappears (its content joins the section before) and a title that is too
long is shortened; steps numbered in words ("Step 1:", "Step 2:") become a list
(`procedures.source.steps`), and a bold line standing alone above its text a heading
(`kb.content.labels`). Every change worth knowing is returned as a sentence for the
user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from kb.content.faq import questions_as_headings
from kb.content.labels import labels_as_headings
from kb.content.plaintext import in_capitals
from procedures.source.code import unfenced
from procedures.source.markdown import parser
from procedures.source.steps import steps_as_list

MAX_TITLE_CHARS = 90
MAX_TITLE_WORDS = 14
SHORT_TITLE_CHARS = 70
# Openings of a first sentence that describe the article rather than name its task.
LEAD_IN = re.compile(
    r"^(?:in this (?:guide|article|tutorial|faq),?\s+)?(?:(?:this|the following|our) "
    r"(?:guide|article|page|faq|tutorial|document|help article)\s+(?:will\s+)?"
    r"(?:explains?|describes?|shows?(?: you)?|details?|tells? you|helps? you)\s+"
    r"|(?:learn|find out|discover|see|here is|here's|you will learn|you'll learn)\s+)"
    r"(?:how\s+(?:you\s+can\s+|to\s+)?)?", re.IGNORECASE)
SUBORDINATE = re.compile(r"^(?:if|when|whenever|once|after|before|while|as soon as)\b[^,]{3,}"
                         r",\s+", re.IGNORECASE)
CLAUSE_BREAK = re.compile(r",|;|:| - | – | — | \(| so that | in order to | which | because ")
TRAILING_FILLER = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or",
                   "the", "to", "with", "your", "you", "if", "when", "that"}


def short_title(line: str) -> tuple[str, str | None]:
    """A title for an article whose first line may be a long sentence.

    Returns the title and, when it had to be derived, a sentence saying so. A short line
    is the title as it is (without a final full stop); a long one is cut to its task:
    "This guide explains how to activate the auto-reply on a mailbox so that ..." gives
    "Activate the auto-reply on a mailbox".
    """
    text = " ".join(line.split()).strip("#").strip()
    if len(text) <= MAX_TITLE_CHARS and len(text.split()) <= MAX_TITLE_WORDS:
        return (text[:-1] if text.endswith(".") and text.count(".") == 1 else text), None
    sentence = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)[0].rstrip(".!?")
    condition = SUBORDINATE.match(sentence)
    if condition and len(sentence[condition.end():].split()) >= 3:
        sentence = sentence[condition.end():]  # "If X, this guide explains how to Y": Y
    core = LEAD_IN.sub("", sentence, count=1)
    to_clause = re.match(r"^to\s+(.{8,}?),\s", core, re.IGNORECASE)
    if to_clause:  # "To activate the auto-reply, open ..." is about activating it.
        core = to_clause.group(1)
    if len(core) > SHORT_TITLE_CHARS:
        # The longest run of whole clauses that fits, else whole words.
        breaks = [m.start() for m in CLAUSE_BREAK.finditer(core)
                  if m.start() <= SHORT_TITLE_CHARS and len(core[:m.start()].split()) >= 3]
        core = core[:breaks[-1]] if breaks else core[:SHORT_TITLE_CHARS].rsplit(" ", 1)[0]
        # A clause left hanging at the end ("..., if you need more") says nothing alone.
        core = re.sub(r",\s*(?:if|when|unless|for example|such as|e\.g\.)\b[^,]*$", "",
                      core, flags=re.IGNORECASE)
    words = core.split()
    while len(words) > 3 and words[-1].lower().strip(",;:") in TRAILING_FILLER:
        words.pop()
    title = " ".join(words).strip(" ,;:-")
    title = title[:1].upper() + title[1:]
    note = (f"The title was too long, so it is now “{title}” and the full text opens "
            "the guide.")
    return title, note


@dataclass
class _Heading:
    first: int  # first source line (0-based)
    last: int  # line after the heading
    level: int
    text: str
    has_content: bool = False
    as_text: bool = False


def _headings(tokens: list[Token]) -> list[_Heading]:
    found: list[_Heading] = []
    for i, token in enumerate(tokens):
        if token.level != 0 or not token.map:
            continue
        if token.type == "heading_open":
            found.append(_Heading(token.map[0], token.map[1], int(token.tag[1]),
                                  tokens[i + 1].content.strip()))
        elif found and not token.type.endswith("_close") and token.type != "inline":
            found[-1].has_content = True
    return found


def _first_word(text: str) -> str:
    words = re.findall(r"\w+", text.lower())
    return words[0] if words else ""


def _nest_parents(heads: list[_Heading]) -> None:
    """A heading directly followed by one of its own level is a parent section: the
    headings after it go one level down until one is a new parent, starts like it
    ("Activate ... from the web app" / "Activate ... from the mobile app"), or is of a
    higher level. A parent that starts like an earlier one takes only the children the
    earlier one had ("Prerequisites", "Steps"): the next other heading is a section."""
    children_of: dict[str, set[str]] = {}
    for i, head in enumerate(heads):
        if head.has_content or i + 1 >= len(heads) or heads[i + 1].level != head.level:
            continue
        level, word = head.level, _first_word(head.text)
        known = children_of.get(word)
        taken: set[str] = set()
        for j in range(i + 1, len(heads)):
            other = heads[j]
            if other.level < level:
                break
            if other.level == level:
                if j > i + 1 and (_first_word(other.text) == word or (
                        not other.has_content and j + 1 < len(heads)
                        and heads[j + 1].level == level)):
                    break
                if known and other.text.lower() not in known:
                    break
                taken.add(other.text.lower())
            other.level = min(other.level + 1, 6)
        children_of[word] = taken


def tidy_body(body: str) -> tuple[str, list[str]]:
    """An imported article's body made a well-formed guide's: its "Step 1:", "Step 2:"
    paragraphs a numbered list (`procedures.source.steps`), then its headings made valid;
    and what was changed, as sentences for the user."""
    body, runs = steps_as_list(body)
    body, questions = questions_as_headings(body)
    body, labels = labels_as_headings(body)
    notes: list[str] = []
    if labels:
        notes.append(f"{counted(labels, 'line')} in bold standing alone above "
                     f"{'its' if labels == 1 else 'their'} text became "
                     f"{'a heading' if labels == 1 else 'headings'}.")
    if questions:
        notes.append(f"{questions} questions of a list of questions and answers became "
                     "sections headed by the question.")
    if runs:
        notes.append('Steps written as "Step 1:", "Step 2:"… became a numbered list.'
                     if runs == 1 else f'{runs} sets of steps written as "Step 1:", '
                     '"Step 2:"… became numbered lists.')
    body, heading_notes = tidy_headings(body)
    return body, notes + heading_notes


def tidy_headings(body: str) -> tuple[str, list[str]]:
    """The body with its headings made valid for a guide, and what was changed."""
    notes: list[str] = []
    lines = body.splitlines()
    heads = _headings(parser().parse(body))
    empty = [h for h in heads if not re.sub(r"[\W_]+", "", h.text)]
    if empty:
        notes.append(f"{counted(len(empty), 'heading')} without text removed; "
                     "what followed joins the section before.")
    heads = [h for h in heads if h not in empty]
    if heads:
        shift = min(h.level for h in heads) - 2
        previous = 1
        for head in heads:  # sections start at "##" and never skip a level
            head.level = min(head.level - shift, previous + 1)
            previous = head.level
    _nest_parents(heads)
    for i, head in enumerate(heads):
        child_follows = i + 1 < len(heads) and heads[i + 1].level > head.level
        head.as_text = not head.has_content and not child_follows
    if any(h.as_text for h in heads):
        n = sum(h.as_text for h in heads)
        notes.append(f"{counted(n, 'heading')} with nothing under {'it' if n == 1 else 'them'} "
                     "kept as text.")
    replaced: dict[int, tuple[int, str | None]] = {h.first: (h.last, None) for h in empty}
    for head in heads:
        replaced[head.first] = (head.last, head.text if head.as_text else
                                f"{'#' * head.level} {head.text}")
    out: list[str] = []
    i = 0
    blank_after = False
    while i < len(lines):
        if i in replaced:
            last, text = replaced[i]
            if text is not None:  # a block of its own, whatever surrounded the heading
                if out and out[-1].strip():
                    out.append("")
                out.append(text)
                blank_after = True
            i = max(last, i + 1)
            continue
        if blank_after and lines[i].strip():
            out.append("")
        blank_after = False
        out.append(lines[i])
        i += 1
    return "\n".join(out).strip() + "\n", notes


def unshouted(title: str, body: str) -> tuple[str, str, list[str]]:
    """The title and headings written in capitals ("STORAGE PLANS AND PRICES") in
    sentence case ("Storage plans and prices"): on a page, in a chat reply and in a
    search result, capitals read as shouting. A word keeps the capitals the article's own
    text gives it ("GB", "CHF", "kSuite", "Free" as a plan's name); fenced code is left
    alone. Returns the title, the body and what was changed, as sentences."""
    forms = _own_forms(body)
    changed = 0
    shouted_title = _shouted(title)
    if shouted_title:
        title = _sentence_case(title, forms)
    lines = body.split("\n")
    for i, line in unfenced(lines):
        heading = re.match(r"^(#{1,6}\s+)(.+)$", line)
        if heading and _shouted(heading.group(2)):
            lines[i] = heading.group(1) + _sentence_case(heading.group(2), forms)
            changed += 1
    headings = counted(changed, "heading")
    if shouted_title and changed:
        subject = f"The title and {headings[0].lower()}{headings[1:]}"
    else:
        subject = "The title" if shouted_title else headings
    plural = (shouted_title and changed) or changed > 1
    notes = [f"{subject}, written in capitals, {'are' if plural else 'is'} now in sentence "
             "case."] if shouted_title or changed else []
    return title, "\n".join(lines), notes


def _shouted(text: str) -> bool:
    """Whether a title or heading is written in capitals (two words at least, or one
    long one: "FAQ" and "DNS" are names, not shouting)."""
    return in_capitals(text) and (len(text.split()) >= 2 or sum(c.isalpha() for c in text) > 4)


def _own_forms(body: str) -> dict[str, str]:
    """Lower-cased word -> the form the text writes it in, for words that the text
    writes with a capital other than at the start of a sentence, outside headings."""
    forms: dict[str, str] = {}
    capitalised: set[str] = set()
    lowered: set[str] = set()
    for _, line in unfenced(body.split("\n")):
        if re.match(r"^\s{0,3}#", line) or _shouted(line):
            continue
        for m in re.finditer(r"(?<![.!?:]\s)(?<!^)\b([A-Za-z][\w'-]*)", line.strip()):
            word = m.group(1)
            if any(c.isupper() for c in word[1:]):
                forms.setdefault(word.lower(), word)  # "GB", "kSuite": always so
            elif word[0].isupper():
                capitalised.add(word)
            else:
                lowered.add(word)
    # A name ("the Free plan") keeps its capital, unless the text also writes the word in
    # lower case ("click Upgrade", but also "or upgrade").
    for word in capitalised:
        if word.lower() not in lowered:
            forms.setdefault(word.lower(), word)
    return forms


def _sentence_case(text: str, forms: dict[str, str]) -> str:
    words = text.split(" ")
    out = []
    for n, word in enumerate(words):
        core = re.sub(r"^\W+|\W+$", "", word)
        own = forms.get(core.lower())
        if own is not None:
            out.append(word.replace(core, own))
        elif core == "I":
            out.append(word)
        else:
            lowered = word.lower()
            out.append(lowered[:1].upper() + lowered[1:] if n == 0 else lowered)
    return " ".join(out)


def counted(n: int, noun: str) -> str:
    """"One heading", "3 headings": a count at the head of a note's sentence."""
    return f"One {noun}" if n == 1 else f"{n} {noun}s"
