"""The conversation engine of the chat and the widget: a message in, replies out.

Outside a procedure, a question is answered from the search index: a confident answer
quotes the passage that answers and offers the guide's procedure; two or three guides
that score close get a "which one do you mean?"; nothing confident gets an honest "I
don't know" (logged as a content gap). Inside a procedure, a message is the answer to
the current step (an option by number or label, a typed value), or one of the words
back / cancel / restart / help; a message that is clearly another question is answered,
and the user is offered to continue where they left off. The run itself is kept and
advanced by the guided service (`kb.runs`), exactly as the wizard's.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kb.chat import smalltalk, walks
from kb.chat.closeness import close_runners_up, maybe_guides
from kb.chat.conversations import Conversation, Reply, RunRef
from kb.chat.followups import Followups
from kb.chat.reference import Ideas, as_meant, held
from kb.chat.smalltalk import SUPPORT_OPTION, in_own_words
from kb.content.guides import page_url
from kb.errors import RunNotFound, UnknownAccount
from kb.runs.service import GuidedService, RunState
from kb.search import index, questions
from kb.search.answers import Answer
from kb.search.language import other_language
from kb.search.responses import Result, SearchResponse
from kb.search.snippets import plain
from kb.search.text import word_string, words
from procedures import engine, fields
from procedures.engine import StepView
from procedures.engine.render import closing
from procedures.errors import FieldError, UnknownProcedure
from procedures.model import Option, Procedure
from procedures.overlays import MODE_STEP
from procedures.run import Event, EventType

MAX_MESSAGE_CHARS = 2000
# A question said back to the person is cut to this, at a word.
QUOTED_CHARS = 80
# After an answer the chat took from what the person said without being asked.
UNDO = "Say “back” to change it."
FEEDBACK = "helpful:"
ANSWER_CHARS = 600
QUESTION = re.compile(r"^(how|what|why|where|when|who|which|can|could|is|are|do|does|"
                      r"should|will|would|may|i need|i want|i cant|i can't)\b", re.I)
COMMANDS = {
    "back": "back", "go back": "back", "previous": "back",
    "cancel": "cancel", "stop": "cancel", "quit": "cancel", "exit": "cancel",
    "abort": "cancel", "restart": "restart", "start over": "restart", "start again": "restart",
    "help": "help", "?": "help",
}
RUN_COMMANDS: dict[str, EventType] = {"back": "back", "cancel": "cancel", "restart": "restart"}
CONTINUE = {"continue", "resume", "go on", "carry on", "yes", "ok", "okay", "sure"}
START = {"yes", "y", "sure", "ok", "okay", "please", "yes please", "start", "go", "let's go",
         "do it", "guide me"}
# "done" typed once more after the last step, or with nothing in progress.
DONE_SAID = {"done", "next", "finished", "i'm done", "im done", "all done", "ok done",
             "did it", "i did it", "done it"}
# A bare no: to the offer, or to "Did that help?".
DECLINES = {"no", "n", "nope", "nah", "no thanks", "no thank you", "not now"}
# "how do i contact you", "customer service", "support email": the way to reach a person,
# which the support contact gives (matched on the words of the message).
CONTACT_ASKED = re.compile(
    r"^((how|where) (do|can|could|should) (i|we) |can (i|we) |i want to |i need to )?"
    r"(contact|reach|call|phone|email|write to|get in touch with) (you|us|support|"
    r"customer (service|support)|your (support|team|company)|the (support )?team|someone)"
    r"( by (phone|email|mail))?$|"
    r"^(customer (service|support|care)|support( team)?( email| phone| number| contact)?|"
    r"contact( support| us| details| information| info)?|(your )?(support )?(phone number|"
    r"email address)|help ?desk|hotline)$")
# The title of a guide that is itself about reaching the support team.
CONTACT_TITLE = re.compile(r"\b(contact|support|help ?desk|reach)\b", re.I)
# "that didn't help", "wrong answer", "not what i asked": the "No" of "Did that help?" in
# words (matched on the words of the message: "didnt", "that not it" for "that's not it").
NOT_HELPED = re.compile(
    r"^(no )?(that|this|it|the answer)? ?(didnt|doesnt|did not|does not) (help|answer|work)\b|"
    r"^(no )?(that|this|it|thats|its)? ?(is |was )?not (it|helpful|useful|"
    r"right|my question|the answer|what i (asked|meant|wanted|need|needed|was looking for))"
    r"\b|^(wrong|bad|useless|unhelpful) (answer|reply)\b|^(useless|unhelpful|not helpful|"
    r"wrong)$")
# The way out of a choice of guides ("Which of these is your question about?"), as a
# button and in words: without it, a person whose question none of them answers is stuck.
NONE_OF_THESE = "none"
NONE_SAID = {"none", "none of these", "none of them", "neither", "neither of them",
             "neither of these", "not these", "something else", "none of those",
             "not any of these", "none of the above"}


def clean_message(text: object) -> str:
    """A message as text we can store and search: valid UTF-8, printable, bounded."""
    text = str(text or "").encode("utf-8", "ignore").decode("utf-8")
    if not text.isprintable():  # printable text has no control character to replace
        text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    return " ".join(text.split())[:MAX_MESSAGE_CHARS]


UNANSWERED_IN_PROCEDURE = ("I couldn't find the answer to that in this guide or elsewhere in "
                           "the help center. Here is where we are:")
# Unsure between the options of a step (matched on the words of the message).
UNSURE = re.compile(r"^((i|im|i am) )?(not sure|unsure|not certain|dont know|do not know|"
                    r"no idea)( which( one)?)?$|^which (one|should (i|we) (choose|pick|take))"
                    r"( should (i|we) (choose|pick|take))?$|^what (is )?the difference$|"
                    r"^what do you (recommend|suggest)$|^help me (choose|decide)$")
UNSURE_AT_CHOICE = ("No problem. Here is the choice again. If you are still unsure, ask me "
                    "about it in a sentence, or contact our support team.")
# What people say when something goes wrong, beyond a negation (`questions.PROBLEM`).
TROUBLE_SAID = re.compile(r"\b(nothing happens|nothing happened|nothing is happening|"
                          r"stuck|frozen|freezes|froze|greyed out|grayed out|an error|"
                          r"error message)\b")
# "it doesn't work" at a step: the person is stuck there, and says nothing more.
STUCK_IN_PROCEDURE = ("Sorry it isn't working. What happens when you try this step? Tell me "
                      "in a sentence (for example what you see instead), or contact our "
                      "support team. Here is where we are:")


class ChatEngine:
    """Applies one message to a conversation (in place) and returns the replies.

    Procedures run through the guided service, as in the wizard: the conversation only
    points at its run. An event is sent for the run revision the conversation last saw,
    so `StaleRevision` means another message of this conversation got there first.
    """

    offers_person = False
    """Whether a hand-off (`kb.support.handoff`) puts "Talk to a person" under the support
    reply, which then must not send the customer to look elsewhere."""

    def __init__(self, search: Callable[[str], SearchResponse], guided: GuidedService,
                 on_gap: Callable[[str], None] | None = None,
                 contact: SupportContact | None = None, followups: Followups | None = None,
                 on_vote: Callable[[str, bool], object] | None = None,
                 peek: Callable[[str], SearchResponse] | None = None,
                 understand: Callable[[str], Ideas] | None = None,
                 tasks: Callable[[], list[Procedure]] | None = None,
                 answer_in: Callable[[str, str], Result | None] | None = None,
                 examples: Callable[[], Sequence[str]] | None = None):
        self.search = search
        # The answer of one guide to a question, when it answers it (`Searcher.answer_in`):
        # a question asked in the middle of a procedure is first about its own guide.
        self.answer_in = answer_in
        # A message's ideas as search reads them (`kb.chat.reference`): to read a
        # follow-on question, and which option of a choice a message names in other words.
        self.understand = understand
        # The same search without logging the question: a reading of a message that is
        # tried and may be dropped (`kb.chat.reference`) is not a question asked.
        self.peek = peek or search
        self.followups = followups
        self.guided = guided
        self.on_gap = on_gap
        # "Did that help?" answered: (guide, helpful), counted with the guide pages' votes.
        self.on_vote = on_vote
        self.contact = contact or SupportContact()
        # The do-it-for-me flows "what can you do?" names, the ones people use first.
        self.tasks = tasks or guided.assisted
        # Questions made from this help center's guides, shown to say how to ask.
        self.examples = examples

    def _example(self) -> str | None:
        """A question made from this help center's guides, to show how to ask."""
        found = self.examples() if self.examples is not None else []
        return found[0] if found else None

    # -- entry point ----------------------------------------------------------------
    def current(self, conv: Conversation) -> RunState | None:
        """The conversation's running procedure as the guided service shows it, read once
        per message; None when there is none, or when it cannot go on (its procedure is
        gone)."""
        if conv.run is None or conv.run.finished:
            return None
        try:
            return self.guided.get(conv.run.id, conv.run.token)
        except (RunNotFound, UnknownProcedure):
            return None

    @staticmethod
    def pending_field(conv: Conversation, state: RunState | None) -> dict[str, Any] | None:
        """The field the running procedure is asking for, if any."""
        if state is None or conv.suspended or state.view is None:
            return None
        return state.view.field

    def respond(self, conv: Conversation, text: str, option: str | None,
                state: RunState | None) -> list[Reply]:
        """The replies to one message; `state` is `current(conv)`, read by the caller."""
        field = self.pending_field(conv, state)
        if field and field["type"] == "image" and str(text).startswith("data:"):
            # An upload: passed on whole (the engine checks size and content).
            return self._in_procedure(conv, str(text), None, state)
        text = clean_message(text)
        said = (option or text).strip()
        if not said:
            return [Reply(type="message", text="I didn't get any text. What can I help you "
                                                "with?")]
        if option and option.startswith("start:"):
            slug, _, mode = option[6:].partition(":")
            return self._start(conv, slug, mode or None)
        if option and option.startswith(walks.WALK):
            return self._walk(conv, option)
        if option and option.startswith("guide:"):
            return self._answer_from(conv, option[6:])
        if option == SUPPORT_OPTION["id"]:
            return [reach_person(self.contact, person=self.offers_person)]
        if option == NONE_OF_THESE or (not option and _last_clarified(conv) and
                                       said.lower().strip(" !.") in NONE_SAID):
            return self._none_of_these(conv)
        if option and option.startswith(FEEDBACK):
            return self._feedback(conv, option[len(FEEDBACK):])
        if conv.run is not None and not conv.run.finished:
            return self._in_procedure(conv, text, option, state)
        return self._outside(conv, text)

    # -- outside a procedure ----------------------------------------------------------
    def _outside(self, conv: Conversation, text: str) -> list[Reply]:
        lowered = text.lower().strip(" !.")
        if conv.offer and lowered in START:
            offered = walks.offered_walk(conv)
            return self._walk(conv, offered) if offered else self._start(conv, conv.offer)
        way = _offered_way(conv, text) if conv.offer else None
        if way is not None:
            # The offer's button typed ("do it for me", "show me how"): that way, at once.
            slug, _, mode = way[len("start:"):].partition(":")
            return self._start(conv, slug, mode or None)
        if way is None and conv.offer is None:
            walked = self._walk_asked(conv, text)
            if walked is not None:
                return walked
        asked = _last_feedback(conv)
        if lowered in DECLINES or (asked is not None and NOT_HELPED.match(word_string(text))):
            conv.offer = None  # "no" to the offer: a later "yes" does not start it
            if asked is not None:
                # "Did that help?" was the last question: a typed "no" ("that didn't
                # help", "wrong answer") answers it.
                return self._feedback(conv, f"no:{asked}")
            return [Reply(type="help", text="All right. If you have another question, ask "
                                            "it in your own words.")]
        said = smalltalk.reply_to(text, self.tasks, self._example)
        if said is not None:
            return [said]
        if COMMANDS.get(lowered) in RUN_COMMANDS:
            return [self._nothing_running(conv, COMMANDS[lowered])]
        if lowered in DONE_SAID:
            return [self._nothing_running(conv, "done")]
        if lowered in COMMANDS and COMMANDS[lowered] == "help":
            return [Reply(type="help", text=in_own_words(
                "Ask a question in your own words", self._example()) + " When I find the "
                "guide, I can walk you through it step by step.")]
        task = walks.task_walked(text)
        if task is not None:
            walked = self._walk_through(conv, task)
            if walked is not None:
                return walked
            text = task  # what is asked, without the words asking for a walk
        return self._ask(conv, text)

    def _walk_through(self, conv: Conversation, task: str) -> list[Reply] | None:
        """"walk me through swapping a shift": the walk through the section that answers
        the task, at once, when one guide answers it with confidence and has steps to
        go through; None otherwise (the task is then asked as a question)."""
        response = self.search(task)
        if not response.confident or not response.results or close_runners_up(response):
            return None
        top = response.results[0]
        procedure = self._walkable(top.slug)
        if procedure is None:
            return None
        conv.question = task
        return self._walk(conv, walks.option(top.slug, walks.section_start(procedure,
                                                                           top.anchor)))

    def _walk_asked(self, conv: Conversation, text: str) -> list[Reply] | None:
        """"show me how" or "do it for me" right after an answer from a guide that has no
        do-it-for-me flow (no offer was made): the guide's steps, one at a time, or, for
        "do it for me", why not and the steps offered instead. None when the message asks
        for neither, or the last answer's guide has nothing to go through."""
        asked = walks.way_asked(text)
        if asked is None:
            return None
        replies = conv.turns[-1].replies if conv.turns else []
        answered = next((r for r in replies if r.type == "answer" and r.guide), None)
        if answered is None or answered.guide is None:
            # "show me how" with nothing asked before: searched, it would find guides
            # that happen to say "show".
            return [Reply(type="help", text=in_own_words(
                "Happy to. What would you like to do? Tell me in your own words",
                self._example()))]
        guide = answered.guide
        procedure = self._walkable(guide)
        if procedure is None:
            return None
        at = walks.section_start(procedure, (answered.url or "").partition("#")[2])
        walk = walks.option(guide, at)
        if asked == "guide":
            return self._walk(conv, walk)
        conv.offer = guide  # "yes" takes it
        where = f"“{procedure.step(at).stage}”" if at else f"“{procedure.title}”"
        return [Reply(type="offer", guide=guide, procedure=guide,
                      text=f"I can't do this one for you, but I can take you through "
                           f"{where} one step at a time.",
                      options=[{"id": walk, "label": "Take me through it"}])]

    def _walkable(self, slug: str) -> Procedure | None:
        """The procedure of a guide that has steps to go through, else None."""
        try:
            procedure = self.guided.procedure(slug)
        except UnknownProcedure:
            return None
        return procedure if procedure.actionable else None

    def _walk(self, conv: Conversation, option: str) -> list[Reply]:
        """Start a walk through a guide (`walk:<guide>:<a step of the section>`): through
        the section of that step, or the whole guide when the step is not one of it."""
        slug, _, step = option[len(walks.WALK):].partition(":")
        try:
            procedure = self.guided.procedure(slug)
        except UnknownProcedure:
            return [Reply(type="error", text="That procedure does not exist anymore.")]
        section = procedure.step(step).stage if step in procedure.step_ids() else ""
        return self._start(conv, slug, section=section or None)

    def _nothing_running(self, conv: Conversation, command: str) -> Reply:
        """"stop", "back", "start over" or "done" with no procedure going on: said so,
        rather than searched for ("stop" is no question about interrupted orders, and
        "done" no question the guides failed to answer). After a procedure that ended,
        "start over" offers it again."""
        nothing = {"cancel": "nothing to stop", "back": "no step to go back to",
                   "restart": "nothing to start over",
                   "done": "no step waiting to be done"}[command]
        ended = conv.run.procedure if conv.run is not None else None
        title = None
        if ended is not None:
            try:
                title = self.guided.procedure(ended).title
            except UnknownProcedure:
                ended = None
        if title is None:
            return Reply(type="help", text=in_own_words(
                f"Nothing is in progress, so there is {nothing}. What can I help you with? "
                "Ask in your own words", self._example()))
        options = [{"id": f"start:{ended}", "label": "Start it again"}] \
            if command == "restart" else []
        return Reply(type="help", procedure=ended, options=options,
                     text=f"“{title}” has already ended, so there is {nothing}. What else can "
                          "I help you with?")

    def _ask(self, conv: Conversation, text: str) -> list[Reply]:
        if self.understand is not None:
            # "and how do I delete it?" after an answer about tags is about the tags.
            text = as_meant(text, conv.topic, self.peek, self.understand)
        response = self.search(text)
        conv.question = text
        if CONTACT_ASKED.match(word_string(text)):
            top = response.results[0] if response.results else None
            if top is None or not CONTACT_TITLE.search(top.title):
                # A guide that merely says "assistance" or "phone" does not answer: the
                # support contact does.
                conv.offer = None
                return [reach_person(self.contact, person=self.offers_person)]
            if not response.confident:
                # The guide about reaching the support team, first, is its answer.
                return self._answer(conv, response, top.slug)
        if not response.confident or not response.results:
            conv.offer = None
            if self.on_gap and not response.choice:
                self.on_gap(text)
            maybe = maybe_guides(response)
            if maybe:
                # Close, but not sure: the likeliest guides as a choice, never quoted as
                # if they answered.
                which = "the guide below" if len(maybe) == 1 else "one of the guides below"
                verb = _task_verb(text) if response.vague else None
                said = TASK_WITHOUT_OBJECT.format(verb=verb, which=which) if verb else \
                    MAYBE.format(which=which)
                return [Reply(type="fallback", text=said, options=[
                    *({"id": f"guide:{r.slug}", "label": r.title} for r in maybe), SUPPORT_OPTION])]
            if other_language(text):
                said = ("I can only read questions in English for now. Could you ask it in "
                        "English? Or contact our support team.")
            elif response.vague:
                folded = word_string(text)
                problem = _reports_trouble(folded) or questions.LOSS.search(folded)
                verb = _task_verb(text)
                lead = f"What would you like to {verb}? Tell me in a sentence" if verb else \
                    VAGUE_PROBLEM if problem else VAGUE
                said = in_own_words(lead, self._example())
            else:
                said = ("I don't know the answer to that yet. Could you ask it in other "
                        "words? Or contact our support team.")
            return [Reply(type="fallback", text=said, options=[SUPPORT_OPTION])]
        top = response.results[0]
        close = close_runners_up(response)
        if close:
            conv.offer = None
            return [Reply(type="clarify", text="Which of these is your question about?",
                          options=[*({"id": f"guide:{r.slug}", "label": r.title}
                                     for r in [top, *close]), NONE_OPTION])]
        return self._answer(conv, response, top.slug)

    def _answer_from(self, conv: Conversation, slug: str) -> list[Reply]:
        response = self.search(conv.question or slug)
        if not any(r.slug == slug for r in response.results):
            response = self.search(slug.replace("-", " "))
        return self._answer(conv, response, slug)

    def _answer(self, conv: Conversation, response: SearchResponse, slug: str) -> list[Reply]:
        """The answering passage with where it comes from, the guide's do-it-for-me offer
        when it has one, and "Did that help?"."""
        result = next((r for r in response.results if r.slug == slug), None)
        if result is None:
            return [Reply(type="fallback", text="I could not find that guide anymore.")]
        conv.topic = response.query
        # Not in the middle of a procedure: a message there answers its step.
        suggestions = (self.followups.after(result.title, conv.question or "", result.anchor,
                                            result.answer.also if result.answer else ())
                       if self.followups is not None and not conv.suspended else [])
        replies = [self._quoted(result, suggestions)]
        offer = self._offer(result.slug, result.procedure) if result.procedure else None
        conv.offer = result.procedure if offer is not None else None
        if offer is not None:
            replies.append(offer)
        replies.append(Reply(type="feedback", text="Did that help?", guide=result.slug,
                             options=[{"id": f"{FEEDBACK}yes:{result.slug}", "label": "Yes"},
                                      {"id": f"{FEEDBACK}no:{result.slug}", "label": "No"}]))
        return replies

    @staticmethod
    def _quoted(result: Result, suggestions: list[str] | None = None) -> Reply:
        """A guide's answering passage, then where it comes from, with a link there."""
        links = [{"text": link.text, "url": link.url}
                 for link in (result.answer.links if result.answer else ())]
        return Reply(type="answer", text=f"{_excerpt(result)}\n\n(From “{_where(result)}”.)",
                     guide=result.slug, url=page_url(result.slug, result.anchor), links=links,
                     suggestions=suggestions or [])

    def _offer(self, slug: str, procedure_id: str) -> Reply | None:
        """The offer of the guide's do-it-for-me flow, its two ways as the buttons: the
        flow's own words ("Calculate a price for me", "Guide me through the Manager"),
        so that a person picks one here instead of saying yes and being asked again.
        None when the guide has no such flow (its procedure opens on no choice of way)."""
        try:
            procedure = self.guided.procedure(procedure_id)
        except UnknownProcedure:
            return None
        if procedure.start != MODE_STEP:
            return None
        options = [{"id": f"start:{procedure_id}:{o.id}", "label": o.label}
                   for o in procedure.step(MODE_STEP).options]
        return Reply(type="offer", text="Would you like me to help with this?", guide=slug,
                     procedure=procedure_id, options=options)

    def _feedback(self, conv: Conversation, vote: str) -> list[Reply]:
        """"Yes": glad to help. "No": the next best guide for the same question or, when
        there is none, a way to reach a person."""
        helped, _, slug = vote.partition(":")
        if self.on_vote is not None and helped in ("yes", "no") and slug not in conv.voted \
                and _offered(conv, f"{FEEDBACK}{vote}"):
            # Counted once per guide and conversation, and only as asked after an answer
            # (an option id can be typed into the API by anyone).
            conv.voted = [*conv.voted, slug]
            self.on_vote(slug, helped == "yes")
        if helped == "yes":
            return [Reply(type="thanks", text="Glad it helped! Ask me anything else.",
                          guide=slug or None)]
        question = conv.question or ""
        response = self.search(question) if question else None
        others = [r for r in (response.results if response else [])
                  if r.slug != slug][:2]
        if response is not None and response.results and others:
            # A sentence of its own: the guides follow as buttons, not as its words.
            maybe = "this guide answers" if len(others) == 1 else \
                "one of these guides answers"
            return [Reply(type="clarify", text=f"Sorry about that. Maybe {maybe} your "
                                               "question.",
                          options=[*({"id": f"guide:{r.slug}", "label": r.title}
                                     for r in others),
                                   # With the hand-off on, "Talk to a person" is the way
                                   # out (added by kb.support.handoff).
                                   *([] if self.offers_person else [NONE_OPTION])])]
        return [reach_person(self.contact, sorry=True, person=self.offers_person)]

    def _none_of_these(self, conv: Conversation) -> list[Reply]:
        """None of the guides offered answers the question: a gap in the help center,
        and a person to ask (with the hand-off, when it is on)."""
        conv.offer = None
        # Logged once, and only as an answer to the choice (an option id can be typed
        # into the API by anyone, as often as they like).
        # (A question answered by no guide with confidence was logged when it was asked.)
        if self.on_gap and conv.question and _last_clarified(conv, unsure_too=False):
            self.on_gap(conv.question)
        return [reach_person(self.contact, person=self.offers_person, opening=NOT_COVERED)]

    # -- procedures --------------------------------------------------------------------
    def _start(self, conv: Conversation, slug: str, mode: str | None = None,
               section: str | None = None) -> list[Reply]:
        """Start the procedure; `mode` is the way chosen with the offer ("do", "guide"),
        answered at once when the run opens on that choice. `section`: the one section of
        the guide the run goes through (`engine.start`)."""
        try:
            state = self.guided.start(slug, conv.account, section=section)
        except UnknownProcedure:
            return [Reply(type="error", text="That procedure does not exist anymore.")]
        except UnknownAccount:
            return [Reply(type="error", text="Your account is not known here anymore, so I "
                                             "cannot do this with you. Our support team can "
                                             "help.")]
        offered = conv.offer == slug  # started from the offer under an answer
        conv.offer = None
        conv.suspended = False
        conv.run = RunRef(id=state.id, token=state.token or "", procedure=slug,
                          revision=state.run.revision, status=state.run.status)
        # Neutral about what the flow does: a calculator is gone through as a change is.
        what = f"“{state.run.section}” from the guide “{state.procedure.title}”" \
            if state.run.section and state.run.section != state.procedure.title \
            else f"“{state.procedure.title}”"
        intro = Reply(type="message", text=f"Let's go through {what} step by step. You can "
                                            "say back, cancel or restart at any time.",
                      procedure=slug)
        chosen = state.view is not None and state.run.step == MODE_STEP and not state.outputs \
            and any(o.id == mode for o in state.procedure.step(MODE_STEP).options)
        if chosen:
            state = self._send(conv, Event(type="answer", value=mode), state)
        question = conv.question or ""
        case = _case_said(state, question) if offered and question else None
        if case is None:
            return [intro, *self._replies(state)]
        # "i lost my phone" asked, then "Have you already changed phones?": the question
        # said which case it is.
        first = [r for r in self._replies(state) if r.type != "step"]
        state = self._send(conv, Event(type="answer", value=case.id), state)
        said = textwrap.shorten(question, QUOTED_CHARS, placeholder="…")
        noted = Reply(type="message", procedure=slug,
                      text=f"You said “{said}”, so I took “{case.label}”. {UNDO}")
        return [intro, *first, noted, *self._replies(state)]

    def _in_procedure(self, conv: Conversation, text: str, option: str | None,
                      state: RunState | None) -> list[Reply]:
        if state is None:
            gone = conv.run.procedure if conv.run else ""
            conv.run = None
            notice = Reply(type="message", text="That procedure has changed since we started; "
                                                "let's start again.")
            return [notice, *self._start(conv, gone)]
        procedure = state.procedure
        lowered = (option or text).lower().strip(" !.")
        if conv.suspended:
            if lowered in CONTINUE or option == "continue":
                conv.suspended = False
                return self._event(conv, Event(type="resume"), state)
            if lowered in COMMANDS and COMMANDS[lowered] == "cancel":
                conv.suspended = False
                return self._event(conv, Event(type="cancel"), state)
            return [*self._outside(conv, text), self._continue_offer(procedure)]
        command = "help" if option is None and smalltalk.HELP_ASKED.match(text) else \
            COMMANDS.get(lowered)
        if command == "help":
            return [Reply(type="help", text=_help_for(state.view), procedure=procedure.id)]
        kind = RUN_COMMANDS.get(command or "")
        if kind is not None:
            return self._event(conv, Event(type=kind), state)
        if option is None and state.view is not None and state.view.kind == "choice" and \
                UNSURE.match(word_string(text)):
            # "i'm not sure", "what's the difference?": the step's own words say what each
            # option does; asked again whole, not refused with "Please choose …".
            return [Reply(type="message", text=UNSURE_AT_CHOICE, procedure=procedure.id),
                    *self._replies(state, again=True)]
        about = smalltalk.about_me(text, None) if option is None else None
        if about is not None:
            # Answered, and the step asked again: the procedure stays where it was.
            return [about, *self._replies(state, again=True)]
        if option is None and self._is_other_question(state, text):
            own = self.answer_in(text, procedure.id) if self.answer_in is not None else None
            if own is not None:
                # Answered from the guide being followed: the procedure stays where it
                # is, and its step is asked again.
                return [self._quoted(own), *self._replies(state, again=True)]
            response = self.search(text)
            if response.confident and response.results:
                self._send(conv, Event(type="interrupt"), state)
                conv.suspended = True
                offer_before = conv.offer
                replies = self._answer(conv, response, response.results[0].slug)
                conv.offer = offer_before
                return [r for r in replies if r.type not in ("offer", "feedback")] + [
                    self._continue_offer(procedure)]
            if state.view is None or state.view.kind != "choice" or \
                    self._option_meant(state, text) is None:
                # A question nothing answers is not the step's answer: said so, and the
                # step asked again, where it was.
                said = STUCK_IN_PROCEDURE if response.vague else UNANSWERED_IN_PROCEDURE
                return [Reply(type="message", text=said, procedure=procedure.id),
                        *self._replies(state, again=True)]
        pressed = option is not None
        if option is None:
            option = self._option_meant(state, text)
        after = self._send(conv, Event(type="answer", value=option or text), state)
        also = None if pressed else _said_too(state, after, text)
        if also is None:
            return self._replies(after)
        # "send it to my bank" chose the payout and also says where to: the next question
        # is answered by the same message, said so, and "back" undoes it.
        asked = after.view.text if after.view is not None else ""
        first = [r for r in self._replies(after) if r.type != "step"]
        final = self._send(conv, Event(type="answer", value=also.id), after)
        noted = Reply(type="message", procedure=procedure.id,
                      text=f"I took “{also.label}” as your answer to “{asked}” too. {UNDO}")
        return [*first, noted, *self._replies(final)]

    def _option_meant(self, state: RunState, text: str) -> str | None:
        """The option of the step's choice that a message names in other words ("remove
        a label" for "Delete a tag"), through the search's synonyms: the one option whose
        label holds more of the message's ideas than any other does. None when the
        step's own matching understands the message already, or when it is unclear."""
        if self.understand is None:
            return None
        step = state.procedure.step(state.run.step or "")
        if step.kind != "choice":
            return None
        options = engine.options_of(step, state.run)
        if not options or engine.match_option(options, text) is not None or \
                engine.negated(text):
            return None
        ideas = self.understand(text)
        counts = [held(ideas, _stems_of(opt.label)) for opt in options]
        best = max(counts)
        if best == 0 or counts.count(best) > 1:
            return None
        return options[counts.index(best)].id

    def _send(self, conv: Conversation, event: Event, state: RunState) -> RunState:
        """Send an event for the revision this conversation saw to the run read at the
        start of this message; keep the new revision."""
        ref = conv.run
        assert ref is not None
        # Made anew rather than with model_copy, which costs more for a model this small.
        sent = Event(type=event.type, value=event.value, revision=ref.revision)
        after = self.guided.apply(state.id, state.run, sent)
        # A new reference, not changed in place: the one loaded may be shared with the
        # conversation as the store remembers it.
        conv.run = RunRef(id=ref.id, token=ref.token, procedure=ref.procedure,
                          revision=after.run.revision, status=after.run.status)
        return after

    def _event(self, conv: Conversation, event: Event, state: RunState) -> list[Reply]:
        return self._replies(self._send(conv, event, state))

    def _is_other_question(self, state: RunState, text: str) -> bool:
        """A message that the current step would refuse and that reads like a question, or
        that says something does not work ("i don't see the trash icon")."""
        count = len(text.split())
        if count < 2:  # "1", "yes", "guide": an answer, never a question
            return False
        step = state.procedure.step(state.run.step or "")
        # (Only where the step waits for "done": elsewhere "not a number" is a value, and
        # "no, not that one" a choice.)
        stuck = step.kind == "instruction" and _reports_trouble(word_string(text))
        if not stuck and (count < 3 or not (text.endswith("?") or QUESTION.match(text))):
            return False
        options = engine.options_of(step, state.run)
        if step.kind in ("choice", "instruction") and engine.match_option(options, text):
            return False
        if step.kind == "collect" and step.field is not None:
            if text.endswith("?") or (len(text.split()) >= 4 and step.field.type != "text"):
                # A value rarely reads like a question; a secret never contains one.
                return True
            try:
                fields.validate(step.field, text)
                return False
            except FieldError:
                return True
        return True

    def _continue_offer(self, procedure: Procedure) -> Reply:
        return Reply(type="offer", text=f"Shall we continue with “{procedure.title}” where we "
                                        "left off?", procedure=procedure.id,
                     options=[{"id": "continue", "label": "Continue"},
                              {"id": "cancel", "label": "Stop the procedure"}])

    def _replies(self, state: RunState, again: bool = False) -> list[Reply]:
        """The replies of a turn: its messages, then the step asked. `again`: the step
        is asked once more after something else was said (an answer, a question nobody
        answers): its question, not the reason an earlier answer was refused."""
        slug = state.procedure.id
        replies = []
        # The changes this turn made, each said as a result above the closing reply: the
        # closing reply does not list them again.
        said = {o.text.rstrip(". ") for o in state.outputs if o.type == "result"}
        repeated = bool(state.run.changes) and all(c.rstrip(". ") in said
                                                   for c in state.run.changes)
        # A sentence ending on a colon and the list of facts under it: one reply.
        for o in engine.gathered(state.outputs, state.procedure):
            if o.type != "error" or state.run.finished:
                text = o.text
                if repeated and text == state.run.summary:
                    text = closing(text)
                text, links = _linked(text, [link for step in (o.step, *o.items)
                                             for link in _step_links(state.procedure, step)])
                replies.append(Reply(type=_reply_type(o.type, state.run.finished), text=text,
                                     procedure=slug, step=o.step, name=o.name,
                                     content_type=o.content_type, links=links))
        view = state.view
        if view is not None and again and view.error is not None:
            view = view.model_copy(update={"error": None})
        if view is not None:
            text = view.text if view.error is None else f"{view.error}"
            if view.error is None and view.details:
                # A review says what will change, line by line: without them "please
                # check:" would stand alone in the chat.
                text += "\n" + "\n".join(f"- {detail}" for detail in view.details)
            text, links = _linked(text, _step_links(state.procedure, view.step)
                                  if view.error is None else [])
            if view.error is None and replies and replies[-1].type == "note" and \
                    replies[-1].text.rstrip().endswith(":"):
                # "To do this:" alone would be half a sentence: it is said with the step
                # it announces, in one reply. What a choice's lead announces is its
                # options: they follow it as lines, then comes the question ("You can
                # then choose to: - A - B What do you want to do?").
                announced = replies.pop()
                listed = [f"- {o['label']}" for o in view.options] \
                    if view.kind == "choice" else []
                text = "\n".join([announced.text, *listed, text])
                links = [*announced.links, *links]
            replies.append(Reply(
                type="step", text=text, procedure=slug, step=view.step,
                options=view.options if view.kind != "collect" else [],
                field=view.field, progress=view.progress,
                input=view.input, links=links))
        elif state.run.finished and not any(r.type == "end" for r in replies):
            replies.append(Reply(type="end", text=state.run.summary or "Done.",
                                 procedure=slug))
        ahead = walks.next_section(state.procedure, state.run)
        if ahead is not None and replies and replies[-1].type == "end":
            # A walk through one section ended where the next begins: that one is offered.
            replies[-1] = replies[-1].model_copy(update={"options": [
                {"id": walks.option(slug, ahead.id), "label": f"Go on with “{ahead.stage}”"}]})
        return replies


