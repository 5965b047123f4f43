"""Degrade, don't fail: with the data folder full or read-only, reading keeps working.

A data folder is prepared by a real app (index, databases, a run and a conversation under
way), then used by the real Flask app in another process on storage that cannot take a
write: a read-only mount, or a full one (a private mount namespace when the tests run as
root, where `chmod` does not bind; `chmod` otherwise). Reading must answer; what a
person waits for (a run, a message) must answer 503 in the JSON error shape. A database
file capped with `PRAGMA max_page_count` ("database or disk is full") runs everywhere.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from tests.conftest import ROOT, SEED_GUIDES
from tests.sql_support import sql
from tests.test_api import assert_error, bearer, make_app
from webapp import services

PREPARE = """
import json, sys
from pathlib import Path
from kb.settings import Settings
from webapp import create_app

app = create_app(Settings(guides=Path(sys.argv[1]), data=Path(sys.argv[2]), secret_key="t"))
client = app.test_client()
for url in ["/", "/search?q=remove+the+kauth+app", "/guides/kauth-remove-account",
            "/account", "/api/v1/guides"]:
    assert client.get(url).status_code == 200, url
run = client.post("/api/v1/runs", json={"procedure": "kauth-remove-account",
                                        "account": "legal-rep"}).get_json()
conv = client.post("/api/v1/conversations", json={}).get_json()
print(json.dumps({"run": {"id": run["id"], "token": run["token"],
                          "revision": run["revision"]},
                  "conv": {"id": conv["id"], "token": conv["token"]}}))
"""

# Every kind of request, answered by the real app on the storage given; prints
# {name: [status, body]} as JSON.
CHECK = """
import json, re, subprocess, sys, time
from pathlib import Path
from kb.settings import Settings
from webapp import create_app

ids = json.loads(sys.argv[3])
app = create_app(Settings(guides=Path(sys.argv[1]), data=Path(sys.argv[2]), secret_key="t"))
client = app.test_client()
out = {}
if len(sys.argv) > 4:  # the disk fills up while the app is serving
    for url in ["/", "/guides/kauth-remove-account", "/account", "/search?q=kauth"]:
        assert client.get(url).status_code == 200
    subprocess.run(sys.argv[4], shell=True, check=True)
    time.sleep(1.1)  # the view counter's next flush is due

def keep(name, response):
    out[name] = [response.status_code, response.get_data(as_text=True)[:2000]]

keep("guide page", client.get("/guides/kauth-remove-account"))
keep("home", client.get("/"))  # flushes the view counted just before
keep("search answered", client.get("/search?q=remove+the+kauth+app"))
keep("search unanswered", client.get("/search?q=cheese+fondue+recipe"))
keep("account page", client.get("/account"))
keep("guides API", client.get("/api/v1/guides"))
keep("guide API", client.get("/api/v1/guides/kauth-remove-account"))
keep("search API", client.get("/api/v1/search?q=zzzz+qqqq"))
token = re.search(r'name="csrf_token" value="([^"]+)"',
                  client.get("/guides/kauth-remove-account").get_data(as_text=True))
keep("feedback", client.post("/guides/kauth-remove-account/feedback",
                             data={"helpful": "yes", "csrf_token": token.group(1)}))
run = ids["run"]
keep("run read", client.get(f"/api/v1/runs/{run['id']}",
                            headers={"Authorization": f"Bearer {run['token']}"}))
keep("run start", client.post("/api/v1/runs", json={"procedure": "kauth-remove-account",
                                                   "account": "legal-rep"}))
keep("run event", client.post(f"/api/v1/runs/{run['id']}/events",
                              headers={"Authorization": f"Bearer {run['token']}"},
                              json={"type": "answer", "value": "guide"}))
conv = ids["conv"]
keep("chat message", client.post(f"/api/v1/conversations/{conv['id']}/messages",
                                 headers={"Authorization": f"Bearer {conv['token']}"},
                                 json={"text": "how do I remove the kauth app"}))
print(json.dumps(out))
"""

READS = ["guide page", "home", "search answered", "search unanswered", "account page",
         "guides API", "guide API", "search API", "run read"]
WAITED_FOR = ["run start", "run event", "chat message"]


def python(script: str, *args: str, setup: str | None = None) -> str:
    """The last line `script` printed; with `setup`, run after that shell command in a
    mount namespace of its own (so its mounts vanish with it)."""
    command = [sys.executable, "-c", script, *args]
    if setup is not None:
        command = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
                   f"{setup} && exec {shlex.join(command)}"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture
def prepared(tmp_path: Path) -> tuple[Path, Path, str]:
    """(guides, data, ids): a data folder a real app has used, closed cleanly."""
    guides, data = tmp_path / "guides", tmp_path / "data"
    shutil.copytree(SEED_GUIDES, guides)
    ids = python(PREPARE, str(guides), str(data))
    return guides, data, ids


def private_mount_available() -> bool:
    """Whether this process can mount in a mount namespace of its own (root can)."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"],
                           capture_output=True)
    return probe.returncode == 0


