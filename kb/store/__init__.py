"""Storage plumbing: the database (SQLite or PostgreSQL through SQLAlchemy Core), its
tables, its migrations, and the ids and tokens of stored things.

The lowest layer of `kb`: imports nothing else from `kb` but its errors.
"""
