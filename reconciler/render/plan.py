"""A Plan in every format `campaigns plan --format` offers, chosen through one registry:
text (`plan_text`), JSON (for scripts), Markdown (`plan_markdown`, a pull-request
comment), GitHub annotations and a GitLab Code Quality report. Small functions over the
one Plan structure; the wording they share is in `plan_parts`."""

from __future__ import annotations

from collections.abc import Iterator

from reconciler.plan import Plan
from reconciler.plan.json_document import plan_json
from reconciler.render.common import (
    ChunkRenderer,
    Style,
    json_chunks,
    json_document,
)
from reconciler.render.github import annotation
from reconciler.render.plan_markdown import render_failed_markdown, render_markdown
from reconciler.render.plan_parts import (
    MARKER,
    api_shown,
    list_of,
    marker,
    sender_of,
    totals_line,
)
from reconciler.render.plan_text import render_text, text_lines

# The names other modules and the tests import from here.
__all__ = ["MARKER", "RENDERERS", "api_shown", "list_of", "marker", "render",
           "render_failed_markdown", "render_github", "render_json", "render_json_chunks",
           "render_markdown", "render_text", "sender_of", "text_lines", "totals_line"]


def render_json_chunks(plan: Plan, *, show_unmanaged: bool = False) -> Iterator[str]:
    """The JSON plan piece by piece, for writing as it is made."""
    return json_chunks(plan_json(plan, show_unmanaged=show_unmanaged, lazily=True))


def render_json(plan: Plan, *, show_unmanaged: bool = False) -> str:
    return json_document(plan_json(plan, show_unmanaged=show_unmanaged))


def render_github(plan: Plan) -> str:
    lines = [annotation(d, title="campaigns plan") for d in plan.diagnostics]
    lines.append(plan.summary())
    return "\n".join(lines) + "\n"


def _text(plan: Plan, style: Style) -> Iterator[str]:
    lines = text_lines(plan, color=style.color, show_unmanaged=style.show_unmanaged)
    return (line + "\n" for line in lines)


def _gitlab(plan: Plan, style: Style) -> list[str]:
    from reconciler.render import gitlab

    return [gitlab.render(plan.diagnostics)]


# One registry for a plan's formats: `--format` offers exactly these. Each hands its
# output over in pieces: JSON and text as they are made, so that a large plan is never
# held whole; the others in one piece.
RENDERERS: dict[str, ChunkRenderer[Plan]] = {
    "text": _text,
    "json": lambda plan, style: render_json_chunks(plan, show_unmanaged=style.show_unmanaged),
    "markdown": lambda plan, style: [render_markdown(plan)],
    "github": lambda plan, style: [render_github(plan)],
    "gitlab": _gitlab,
}


def render(plan: Plan, fmt: str, style: Style | None = None) -> str:
    """The plan in `fmt`, as one text."""
    return "".join(RENDERERS[fmt](plan, style or Style()))
