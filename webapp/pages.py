"""The help center's pages: home, search results, guides, and the demo account.

Every page works without JavaScript; `static/site.js` only adds results as you type on
the home page (an ARIA combobox) and checks a picture's size before it is sent. The
pages offer the chat widget, embedded as any host site embeds it, unless
`KB_SITE_WIDGET=false`. Related guides come from `kb.content.related`; a guide with none
lists the other guides of its category as "More in …" instead, unless its category holds
every guide. A "No" to "Was this helpful?" asks what was missing, kept with the vote.

Forms post with a CSRF token and answer with a redirect (post, redirect, get), so
reloading a page never sends a form twice.
"""

from __future__ import annotations

import re
from datetime import date

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError

from kb.analytics.popularity import MAX_MISSING
from kb.content.guidefile import summary_of
from kb.content.guides import SLUG_PATTERN
from kb.content.related import Relatedness
from kb.errors import RunNotFound
from kb.search.language import other_language
from procedures.backend import jsonable
from procedures.errors import UnknownProcedure
from procedures.overlays import MODE_STEP
from procedures.source.markdown import slugify
from webapp import diagram, services
from webapp import session as visitor

blueprint = Blueprint("pages", __name__)

PAGE_SIZE = 10
MAX_PAGE = 50
RELATED = 4
POPULAR = 6
SLUG = re.compile(SLUG_PATTERN)


@blueprint.app_context_processor
def site_globals() -> dict:
    # Used by every page, error pages included: nothing here may touch the database.
    settings = services.settings()
    chosen = session.get("account")
    return {"site_name": settings.site_name, "site_widget": settings.site_widget,
            "site_demo": settings.mode == "demo",
            "account_name": chosen if isinstance(chosen, str) else settings.default_account}


@blueprint.app_template_filter("humanize")
def humanize(key: object) -> str:
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


ISO_MOMENT = re.compile(r"^(\d{4}-\d{2}-\d{2})"
                        r"(?:T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]00:?00)?)?$")
ENUM_WORD = re.compile(r"^[a-z]+(?:_[a-z]+)+$")


@blueprint.app_template_filter("readable")
def readable(text: str) -> str:
    """A stored value as a person writes it: "2026-03-14T09:00:00Z" -> "14 March 2026,
    09:00 UTC", "legal_representative" -> "Legal representative"; anything else as is."""
    moment = ISO_MOMENT.match(text)
    if moment:
        try:
            day = date.fromisoformat(moment.group(1))
        except ValueError:
            return text
        time = f", {moment.group(2)}" + (" UTC" if moment.group(3) else "") \
            if moment.group(2) else ""
        return longdate(day) + time
    return humanize(text) if ENUM_WORD.match(text) else text


@blueprint.app_template_filter("lines")
def lines(text: str) -> list[tuple[str, list[str]]]:
    """A message's lines as blocks to show: ("p", [line]) for a sentence, ("ul", items)
    for a run of "- " lines, so that a list said in a note reads as a list."""
    blocks: list[tuple[str, list[str]]] = []
    for line in str(text).splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("- "):
            if blocks and blocks[-1][0] == "ul":
                blocks[-1][1].append(line[2:])
            else:
                blocks.append(("ul", [line[2:]]))
        else:
            blocks.append(("p", [line]))
    return blocks


