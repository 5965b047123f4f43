"""The API blueprint and what every API view shares: reading bodies, parameters, tokens.

Every refusal is an `ApiError`, which `webapp.errors` answers with the one JSON error
shape. Bodies are checked in the order a client can act on: the media type (415), the
size (413, enforced by Flask's MAX_CONTENT_LENGTH while reading), the JSON syntax (400),
then the fields (422). Nothing is read from the query string that could carry a secret:
run tokens come only from the Authorization header.
"""

from __future__ import annotations

import json
import re
from typing import TypeVar

from flask import Blueprint, request
from pydantic import BaseModel, ValidationError

from kb.content.guides import SLUG_PATTERN
from kb.identity import AccountNotAllowed, IdentityRefused, acting_account
from webapp import services
from webapp.apischema.requests import describe
from webapp.errors import ApiError

PREFIX = "/api/v1"
blueprint = Blueprint("api", __name__, url_prefix=PREFIX)

Model = TypeVar("Model", bound=BaseModel)
_SLUG = re.compile(SLUG_PATTERN)


def _no_constants(name: str) -> float:
    # Python's json accepts NaN and Infinity, which are not JSON.
    raise ValueError(f"{name} is not valid JSON")


def json_body(model: type[Model]) -> Model:
    """The request body validated as `model`, or an ApiError saying what is wrong."""
    if not request.is_json:
        raise ApiError(415, "send the body as JSON with 'Content-Type: application/json'")
    raw = request.get_data(cache=True)  # raises 413 past MAX_CONTENT_LENGTH
    try:
        data = json.loads(raw, parse_constant=_no_constants)
    except (ValueError, RecursionError):
        # ValueError covers bad syntax, bytes that are not UTF-8 and absurdly long numbers.
        raise ApiError(400, "the request body is not valid JSON", "invalid_json") from None
    if not isinstance(data, dict):
        raise ApiError(422, "the request body must be a JSON object", "invalid")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ApiError(422, describe(exc, model), "invalid") from None


def query(model: type[Model]) -> Model:
    """The query string validated as `model`: the first value of each parameter, an
    empty one (`?limit=`, as a plain HTML form sends it) counting as absent."""
    given = {name: value for name, value in request.args.items() if value != ""}
    try:
        return model.model_validate(given)
    except ValidationError as exc:
        raise ApiError(400, describe(exc, model), "invalid_parameter") from None


def bearer_token() -> str | None:
    """The token of `Authorization: Bearer <token>`, or None. Never from the URL."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def checked_slug(slug: str, what: str) -> str:
    """A slug from the URL, or 404: path tricks (`..`, encoded dots) never reach the disk."""
    if not _SLUG.fullmatch(slug) or len(slug) > 120:
        raise ApiError(404, f"no such {what}")
    return slug


def account_for(account: str | None, identity: str | None) -> str | None:
    """The account a new run or conversation acts on (None: the site's default), from
    the body's `account` and `identity` as the mode allows; 401 for a bad identity."""
    try:
        return acting_account(services.settings(), account=account, identity=identity)
    except IdentityRefused as exc:
        raise ApiError(401, str(exc), "identity_required") from None
    except AccountNotAllowed as exc:
        raise ApiError(422, str(exc), "account_not_allowed") from None
