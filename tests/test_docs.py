"""The documentation runs as written, and shows what the tool prints (tests/docgen.py)."""

from __future__ import annotations

from pathlib import Path

import docgen
import pytest

PAGES_WITH_COMMANDS = [p for p in docgen.WALKTHROUGHS
                       if any(s.command for s in docgen.steps(
                           (docgen.ROOT / p).read_text(encoding="utf-8")))]


def test_every_shown_output_is_what_the_tool_prints_now() -> None:
    assert docgen.main(["--check"]) == 0, "regenerate with: python tests/docgen.py"


@pytest.mark.parametrize("page", PAGES_WITH_COMMANDS)
def test_each_walkthrough_runs_as_written_in_an_empty_folder(page: str, tmp_path: Path) -> None:
    runs = docgen.play(docgen.ROOT / page, tmp_path)
    failed = [(r.command, r.output) for r in runs if r.exit_code != 0]
    assert runs and failed == []


def test_the_walkthroughs_give_every_file_they_use() -> None:
    limits = (docgen.ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    given = {s.path for s in docgen.steps(limits) if s.path}
    assert {"campaigns.example/flash.yaml", "campaigns.example/vip-news.yaml"} <= given


def test_a_page_with_a_stale_output_fails_the_check(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text('<!-- [[[cog cog.out(show(cog.inFile, "campaigns --version", fresh=True)) '
                    ']]] -->\n```text\n$ campaigns --version\ncampaigns, version 0.0.0\n```\n'
                    "<!-- [[[end]]] -->\n", encoding="utf-8")
    from cogapp import Cog

    code = Cog().main(["cog", "--check", "-I", str(Path(docgen.__file__).parent),
                       "-p", "from docgen import show", str(page)])
    assert code != 0


def test_the_examples_run_at_the_fixed_instant() -> None:
    shown = docgen.show(str(docgen.ROOT / "README.md"),
                        "campaigns plan campaigns.example/weekend-sale.yaml --sandbox",
                        fresh=True)
    assert "(09:00 Africa/Luanda, Sun 28 Jun 2099), in 6 months" in shown
