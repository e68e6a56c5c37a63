"""The state file, its journal and its lock."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from builders import entry

from reconciler.state import Journal, State, StateError, StateLocked, load, save
from reconciler.state.lock import locked


def fresh(tmp_path: Path) -> tuple[Path, State]:
    path = tmp_path / "campaigns.state.json"
    return path, load(path, "sandbox")


def test_a_missing_state_is_new_and_empty(tmp_path: Path) -> None:
    _, st = fresh(tmp_path)
    assert st.campaigns == {} and st.serial == 0 and not st.exists


def test_saved_state_is_sorted_indented_with_a_final_newline(tmp_path: Path) -> None:
    path, st = fresh(tmp_path)
    st.campaigns = {"B": entry("cmp_2"), "A": entry("cmp_1")}
    save(path, st)
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n") and text == json.dumps(json.loads(text), indent=2,
                                                          sort_keys=True) + "\n"
    doc = json.loads(text)
    assert list(doc["campaigns"]) == ["A", "B"]
    assert set(doc) == {"version", "lineage", "serial", "api_url", "campaigns"}


def test_serial_increments_and_lineage_stays(tmp_path: Path) -> None:
    path, st = fresh(tmp_path)
    save(path, st)
    again = load(path, "sandbox")
    save(path, again)
    third = load(path, "sandbox")
    assert (third.serial, third.lineage) == (2, st.lineage)


def test_a_state_for_another_api_is_refused(tmp_path: Path) -> None:
    path, st = fresh(tmp_path)
    save(path, st)
    with pytest.raises(StateError, match="belongs to sandbox"):
        load(path, "https://api.zexa.ao/v1")


def test_a_corrupt_state_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"version": 1, "campaigns": {', encoding="utf-8")
    with pytest.raises(StateError, match="cannot be read as JSON"):
        load(path, "sandbox")
    assert path.read_text(encoding="utf-8") == '{"version": 1, "campaigns": {'


def test_the_journal_is_replayed_after_a_crash(tmp_path: Path) -> None:
    path, st = fresh(tmp_path)
    save(path, st)
    st = load(path, "sandbox")
    journal = Journal(path, st)
    journal.intent("A", "key-a")
    journal.record("A", entry("cmp_1"))
    journal.intent("B", "key-b")  # ...and the process dies here
    journal.close()
    again = load(path, "sandbox")
    assert again.campaigns["A"].id == "cmp_1"
    assert list(again.pending) == ["B"]
    save(path, again)  # folding keeps the unresolved intent in a fresh journal
    assert list(load(path, "sandbox").pending) == ["B"]


def test_a_torn_last_journal_line_is_ignored_but_a_corrupt_middle_line_is_refused(
    tmp_path: Path,
) -> None:
    path, st = fresh(tmp_path)
    save(path, st)
    st = load(path, "sandbox")
    journal = Journal(path, st)
    journal.record("A", entry("cmp_1"))
    journal.close()
    jpath = tmp_path / "campaigns.state.json.journal"
    good = jpath.read_text(encoding="utf-8")
    jpath.write_text(good + '{"op": "record", "na', encoding="utf-8")
    assert load(path, "sandbox").campaigns["A"].id == "cmp_1"
    jpath.write_text('{"op": "rec\n' + good, encoding="utf-8")
    with pytest.raises(StateError, match="journal is corrupt"):
        load(path, "sandbox")
    assert jpath.read_text(encoding="utf-8") == '{"op": "rec\n' + good


def test_a_journal_of_another_lineage_is_refused(tmp_path: Path) -> None:
    path, st = fresh(tmp_path)
    save(path, st)
    (tmp_path / "campaigns.state.json.journal").write_text(
        json.dumps({"op": "resolved", "name": "A", "lineage": "other"}) + "\n", encoding="utf-8")
    with pytest.raises(StateError, match="lineage differs"):
        load(path, "sandbox")


def test_recording_an_id_appends_to_the_journal_and_never_rewrites_the_state(
    tmp_path: Path,
) -> None:
    path, st = fresh(tmp_path)
    st.campaigns = {f"C{i}": entry(f"cmp_{i}") for i in range(500)}
    save(path, st)
    before = path.stat()
    journal = Journal(path, st)
    for i in range(20):
        journal.record(f"N{i}", entry(f"cmp_n{i}"))
    journal.close()
    after = path.stat()
    assert (before.st_ino, before.st_size, before.st_mtime_ns) == (
        after.st_ino, after.st_size, after.st_mtime_ns)
    assert len((tmp_path / "campaigns.state.json.journal").read_text(
        encoding="utf-8").splitlines()) == 20


def take_lock(path: Path, command: str) -> None:
    with locked(path, command):
        pass


def test_a_second_writer_fails_fast_naming_the_holder(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    with locked(path, "campaigns apply campaigns/"), pytest.raises(StateLocked) as err:
        take_lock(path, "other")
    message = str(err.value)
    assert f"pid {os.getpid()}" in message and "campaigns apply campaigns/" in message
    assert "campaigns state unlock" in message


def test_lock_timeout_waits_for_the_holder(tmp_path: Path) -> None:
    """The waiter gets the lock only after the holder let go: the holder writes `released`
    as the last thing it does under the lock, and the waiter finds it there."""
    path = tmp_path / "s.json"
    released = tmp_path / "released"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from reconciler.state.lock import locked
        with locked(Path({str(path)!r}), "holder"):
            print("locked", flush=True)
            sys.stdin.readline()  # until the test has started waiting
            Path({str(released)!r}).write_text("yes")
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    assert holder.stdin is not None
    with pytest.raises(StateLocked):  # held: a waiter without a timeout is refused
        take_lock(path, "impatient")
    threading.Timer(0.2, lambda: (holder.stdin.write("go\n"), holder.stdin.flush())).start()
    with locked(path, "waiter", timeout=30):
        assert released.exists()
    holder.wait(timeout=10)


@pytest.mark.posix
def test_a_dead_holder_does_not_wedge_later_runs(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from pathlib import Path
        from reconciler.state.lock import locked
        with locked(Path({str(path)!r}), "doomed"):
            print("locked", flush=True)
            time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True, encoding="utf-8")
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    with pytest.raises(StateLocked, match="doomed"), locked(path, "too early"):
        pass
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    time.sleep(0.05)
    with locked(path, "after"):  # the kernel released the dead holder's lock
        pass


def test_no_lock_file_is_left_behind(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    with locked(path, "x"):
        assert (tmp_path / "s.json.lock").exists()
    assert not (tmp_path / "s.json.lock").exists()


def test_a_journal_left_by_an_interrupted_first_apply_is_replayed(tmp_path: Path) -> None:
    path, st = fresh(tmp_path)  # no state file yet
    journal = Journal(path, st)
    journal.record("A", entry("cmp_1"))
    journal.close()  # ...killed before the state was ever saved
    again = load(path, "sandbox")
    assert again.campaigns["A"].id == "cmp_1" and again.lineage == st.lineage
    with pytest.raises(StateError, match="belongs to sandbox"):
        load(path, "https://api.zexa.ao/v1")


def test_a_system_that_cannot_open_a_folder_still_saves_the_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows refuses to open a folder as a file, which the folder fsync after a rename
    does on POSIX: the state is saved all the same, and the journal removed."""
    from reconciler.state import store

    real_open = os.open

    def windows_open(path, flags, *args):  # type: ignore[no-untyped-def]
        if os.path.isdir(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(store.os, "open", windows_open)
    path = tmp_path / "campaigns.state.json"
    state = State(api_url="sandbox")
    with store.recording(path, state) as journal:
        journal.record("A", entry("cmp_a"))
    assert json.loads(path.read_text(encoding="utf-8"))["campaigns"]["A"]["id"] == "cmp_a"
    assert not (tmp_path / "campaigns.state.json.journal").exists()
