"""The online link check of a plan (`plan --check-links`, or `links: {check: true}`): the
links of the campaigns to create asked of their servers; what fails becomes a `link-broken`
finding at the link's place, and every URL's answer (redirects too) goes into the plan."""

from __future__ import annotations

from reconciler.checks.catalogue import CheckId, severity_of
from reconciler.checks.config import CheckConfig
from reconciler.checks.linkcheck import Answer, LinkChecker
from reconciler.checks.linkfindings import SHOWN_A_CHECK, is_own
from reconciler.checks.links import LinkCheck, Located, located_links
from reconciler.definitions import Campaign
from reconciler.diagnostics import Diagnostic, Severity
from reconciler.plan import Action, Plan, refused_by_check

CHECK_ID: CheckId = "link-broken"


def check_plan_links(plan: Plan, config: CheckConfig,
                     checker: LinkChecker | None = None) -> None:
    """Ask every http(s) link of the plan's creates, and add what was found to `plan`: a
    create with a broken link at error is refused (an error, never a create)."""
    found, skipped = _links_to_ask(plan, config)
    answers = _ask([place.link.url for _, place in found], config, checker)
    diagnostics, refused = _findings(found, answers, config, skipped)
    plan.diagnostics = sorted([*plan.diagnostics, *diagnostics], key=Diagnostic.sort_key)
    plan.items = [refused_by_check(i, refused[i.name])
                  if i.action is Action.CREATE and i.name in refused else i
                  for i in plan.items]
    plan.links = _records(found, answers)


def _links_to_ask(plan: Plan, config: CheckConfig
                  ) -> tuple[list[tuple[Campaign, Located]], set[int]]:
    """The http(s) links of the plan's creates, and the creates (by `id`) that switch the
    check off: their links are still asked and recorded, never reported."""
    found: list[tuple[Campaign, Located]] = []
    skipped: set[int] = set()
    for item in plan.of(Action.CREATE):
        c = item.campaign
        if CHECK_ID in config.disabled or CHECK_ID in c.skip_checks:
            skipped.add(id(c))
        found.extend((c, place) for place in located_links(c)
                     if place.link.scheme in ("http", "https"))
    return found, skipped


def _records(found: list[tuple[Campaign, Located]],
             answers: dict[str, Answer]) -> list[LinkCheck]:
    """Each distinct URL's answer, with every place it stands, as the plan keeps them."""
    places: dict[str, list[Located]] = {}
    for _, place in found:
        places.setdefault(place.link.url, []).append(place)
    return [LinkCheck(url, a.status, a.redirects, a.problem,
                      tuple(p.location for p in places[url]))
            for url, a in sorted(answers.items())]


def _ask(urls: list[str], config: CheckConfig,
         checker: LinkChecker | None) -> dict[str, Answer]:
    owned = checker is None
    checker = checker or LinkChecker(timeout=config.links.timeout)
    try:
        return checker.check(urls)
    finally:
        if owned:
            checker.close()


def _findings(found: list[tuple[Campaign, Located]], answers: dict[str, Answer],
              config: CheckConfig, skipped: set[int],
              ) -> tuple[list[Diagnostic], dict[str, Diagnostic]]:
    """A finding for each failed link (a few a field, then a count), and by name each
    create's first finding at error."""
    diagnostics: list[Diagnostic] = []
    refused: dict[str, Diagnostic] = {}
    shown: dict[tuple[int, str], tuple[Campaign, int]] = {}
    reported: set[tuple[int, str, str]] = set()
    for c, place in found:
        answer = answers[place.link.url]
        key = (id(c), place.field, place.link.url)
        if answer.problem is None or id(c) in skipped or key in reported:
            continue
        reported.add(key)
        count = shown.get((id(c), place.field), (c, 0))[1] + 1
        shown[(id(c), place.field)] = (c, count)
        if count > SHOWN_A_CHECK:
            continue
        own = is_own(place.link, config.links)
        finding = Diagnostic(
            place.location, _message(answer, own), field=place.field,
            severity=severity_of(config, CHECK_ID) if own else Severity.WARNING,
            code=CHECK_ID)
        diagnostics.append(finding)
        if finding.is_error:
            refused.setdefault(c.name, finding)
    for (_, field_name), (c, count) in shown.items():
        if count > SHOWN_A_CHECK:
            diagnostics.append(Diagnostic(
                c.location_of(field_name.split(".")[0]),
                f"and {count - SHOWN_A_CHECK} more links that failed the link check "
                f"({count} in all)", field=field_name, severity=Severity.WARNING,
                code=CHECK_ID))
    return diagnostics, refused


def _message(answer: Answer, own: bool) -> str:
    trail = " → ".join((answer.url, *answer.redirects))
    where = "" if own else " (not one of your allowed_domains: a warning)"
    return (f"{trail}: {answer.problem}{where}; a recipient who taps it finds no page, and "
            "a sent message cannot be corrected")
