"""The Zexa HTTP client: its errors, how it retries, and the client. It knows nothing of
YAML, definitions, plans or the state."""

from reconciler.client.api import (
    DEFAULT_URL,
    MAX_LISTED,
    MAX_RESPONSE_BYTES,
    PER_PAGE,
    ListingStats,
    Secret,
    ZexaClient,
)
from reconciler.client.errors import (
    ApiError,
    BadRequest,
    ConfigError,
    InconsistentListing,
    InsufficientCredits,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    ServerError,
    Unauthorized,
    Unreachable,
    ValidationFailed,
)
from reconciler.client.retry import RetryPolicy, parse_retry_after

__all__ = [
    "DEFAULT_URL", "MAX_LISTED", "MAX_RESPONSE_BYTES", "PER_PAGE", "ApiError", "BadRequest",
    "ConfigError", "InconsistentListing", "InsufficientCredits", "ListingStats", "NotFound",
    "OutcomeUnknown", "RateLimited", "RetryPolicy", "Secret", "ServerError", "Unauthorized",
    "Unreachable", "ValidationFailed", "ZexaClient", "parse_retry_after",
]
