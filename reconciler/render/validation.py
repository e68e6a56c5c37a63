"""`campaigns validate` results as text, JSON and GitHub annotations."""

from __future__ import annotations

import json

from reconciler.definitions import Definitions
from reconciler.diagnostics import Diagnostic
from reconciler.render import gitlab
from reconciler.render.common import FORMAT_VERSION, md, paint
from reconciler.render.github import annotation


def diagnostic_json(d: Diagnostic) -> dict[str, object]:
    return {
        "file": d.location.file,
        "line": d.location.line,
        "column": d.location.column,
        "field": d.field,
        "message": d.message,
        "severity": d.severity.value,
        "code": d.code,
    }


def render_text(result: Definitions, color: bool = False) -> str:
    lines = []
    for d in result.diagnostics:
        style = {"fg": "red"} if d.is_error else {"fg": "yellow"}
        lines.append(paint(d.text(), color, **style))
    n_err, n_warn = len(result.errors), len(result.warnings)
    summary = (
        f"{len(result.campaigns)} campaigns in {len(result.files)} files: "
        f"{n_err} {'error' if n_err == 1 else 'errors'}, "
        f"{n_warn} {'warning' if n_warn == 1 else 'warnings'}."
    )
    lines.append(paint(summary, color, bold=True))
    return "\n".join(lines) + "\n"


def render_json(result: Definitions) -> str:
    doc = {
        "format_version": FORMAT_VERSION,
        "valid": result.ok,
        "files": result.files,
        "campaigns": [c.name for c in result.campaigns],
        "diagnostics": [diagnostic_json(d) for d in result.diagnostics],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render_github(result: Definitions) -> str:
    lines = [annotation(d) for d in result.diagnostics]
    lines.append(
        f"{len(result.campaigns)} campaigns in {len(result.files)} files: "
        f"{len(result.errors)} errors, {len(result.warnings)} warnings."
    )
    return "\n".join(lines) + "\n"


def render_markdown(result: Definitions, marker: str) -> str:
    """Invalid definitions as the plan comment: no plan could be made."""
    n = len(result.errors)
    out = [marker, "### Zexa campaigns plan", "",
           f"❌ **No plan: the definitions have {n} error{'s' if n != 1 else ''}.**", ""]
    out.extend(f"- {md(str(d.location))}: {md(d.field + ': ' if d.field else '')}"
               f"{md(d.message)}" for d in result.errors[:200])
    if n > 200:
        out.append(f"- … and {n - 200} more (see the job log)")
    return "\n".join(out) + "\n"


def render(result: Definitions, fmt: str, *, color: bool = False) -> str:
    """`fmt` is text, json, github or gitlab (a Code Quality report)."""
    if fmt == "json":
        return render_json(result)
    if fmt == "gitlab":
        return gitlab.render(result.diagnostics)
    if fmt == "github":
        return render_github(result)
    return render_text(result, color=color)
