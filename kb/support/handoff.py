"""The hand-off in the chat: noticing that someone wants a person, and handing over.

"Talk to a person" is reachable from every point of a conversation: the widget's button
(the option `handoff`), plain words ("human", "agent", "I want to talk to someone"), and an
option added to the replies where the bot gives up: the support contact reply and the end
of a blocked or handed-off procedure. When the identity carries no e-mail address the
customer is asked for one (validated; a bad one asks again); then a ticket is opened with
the transcript, the account, the guide and the procedure's state, and the reply of type
`handoff` gives the reference, the support hours and the expected reply time.

The dialogue wraps the chat engine (`HandoffChatEngine`) instead of living inside it, so
the engine's answering code does not need to know about tickets.
"""

from __future__ import annotations

import re
from typing import Any

from kb.chat import smalltalk
from kb.chat.conversations import Conversation, Reply
from kb.chat.engine import COMMANDS, ChatEngine, clean_message
from kb.errors import RunNotFound
from kb.runs.service import RunState
from kb.support.channels import valid_email
from kb.support.desk import SupportDesk
from kb.support.tickets import Line, TicketContent
from procedures.errors import UnknownProcedure
from procedures.model import Procedure
from procedures.run import REDACTED, Run

OPTION = "handoff"
CANCEL_OPTION = "handoff-cancel"
ASK_TYPE = "handoff-contact"
LABEL = "Talk to a person"
EMAIL_FIELD = {"name": "email", "type": "email", "label": "Your e-mail address",
               "max_length": 254}
# The words that name a person to talk to: every pattern below is made of them.
_PERSON_WORDS = ("human", "person", "people", "agent", "operator", "representative", "rep",
                 "someone", "somebody", "anyone", "staff", "employee", "team member",
                 "support team", "support")
# A person, optionally with an article or an adjective before it: "a real person".
_PERSON = (r"(?:(?:a|an|the|some|real|live|human|actual|support)\s+)*"
           rf"(?:{'|'.join(_PERSON_WORDS)})")
_ALONE = re.compile(r"^(?:(?:a|an|real|live)\s+)?(?:human|agent|operator|representative|"
                    r"person|real person|live agent|human being)(?:\s+please)?$")
_TALK = re.compile(rf"\b(?:talk|speak|chat|get in touch|be put through|get through)\s+"
                   rf"(?:to|with)\s+{_PERSON}\b")
_CONNECT = re.compile(rf"\b(?:connect|transfer|put)\s+me\s+(?:to|with|through to)\s+"
                      rf"{_PERSON}\b")
_WANT = re.compile(r"\b(?:i want|i need|i'd like|i would like|can i have|can i get|get me|"
                   r"give me)\s+(?:a|an|to a)?\s*(?:human|real person|live agent|agent|"
                   r"person)\b")
# A question after the hand-off is still answered here: the person may find it in a guide
# before anyone replies.
QUESTION = re.compile(r"\?|^(?:how|what|when|where|who|whom|why|which|can|could|do|does|"
                      r"did|is|are|was|will|would|should|shall|may|might|have|has)\b")
# Fewer words than this ("ok", "great thanks") are talk, not the story.
GOES_ON_WORDS = 3
CANCEL_WORDS = {"cancel", "never mind", "nevermind", "no", "stop", "forget it", "no thanks"}
NO_WORDS = {"no", "nope", "not really", "no it didn't", "it didn't", "didn't help", "no thanks"}


# Every pattern above needs the first word of one of the person words (as letters in a
# row, which the clean-up below never makes or breaks): a message without any is no
# request for a person, and most messages (answers to a step, questions) are turned away
# by this one search.
_PERSON_WORD = re.compile("|".join(dict.fromkeys(w.split()[0] for w in _PERSON_WORDS)))


def wants_person(text: str) -> bool:
    """Whether a message asks for a human rather than asking a question."""
    lowered = text.lower()
    if not _PERSON_WORD.search(lowered):
        return False
    said = " ".join(re.sub(r"[^\w\s']", " ", lowered).split())
    if not said or len(said) > 200:
        return False
    return bool(_ALONE.match(said) or _TALK.search(said) or _CONNECT.search(said)
                or _WANT.search(said))


