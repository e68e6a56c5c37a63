"""GitLab Code Quality reports: problems shown in merge requests.

The format is a JSON array of issues with `description`, `check_name`, `fingerprint`,
`severity` and `location.path` / `location.lines.begin`. Fingerprints identify a finding
across pipelines, so they leave out the line (moving a campaign down the file is not a
new problem) and count repeats of the same finding in a file instead.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from reconciler.diagnostics import Diagnostic

SEVERITY = {"error": "major", "warning": "minor"}


def report(diagnostics: Sequence[Diagnostic]) -> list[dict[str, object]]:
    seen: dict[tuple[str, str, str, str], int] = {}
    issues: list[dict[str, object]] = []
    for d in diagnostics:
        key = (d.location.file, d.code, d.field, d.message)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        identity = "\0".join([*key, str(occurrence)])
        issues.append({
            "description": f"{d.field}: {d.message}" if d.field else d.message,
            "check_name": f"campaigns/{d.code}",
            "fingerprint": hashlib.sha256(identity.encode("utf-8")).hexdigest(),
            "severity": SEVERITY[d.severity.value],
            "location": {"path": d.location.file, "lines": {"begin": d.location.line}},
        })
    return issues


def render(diagnostics: Sequence[Diagnostic]) -> str:
    return json.dumps(report(diagnostics), indent=2, ensure_ascii=False) + "\n"
