"""How well one sentence, list item or list answers a question: the share of the
question's concepts it covers (a word of the passage answering one word of the question),
half credit through its heading (and the whole section for a "what" question that its
heading says), and a bonus when it carries the kind of answer asked for
(a number for "how much", a role for "who can", a stated time for "when", steps for "how
do I"), weighed by where it stands (the guide's opening, the prerequisites, a note, a
passage written for another situation).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kb.search import index, questions
from kb.search.answer_units import INSTRUCTION, Section, Unit, describes_guide
from kb.search.index import Concept
from kb.search.text import is_stopword

# How much the kind of answer counts, as a share of the question's total weight.
TYPE_BONUS = 0.45
WEAK_TYPE_BONUS = 0.2
# A whole list is scored as one unit too; being bigger it covers more words by chance.
LIST_FACTOR = 0.8
PROCEDURE_LIST_BONUS = 0.3
GENERAL_LIST_BONUS = 0.15
TITLE_SHARE = 0.5
HEADING_SHARE = 1.0
INTRO_FACTOR = 0.3
LATER_INTRO_FACTOR = 0.8
DEFINITION_INTRO_FACTOR = 0.8
PREREQUISITE_FACTOR = 0.85
PERMISSION_FACTOR = 0.5
FACT_KINDS = (questions.AMOUNT, questions.TIME, questions.PERSON)
ASIDE_FACTOR = 0.8
STEPS_FOR_YES_NO = 0.8
# A passage for the other side of a change (planning it / after it happened).
SITUATION_FACTOR = 0.5
OTHER_SIDE_FACTOR = 0.8
# A row of a table when the question names another row of it.
OTHER_ROW_FACTOR = 0.5
# A stated value (a number, a percentage, a day count, a condition announced as such)
# over a mere word of the kind.
VALUE_BONUS = 0.15
# What a statement of a loss counts for a word of loss of the question (a related word).
LOSS_CREDIT = 0.5
# A sentence or step that points to another passage for what it mentions.
POINTER = re.compile(r"\b(see|read|described|explained|detailed) (below|above)\b", re.I)
POINTER_FACTOR = 0.8
# A sentence that says what it is for ("To undo a cancellation, go to …"): it does that
# task, which a question naming another one ("cancel my subscription") does not ask.
STATED_PURPOSE = re.compile(r"^to (\w+)\b[^,]{0,80},", re.I)
OTHER_TASK_FACTOR = 0.8
# ... and a section whose heading opens with the task asked is preferred by as much
# (`task_sections`; in the choice of passage only).
SAME_TASK_FACTOR = 1.2
# Verbs a heading opens with to name a task ("Cancel a swap"): those a question opens with
# to ask for one (`questions.ACTION_VERBS`), and those of tasks done to a request or a
# record rather than asked for in those words.
TASK_VERBS = questions.ACTION_VERBS | frozenset(
    "request approve decline reject undo restore import share join leave close pause resume "
    "renew buy sell pay swap assign archive restart reboot pair replace charge download print "
    "report register unlock return manage".split())
# ... and their stems, which a heading's "Inviting" or "Cancelling" shares.
TASK_STEMS = frozenset(index.stem(verb) for verb in TASK_VERBS)
# Verbs that say little of the task by themselves ("give a developer access" is done by
# creating an account, "set a new password" by changing it).
LIGHT_VERBS = frozenset(index.stem(verb) for verb in
                        "set get give put make take open check find choose turn".split())
NAMED_TASKS = TASK_STEMS - LIGHT_VERBS
# An instruction, after the label of a way to do it ("Class code: open the course …").
INSTRUCTS = re.compile(rf"^([^:.]{{1,40}}:\s*)?({INSTRUCTION.pattern[1:]})", re.I)
# A sentence that states a case and announces what to do in it.
CASE = re.compile(r"^(if|when|in case|should)\b[^.]*:\s*$", re.I)
# A sentence that opens with the case it applies to.
CONDITION = re.compile(r"^(if|when|unless|once|as long as|provided)\b", re.I)
# The words before a time that make it a point in time rather than a time taken.
POINT_IN_TIME = re.compile(r"\b(before|after|than|past|over|by)\s+$", re.I)
# ... or after it: a time counted from an event ("7 days before the first day off").
RELATIVE_TIME = re.compile(r"\s*(before|after|ago|earlier|later|in advance|ahead|prior)\b",
                           re.I)
# A passage for the case where something is still there, working or at hand.
STILL = re.compile(r"\b(is|are) still (present|there|displayed|listed|available|installed|"
                   r"working|active)\b|\bstill (have|has|own|works?)\b", re.I)


def credit(concept: Concept, stems: frozenset[str],
           parts: tuple[frozenset[str], ...] = ()) -> float:
    """The weight of the concept's best alternative found in `stems`; with `parts`, a
    phrase must be found inside one of them."""
    return matched(concept, stems, parts, frozenset())[0]


def matched(concept: Concept, stems: frozenset[str], parts: tuple[frozenset[str], ...],
            used: set[str] | frozenset[str]) -> tuple[float, tuple[str, ...]]:
    """Like `credit`, leaving out the alternatives that need a stem another concept of
    the question has already matched; also returns the stems the match spends."""
    best = 0.0
    spent: tuple[str, ...] = ()
    for alt in concept.alternatives:
        if alt.weight <= best:
            continue
        words = alt.stems
        if len(words) == 1:  # most alternatives are one word: no phrase to check
            if words[0] in stems and words[0] not in used:
                best, spent = alt.weight, words
        elif all(s in stems and s not in used for s in words) and (
                not parts or any(all(s in part for s in words) for part in parts)):
            best, spent = alt.weight, words
    return best, spent


def _carries(kind: str, text: str) -> bool:
    """Whether a text carries the kind of answer asked for; "how long" wants a duration,
    which "if" or "when" does not give."""
    if getattr(kind, "duration", False):
        # "If you do not receive the link after a few minutes:" states a case, whose
        # time is part of the case, not a duration the guide gives.
        return questions.DURATION.search(text) is not None and not CASE.match(text)
    return questions.carries(kind, text)


def score(sections: list[Section], unit: Unit,
          concepts: list[tuple[Concept, float, frozenset[str]]],
          kind: str, total: float, has_body: bool, states_loss: bool) -> float:
    """How well the unit answers: see the module docstring. `states_loss`: the unit
    states a loss (`questions.LOSS_CUE`), found once per guide (`answers.prepare`)."""
    section = sections[unit.section]
    own = context = 0.0
    named = 0  # the question's concepts the unit itself says
    # A word of the passage answers one word of the question: "preferential price" is a
    # way of saying "cheaper", but then its "price" does not also answer "how much".
    # The heaviest concepts choose first (`extract` passes them in that order).
    used: set[str] = set()
    loss = getattr(kind, "loss", False) and states_loss
    members = getattr(kind, "members", "")
    enumerates = bool(members) and questions.names_members(unit.carries or unit.text)
    for concept, weight, stems in concepts:
        got, spent = (0.0, ()) if stems.isdisjoint(unit.stems) else \
            matched(concept, unit.stems, unit.parts, used)
        if not got and loss and questions.LOSS.search(concept.text):
            # "smashed", "vanished": the customer's word for the loss is answered by
            # the passage that states it ("no account is displayed anymore").
            got = LOSS_CREDIT
        if not got and enumerates and concept.text == members:
            # "what languages": "in French, German, Italian or English" names them
            # without saying "languages".
            got = 1.0
        if got:
            own += weight * got
            named += 1
            used.update(spent)
        elif not stems.isdisjoint(unit.context):
            context += weight * credit(concept, unit.context)
    score = own + TITLE_SHARE * context
    if kind == questions.GENERAL and unit.block == 0 and unit.sentence in (0, -2) and \
            unit.section > 0 and not getattr(kind, "contrast", False) and \
            headed_by_question(sections, unit.section, concepts):
        # The section's heading says all a "what" question asks beyond the guide's
        # subject ("what is in the export archive": "What is in the archive" in "Export
        # your data"): the section is the answer, from its start. (Steps and roles are
        # weighed by what they say, not by a heading.)
        score += HEADING_SHARE * total
    if unit.sentence == -2:
        score *= LIST_FACTOR
        # (Not for someone who is stopped: they have followed the steps.)
        if (kind == questions.PROCEDURE or
                (kind == questions.GENERAL and not getattr(kind, "fact", False)
                 and not getattr(kind, "blocked", False)
                 and not getattr(kind, "problem", False))) and \
                section.blocks[unit.block].ordered and \
                (not section.prerequisite or getattr(kind, "navigation", False)):
            # Steps in the prerequisites lead to the page where the task is done: they
            # answer "where is" and "how do I get to", not the task itself.
            # Steps answer "how do I"; a statement of a problem ("the app shows no
            # account") is answered by the sentence that describes that case as much.
            score += total * (PROCEDURE_LIST_BONUS if kind == questions.PROCEDURE
                              else GENERAL_LIST_BONUS)
    listed = unit.sentence != -2 or kind in (questions.AMOUNT, questions.TIME,
                                             questions.PERSON)
    # Prerequisites say who may do what the guide describes: they answer "who can" even
    # when the question names the task in words the guide does not use.
    who = kind == questions.PERSON and section.prerequisite
    # "which version do i need": the prerequisites say what is needed first.
    needed = getattr(kind, "needs", False) and not who and (
        section.prerequisite or (getattr(kind, "blocked", False) and section.permission))
    # "what do i need for sso", to the guide about single sign-on: its prerequisites are
    # what is needed for all the question names, said through the guide's title.
    whole = needed and unit.sentence == -2 and not getattr(kind, "blocked", False) and \
        _about_the_guide(sections, concepts)
    if whole:
        score = max(score, total)
    if needed and (own or context or whole):
        score += TYPE_BONUS * total * (1.0 if own or whole else 0.5)
    elif needed and getattr(kind, "blocked", False) and unit.sentence == -2:
        # "why can't i create a new address": the prerequisites of the guide the
        # question was routed to are what stops the person, whether or not they repeat
        # its words ("the maximum number of addresses … has not been reached").
        score += (TYPE_BONUS + TITLE_SHARE) * total
    if (own or context or who) and listed:
        # Full bonus when the unit itself matches the question and carries the kind,
        # half through its heading or what completes it (facts only: negations and
        # definitions are too common there). Negations and conditions are everywhere: a
        # weaker sign of a consequence.
        weight = WEAK_TYPE_BONUS if kind == questions.CONSEQUENCE else TYPE_BONUS
        # A heading that continues its parent's ("… as a collaborator") is read as part
        # of the steps under it: when they answer every part of the question, the role
        # it names is said for all of them.
        headed = kind in FACT_KINDS and unit.sentence == -2 and \
            section.title.startswith(("...", "…")) and _carries(kind, section.title) and \
            all(credit(c, unit.stems | unit.context) for c, _, _ in concepts)
        # Steps say how, not who: they answer "who can" only through a heading naming
        # the role, not through a step that mentions one ("Choose the role of the new
        # user", "Click on Members").
        steps_only = kind == questions.PERSON and section.blocks[unit.block].ordered
        # A note or a warning tells what happens, or what to do when things go wrong.
        aside = kind == questions.CONSEQUENCE and unit.aside
        if headed or aside or (_carries(kind, unit.carries) and not steps_only):
            # A whole list carries the kind somewhere in it, not necessarily where it
            # matches: half the bonus.
            whole = 0.5 if unit.sentence == -2 and not headed else 1.0
            score += weight * total * (1.0 if own or who else 0.5) * whole
            value = questions.STATED_VALUE.get(kind)
            if value is not None and own and value.search(unit.carries):
                # "D-14", "20%", "2 months" answer "how long" and "how much" more
                # exactly than "before the deadline" or "the amount".
                score += VALUE_BONUS * total * whole
            if who and not own:
                # The task is the guide's, which the question was routed to.
                score += TITLE_SHARE * total
            elif who:
                # What the prerequisites do not name of the task, the guide's opening
                # does: it is said through it ("who may terminate a product" under
                # prerequisites naming the role and the product, in a guide that opens
                # with "how to terminate a product").
                opening = _opening(sections)
                score += TITLE_SHARE * sum(
                    weight * credit(concept, opening) for concept, weight, stems in concepts
                    if stems.isdisjoint(unit.stems) and not stems.isdisjoint(opening))
        elif kind in FACT_KINDS and (own or context) and \
                _carries(kind, unit.completed_by):
            score += weight * total * 0.5
        if getattr(kind, "control", False) and (own or context) and \
                questions.CONTROL_CUE.search(unit.carries):
            score += TYPE_BONUS * total * (1.0 if own else 0.5)
        if getattr(kind, "contrast", False) and (
                named >= 2 or (named and headed_by_question(sections, unit.section,
                                                             concepts))) and \
                questions.CONTRAST_CUE.search(unit.carries):
            # Sets one thing asked about against another ("archiving … keeps …, but
            # deleting …"), rather than naming both ("the differences between …") or
            # negating something about one.
            score += TYPE_BONUS * total
        if getattr(kind, "extent", False) and (own or context) and \
                questions.EXTENT.search(unit.carries):
            # "how early can i be reminded": "up to 2 months in advance" states the
            # limit; "D-14" is one value of it.
            score += TYPE_BONUS * total * (1.0 if own else 0.5)
        counted = getattr(kind, "unit", "")
        if counted and own and questions.counts_in(counted, unit.carries):
            score += TYPE_BONUS * total
        if getattr(kind, "problem", False) and (own or context) and \
                (questions.PROBLEM_CASE.search(unit.premise) or section.for_problems):
            # Written for the case the customer reports: something does not work.
            score += TYPE_BONUS * total * (1.0 if own else 0.5)
        elif getattr(kind, "problem", False) and own and \
                questions.REQUIREMENT.search(unit.carries):
            # What it takes to work is the likely cause of its not working.
            score += WEAK_TYPE_BONUS * total
        if getattr(kind, "waiting", False) and (own or context) and \
                _takes_time(unit.carries):
            # Waiting for something: the time it takes is the answer, best in the
            # section written to say it ("How long refunds take").
            asked = questions.DURATION_ASKED.search(section.title.lower()) is not None
            score += TYPE_BONUS * total * ((1.0 if own else 0.5) + (0.5 if asked else 0.0))
        if loss and (own or context):
            score += TYPE_BONUS * total * (1.0 if own else 0.5)
        if getattr(kind, "happens", False) and (own or context) and \
                questions.WHAT_HAPPENS.match(section.title.lower()):
            # The heading asks what the customer asks ("What happens after
            # cancellation"): the section was written to answer it.
            score += TYPE_BONUS * total * (1.0 if own else 0.5)
    if kind == questions.PROCEDURE and own and unit.sentence == -1 and \
            not section.blocks[unit.block].ordered and \
            INSTRUCTS.match(unit.text) and _task_asked(section.title, concepts):
        # "how do students join": one of a list of ways to do it, "Class code: open the
        # course and click …", tells what to do; "they can only join courses …" states a
        # rule with the same words. (Ordered steps have their own bonus. A sentence of a
        # paragraph that says what to do is as often what to do next, or around the task:
        # "then tap Clock out when you leave" for "how do I clock in".)
        score += WEAK_TYPE_BONUS * total
    if enumerates and (own or context):
        # The passage that names them answers better than one that says "language".
        score += TYPE_BONUS * total * (1.0 if own else 0.5)
    if getattr(kind, "still", False) and (own or context):
        if STILL.search(unit.premise):
            # Written for the case the customer is in ("if your account is still
            # present" for "the app still shows my account").
            score += TYPE_BONUS * total
        elif states_loss:
            score *= SITUATION_FACTOR
    if getattr(kind, "loss", False) and STILL.search(unit.premise):
        # Written for the case where the thing is still there ("if your account is still
        # present"): not for someone who has lost it.
        score *= SITUATION_FACTOR
    situation = getattr(kind, "situation", "")
    if situation and section.situation and situation != section.situation:
        score *= SITUATION_FACTOR
    side = getattr(kind, "side", "")
    if side and kind == questions.TIME:
        said = {m[1].lower() for m in questions.SIDE.finditer(unit.carries)}
        if said and side not in said:
            # "can students hand in work after the deadline": "a reminder 24 hours
            # before the due date" is about the other side of it.
            score *= OTHER_SIDE_FACTOR
    if unit.row_names and _names_another_row(unit, concepts):
        # "on a monthly plan": the row "Monthly" answers, not "Annual", whatever the
        # kind of answer the other row carries ("14 days" for "how long").
        score *= OTHER_ROW_FACTOR
    score *= unit.standing
    purpose = STATED_PURPOSE.match(unit.text) if kind == questions.PROCEDURE else None
    if purpose and not is_stopword(purpose[1].lower()) and not _says(purpose[1], concepts):
        score *= OTHER_TASK_FACTOR
    if kind == questions.PROCEDURE and unit.section > 0 and \
            not _task_asked(sections[unit.section].title, concepts) and \
            any(_names_task(concept) for concept, _, _ in concepts):
        # "Inviting employees" does another task than "take him off the account" asks.
        # (A question that names no task, "where are the receipts", is answered under
        # "Download invoices".)
        score *= OTHER_TASK_FACTOR
    if POINTER.search(unit.text):
        # "Choose the role of the new user (see below)": what it mentions is said in
        # the passage it points to, which answers better.
        score *= POINTER_FACTOR
    if kind == questions.CONSEQUENCE and section.blocks[unit.block].ordered:
        # "does the contact need an account": a yes or no is said by a statement; steps
        # say how to do something, and match such a question only through its nouns.
        score *= STEPS_FOR_YES_NO
    if unit.aside and kind in (questions.PROCEDURE, questions.GENERAL):
        # A note or a warning is an aside to the steps, not the way to do it.
        score *= ASIDE_FACTOR
    if section.introductory and kind != questions.ABOUT:
        score *= LATER_INTRO_FACTOR
    if section.prerequisite and kind != questions.PERSON and not needed and \
            not getattr(kind, "navigation", False):
        # Prerequisites answer "who can" and "what do I need"; other questions want the
        # task itself.
        score *= PREREQUISITE_FACTOR
    elif section.permission and kind == questions.PROCEDURE and not needed and \
            not section.blocks[unit.block].ordered:
        # A section that says who may do the task ("Who can export grades") does not
        # say how: "how do i export grades" wants the steps. (It answers "who can", "can
        # students export", and what stops someone who is refused.)
        score *= PERMISSION_FACTOR
    if unit.section == 0 and has_body:
        # The guide's opening says what the guide is about; later intro paragraphs may
        # state facts ("tags are visible to all users").
        if kind == questions.ABOUT:
            score *= 2.0
        elif kind == questions.DEFINITION:
            score *= DEFINITION_INTRO_FACTOR
        else:
            # Only a sentence that says what the guide is about is its subject rather
            # than an answer; a fact stated first ("Only team admins can add users") is
            # a fact like any later one.
            score *= INTRO_FACTOR if unit.block == 0 and describes_guide(unit.text) else \
                LATER_INTRO_FACTOR
    return score


def named_among(names: Sequence[frozenset[str]],
                concepts: list[tuple[Concept, float, frozenset[str]]]) -> list[int]:
    """Which of some names (the words of a table's rows' or columns' names) the question
    names: those that hold a word of the question that no other of them holds."""
    named: set[int] = set()
    for concept, _, stems in concepts:
        holding = [i for i, name in enumerate(names)
                   if not stems.isdisjoint(name) and credit(concept, name)]
        if len(holding) == 1:
            named.add(holding[0])
    return sorted(named)


def _names_another_row(unit: Unit,
                       concepts: list[tuple[Concept, float, frozenset[str]]]) -> bool:
    """Whether the question names a row of the unit's table other than the unit's, and
    not the unit's row."""
    named = named_among(unit.row_names, concepts)
    return bool(named) and unit.row not in named


def _takes_time(text: str) -> bool:
    """Whether a text states how long something takes ("processed within 5-10 business
    days"), not a point in time ("after 30 days") or the time of a condition ("if you
    cancel within 30 days")."""
    if CONDITION.match(text):
        return False
    return any(not POINT_IN_TIME.search(text, 0, found.start()) and
               not RELATIVE_TIME.match(text, found.end())
               for found in questions.DURATION.finditer(text))


def _task_asked(heading: str, concepts: list[tuple[Concept, float, frozenset[str]]]) -> bool:
    """Whether the task a section's heading names is the question's: a heading that
    opens with a verb the question does not say is another task ("Cancel a swap" for
    "how do I swap a shift"), whose instructions do not answer it."""
    first = heading.split(maxsplit=1)[0] if heading.strip() else ""
    if not INSTRUCTION.match(first) and index.stem(first.lower()) not in TASK_STEMS:
        return True
    return _says(first, concepts)


def task_sections(sections: list[Section],
                  concepts: list[tuple[Concept, float, frozenset[str]]],
                  kind: str) -> frozenset[int]:
    """The sections whose heading opens with the task verb a "how do I" question says
    ("Return an order within 30 days" for "can i return the thermostat"): written for
    that task, where its answer is rather than in a sentence of "Make a warranty claim"
    that says both words. They tell where in a guide the answer is, not whether the guide
    answers (`answers.extract` weighs them in its choice only)."""
    if kind != questions.PROCEDURE:
        return frozenset()
    found = set()
    for s, section in enumerate(sections[1:], start=1):
        heading = section.title
        if heading.rstrip().endswith("?"):
            # "Pause or cancel?" weighs one task against another; it does not do either.
            continue
        first = heading.split(maxsplit=1)[0] if heading.strip() else ""
        if index.stem(first.lower()) in NAMED_TASKS and _says(first, concepts):
            found.add(s)
    return frozenset(found)


# A heading that weighs things against each other ("Alias and redirection compared",
# "Day pass vs. monthly pass", "Pause or cancel?", "Remove, archive or delete?"; not an
# FAQ's "Can I pay by card or by bank transfer?", which asks how).
COMPARING = re.compile(r"\b(compared|comparison|vs\.?|versus|differences?)\b|"
                       r"^\w+(,\s*\w+)*,?\s+or\s+\w+\s*\?$", re.I)
# ... which does not show how to do a task: its units are passed over by this much for a
# "how do I" question (in the choice of passage only), unless they are steps.
COMPARING_FACTOR = 0.5


def comparing_sections(sections: list[Section]) -> frozenset[int]:
    """The sections that compare ways or things rather than say how to do one (found
    once per guide, `answers.prepare`): "forward my emails to gmail" is not answered by
    "A redirection forwards each message … (Gmail, Outlook.com, etc.)" under "Alias and
    redirection compared", but by the steps that set one up."""
    return frozenset(s for s, section in enumerate(sections[1:], start=1)
                     if COMPARING.search(section.title))


def passes_over_comparisons(kind: str) -> bool:
    """Whether a question of this kind is not answered by a comparison: a "how do I",
    unless it asks how two things differ."""
    return kind == questions.PROCEDURE and not getattr(kind, "contrast", False)


def _names_task(concept: Concept) -> bool:
    """Whether a concept of the question is a task ("remove"), or a phrasal verb for
    one ("take him off": remove); not a light verb ("set", "give"), nor a word whose
    weaker alternatives happen to hold a verb ("password": reset)."""
    own = concept.alternatives[0].stems if concept.alternatives else ()
    if len(own) == 1:
        return own[0] in NAMED_TASKS
    return any(len(alt.stems) == 1 and alt.stems[0] in NAMED_TASKS
               for alt in concept.alternatives[1:])


def _says(word: str, concepts: list[tuple[Concept, float, frozenset[str]]]) -> bool:
    """Whether the question says a word, in any of the ways it can be matched."""
    stem = index.stem(word.lower())
    return any(stem in stems for _, _, stems in concepts)


def headed_by_question(sections: list[Section], s: int,
                        concepts: list[tuple[Concept, float, frozenset[str]]]) -> bool:
    """Whether every concept of the question is in the guide's title or in section `s`'s
    heading, and at least one that weighs as much as the question's average is the
    heading's own (a light word such as "riding" in "Check the bike before you ride"
    does not make the heading say what the question asks)."""
    heading, title = sections[s].title_stems, sections[0].title_stems
    if not concepts or not heading:
        return False
    average = sum(weight for _, weight, _ in concepts) / len(concepts)
    own = False
    for concept, weight, stems in concepts:
        said = credit(concept, heading) if not stems.isdisjoint(heading) else 0.0
        if said:
            # In the heading alone, or said there better than by the title ("charged
            # twice" in "I was charged twice for one ride", "charges" in the title).
            own = own or (said > credit(concept, title) and weight >= average)
        elif stems.isdisjoint(title) or not credit(concept, title):
            return False
    return own


def _about_the_guide(sections: list[Section],
                     concepts: list[tuple[Concept, float, frozenset[str]]]) -> bool:
    """Whether the guide's title and opening say everything the question names."""
    opening = _opening(sections)
    return bool(concepts) and all(credit(concept, opening) for concept, _, _ in concepts)


def _opening(sections: list[Section]) -> frozenset[str]:
    """The words of the guide's title and opening: what the guide is about."""
    first = sections[0] if sections else None
    if first is None:
        return frozenset()
    return first.title_stems.union(*(block.stems for block in first.blocks))
