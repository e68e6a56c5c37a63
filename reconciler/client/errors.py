"""The client's errors: what the API said, or that nobody can know what it did."""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import Any

from reconciler.errors import UserError


class ConfigError(UserError):
    """The client cannot be set up (no key, a URL that is not allowed)."""


class ApiError(UserError):
    """The API answered with an error, or could not be reached."""

    context = "the Zexa API"

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        code: str = "",
        details: Mapping[str, Any] | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = dict(details or {})
        self.request_id = request_id

    def __str__(self) -> str:
        head = f"{self.status} {self.code}: " if self.status else ""
        field = self.details.get("field")
        where = f" (field: {field})" if isinstance(field, str) else ""
        rid = f" [request_id: {self.request_id}]" if self.request_id else ""
        return f"{head}{self.message}{where}{rid}"


class BadRequest(ApiError):
    """400: the request was malformed; it was not acted on."""


class Unauthorized(ApiError):
    """401: the API key is missing or invalid."""


class NotFound(ApiError):
    """404: a campaign or contact list does not exist."""


class ValidationFailed(ApiError):
    """422 validation_error: e.g. an unregistered sender or a past scheduled_at."""


class InsufficientCredits(ApiError):
    """422 insufficient_credits: creating more will fail too until the account is topped up."""


class RateLimited(ApiError):
    """429 after every retry the budget allowed, or one asking for a longer wait than that."""

    def __init__(self, message: str, *, retry_after: float | None = None,
                 **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after  # what the server asked, in seconds, if it said


class ServerError(ApiError):
    """5xx, or an answer that is not the documented JSON (a gateway's HTML page)."""


class Unreachable(ApiError):
    """The connection failed or timed out after every retry."""


class OutcomeUnknown(UserError):
    """A create was sent, and whether the server acted on it cannot be known from the answer.

    Never post the same campaign again on this: list the account and look for it by name.
    """

    # Whatever was lost (a timeout, a reset, a 5xx, a gateway's page), the server may still
    # commit the campaign later: a listing made now cannot prove it absent.
    may_still_land = True

    def __init__(self, name: str, cause: str, request_id: str | None = None) -> None:
        rid = f" [request_id: {request_id}]" if request_id else ""
        super().__init__(f"outcome of creating {name!r} is unknown: {cause}{rid}")
        self.name = name
        self.cause = cause
        self.request_id = request_id


class InconsistentListing(ApiError):
    """The account's campaigns changed under every listing attempt."""




class ListingShort(ApiError):
    """The listing's pages hold fewer campaigns than its `meta.total`, twice in a row."""

    def __init__(self, message: str, *, listed: int, total: int) -> None:
        super().__init__(message)
        self.listed = listed
        self.total = total


def certificate_problem(exc: BaseException) -> str | None:
    """Why TLS refused the server's certificate, if that is what `exc` comes from."""
    seen: BaseException | None = exc
    for _ in range(10):  # the chain: httpx -> httpcore -> ssl
        if seen is None:
            return None
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen.verify_message or str(seen)
        seen = seen.__cause__ or seen.__context__
    return None


def connection_reason(exc: BaseException) -> str:
    """The operating system's words for a failed connection, else the exception's."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            break
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror.lower()
        seen = seen.__cause__ or seen.__context__
    return str(exc) or type(exc).__name__