def offer_option() -> dict[str, str]:
    return {"id": OPTION, "label": LABEL}


class HandoffChatEngine(ChatEngine):
    """The chat engine with the hand-off dialogue in front of it."""

    offers_person = True

    def __init__(self, *args: Any, desk: SupportDesk, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.desk = desk

    def respond(self, conv: Conversation, text: str, option: str | None,
                state: RunState | None) -> list[Reply]:
        cleaned = clean_message(text)  # once, for the checks here and the reply below
        taken = self._handoff(conv, cleaned, option, state)
        if taken is not None:
            return taken
        if conv.ticket and option is None and state is None and _goes_on(conv, cleaned):
            # Right after the hand-off, "They registered it in their name" goes on with
            # the story for the person who will read it: it is not searched.
            added = self._add_to_request(conv, cleaned)
            if added is not None:
                return added
        replies = super().respond(conv, text, option, state)
        if conv.ticket and option is None and replies and replies[0].type == "fallback":
            # After the hand-off, what the chat cannot answer is for the person who will:
            # "I was charged twice for the same hosting in November".
            added = self._add_to_request(conv, cleaned)
            if added is not None:
                return added
        return self._offer_person(conv, replies, option or cleaned)

    def _add_to_request(self, conv: Conversation, said: str) -> list[Reply] | None:
        """Add the message to the conversation's open request and say so; None when the
        request has been closed since (the chat then goes on as before)."""
        ticket = self.desk.add(conv.ticket or "", said)
        if ticket is None:
            conv.ticket = None
            return None
        return [Reply(type="handoff", text=self.desk.added(ticket))]

    def _handoff(self, conv: Conversation, said: str, option: str | None,
                 state: RunState | None) -> list[Reply] | None:
        """The hand-off's own answer to a message (`said`, cleaned), if it is one."""
        field = self.pending_field(conv, state)
        if option == OPTION:
            return self._begin(conv)
        if _asked_for_email(conv) and (option is None or option == CANCEL_OPTION):
            if option == CANCEL_OPTION or said.lower().strip(" .!") in CANCEL_WORDS:
                return [Reply(type="message", text="All right, nothing was sent. What else "
                                                   "can I help you with?")]
            if valid_email(said):
                return [self._open(conv, said)]
            return [_ask_email("That does not look like an e-mail address (for example "
                               "name@example.com). Please type it again.")]
        hidden = bool(field and (field.get("secret") or field.get("type") == "image"))
        # In the middle of a question a single word may be the answer itself.
        if option is None and not hidden and wants_person(said) and \
                not (field and len(said.split()) < 3):
            return self._begin(conv)
        return None

    def _begin(self, conv: Conversation) -> list[Reply]:
        if conv.ticket:
            ticket = self.desk.tickets.get(conv.ticket)
            if ticket is not None and ticket.status == "open":
                # One request per conversation while it is open: asked again, the
                # customer learns it is there and how to add to it.
                return [Reply(type="handoff", text=self.desk.pending(ticket))]
            conv.ticket = None
        email = getattr(conv, "email", None)  # an identity that carries an e-mail
        if isinstance(email, str) and valid_email(email):
            return [self._open(conv, email)]
        return [_ask_email("I'll pass our conversation to a person. Which e-mail address "
                           "should they reply to?")]

    def _open(self, conv: Conversation, email: str) -> Reply:
        ticket = self.desk.open(self.content(conv, email))
        conv.ticket = ticket.reference
        return Reply(type="handoff", text=self.desk.confirmation(ticket))

    def content(self, conv: Conversation, email: str) -> TicketContent:
        """The ticket of a conversation: its transcript and its procedure, if any."""
        transcript = []
        for turn in conv.turns:
            if turn.text:
                transcript.append(Line(who="customer", text=turn.text, at=turn.at))
            for reply in turn.replies:
                if reply.type != ASK_TYPE:
                    transcript.append(Line(who="assistant", text=reply.text, at=turn.at))
        guide = next((r.guide for t in reversed(conv.turns) for r in t.replies if r.guide),
                     None)
        content = TicketContent(email=email, account=conv.account, source="chat",
                                subject=conv.question or "A customer asked for a person",
                                guide=guide, transcript=transcript[-100:])
        if conv.run is not None:
            try:
                state = self.guided.get(conv.run.id, conv.run.token)
            except (RunNotFound, UnknownProcedure):
                return content
            content = with_run(content, state.run, state.procedure)
        return content

    def _offer_person(self, conv: Conversation, replies: list[Reply],
                      said: str = "") -> list[Reply]:
        """Add "Talk to a person" where the bot gives up, and after "Did that help? No"."""
        if replies and _said_no_to_did_that_help(conv, said) and \
                not any(o.get("id") == OPTION for r in replies for o in r.options):
            replies[-1].options = [*replies[-1].options, offer_option()]
        for reply in replies:
            ended = reply.type == "end" and conv.run is not None and conv.run.status in (
                "blocked", "handed-off", "failed")
            if (ended or reply.type == "support") and \
                    not any(o.get("id") == OPTION for o in reply.options):
                reply.options = [*reply.options, offer_option()]
        return replies


def with_run(content: TicketContent, run: Run, procedure: Procedure) -> TicketContent:
    """The ticket with the procedure's state and answers so far, secrets masked."""
    step = procedure.step(run.step) if run.step and _has_step(procedure, run.step) else None
    return content.model_copy(update={
        "procedure": run.procedure, "procedure_title": procedure.title,
        "procedure_status": run.status, "procedure_step": (step.text[:200] if step else None),
        "guide": content.guide or run.procedure, "answers": masked_answers(run, procedure)})


def _has_step(procedure: Procedure, step_id: str) -> bool:
    return any(s.id == step_id for s in procedure.steps)


def masked_answers(run: Run, procedure: Procedure) -> dict[str, str]:
    """The run's answers as text: secrets hidden, pictures named, IBANs shortened."""
    specs = {s.field.name: s.field for s in procedure.steps if s.field is not None}
    shown: dict[str, str] = {}
    for name, value in run.answers.items():
        spec = specs.get(name)
        text = str(value)
        if spec is not None and (spec.secret or spec.type == "password"):
            text = REDACTED
        elif (spec is not None and spec.type == "image") or isinstance(value, bytes) or \
                text.startswith("data:"):
            text = "[picture, not kept]"
        elif spec is not None and spec.type == "iban":
            text = "…" + text.replace(" ", "")[-4:]
        shown[(spec.label if spec is not None and spec.label else name)] = text[:300]
    return shown


def _goes_on(conv: Conversation, said: str) -> bool:
    """Whether a message goes on with what the customer told the person they were handed
    to: the hand-off (or an addition to it) was the last reply, and the message is a
    statement of a few words, not a question, a thank-you or a command."""
    last = conv.turns[-1].replies if conv.turns else []
    if not last or last[-1].type != "handoff":
        return False
    lowered = said.lower().strip(" .!")
    if len(lowered.split()) < GOES_ON_WORDS or QUESTION.search(lowered):
        return False
    return smalltalk.reply_to(said, list) is None and lowered not in COMMANDS


def _said_no_to_did_that_help(conv: Conversation, said: str) -> bool:
    """Whether this message answers "Did that help?" (just asked) with a no, typed or
    clicked (an option whose label is No)."""
    last = conv.turns[-1].replies if conv.turns else []
    asked = [r for r in last if "did that help" in r.text.lower()]
    if not asked:
        return False
    said = said.lower().strip(" .!")
    labels = {o.get("id", "").lower(): o.get("label", "").lower() for r in asked
              for o in r.options}
    return said in NO_WORDS or labels.get(said, "") in NO_WORDS


def _asked_for_email(conv: Conversation) -> bool:
    last = conv.turns[-1].replies if conv.turns else []
    return bool(last) and last[-1].type == ASK_TYPE


def _ask_email(text: str) -> Reply:
    return Reply(type=ASK_TYPE, text=text, field=dict(EMAIL_FIELD),
                 options=[{"id": CANCEL_OPTION, "label": "Never mind"}])