def _case_said(state: RunState, question: str) -> Option | None:
    """The option of the run's first choice that the question it was offered under
    already answers by its situation: the one option written for the same side of a
    change ("i lost my phone": after it; "i'm changing phones": before it), when no
    other option is."""
    if state.view is None or state.run.finished or state.run.step == MODE_STEP:
        return None
    step = state.procedure.step(state.run.step or "")
    asked = questions.situation_of(word_string(question))
    if step.kind != "choice" or not asked:
        return None
    options = engine.options_of(step, state.run)
    sides = [questions.section_situation(o.label) or
             questions.situation_of(word_string(o.label)) for o in options]
    if sides.count(asked) != 1:
        return None
    return options[sides.index(asked)]


def _said_too(before: RunState, after: RunState, text: str) -> Option | None:
    """The option of the next question that a typed answer to a choice also names,
    when both questions are choices (`engine.also_answers`)."""
    if after.run.finished or after.view is None or before.view is None or \
            after.run.step == before.run.step:
        return None
    steps = [before.procedure.step(before.run.step or ""), after.procedure.step(
        after.run.step or "")]
    if any(step.kind != "choice" for step in steps):
        return None
    return engine.also_answers(engine.options_of(steps[0], before.run),
                               engine.options_of(steps[1], after.run), text)


