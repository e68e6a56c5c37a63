"""`campaigns ci`: the steps a CI job runs around plan and apply, on GitHub and GitLab."""

from __future__ import annotations

import os
import sys

import click

from reconciler.cli.group import EXIT_ERROR, cli
from reconciler.cli.options import settings_or_exit, user_errors
from reconciler.workflow import ci as ci_ops


@cli.group("ci")
def ci_group() -> None:
    """What a CI job runs around plan and apply (GitHub Actions or GitLab CI, detected)."""


def _tell(message: str, *, error: bool = False, warning: bool = False) -> None:
    """A line for the job log; under GitHub Actions, an annotation when it is one."""
    if os.environ.get("GITHUB_ACTIONS") == "true" and (error or warning):
        message = f"::{'error' if error else 'warning'}::{message}"
    click.echo(message, err=error or warning)


@ci_group.command("action")
def ci_action() -> None:
    """The GitHub Action's main step: runs the command its inputs (INPUT_COMMAND,
    INPUT_PATHS, INPUT_ARGS) ask for and writes its outputs (exitcode, has-changes,
    markdown) to GITHUB_OUTPUT. It always exits 0: the action's last step fails the job on
    any exit code but 0 and 2, after the comment is posted and the state committed."""
    with user_errors():
        sys.exit(ci_ops.action_step())


@ci_group.command("comment")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--request", default=None, metavar="NUMBER",
              help="The pull or merge request (default: the job's own).")
@click.option("--from-commit", "from_commit", is_flag=False, flag_value="", default=None,
              metavar="SHA",
              help="Comment on the request that merged this commit (default SHA: the job's).")
@click.option("--author", default=None,
              help="The login the token writes as (default: asked of the host, else "
                   "github-actions[bot] on GitHub).")
def ci_comment(file: str, request: str | None, from_commit: str | None,
               author: str | None) -> None:
    """Post FILE (from plan or apply --markdown-out) as the one sticky comment of its
    environment on the pull or merge request: created once, then edited in place.

    Only a comment written by the token's own user, whose first line is FILE's marker, is
    ever edited. A host that refuses (a fork's read-only token) gives a warning.
    """
    with user_errors():
        posted = ci_ops.comment(file, request=request, from_commit=from_commit,
                                author=author)
    _tell(posted.message, warning=posted.warning)


@ci_group.command("commit-state")
@click.option("--env", "env_name", default=None, envvar="CAMPAIGNS_ENV", metavar="NAME",
              help="Commit this environment's state (default: every state file the "
                   "configuration names).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
              help="Configuration (default: .campaigns.yaml, or [tool.campaigns]).")
@click.option("--state", "state_files", multiple=True, metavar="FILE",
              help="Commit this state file (repeatable) instead of the configuration's.")
@click.option("--attempts", type=click.IntRange(1, 20), default=5, show_default=True,
              help="Pushes to try, rebasing onto the branch between them.")
def ci_commit_state(env_name: str | None, config_file: str | None,
                    state_files: tuple[str, ...], attempts: int) -> None:
    """Commit the state (and an unfinished apply's journal) and push it, rebasing with the
    state merge driver when the branch moved on. Token: PUSH_TOKEN (GitHub) or
    CAMPAIGNS_GITLAB_TOKEN (GitLab), sent as a header, never stored in the clone.

    Only a push refused because the branch moved on is tried again. When it ends without
    pushing (another apply recorded one of the same names with another ID, a hook refused
    the push, the fetch failed, the working tree has uncommitted changes), it exits 1,
    naming the cause and the commit that holds this job's IDs, and prints those IDs.
    """
    settings = settings_or_exit(config_file)
    with user_errors():
        files = list(state_files) or ci_ops.state_files(settings, env_name)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            _, secret = ci_ops.remote_secret()
            if secret:
                click.echo(f"::add-mask::{secret}")
        report, _ = ci_ops.push_state(files, attempts)
    for line in report.lines:
        click.echo(line)
    for line in report.errors:
        _tell(line, error=True)
    for line in report.ids:
        click.echo(line)
    if not report.ok:
        sys.exit(EXIT_ERROR)
