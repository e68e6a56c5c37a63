"""A Plan as Markdown: the pull-request comment (and job summary) a reviewer approves.

Every user-written value is escaped or in code, and every create's whole message is shown.
Sections are added in order of importance until the comment's size limit; what does not
fit is counted in a closing line that says where the full version is (`Document`)."""

from __future__ import annotations

from collections.abc import Callable

from reconciler.diagnostics import Diagnostic
from reconciler.plan import Action, Item, Plan
from reconciler.plural import counted
from reconciler.render.markdown import LIMIT, Document, code, details, fence, html_code
from reconciler.render.message import escaped, markdown_message
from reconciler.render.plan_parts import (
    api_shown,
    cost_of,
    link_lines,
    marker,
    sent_advice,
    short_when,
    title,
    totals_line,
    when_of,
)
from reconciler.render.schedule import gantt, sends

DIFF_LINES = 200  # of one campaign's diff in a comment; the text plan prints it whole


def render_markdown(plan: Plan, *, limit: int = LIMIT,
                    full_version: str = "the job log of `campaigns plan`") -> str:
    """A pull-request comment that fits under `limit` characters.

    Every user-written value is escaped or in code, and every create's whole message is
    shown: the body with all its lines,
    or the template with every component and parameter. What does not fit is counted in a
    closing line that says where the full version is.
    """
    doc = Document(limit=limit, full_version=full_version)
    doc.add(_heading(plan))
    for add in _SECTIONS:
        add(doc, plan)
    return doc.render()


def _heading(plan: Plan) -> str:
    """The marker, the title, the over-limits banner, the summary and the target."""
    status = "❌" if plan.errors else ("📝" if plan.has_changes else "✅")
    target = api_shown(plan.api_url, code)
    credits = (f"{plan.credits.balance:,.0f} {code(plan.credits.currency)}"
               if plan.credits else "could not be read")
    banner = ("> ⛔ **Over the limits of one apply:** apply is refused unless overridden "
              "(`--override-limits`).\n>\n" + "\n".join(
                  f"> - {code(v.describe())}" for v in plan.over_limits) + "\n\n"
              if plan.over_limits else "")
    return (f"{marker(plan.environment)}\n{title(plan.environment)}\n\n{banner}"
            f"{status} **{plan.summary()}**\n\n"
            f"Against {target}, state serial {plan.state_serial}. Credits: {credits}.")


def _add_reach(doc: Document, plan: Plan) -> None:
    """What the apply reaches, and a warning for the creates that send at once."""
    creates = plan.of(Action.CREATE)
    if not creates:
        return
    doc.add(escaped(totals_line(plan)))
    immediate = [i for i in creates if i.sends_immediately]
    if immediate:
        doc.add(f"> **Warning:** {counted(len(immediate), 'campaign')} without "
                "`scheduled_at`: each sends the moment apply creates it.")


def _add_errors(doc: Document, plan: Plan) -> None:
    """The errors, and the diff of each campaign changed after it was sent."""
    if not plan.errors:
        return
    doc.add(f"**Errors ({len(plan.errors)})**: apply is refused until they are fixed.")
    doc.add_table("", [finding(d) for d in plan.errors], "errors")
    for item in plan.items:
        if item.sent is not None:
            doc.add(markdown_sent(item), "diffs of campaigns changed after they were sent")


def finding(d: Diagnostic) -> str:
    """A list item that wraps: the place to copy in code, the message as text."""
    field = f"{escaped(d.field)}: " if d.field else ""
    kind = "error: " if d.is_error else "warning: "
    return f"- {code(str(d.location))} {kind}{field}{escaped(d.message)}"


def markdown_sent(item: Item) -> str:
    """What changed in a definition since its campaign was sent, in a ```diff block that
    nothing in the definition can close (see `fence`), and what to do."""
    sent = item.sent
    assert sent is not None
    summary = (f"What changed in {html_code(item.name)} since {html_code(item.remote_id or '')} "
               "was sent")
    if sent.status == "diff":
        shown = sent.lines[:DIFF_LINES]
        # A carriage return ends a line in Markdown: shown as `\r`, so each line keeps its
        # `-`/`+` and the text stays inside the block.
        body = fence("\n".join(shown).replace("\r", "\\r"), "diff")
        if len(sent.lines) > len(shown):
            body += (f"\n\n{counted(len(sent.lines) - len(shown), 'more line')} of the diff "
                     "not shown: `campaigns plan` prints it whole.")
        if sent.note:
            body += f"\n\n{escaped('Note: ' + sent.note + '.')}"
    elif sent.status == "outside-file":
        body = escaped(f"{sent.note[0].upper()}{sent.note[1:]}.")
    else:
        body = escaped(f"It cannot be shown: {sent.note}.")
    return details(summary, f"{body}\n\n{escaped(sent_advice(item))}", open_=True)


