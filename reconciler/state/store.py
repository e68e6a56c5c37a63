"""Reading and writing the state file: atomically, refusing what it cannot trust, and
folding what a killed apply left behind."""

from __future__ import annotations

import contextlib
import glob
import json
import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from reconciler.schema import document_errors
from reconciler.secret import public_url
from reconciler.state.journal import Journal, journal_path, read_state_bytes, replay
from reconciler.state.model import (
    READABLE_VERSIONS,
    STATE_VERSION,
    Entry,
    State,
    StateError,
    dump,
)


def load(path: Path, api_url: str | None) -> State:
    """The state at `path` with its journal replayed, checked against the API it is used with
    (`api_url` None: not checked, for commands that do not talk to the API).

    A missing file is a new, empty state. A corrupt file or journal is an error, never
    silently replaced.
    """
    state = State(api_url=api_url or "")
    if path.exists() or path.is_symlink():
        state = parse_state(path, read_state_bytes(path))
        if api_url is not None and state.api_url != api_url:
            raise StateError(
                f"{path} belongs to {public_url(state.api_url)}, not {public_url(api_url)}: "
                "refusing to mix the "
                "sandbox and a real account (or two accounts). Use another state file "
                "(--state or CAMPAIGNS_STATE)."
            )
    state.file_fingerprint = state.fingerprint()
    replay(path, state)
    return state


_CONFLICT = re.compile(rb"^(<<<<<<<|=======|>>>>>>>)( |$)", re.MULTILINE)


def parse_state(path: Path, data: bytes) -> State:
    """A state file's bytes as a State; a clear error for anything it cannot trust."""
    marker = _CONFLICT.search(data)
    if marker:
        line = data[:marker.start()].count(b"\n") + 1
        shown = data[marker.start():].split(b"\n", 1)[0].decode("utf-8", "replace")
        raise StateError(
            f"{path}:{line}: the state holds a git conflict marker ({shown!r}); it was left "
            "as it is. If the merge driver is not set up in this clone, run `campaigns "
            f"state merge --install`, then `git checkout -m -- {path}` to merge again. If "
            "it is, the markers surround names that the two sides recorded with different "
            "IDs: both campaigns exist in the account; keep the right one by hand (`git "
            "checkout --ours` or `--theirs`, then `campaigns state import` for the other "
            "name if it is needed), and the next plan adopts the rest by name."
        )
    try:
        doc = json.loads(data.decode("utf-8"), object_pairs_hook=_unique_keys)
    except _DuplicateKey as dup:
        raise StateError(f"{_where_duplicate(path, data, dup.key)}: the key {dup.key!r} "
                         "appears twice; which one is meant cannot be told, so the state "
                         "was left as it is. Fix it by hand (a bad merge?).") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StateError(
            f"{path}: cannot be read as JSON ({exc}); it was left as it is. Restore it "
            "from git (git checkout -- FILE) or fix it by hand."
        ) from None
    state = _from_json(path, doc)
    state.exists = True
    return state


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for key, value in pairs:
        if key in doc:
            raise _DuplicateKey(key)
        doc[key] = value
    return doc


def _where_duplicate(path: Path, data: bytes, key: str) -> str:
    """`path:line:column` of a duplicate key: JSON's parser does not say, the YAML loader
    (which reads JSON and refuses duplicates with their place) does."""
    from reconciler.definitions.yamlsafe import YamlError, load  # only on this error path

    try:
        load(data)
    except YamlError as exc:
        return f"{path}:{exc.problem.line}:{exc.problem.column}"
    return str(path)


def _from_json(path: Path, doc: Any) -> State:
    """The state document, checked against the shipped schema (`campaigns schema state`):
    the one definition of the format."""
    version = doc.get("version") if isinstance(doc, Mapping) else None
    if isinstance(doc, Mapping) and (version not in READABLE_VERSIONS
                                     or isinstance(version, bool)):
        newer = isinstance(version, int) and not isinstance(version, bool) \
            and version > STATE_VERSION
        raise StateError(f"{path}: state version {version!r} is not supported (this tool "
                         f"reads versions {', '.join(map(str, READABLE_VERSIONS))})"
                         + ("; it was written by a newer zexa-campaigns: upgrade this one"
                            if newer else ""))
    problems = document_errors("state.schema.json", doc)
    if problems:
        raise StateError(f"{path}: is not a valid state file ({'; '.join(problems[:3])}); "
                         "it was left as it is. Restore it from git or fix it by hand.")
    return State(
        api_url=doc["api_url"],
        lineage=doc["lineage"],
        serial=doc["serial"],
        campaigns={str(name): Entry.from_json(e, f"{path}: campaigns.{name}")
                   for name, e in doc["campaigns"].items()},
    )


def save(path: Path, state: State) -> None:
    """Write the state atomically with the serial incremented, then drop the journal.

    Intents still unresolved are written back to a fresh journal, so that the next run
    knows a create may have happened.
    """
    state.serial += 1
    _atomic_write(path, dump(state.to_json()))
    state.exists = True
    state.replayed = False
    remove_temporaries(path)
    journal = journal_path(path)
    if state.pending:
        lines = "".join(
            json.dumps(i.to_record(state.lineage, state.api_url), sort_keys=True) + "\n"
            for i in state.pending.values()
        )
        _atomic_write(journal, lines)
    elif journal.exists():
        journal.unlink()
        _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make a rename or a removal in `folder` durable. Windows cannot open a folder as a
    file (PermissionError) and makes its renames durable without it: nothing to do there."""
    try:
        fd = os.open(folder or ".", os.O_RDONLY)
    except (PermissionError, IsADirectoryError):
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temporaries(path: Path) -> list[Path]:
    """Temporary files a writer killed before its rename left beside the state (and the
    journal's, whose names start the same)."""
    folder = path.parent if str(path.parent) else Path(".")
    return sorted(folder.glob(f".{glob.escape(path.name)}.*.tmp"))


def remove_temporaries(path: Path) -> None:
    """Only under the lock: no other writer can be between its write and its rename."""
    for tmp in temporaries(path):
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def needs_fold(path: Path, state: State) -> bool:
    """A killed apply left a journal or temporary files: the next writer tidies them."""
    return state.replayed or bool(temporaries(path))


def _atomic_write(path: Path, text: str) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:  # "\n" on Windows too
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_dir(folder)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise



@contextlib.contextmanager
def recording(path: Path, state: State) -> Iterator[Journal]:
    """A journal for a writer's events; on the way out, however it ends, the journal is
    closed and folded into a saved state (unresolved intents are kept)."""
    journal = Journal(path, state)
    try:
        yield journal
    finally:
        journal.close()
        save(path, state)
