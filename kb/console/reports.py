"""The console's figures: what customers asked, what answered them, where they stopped.

Each report is a few aggregate queries over one date range (`Period`), returned as
headline numbers and `Table`s that the console draws as charts, shows as tables and
offers as CSV. The tables read here belong to other modules; they are imported first so
their schemas exist, whatever ran before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import RowMapping, text

import kb.analytics.gaps
import kb.analytics.popularity
import kb.chat.conversations
import kb.runs.store
import kb.support.tickets  # noqa: F401 - for their schemas
from kb.analytics.questions import QuestionLog
from kb.console.charts import Table
from kb.console.period import DAY_S, Period
from kb.store.batched import BufferedRows
from kb.store.database import Database

ENDINGS = {"completed": "Done", "blocked": "Blocked", "cancelled": "Cancelled",
           "handed_off": "Handed off", "failed": "Failed"}


@dataclass
class Overview:
    questions: int
    answered: int
    conversations: int
    chat_handoffs: int
    handoffs: int
    helpful_yes: int
    helpful_no: int
    daily: Table

    @property
    def answered_share(self) -> float | None:
        return self.answered / self.questions if self.questions else None

    @property
    def deflection(self) -> float | None:
        """Conversations that ended without asking for a person, of those with a message."""
        if not self.conversations:
            return None
        return max(0.0, 1 - self.chat_handoffs / self.conversations)


@dataclass
class StepRow:
    step: str
    label: str
    entered: int
    stopped: int


@dataclass
class Funnel:
    procedure: str
    title: str
    counts: dict[str, int]
    steps: list[StepRow] = field(default_factory=list)


class Reports:
    def __init__(self, db: Database, questions: QuestionLog | None = None,
                 funnel: BufferedRows | None = None):
        self.db = db
        self.questions = questions
        self.funnel_events = funnel
        """The procedures' funnel events kept in memory (written first, when given)."""

    def _rows(self, sql: str, args: Sequence[object]) -> Sequence[RowMapping]:
        """Rows of a report query written in the SQL both databases speak, with `?` for
        each argument in order; `{hint}` names the covering index (on SQLite, which
        without statistics would pick the date index and sort every row of the period)."""
        pieces = sql.split("?")
        named = "".join(f"{piece}:p{i}" for i, piece in enumerate(pieces[:-1])) + pieces[-1]
        sqlite = self.db.is_sqlite
        named = named.replace("{hint}", "INDEXED BY questions_grouped" if sqlite else "")
        # Whole days since the period's start (:p0); PostgreSQL's CAST rounds, so floor.
        since = f"(created_at - :p0) / {DAY_S}"
        named = named.replace("{day}", f"CAST({since} AS INTEGER)" if sqlite
                              else f"CAST(FLOOR({since}) AS INTEGER)")
        with self.db.reading() as conn:
            result = conn.execute(text(named), {f"p{i}": arg for i, arg in enumerate(args)})
            return result.mappings().all()

    def _daily(self, sql: str, period: Period) -> dict[int, RowMapping]:
        """Rows of `sql` (selecting `{day} AS day` and counts, with ? ? for start and
        end) by day number in the period."""
        rows = self._rows(sql, (period.start, period.end))
        return {int(r["day"]): r for r in rows}

    def overview(self, period: Period) -> Overview:
        if self.questions is not None:
            self.questions.flush()
        s, e = period.start, period.end
        day = "{day} AS day"
        q = self._daily(f"SELECT {day}, COUNT(*) AS n, SUM(answered) AS yes FROM questions "
                        "WHERE created_at >= ? AND created_at < ? GROUP BY day", period)
        t = self._daily(f"SELECT {day}, COUNT(*) AS n FROM tickets WHERE created_at >= ? "
                        "AND created_at < ? GROUP BY day", period)
        v = self._daily(f"SELECT {day}, SUM(helpful) AS yes, COUNT(*) AS n FROM "
                        "guide_feedback WHERE created_at >= ? AND created_at < ? GROUP BY day",
                        period)
        daily = Table("daily", "Per day", ["Day", "Answered", "Not answered", "Hand-offs",
                                           "Helpful", "Not helpful"])
        totals = [0, 0, 0, 0, 0]
        for k in range(period.days):
            qr, tr, vr = q.get(k), t.get(k), v.get(k)
            asked, yes = (int(qr["n"]), int(qr["yes"] or 0)) if qr else (0, 0)
            votes, liked = (int(vr["n"]), int(vr["yes"] or 0)) if vr else (0, 0)
            handed = int(tr["n"]) if tr else 0
            daily.rows.append([period.day(k).isoformat(), yes, asked - yes, handed, liked,
                               votes - liked])
            for i, n in enumerate((asked, yes, handed, liked, votes - liked)):
                totals[i] += n
        conversations = self._rows(
            "SELECT COUNT(*) AS n FROM conversations WHERE created_at >= ? AND created_at < ? "
            "AND updated_at > created_at", (s, e))[0]["n"]
        chat_handoffs = self._rows(
            "SELECT COUNT(*) AS n FROM tickets WHERE created_at >= ? AND created_at < ? AND "
            "source = 'chat'", (s, e))[0]["n"]
        return Overview(questions=totals[0], answered=totals[1], conversations=conversations,
                        chat_handoffs=chat_handoffs, handoffs=totals[2],
                        helpful_yes=totals[3], helpful_no=totals[4], daily=daily)

    # -- searches ---------------------------------------------------------------------
    def searches(self, period: Period, limit: int = 20) -> dict[str, Table]:
        if self.questions is not None:
            self.questions.flush()
        args = (period.start, period.end, limit)
        top = Table("top-questions", "Most asked questions",
                    ["Question", "Asked", "Answered"])
        for r in self._rows("SELECT MAX(query) AS q, COUNT(*) AS n, SUM(answered) AS yes "
                            "FROM questions {hint} WHERE created_at >= ? AND "
                            "created_at < ? GROUP BY normalized ORDER BY n DESC LIMIT ?", args):
            top.rows.append([r["q"], r["n"], r["yes"] or 0])
        none = Table("no-answer", "Questions nobody answered", ["Question", "Asked",
                                                                 "Closest guide"])
        for r in self._rows("SELECT MAX(query) AS q, COUNT(*) AS n, MAX(top_slug) AS slug "
                            "FROM questions {hint} WHERE created_at >= ? AND "
                            "created_at < ? AND answered = 0 GROUP BY normalized "
                            "ORDER BY n DESC LIMIT ?", args):
            none.rows.append([r["q"], r["n"], r["slug"] or ""])
        opened = Table("opened", "Results people opened", ["Guide", "Opened",
                                                           "Average position"])
        for r in self._rows("SELECT slug, COUNT(*) AS n, AVG(rank) AS pos FROM result_clicks "
                            "WHERE created_at >= ? AND created_at < ? GROUP BY slug "
                            "ORDER BY n DESC LIMIT ?", args):
            opened.rows.append([r["slug"], r["n"], round(float(r["pos"]), 1)])
        pairs = Table("opened-for", "Which result was opened for which question",
                      ["Question", "Guide opened", "Times"])
        for r in self._rows("SELECT MAX(query) AS q, slug, COUNT(*) AS n FROM result_clicks "
                            "WHERE created_at >= ? AND created_at < ? GROUP BY normalized, "
                            "slug ORDER BY n DESC LIMIT ?", args):
            pairs.rows.append([r["q"], r["slug"], r["n"]])
        return {t.name: t for t in (top, none, opened, pairs)}

    # -- guides -----------------------------------------------------------------------
    def guides(self, period: Period, titles: dict[str, str]) -> tuple[Table, list[tuple[
            str, str, str]]]:
        """Views (all time), helpful yes/no in the period, and the "what was missing"
        comments left with a "No" (newest first)."""
        views = {r["slug"]: r["views"] for r in self._rows(
            "SELECT slug, views FROM guide_views", ())}
        votes = {r["slug"]: (r["yes"] or 0, r["n"]) for r in self._rows(
            "SELECT slug, SUM(helpful) AS yes, COUNT(*) AS n FROM guide_feedback WHERE "
            "created_at >= ? AND created_at < ? GROUP BY slug", (period.start, period.end))}
        table = Table("guides", "Guides: views and helpful votes",
                      ["Guide", "Views (all time)", "Helpful", "Not helpful"])
        for slug in sorted(set(titles) | set(views) | set(votes),
                           key=lambda s: (-views.get(s, 0), s)):
            yes, n = votes.get(slug, (0, 0))
            table.rows.append([titles.get(slug, slug), views.get(slug, 0), yes, n - yes])
        comments: list[tuple[str, str, str]] = []
        column = self._comment_column()
        if column:
            for r in self._rows(
                    f"SELECT slug, {column} AS text, created_at FROM guide_feedback WHERE "
                    f"helpful = 0 AND {column} IS NOT NULL AND {column} != '' AND "
                    "created_at >= ? AND created_at < ? ORDER BY created_at DESC LIMIT 100",
                    (period.start, period.end)):
                comments.append((titles.get(r["slug"], r["slug"]), r["text"],
                                 _day(r["created_at"])))
        return table, comments

    def _comment_column(self) -> str | None:
        # The column is part of the schema now (kb.store.schema.guide_feedback).
        return "comment"

    # -- procedures -------------------------------------------------------------------
    def procedures(self, period: Period) -> Table:
        if self.funnel_events is not None:
            self.funnel_events.flush()
        table = Table("procedures", "Procedures: how runs ended",
                      ["Procedure", "Started", *ENDINGS.values(), "Asked for a person"])
        counts: dict[str, dict[str, int]] = {}
        for r in self._rows("SELECT procedure, type, COUNT(DISTINCT run_id) AS n FROM "
                            "funnel_events WHERE created_at >= ? AND created_at < ? AND "
                            "type IN ('started', 'completed', 'blocked', 'cancelled', "
                            "'handed_off', 'failed') GROUP BY procedure, type",
                            (period.start, period.end)):
            counts.setdefault(r["procedure"], {})[r["type"]] = r["n"]
        for r in self._rows("SELECT procedure, COUNT(*) AS n FROM tickets WHERE created_at "
                            ">= ? AND created_at < ? AND procedure IS NOT NULL GROUP BY "
                            "procedure", (period.start, period.end)):
            counts.setdefault(r["procedure"], {})["tickets"] = r["n"]
        for slug, c in sorted(counts.items(), key=lambda kv: -kv[1].get("started", 0)):
            table.rows.append([slug, c.get("started", 0),
                               *(c.get(k, 0) for k in ENDINGS), c.get("tickets", 0)])
        return table

    def funnel(self, period: Period, procedure: str, title: str,
               steps: list[tuple[str, str]]) -> Funnel:
        """Runs that reached each step of `procedure` (in its order), and those that
        stopped there without an ending."""
        if self.funnel_events is not None:
            self.funnel_events.flush()
        args = (procedure, period.start, period.end)
        entered = {r["step"]: r["n"] for r in self._rows(
            "SELECT step, COUNT(DISTINCT run_id) AS n FROM funnel_events WHERE procedure = ? "
            "AND created_at >= ? AND created_at < ? AND type = 'step_entered' GROUP BY step",
            args)}
        stopped = {r["step"]: r["n"] for r in self._rows(
            "SELECT f.step, COUNT(*) AS n FROM funnel_events f JOIN (SELECT MAX(id) AS id "
            "FROM funnel_events WHERE procedure = ? AND created_at >= ? AND created_at < ? "
            "AND type = 'step_entered' GROUP BY run_id) last ON last.id = f.id WHERE "
            "f.run_id NOT IN (SELECT run_id FROM funnel_events WHERE procedure = ? AND "
            "type IN ('completed', 'blocked', 'cancelled', 'handed_off', 'failed') AND "
            "run_id IS NOT NULL) GROUP BY f.step", (*args, procedure))}
        counts = {r["type"]: r["n"] for r in self._rows(
            "SELECT type, COUNT(DISTINCT run_id) AS n FROM funnel_events WHERE procedure = ? "
            "AND created_at >= ? AND created_at < ? GROUP BY type", args)}
        rows = [StepRow(sid, label, entered.get(sid, 0), stopped.get(sid, 0))
                for sid, label in steps if entered.get(sid)]
        return Funnel(procedure, title, counts, rows)


def funnel_table(funnel: Funnel) -> Table:
    table = Table("funnel", f"Where runs of “{funnel.title}” went",
                  ["Step", "Reached", "Stopped here"])
    table.rows.append(["Started", funnel.counts.get("started", 0), 0])
    for row in funnel.steps:
        table.rows.append([row.label, row.entered, row.stopped])
    for kind, label in ENDINGS.items():
        table.rows.append([label, funnel.counts.get(kind, 0), 0])
    return table


def _day(stamp: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M")
