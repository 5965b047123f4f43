"""Conversations as a service: create one, post a message, read the history.

A message carries an optional client message id: sent twice, it is applied once and the
first replies are returned again. Two messages racing on one conversation are applied
one after the other (compare-and-set, then retry on the fresh state), never both to the
same state. A message's step of its procedure run is saved with the conversation, in one
transaction, so the step is recorded in both or in neither (a run that starts is created
on its own first).
"""

from __future__ import annotations

import time

from kb.chat.conversations import Conversation, ConversationStore, Reply, Turn
from kb.chat.engine import ChatEngine, clean_message
from kb.errors import (
    ConversationConflict,
    ConversationNotFound,
    RunNotFound,
    UnknownAccount,
)
from procedures.errors import StaleRevision, UnknownProcedure
from procedures.run import REDACTED, Run

RETRIES = 8
BUSY = "the conversation is too busy right now; please send again"
STALE_WAIT_S = 0.05
STALE_TRIES = 2


class ChatService:
    """Conversations: each message applied once, in order, to the stored conversation."""

    def __init__(self, store: ConversationStore, engine: ChatEngine, accounts: list[str],
                 default_account: str) -> None:
        self.store = store
        self.engine = engine
        self.accounts = accounts
        self.default_account = default_account

    def create(self, account: str | None = None) -> tuple[str, str]:
        account = account or self.default_account
        if account not in self.accounts:
            raise UnknownAccount(f"no demo account '{account}' (known: "
                                 f"{', '.join(self.accounts)})")
        return self.store.create(Conversation(account=account))

    def history(self, conv_id: str, token: str | None) -> Conversation:
        """The conversation; `ConversationNotFound` for an unknown id or a wrong token."""
        conv = self.store.load(conv_id, token)
        if conv is None:
            raise ConversationNotFound("no such conversation (or the token does not match)")
        return conv

    def run_of(self, conv: Conversation) -> Run | None:
        """The conversation's procedure run, as the run store holds it."""
        if conv.run is None:
            return None
        try:
            return self.engine.guided.get(conv.run.id, conv.run.token).run
        except (RunNotFound, UnknownProcedure):
            return None

    def post(self, conv_id: str, token: str | None, text: str, option: str | None = None,
             client_id: str | None = None) -> list[Reply]:
        with self.store.holding():
            return self._post(conv_id, token, text, option, client_id)

    def _post(self, conv_id: str, token: str | None, text: str, option: str | None,
              client_id: str | None) -> list[Reply]:
        stale: dict[int, int] = {}  # conversation revision -> events refused as stale
        for attempt in range(RETRIES):
            conv = self.history(conv_id, token)
            seen = conv.replay(client_id)
            if seen is not None:
                return seen.replies
            loaded = conv.revision
            if stale.get(loaded, 0) >= STALE_TRIES and conv.run is not None:
                # The run moved on and, after waiting, still no message of this
                # conversation recorded it (its process stopped in between): carry on
                # from the run as it is.
                current = self.run_of(conv)
                if current is not None:
                    conv.run = conv.run.model_copy(update={"revision": current.revision})
            before = conv.run.revision if conv.run else None
            state = self.engine.current(conv)
            field = self.engine.pending_field(conv, state)
            # The run remembers the message's events: if an earlier sending of it reached
            # the run, they are not applied again; that sending is waited for (it is
            # about to record its turn) until the last try, which takes the run as it is
            # (its process stopped before recording it).
            settle = attempt == RETRIES - 1
            try:
                # The run's saves are kept back and committed with the conversation, in
                # one transaction: a turn is in both or in neither.
                with self.engine.guided.store.deferring() as run_writes, \
                        self.engine.guided.message(client_id, settle=settle):
                    replies = self.engine.respond(conv, text, option, state)
                for reply in replies:  # an export is fetched with the conversation's token
                    if reply.type == "attachment" and reply.name:
                        reply.url = f"/api/v1/conversations/{conv_id}/attachments/{reply.name}"
            except StaleRevision:
                # Another message of this conversation moved its run on and is about to
                # save the conversation: apply ours after it.
                self._wait(stale, loaded, attempt)
                continue
            # What the history keeps: never a password, never an upload.
            if field and field.get("secret") and not option:
                shown = REDACTED
            elif field and field["type"] == "image" and not option:
                shown = "[picture]"
            else:
                shown = clean_message(text)
            # Validated, which for a model this small costs less than model_construct
            # (the replies are Reply objects already: they are not validated again).
            turn = Turn(text=shown, replies=replies, client_id=client_id, at=time.time())
            conv.add(turn)
            conv.revision = loaded + 1
            try:
                self.store.save(conv_id, conv, loaded, run_writes)
                return replies
            except StaleRevision:
                self._wait(stale, loaded, attempt)  # as above: nothing of ours was written
                continue
            except ConversationConflict:
                if run_writes or conv.run is None or conv.run.revision == before:
                    continue  # someone else's message got there first: apply ours after it
                # Our event is in the run already (a run just started): record the turn,
                # do not apply it again.
                return self._record(conv_id, token, conv, turn)
        raise ConversationConflict(BUSY)

    @staticmethod
    def _wait(stale: dict[int, int], loaded: int, attempt: int) -> None:
        """Count a refusal as stale of the conversation at revision `loaded`, and give
        the message that moved its run on time to save the conversation."""
        stale[loaded] = stale.get(loaded, 0) + 1
        time.sleep(STALE_WAIT_S * (attempt + 1))

    def _record(self, conv_id: str, token: str | None, ours: Conversation,
                turn: Turn) -> list[Reply]:
        """Save `ours` (whose event the run has taken) over a conversation someone else
        saved meanwhile: their turns are kept, ours is added after them, unless another
        sending of the same message recorded it already (then its replies are the
        answer, and the message stays one turn)."""
        for _ in range(RETRIES):
            fresh = self.history(conv_id, token)
            seen = fresh.replay(turn.client_id)
            if seen is not None:
                return seen.replies
            merged = ours.model_copy(update={"turns": list(fresh.turns),
                                             "revision": fresh.revision + 1})
            merged.add(turn)
            try:
                self.store.save(conv_id, merged, fresh.revision)
                return turn.replies
            except ConversationConflict:
                continue
        raise ConversationConflict(BUSY)
