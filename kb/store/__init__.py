"""Storage plumbing: the SQLite database (WAL) and the ids and tokens of stored things.

The lowest layer of `kb`: imports nothing else from `kb`.
"""
