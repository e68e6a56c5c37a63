"""The Zexa HTTP client: its errors, how it retries, and the client. It knows nothing of
YAML, definitions, plans or the state."""

from reconciler.client.api import DEFAULT_URL, MAX_RESPONSE_BYTES, ZexaClient
from reconciler.client.errors import (
    ApiError,
    BadRequest,
    ConfigError,
    InconsistentListing,
    InsufficientCredits,
    ListingShort,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    ServerError,
    Unauthorized,
    Unreachable,
    ValidationFailed,
)
from reconciler.client.listing import MAX_LISTED, PER_PAGE, ListingStats
from reconciler.client.retry import RetryPolicy, parse_retry_after
from reconciler.secret import Secret

__all__ = [
    "DEFAULT_URL", "MAX_LISTED", "MAX_RESPONSE_BYTES", "PER_PAGE", "ApiError", "BadRequest",
    "ConfigError", "InconsistentListing", "InsufficientCredits", "ListingShort",
    "ListingStats", "NotFound",
    "OutcomeUnknown", "RateLimited", "RetryPolicy", "Secret", "ServerError", "Unauthorized",
    "Unreachable", "ValidationFailed", "ZexaClient", "parse_retry_after",
]
