"""The journal: one line per event of an apply, appended and fsynced before the worker that
made it sends anything else, so that an acknowledged ID is on disk at a cost that does not
depend on how many campaigns the state holds. Loading the state replays it.

Group commit: records that arrive while an fsync is running wait for the next one, which
covers them all; so N workers finishing together pay for about two fsyncs, not N in a row.
No call returns before an fsync that started after its line was written has finished,
except `record_later`, whose acknowledgement waits for that fsync instead: a worker writes
a create's record and goes on to the next create's intent, and the one fsync that the
intent waits for covers both.
"""

from __future__ import annotations

import json
import math
import os
import threading
from collections import deque
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, get_args

from reconciler import clock
from reconciler.files import read_regular_file
from reconciler.secret import public_url
from reconciler.state.model import Entry, Intent, JournalOp, State, StateError


def _nothing() -> None:
    pass


MAX_STATE_BYTES = 1024 * 1024 * 1024
JOURNAL_OPS: tuple[JournalOp, ...] = get_args(JournalOp)


def read_state_bytes(path: Path) -> bytes:
    """A state or journal file's bytes; a named pipe, a folder or a device is refused
    before it is opened (reading a pipe would wait for ever)."""
    problem, data = read_regular_file(str(path), MAX_STATE_BYTES)
    if problem:
        raise StateError(f"{path} {problem}")
    return data


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + ".journal")



def replay(path: Path, state: State) -> None:
    journal = journal_path(path)
    if not (journal.exists() or journal.is_symlink()):
        return
    state.replayed = True
    data = read_state_bytes(journal)
    lines = data.split(b"\n")
    first = True
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            if number == len(lines) and not data.endswith(b"\n"):
                # A line cut short by a crash while it was written: its event had not been
                # acknowledged to anyone. (If it was a create, the next plan finds the
                # campaign in the account and adopts it.)
                break
            raise StateError(
                f"{journal}:{number}: the journal is corrupt; it was left as it is. "
                "Inspect it: each line is one event of an interrupted apply."
            ) from None
        _apply_record(journal, number, state, record, first)
        first = False


def _apply_record(journal: Path, number: int, state: State, record: Any,
                  first: bool) -> None:
    where = f"{journal}:{number}"
    if not isinstance(record, Mapping):
        raise StateError(f"{where}: a journal record must be an object")
    if first and not state.exists:
        _adopt_lineage(where, state, record)
    if record.get("lineage") != state.lineage:
        raise StateError(f"{where}: the journal belongs to another state (lineage differs); "
                         "it was left as it is")
    op, name = record.get("op"), record.get("name")
    if not isinstance(name, str):
        raise StateError(f"{where}: journal record without a name")
    if op not in JOURNAL_OPS:
        raise StateError(f"{where}: unknown journal record {op!r}")
    _REPLAY[op](state, name, record, where)


def _adopt_lineage(where: str, state: State, record: Mapping[str, Any]) -> None:
    """The first apply with this state was interrupted before the state file was written:
    the journal alone says which lineage (and API) it belongs to."""
    recorded_url = record.get("api_url")
    if state.api_url and isinstance(recorded_url, str) and recorded_url != state.api_url:
        raise StateError(f"{where}: the journal belongs to {public_url(recorded_url)}, "
                         f"not {public_url(state.api_url)}; it was left as it is")
    if isinstance(record.get("lineage"), str):
        state.lineage = str(record["lineage"])


def _replay_intent(state: State, name: str, record: Mapping[str, Any], where: str) -> None:
    state.pending[name] = _intent(record, name, where)


def _replay_record(state: State, name: str, record: Mapping[str, Any], where: str) -> None:
    state.campaigns[name] = Entry.from_json(record.get("entry"), where)
    state.pending.pop(name, None)


def _replay_resolved(state: State, name: str, record: Mapping[str, Any], where: str) -> None:
    state.pending.pop(name, None)


def _replay_forget(state: State, name: str, record: Mapping[str, Any], where: str) -> None:
    state.campaigns.pop(name, None)


def _replay_move(state: State, name: str, record: Mapping[str, Any], where: str) -> None:
    new = record.get("to")
    if isinstance(new, str) and name in state.campaigns:
        state.campaigns[new] = state.campaigns.pop(name)


# How each kind of line changes the state as it is replayed.
_REPLAY: dict[JournalOp, Callable[[State, str, Mapping[str, Any], str], None]] = {
    "intent": _replay_intent,
    "record": _replay_record,
    "resolved": _replay_resolved,
    "forget": _replay_forget,
    "move": _replay_move,
}
assert set(_REPLAY) == set(JOURNAL_OPS)


def _intent(record: Mapping[str, Any], name: str, where: str) -> Intent:
    epoch: Any = record.get("epoch")
    server_epoch: Any = record.get("server_epoch")
    if not _seconds(epoch):
        raise StateError(f"{where}: an intent's `epoch` must be a number of seconds")
    if server_epoch is not None and not _seconds(server_epoch):
        raise StateError(f"{where}: an intent's `server_epoch` must be a number of seconds "
                         "or null")
    return Intent(name, str(record.get("key")), str(record.get("at")), float(epoch),
                  None if server_epoch is None else float(server_epoch))


