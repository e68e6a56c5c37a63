"""`campaigns status` as a table (text), JSON and Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reconciler.render.common import Renderer, json_document, paint
from reconciler.render.github import command
from reconciler.render.markdown import LIMIT, Document, code
from reconciler.status import Row, delivery_totals

BAR = 10
STATUS_STYLE: dict[str, dict[str, Any]] = {
    "completed": {"fg": "green"},
    "failed": {"fg": "red", "bold": True},
    "processing": {"fg": "cyan"},
    "sent": {"fg": "cyan"},
    "scheduled": {"fg": "blue"},
}


def bar(share: float | None) -> str:
    if share is None:
        return " " * (BAR + 6)
    filled = int(share * BAR)  # a full bar only when everything is delivered
    return "█" * filled + "░" * (BAR - filled) + f" {share:4.0%}"


def _num(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _when(value: str | None) -> str:
    return value or "-"


def _status(r: Row) -> str:
    return "missing" if r.missing else (r.status or "unreadable")


def summary_line(rows: Sequence[Row]) -> str:
    t = delivery_totals(rows)
    share = f" ({t.delivered / t.recipients:.1%})" if t.recipients else ""
    statuses = ", ".join(f"{n} {s}" for s, n in t.by_status.items()) or "none readable"
    extra = ""
    if t.missing:
        extra += f"; {t.missing} missing from the account"
    if t.unreadable:
        extra += f"; {t.unreadable} could not be read"
    return (f"{t.campaigns} campaigns ({statuses}): {t.recipients:,} recipients, "
            f"{t.delivered:,} delivered{share}, {t.failed:,} failed{extra}.")


def render_text(rows: Sequence[Row], *, color: bool = False) -> str:
    headers = ("NAME", "CHANNEL", "STATUS", "RECIPIENTS", "DELIVERED", "FAILED",
               "DELIVERED SHARE", "SENT AT", "COMPLETED AT")
    table: list[tuple[str, ...]] = []
    for r in rows:
        table.append((r.name, r.channel, _status(r), _num(r.total), _num(r.delivered),
                      _num(r.failed), bar(r.delivered_share), _when(r.sent_at),
                      _when(r.completed_at)))
    widths = [max(len(h), *(len(row[i]) for row in table)) if table else len(h)
              for i, h in enumerate(headers)]
    right = {3, 4, 5}

    def line(cells: Sequence[str], styled_status: str | None = None) -> str:
        parts = []
        for i, cell in enumerate(cells):
            text = cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            if i == 2 and styled_status is not None:
                text = paint(text, color, **STATUS_STYLE.get(styled_status, {}))
            parts.append(text)
        return "  ".join(parts).rstrip()

    out = [paint(line(headers), color, bold=True)]
    for cells in table:
        out.append(line(cells, cells[2]))
    for r in rows:
        if r.problem:
            out.append(paint(f"{r.name!r} ({r.id}): {r.problem}", color, fg="yellow"))
    out.append(paint(summary_line(rows), color, bold=True))
    return "\n".join(out) + "\n"


def row_json(r: Row) -> dict[str, Any]:
    return {
        "name": r.name, "id": r.id, "channel": r.channel,
        "status": "missing" if r.missing else r.status,
        "total_recipients": r.total, "delivered": r.delivered, "failed": r.failed,
        "delivered_share": r.delivered_share, "sent_at": r.sent_at,
        "completed_at": r.completed_at, "final": r.final, "problem": r.problem,
    }


STATUS_FORMAT_VERSION = 1  # of `status --format json`: schemas/status.schema.json


def render_json(rows: Sequence[Row]) -> str:
    t = delivery_totals(rows)
    doc = {
        "format_version": STATUS_FORMAT_VERSION,
        "campaigns": [row_json(r) for r in rows],
        "totals": {"campaigns": t.campaigns, "recipients": t.recipients,
                   "delivered": t.delivered, "failed": t.failed, "by_status": t.by_status,
                   "missing": t.missing, "unreadable": t.unreadable},
        "summary": summary_line(rows),
    }
    return json_document(doc)


def render_markdown(rows: Sequence[Row], *, limit: int = LIMIT,
                    full_version: str = "`campaigns status` in a terminal") -> str:
    doc = Document(limit=limit, full_version=full_version)
    doc.add(f"### Zexa campaigns status\n\n**{summary_line(rows)}**")
    table = []
    for r in rows:
        share = f"{r.delivered_share:.0%}" if r.delivered_share is not None else "-"
        table.append(f"| {code(r.name)} | {code(r.channel)} | {code(_status(r))} | {_num(r.total)} "
                     f"| {_num(r.delivered)} | {_num(r.failed)} | {share} | "
                     f"{code(_when(r.sent_at))} | {code(_when(r.completed_at))} |")
    doc.add_table("| Campaign | Channel | Status | Recipients | Delivered | Failed | Share | "
                  "Sent | Completed |\n| --- | --- | --- | ---: | ---: | ---: | --- | --- | --- |",
                  table, "campaigns")
    return doc.render()


def _moved(old: Row | None, r: Row) -> bool:
    """Whether a campaign's numbers differ from the last reading (or it is new)."""
    return old is None or (old.status, old.delivered, old.failed, old.missing) != (
        r.status, r.delivered, r.failed, r.missing)


def render_changes(rows: Sequence[Row], previous: Sequence[Row] | None) -> str:
    """For CI logs while watching: one line per campaign whose numbers moved."""
    before = {r.name: r for r in previous or []}
    out = [f"{r.name}: {_status(r)}, {_num(r.delivered)} delivered, {_num(r.failed)} "
           f"failed of {_num(r.total)}" for r in rows if _moved(before.get(r.name), r)]
    if previous is None or out:
        out.append(summary_line(rows))
    return "\n".join(out) + ("\n" if out else "")


# One registry for status' formats: `--format` offers exactly these.
def render_github(rows: Sequence[Row]) -> str:
    """The text table for the log, and a warning annotation for each campaign that failed,
    is missing from the account or could not be read."""
    lines = [render_text(rows).rstrip("\n")]
    for r in rows:
        if r.missing:
            why = "is no longer in the account"
        elif r.problem:
            why = r.problem
        elif r.status == "failed":
            why = f"failed: {r.failed or 0:,} of {r.total or 0:,} messages not delivered"
        else:
            continue
        lines.append(command("warning", f"{r.name!r} ({r.id}) {why}", title="campaigns status"))
    return "\n".join(lines) + "\n"


RENDERERS: dict[str, Renderer[Sequence[Row]]] = {
    "text": lambda rows, style: render_text(rows, color=style.color),
    "github": lambda rows, style: render_github(rows),
    "json": lambda rows, style: render_json(rows),
    "markdown": lambda rows, style: render_markdown(rows),
}
