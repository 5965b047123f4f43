"""`kb admin`, `kb outbox`, `kb purge`: owners of the console, hand-off deliveries, retention."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from kb.context import Context

if TYPE_CHECKING:
    from kb.console.owners import Owners

EXIT_OK, EXIT_PROBLEMS = 0, 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    admin = sub.add_parser("admin", help="manage the owners who may sign in to /admin",
                           description="Owners of the help center sign in to the console "
                                       "at /admin.")
    actions = admin.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    add = actions.add_parser("add-user", help="create an owner (or set a new password)",
                             description="Create an owner. The password is read from "
                                         "standard input when it is not a terminal, else "
                                         "asked twice without echo.")
    add.add_argument("name", metavar="NAME")
    add.set_defaults(handler=cmd_add_user)
    listing = actions.add_parser("list", help="list the owners")
    listing.set_defaults(handler=cmd_list_users)

    outbox = sub.add_parser("outbox", help="hand-off tickets waiting to be delivered",
                            description="List the deliveries of hand-off tickets (e-mail, "
                                        "webhook) that have not gone through, with the "
                                        "reason; --retry sends them now.")
    outbox.add_argument("--retry", action="store_true", help="retry every undelivered one now")
    outbox.add_argument("--all", action="store_true", help="list delivered ones too")
    outbox.set_defaults(handler=cmd_outbox)

    purge = sub.add_parser("purge", help="remove data older than KB_RETENTION_DAYS",
                           description="Remove conversations, runs, recorded events and "
                                       "tickets older than KB_RETENTION_DAYS days.")
    purge.add_argument("--days", type=int, default=None,
                       help="override KB_RETENTION_DAYS for this run")
    purge.set_defaults(handler=cmd_purge)


def _owners(context: Context) -> Owners:
    from kb.console.owners import Owners

    return Owners(context.database, context.settings.resolved_secret())


def cmd_add_user(args: argparse.Namespace, context: Context) -> int:
    from kb.console.owners import OwnerError

    if sys.stdin.isatty():
        password = getpass.getpass(f"Password for {args.name}: ")
        if getpass.getpass("Again: ") != password:
            print("kb admin: the two passwords differ; nothing changed", file=sys.stderr)
            return EXIT_PROBLEMS
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        new = _owners(context).add(args.name, password)
    except OwnerError as exc:
        print(f"kb admin: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"{'created' if new else 'updated the password of'} the owner {args.name.lower()}")
    return EXIT_OK


def cmd_list_users(args: argparse.Namespace, context: Context) -> int:
    for name in _owners(context).names():
        print(name)
    return EXIT_OK


def _when(stamp: float | None) -> str:
    return datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M") if stamp else "-"


def cmd_outbox(args: argparse.Namespace, context: Context) -> int:
    desk = context.support
    desk.background = False
    if args.retry:
        for attempt in desk.deliver(force=True):
            state = "delivered" if attempt.ok else "failed"
            print(f"{attempt.reference} {attempt.channel}: {state}: {attempt.detail}")
    entries = desk.outbox.entries(pending_only=not args.all)
    if not entries:
        print("nothing waiting: every ticket was delivered" if not args.all
              else "no tickets yet")
    for e in entries:
        if e.status == "sent":
            print(f"{e.reference} {e.channel}: delivered {_when(e.sent_at)}")
        else:
            reason = f": {e.last_error}" if e.last_error else ""
            print(f"{e.reference} {e.channel}: not delivered after {e.attempts} attempt(s), "
                  f"next {_when(e.next_at)}{reason}")
    if not desk.channels and entries:
        print("note: no delivery channel is configured (KB_SMTP_URL with KB_SUPPORT_EMAIL, "
              "or KB_WEBHOOK_URL)", file=sys.stderr)
    # After a retry, anything still undelivered is a problem a script should notice.
    undelivered = any(e.status != "sent" for e in entries)
    return EXIT_PROBLEMS if args.retry and undelivered else EXIT_OK


def cmd_purge(args: argparse.Namespace, context: Context) -> int:
    from kb.support.retention import purge

    days = args.days if args.days is not None else context.settings.retention_days
    if days <= 0:
        print("kb purge: KB_RETENTION_DAYS is 0 (keep everything); nothing removed")
        return EXIT_OK
    removed = purge(context.database, days)
    total = sum(removed.values())
    print(f"removed {total} record(s) older than {days} days"
          + (": " + ", ".join(f"{n} {t}" for t, n in removed.items() if n) if total else ""))
    return EXIT_OK
