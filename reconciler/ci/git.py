"""git, as the CI steps and `state merge --install` use it: a runner that turns a failure
into one message, and the state files' merge driver set up in a clone."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from reconciler.errors import UserError
from reconciler.secret import Secret

DRIVER = "campaigns-state"
DRIVER_COMMAND = "campaigns state merge %O %A %B"


class GitError(UserError):
    """git failed, or is not installed."""


class Git:
    """Runs git in `folder`; `remote_options` (such as an auth header) go before every
    command that talks to the remote, and never into the clone's configuration. What git
    says is masked of every one of `secrets` (the push token, and its header) before it is
    shown."""

    def __init__(self, folder: Path = Path("."), remote_options: Sequence[str] = (),
                 secrets: Sequence[Secret] = ()) -> None:
        self.folder = folder
        self.remote_options = list(remote_options)
        self.secrets = list(secrets)

    def mask(self, text: str) -> str:
        for secret in self.secrets:
            text = secret.redact(text)
        return text

    def run(self, *args: str, check: bool = True,
            remote: bool = False) -> subprocess.CompletedProcess[str]:
        command = ["git", *(self.remote_options if remote else []), *args]
        try:
            # git writes UTF-8 whatever the code page (Windows' would be cp1252).
            done = subprocess.run(command, cwd=self.folder, capture_output=True,
                                  encoding="utf-8", errors="replace")
        except FileNotFoundError:
            raise GitError("git is not installed") from None
        if check and done.returncode != 0:
            raise GitError(f"git {' '.join(args[:2])} failed: "
                           f"{self.mask((done.stderr or done.stdout).strip())}")
        return done

    def out(self, *args: str) -> str:
        return self.run(*args).stdout.strip()

    def ok(self, *args: str) -> bool:
        return self.run(*args, check=False).returncode == 0


def install_driver(git: Git, state_files: Sequence[str], attributes: Path) -> list[str]:
    """The merge driver in the clone's configuration, and an `attributes` line for each
    state file (relative to the clone's top). Idempotent; returns the lines it added."""
    git.run("config", f"merge.{DRIVER}.name", "zexa-campaigns state files")
    git.run("config", f"merge.{DRIVER}.driver", DRIVER_COMMAND)
    text = attributes.read_text("utf-8") if attributes.exists() else ""
    present = {line.split()[0] for line in text.splitlines()
               if len(line.split()) > 1 and f"merge={DRIVER}" in line.split()[1:]}
    added = []
    for state_file in dict.fromkeys(state_files):
        pattern = "/" + Path(state_file).as_posix().removeprefix("./").lstrip("/")
        if pattern not in present:
            added.append(f"{pattern} merge={DRIVER}")
    if added:
        attributes.parent.mkdir(parents=True, exist_ok=True)
        separator = "" if not text or text.endswith("\n") else "\n"
        attributes.write_text(text + separator + "\n".join(added) + "\n", "utf-8",
                              newline="\n")
    return added
