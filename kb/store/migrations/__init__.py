"""Alembic migrations of the knowledge base's tables (configured in `kb.store.migrate`)."""
