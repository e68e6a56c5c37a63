"""What an apply did, as Markdown for the merged pull or merge request and the job summary:
the IDs it created and adopted, and what is unknown or failed, as `tfcmt apply` reports
back where the review happened. One sticky comment per environment (its marker)."""

from __future__ import annotations

from reconciler.apply import Outcome
from reconciler.render.markdown import LIMIT, Document, code

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
    rows = [f"| {code(n)} | {code(i)} | created |" for n, i in outcome.created]
    rows += [f"| {code(n)} | {code(i)} | adopted: it was in the account |"
             for n, i in outcome.adopted]
    rows += [f"| {code(n)} | {code(i)} | adopted: it appeared in the account during this "
             "apply |" for n, i in outcome.appeared]
    rows += [f"| {code(new)} | | renamed in the state from {code(old)} |"
             for old, new in outcome.renamed]
    if rows:
        doc.add_table("| Campaign | ID | |\n| --- | --- | --- |", rows, "campaigns recorded")
    if outcome.unrecorded:
        doc.add_table("**Created but not recorded** (the state could not be written; an apply "
                      "after the in-flight grace records them)\n\n| Campaign | ID |\n"
                      "| --- | --- |",
                      [f"| {code(n)} | {code(i)} |" for n, i in outcome.unrecorded],
                      "campaigns not recorded")
    if outcome.unknown:
        doc.add_table("**Unknown: may have been sent** (not sent again; an apply after the "
                      "time shown lists the account and settles it)\n\n"
                      "| Campaign | Settled by an apply after | Why |\n| --- | --- | --- |",
                      [f"| {code(u.work.name)} | "
                       f"{code(u.settles_at(grace) or 'the in-flight grace')} | "
                       f"{code(u.cause)} |" for u in outcome.unknown],
                      "campaigns of unknown outcome")
    if outcome.failed:
        doc.add_fenced_lines([f"{f.work.name}: {f.message}" for f in outcome.failed],
                             "failures")
    if outcome.not_started:
        doc.add("**Not sent:** " + ", ".join(code(w.name) for w in outcome.not_started),
                "campaigns not sent")
    if outcome.state_error:
        doc.add(f"> **Error:** {code(outcome.state_error)}")
    return doc.render()
