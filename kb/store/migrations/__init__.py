"""Alembic migrations of the knowledge base's tables (configured in `kb.store.migrate`)."""

HEAD = "0004"
"""The revision of the newest migration. A database already at it needs nothing, and is
recognised without loading Alembic (a one-off `kb search` would otherwise spend a tenth
of its time importing it); `tests/test_migrations.py` keeps it equal to Alembic's head."""
