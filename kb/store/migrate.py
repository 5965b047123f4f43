"""Schema migrations (Alembic), configured in code: no alembic.ini is needed.

An embedded SQLite database is brought up to date when it is first opened, so a new
release just works on the data folder of the previous one (a database made before
migrations existed is adopted: its tables are kept, with their rows). A PostgreSQL
database is shared by several servers, so it is upgraded on purpose, once, with
`kb db upgrade`; a server started on a database that is behind refuses to start and
names that command.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from kb.errors import StorageUnavailable
from kb.store.engine import storage_failure

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseBehind(StorageUnavailable):
    """Raised at start when a PostgreSQL database needs `kb db upgrade` first."""


class DatabaseUnreachable(StorageUnavailable):
    """Raised at start when the database of KB_DATABASE_URL cannot be reached."""


def _config(conn: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def head() -> str:
    """The revision this release's code expects."""
    revision = ScriptDirectory.from_config(_config()).get_current_head()
    assert revision is not None
    return revision


def current(engine: Engine) -> str | None:
    """The database's revision (None: never migrated)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the database to the head revision in one transaction (on SQLite under the
    write lock, so two processes starting together migrate once); (before, after)."""
    with engine.connect() as conn:
        conn.execution_options(kb_write=True)
        with conn.begin():
            before = MigrationContext.configure(conn).get_current_revision()
            if before != head():
                command.upgrade(_config(conn), "head")
    return before, head()


def describe(engine: Engine) -> str:
    """The database's URL without its password, for messages."""
    return engine.url.render_as_string(hide_password=True)


def prepare(engine: Engine) -> None:
    """On first use: upgrade SQLite; check that PostgreSQL is reachable and current."""
    try:
        at = current(engine)
        if at == head():
            return
        if engine.dialect.name == "sqlite":
            before, after = upgrade(engine)
            log.info("database upgraded from %s to %s", before or "before migrations", after)
            return
    except OperationalError as exc:
        if engine.dialect.name == "sqlite":
            if storage_failure(exc.orig):
                log.warning("the database could not be upgraded (%s); reading only", exc.orig)
                return
            raise
        raise DatabaseUnreachable(
            f"The database named by KB_DATABASE_URL ({describe(engine)}) cannot be reached: "
            f"{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}. Check the "
            "setting and that the database server is running.") from exc
    except DBAPIError as exc:
        if engine.dialect.name == "sqlite" and storage_failure(exc.orig):
            log.warning("the database could not be upgraded (%s); reading only", exc.orig)
            return
        raise
    raise DatabaseBehind(
        f"The database named by KB_DATABASE_URL ({describe(engine)}) is at schema "
        f"revision {at or 'none'}, and this release needs {head()}: run `kb db upgrade` "
        "once, then start the servers.")
