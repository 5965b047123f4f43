"""The wizard's "Talk to a person" form at a blocked or handed-off outcome.

The run's token comes from the visitor's session, as for the wizard itself; the ticket
holds the procedure's state and answers (secrets masked). The e-mail address is checked
and a bad one brings the form back with the reason.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, request, session, url_for

from kb.errors import RunNotFound
from kb.support.channels import valid_email
from kb.support.handoff import with_run
from kb.support.tickets import TicketContent
from procedures.errors import UnknownProcedure
from webapp import services
from webapp import session as visitor

blueprint = Blueprint("handoff", __name__)


@blueprint.post("/runs/<run_id>/handoff")
def wizard(run_id: str) -> Any:
    token = visitor.run_token(run_id)
    if token is None:
        abort(404)
    context = services.context()
    try:
        state = context.guided.get(run_id, token)
    except (RunNotFound, UnknownProcedure):
        abort(404)
    email = request.form.get("email", "").strip()[:254]
    if not valid_email(email):
        flash("That does not look like an e-mail address (for example name@example.com). "
              "Please type it again.", "error")
        return redirect(url_for("wizard.show", run_id=run_id, _anchor="talk-to-a-person"))
    content = with_run(TicketContent(email=email, account=state.run.account,
                                     source="wizard", subject=state.procedure.title),
                       state.run, state.procedure)
    desk = context.support
    ticket = desk.open(content)
    flash(desk.confirmation(ticket), "handoff")
    # This browser's runs already handed over: their page does not offer the form again.
    session["handed_off"] = [*session.get("handed_off", [])[-19:], run_id]
    return redirect(url_for("wizard.show", run_id=run_id))


@blueprint.app_context_processor
def support_contact() -> dict[str, Any]:
    """`support_contact()` in templates: how to reach people, from the settings."""
    return {"support_contact": lambda: services.context().support.contact_text()}
