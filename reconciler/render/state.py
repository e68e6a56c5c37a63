"""`state list` in each of its formats: the state itself as JSON, or a line a campaign."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from reconciler.plural import counted
from reconciler.render.common import Renderer, Style
from reconciler.secret import public_url

if TYPE_CHECKING:
    from reconciler.state import State


def render_json(state: State, style: Style) -> str:
    """The state itself (schemas/state.schema.json)."""
    return json.dumps(state.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_text(state: State, style: Style) -> str:
    """A line a managed campaign (ID, channel, origin, when, name, file), a line a create in
    flight, and what the state is."""
    lines = [f"{e.id}  {e.channel:<8}  {e.origin:<7}  {e.at}  {name}  ({e.file})"
             for name, e in sorted(state.campaigns.items())]
    lines += [f"? create in flight since {intent.at}: {intent.name}"
              for intent in state.pending.values()]
    lines.append(f"{counted(len(state.campaigns), 'campaign')}; lineage {state.lineage}, "
                 f"serial {state.serial}, for {public_url(state.api_url)}.")
    return "".join(line + "\n" for line in lines)


RENDERERS: dict[str, Renderer[State]] = {"json": render_json, "text": render_text}
