"""The sandbox's fault modes and timing: what can go wrong, on purpose, and how fast a
campaign moves through its statuses. Each fault is declared once, here: `campaigns sandbox
serve` makes its options from these fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _fault(default: Any, help: str, option: str | None = None) -> Any:
    """A fault mode, declared once: its default, and its `sandbox serve` option's help (and
    name, when it is not the field's)."""
    return field(default=default, metadata={"help": help, "option": option})


@dataclass
class Faults:
    """What can go wrong, on purpose. Shares are probabilities per request, 0 to 1. Each
    field is also a `campaigns sandbox serve` option (`--latency`, …), made from it."""

    latency: float = _fault(0.0, "Seconds added to every request.")
    error_share: float = _fault(0.0, "Share of requests answered 500 before doing anything.")
    gateway_share: float = _fault(0.0, "Share of requests answered 502 with an HTML page, "
                                  "before doing anything.")
    commit_then_error_share: float = _fault(0.0, "Share of creates committed, then answered "
                                            "500.")
    commit_then_drop_share: float = _fault(0.0, "Share of creates committed, then the "
                                           "connection dropped.")
    rate_limit: int = _fault(0, "Requests per second per key before 429 (0: none).")
    throttle_share: float = _fault(0.0, "Share of requests answered 429 regardless of rate "
                                   "(a 429 storm).")
    retry_after: int = _fault(1, "Seconds in the Retry-After header of every 429.")
    # A backend behind a timed-out gateway: the create is answered 504 (or dropped) and
    # committed `late_commit_delay` seconds later.
    late_commit_share: float = _fault(0.0, "Share of creates answered 504 (an HTML page) and "
                                      "committed later.")
    late_commit_delay: float = _fault(1.5, "Seconds after the 504 at which such a create is "
                                      "committed.")
    late_commit_drop: bool = _fault(False, "Drop the connection instead of answering 504 for "
                                    "late commits.")
    total_offset: int = _fault(0, "Added to meta.total: a total that lies low (negative) or "
                               "high.")
    endless_pages: bool = _fault(False, "Pages past the end come back full of made-up "
                                 "campaigns.")
    trickle_bytes_per_second: float = _fault(0.0, "Send every answer body at this many bytes "
                                             "a second (0: at once).", "--trickle")
    foreign_ids: bool = _fault(False, "New campaigns get IDs like ZX-000123 instead of "
                               "cmp_...")
    echo_key_on_401: bool = _fault(False, "A 401's message repeats the Authorization header "
                                   "it received.")
    normalise_names: bool = _fault(False, "Store names with runs of white space collapsed, "
                                   "as some servers do.")
    answer_existing_id: bool = _fault(False, "Answer every create 201 with the ID of a "
                                      "campaign already there, and store nothing.")
    hold_create_seconds: float = _fault(0.0, "Hold each create this many seconds before "
                                        "storing and answering it.", "--hold-create")
    no_date: bool = _fault(False, "Send no Date header (as some gateways strip it): clients "
                           "cannot read the server's clock.")
    seed: int | None = _fault(None, "Seed for the fault dice.", "--fault-seed")


@dataclass
class Timing:
    """How long a campaign stays in each status once it starts sending."""

    processing_seconds: float = 30.0
    sent_seconds: float = 60.0