def _add_creates(doc: Document, plan: Plan) -> None:
    """The table of creates, the schedule, then each create's whole message."""
    creates = plan.of(Action.CREATE)
    if not creates:
        return
    doc.add_table(f"**To create ({len(creates)})**\n\n"
                  "| Campaign | Channel | List | Sender | Sends | Cost |\n"
                  "| --- | --- | --- | --- | --- | --- |",
                  (_create_row(item, plan) for item in creates), "campaigns to create",
                  count=len(creates))
    chart, left_out = gantt(plan, sends(plan))
    more = f"\n\n{counted(left_out, 'more send')} not shown." if left_out else ""
    doc.add(f"**Schedule** ({escaped(plan.zone)} time; red: quiet hours or too close to "
            f"another marketing send to the list; grey: already scheduled)\n\n"
            f"{fence(chart, 'mermaid')}{more}", "schedule")
    doc.add_each((markdown_message(item.campaign.view(), item.name, open_=len(creates) <= 10,
                                   sends=when_of(item, plan)) for item in creates),
                 "messages", count=len(creates))


def _create_row(item: Item, plan: Plan) -> str:
    c = item.campaign
    listed = (f"{escaped(c.contact_list)} → {code(c.contact_list_id)}" if c.contact_list
              else code(c.contact_list_id))
    sender = (f"{escaped(c.sender)} → {code(c.sender_id)}" if c.sender
              else code(c.sender_id))
    return (f"| {escaped(c.name)} | {c.channel} | {listed} | {sender} | "
            f"{short_when(item, plan)} | {escaped(cost_of(plan, item))} |")


def _add_adoptions(doc: Document, plan: Plan) -> None:
    adopts = plan.of(Action.ADOPT) + plan.of(Action.RENAME)
    if not adopts:
        return
    rows = ["| Campaign | ID | Why |", "| --- | --- | --- |"]
    for item in adopts:
        why = ("exists in the account, unknown to the state" if item.action is Action.ADOPT
               else f"renamed from {item.previous_name}")
        rows.append(f"| {code(item.name)} | {code(item.remote_id or '')} | {code(why)} |")
    doc.add(details(f"To record in the state without sending ({len(adopts)})",
                    "\n".join(rows)), "adoptions")


def _add_waiting(doc: Document, plan: Plan) -> None:
    """The creates an interrupted apply sent without getting the answer."""
    waiting = plan.of(Action.WAITING)
    if not waiting:
        return
    rows = ["| Campaign | What apply does |", "| --- | --- |"]
    rows += [f"| {escaped(i.name)} | {escaped(i.message)} |" for i in waiting]
    doc.add(f"**Waiting ({len(waiting)})**: sent by an earlier apply whose answer was lost; "
            "settled by this apply after the in-flight grace.\n\n" + "\n".join(rows),
            "waiting campaigns")


def _add_warnings(doc: Document, plan: Plan) -> None:
    if plan.warnings:
        lines = "\n".join(finding(d) for d in plan.warnings)
        doc.add(details(f"Warnings ({len(plan.warnings)})", lines), "warnings")


def _add_links(doc: Document, plan: Plan) -> None:
    if plan.links:
        doc.add(details(f"Links checked ({len(plan.links)})", fence("\n".join(link_lines(plan)))),
                "links")


def _add_unchanged(doc: Document, plan: Plan) -> None:
    in_sync = plan.of(Action.IN_SYNC)
    if not (in_sync or plan.orphans or plan.unmanaged):
        return
    unchanged = [f"{i.name}: {i.remote_id or ''}" for i in in_sync]
    unchanged += [f"{o.name}: {o.entry.id}, in the state, no longer defined (not touched)"
                  for o in plan.orphans]
    summary = (f"Unchanged ({len(in_sync)} in sync, {len(plan.orphans)} no longer "
               f"defined, {len(plan.unmanaged)} not managed here)")
    doc.add(details(summary, fence("\n".join(unchanged)) if unchanged else "(none listed)"),
            "lists of unchanged campaigns")


# The comment's sections after its heading, most important first: what does not fit is
# left out from the end.
_SECTIONS: tuple[Callable[[Document, Plan], None], ...] = (
    _add_reach, _add_errors, _add_creates, _add_adoptions, _add_waiting, _add_warnings,
    _add_links, _add_unchanged)


def render_failed_markdown(reason: str, environment: str | None = None) -> str:
    """The comment when no plan could be made, so that an earlier plan does not stand."""
    return (f"{marker(environment)}\n{title(environment)}\n\n❌ **Plan failed:** no plan "
            f"was made, so nothing here is approved.\n\n{fence(reason)}\n")