def on_small_mount(data: Path, mount: Path, how: str) -> str:
    """A shell command copying `data` onto a small tmpfs at `mount`, then making it
    read-only (`ro`) or filling it up (`full`)."""
    mount.mkdir()
    make = {"ro": f"mount -o remount,ro {mount}", "full": fill(mount), "": "true"}[how]
    return f"mount -t tmpfs -o size=4m tmpfs {mount} && cp -a {data}/. {mount}/ && {make}"


def fill(mount: Path) -> str:
    """A shell command filling the file system at `mount` to the last byte."""
    return f"{{ dd if=/dev/zero of={mount}/filler bs=4k 2>/dev/null || true; }}"


def check(guides: Path, data: Path, ids: str, setup: str | None = None,
          *later: str) -> dict[str, Any]:
    """The CHECK results; `later`: a shell command run once the app has served a few
    pages, before the checks."""
    return dict(json.loads(python(CHECK, str(guides), str(data), ids, *later,
                                  setup=setup)))


def assert_degraded(results: dict[str, Any]) -> None:
    for name in READS:
        assert results[name][0] == 200, (name, results[name])
    assert "<h1" in results["home"][1] and "kauth" in results["search answered"][1].lower()
    assert results["feedback"][0] in (302, 303), results["feedback"]
    for name in WAITED_FOR:
        status, body = results[name]
        assert status == 503, (name, status, body)
        error = json.loads(body)["error"]
        assert error["code"] == "storage_unavailable"
        assert "try again later" in error["message"] and "Nothing was changed" in \
            error["message"]


def test_a_read_only_data_folder_is_still_read(prepared, tmp_path):
    guides, data, ids = prepared
    if private_mount_available():
        mount = tmp_path / "mounted"
        results = check(guides, mount, ids, setup=on_small_mount(data, mount, "ro"))
    elif os.geteuid() == 0:
        pytest.skip("running as root, where chmod does not bind, and no mount namespace "
                    "of our own can be made for a read-only mount")
    else:
        for path in (data, *data.rglob("*")):
            path.chmod(path.stat().st_mode & ~0o222)
        try:
            results = check(guides, data, ids)
        finally:
            for path in (data, *data.rglob("*")):
                path.chmod(path.stat().st_mode | 0o200)
    assert_degraded(results)


def test_a_full_disk_is_still_read(prepared, tmp_path):
    guides, data, ids = prepared
    if not private_mount_available():
        pytest.skip("a small full file system needs a mount namespace of our own (root); "
                    "the capped database below covers a full disk everywhere")
    mount = tmp_path / "mounted"
    assert_degraded(check(guides, mount, ids, setup=on_small_mount(data, mount, "full")))


def test_a_full_database_keeps_reading_and_answers_503_to_writes(tmp_path):
    app = make_app(tmp_path)
    client = app.test_client()
    start = {"procedure": "kauth-remove-account", "account": "legal-rep"}
    run = client.post("/api/v1/runs", json=start).get_json()
    with app.app_context():
        # From now on the file may grow by a few pages only ("database or disk is full"):
        # a limit of each connection, so set on every one the app opens from here on.
        engine = services.context().database.engine
        pages = sql(services.context().database, "PRAGMA page_count")[0][0]
        event.listen(engine, "connect", lambda conn, record: conn.execute(
            f"PRAGMA max_page_count = {pages + 4}"))
        engine.dispose()
    for _ in range(1000):  # people keep starting runs until the database is full
        started = client.post("/api/v1/runs", json=start)
        if started.status_code != 201:
            break
    message = assert_error(started, 503, "storage_unavailable")
    assert "try again later" in message and "Nothing was changed" in message
    for url in ["/guides/kauth-remove-account", "/", "/search?q=cheese+fondue+recipe",
                "/account", "/api/v1/guides", "/api/v1/search?q=zzzz+qqqq"]:
        assert client.get(url).status_code == 200, url
    for _ in range(100):
        created = client.post("/api/v1/conversations", json={})
        if created.status_code != 201:
            break
    assert_error(created, 503, "storage_unavailable")
    # The runs already there are still read, as they were.
    shown = client.get(f"/api/v1/runs/{run['id']}", headers=bearer(run["token"]))
    assert shown.status_code == 200 and shown.get_json()["revision"] == run["revision"]


def test_a_disk_filling_up_while_serving_is_still_read(prepared, tmp_path):
    guides, data, ids = prepared
    if not private_mount_available():
        pytest.skip("a small full file system needs a mount namespace of our own (root)")
    mount = tmp_path / "mounted"
    assert_degraded(check(guides, mount, ids, on_small_mount(data, mount, ""),
                          fill(mount)))
