"""A real PostgreSQL server for the tests, from Debian's packages, in a temporary folder.

`initdb` and `pg_ctl` are run as an unprivileged user (PostgreSQL refuses root: when the
tests run as root, as `nobody` through `runuser`), on a free port of 127.0.0.1, with the
data folder owned by that user; the server is stopped (and the folder removed) at the
end. Each test gets a database of its own, brought to the current schema the way an
operator does it (`kb db upgrade`).
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

from kb.store import migrate
from kb.store.engine import make_engine

USER = "kb"


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """One PostgreSQL cluster in a temporary folder."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="kb-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.runner = "nobody" if os.geteuid() == 0 else None
        if self.runner:
            shutil.chown(self.root, self.runner)
        self.root.chmod(0o755)

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        args = list(command)
        if self.runner:
            args = ["runuser", "-u", self.runner, "--", *args]
        return subprocess.run(args, capture_output=True, text=True, check=check, timeout=120,
                              cwd=self.root)

    def start(self) -> PostgresServer:
        if not self.data.exists():
            self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", USER,
                      "--auth=trust", "-E", "UTF8", "--no-sync")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
                  str(self.root / "log"), "-w", "-o",
                  f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                  "-c fsync=off -c max_connections=200", "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop",
                  check=False)

    def restart(self) -> None:
        """Stop (dropping every connection) and start again on the same port."""
        self.stop()
        time.sleep(0.2)
        self.start()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def new_database(self, upgraded: bool = True) -> str:
        """The URL of a new, empty database; with `upgraded`, at the current schema."""
        name = f"kb_{secrets.token_hex(6)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = self.url(name)
        if upgraded:
            engine = make_engine(url)
            try:
                migrate.upgrade(engine)
            finally:
                engine.dispose()
        return url