def _step_links(procedure: Procedure, step_id: str | None) -> list[dict[str, str]]:
    """The links of a step to other guides, as the chat's `{text, url}` link objects."""
    try:
        step = procedure.step(step_id) if step_id else None
    except KeyError:
        return []
    return [{"text": link.text or link.slug, "url": page_url(link.slug)}
            for link in (step.links if step is not None else [])]


def _linked(text: str, links: list[dict[str, str]]) -> tuple[str, list[dict[str, str]]]:
    """`text` with a line for each link whose words it does not hold (the widget makes
    a link of the words it finds), and the links."""
    missing = [link["text"] for link in links if link["text"] not in text]
    return (text + "".join(f"\n{words}" for words in missing)), links


_REPLY_TYPE = {"say": "end", "note": "note", "warning": "warning", "error": "error",
               "result": "result", "attachment": "attachment"}


def _reply_type(output: str, finished: bool) -> str:
    # "say" closes a run only when the run has ended ("Let's continue…" is no end).
    if output == "say" and not finished:
        return "message"
    return _REPLY_TYPE.get(output, "message")


def _help_for(view: StepView | None) -> str:
    if view is None:
        return "This procedure has ended. Ask me another question."
    if view.kind == "instruction":
        return "Do this step, then say “done”. Or say back, cancel or restart."
    if view.kind == "choice":
        labels = "; ".join(f"{i}. {o['label']}" for i, o in enumerate(view.options, 1))
        return f"Answer with the number or the words of an option: {labels}."
    return "Type the value asked for. You can also say back, cancel or restart."