def _seconds(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) \
        and math.isfinite(value)


def _line(op: JournalOp, name: str, **fields: Any) -> dict[str, Any]:
    """A journal line's record (`_append` adds the lineage and the API)."""
    return {"op": op, "name": name, **fields}


class Journal:
    """Appends events of one apply; each is on disk (fsync) before its method returns, or,
    for `record_later`, before its acknowledgement runs. Safe to call from many threads:
    concurrent records share fsyncs (group commit)."""

    def __init__(self, path: Path, state: State) -> None:
        self.path = journal_path(path)
        self.state = state
        # O_BINARY exists on Windows only: without it, "\n" would be written as "\r\n".
        binary = getattr(os, "O_BINARY", 0)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | binary, 0o644)
        self._mutex = threading.Lock()
        self._synced = threading.Condition(self._mutex)
        self._written = 0  # sequence number of the last line written
        self._durable = 0  # every line up to this one is covered by a finished fsync
        self._syncing = False
        # Lines not yet on disk: (sequence number, the change to the state in memory and the
        # acknowledgement, both made once the line is on disk).
        self._later: deque[tuple[int, Callable[[], object], Callable[[], object]]] = deque()
        self.fsyncs = 0

    def _append(self, record: dict[str, Any], then: Callable[[], object] | None = None,
                *, acknowledge: Callable[[], object] | None = None) -> None:
        """Write the line, wait until an fsync covers it, then run `then` (the change to the
        state in memory), all before returning.

        With `acknowledge`, return at once instead: once the first fsync that covers the
        line has finished, whichever thread saw it finish makes the change to the state
        and runs `acknowledge` (see `sync`). Changes are made in the order the lines were
        written, whichever way they were written."""
        record["lineage"] = self.state.lineage
        record["api_url"] = self.state.api_url
        line = (json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
        with self._mutex:
            os.write(self._fd, line)  # one write: a crash leaves a whole line or a torn last one
            self._written += 1
            self._later.append((self._written, then or _nothing, acknowledge or _nothing))
            if acknowledge is not None:
                return
            acks = self._settle(self._written)
        for ack in acks:  # outside the mutex: an acknowledgement may print or take locks
            ack()

    def _settle(self, line: int) -> list[Callable[[], object]]:
        """Holding the mutex: wait until every line up to `line` is on disk, make the
        changes of the lines now on disk, and return their acknowledgements, to be run once
        the mutex is released."""
        while self._durable < line:
            if self._syncing:  # an fsync is running: it may have started before our
                self._synced.wait()  # write, so wait for it and look again
                continue
            self._syncing = True
            covered = self._written  # every line written so far
            self._mutex.release()
            try:
                os.fsync(self._fd)
            finally:
                self._mutex.acquire()
                self._syncing = False
                self._synced.notify_all()
            self._durable = max(self._durable, covered)
            self.fsyncs += 1
        acks: list[Callable[[], object]] = []
        while self._later and self._later[0][0] <= self._durable:
            _, change, ack = self._later.popleft()
            change()
            acks.append(ack)
        return acks

    def sync(self) -> None:
        """When this returns, every line written so far is on disk and every deferred
        change and acknowledgement has been made."""
        with self._mutex:
            acks = self._settle(self._written)
        for ack in acks:
            ack()

    def intent(self, name: str, key: str, server_epoch: float | None = None) -> None:
        """A create of `name` is about to be sent; `server_epoch` is the server's clock
        now, at the latest (None when unknown)."""
        moment = clock.now()
        intent = Intent(name, key, clock.utc_text(moment), moment.timestamp(), server_epoch)

        def apply() -> None:
            self.state.pending[name] = intent

        self._append(intent.to_record(self.state.lineage, self.state.api_url), apply)

    def record(self, name: str, entry: Entry) -> None:
        self._append(_line("record", name, entry=entry.to_json()), self._recorded(name, entry))

    def record_later(self, name: str, entry: Entry,
                     acknowledge: Callable[[], object]) -> None:
        """Write the record and return at once. The worker's next intent waits for the fsync
        that covers both, instead of one each. Once that fsync has finished, the state in
        memory takes the entry and `acknowledge` runs (it may tell the user the ID); `sync`
        makes sure it happens."""
        self._append(_line("record", name, entry=entry.to_json()), self._recorded(name, entry),
                     acknowledge=acknowledge)

    def _recorded(self, name: str, entry: Entry) -> Callable[[], None]:
        def apply() -> None:
            self.state.campaigns[name] = entry
            self.state.pending.pop(name, None)

        return apply

    def resolved(self, name: str) -> None:
        """A sent create failed for certain: nothing was created."""
        self._append(_line("resolved", name),
                     lambda: self.state.pending.pop(name, None))

    def move(self, old: str, new: str) -> None:
        def apply() -> None:
            if old in self.state.campaigns:
                self.state.campaigns[new] = self.state.campaigns.pop(old)

        self._append(_line("move", old, to=new), apply)

    def forget(self, name: str) -> None:
        self._append(_line("forget", name),
                     lambda: self.state.campaigns.pop(name, None))

    def close(self) -> None:
        try:
            self.sync()
        finally:
            os.close(self._fd)

