"""A definition file as it was sent, read back from git by its blob ID.

The state records, for each campaign, the git blob ID of the definition file's bytes it was
created or adopted from (`blob_id`: computed here from the bytes that were parsed, with no
git call). When the definition changes afterwards, the plan asks git for that blob
(`git cat-file blob ID`, run in the definitions' repository) to show what changed. A blob
that is not there (not a git repository, a shallow or partial clone, a file never
committed) is a plain reason with what to do, never an error of the plan.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from functools import lru_cache
from pathlib import Path

GIT_TIMEOUT = 10.0  # seconds for one git call: a local object read takes milliseconds


@lru_cache(maxsize=64)  # the campaigns of one file share its bytes: hashed once
def blob_id(data: bytes) -> str:
    """The ID git gives a file of these bytes (SHA-1 of `blob <length>\\0` and the bytes), as
    `git hash-object` prints it for a file stored as it is (no line-ending conversion)."""
    digest = hashlib.sha1(b"blob %d\0" % len(data), usedforsecurity=False)
    digest.update(data)
    return digest.hexdigest()


class BlobUnavailable(Exception):
    """The file as sent cannot be read from git; the message says why and what to do."""


def _git_env() -> dict[str, str]:
    env = dict(os.environ)
    # A partial clone would fetch a missing blob from its remote: never from a plan.
    env["GIT_NO_LAZY_FETCH"] = "1"
    env["GIT_TERMINAL_PROMPT"] = "0"
    env.pop("GIT_DIR", None)  # the repository is the one the definitions are in
    env.pop("GIT_WORK_TREE", None)
    return env


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=GIT_TIMEOUT, env=_git_env(),
                          check=False)


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else "no message"


class GitBlobs:
    """Reads blobs from the git repository that holds the definitions; each blob (and each
    reason it cannot be read) is asked of git once."""

    def __init__(self) -> None:
        self._read: dict[str, bytes | BlobUnavailable] = {}

    def read(self, blob: str, near: str) -> bytes:
        """The blob's bytes, from the repository that holds the file `near` (a definition
        file now; its folder when it is gone); BlobUnavailable when it cannot be read."""
        found = self._read.get(blob)
        if found is None:
            found = self._read[blob] = self._ask(blob, _folder_of(near))
        if isinstance(found, BlobUnavailable):
            raise found
        return found

    def _ask(self, blob: str, folder: Path) -> bytes | BlobUnavailable:
        short = blob[:12]
        try:
            done = _git(folder, "cat-file", "blob", blob)
        except FileNotFoundError:
            return BlobUnavailable(f"git is not installed here, and the file as sent (blob "
                                   f"{short}) is read from the repository with it")
        except subprocess.TimeoutExpired:
            return BlobUnavailable(f"git did not answer within {GIT_TIMEOUT:.0f} s when asked "
                                   f"for the file as sent (blob {short})")
        except OSError as error:
            return BlobUnavailable(f"git could not be run ({error.strerror or error})")
        if done.returncode == 0:
            return done.stdout
        return BlobUnavailable(self._why_missing(folder, short, done.stderr))

    def _why_missing(self, folder: Path, short: str, stderr: bytes) -> str:
        """Why git has no such blob here, and how to get it."""
        try:
            inside = _git(folder, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository")
        except (OSError, subprocess.TimeoutExpired):
            return f"git could not read the file as sent (blob {short}): {_first_line(stderr)}"
        answers = inside.stdout.decode("utf-8", "replace").split()
        if inside.returncode != 0 or not answers or answers[0] != "true":
            return (f"the definitions are not in a git repository here "
                    f"({_first_line(inside.stderr)}), so the file as sent (blob {short}) "
                    "cannot be read; run the plan in a clone of the repository")
        if answers[1:2] == ["true"]:
            return (f"this clone is shallow and does not hold the file as sent (blob {short}); "
                    "fetch the history: `git fetch --unshallow`, or `fetch-depth: 0` for "
                    "actions/checkout, `GIT_DEPTH: 0` in GitLab CI")
        return (f"the repository does not hold the file as sent (blob {short}): it was applied "
                "from a file never committed (or added) here, or this clone lacks those "
                "commits (fetch them: `git fetch`; a partial clone needs the blobs too)")


def _folder_of(file: str) -> Path:
    path = Path(file)
    folder = path if path.is_dir() else path.parent
    while not folder.is_dir() and folder != folder.parent:  # the file's folder is gone
        folder = folder.parent
    return folder if str(folder) else Path(".")
