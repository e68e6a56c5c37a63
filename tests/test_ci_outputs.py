"""What the CI glue says, word for word: the sticky comment's report for each way it ends,
the GitHub Action's planned command for each input, and the annotations, summary and
outputs its main step writes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from reconciler.ci.action import Step, step
from reconciler.ci.comment import Posted, post_sticky
from reconciler.ci.forge import Comment, Forge, ForgeError, Refused
from reconciler.secret import Secret
from reconciler.workflow.ci import action_step

MARKER = "<!-- zexa-campaigns-plan -->"


class Memory(Forge):
    """A code host held in memory: `me` is who the token is, `refuse` refuses writes."""

    name = "GitHub"
    comment_limit = 200
    default_author = "github-actions[bot]"

    def __init__(self, me: str | None = "bot", refuse: bool = False,
                 request: str | None = "7") -> None:
        super().__init__("http://127.0.0.1:9", Secret("t"), {}, request)
        self.me, self.refuse = me, refuse
        self.held: list[Comment] = []

    def whoami(self) -> str | None:
        return self.me

    def comments(self) -> list[Comment]:
        return list(self.held)

    def create(self, body: str) -> str:
        if self.refuse:
            raise Refused("GitHub answered 403 to POST /x: no")
        self.held.append(Comment(str(len(self.held) + 1), self.me or "?", body))
        return f"#{len(self.held)}"

    def update(self, comment_id: str, body: str) -> None:
        self.held = [Comment(c.id, c.author, body) if c.id == comment_id else c
                     for c in self.held]

    def merged_request(self, sha: str) -> str | None:
        return None


def test_a_new_comment_says_where_it_was_posted() -> None:
    assert post_sticky(Memory(), f"{MARKER}\nplan\n") == Posted(
        "Posted the comment #1 on GitHub request 7.")


def test_an_earlier_comment_of_the_token_is_updated_and_a_planted_one_left() -> None:
    forge = Memory()
    forge.held = [Comment("5", "mallory", f"{MARKER}\nplanted"),
                  Comment("6", "bot", f"{MARKER}\nold")]
    assert post_sticky(forge, f"{MARKER}\nnew\n") == Posted(
        "Updated the comment 6 on GitHub request 7.")
    assert [c.body for c in forge.held] == [f"{MARKER}\nplanted", f"{MARKER}\nnew\n"]


def test_a_shortened_comment_says_so_in_the_report() -> None:
    forge = Memory()
    forge.held = [Comment("6", "bot", f"{MARKER}\nold")]
    body = MARKER + "\n" + "a line of the plan\n" * 30
    assert post_sticky(forge, body, full_version="`plan.md`") == Posted(
        "Updated the comment 6 on GitHub request 7. It was shortened to 200 characters, "
        "GitHub's limit; the full version: `plan.md`.")
    assert len(forge.held[0].body) <= 200


def test_with_no_token_user_the_default_author_is_assumed() -> None:
    forge = Memory(me=None)
    forge.default_author = None
    assert post_sticky(forge, f"{MARKER}\nplan\n") == Posted(
        "Posted the comment #1 on GitHub request 7. (the token's user could not be told, "
        "so no earlier comment was edited; pass --author)")


def test_a_refused_comment_is_a_warning() -> None:
    assert post_sticky(Memory(refuse=True), f"{MARKER}\nplan\n") == Posted(
        "Could not comment (GitHub answered 403 to POST /x: no); the text is in the job's "
        "log and summary. A fork's pull request gets a read-only token.", warning=True)


def test_no_request_and_no_marker_are_errors() -> None:
    with pytest.raises(ForgeError, match=r"^no GitHub request to comment on: run it on a "
                       r"pull or merge request, or name one with --request$"):
        post_sticky(Memory(request=None), f"{MARKER}\nplan\n")
    with pytest.raises(ForgeError, match=r"^the text does not start with the tool's marker"):
        post_sticky(Memory(), "plan\n")


FORK_NOTICE = ("No API key on this pull request (a fork or Dependabot gets no secrets): "
               "validating only; the plan runs once the change is on a branch of this "
               "repository.")
FORK_SUMMARY = ("### Zexa campaigns\n\nValidated only: a pull request from a fork gets no "
                "secrets, so no plan was made.\n")


@pytest.mark.parametrize(("env", "planned"), [
    ({}, Step(["plan", "campaigns", "--format", "github", "--detailed-exitcode",
               "--markdown-out", "S/campaigns-plan.md"], Path("S/campaigns-plan.md"))),
    ({"INPUT_COMMAND": "validate", "INPUT_ARGS": "--env\nx"},
     Step(["validate", "campaigns", "--format", "github", "--env", "x"], None)),
    ({"INPUT_COMMAND": "apply", "INPUT_PATHS": "a\nb"},
     Step(["apply", "a", "b", "--auto-approve", "--markdown-out", "S/campaigns-apply.md"],
          Path("S/campaigns-apply.md"))),
    ({"INPUT_COMMAND": "destroy"},
     Step([], None, notice="unknown command 'destroy': use validate, plan or apply")),
    ({"PR_FROM_FORK": "true", "INPUT_ARGS": "--env\nx\n--target\nA"},
     Step(["validate", "campaigns", "--format", "github", "--env", "x"], None,
          notice=FORK_NOTICE, summary=FORK_SUMMARY)),
    ({"GITHUB_ACTOR": "dependabot[bot]"},
     Step(["validate", "campaigns", "--format", "github"], None, notice=FORK_NOTICE,
          summary=FORK_SUMMARY)),
    ({"GITHUB_ACTOR": "dependabot[bot]", "ZEXA_API_KEY": "k"},
     Step(["plan", "campaigns", "--format", "github", "--detailed-exitcode",
           "--markdown-out", "S/campaigns-plan.md"], Path("S/campaigns-plan.md"))),
])
def test_the_action_plans_the_command_its_inputs_ask_for(env: dict[str, str],
                                                          planned: Step) -> None:
    assert step(env, Path("S")) == planned


def run_action(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int,
               **env: str) -> tuple[list[list[str]], str, str]:
    """The action's main step with the tool's run replaced: (the runs, GITHUB_OUTPUT, the
    job summary)."""
    runs: list[list[str]] = []

    def call(argv: list[str]) -> int:
        runs.append(argv[3:])
        return code

    monkeypatch.setattr(subprocess, "call", call)
    outputs, summary = tmp_path / "out", tmp_path / "summary"
    assert action_step({"RUNNER_TEMP": str(tmp_path), "GITHUB_OUTPUT": str(outputs),
                        "GITHUB_STEP_SUMMARY": str(summary), **env}) == 0
    return (runs, outputs.read_text(encoding="utf-8"),
            summary.read_text(encoding="utf-8") if summary.exists() else "")


def test_the_main_step_runs_the_plan_and_writes_its_outputs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "campaigns-plan.md"
    stale.write_text("from an earlier run", encoding="utf-8")
    runs, outputs, summary = run_action(tmp_path, monkeypatch, 2)
    assert runs == [["plan", "campaigns", "--format", "github", "--detailed-exitcode",
                     "--markdown-out", str(stale)]]
    assert not stale.exists()  # a comment from an earlier run is never posted again
    assert outputs == "exitcode=2\nhas-changes=true\n" and summary == ""
    assert capsys.readouterr().out == ""


def test_the_main_step_on_a_fork_notices_validates_and_summarises(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    runs, outputs, summary = run_action(tmp_path, monkeypatch, 0, PR_FROM_FORK="true")
    assert runs == [["validate", "campaigns", "--format", "github"]]
    assert capsys.readouterr().out == f"::notice::{FORK_NOTICE}\n"
    assert outputs == "exitcode=0\nhas-changes=false\n" and summary == FORK_SUMMARY


def test_the_main_step_on_an_unknown_command_is_an_error_and_runs_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    runs, outputs, _ = run_action(tmp_path, monkeypatch, 0, INPUT_COMMAND="destroy")
    assert runs == []
    assert capsys.readouterr().out == \
        "::error::unknown command 'destroy': use validate, plan or apply\n"
    assert outputs == "exitcode=1\nhas-changes=false\n"
