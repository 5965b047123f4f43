"""`kb db upgrade`, `kb db current`: the database's schema revision.

The embedded SQLite file is upgraded by itself when it is opened; a PostgreSQL database,
shared by several servers, is upgraded with `kb db upgrade`, once, before they start.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sqlalchemy.exc import OperationalError

from kb.context import Context
from kb.store.engine import make_engine

if TYPE_CHECKING:
    from kb.store import migrate

EXIT_OK = 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = sub.add_parser("db", help="the database's schema: upgrade it, or show its revision",
                        description="The database named by KB_DATABASE_URL (default: the "
                                    "SQLite file in the data folder).")
    actions = db.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    actions.add_parser("upgrade", help="bring the database to this release's schema"
                       ).set_defaults(handler=cmd_upgrade)
    actions.add_parser("current", help="print the database's schema revision"
                       ).set_defaults(handler=cmd_current)


def cmd_upgrade(args: argparse.Namespace, context: Context) -> int:
    from kb.store import migrate  # Alembic: loaded for these commands only

    engine = make_engine(context.database_url)
    try:
        before, after = migrate.upgrade(engine)
    except OperationalError as exc:
        raise _unreachable(engine, exc) from exc
    finally:
        engine.dispose()
    where = migrate.describe(engine)
    if before == after:
        print(f"{where} is already at revision {after} (the latest).")
    else:
        print(f"{where} upgraded from revision {before or 'none'} to {after}.")
    return EXIT_OK


def cmd_current(args: argparse.Namespace, context: Context) -> int:
    from kb.store import migrate  # Alembic: loaded for these commands only

    engine = make_engine(context.database_url)
    try:
        at = migrate.current(engine)
    except OperationalError as exc:
        raise _unreachable(engine, exc) from exc
    finally:
        engine.dispose()
    head = migrate.head()
    state = "the latest" if at == head else f"behind: run `kb db upgrade` to reach {head}"
    print(f"{at or 'none'} ({state})")
    return EXIT_OK


def _unreachable(engine: object, exc: OperationalError) -> migrate.DatabaseUnreachable:
    from kb.store import migrate

    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    return migrate.DatabaseUnreachable(
        f"The database named by KB_DATABASE_URL cannot be reached: {reason}. Check the "
        "setting and that the database server is running.")