@blueprint.app_template_filter("longdate")
def longdate(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


@blueprint.app_template_filter("anchor")
def anchor(text: str) -> str:
    return slugify(text) or "section"


@blueprint.app_errorhandler(CSRFError)
def csrf_refused(exc: CSRFError):
    return render_template("error.html", status=400, title="This form has expired",
                           message="The form was sent without its security token, or the "
                                   "token has expired. Go back, reload the page and try "
                                   "again."), 400


@blueprint.get("/")
def home():
    catalog = services.catalog()
    known = catalog.knowledge_base().guides
    context = services.context()
    viewed = [v.slug for v in context.popularity.most_viewed(POPULAR + 4)]
    popular = [known[slug] for slug in viewed if slug in known]
    return render_template("home.html", categories=catalog.categories(),
                           popular=popular[:POPULAR],
                           examples=context.example_questions(viewed=viewed))


@blueprint.get("/search")
def search():
    query = request.args.get("q", "", type=str)[:2000]
    groups = services.catalog().categories()
    category = request.args.get("category", "", type=str)
    if category not in groups:
        category = ""
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    if not query.strip():
        # Browsing a category, or an empty search box: no question to answer or log.
        return render_template("search.html", query="", response=None, page=1, doable=(),
                               category=category, categories=list(groups),
                               browse=groups.get(category, []))
    response = services.context().search.search(query, limit=PAGE_SIZE,
                                                 offset=(page - 1) * PAGE_SIZE,
                                                 category=category or None)
    doable = {r.slug for r in response.results if r.procedure and does_it_for_you(r.slug)}
    return render_template("search.html", query=query, response=response, page=page,
                           category=category, categories=list(groups), browse=[],
                           doable=doable, other_language=other_language(query),
                           first=(page - 1) * PAGE_SIZE + 1,
                           has_next=page < MAX_PAGE and response.total > page * PAGE_SIZE)


@blueprint.get("/guides/<slug>")
def guide(slug: str):
    found = services.catalog().find(slug) if SLUG.match(slug) else None
    if found is None:
        abort(404)
    services.context().popularity.record_view(slug)
    procedure, has_overlay = None, False
    library = services.context().library
    try:
        procedure = library.get(slug)
        has_overlay = library.has_overlay(slug)
    except UnknownProcedure:
        pass
    if procedure is not None and not procedure.actionable:
        procedure = None  # nothing to go through: no "Start guided procedure", no diagram
    catalog = services.catalog()
    known = catalog.knowledge_base().guides
    # The same for every visitor until a guide changes: computed once.
    body = catalog.memo(("html", slug), found.html)
    # A summary that is the title, or the body's own opening sentence (as an imported
    # article's is), would be read twice: the page then opens with the body alone.
    lead = catalog.memo(("lead", slug), lambda: "" if found.meta.summary in (
        found.title, summary_of(found.body, found.title)) else found.meta.summary)
    relatedness = catalog.memo(("relatedness",), lambda: Relatedness(known.values()))
    related = [known[r.slug] for r in catalog.memo(("related", slug),
                                                   lambda: relatedness.of(slug, RELATED))
               if r.slug in known]
    # Nothing close enough to call related: the other guides of its topic, as a help
    # center's "more in this section", rather than an empty column beside the guide;
    # unless the topic is the whole help center (every imported article's "General"),
    # whose other guides would be a padded list.
    topic = catalog.categories().get(found.meta.category, [])
    same_topic = [] if related or len(topic) >= len(known) else \
        [g for g in topic if g.slug != slug][:RELATED]
    drawing = (catalog.memo(("diagram", slug, procedure.version),
                            lambda: diagram.ways(procedure)) if procedure else None)
    doing = has_overlay and does_it_for_you(slug)
    # A flow that opens on a choice of way but changes nothing (a calculator, an
    # explanation): the card names its ways rather than promising the Manager's steps.
    ways = [o.label for o in procedure.step(MODE_STEP).options] \
        if procedure is not None and not doing and procedure.start == MODE_STEP else []
    return render_template(
        "guide.html", guide=found, body=body, lead=lead, ways=ways,
        toc=[h for h in found.headings if h.level in (2, 3)],
        related=related, same_topic=same_topic, procedure=procedure,
        has_overlay=doing, diagram=drawing,
        voted=slug in (session.get("voted") or []), account=visitor.current_account(),
        ask_missing=_pending_missing().get(slug) is not None, missing_max=MAX_MISSING)


def does_it_for_you(slug: str) -> bool:
    """Whether the guide's procedure can do the work on the account (a "do it for me"
    flow: an overlay with a step that changes the account), not only explain it."""
    def build() -> bool:
        library = services.context().library
        try:
            return library.has_overlay(slug) and any(
                step.kind == "action" and step.mutates for step in library.get(slug).steps)
        except UnknownProcedure:
            return False

    return services.catalog().memo(("does-it-for-you", slug), build)


def _pending_missing() -> dict[str, int]:
    """Guide slug -> the id of this browser's "No" answer, until it says what was missing."""
    found = session.get("missing")
    return {k: v for k, v in found.items() if isinstance(v, int)} if isinstance(found, dict) \
        else {}


@blueprint.post("/guides/<slug>/feedback")
def feedback(slug: str):
    if not SLUG.match(slug) or services.catalog().find(slug) is None:
        abort(404)
    answer = request.form.get("helpful", "")
    popularity = services.context().popularity
    pending = _pending_missing()
    if answer == "missing":
        # The second half of a "No": what was missing, optional.
        text = request.form.get("missing", "")[:MAX_MISSING * 2].strip()
        feedback_id = pending.pop(slug, None)
        session["missing"] = pending
        if feedback_id is not None and text:
            popularity.record_missing(feedback_id, text)
            flash("Thank you. Your note goes to the people who write this guide.", "success")
        return redirect(url_for(".guide", slug=slug, _anchor="feedback"))
    if answer not in ("yes", "no"):
        abort(400)
    voted = [s for s in (session.get("voted") or []) if isinstance(s, str)]
    if slug not in voted:
        feedback_id = popularity.record_feedback(slug, answer == "yes")
        session["voted"] = [*voted, slug][-50:]
        if answer == "no":
            session["missing"] = dict(list({**pending, slug: feedback_id}.items())[-20:])
    if answer == "yes":
        flash("Thank you for your feedback!", "success")
    return redirect(url_for(".guide", slug=slug, _anchor="feedback"))


# -- the demo account -------------------------------------------------------------------

@blueprint.get("/account")
def account():
    name = request.args.get("name", "", type=str) or visitor.current_account()
    if name not in visitor.account_names():
        abort(404)
    state = jsonable(services.context().backend.account(name))
    # Who the user is is already in the page's heading.
    state["user"] = {k: v for k, v in state["user"].items() if k not in ("name", "description")}
    runs = []
    for run_id in visitor.remembered_runs()[:5]:
        try:
            runs.append(services.context().guided.get(run_id, visitor.run_token(run_id)))
        except (RunNotFound, UnknownProcedure):
            continue
    return render_template("account.html", name=name, state=state,
                           accounts=visitor.demo_accounts(), current=visitor.current_account(),
                           runs=runs)


@blueprint.post("/account/switch")
def switch_account():
    name = request.form.get("account", "")
    if name not in visitor.account_names():
        flash("There is no demo account of that name.", "error")
    else:
        session["account"] = name
        flash(f"You are now acting as the demo account {name}.", "success")
    return redirect(visitor.local_url(request.form.get("next"), url_for(".account")))


@blueprint.post("/account/reset")
def reset_account():
    name = request.form.get("account", "")
    if name not in visitor.account_names():
        abort(404)
    services.context().backend.reset(name)
    flash(f"The demo account {name} is back to its starting state.", "success")
    return redirect(url_for(".account", name=name))
