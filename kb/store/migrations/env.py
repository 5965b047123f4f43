"""Alembic's entry point: migrate the connection `kb.store.migrate` hands over.

There is no alembic.ini: the script location, the connection and the target metadata
are given programmatically, so the migrations run from the installed package.
"""

from alembic import context

from kb.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
