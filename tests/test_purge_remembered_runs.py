"""`kb purge` forgets the runs a browser remembered (`visitor_runs`) once they are older
than the retention period: the old run leaves the account page and its address stops
working in that browser, while a recent one, or an old one still in use, stays."""

from __future__ import annotations

import re
import time

from kb.cli import main
from kb.context import Context
from tests.browser_support import DEMO_SLUG, FormClient
from tests.sql_support import sql

DAY_S = 86_400


def start(web: FormClient, slug: str) -> str:
    """Start the guide's procedure from its page, as a visitor; the run's address."""
    web.get(f"/guides/{slug}")
    web.submit("/runs", procedure=slug)
    assert re.fullmatch(r"/runs/[0-9a-f]{16}", web.url), web.url
    return web.url


def age(context: Context, run_url: str, *, remembered_days: int, used_days: int) -> None:
    """Move a run's remembering and its last use into the past."""
    run_id = run_url.rsplit("/", 1)[1]
    now = time.time()
    sql(context.database, "UPDATE visitor_runs SET at = ? WHERE run_id = ?",
        now - remembered_days * DAY_S, run_id)
    sql(context.database, "UPDATE runs SET created_at = ?, updated_at = ? WHERE id = ?",
        now - remembered_days * DAY_S, now - used_days * DAY_S, run_id)


def purge(site, capsys, monkeypatch) -> str:
    monkeypatch.setenv("KB_RETENTION_DAYS", "30")
    assert main(["--guides", str(site.guides), "--data", str(site.data), "purge"]) == 0
    return capsys.readouterr().out


def remembered_titles(web: FormClient) -> list[str]:
    html = web.get("/account")
    listed = re.search(r'<ul class="runs">(.*?)</ul>', html, re.S)
    return re.findall(r'<a href="/runs/[0-9a-f]+">([^<]+)</a>', listed.group(1)) \
        if listed else []


def test_an_old_remembered_run_is_forgotten_and_a_recent_one_kept(
        site, app, web, capsys, monkeypatch):
    context = app.extensions["kb.context"]
    old = start(web, DEMO_SLUG)
    recent = start(web, "kauth-remove-account")
    titles = remembered_titles(web)
    assert len(titles) == 2
    age(context, old, remembered_days=40, used_days=40)

    out = purge(site, capsys, monkeypatch)

    assert "1 visitor_runs" in out, out
    web.get(old, status=404)
    web.get(recent)
    assert "Step 1 of" in web.page
    # The account page lists only the run that is still remembered.
    assert remembered_titles(web) == [titles[0]]
    assert sql(context.database, "SELECT COUNT(*) FROM visitor_runs")[0][0] == 1


def test_a_run_remembered_long_ago_but_used_lately_stays_reachable(
        site, app, web, capsys, monkeypatch):
    context = app.extensions["kb.context"]
    run = start(web, DEMO_SLUG)
    age(context, run, remembered_days=40, used_days=2)

    out = purge(site, capsys, monkeypatch)

    assert "visitor_runs" not in out, out
    web.get(run)
    assert "Step 1 of" in web.page
