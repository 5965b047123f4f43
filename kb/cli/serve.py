"""`kb serve`: the web app under gunicorn, one worker process per core.

The app is loaded and the search index built once, in the parent, before the workers are
forked, so a cold start answers its first request quickly. Each worker then opens its own
handles (the index, SQLite connections): open files must not be shared across a fork.
Flask, the web app and gunicorn are imported only here, only when serving: the rest of
the command line stays free of them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.content.guides import guide_files
from kb.context import Context
from kb.identity import IdentityNotConfigured, check_settings

# No request may hold a worker longer than this (seconds): gunicorn replaces the worker.
WORKER_TIMEOUT = 10
# Gunicorn's limits on the request line and each header (its largest non-zero values);
# what it refuses, it answers in the API's JSON shape (webapp/serving.py).
LIMIT_REQUEST_LINE = 8190
LIMIT_REQUEST_FIELD_SIZE = 8190

if TYPE_CHECKING:
    from flask import Flask


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cores = os.cpu_count() or 1
    p = sub.add_parser("serve", help="start the web app (help center, wizard, API, widget)",
                       description="Serve the help center, the guided procedures, the JSON "
                                   "API and the widget with gunicorn: the app is preloaded "
                                   "and the search index built before the workers start.")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; 0.0.0.0 for every "
                        "interface)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help=f"worker processes (default: one per core, here {cores})")
    p.add_argument("--trusted-proxies", type=int, default=0, metavar="N",
                   help="how many reverse proxies in front of the server to trust: the "
                        "client's address (for rate limits) and scheme (HTTPS) are then "
                        "read from their X-Forwarded-For and X-Forwarded-Proto headers "
                        "(default 0: the headers are ignored)")
    p.add_argument("--no-rate-limits", action="store_true",
                   help="serve without the per-client rate limits (when a proxy in front "
                        "limits instead, or for load tests from one address)")
    p.set_defaults(handler=cmd_serve)


def cmd_serve(args: argparse.Namespace, context: Context) -> int:
    if not 1 <= args.port <= 65535:
        print("kb serve: --port must be between 1 and 65535", file=sys.stderr)
        return 2
    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    if workers < 1:
        print("kb serve: --workers must be at least 1", file=sys.stderr)
        return 2
    if not 0 <= args.trusted_proxies <= 10:
        print("kb serve: --trusted-proxies must be between 0 and 10", file=sys.stderr)
        return 2
    settings = context.settings
    try:
        check_settings(settings)
    except IdentityNotConfigured as exc:
        print(f"kb serve: {exc}", file=sys.stderr)
        return 2
    problem = data_folder_problem(settings.data)
    if problem:
        print(f"kb serve: warning: the data folder {settings.data} is not writable "
              f"({problem}): conversations, runs and statistics cannot be saved",
              file=sys.stderr)
    started = time.perf_counter()
    from webapp import create_app
    from webapp.limits import StorageNotUsable
    from webapp.serving import JsonErrorWorker

    try:
        app = create_app(settings, trusted_proxies=args.trusted_proxies,
                         rate_limits=not args.no_rate_limits)
    except StorageNotUsable as exc:
        print(f"kb serve: {exc}", file=sys.stderr)
        return 2
    # Build (or check) the index and load the guides once, before forking: the workers
    # then only open the index.
    parent = app.extensions["kb.context"]
    parent.search.searcher()
    # The master process serves no query: its folder watch would only cost a thread and
    # an inotify handle. Each worker starts its own with its first query.
    parent.search.close()
    parent.catalog.knowledge_base()
    guides = len(guide_files(settings.guides))
    if not guides:
        print(f"kb serve: warning: no guides in {settings.guides} (use --guides DIR)",
              file=sys.stderr)
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{args.port}/"

    def when_ready(server: object) -> None:
        print(f"kb serve: {url} ({workers} worker{'s' if workers > 1 else ''}, {guides} "
              f"guides from {settings.guides}, ready in "
              f"{time.perf_counter() - started:.1f} s; Ctrl+C stops)", flush=True)

    def post_worker_init(worker: object) -> None:
        # Open files (the index, SQLite) must not be shared across a fork: the worker
        # opens its own. Compiled procedures are plain data and are kept. (This runs
        # once the worker handles its signals: a stop during it is not lost.)
        fresh = Context(settings)
        fresh.library, fresh.catalog = parent.library, parent.catalog
        fresh.search.searcher()
        app.extensions["kb.context"] = fresh

    _gunicorn(app, {
        "bind": f"{host}:{args.port}",
        "workers": workers,
        # One request at a time per process: the work is CPU-bound (the GIL leaves
        # nothing to gain from threads; they only lengthened the tail latency in
        # bench/http.py), and the search index reader is not safe to share between
        # threads. For slow clients on the open Internet, put a buffering proxy in front.
        "worker_class": JsonErrorWorker,
        "timeout": WORKER_TIMEOUT,
        "limit_request_line": LIMIT_REQUEST_LINE,
        "limit_request_field_size": LIMIT_REQUEST_FIELD_SIZE,
        # The forwarded scheme is trusted only through --trusted-proxies (in the app).
        "forwarded_allow_ips": "",
        "preload_app": True,
        "proc_name": "kb serve",
        # Gunicorn's control socket lives in the home folder, shared by every server
        # of the user; kb serve does not use it.
        "control_socket_disable": True,
        "when_ready": when_ready,
        "post_worker_init": post_worker_init,
    }).run()
    return 0


def data_folder_problem(folder: Path) -> str | None:
    """Why nothing can be written in `folder` (tried for real), or None if it can."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def _gunicorn(app: Flask, options: dict[str, Any]) -> Any:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]  # gunicorn ships no types
        def load_config(self) -> None:
            for key, value in options.items():
                if key in self.cfg.settings:  # control_socket_disable came in 25
                    self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    return Server()
