"""Reading a file the user named, safely: only a regular file, and only so much of it."""

from __future__ import annotations

import os
import stat


def read_regular_file(file: str, limit: int) -> tuple[str | None, bytes]:
    """(problem, bytes): only a regular file of at most `limit` bytes is read.

    A FIFO would block the read forever and a device (a link to /dev/zero) never end, so
    the kind is checked with `stat` before the file is opened, and the read is bounded.
    """
    try:
        info = os.stat(file)
        if not stat.S_ISREG(info.st_mode):
            return (f"is not a regular file ({_kind(info.st_mode)}); only regular files "
                    "are read"), b""
        if info.st_size > limit:
            return f"is larger than {limit // (1024 * 1024)} MiB; split it", b""
        with open(file, "rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        return f"cannot be read: {exc.strerror}", b""
    if len(data) > limit:
        return f"is larger than {limit // (1024 * 1024)} MiB; split it", b""
    return None, data


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a file"
