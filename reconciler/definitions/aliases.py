"""Aliases of contact lists and senders, resolved per environment before anything plans.

A definition may name its list and sender by ID (`contact_list_id`, `sender_id`), or by an
alias (`contact_list: customers`, `sender: brand`) that the configuration maps to each
environment's own IDs: staging's `customers` is not production's list. What is planned,
checked, digested and sent is the resolved ID; the alias stays on the campaign so that
the review shows both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from reconciler.config import Aliases
from reconciler.definitions.campaign import Campaign
from reconciler.diagnostics import Diagnostic


def resolve(campaigns: Sequence[Campaign], aliases: Aliases,
            environment: str | None) -> tuple[list[Campaign], list[Diagnostic]]:
    """The campaigns with their aliases resolved, and an error at each alias the
    environment (None: the configuration's top level) does not define."""
    where = f"environment {environment!r}" if environment else "the configuration"
    out: list[Campaign] = []
    problems: list[Diagnostic] = []
    for c in campaigns:
        if c.contact_list is None and c.sender is None:
            out.append(c)
            continue
        found: dict[str, str] = {}
        for alias, table, id_field, alias_field, kind in (
            (c.contact_list, aliases.contact_lists, "contact_list_id", "contact_list",
             "contact_lists"),
            (c.sender, aliases.senders, "sender_id", "sender", "senders"),
        ):
            if alias is None:
                continue
            if alias in table:
                found[id_field] = table[alias]
                continue
            known = ", ".join(sorted(table)) or "none"
            problems.append(Diagnostic(
                c.location_of(alias_field),
                f"{alias!r} is not in the `{kind}:` of {where} (it has: {known})",
                field=alias_field, code="alias"))
        if len(found) == (c.contact_list is not None) + (c.sender is not None):
            out.append(replace(c, contact_list_id=found.get("contact_list_id", c.contact_list_id),
                               sender_id=found.get("sender_id", c.sender_id)))
    return out, problems
