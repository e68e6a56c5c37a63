"""`campaigns validate` results as text, JSON and GitHub annotations."""

from __future__ import annotations

from reconciler.definitions import Definitions
from reconciler.diagnostics import diagnostic_json
from reconciler.plural import counted
from reconciler.render import gitlab
from reconciler.render.common import Renderer, Style, json_document, paint
from reconciler.render.github import annotation
from reconciler.render.markdown import LIMIT, Document


def render_text(result: Definitions, color: bool = False) -> str:
    lines = []
    for d in result.diagnostics:
        style = {"fg": "red"} if d.is_error else {"fg": "yellow"}
        lines.append(paint(d.text(), color, **style))
    summary = (
        f"{counted(len(result.campaigns), 'campaign')} in {counted(len(result.files), 'file')}: "
        f"{counted(len(result.errors), 'error')}, {counted(len(result.warnings), 'warning')}."
    )
    lines.append(paint(summary, color, bold=True))
    return "\n".join(lines) + "\n"


VALIDATE_FORMAT_VERSION = 1  # of `validate --format json`: schemas/validate.schema.json


def render_json(result: Definitions) -> str:
    doc = {
        "format_version": VALIDATE_FORMAT_VERSION,
        "valid": result.ok,
        "files": result.files,
        "campaigns": [c.name for c in result.campaigns],
        "diagnostics": [diagnostic_json(d) for d in result.diagnostics],
    }
    return json_document(doc)


def render_github(result: Definitions) -> str:
    lines = [annotation(d) for d in result.diagnostics]
    lines.append(
        f"{counted(len(result.campaigns), 'campaign')} in {counted(len(result.files), 'file')}: "
        f"{counted(len(result.errors), 'error')}, {counted(len(result.warnings), 'warning')}."
    )
    return "\n".join(lines) + "\n"


def render_markdown(result: Definitions, marker: str, *, limit: int = LIMIT,
                    full_version: str = "the job log of `campaigns plan`") -> str:
    """Invalid definitions as the plan comment: no plan could be made."""
    n = len(result.errors)
    doc = Document(limit=limit, full_version=full_version)
    doc.add(f"{marker}\n### Zexa campaigns plan\n\n"
            f"❌ **No plan: the definitions have {counted(n, 'error')}.**")
    doc.add_fenced_lines([d.text() for d in result.errors], "errors")
    return doc.render()


# One registry for validation results' formats: `--format` offers exactly these.
RENDERERS: dict[str, Renderer[Definitions]] = {
    "text": lambda result, style: render_text(result, color=style.color),
    "json": lambda result, style: render_json(result),
    "github": lambda result, style: render_github(result),
    "markdown": lambda result, style: render_markdown(result, "<!-- zexa-campaigns-plan -->"),
    "gitlab": lambda result, style: gitlab.render(result.diagnostics),
}


def render(result: Definitions, fmt: str, *, color: bool = False) -> str:
    return RENDERERS[fmt](result, Style(color=color))
