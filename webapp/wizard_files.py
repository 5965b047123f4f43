"""Files in the wizard: pictures sent to a step, and files a run made for the person.

- An upload's limit and accepted types are stated on the page and checked by the
  browser first (`static/site.js`); a body over the request limit
  (`KB_MAX_REQUEST_BYTES`) comes back to its step with a sentence.
- The chat's picture fields carry their limit (`max_bytes`, `with_upload_limit`), which
  the widget checks before sending.
- A file a procedure made (an export, an output of type `attachment`) stays offered as a
  download on the run's page; the download goes through here because the API wants the
  run's token, which a plain link cannot send.

The wizard's blueprint registers these views (`webapp.wizard`).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import (
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.exceptions import RequestEntityTooLarge

from kb.chat.conversations import Reply
from procedures.backend.images import FORMATS
from procedures.fields import MAX_UPLOAD_BYTES
from webapp import services
from webapp import session as visitor

RUN_ID = re.compile(r"^[0-9a-f]{8,64}$")

# What a browser sends for the picture formats the account backend reads.
IMAGE_TYPES = {"PNG": ("image/png", ".png", "PNG"), "JPEG": ("image/jpeg", ".jpg", "JPEG"),
               "GIF": ("image/gif", ".gif", "GIF"), "WEBP": ("image/webp", ".webp", "WebP")}
# Room for the form's other fields and the multipart framing around the file.
FORM_OVERHEAD_BYTES = 20_000
MAX_ATTACHMENTS = 10
DRAIN_LIMIT_BYTES = 64_000_000


def too_large(exc: RequestEntityTooLarge):
    """A file over the request limit comes back to its step with a sentence, not a bare
    error page (the browser checks the size first; this is for when it could not)."""
    _drain()
    run_id = (request.view_args or {}).get("run_id", "")
    if request.endpoint != "wizard.act" or visitor.run_token(run_id) is None:
        return render_template("error.html", status=413, title="This file is too large",
                               message="What you sent is larger than we accept. Go back "
                                       "and choose a smaller file."), 413
    # Said by the field itself on the step's page, like any refused answer.
    session["refused_upload"] = {
        "run": run_id, "text": f"That file is too large: files up to "
                               f"{_megabytes(upload_limit())} can be uploaded. Nothing was "
                               "changed; please choose a smaller file."}
    return redirect(url_for(".show", run_id=run_id), code=303)


def refused_upload(run_id: str) -> str | None:
    """Why the last upload to this run was refused before it could be read, once."""
    said = session.pop("refused_upload", None)
    if isinstance(said, dict) and said.get("run") == run_id:
        return str(said.get("text") or "") or None
    return None


def download(run_id: str):
    """A file the procedure made (an export), fetched from the API with this browser's
    run token, which a plain link could not send."""
    token = visitor.run_token(run_id) if RUN_ID.match(run_id) else None
    url = urlsplit(request.args.get("url", ""))
    if (token is None or url.scheme or url.netloc
            or not url.path.startswith(f"/api/v1/runs/{run_id}/")):
        abort(404)
    upstream = current_app.test_client().get(
        url.path, query_string=url.query, headers={"Authorization": f"Bearer {token}"})
    if upstream.status_code != 200:
        abort(404)
    response = Response(upstream.get_data(), mimetype=upstream.mimetype)
    for header in ("Content-Type", "Content-Disposition"):
        if header in upstream.headers:
            response.headers[header] = upstream.headers[header]
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _drain() -> None:
    """Read what is left of a refused body: a server that answers without reading it
    closes a connection the browser is still sending on, and the browser shows "connection
    reset" instead of the answer. Bounded, so a huge body is not read to its end."""
    stream = request.environ.get("wsgi.input")
    left = min(request.content_length or 0, DRAIN_LIMIT_BYTES)
    while stream is not None and left > 0:
        chunk = stream.read(min(left, 1 << 16))
        if not chunk:
            break
        left -= len(chunk)


def upload_limit() -> int:
    """The largest file the wizard takes: the backend's limit, within the request's."""
    return min(MAX_UPLOAD_BYTES, services.settings().max_request_bytes - FORM_OVERHEAD_BYTES)


def message_upload_limit() -> int:
    """The largest picture the chat takes: it travels inside a JSON message as base64
    (4 characters for every 3 bytes), so within the request limit it is a quarter
    smaller than the wizard's."""
    room = services.settings().max_request_bytes - FORM_OVERHEAD_BYTES
    return max(0, min(MAX_UPLOAD_BYTES, room * 3 // 4))


def with_upload_limit(replies: list[Reply]) -> list[Reply]:
    """The chat's replies with the picture limit on the fields that ask for a picture
    (`max_bytes`), so the widget refuses a larger file before sending it."""
    limit = message_upload_limit()
    return [r.model_copy(update={"field": {**r.field, "max_bytes": limit}})
            if r.field and r.field.get("type") == "image" else r for r in replies]


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _megabytes(size: int) -> str:
    if size < 1_000_000:
        return f"{size // 1000} kB"
    return f"{size / 1_000_000:.1f}".rstrip("0").rstrip(".") + " MB"


def keep_attachment(run_id: str, output: object) -> None:
    """A file the run made stays offered on its page (until the run is restarted)."""
    data = output.to_json() if hasattr(output, "to_json") else {}
    found = {key: str(data.get(key) or getattr(output, key, "") or "")
             for key in ("name", "content_type", "url")}
    if not found["url"]:
        return
    kept = session.get("attachments")
    kept = kept if isinstance(kept, dict) else {}
    files = [f for f in kept.get(run_id, []) if f.get("url") != found["url"]]
    kept[run_id] = [*files, found][-MAX_ATTACHMENTS:]
    session["attachments"] = dict(list(kept.items())[-MAX_ATTACHMENTS:])


def attachments(run_id: str) -> list[dict[str, str]]:
    kept = session.get("attachments")
    files = kept.get(run_id, []) if isinstance(kept, dict) else []
    return [{**f, "href": url_for(".download", run_id=run_id, url=f["url"])}
            for f in files if isinstance(f, dict) and f.get("url")]




def upload_view() -> dict[str, object]:
    """What run.html says and checks about a picture field."""
    limit = upload_limit()
    known = [IMAGE_TYPES[f] for f in FORMATS if f in IMAGE_TYPES]
    return {"limit": limit, "limit_text": _megabytes(limit),
            "types": ",".join(t[0] for t in known), "extensions": ",".join(t[1] for t in known),
            "names": _either([t[2] for t in known])}
