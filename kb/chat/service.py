"""Conversations as a service: create one, post a message, read the history.

A message carries an optional client message id: sent twice, it is applied once and the
first replies are returned again. Two messages racing on one conversation are applied
one after the other (compare-and-set, then retry on the fresh state), never both to the
same state.
"""

from __future__ import annotations

import time

from kb.chat.conversations import Conflict, Conversation, ConversationStore, Reply, Turn
from kb.chat.engine import ChatEngine, clean_message
from kb.errors import KBError
from procedures.run import REDACTED

RETRIES = 5


class ConversationNotFound(KBError):
    """Raised when a conversation id is unknown or its token does not match."""


class ChatService:
    def __init__(self, store: ConversationStore, engine: ChatEngine, accounts: list[str],
                 default_account: str):
        self.store = store
        self.engine = engine
        self.accounts = accounts
        self.default_account = default_account

    def create(self, account: str | None = None) -> tuple[str, str]:
        account = account or self.default_account
        if account not in self.accounts:
            raise KBError(f"no demo account '{account}' (known: {', '.join(self.accounts)})")
        return self.store.create(Conversation(account=account))

    def history(self, conv_id: str, token: str | None) -> Conversation:
        conv = self.store.load(conv_id, token)
        if conv is None:
            raise ConversationNotFound("no such conversation (or the token does not match)")
        return conv

    def post(self, conv_id: str, token: str | None, text: str, option: str | None = None,
             client_id: str | None = None) -> list[Reply]:
        for _ in range(RETRIES):
            conv = self.history(conv_id, token)
            seen = conv.replay(client_id)
            if seen is not None:
                return seen.replies
            loaded = conv.revision
            field = self.engine.pending_field(conv)
            replies = self.engine.respond(conv, text, option)
            # What the history keeps: never a password, never an upload.
            if field and field.get("secret") and not option:
                shown = REDACTED
            elif field and field["type"] == "image" and not option:
                shown = "[picture]"
            else:
                shown = clean_message(text)
            conv.add(Turn(text=shown, replies=replies,
                          client_id=client_id, at=time.time()))
            conv.revision = loaded + 1
            try:
                self.store.save(conv_id, conv, loaded)
                return replies
            except Conflict:
                continue  # someone else's message got there first: apply ours after it
        raise KBError("the conversation is too busy right now; please send again")