def _where(result: Result) -> str:
    """Where an answer comes from, in words: "Guide › Section". A heading that continues
    its parent's ("... as a collaborator") is said whole, as the answer's first line
    says it; double quotes inside become single ones, as the whole is in quotes."""
    section = result.section if result.section != result.title else ""
    if section.startswith(("...", "…")):
        section = _whole_heading(section.lstrip(".… "), result.answer)
    where = f"{result.title} › {section}" if section else result.title
    return re.sub(r'"([^"]*)"', r"‘\1’", where).replace('"', "’")


def _whole_heading(tail: str, answer: Answer | None) -> str:
    """A continuing heading with the parent words the answer leads with ("Access the
    Client's account and products as a collaborator …:"); "" when it does not, as the
    tail alone is half a phrase."""
    lead = answer.text.split("\n", 1)[0].rstrip(" :") if answer is not None else ""
    return lead if tail and lead.endswith(tail) and lead != tail else ""


LIST_ITEM = re.compile(r"^\s*(\d+\.|-) ")
# A plain lower-case word opening a line ("and on the new device, …"), not a name such
# as "kAuth" or "iOS" that is written that way on purpose.
LOWER_OPENING = re.compile(r"^[a-z]+\b(?! *[.:/@])")


def _whole_lines(text: str) -> str:
    """The passage with a line that goes on after a list ("and on the new device, …",
    the end of the sentence the list interrupted) starting as a sentence does: read
    alone, under the list, it would be half a sentence."""
    lines = text.split("\n")
    for n in range(1, len(lines)):
        if LIST_ITEM.match(lines[n - 1]) and LOWER_OPENING.match(lines[n]):
            lines[n] = lines[n][:1].upper() + lines[n][1:]
    return "\n".join(lines)


