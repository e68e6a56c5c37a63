"""An API answer as the client reads it, and the typed error an unsuccessful one is."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import httpx

from reconciler.client.errors import (
    ApiError,
    BadRequest,
    InsufficientCredits,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
    ValidationFailed,
)
from reconciler.secret import Secret

# The error of each status the API documents (422 is split by its code, below).
_BY_STATUS: dict[int, type[ApiError]] = {400: BadRequest, 401: Unauthorized, 404: NotFound,
                                         422: ValidationFailed, 429: RateLimited}


@dataclass(frozen=True)
class Answer:
    """A whole answer, read within the request's deadline and size cap."""

    status: int
    headers: httpx.Headers
    body: bytes
    date: float | None = None  # its `Date` header, when usable

    def json(self, key: Secret) -> Any:
        """The decoded body, every echo of the key in it masked; ValueError when it is not
        JSON."""
        doc = json.loads(self.body)
        return key.redact_all(doc) if key.may_appear_in(self.body) else doc


class ErrorAnswer(NamedTuple):
    """What an error answer says, each part masked."""

    code: str
    message: str
    details: dict[str, Any] | None
    request_id: str | None


def error_from(response: Answer, key: Secret) -> ApiError:
    """The typed error of an unsuccessful answer: its code, message, details and request
    ID as the API gave them (every echo of the key masked), or, for an answer that is not
    the documented JSON, what it was."""
    said = _described(response, key)
    cls = _BY_STATUS.get(response.status, ServerError if response.status >= 500 else ApiError)
    if response.status == 422 and said.code == "insufficient_credits":
        cls = InsufficientCredits
    return cls(said.message, status=response.status, code=said.code, details=said.details,
               request_id=said.request_id)


def _described(response: Answer, key: Secret) -> ErrorAnswer:
    redact = key.redact
    header_id = response.headers.get("X-Request-Id")
    try:
        doc = response.json(key)
    except ValueError:
        doc = None
    if not (isinstance(doc, Mapping) and isinstance(doc.get("error"), str)):
        kind = response.headers.get("Content-Type", "unknown").split(";")[0]
        message = f"the API answered {response.status} with a non-JSON body ({redact(kind)})"
        return ErrorAnswer("unexpected_response", message, None, _masked(header_id, key))
    # A decoded answer is redacted already, unless the key is too short to look for in
    # ordinary text: then at least what an error says is masked.
    code = redact(doc["error"])
    return ErrorAnswer(code, redact(str(doc.get("message") or code)),
                       _masked_details(doc.get("details"), key),
                       _masked(str(doc.get("request_id") or header_id or "") or None, key))


def _masked_details(raw: Any, key: Secret) -> dict[str, Any] | None:
    if not isinstance(raw, Mapping):
        return None
    return {str(k): key.redact(v) if isinstance(v, str) else v for k, v in raw.items()}


def _masked(text: str | None, key: Secret) -> str | None:
    return None if text is None else key.redact(text)
