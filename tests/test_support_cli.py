"""`kb admin add-user`, `kb purge`: owners from standard input, data forgotten on time."""

from __future__ import annotations

import io
import time

from kb.cli import main
from kb.console.owners import Owners
from kb.context import Context
from kb.settings import Settings
from tests.sql_support import sql


def run(tmp_path, guides_dir, *args: str) -> int:
    return main(["--guides", str(guides_dir), "--data", str(tmp_path / "data"), *args])


def test_an_owner_is_created_with_the_password_from_standard_input(
        tmp_path, guides_dir, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-owner-password\n"))
    assert run(tmp_path, guides_dir, "admin", "add-user", "Alice") == 0
    assert "created the owner alice" in capsys.readouterr().out
    context = Context(Settings(guides=guides_dir, data=tmp_path / "data"))
    owners = Owners(context.database, context.settings.resolved_secret())
    assert owners.verify("alice", "a-long-owner-password")
    assert not owners.verify("alice", "another-password")
    stored = sql(context.database, "SELECT password_hash FROM console_owners")[0][0]
    assert "a-long-owner-password" not in stored and stored.startswith("scrypt:")


def test_a_short_password_is_refused(tmp_path, guides_dir, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert run(tmp_path, guides_dir, "admin", "add-user", "bob") == 1
    assert "at least 10 characters" in capsys.readouterr().err


def test_purge_removes_what_is_older_than_the_retention(tmp_path, guides_dir, capsys,
                                                        monkeypatch):
    context = Context(Settings(guides=guides_dir, data=tmp_path / "data"))
    chat = context.chat
    old_id, old_token = chat.create("legal-rep")
    chat.post(old_id, old_token, "how do I add a client?")
    new_id, new_token = chat.create("legal-rep")
    chat.post(new_id, new_token, "how do I add a client?")
    context.questions.flush()
    long_ago = time.time() - 40 * 86_400
    sql(context.database, "UPDATE conversations SET created_at = ?, updated_at = ? WHERE id = ?",
        long_ago, long_ago, old_id)
    sql(context.database, "UPDATE questions SET created_at = ? WHERE id = 1", long_ago)
    monkeypatch.setenv("KB_RETENTION_DAYS", "30")
    assert run(tmp_path, guides_dir, "purge") == 0
    assert "removed 2 record(s) older than 30 days" in capsys.readouterr().out
    assert chat.store.load(old_id, old_token) is None
    assert chat.store.load(new_id, new_token) is not None


def test_purge_keeps_everything_when_no_retention_is_set(tmp_path, guides_dir, capsys):
    assert run(tmp_path, guides_dir, "purge") == 0
    assert "nothing removed" in capsys.readouterr().out