def _excerpt(result: Result) -> str:
    """The answering passage (`kb.search.answers`); the snippet when there is none."""
    if result.answer is not None:
        return _whole_lines(result.answer.text)
    text = result.passage or plain(result.snippet)
    if len(text) <= ANSWER_CHARS:
        return text
    cut = text.rfind(". ", 0, ANSWER_CHARS)
    return text[:cut + 1] if cut > ANSWER_CHARS // 2 else text[:ANSWER_CHARS].rstrip() + "…"


def _offered_way(conv: Conversation, text: str) -> str | None:
    """The option of the last offer to start a procedure that the message names by its
    label: the whole label within it ("can you do it for me?" for "Do it for me"), or
    the message as the label's first words ("show me how" for "Show me how to do it in
    the Manager"); None unless exactly one option is named."""
    offer = next((reply for turn in reversed(conv.turns) for reply in reversed(turn.replies)
                  if reply.type == "offer"), None)
    if offer is None:
        return None
    named = [option["id"] for option in offer.options
             if option.get("id", "").startswith("start:")
             and engine.names_label(text, option.get("label", ""))]
    way = walks.way_asked(text) if not named else None
    if way is not None:
        named = [option["id"] for option in offer.options
                 if option.get("id", "").startswith("start:")
                 and option["id"].endswith(f":{way}")]
    return named[0] if len(named) == 1 else None


