"""The documentation site as MkDocs builds it (Python-Markdown, stricter than GitHub)."""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


class Paragraphs(HTMLParser):
    """The text of every <p> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.open = 0
        self.current: list[str] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            self.open += 1
            self.current = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self.open:
            self.open -= 1
            self.found.append("".join(self.current))

    def handle_data(self, data: str) -> None:
        if self.open:
            self.current.append(data)


def run_on_lines(html: str) -> list[str]:
    """Lines of paragraphs that begin with `- `: a list that rendered as running text."""
    parser = Paragraphs()
    parser.feed(html)
    return [line.strip() for p in parser.found for line in p.split("\n")
            if line.lstrip().startswith("- ")]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                           "--site-dir", str(out)], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8", check=False)
    assert done.returncode == 0, done.stderr
    return out


def test_the_check_finds_a_list_written_without_a_blank_line_before_it() -> None:
    html = "<p>Options:\n- <code>--target</code>: one campaign.\n- <code>--out</code></p>"
    assert run_on_lines(html) == ["- --target: one campaign.", "- --out"]


def test_no_list_on_the_site_renders_as_a_paragraph(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    found = {str(p.relative_to(site)): lines for p in pages
             if (lines := run_on_lines(p.read_text(encoding="utf-8")))}
    assert found == {}
