"""Conversations of the chat and widget, stored in the database with a revision number.

A conversation is reached only with its token (stored hashed). Saving is a
compare-and-set on the revision, so two messages racing on one conversation never both
apply to the same state: the loser reloads and applies its message to the new state.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kb.errors import ConversationConflict
from kb.runs.store import RunWrite
from kb.store.database import Database
from kb.store.guarded import GuardedTable
from kb.store.prepared import holding, writing
from kb.store.remembered import Remembered
from kb.store.schema import conversations
from procedures.engine import Progress

HISTORY_LIMIT = 200
REMEMBERED_MESSAGE_IDS = 50
REMEMBERED_CHARS = 4_000_000
"""JSON characters of recent conversations kept per process, not validated again."""


class Reply(BaseModel):
    """One reply of the assistant (the API contract's reply object)."""

    model_config = ConfigDict(extra="forbid")

    type: str
    text: str
    guide: str | None = None
    procedure: str | None = None
    options: list[dict[str, str]] = []
    field: dict[str, Any] | None = None
    url: str | None = None
    links: list[dict[str, str]] = []
    step: str | None = None
    progress: Progress | None = None
    name: str | None = None
    """An attachment's file name (type `attachment`)."""
    content_type: str | None = None
    input: str | None = None
    """On a step: the input the chat box offers (a field's type, else `text`)."""
    suggestions: list[str] = Field(default=[], description=(
        "On an answer: two or three other questions the same guide answers, to offer as "
        "buttons; each is sent back as the text of a message. Empty on other replies."))


class Turn(BaseModel):
    """A user message and the replies it got."""

    model_config = ConfigDict(extra="forbid")

    text: str
    replies: list[Reply]
    client_id: str | None = None
    at: float = 0.0


class RunRef(BaseModel):
    """The procedure run of a conversation: it lives in the run store, like a wizard's
    run, and is reached with its id and token, which only the conversation knows."""

    model_config = ConfigDict(extra="forbid")

    id: str
    token: str
    procedure: str
    revision: int = Field(description="The run's revision this conversation last saw: its "
                                      "next event is for that revision, so a message is "
                                      "never applied to a run another message moved on.")
    status: str = "active"

    @property
    def finished(self) -> bool:
        return self.status != "active"


class Conversation(BaseModel):
    """What the chat remembers between messages: the turns, the procedure under way,
    the last question and the procedure last offered."""

    model_config = ConfigDict(extra="forbid")

    account: str
    revision: int = 0
    turns: list[Turn] = []
    run: RunRef | None = None
    offer: str | None = None
    question: str | None = None
    topic: str | None = None
    """The last question answered, as it was read (what a pronoun in it stood for written
    out): what a follow-on question such as "and how do I delete it?" leans on."""
    suspended: bool = False
    ticket: str | None = None
    """The reference of the request this conversation handed to a person: what the
    customer says next that the chat cannot answer is added to it while it is open."""
    # The guides this conversation voted on ("Did that help?"): one vote each is counted.
    # Replaced, never changed in place (a loaded conversation shares it with the stored).
    voted: list[str] = []

    @field_validator("run", mode="before")
    @classmethod
    def _forget_embedded_run(cls, run: Any) -> Any:
        """Conversations saved before runs moved to the run store held the run itself;
        it cannot be continued from there, so such a conversation goes on without it.
        (On the field, not the model: a model-wide "before" validator would make every
        load build the whole history as Python objects before validating it.)"""
        if isinstance(run, dict) and "frames" in run:
            return None
        return run

    def replay(self, client_id: str | None) -> Turn | None:
        """The turn already answered for this client message id, if any."""
        if not client_id:
            return None
        for turn in reversed(self.turns[-REMEMBERED_MESSAGE_IDS:]):
            if turn.client_id == client_id:
                return turn
        return None

    def add(self, turn: Turn) -> None:
        self.turns.append(turn)
        del self.turns[:-HISTORY_LIMIT]


class _Stored(NamedTuple):
    """A conversation as this process stored or loaded it, and each of its turns as
    JSON, so that saving it again serialises only the turns that are new."""

    conversation: Conversation
    turns: list[str]


class ConversationStore:
    """Conversations, reached by id and token, saved by compare-and-set.

    Each message loads its conversation and saves it with one more turn. The
    conversations this process saved or loaded last are remembered with the exact JSON
    they were stored as (`kb.store.remembered`): when the stored row still holds that
    JSON, the remembered conversation is used (a copy of it) instead of validating the
    JSON again. Any other process's save changes the row, so the row is always read;
    only the validation is skipped. Saving reuses the JSON of the turns it remembers
    (turns never change once recorded) and serialises only the new ones.
    """

    def __init__(self, db: Database, remembered_chars: int = REMEMBERED_CHARS):
        self._table = GuardedTable(db, conversations, Conversation)
        self._recent: Remembered[_Stored] = Remembered(remembered_chars)

    def holding(self) -> AbstractContextManager[None]:
        """Inside, loads and saves of conversations and runs (one database) share one
        connection: a message reads and writes both, and taking a connection from the
        pool for each statement cost as much as the statement."""
        return holding(self._table.db)

    def create(self, conversation: Conversation) -> tuple[str, str]:
        """Store a new conversation; return (id, token)."""
        return self._table.create(conversation, conversation.revision)

    def load(self, conv_id: str, token: str | None) -> Conversation | None:
        """The conversation, or None when the id is unknown or the token is wrong."""
        data = self._table.load_json(conv_id, token)
        if data is None:
            return None
        known = self._recent.get(conv_id, data)
        if known is not None:
            return _copy(known.conversation)
        conversation = Conversation.model_validate_json(data)
        self._recent.put(conv_id, data, _Stored(
            _copy(conversation), [_turn_json(t) for t in conversation.turns]))
        return conversation

    def save(self, conv_id: str, conversation: Conversation, loaded_revision: int,
             runs: Sequence[RunWrite] = ()) -> None:
        """Write the conversation, and first the saves of its run kept back for it
        (`RunStore.deferring`), in one transaction; `ConversationConflict` if someone
        saved the conversation since it was loaded, `StaleRevision` if someone moved
        the run on (then nothing is written). The conversation is remembered as it is:
        it must not be changed after it is saved."""
        turns = _turns_json(conversation.turns, self._recent.peek(conv_id))
        # The fields but the turns, then the turns (JSON objects are unordered).
        head = conversation.model_dump_json(exclude=_TURNS, exclude_defaults=True)
        data = f'{head[:-1]},"turns":[{",".join(turns)}]}}'
        with writing(self._table.db) as writer:
            for write in runs:
                write(writer)
            if not self._table.save_in(writer, conv_id, conversation,
                                       conversation.revision, loaded_revision, data=data):
                raise ConversationConflict(conv_id)
        # Kept as given, not copied: the chat service leaves a conversation alone once
        # it is saved (a load always gives out a copy).
        self._recent.put(conv_id, data, _Stored(conversation, turns))


_TURNS = {"turns"}


def _turn_json(turn: Turn) -> str:
    """A turn as stored: without the fields left at their defaults (most of a reply's),
    which loading fills in again. A step's conversation is rewritten whole on every
    message, and at half the size more of it fits in one database page: each page
    written costs the commit a few microseconds."""
    return turn.model_dump_json(exclude_defaults=True)


def _turns_json(turns: list[Turn], known: _Stored | None) -> list[str]:
    """Each turn as JSON: the remembered JSON for the turns that are the very ones
    remembered (a history cut at HISTORY_LIMIT starts further on), else serialised."""
    if known is None or not turns:
        return [_turn_json(turn) for turn in turns]
    old = known.conversation.turns
    first = turns[0]
    start = next((i for i, turn in enumerate(old) if turn is first), len(old))
    shared = old[start:]
    out = []
    for i, turn in enumerate(turns):
        if i < len(shared) and shared[i] is turn:
            out.append(known.turns[start + i])
        else:
            out.append(_turn_json(turn))
    return out


def _copy(conversation: Conversation) -> Conversation:
    """A copy whose own fields and list of turns can change without touching the
    original (turns and replies are never changed once recorded, so they are shared)."""
    return conversation.model_copy(update={"turns": list(conversation.turns)})