def _reports_trouble(folded: str) -> bool:
    """Whether the words of a message say that something goes wrong: a negation with no
    question word ("it doesn't work"), or what people say when stuck ("nothing
    happens", "it's frozen", "i get an error")."""
    return questions.PROBLEM.match(folded) is not None or \
        TROUBLE_SAID.search(folded) is not None


def _task_verb(text: str) -> str | None:
    """The task a message names without what it is done to ("i want to cancel")."""
    return next((w for w in words(text) if w in questions.ACTION_VERBS), None)


def _last_feedback(conv: Conversation) -> str | None:
    """The guide whose "Did that help?" ends the conversation's last turn, if any."""
    replies = conv.turns[-1].replies if conv.turns else []
    last = replies[-1] if replies else None
    return last.guide if last is not None and last.type == "feedback" else None


def _last_clarified(conv: Conversation, unsure_too: bool = True) -> bool:
    """Whether the conversation's last turn ended on a choice of guides: one that are
    all as likely ("which of these?"), or, with `unsure_too`, the guides offered when
    none answered with confidence."""
    replies = conv.turns[-1].replies if conv.turns else []
    if not replies:
        return False
    last = replies[-1]
    return last.type == "clarify" or (unsure_too and last.type == "fallback" and any(
        o.get("id", "").startswith("guide:") for o in last.options))


