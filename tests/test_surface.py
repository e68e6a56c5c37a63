"""One surface: options where users type them, and one verdict per campaign in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from e2e import env_for, future, invoke

ESC = "\x1b["
NO_OPT_OUT = """\
name: Flash Sale
purpose: marketing
channel: sms
contact_list_id: lst_customers
sender_id: MYBRAND
body: "Half price today."
scheduled_at: {when}
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "sale.yaml").write_text(
        NO_OPT_OUT.replace("Half price today.", "Half price today. Reply STOP to opt out.")
        .format(when=future()), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("args", [["--color", "validate"], ["validate", "--color"]])
def test_color_is_accepted_before_and_after_the_command_name(folder, args) -> None:
    result = invoke(args, {"NO_COLOR": ""})
    assert result.exit_code == 0
    assert ESC in result.output


@pytest.mark.parametrize("args", [["--no-color", "plan", "--sandbox"],
                                  ["plan", "--no-color", "--sandbox"],
                                  ["--color", "plan", "--no-color", "--sandbox"]])
def test_no_color_is_accepted_before_and_after_the_command_name(folder, args) -> None:
    result = invoke(args, {"NO_COLOR": ""})
    assert result.exit_code == 0, result.output
    assert ESC not in result.output


def test_no_color_after_a_subcommand_of_a_group(folder) -> None:
    result = invoke(["state", "list", "--no-color"], {"NO_COLOR": ""})
    assert "No such option" not in result.output


def test_no_color_variable_still_strips_colour_when_no_option_is_given(folder) -> None:
    result = invoke(["plan", "--sandbox"], {"NO_COLOR": "1"})
    assert ESC not in result.output


def _with_error(folder: Path) -> None:
    (folder / "campaigns" / "sale.yaml").write_text(NO_OPT_OUT.format(when=future()),
                                                    encoding="utf-8")


def test_a_create_with_a_review_error_is_listed_as_an_error_not_a_create(folder) -> None:
    _with_error(folder)
    out = invoke(["plan", "--sandbox"], {}).output
    assert "+ create" not in out
    assert "! error    Flash Sale" in out
    assert "Plan: 0 to create, 0 to adopt, 0 in sync, 1 error." in out


def test_a_create_with_a_review_error_is_an_error_in_json(folder) -> None:
    _with_error(folder)
    doc = json.loads(invoke(["plan", "--sandbox", "--format", "json"], {}).stdout)
    assert [(c["action"], c["problem"]) for c in doc["campaigns"]] == [
        ("error", "review-check-error")]
    assert doc["summary"]["create"] == 0


def test_a_create_with_a_review_error_is_not_in_the_markdown_creates(folder) -> None:
    _with_error(folder)
    out = invoke(["plan", "--sandbox", "--format", "markdown"], {}).output
    assert "To create" not in out
    assert "error: body: a marketing SMS must tell recipients how to opt out" in out


def test_error_lines_say_error_as_warnings_say_warning(folder) -> None:
    _with_error(folder)
    out = invoke(["validate"], {}).output
    assert "campaigns/sale.yaml:6:7: error: body: a marketing SMS" in out


def test_validate_warns_of_a_campaign_that_sends_at_once(folder) -> None:
    text = NO_OPT_OUT.replace("Half price today.", "Half price. Reply STOP to opt out.")
    (folder / "campaigns" / "sale.yaml").write_text(
        text.replace("scheduled_at: {when}\n", ""), encoding="utf-8")
    out = invoke(["validate"], {}).output
    assert ("campaigns/sale.yaml:1:7: warning: scheduled_at: not set: the campaign sends the "
            "moment apply creates it") in out
    assert "0 errors" in out


def test_validate_and_plan_agree_on_the_send_at_once_warning(folder, serve) -> None:
    text = NO_OPT_OUT.replace("Half price today.", "Half price. Reply STOP to opt out.")
    (folder / "campaigns" / "sale.yaml").write_text(
        text.replace("scheduled_at: {when}\n", ""), encoding="utf-8")
    env = env_for(serve())
    validated = invoke(["validate"], env).output
    planned = invoke(["plan"], env).output
    line = [x for x in validated.splitlines() if "sends the moment" in x]
    assert line and line[0] in planned


def _over_recipients(folder: Path) -> None:
    """Two campaigns to a list of 850, with at most 500 recipients an apply."""
    (folder / ".campaigns.yaml").write_text(
        "list_sizes: {lst_customers: 850}\nlimits: {max_recipients: 500}\n", encoding="utf-8")


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "github", "gitlab"])
def test_a_plan_over_a_limit_exits_1_in_every_format(folder, fmt) -> None:
    _over_recipients(folder)
    result = invoke(["plan", "--sandbox", "--format", fmt, "--markdown-out", "plan.md"], {})
    assert result.exit_code == 1
    assert "Over the limits of one apply" in (folder / "plan.md").read_text(encoding="utf-8")


def test_a_plan_over_a_limit_says_so_at_the_top_and_still_shows_the_plan(folder) -> None:
    _over_recipients(folder)
    out = invoke(["plan", "--sandbox"], {}).stdout.splitlines()
    assert out[2].startswith("Over the limits of one apply: apply is refused")
    assert any(line.startswith("  + create   Flash Sale") for line in out)


def test_a_plan_over_a_limit_with_the_override_exits_as_usual(folder) -> None:
    _over_recipients(folder)
    assert invoke(["plan", "--sandbox", "--override-limits"], {}).exit_code == 0


def test_the_refusal_names_the_setting_of_the_limit_exceeded(folder) -> None:
    _over_recipients(folder)
    out = invoke(["apply", "--sandbox", "--auto-approve"], {}).output
    assert "raise `limits.max_recipients` in the configuration, or pass --override-limits" \
        in out
    assert "--max-creates" not in out


def test_the_refusal_over_max_creates_names_its_option(folder) -> None:
    out = invoke(["apply", "--sandbox", "--auto-approve", "--max-creates", "0"], {}).output
    assert "raise `limits.max_creates` in the configuration (or --max-creates)" in out


def test_a_plan_saved_on_the_sandbox_applies_there_without_sandbox(folder, monkeypatch) -> None:
    monkeypatch.delenv("ZEXA_API_KEY", raising=False)
    assert invoke(["plan", "--sandbox", "--out", "plan.json"], {}).exit_code == 0
    applied = invoke(["apply", "plan.json"], {"ZEXA_API_KEY": ""})
    assert applied.exit_code == 0, applied.output
    assert "Apply complete: 1 created" in applied.output


def test_the_first_sandbox_run_says_to_keep_its_file_out_of_git(folder) -> None:
    result = invoke(["plan", "--sandbox"], {})
    assert "kept in .campaigns-sandbox.json: add it to .gitignore" in result.stderr
