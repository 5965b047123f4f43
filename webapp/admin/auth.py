"""Signing in to the console and out: a form with CSRF, throttled per name and client."""

from __future__ import annotations

import time
from typing import Any

from flask import flash, redirect, render_template, request, session, url_for

from webapp.admin.base import blueprint, owners, signed_in

BLOCKED = ("Too many failed sign-ins for this name from here. Wait a quarter of an hour, "
           "then try again.")


def _safe_next(target: str | None) -> str:
    # Only a path of the console itself: never an address elsewhere.
    if target and target.startswith("/admin") and not target.startswith("//"):
        return target
    return url_for("admin.overview")


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if request.method == "GET":
        if signed_in():
            return redirect(url_for("admin.overview"))
        return render_template("admin/login.html", next=request.args.get("next", ""))
    name = request.form.get("username", "").strip()[:64]
    password = request.form.get("password", "")[:1024]
    client = request.remote_addr or "unknown"
    desk = owners()
    if desk.blocked(name, client):
        return render_template("admin/login.html", error=BLOCKED, username=name,
                               next=request.form.get("next", "")), 429
    if not name or not desk.verify(name, password):
        desk.failed(name, client)
        return render_template("admin/login.html", username=name,
                               next=request.form.get("next", ""),
                               error="That user name and password do not match an owner "
                                     "of this help center."), 401
    desk.succeeded(name, client)
    session.pop("owner", None)
    now = time.time()
    session.update(owner=name.lower(), owner_since=now, owner_seen=now)
    return redirect(_safe_next(request.form.get("next")))


@blueprint.post("/logout")
def logout() -> Any:
    for key in ("owner", "owner_seen", "owner_since"):
        session.pop(key, None)
    flash("You are signed out.", "info")
    return redirect(url_for("admin.login"))
