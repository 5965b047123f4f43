"""Console benchmark: every /admin page over a generated history, p50/p95/p99.

Generates 100,000 recorded events (questions, result clicks, procedure funnel events,
content gaps, helpful votes), 10,000 conversations and 1,000 tickets spread over the
last 30 days, signs an owner in, and times each console page (default period: 30 days)
through the real app in-process (Flask test client, so no network time).

    python bench/console.py [--requests 30]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

from bench.stats import line, summary
from kb.console.owners import Owners
from kb.context import Context
from kb.settings import Settings
from kb.store.tokens import new_id_and_token
from kb.support.tickets import Line, TicketContent

EVENTS = 100_000
CONVERSATIONS = 10_000
TICKETS = 1_000
PAGES = ["/admin/", "/admin/gaps", "/admin/searches", "/admin/guides", "/admin/procedures",
         "/admin/conversations", "/admin/conversations?show=handed-off",
         "/admin/conversations?show=unanswered", "/admin/tickets", "/admin/?csv=daily"]
WORDS = ("mailbox delete invoice domain transfer password reset phone lost two factor "
         "client partner renewal email tag product avatar name refund prepaid balance "
         "backup restore dns record certificate").split()


def generate(context: Context, rng: random.Random) -> None:
    slugs = [g.slug for g in context.knowledge_base()]
    procedures = slugs[:6]
    now = time.time()
    when = lambda: now - rng.random() * 29 * 86_400  # noqa: E731 - a tiny local helper
    question = lambda: " ".join(rng.sample(WORDS, rng.randint(2, 5)))  # noqa: E731
    db = context.database
    context.gaps, context.popularity, context.runs, context.support  # noqa: B018 - schemas
    context.questions.flush()
    share = {"questions": 40_000, "result_clicks": 5_000, "funnel_events": 40_000,
             "content_gaps": 10_000, "guide_feedback": 5_000}
    assert sum(share.values()) == EVENTS
    with db.transaction() as conn:
        conn.exec_driver_sql(
            "INSERT INTO questions(query, normalized, source, answered, results, top_slug, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(q, q, rng.choice(("search", "chat")), int(rng.random() < 0.8), 5,
              rng.choice(slugs), when()) for q in (question() for _ in
                                                  range(share["questions"]))])
        conn.exec_driver_sql(
            "INSERT INTO result_clicks(query, normalized, slug, rank, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [(q, q, rng.choice(slugs), rng.randint(1, 5), when())
             for q in (question() for _ in range(share["result_clicks"]))])
        conn.exec_driver_sql(
            "INSERT INTO content_gaps(query, normalized, source, top_slug, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [(q, q, "search", rng.choice(slugs), when())
             for q in (question() for _ in range(share["content_gaps"]))])
        conn.exec_driver_sql(
            "INSERT INTO guide_feedback(slug, helpful, created_at) VALUES (?, ?, ?)",
            [(rng.choice(slugs), int(rng.random() < 0.7), when())
             for _ in range(share["guide_feedback"])])
        funnel = []
        while len(funnel) < share["funnel_events"]:
            run, proc, at = f"run{len(funnel)}", rng.choice(procedures), when()
            steps = [s.id for s in context.library.get(proc).steps][:rng.randint(1, 8)]
            funnel.append((run, proc, "started", None, at))
            funnel += [(run, proc, "step_entered", s, at + i) for i, s in enumerate(steps)]
            if rng.random() < 0.7:
                funnel.append((run, proc, rng.choice(("completed", "blocked", "cancelled",
                                                      "handed_off")), steps[-1], at + 9))
        conn.exec_driver_sql("INSERT INTO funnel_events(run_id, procedure, type, step, "
                         "created_at) VALUES (?, ?, ?, ?, ?)", funnel[:share["funnel_events"]])
        rows = []
        for _ in range(CONVERSATIONS):
            at = when()
            turns = [{"text": question(), "replies": [{"type": rng.choice(
                ("answer", "answer", "fallback", "handoff")), "text": "A reply " * 40}],
                "at": at} for _ in range(rng.randint(1, 6))]
            conv_id, _, token_hash = new_id_and_token()
            rows.append((conv_id, token_hash, 1, json.dumps(
                {"account": "legal-rep", "revision": 1, "turns": turns}), at, at + 60))
        conn.exec_driver_sql("INSERT INTO conversations(id, token_hash, revision, data, "
                         "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)", rows)
    for _ in range(TICKETS):
        ticket = context.support.tickets.open(TicketContent(
            email="someone@example.com", account="legal-rep", source="chat",
            subject=question(), transcript=[Line(who="customer", text=question())] * 6),
            ["email"])
        with db.transaction() as conn:
            conn.exec_driver_sql("UPDATE tickets SET created_at = ? WHERE id = ?",
                                 (when(), ticket.row))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    from webapp import create_app

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(guides=ROOT / "guides", data=Path(tmp), secret_key="bench")
        app = create_app(settings)
        context = app.extensions["kb.context"]
        started = time.perf_counter()
        generate(context, random.Random(7))
        print(f"generated {EVENTS:,} events, {CONVERSATIONS:,} conversations, {TICKETS:,} "
              f"tickets in {time.perf_counter() - started:.1f} s")
        Owners(context.database, settings.resolved_secret()).add("bench", "bench-password-1")
        client = app.test_client()
        with client.session_transaction() as session:
            session.update(owner="bench", owner_since=time.time(), owner_seen=time.time())
        worst = 0.0
        for page in PAGES:
            times = []
            for _ in range(args.requests + 2):
                t0 = time.perf_counter()
                response = client.get(page)
                times.append(time.perf_counter() - t0)
                assert response.status_code == 200, (page, response.status_code)
            times = times[2:]  # the first requests warm caches (templates, the index)
            worst = max(worst, summary(times)["p95"])
            print(f"{page:<40} {line(times)}")
        print(f"slowest p95: {worst:.1f} ms (budget 300 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
