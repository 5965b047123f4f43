"""A person when the bot cannot help: hand-off tickets, their outbox and their delivery.

A ticket is stored (with its outbox entries, in one transaction) before anything is sent,
so a mail server or webhook that is down loses nothing: the outbox retries. May import
`kb.store`, `kb.chat`, `kb.runs`, `kb.search` and `procedures`; never Flask.
"""
