"""The state file: which campaign ID belongs to which definition, and how it got there.

`campaigns.state.json` is JSON, sorted and indented, committed next to the definitions,
so that its diff in a pull request shows exactly the IDs that were added. Beside it, while
an apply runs, `campaigns.state.json.journal` receives one line per event, appended and
fsynced before the worker that made it starts anything else: an acknowledged `cmp_` ID is
on disk at a cost that does not depend on how many campaigns the state holds. Loading
replays the journal; the end of an apply folds it into the state (atomically: temporary
file, fsync, rename) and removes it. A writer holds `campaigns.state.json.lock`.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import glob
import hashlib
import json
import math
import os
import socket
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from reconciler import clock
from reconciler.remote import is_campaign_id

STATE_VERSION = 1
DEFAULT_STATE = "campaigns.state.json"

Origin = Literal["created", "adopted"]


class StateError(Exception):
    """The state cannot be used as it is; the message says what to do."""


class StateLocked(StateError):
    pass


def utc_now() -> str:
    return clock.utc_text(clock.now())


@dataclass(frozen=True)
class Entry:
    """One managed campaign."""

    id: str
    channel: str
    digest: str  # of the definition it was created from (or adopted with)
    origin: Origin
    at: str  # when it was created or adopted (UTC)
    file: str  # the definition file, as given on the command line

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "channel": self.channel, "digest": self.digest,
                "origin": self.origin, "at": self.at, "file": self.file}

    @classmethod
    def from_json(cls, doc: Any, where: str) -> Entry:
        if not isinstance(doc, Mapping):
            raise StateError(f"{where}: an entry must be an object")
        try:
            entry = cls(**{k: str(doc[k]) for k in ("id", "channel", "digest", "origin", "at",
                                                     "file")})  # type: ignore[arg-type]
        except KeyError as missing:
            raise StateError(f"{where}: entry has no {missing}") from None
        if not is_campaign_id(entry.id) or entry.origin not in ("created", "adopted"):
            raise StateError(f"{where}: entry has an invalid id or origin")
        return entry


@dataclass(frozen=True)
class Intent:
    """A create that was sent, and whose result the journal does not (yet) hold."""

    name: str
    key: str  # the Idempotency-Key it was sent with
    at: str
    at_epoch: float


@dataclass
class State:
    api_url: str
    lineage: str = field(default_factory=lambda: str(uuid.uuid4()))
    serial: int = 0
    campaigns: dict[str, Entry] = field(default_factory=dict)
    pending: dict[str, Intent] = field(default_factory=dict)  # replayed from the journal
    exists: bool = False
    replayed: bool = False  # a journal was found beside the state: the next save folds it

    def fingerprint(self) -> str:
        """What a saved plan was made against: lineage, serial and every entry."""
        doc = {"lineage": self.lineage if self.exists else None, "serial": self.serial,
               "campaigns": {k: v.to_json() for k, v in sorted(self.campaigns.items())}}
        canonical = json.dumps(doc, sort_keys=True, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()

    def by_id(self) -> dict[str, str]:
        return {entry.id: name for name, entry in self.campaigns.items()}

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "lineage": self.lineage,
            "serial": self.serial,
            "api_url": self.api_url,
            "campaigns": {name: e.to_json() for name, e in self.campaigns.items()},
        }


def _journal_path(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _dump(doc: Any) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def load(path: Path, api_url: str | None) -> State:
    """The state at `path` with its journal replayed, checked against the API it is used with
    (`api_url` None: not checked, for commands that do not talk to the API).

    A missing file is a new, empty state. A corrupt file or journal is an error, never
    silently replaced.
    """
    state = State(api_url=api_url or "")
    if path.exists():
        try:
            data = path.read_bytes()
            doc = json.loads(data.decode("utf-8"), object_pairs_hook=_unique_keys)
        except _DuplicateKey as dup:
            raise StateError(f"{_where_duplicate(path, data, dup.key)}: the key {dup.key!r} "
                             "appears twice; which one is meant cannot be told, so the state "
                             "was left as it is. Fix it by hand (a bad merge?).") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise StateError(
                f"{path}: cannot be read as JSON ({exc}); it was left as it is. Restore it "
                "from git (git checkout -- FILE) or fix it by hand."
            ) from None
        state = _from_json(path, doc)
        state.exists = True
        if api_url is not None and state.api_url != api_url:
            raise StateError(
                f"{path} belongs to {state.api_url}, not {api_url}: refusing to mix the "
                "sandbox and a real account (or two accounts). Use another state file "
                "(--state or CAMPAIGNS_STATE)."
            )
    _replay(path, state)
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
    from reconciler.yamlsafe import YamlError, load  # only on this error path

    try:
        load(data)
    except YamlError as exc:
        return f"{path}:{exc.problem.line}:{exc.problem.column}"
    return str(path)


def _from_json(path: Path, doc: Any) -> State:
    if not isinstance(doc, Mapping):
        raise StateError(f"{path}: is not a state file (not a JSON object)")
    version = doc.get("version")
    if version != STATE_VERSION:
        raise StateError(f"{path}: state version {version!r} is not supported "
                         f"(this tool reads version {STATE_VERSION})")
    lineage, serial, api_url = doc.get("lineage"), doc.get("serial"), doc.get("api_url")
    campaigns = doc.get("campaigns")
    if not isinstance(lineage, str) or not isinstance(serial, int) or isinstance(
        serial, bool
    ) or serial < 0 or not isinstance(
        api_url, str
    ) or not isinstance(campaigns, Mapping):
        raise StateError(f"{path}: needs lineage, serial, api_url and campaigns")
    return State(
        api_url=api_url,
        lineage=lineage,
        serial=serial,
        campaigns={str(name): Entry.from_json(e, f"{path}: campaigns.{name}")
                   for name, e in campaigns.items()},
    )


def _replay(path: Path, state: State) -> None:
    journal = _journal_path(path)
    if not journal.exists():
        return
    state.replayed = True
    data = journal.read_bytes()
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
        # The first apply with this state was interrupted before the state file was
        # written: the journal alone says which lineage (and API) it belongs to.
        recorded_url = record.get("api_url")
        if state.api_url and isinstance(recorded_url, str) and recorded_url != state.api_url:
            raise StateError(f"{where}: the journal belongs to {recorded_url}, not "
                             f"{state.api_url}; it was left as it is")
        if isinstance(record.get("lineage"), str):
            state.lineage = str(record["lineage"])
    if record.get("lineage") != state.lineage:
        raise StateError(f"{where}: the journal belongs to another state (lineage differs); "
                         "it was left as it is")
    op, name = record.get("op"), record.get("name")
    if not isinstance(name, str):
        raise StateError(f"{where}: journal record without a name")
    if op == "intent":
        epoch = record.get("epoch")
        if not isinstance(epoch, (int, float)) or isinstance(epoch, bool) \
                or not math.isfinite(epoch):
            raise StateError(f"{where}: an intent's `epoch` must be a number of seconds")
        state.pending[name] = Intent(name, str(record.get("key")), str(record.get("at")),
                                     float(epoch))
    elif op == "record":
        state.campaigns[name] = Entry.from_json(record.get("entry"), where)
        state.pending.pop(name, None)
    elif op == "resolved":
        state.pending.pop(name, None)
    elif op == "forget":
        state.campaigns.pop(name, None)
    elif op == "move":
        new = record.get("to")
        if isinstance(new, str) and name in state.campaigns:
            state.campaigns[new] = state.campaigns.pop(name)
    else:
        raise StateError(f"{where}: unknown journal record {op!r}")


def save(path: Path, state: State) -> None:
    """Write the state atomically with the serial incremented, then drop the journal.

    Intents still unresolved are written back to a fresh journal, so that the next run
    knows a create may have happened.
    """
    state.serial += 1
    _atomic_write(path, _dump(state.to_json()))
    state.exists = True
    state.replayed = False
    remove_temporaries(path)
    journal = _journal_path(path)
    if state.pending:
        lines = "".join(
            json.dumps({"op": "intent", "lineage": state.lineage, "api_url": state.api_url,
                        "name": i.name,
                        "key": i.key, "at": i.at, "epoch": i.at_epoch}, sort_keys=True) + "\n"
            for i in state.pending.values()
        )
        _atomic_write(journal, lines)
    elif journal.exists():
        journal.unlink()
        _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder or ".", os.O_RDONLY)
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
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_dir(folder)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class Journal:
    """Appends events of one apply; each is on disk (fsync) before `append` returns."""

    def __init__(self, path: Path, state: State) -> None:
        self.path = _journal_path(path)
        self.state = state
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def _append(self, record: dict[str, Any]) -> None:
        record["lineage"] = self.state.lineage
        record["api_url"] = self.state.api_url
        line = (json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
        os.write(self._fd, line)  # one write: a crash leaves a whole line or a torn last one
        os.fsync(self._fd)

    def intent(self, name: str, key: str) -> None:
        moment = clock.now()
        at, epoch = clock.utc_text(moment), moment.timestamp()
        self._append({"op": "intent", "name": name, "key": key, "at": at, "epoch": epoch})
        self.state.pending[name] = Intent(name, key, at, epoch)

    def record(self, name: str, entry: Entry) -> None:
        self._append({"op": "record", "name": name, "entry": entry.to_json()})
        self.state.campaigns[name] = entry
        self.state.pending.pop(name, None)

    def resolved(self, name: str) -> None:
        """A sent create failed for certain: nothing was created."""
        self._append({"op": "resolved", "name": name})
        self.state.pending.pop(name, None)

    def move(self, old: str, new: str) -> None:
        self._append({"op": "move", "name": old, "to": new})
        if old in self.state.campaigns:
            self.state.campaigns[new] = self.state.campaigns.pop(old)

    def forget(self, name: str) -> None:
        self._append({"op": "forget", "name": name})
        self.state.campaigns.pop(name, None)

    def close(self) -> None:
        os.close(self._fd)


def new_entry(entry_id: str, channel: str, digest: str, origin: Origin, file: str) -> Entry:
    return Entry(id=entry_id, channel=channel, digest=digest, origin=origin, at=utc_now(),
                 file=file)


# -- the lock -----------------------------------------------------------------------------


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
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
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
        # A concurrent `state unlock` may have removed the file we locked: lock the new one.
        try:
            same = os.fstat(fd).st_ino == os.stat(lock_file).st_ino
        except FileNotFoundError:
            same = False
        if not same:
            os.close(fd)
            continue
        break
    holder = LockHolder(os.getpid(), socket.gethostname(), utc_now(), command)
    os.ftruncate(fd, 0)
    os.write(fd, json.dumps(asdict(holder)).encode())
    try:
        yield holder
    finally:
        # Removed while still held, so no lock file is left behind in the repository; a
        # waiter that locked this inode meanwhile sees it is gone and locks the new one.
        with contextlib.suppress(OSError):
            lock_file.unlink()
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def force_unlock(path: Path) -> LockHolder | None:
    """Remove the lock file; returns who held it, if it said."""
    holder = read_holder(path)
    with contextlib.suppress(FileNotFoundError):
        _lock_path(path).unlink()
    return holder

