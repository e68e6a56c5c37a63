"""Golden files (tests/golden/): compared in every test run, written only on request.

`python -m pytest --update-golden tests/test_plan_output.py tests/test_review.py
tests/test_ci_integration.py tests/test_review_page_golden.py` rewrites the files those
tests compare with, and fails each test it rewrote a file for, so that no run that writes
a golden file is ever green: read the diff, then run again without the option. Nothing
else (no environment variable) writes them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_OPTION = "--update-golden"


def check_golden(request: pytest.FixtureRequest, name: str, text: str) -> None:
    """`text` is what tests/golden/NAME holds; with --update-golden, it is written there."""
    path = GOLDEN / name
    if request.config.getoption(UPDATE_OPTION):
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            path.write_text(text, encoding="utf-8", newline="\n")
            pytest.fail(f"rewrote {path.relative_to(GOLDEN.parent.parent)}: read the diff, then "
                        "run the tests again without --update-golden", pytrace=False)
    assert path.exists(), f"{path} is missing: create it with {UPDATE_OPTION}"
    assert text == path.read_text(encoding="utf-8")
