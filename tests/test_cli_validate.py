"""`campaigns validate` as a user runs it: exit codes and every output format."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES

from reconciler.cli import cli
from reconciler.diagnostics import Diagnostic, Location
from reconciler.render.github import annotation

BAD = "name: A\nchannel: fax\ncontact_list_id: lst_a\nsender_id: B\nbody: x\n"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env or {"GITHUB_ACTIONS": ""})
    return result.exit_code, result.output


def test_valid_examples_exit_0_with_a_summary() -> None:
    code, out = run("validate", str(EXAMPLES))
    assert code == 0
    assert out.strip() == "6 campaigns in 4 files: 0 errors, 0 warnings."


def test_invalid_file_exits_1_with_file_line_col_field_message(write) -> None:
    path = write("bad.yaml", BAD)
    code, out = run("validate", path)
    assert code == 1
    assert out.splitlines()[0] == (
        f"{path}:2:10: error: channel: 'fax' is not one of sms, whatsapp, telegram, email, slack"
    )


def test_json_format_is_versioned_and_lists_diagnostics(write) -> None:
    path = write("bad.yaml", BAD)
    code, out = run("validate", "--format", "json", path)
    doc = json.loads(out)
    assert code == 1
    assert doc["format_version"] == 1 and doc["valid"] is False
    assert doc["diagnostics"][0] == {
        "file": path, "line": 2, "column": 10, "field": "channel",
        "message": "'fax' is not one of sms, whatsapp, telegram, email, slack",
        "severity": "error", "code": "schema",
    }


def test_github_format_is_chosen_inside_github_actions(write, workdir) -> None:
    write("campaigns/bad.yaml", BAD)
    code, out = run("validate", "campaigns", env={"GITHUB_ACTIONS": "true"})
    assert code == 1
    assert out.startswith("::error file=campaigns/bad.yaml,line=2,col=10,"
                          "title=campaigns%3A channel::")


def test_github_annotations_escape_percent_newlines_commas_and_colons() -> None:
    d = Diagnostic(Location("a,b:c.yaml", 3, 4), "50% off\nnow", field="body")
    assert annotation(d) == (
        "::error file=a%2Cb%3Ac.yaml,line=3,col=4,title=campaigns%3A body::body: 50%25 off%0Anow"
    )


def test_a_missing_default_folder_is_a_clear_error(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = run("validate")
    assert code == 1
    assert out.splitlines()[0].startswith(
        "campaigns:1:1: error: no such file or folder (the default)")


@pytest.mark.parametrize("args", [["validate", "--format", "xml"], ["validate", "--nope"]])
def test_usage_errors_exit_1_not_2(args: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "reconciler", *args], capture_output=True, text=True
    , encoding="utf-8")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr


def test_python_dash_m_is_the_same_cli() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "reconciler", "validate", str(EXAMPLES)],
        capture_output=True, text=True, encoding="utf-8",
    )
    assert proc.returncode == 0, proc.stderr
    assert "0 errors" in proc.stdout


def test_the_schema_ships_inside_the_package_with_an_id() -> None:
    from reconciler.schema import load_schema

    schema = load_schema("campaign.schema.json")
    assert schema["$id"] == "urn:zexa-campaigns:schema:campaign:1"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


class FakeTerminal:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch) -> None:
    from reconciler.render.common import use_color

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(FakeTerminal(True)) is True  # type: ignore[arg-type]
    assert use_color(FakeTerminal(False)) is False  # type: ignore[arg-type]
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(FakeTerminal(True)) is False  # type: ignore[arg-type]


def test_a_bug_is_one_line_and_exit_1_not_a_traceback(monkeypatch, capsys) -> None:
    import reconciler.cli.group as cli_module
    import reconciler.workflow.validate as validate_module

    def broken(paths):
        raise RuntimeError("boom")

    monkeypatch.setattr(validate_module, "load_definitions", broken)
    monkeypatch.delenv("CAMPAIGNS_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        cli_module.main(["validate", str(EXAMPLES)])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("Internal error (RuntimeError: boom).") and "Traceback" not in err
    monkeypatch.setenv("CAMPAIGNS_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli_module.main(["validate", str(EXAMPLES)])


def test_counts_agree_with_their_nouns(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from e2e import invoke

    (tmp_path / "one.yaml").write_text("name: x\n", encoding="utf-8")
    out = invoke(["validate", str(tmp_path / "one.yaml")], {"NO_COLOR": "1"}).output
    assert "0 campaigns in 1 file: 4 errors, 0 warnings." in out
    from reconciler.plural import counted

    assert [counted(n, "campaign") for n in (0, 1, 2, 1500)] == [
        "0 campaigns", "1 campaign", "2 campaigns", "1,500 campaigns"]


def test_every_format_of_invalid_definitions_is_written_never_an_internal_error(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    import click
    from e2e import invoke

    from reconciler.cli import cli
    from reconciler.cli.apply_cmd import apply  # noqa: F401 - registers the commands
    from reconciler.cli.plan_cmd import plan  # noqa: F401
    from reconciler.cli.validate_cmd import validate  # noqa: F401

    (tmp_path / "bad.yaml").write_text("name: x\nchannel: fax\n", encoding="utf-8")
    tried = 0
    for command in ("validate", "plan", "apply"):
        (option,) = [p for p in cli.commands[command].params if "--format" in p.opts]
        assert isinstance(option.type, click.Choice)
        for fmt in option.type.choices:
            result = invoke([command, str(tmp_path / "bad.yaml"), "--format", fmt],
                            {"NO_COLOR": "1", "ZEXA_API_KEY": "k" * 20})
            assert result.exit_code == 1, (command, fmt, result.output)
            assert "Internal error" not in result.output, (command, fmt)
            assert "fax" in result.output, (command, fmt)
            tried += 1
    assert tried == 5 + 5 + 3


def test_no_definitions_folder_says_how_to_name_one(workdir) -> None:  # type: ignore[no-untyped-def]
    from e2e import invoke

    result = invoke(["validate"], {"NO_COLOR": "1"})
    assert result.exit_code == 1
    assert "campaigns:1:1: error: no such file or folder (the default)" in result.output
    assert "in a pre-commit hook, `args: [marketing/campaigns]`" in result.output


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_as_the_docs_set_it_up(shell: str) -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    tool = Path(sys.executable).parent / "campaigns"
    done = subprocess.run([str(tool)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "_CAMPAIGNS_COMPLETE": f"{shell}_source"},
                          encoding="utf-8")
    assert done.returncode == 0 and "_CAMPAIGNS_COMPLETE" in done.stdout
    words = subprocess.run([str(tool)], capture_output=True, text=True, timeout=60,
                           env={**os.environ, "_CAMPAIGNS_COMPLETE": "bash_complete",
                                "COMP_WORDS": "campaigns ap", "COMP_CWORD": "1"}, encoding="utf-8")
    assert "apply" in words.stdout


def test_color_and_no_color_override_the_terminal_and_no_color(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from e2e import invoke

    (tmp_path / "bad.yaml").write_text("name: x\n", encoding="utf-8")
    coloured = invoke(["--color", "validate", str(tmp_path / "bad.yaml")], {"NO_COLOR": "1"})
    assert "\x1b[" in coloured.output
    plain = invoke(["--no-color", "validate", str(tmp_path / "bad.yaml")], {"NO_COLOR": ""})
    assert "\x1b[" not in plain.output
    default = invoke(["validate", str(tmp_path / "bad.yaml")], {"NO_COLOR": ""})
    assert "\x1b[" not in default.output  # not a terminal: no colour, and none left over


def test_validate_json_is_versioned_and_valid_against_its_shipped_schema(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from e2e import invoke

    from reconciler.schema import validator_for

    (tmp_path / "bad.yaml").write_text("name: x\nchannel: fax\n", encoding="utf-8")
    for target in (str(tmp_path / "bad.yaml"), str(EXAMPLES)):
        doc = json.loads(invoke(["validate", target, "--format", "json"], {}).output)
        assert doc["format_version"] == 1
        assert list(validator_for("validate.schema.json").iter_errors(doc)) == []
    printed = json.loads(invoke(["schema", "validate"], {}).output)
    assert printed["$id"] == "urn:zexa-campaigns:schema:validate:1"
