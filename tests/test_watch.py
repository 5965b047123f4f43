"""A guide edit reaches search by itself: file notifications (or a background scan where
there are none), not a look at every guide file on every query; in every server worker."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable

from kb.search.live import SearchService
from kb.search.watch import FolderWatch
from tests.conftest import ROOT, write_guide
from tests.test_pages import free_port

DEADLINE = 30.0  # seconds; generous for a busy CI machine, never waited in full when it works


def eventually(check: Callable[[], bool], deadline: float = DEADLINE) -> bool:
    """Poll `check` until it holds or the deadline passes."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.05)
    return check()


def zebra_found(service: SearchService) -> bool:
    results = service.search("zebra crossing", log_gap=False).results
    return bool(results) and results[0].slug == "zebra"


def test_a_new_guide_is_found_without_waiting_for_a_scan(context, guides_dir):
    # A scan every hour: only a notification can bring the change in time.
    service = SearchService(context.settings, refresh_seconds=3600)
    try:
        assert not zebra_found(service)
        write_guide(guides_dir, "zebra", body="## Zebra crossing\n\nHow to cross at a zebra.\n",
                    title="Zebra crossing rules")
        assert eventually(lambda: zebra_found(service)), service.watch_mode
        assert service.watch_mode == "notifications"
        # An edit of an existing guide, then its removal, arrive the same way.
        path = guides_dir / "zebra.md"
        path.write_text(path.read_text().replace("Zebra crossing rules", "Pelican crossing"))
        assert eventually(lambda: [r.slug for r in service.search("pelican").results][:1]
                          == ["zebra"])
        path.unlink()
        assert eventually(lambda: not zebra_found(service))
    finally:
        service.close()


def test_without_notifications_a_background_scan_brings_the_change(context, guides_dir):
    service = SearchService(context.settings, refresh_seconds=0.2, notifications=False)
    try:
        assert not zebra_found(service)
        assert service.watch_mode == "polling"
        write_guide(guides_dir, "zebra", body="## Zebra crossing\n\nHow to cross at a zebra.\n",
                    title="Zebra crossing rules")
        assert eventually(lambda: zebra_found(service))
    finally:
        service.close()


def settled(watch: FolderWatch, quiet: float = 0.5) -> int:
    """The watch's generation once it has stopped moving for `quiet` seconds."""
    last = watch.generation
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        time.sleep(quiet)
        if watch.generation == last:
            return last
        last = watch.generation
    raise AssertionError("the watch never settled")


def test_changes_in_sub_folders_are_noticed(tmp_path):
    root = tmp_path / "guides"
    (root / "billing").mkdir(parents=True)
    watch = FolderWatch(root).start()
    try:
        for change in (lambda: (root / "billing" / "refunds.md").write_text("x"),
                       lambda: (root / "security" / "2fa").mkdir(parents=True),
                       lambda: (root / "security" / "2fa" / "reset.md").write_text("x"),
                       # A folder's category file changes the guides beside it.
                       lambda: (root / "billing" / "_category.yaml").write_text("name: x"),
                       lambda: (root / "billing" / "refunds.md").unlink()):
            before = watch.generation
            change()
            assert eventually(lambda before=before: watch.generation > before)
        # Files that are not guides (an editor's swap file) do not count. Counted from a
        # quiet moment: the last change above may still be reporting its late events.
        before = settled(watch)
        (root / "billing" / ".refunds.md.swp").write_text("x")
        time.sleep(0.5)
        assert watch.generation == before
    finally:
        watch.stop()


def test_every_server_worker_sees_a_guide_edit(tmp_path, guides_dir):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kb", "--guides", str(guides_dir), "--data",
         str(tmp_path / "data"), "serve", "--port", str(port), "--workers", "2"],
        cwd=ROOT, env={**os.environ, "KB_SECRET_KEY": "watch-test"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def top() -> str | None:
        url = f"http://127.0.0.1:{port}/api/v1/search?q=" + urllib.parse.quote("zebra crossing")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                results = json.load(response)["results"]
        except OSError:
            return "unreachable"
        return results[0]["slug"] if results else None

    try:
        assert eventually(lambda: top() != "unreachable"), "the server did not start"
        assert top() != "zebra"
        write_guide(guides_dir, "zebra", body="## Zebra crossing\n\nHow to cross at a zebra.\n",
                    title="Zebra crossing rules")
        # Consecutive answers spread over both workers: each must have seen the change.
        streak = [0]

        def settled() -> bool:
            streak[0] = streak[0] + 1 if top() == "zebra" else 0
            return streak[0] >= 12

        assert eventually(settled)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)


def test_a_missing_guides_folder_still_answers(tmp_path):
    from kb.settings import Settings

    service = SearchService(Settings(guides=tmp_path / "nowhere", data=tmp_path / "data"))
    try:
        assert service.search("anything").results == []
        assert service.watch_mode == "on request"
    finally:
        service.close()

