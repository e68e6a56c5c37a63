"""Chromium (Debian's, never a downloaded one) with mermaid's JavaScript, for the tests and
the documentation's screenshot. `.ci/run` provides both and says where (CHROMIUM,
MERMAID_JS); in CI (CI=true) a missing one fails the test instead of skipping it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ARGS = ["--headless", "--no-sandbox", "--disable-background-networking",
        "--disable-component-update"]


def chromium_path() -> Path:
    return Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


def mermaid_path() -> Path | None:
    given = os.environ.get("MERMAID_JS")
    return Path(given) if given else None


def missing(mermaid: bool = True) -> str | None:
    """What the browser tests lack, or None (`mermaid`: they need mermaid's JavaScript)."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if not chromium_path().exists():
        return f"no Chromium at {chromium_path()} (apt-get install chromium, or set CHROMIUM)"
    script = mermaid_path()
    if mermaid and (script is None or not script.is_file()):
        return ("no mermaid JavaScript: set MERMAID_JS to mermaid.min.js (.ci/run installs "
                "it with npm)")
    return None


@contextmanager
def page() -> Iterator[tuple[Any, list[str]]]:
    """A blank page that may load nothing from the network, and the URLs it asked for."""
    from playwright.sync_api import sync_playwright

    requested: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium_path()), args=ARGS)
        try:
            tab = browser.new_page()

            def refuse(route: Any) -> None:
                requested.append(route.request.url)
                route.abort()

            tab.route("http*://**/*", refuse)
            yield tab, requested
        finally:
            browser.close()
