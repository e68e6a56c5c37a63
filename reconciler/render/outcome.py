"""What an apply did, in the formats beside its text report: Markdown for the merged pull
or merge request and the job summary (the IDs it created and adopted, and what is unknown
or failed, as `tfcmt apply` reports back where the review happened; one sticky comment per
environment, its marker), GitHub annotations, and a JSON document for scripts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reconciler.errors import Refused
from reconciler.plan.work import Outcome, Step
from reconciler.render.common import json_document
from reconciler.render.github import command
from reconciler.render.markdown import LIMIT, Document, code

APPLY_FORMAT_VERSION = 1  # of `apply --format json`: schemas/apply.schema.json
NOTHING_TO_DO = "No changes. Nothing to do."

APPLY_MARKER = "<!-- zexa-campaigns-apply -->"


def apply_marker(environment: str | None) -> str:
    return APPLY_MARKER if environment is None else \
        f"<!-- zexa-campaigns-apply:{environment} -->"


def render_markdown(outcome: Outcome, environment: str | None, grace: float, *,
                    limit: int = LIMIT, full_version: str = "the job log") -> str:
    doc = Document(limit=limit, full_version=full_version)
    title = "### Zexa campaigns apply" + (f": `{environment}`" if environment else "")
    doc.add(f"{apply_marker(environment)}\n{title}\n\n**{outcome.summary()}**")
    if outcome.stopped_because:
        doc.add(f"> **Stopped early:** {code(outcome.stopped_because)}")
    rows = _recorded_rows(outcome)
    if rows:
        doc.add_table("| Campaign | ID | |\n| --- | --- | --- |", rows, "campaigns recorded")
    _add_unsettled(doc, outcome, grace)
    if outcome.failed:
        doc.add_fenced_lines([f"{f.work.name}: {f.message}" for f in outcome.failed],
                             "failures")
    if outcome.not_started:
        doc.add("**Not sent:** " + ", ".join(code(w.name) for w in outcome.not_started),
                "campaigns not sent")
    if outcome.state_error:
        doc.add(f"> **Error:** {code(outcome.state_error)}")
    return doc.render()


def _recorded_rows(outcome: Outcome) -> list[str]:
    """A table row for each campaign the state now records, and how it came to."""
    rows = [f"| {code(n)} | {code(i)} | created |" for n, i in outcome.created]
    rows += [f"| {code(n)} | {code(i)} | adopted: it was in the account |"
             for n, i in outcome.adopted]
    rows += [f"| {code(n)} | {code(i)} | adopted: it appeared in the account during this "
             "apply |" for n, i in outcome.appeared]
    rows += [f"| {code(new)} | | renamed in the state from {code(old)} |"
             for old, new in outcome.renamed]
    return rows


def _add_unsettled(doc: Document, outcome: Outcome, grace: float) -> None:
    """The campaigns created but not recorded, and those that may have been sent."""
    if outcome.unrecorded:
        doc.add_table("**Created but not recorded** (the state could not be written; an apply "
                      "after the in-flight grace records them)\n\n| Campaign | ID |\n"
                      "| --- | --- |",
                      [f"| {code(n)} | {code(i)} |" for n, i in outcome.unrecorded],
                      "campaigns not recorded")
    if outcome.unknown:
        doc.add_table("**LostAnswer: may have been sent** (not sent again; the next apply "
                      "waits until the time shown if need be, lists the account and "
                      "settles it)\n\n"
                      "| Campaign | Grace over at | Why |\n| --- | --- | --- |",
                      [f"| {code(u.work.name)} | "
                       f"{code(u.settles_at(grace) or 'the in-flight grace')} | "
                       f"{code(u.cause)} |" for u in outcome.unknown],
                      "campaigns of unknown outcome")


def _where(work: Step) -> dict[str, Any]:
    return {"name": work.name, "file": work.file, "line": work.line, "column": work.column}


def render_json(outcome: Outcome | None, environment: str | None, grace: float, *,
                folded: bool = False, refused: Refused | None = None) -> str:
    """One document: what was recorded, what is unknown, failed or not sent, and why the
    run stopped, written as `validate`, `plan` and `status` write theirs (a member a line).
    `outcome` None: there was nothing to do, or (`refused`) the apply would not go ahead."""
    done = outcome or Outcome()
    doc = {
        "format_version": APPLY_FORMAT_VERSION,
        "environment": environment,
        "ok": done.ok and refused is None,
        "summary": _json_summary(outcome, refused),
        "refused": _refused_json(refused),
        "folded_interrupted_apply": folded,
        **_recorded_json(done),
        "unknown": [{**_where(u.work), "cause": u.cause, "settles_after": u.settles_at(grace)}
                    for u in done.unknown],
        "failed": [{**_where(f.work), "message": f.message} for f in done.failed],
        "not_sent": [_where(w) for w in done.not_started],
        "stopped_because": done.stopped_because,
        "state_error": done.state_error,
        "interrupted": done.interrupted,
        "balance": None if done.balance is None else
        {"balance": done.balance.balance, "currency": done.balance.currency},
    }
    return json_document(doc)


def _json_summary(outcome: Outcome | None, refused: Refused | None) -> str:
    if refused is not None:
        return str(refused).split("\n", 1)[0]
    return outcome.summary() if outcome else NOTHING_TO_DO


def _refused_json(refused: Refused | None) -> dict[str, Any] | None:
    if refused is None:
        return None
    return {"kind": refused.kind, "message": str(refused), "limits": list(refused.limits)}


def _recorded_json(done: Outcome) -> dict[str, Any]:
    """The document's members for what the state records: created, adopted, renamed, and
    created but not recorded."""
    return {
        "created": [{"name": n, "id": i} for n, i in done.created],
        "adopted": [{"name": n, "id": i, "appeared_during_apply": False}
                    for n, i in done.adopted]
        + [{"name": n, "id": i, "appeared_during_apply": True} for n, i in done.appeared],
        "renamed": [{"from": old, "to": new} for old, new in done.renamed],
        "unrecorded": [{"name": n, "id": i} for n, i in done.unrecorded],
    }


def render_github_refusal(refused: Refused) -> str:
    """The refusal as an annotation, titled with its kind for a program to match."""
    return command("error", str(refused), title=f"campaigns apply refused ({refused.kind})")


def render_github(outcome: Outcome, grace: float) -> str:
    """An annotation for each campaign that failed, is of unknown outcome or was created
    but not recorded, and for a run that stopped early (the text report stays in the
    log)."""
    title = "campaigns apply"
    lines = [command("error", f"{f.work.name!r} was not created: {f.message}", title=title,
                     file=f.work.file, line=f.work.line, col=f.work.column)
             for f in outcome.failed]
    for u in outcome.unknown:
        after = u.settles_at(grace) or "the in-flight grace"
        lines.append(command(
            "warning", f"{u.work.name!r} may have been sent ({u.cause}); it was not sent "
            f"again. The next apply settles it, waiting until {after} if it starts before.",
            title=title, file=u.work.file,
            line=u.work.line, col=u.work.column))
    lines += [command("error", f"{n!r} was created ({i}) but not recorded: an apply after "
                      "the in-flight grace records it.", title=title)
              for n, i in outcome.unrecorded]
    if outcome.stopped_because:
        lines.append(command("error", f"Stopped early: {outcome.stopped_because}",
                             title=title))
    return "".join(line + "\n" for line in lines)


@dataclass(frozen=True)
class ApplyFormat:
    """What `apply --format F` writes on standard output: at the end of a run, when there
    was nothing to do, and when it was refused. Each returns the whole text, its line
    ends included; the person's lines go to standard error when `document_only`."""

    finished: Callable[[Outcome, str | None, float, bool], str]
    nothing: Callable[[str | None, float, bool], str]
    refused: Callable[[Refused, str | None, float], str]
    document_only: bool = False


FORMATS: dict[str, ApplyFormat] = {
    "text": ApplyFormat(
        finished=lambda outcome, env, grace, folded: outcome.summary() + "\n",
        nothing=lambda env, grace, folded: NOTHING_TO_DO + "\n",
        refused=lambda refused, env, grace: ""),
    "github": ApplyFormat(
        finished=lambda outcome, env, grace, folded:
            render_github(outcome, grace) + outcome.summary() + "\n",
        nothing=lambda env, grace, folded: NOTHING_TO_DO + "\n",
        refused=lambda refused, env, grace: render_github_refusal(refused)),
    "json": ApplyFormat(
        finished=lambda outcome, env, grace, folded:
            render_json(outcome, env, grace, folded=folded),
        nothing=lambda env, grace, folded: render_json(None, env, grace, folded=folded),
        refused=lambda refused, env, grace: render_json(None, env, grace, refused=refused),
        document_only=True),
}
