"""What `kb serve` gives gunicorn besides the app: a worker whose own refusals are JSON.

Gunicorn refuses some requests before the app sees them (a request line or headers over
its limits, a malformed request) and answers those with a small HTML page of its own. The
API promises one JSON error shape for every answer, so this worker writes that shape
instead, for every such refusal: gunicorn cannot tell the path of a request it could not
read, and the JSON is as readable to a person as the HTML was.
"""

from __future__ import annotations

import json
from typing import Any

from gunicorn import util
from gunicorn.workers.sync import SyncWorker

from webapp.errors import CODES

MESSAGES = {
    400: "the request could not be understood",
    403: "the request is not allowed",
    414: "the address (URL) is too long",
    417: "the request's Expect header is not supported",
    431: "the request's headers are too large",
    500: "something went wrong on our side; nothing was changed",
    501: "the request's transfer coding is not supported",
}


def write_json_error(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """Gunicorn's `util.write_error`, answering with the API's JSON error shape."""
    body = json.dumps({"error": {
        "code": CODES.get(status_int, "bad_request"),
        "message": MESSAGES.get(status_int, "the request could not be understood")}},
        separators=(",", ":")).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Cache-Control: no-store\r\n\r\n").encode("latin-1")
    util.write_nonblock(sock, head + body)


class JsonErrorWorker(SyncWorker):  # type: ignore[misc]  # gunicorn ships no types
    """The sync worker, with gunicorn's own error pages in the API's JSON shape."""

    def init_process(self) -> None:
        # Only this worker process is changed; the worker's error handler looks the
        # writer up in `gunicorn.util` each time it answers.
        util.write_error = write_json_error
        super().init_process()
