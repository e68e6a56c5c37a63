"""The one kind of error the command line reports as a message and exit 1.

Every error a user can act on (a bad configuration or state, a refused apply, what the
API said) derives from `UserError`; anything else is a bug and is reported as one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal


class UserError(Exception):
    """An error a user can act on; `context` says where it came from ("the Zexa API")."""

    context = ""

    def describe(self) -> str:
        return f"{self.context}: {self}" if self.context else str(self)


# Why an apply would not go ahead, for JSON and CI to read without parsing the message.
RefusalKind = Literal["plan-errors", "over-limits", "stale-plan", "in-flight", "locked",
                      "not-confirmed"]


class Refused(UserError):
    """An apply that will not go ahead, and sent nothing: the message says why and what to
    do; `kind` says it for a program, and `limits` gives the limits exceeded."""

    kind: ClassVar[RefusalKind]

    def __init__(self, message: str, *, limits: Sequence[Mapping[str, Any]] = ()) -> None:
        super().__init__(message)
        # Each limit exceeded: {"limit", "allowed", "total", "campaigns"}.
        self.limits = tuple(dict(limit) for limit in limits)


class PlanHasErrors(Refused):
    """The plan (fresh or saved) has errors."""

    kind = "plan-errors"


class OverLimits(Refused):
    """The plan goes over a limit of one apply, without --override-limits."""

    kind = "over-limits"


class StalePlan(Refused):
    """A saved plan no longer holds: the state, the account, the API or its definitions'
    rules changed since it was made."""

    kind = "stale-plan"


class InFlight(Refused):
    """A create an earlier apply sent cannot be settled by waiting (its intent is dated
    ahead by a wrong clock)."""

    kind = "in-flight"


class NotConfirmed(Refused):
    """The confirmation was not given, or could not be asked for."""

    kind = "not-confirmed"


class Locked(Refused):
    """Another writer holds the state's lock."""

    kind = "locked"
