"""Saved plans (`campaigns plan --out FILE`): exactly what apply will do, and what it assumed.

The checksum catches accidents (a truncated copy, a hand edit, a merge), not forgeries:
anyone who can write the file can recompute it. So before anything is sent, the work is
checked again as definitions (schema, erroring review checks, unique names, each payload
under its own name and digest, the same names as the displayed plan): a forged plan can
still only send what a valid definition could.

The file has its own format (`kind`, `version`): an `apply` section that apply reads (the
exact payloads to create, the state's lineage, serial and fingerprint, a fingerprint of
what the account held for the plan's names, the names and verdicts shown), the display
plan beside it under `plan` for people and scripts, and a checksum over all of it. The
shipped schema `saved-plan.schema.json` is the format's one definition: a file is checked
against it after its checksum.
`campaigns apply FILE` refuses the plan when it was edited (checksum), or when it is
stale: the state moved on, or the account now holds something under one of its names (a
campaign it would create now exists).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reconciler.errors import UserError
from reconciler.plan.audience import Reach
from reconciler.plan.json_document import plan_json
from reconciler.plan.model import Plan
from reconciler.plan.work import Step, steps_of
from reconciler.schema import document_errors

KIND = "zexa-campaigns-plan"
# The saved-plan format's own version: what apply reads is the `apply` section, which does
# not change when the display JSON (`plan`, the same as `plan --format json`) does.
VERSION = 2
SCHEMA = "saved-plan.schema.json"  # `campaigns schema saved-plan`: the one definition


class PlanFileError(UserError):
    pass


@dataclass(frozen=True)
class SavedPlan:
    api_url: str
    state_lineage: str | None
    state_serial: int
    state_fingerprint: str
    account_fingerprint: str
    names: list[str]
    work: list[Step]
    errors: int
    shown: list[tuple[str, str]]  # (name, action) of each campaign the plan displays
    path: str = ""
    # What each create reached when the plan was made (as displayed).
    reaches: list[Reach] = field(default_factory=list)
    # The list of each defined campaign, by name: apply learns list sizes from the state's
    # campaigns with it, as a fresh plan does. None: a plan saved without it.
    lists: dict[str, str] | None = None


def _checksum(doc: dict[str, Any]) -> str:
    body = {k: v for k, v in doc.items() if k != "checksum"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def plan_file_checksum(doc: dict[str, Any]) -> str:
    """The checksum a saved plan's document must carry."""
    return _checksum(doc)


def plan_file_json(plan: Plan) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "kind": KIND,
        "version": VERSION,
        "plan": plan_json(plan),  # for people and scripts; apply does not read it
        "apply": {
            "api_url": plan.api_url,
            "state_lineage": plan.state_lineage,
            "state_serial": plan.state_serial,
            "state_fingerprint": plan.state_fingerprint,
            "account_fingerprint": plan.account_fingerprint,
            "names": plan.covered_names,
            "errors": len(plan.errors),
            "shown": [[i.name, i.action.value] for i in plan.items],
            "work": [w.to_json() for w in steps_of(plan)],
            "lists": {i.campaign.name: i.campaign.contact_list_id for i in plan.items},
        },
    }
    doc["checksum"] = _checksum(doc)
    return doc


def write(plan: Plan, path: Path) -> None:
    path.write_text(json.dumps(plan_file_json(plan), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8", newline="\n")


def is_plan_file(path: Path) -> bool:
    """A file (not a YAML definition file) that holds a saved plan."""
    if not path.is_file() or path.suffix.lower() in (".yaml", ".yml"):
        return False
    try:
        doc = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(doc, dict) and doc.get("kind") == KIND


def read(path: Path) -> SavedPlan:
    try:
        doc = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PlanFileError(f"{path}: cannot be read as a plan ({exc})") from None
    if not isinstance(doc, dict) or doc.get("kind") != KIND:
        raise PlanFileError(f"{path}: is not a saved plan")
    if doc.get("version") != VERSION:
        raise PlanFileError(f"{path}: a saved plan of format version {doc.get('version')!r}; "
                            f"this tool reads version {VERSION}. Make a new plan.")
    if doc.get("checksum") != _checksum(doc):
        raise PlanFileError(
            f"{path}: the plan was edited after it was saved (checksum mismatch); "
            "refusing it. Make a new plan."
        )
    problems = document_errors(SCHEMA, doc)
    if problems:
        raise PlanFileError(f"{path}: is not a valid saved plan ({'; '.join(problems[:3])}); "
                            "make a new plan.")
    a = doc["apply"]
    return SavedPlan(
        api_url=a["api_url"],
        state_lineage=a["state_lineage"],
        state_serial=a["state_serial"],
        state_fingerprint=a["state_fingerprint"],
        account_fingerprint=a["account_fingerprint"],
        names=list(a["names"]),
        work=[Step.from_json(w) for w in a["work"]],
        errors=a["errors"],
        shown=[(name, action) for name, action in a["shown"]],
        path=str(path),
        reaches=_reaches(doc["plan"]),
        lists=dict(a["lists"]) if "lists" in a else None,
    )


def _reaches(shown: Any) -> list[Reach]:
    """The creates of the plan as displayed, with the audience and credits it showed."""
    out = []
    for c in shown.get("campaigns", []) if isinstance(shown, dict) else []:
        if not isinstance(c, dict) or c.get("action") != "create":
            continue
        audience = c.get("audience") if isinstance(c.get("audience"), dict) else None
        recipients = audience.get("recipients") if audience else None
        credits = c.get("estimated_credits")
        out.append(Reach(str(c.get("name")), str((c.get("payload") or {}).get(
            "contact_list_id")), recipients if isinstance(recipients, int) else None,
            credits if isinstance(credits, int) else None))
    return out