def _offered(conv: Conversation, option_id: str) -> bool:
    """Whether a reply of this conversation offered the option."""
    return any(o.get("id") == option_id for turn in reversed(conv.turns)
               for reply in turn.replies for o in reply.options)


NONE_OPTION = {"id": NONE_OF_THESE, "label": "None of these"}
MAYBE = ("I'm not sure I have the answer to that. If your question is about {which}, "
         "choose it; or ask in other words, or contact our support team.")
# A question that names nothing a guide could be about ("it doesn't work"): asked what
# it is about, as a support agent would, rather than told that nothing answers it.
# (Each is followed by an example question made from the help center's guides.)
VAGUE_PROBLEM = ("Sorry to hear that. Could you tell me what isn't working, and what you were "
                 "trying to do? Ask in a sentence")
VAGUE = "Could you tell me a little more: what is it about? Ask in a sentence"
# "i want to cancel": what?
TASK_WITHOUT_OBJECT = ("What would you like to {verb}? If it is about {which}, choose it; or "
                       "tell me in a sentence, or contact our support team.")


@dataclass(frozen=True)
class SupportContact:
    """How customers reach a person, from the settings (`support_email`, `support_phone`,
    `support_hours`); empty fields are simply not mentioned."""

    email: str = ""
    phone: str = ""
    hours: str = ""


