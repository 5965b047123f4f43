"""The console's report pages: overview, content gaps, searches, guides, procedures.

Each view reads the period, asks one core report for its tables, and renders them as
charts beside tables; `?csv=<table>` answers with that table as CSV instead.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Response, abort, request

from kb.console import charts
from kb.console.charts import Table
from kb.console.gaps import gap_groups, skeleton, unknown_words
from kb.console.reports import Reports, funnel_table
from procedures.engine.render import unfilled
from procedures.errors import UnknownProcedure
from webapp import services
from webapp.admin.base import blueprint, csv_response, owner_required, period, render


def reports() -> Reports:
    context = services.context()
    return Reports(context.database, context.questions, context.runs.funnel)


def _titles() -> dict[str, str]:
    """Each guide's title by its slug: pages name guides by title, never by slug."""
    return {guide.slug: guide.title for guide in services.catalog().knowledge_base()}


def _csv_or(tables: dict[str, Table], chosen: Any) -> Response | None:
    wanted = request.args.get("csv")
    if wanted is None:
        return None
    if wanted not in tables:
        abort(404)
    return csv_response(tables[wanted], chosen)


@blueprint.get("/")
@owner_required
def overview() -> Any:
    chosen = period()
    view = reports().overview(chosen[0])
    found = _csv_or({"daily": view.daily}, chosen[0])
    if found is not None:
        return found
    questions = Table("questions", "Questions per day", view.daily.headers[:3],
                      [r[:3] for r in view.daily.rows])
    handoffs = Table("handoffs", "Hand-offs per day", ["Day", "Hand-offs"],
                     [[r[0], r[3]] for r in view.daily.rows])
    votes = Table("votes", "Helpful votes per day", ["Day", "Helpful", "Not helpful"],
                  [[r[0], r[4], r[5]] for r in view.daily.rows])
    return render("admin/overview.html", period_and_problem=chosen, view=view,
                  charts=[(t, charts.columns_over_time(t)) for t in (questions, handoffs,
                                                                     votes)])


@blueprint.get("/gaps")
@owner_required
def gaps() -> Any:
    chosen = period()
    groups = gap_groups(services.context().database, chosen[0])
    table = Table("gaps", "Content gaps", ["Group", "Asked", "Example", "Closest guide"],
                  [[" ".join(g.words), g.count, g.examples[0] if g.examples else "",
                    g.near_miss or ""] for g in groups])
    found = _csv_or({"gaps": table}, chosen[0])
    if found is not None:
        return found
    export = request.args.get("export")
    if export is not None:
        group = next((g for g in groups if g.key == export), None)
        if group is None:
            abort(404)
        today = datetime.now(UTC).date().isoformat()
        return Response(skeleton(group, today), mimetype="text/markdown",
                        headers={"Content-Disposition":
                                 f'attachment; filename="{group.key[:60]}.md"'})
    chart_table = Table("gaps", "Most asked without an answer", ["Group", "Asked"],
                        [[r[0], r[1]] for r in table.rows[:15]])
    searcher = services.context().search.searcher()
    unknown = {g.key: unknown_words(g, searcher.understands) for g in groups}
    return render("admin/gaps.html", period_and_problem=chosen, groups=groups,
                  table=table, chart=charts.bars(chart_table), unknown=unknown,
                  titles=_titles())


@blueprint.get("/searches")
@owner_required
def searches() -> Any:
    chosen = period()
    tables = reports().searches(chosen[0])
    found = _csv_or(tables, chosen[0])
    if found is not None:
        return found
    drawn = [(tables["top-questions"], charts.bars(tables["top-questions"], [1, 2],
                                                   stacked=False)),
             (tables["no-answer"], charts.bars(tables["no-answer"], [1])),
             (tables["opened"], charts.bars(tables["opened"], [1]))]
    return render("admin/searches.html", period_and_problem=chosen, drawn=drawn,
                  pairs=tables["opened-for"])


@blueprint.get("/guides")
@owner_required
def guides() -> Any:
    chosen = period()
    table, comments = reports().guides(chosen[0], _titles())
    found = _csv_or({"guides": table}, chosen[0])
    if found is not None:
        return found
    votes = Table("guides", "Helpful votes per guide", ["Guide", "Helpful", "Not helpful"],
                  [[r[0], r[2], r[3]] for r in table.rows if r[2] or r[3]])
    return render("admin/guides.html", period_and_problem=chosen, table=table,
                  comments=comments, chart=charts.bars(votes))


@blueprint.get("/procedures")
@owner_required
def procedures() -> Any:
    chosen = period()
    rep = reports()
    summary = rep.procedures(chosen[0])
    slug = request.args.get("procedure") or (str(summary.rows[0][0]) if summary.rows
                                             else "")
    funnel = None
    if slug:
        try:
            procedure = services.context().library.get(slug)
            steps = [(s.id, unfilled(s.text) or s.id) for s in procedure.steps]
            title = procedure.title
        except UnknownProcedure:
            steps, title = [], slug
        funnel = funnel_table(rep.funnel(chosen[0], slug, title, steps))
    found = _csv_or({"procedures": summary, **({"funnel": funnel} if funnel else {})},
                    chosen[0])
    if found is not None:
        return found
    return render("admin/procedures.html", period_and_problem=chosen, summary=summary,
                  # Side by side: the runs done are some of the runs started.
                  summary_chart=charts.bars(Table("procedures", summary.title,
                                                  summary.headers[:3],
                                                  [r[:3] for r in summary.rows]),
                                            stacked=False),
                  slug=slug, funnel=funnel,
                  funnel_chart=charts.bars(funnel, [1, 2], stacked=False) if funnel else "")
