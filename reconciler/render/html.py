"""The review page: every campaign of a plan as its recipients will see it, in one
self-contained HTML file (`campaigns plan --html-out`, `campaigns preview`).

Python only gathers values from the plan and the channels' views: the page's head and
filters here (`Page`), the cards (`review_cards`), their message text in pieces
(`review_lines`) and the schedule (`review_schedule`). The markup is Jinja2's
(`templates/review.html`), autoescaped, so that any text from a definition is shown and
never run. The page asks for nothing outside itself: its Content Security Policy allows
inline style and the one inline script, by the hash of that script as rendered.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from reconciler import __version__, clock
from reconciler.checks.config import QuietHours
from reconciler.diagnostics import Diagnostic
from reconciler.plan import Action, Plan
from reconciler.plural import counted
from reconciler.render.message import CHANNEL_NAMES
from reconciler.render.plan import api_shown, totals_line
from reconciler.render.review_cards import (
    Card,
    Finding,
    card,
    finding_of,
    findings_by_campaign,
    verdict_of,
)
from reconciler.render.review_lines import lines_of, safe
from reconciler.render.review_schedule import Lane, Quiet, lanes, quiet_of
from reconciler.render.schedule import sends

if TYPE_CHECKING:
    import jinja2

__all__ = ["OPEN_UP_TO", "TAGS", "Page", "lines_of", "page_of", "render_html",
           "render_html_chunks", "script", "script_hash", "write_html"]

OPEN_UP_TO = 100  # cards shown open; a larger plan's cards start collapsed
# The element a displayed span is wrapped in (the class says which kind it is).
TAGS = {"bold": "strong", "italic": "em", "strike": "s", "code": "code", "monospace": "code",
        "quote": "span", "list": "span", "link": "span", "mention": "span", "emoji": "span",
        "placeholder": "ins"}


class Filter(NamedTuple):
    """A button of the page's filters: what it matches, its label, how many it shows."""

    key: str
    label: str
    how_many: int


@dataclass(frozen=True)
class Page:
    title: str
    target: str
    compared: bool
    summary: str
    totals: str
    credits: str
    limits: tuple[tuple[str, bool], ...]  # (what the limit says, exceeded)
    over_limits: bool
    immediate: int
    findings: tuple[Finding, ...]
    untouched: tuple[str, ...]
    cards: Iterator[Card]
    count: int
    verdicts: tuple[Filter, ...]
    channels: tuple[Filter, ...]
    lists: tuple[tuple[str, int], ...]
    zone: str
    quiet: Quiet
    lanes: tuple[Lane, ...]
    generated: str
    version: str = __version__


def _counts(values: Sequence[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


class Head(NamedTuple):
    """What the page's head says: what the plan was made against, its summary line, and
    the account's credits."""

    target: str
    summary: str
    credits: str


def _head(plan: Plan, compared: bool) -> Head:
    if not compared:
        return Head("the definitions alone (no account was asked)",
                    f"Preview: {counted(len(plan.items), 'campaign')}, "
                    f"{counted(len(plan.errors), 'error')}, "
                    f"{counted(len(plan.warnings), 'warning')}; no account was asked, so "
                    "no verdicts.", "not read (no account was asked)")
    credits = (f"{plan.credits.balance:,.0f} {plan.credits.currency}".rstrip()
               if plan.credits else "could not be read")
    return Head(safe(api_shown(plan.api_url)), plan.summary(), credits)


def _title(plan: Plan) -> str:
    return "Zexa campaigns review" + (f": {safe(plan.environment)}" if plan.environment else "")


def _untouched(plan: Plan) -> tuple[str, ...]:
    """What the plan reports and never touches: the state's campaigns no longer defined,
    and how many of the account's are not managed here."""
    untouched = [f"{safe(o.name)} ({o.entry.id}) is in the state but no longer defined"
                 for o in plan.orphans]
    if plan.unmanaged:
        untouched.append(f"{counted(len(plan.unmanaged), 'campaign')} in the account not "
                         "managed here")
    return tuple(untouched)


def _verdicts(plan: Plan, compared: bool) -> tuple[Filter, ...]:
    """The verdict filters, in the order the plan first gives each."""
    counts = _counts([verdict_of(i, compared) for i in plan.items])
    return tuple(Filter(k.replace(" ", "-"), k, n) for k, n in counts.items())


def _channels(plan: Plan) -> tuple[Filter, ...]:
    """The channel filters, by channel."""
    counts = _counts([i.campaign.channel for i in plan.items])
    return tuple(Filter(k, CHANNEL_NAMES.get(k, k), n) for k, n in sorted(counts.items()))


def _cards(plan: Plan, mine: dict[str, list[Diagnostic]], compared: bool) -> Iterator[Card]:
    """The cards, each made as the page is written; a large plan's start collapsed."""
    now = clock.parse(plan.generated_at)
    open_ = len(plan.items) <= OPEN_UP_TO
    return (card(plan, item, n, mine.get(item.name, ()), compared=compared, now=now,
                 open_=open_) for n, item in enumerate(plan.items, 1))


def page_of(plan: Plan, *, compared: bool = True, quiet: QuietHours | None = None) -> Page:
    """What the template shows, from the plan (`compared`: against an account)."""
    mine, rest = findings_by_campaign(plan)
    head = _head(plan, compared)
    creates = plan.of(Action.CREATE)
    return Page(
        title=_title(plan), target=head.target, compared=compared, summary=head.summary,
        totals=safe(totals_line(plan)) if creates else "Nothing to create.",
        credits=head.credits,
        limits=tuple((safe(v.describe()), v.exceeded) for v in plan.verdicts),
        over_limits=bool(plan.over_limits) and compared,
        immediate=sum(1 for i in creates if i.sends_immediately),
        findings=tuple(finding_of(d) for d in rest), untouched=_untouched(plan),
        cards=_cards(plan, mine, compared), count=len(plan.items),
        verdicts=_verdicts(plan, compared), channels=_channels(plan),
        lists=tuple(sorted(_counts([safe(i.campaign.contact_list_id)
                                    for i in plan.items]).items())),
        zone=safe(plan.zone), quiet=quiet_of(quiet or QuietHours(zone=plan.zone)),
        lanes=tuple(lanes(plan, sends(plan))), generated=plan.generated_at)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    import jinja2  # loaded only when a page is written

    return jinja2.Environment(
        loader=jinja2.PackageLoader("reconciler.render", "templates"),
        autoescape=jinja2.select_autoescape(("html",), default_for_string=True,
                                            default=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True)


def script() -> str:
    """The page's one script, as it stands between its tags."""
    return environment().get_template("review.js").render()


def script_hash(text: str) -> str:
    """`sha256-…`, as a Content-Security-Policy names an inline script."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def render_html_chunks(plan: Plan, *, compared: bool = True,
                       quiet: QuietHours | None = None) -> Iterator[str]:
    """The page piece by piece, for writing as it is made."""
    code = script()
    template = environment().get_template("review.html")
    return template.generate(page=page_of(plan, compared=compared, quiet=quiet),
                             script=code, script_hash=script_hash(code), tags=TAGS,
                             minutes_a_day=1440)


def render_html(plan: Plan, *, compared: bool = True, quiet: QuietHours | None = None) -> str:
    return "".join(render_html_chunks(plan, compared=compared, quiet=quiet))


def write_html(path: str, plan: Plan, *, compared: bool = True,
               quiet: QuietHours | None = None) -> None:
    """The page to `path`, written as it is made (UTF-8, `\\n` line ends)."""
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for chunk in render_html_chunks(plan, compared=compared, quiet=quiet):
            out.write(chunk)
