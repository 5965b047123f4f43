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
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError

from kb.errors import StorageUnavailable
from kb.store.engine import storage_failure
from kb.store.migrations import HEAD

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseBehind(StorageUnavailable):
    """Raised at start when a PostgreSQL database needs `kb db upgrade` first."""


class DatabaseUnreachable(StorageUnavailable):
    """Raised at start when the database of KB_DATABASE_URL cannot be reached."""


def _config(conn: Connection | None = None) -> Config:
    # Alembic is loaded only when a database is not at HEAD, or by `kb db`.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def head() -> str:
    """The revision this release's code expects, as Alembic reads the migrations."""
    from alembic.script import ScriptDirectory

    revision = ScriptDirectory.from_config(_config()).get_current_head()
    assert revision is not None
    return revision


def current(engine: Engine) -> str | None:
    """The database's revision (None: never migrated)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _at_head(engine: Engine) -> bool:
    """Whether the database records HEAD as its revision, read with one query and no
    Alembic; any doubt (no such table yet, an unreadable file) is left to Alembic."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:
        return False
    return [row[0] for row in rows] == [HEAD]


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the database to the head revision in one transaction (on SQLite under the
    write lock, so two processes starting together migrate once); (before, after)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

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
    if _at_head(engine):
        return
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
