"""Storage plumbing: the database (SQLite or PostgreSQL through SQLAlchemy Core), its
tables, its migrations, and the ids and tokens of stored things. The few statements of
every chat and wizard turn are compiled once and run on the driver's cursor (`prepared`),
on SQLite over a connection the thread keeps (`kept`); what was just stored is remembered
with its JSON (`remembered`), and SQLite's WAL is checkpointed off the request path
(`checkpoint`).

The lowest layer of `kb`: imports nothing else from `kb` but its errors.
"""
