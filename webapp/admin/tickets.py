"""Conversations and tickets in the console: lists with filters, one transcript, and a
ticket's status (open or closed) with a note."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for

from kb.console.conversations import FILTERS, list_conversations, transcript
from webapp import services
from webapp.admin.base import blueprint, owner_required, period, render


def _page() -> int:
    return max(1, min(request.args.get("page", 1, type=int) or 1, 10_000))


@blueprint.get("/conversations")
@owner_required
def conversations() -> Any:
    chosen = period()
    kind = request.args.get("show") or None
    if kind not in FILTERS:
        kind = None
    rows, more = list_conversations(services.context().database, chosen[0], kind, _page())
    return render("admin/conversations.html", period_and_problem=chosen, rows=rows,
                  more=more, kind=kind, page=_page())


@blueprint.get("/conversations/<conv_id>")
@owner_required
def conversation(conv_id: str) -> Any:
    found = transcript(services.context().database, conv_id)
    if found is None:
        abort(404)
    row, turns = found
    return render("admin/conversation.html", period_and_problem=period(), row=row,
                  turns=turns)


@blueprint.get("/tickets")
@owner_required
def tickets() -> Any:
    chosen = period()
    status = request.args.get("status") or None
    if status not in ("open", "closed"):
        status = None
    page = _page()
    found = services.context().support.tickets.list(chosen[0].start, chosen[0].end,
                                                    status, limit=51, offset=(page - 1) * 50)
    return render("admin/tickets.html", period_and_problem=chosen, tickets=found[:50],
                  more=len(found) > 50, status=status, page=page)


@blueprint.route("/tickets/<reference>", methods=["GET", "POST"])
@owner_required
def ticket(reference: str) -> Any:
    desk = services.context().support
    found = desk.tickets.get(reference[:20])
    if found is None:
        abort(404)
    if request.method == "POST":
        status = request.form.get("status", "open")
        if status not in ("open", "closed"):
            abort(400)
        desk.tickets.update(found.reference, status,  # type: ignore[arg-type]
                            request.form.get("note", ""))
        flash(f"Ticket {found.reference} saved.", "info")
        return redirect(url_for("admin.ticket", reference=found.reference))
    return render("admin/ticket.html", period_and_problem=period(), ticket=found,
                  deliveries=desk.outbox.for_ticket(found.reference),
                  log=desk.outbox.log(found.reference))
