"""One error shape for the API, the site's own pages for everything else.

API errors are `{"error": {"code": str, "message": str}}` with the right 4xx status,
whatever went wrong (a route's own refusal, a 404, a 405, a body too large, bad JSON).
An unexpected exception is logged and answered with a 500 that shows no stack trace.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from kb.errors import StorageUnavailable
from procedures.backend.errors import TemporarilyUnavailable
from webapp.apischema.responses import Error, ErrorDetail
from webapp.security import UntrustedHost

log = logging.getLogger(__name__)

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large",
         414: "uri_too_long", 415: "unsupported_media_type", 422: "invalid",
         429: "too_many_requests", 431: "headers_too_large",
         500: "internal_error"}


class ApiError(Exception):
    """Raised by API views to answer with the JSON error shape."""

    def __init__(self, status: int, message: str, code: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message


def json_error(status: int, message: str, code: str | None = None) -> Response:
    error = Error(error=ErrorDetail(code=code or CODES.get(status, "error"), message=message))
    response = jsonify(error.body())
    response.status_code = status
    return response


def wants_json() -> bool:
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):
        return json_error(exc.status, exc.message, exc.code)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        headers = exc.get_response().headers
        if wants_json():
            message = {404: "no such resource", 405: "method not allowed here",
                       413: "the request body is too large",
                       429: "too many requests from this client; wait a moment and try "
                            "again"}.get(status, exc.description)
            response = json_error(status, message)
        else:
            own = isinstance(exc, UntrustedHost)
            response = make_response(render_template(
                "error.html", status=status, title=exc.name,
                message=exc.description if own else _page_message(status)), status)
        for name in ("Allow", "Retry-After"):
            if name in headers:
                response.headers[name] = headers[name]
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        if wants_json():
            return json_error(500, "something went wrong on our side; nothing was changed")
        return render_template("error.html", status=500, title="Something went wrong",
                               message="Something went wrong on our side. Please try again "
                                       "in a moment."), 500

    # The account service's own storage away (its database restarting) outside a turn
    # of a procedure, which would say so itself: "try again later" as well.
    @app.errorhandler(TemporarilyUnavailable)
    @app.errorhandler(StorageUnavailable)
    def storage_unavailable(exc: StorageUnavailable | TemporarilyUnavailable):
        # A write the person waits for, that storage cannot take: "try again later".
        log.warning("not saved on %s %s: %s", request.method, request.path, exc)
        if wants_json():
            response = json_error(503, str(exc), "storage_unavailable")
        else:
            response = make_response(render_template(
                "error.html", status=503, title="Please try again later", message=str(exc)),
                503)
        response.headers["Retry-After"] = "60"
        return response


def _page_message(status: int) -> str:
    return {
        400: "The request could not be understood.",
        401: "Please sign in on the site that sent you here, then try again.",
        404: "We could not find that page. Try searching the help center instead.",
        405: "That action is not possible on this page.",
        413: "What you sent is too large.",
        429: "Too many requests in a short time. Please wait a moment and try again.",
    }.get(status, "Something went wrong with this request.")
