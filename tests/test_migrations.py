"""Migrations: a database of the release before them is adopted and upgraded with every
run and conversation kept; `kb db upgrade` / `kb db current`; a wrong database URL is
said once, at start, naming the setting.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from kb.cli import main
from kb.store import migrate
from tests.conftest import ROOT
from tests.sql_support import sql
from tests.test_api import bearer, make_app

OLD_RELEASE = Path(__file__).parent / "fixtures" / "release-before-migrations"


def test_a_database_of_the_release_before_migrations_keeps_its_run_and_conversation(
        tmp_path):
    ids = json.loads((OLD_RELEASE / "ids.json").read_text())
    (tmp_path / "data").mkdir()
    shutil.copy(OLD_RELEASE / "kb.sqlite3", tmp_path / "data" / "kb.sqlite3")
    app = make_app(tmp_path)
    client = app.test_client()

    run = client.get(f"/api/v1/runs/{ids['run']['id']}", headers=bearer(ids["run"]["token"]))
    assert run.status_code == 200
    assert run.get_json()["revision"] == ids["run"]["revision"]
    assert run.get_json()["step"]["step"] == ids["run"]["step"]
    # The old run goes on: its next step is answered and saved.
    moved = client.post(f"/api/v1/runs/{ids['run']['id']}/events",
                        headers=bearer(ids["run"]["token"]),
                        json={"type": "answer", "value": "guide",
                              "revision": ids["run"]["revision"]})
    assert moved.status_code == 200, moved.get_json()

    conv = ids["conv"]
    history = client.get(f"/api/v1/conversations/{conv['id']}/messages",
                         headers=bearer(conv["token"]))
    assert history.status_code == 200
    assert conv["said"] in json.dumps(history.get_json())
    # The new column of this release is there, on the old table.
    db = app.extensions["kb.context"].database
    sql(db, "INSERT INTO guide_feedback(slug, helpful, created_at, comment) "
            "VALUES ('a-guide', 0, 1.0, 'nothing about phones')")
    assert sql(db, "SELECT comment FROM guide_feedback")[0][0] == "nothing about phones"
    assert migrate.current(db.engine) == migrate.head()


def test_kb_db_upgrade_and_current(tmp_path, capsys):
    data = ["--data", str(tmp_path / "data")]
    assert main([*data, "db", "current"]) == 0
    assert "none" in capsys.readouterr().out  # nothing made yet: behind
    assert main([*data, "db", "upgrade"]) == 0
    assert f"to {migrate.head()}" in capsys.readouterr().out
    assert main([*data, "db", "current"]) == 0
    assert capsys.readouterr().out.strip() == f"{migrate.head()} (the latest)"
    assert main([*data, "db", "upgrade"]) == 0
    assert "already at" in capsys.readouterr().out


def test_a_database_at_the_latest_revision_is_used_without_loading_alembic(tmp_path):
    # HEAD is what Alembic reads from the migrations; a database already there is
    # recognised with one query, so a one-off `kb search` does not import Alembic.
    from kb.store.migrations import HEAD

    assert migrate.head() == HEAD
    # Registered first, so run last: after the question log is written at exit.
    script = ("import atexit, sys; atexit.register(lambda: print('ALEMBIC', 'alembic' in "
              "sys.modules, 'QUESTIONS', __import__('sqlite3').connect(sys.argv[1])"
              ".execute('select count(*) from questions').fetchone()[0], file=sys.stderr)); "
              "from kb.cli import main; "
              f"sys.exit(main(['--data', {str(tmp_path / 'data')!r}, 'search', "
              "'how do i remove kauth', '--json']))")
    database = str(tmp_path / "data" / "kb.sqlite3")
    runs = [subprocess.run([sys.executable, "-c", script, database], cwd=ROOT,
                           capture_output=True, text=True, timeout=120) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[-1].stderr
    # A new database is made by the migrations; the next process finds it at HEAD and
    # logs its question in it all the same.
    assert "ALEMBIC True QUESTIONS 1" in runs[0].stderr
    assert "ALEMBIC False QUESTIONS 2" in runs[1].stderr
    assert json.loads(runs[1].stdout)["results"][0]["slug"] == "kauth-remove-account"


def test_an_older_sqlite_file_is_upgraded_by_kb_db_upgrade_too(tmp_path, capsys):
    (tmp_path / "data").mkdir()
    shutil.copy(OLD_RELEASE / "kb.sqlite3", tmp_path / "data" / "kb.sqlite3")
    assert main(["--data", str(tmp_path / "data"), "db", "upgrade"]) == 0
    assert f"from revision none to {migrate.head()}" in capsys.readouterr().out


@pytest.mark.parametrize("url, said", [
    ("mysql://someone@localhost/kb", "KB_DATABASE_URL must be"),
    ("postgresql://nobody:secret@127.0.0.1:9/kb", "cannot be reached"),
])
def test_a_wrong_database_url_is_said_at_start_without_a_traceback(tmp_path, url, said):
    env = {**os.environ, "KB_DATABASE_URL": url, "KB_DATA": str(tmp_path / "data"),
           "KB_GUIDES": str(ROOT / "guides")}
    done = subprocess.run([sys.executable, "-m", "kb", "serve", "--port", "0"],
                          capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert done.returncode == 1
    assert "KB_DATABASE_URL" in done.stderr and said in done.stderr
    assert "Traceback" not in done.stderr and "secret" not in done.stderr


def test_the_migrations_make_the_tables_and_indexes_the_code_declares(tmp_path):
    # A new database is made by the migrations alone, and the queries are written
    # against `kb.store.schema`: a column or index in one and not the other would show
    # up only as a slow or failing query on someone's server.
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from kb.store.schema import metadata

    assert main(["--data", str(tmp_path / "data"), "db", "upgrade"]) == 0
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'data' / 'kb.sqlite3'}")
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert differences == []
