"""The writers' lock: one writer per state file at a time, released by the kernel when its
holder dies, naming its holder for the message a second writer gets.

The operating system's lock comes from portalocker (flock on POSIX, LockFileEx on
Windows). It locks a file object this module opened itself, so the lock file can carry
the holder's name and be removed on release with an inode check; filelock, the other
well-kept choice, opens (and truncates) its own file and offers neither. Only `apply` and
the `state` commands that write import this module: `validate` and `plan` never do.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO

import portalocker
from portalocker.exceptions import LockException

from reconciler.state.model import StateLocked, utc_now


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")



@dataclass(frozen=True)
class LockHolder:
    pid: int
    host: str
    since: str
    command: str

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host} since {self.since} ({self.command})"


def read_holder(path: Path) -> LockHolder | None:
    try:
        doc = json.loads(_lock_path(path).read_text("utf-8"))
        return LockHolder(int(doc["pid"]), str(doc["host"]), str(doc["since"]),
                          str(doc["command"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


@contextlib.contextmanager
def locked(path: Path, command: str, timeout: float = 0.0,
           sleep: Any = time.sleep) -> Iterator[LockHolder]:
    """Hold the state's lock for a writer.

    The lock is an `flock` on `FILE.lock`: the kernel releases it when its holder dies, so
    a cancelled CI job cannot wedge later runs. The file names the holder, for the message
    a second writer gets.
    """
    lock_file = _lock_path(path)
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout
    while True:
        handle: BinaryIO = open(lock_file, "a+b")  # noqa: SIM115 - held until release
        try:
            portalocker.lock(handle, portalocker.LOCK_EX | portalocker.LOCK_NB)
        except LockException:
            handle.close()
            if time.monotonic() >= deadline:
                holder = read_holder(path)
                who = holder.describe() if holder else "another process"
                raise StateLocked(
                    f"{path} is locked by {who}. Wait for it, pass --lock-timeout SECONDS, "
                    "or, if that process is gone and the lock remains (a network file "
                    "system), run `campaigns state unlock`."
                ) from None
            sleep(0.2)
            continue
        # A concurrent `state unlock` (or a holder's release) may have removed the file we
        # locked: lock the new one.
        try:
            same = os.fstat(handle.fileno()).st_ino == os.stat(lock_file).st_ino
        except FileNotFoundError:
            same = False
        if not same:
            handle.close()
            continue
        break
    holder = LockHolder(os.getpid(), socket.gethostname(), utc_now(), command)
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps(asdict(holder)).encode())
    handle.flush()
    try:
        yield holder
    finally:
        # Removed while still held, so no lock file is left behind in the repository; a
        # waiter that locked this inode meanwhile sees it is gone and locks the new one.
        with contextlib.suppress(OSError):
            lock_file.unlink()
        portalocker.unlock(handle)
        handle.close()


def force_unlock(path: Path) -> LockHolder | None:
    """Remove the lock file; returns who held it, if it said."""
    holder = read_holder(path)
    with contextlib.suppress(FileNotFoundError):
        _lock_path(path).unlink()
    return holder