NOT_COVERED = "Sorry, none of our guides answers that yet. "


def reach_person(contact: SupportContact, sorry: bool = False, person: bool = False,
                 opening: str = "") -> Reply:
    """The one place that offers a way to reach a person: the configured support contact,
    and, when `person` is set, the hand-off offered below this reply. `opening`: what is
    said first (with `sorry`, that the chat could not help)."""
    opening = opening or ("Sorry, I could not help. " if sorry else "")
    ways = [f"by email at {contact.email}" if contact.email else "",
            f"by phone on {contact.phone}" if contact.phone else ""]
    ways = [w for w in ways if w]
    if not ways and person:
        # No address or number to give, but a person can take over: that is the way.
        return Reply(type="support", text=f"{opening}A person from our support team can take "
                                          "over here: they will read this conversation and "
                                          "reply to you by email.")
    if not ways:
        return Reply(type="support", text=f"{opening}I have no contact details for our support "
                                          "team to give you here. Please look for them on "
                                          "this website's contact page.")
    hours = f" ({contact.hours})" if contact.hours else ""
    return Reply(type="support", text=f"{opening}You can reach our support team "
                                      f"{' or '.join(ways)}{hours}. Tell them what you were "
                                      "trying to do.")


@lru_cache(maxsize=4096)
def _stems_of(label: str) -> frozenset[str]:
    """The stems of an option's label, kept: every message at a choice is read against
    the same few labels."""
    return frozenset(index.stems(label))
