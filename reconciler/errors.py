"""The one kind of error the command line reports as a message and exit 1.

Every error a user can act on (a bad configuration or state, a refused apply, what the
API said) derives from `UserError`; anything else is a bug and is reported as one.
"""

from __future__ import annotations


class UserError(Exception):
    """An error a user can act on; `context` says where it came from ("the Zexa API")."""

    context = ""

    def describe(self) -> str:
        return f"{self.context}: {self}" if self.context else str(self)
