"""`campaigns status`: the delivery of the managed campaigns, read once or watched."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from reconciler.errors import UserError
from reconciler.state import journal_path, load
from reconciler.status import Row, failing, fetch, select_names, watch, watch_interval
from reconciler.workflow.inputs import Access, connected

__all__ = ["Row", "delivery", "failing"]

Show = Callable[[list[Row], "list[Row] | None"], None]


def delivery(access: Access, names: Sequence[str], parallelism: int, *,
             watching: bool = False, interval: float = 10.0,
             show: Show = lambda rows, previous: None) -> list[Row]:
    """A row per managed campaign (all, or `names`). Watching, it refreshes the rows still
    moving until all are completed or failed, showing each refresh. Never writes the state."""
    path = Path(access.target.state_file)
    if not (path.exists() or journal_path(path).exists()):
        raise UserError(f"{path} does not exist: nothing has been applied with it yet.")
    with connected(access, concurrency=parallelism) as conn:
        state = load(path, conn.api_url)
        chosen, unknown = select_names(state, names)
        if unknown:
            raise UserError(f"not managed in {path}: " + ", ".join(repr(n) for n in unknown))
        rows = fetch(conn.client, state, chosen, parallelism)
        if not watching:
            return rows

        def refresh(moving: list[Row]) -> list[Row]:
            return fetch(conn.client, state, [r.name for r in moving], parallelism)

        still = sum(1 for r in rows if not r.final)
        return watch(refresh, rows, show, interval=watch_interval(interval, still))
