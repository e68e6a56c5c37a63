"""Apply's progress as a reader sees it: plain lines in a log; on a terminal, each event
above a bar that is redrawn in place. The terminal is emulated (carriage return, newline,
wrapping at its width), and no escape sequence may be written: a Windows console without
virtual-terminal processing would print it."""

from __future__ import annotations

import io

from reconciler.plan import Action
from reconciler.plan.work import Event, Step
from reconciler.render.progress import Progress


def screen(written: str, columns: int = 80) -> list[str]:
    """The rows a terminal `columns` wide shows after `written`."""
    assert "\x1b" not in written
    rows: list[list[str]] = [[]]
    row = col = 0
    for ch in written:
        if ch == "\r":
            col = 0
        elif ch == "\n":
            row, col = row + 1, 0
        else:
            if col == columns:  # the terminal wraps
                row, col = row + 1, 0
            while len(rows) <= row:
                rows.append([])
            line = rows[row]
            line.extend(" " * (col + 1 - len(line)))
            line[col] = ch
            col += 1
        while len(rows) <= row:
            rows.append([])
    return ["".join(r).rstrip() for r in rows]


def work_item(name: str) -> Step:
    return Step(Action.CREATE, name, "sms", "sha256:x", "f.yaml", 3, 1)


def test_a_log_gets_one_plain_line_an_event() -> None:
    plain = io.StringIO()
    Progress(2, plain, tty=False)(Event("created", work_item("A"), "cmp_1"))
    assert plain.getvalue() == "  [1/2] + created 'A' (cmp_1)\n"


def test_a_terminal_shows_every_event_whole_above_one_bar() -> None:
    tty = io.StringIO()
    progress = Progress(2, tty, tty=True, columns=80)
    progress(Event("created", work_item("A"), "cmp_1"))
    assert screen(tty.getvalue()) == ["  + created 'A' (cmp_1)",
                                      "[###############...............] 1/2"]
    long_name = "Spring sale " * 10  # longer than the terminal: the event wraps, whole
    progress(Event("failed", work_item(long_name), "the API refused it"))
    shown = screen(tty.getvalue())
    assert shown[0] == "  + created 'A' (cmp_1)"
    assert "".join(shown[1:-1]).endswith("failed: the API refused it")
    assert shown[-1] == "[##############################] 2/2"
    progress.finish()
    assert screen(tty.getvalue())[-1] == ""  # the bar is gone; the events stay


def test_waiting_is_a_countdown_on_a_terminal_and_a_line_a_minute_in_a_log() -> None:
    now = [0.0]
    log = io.StringIO()
    progress = Progress(3, log, tty=False, monotonic=lambda: now[0])
    for second in range(0, 130, 1):
        now[0] = float(second)
        progress.waiting(130 - second, 2)
    lines = log.getvalue().splitlines()
    assert [line.split()[1] for line in lines] == ["130", "70", "10"]  # at 0, 60 and 120 s
    assert "2 creates whose answer was lost" in lines[0]
    terminal = io.StringIO()
    tty = Progress(3, terminal, tty=True, columns=60)
    tty.waiting(120.4, 1)
    tty.waiting(9.4, 1)  # one character shorter: the old last character must not remain
    assert screen(terminal.getvalue(), 60) == [
        "  waiting 9 s for 1 create whose answer was lost: then the"]
    tty(Event("created", work_item("A"), "cmp_1"))
    assert screen(terminal.getvalue(), 60) == ["  + created 'A' (cmp_1)",
                                               "[##########....................] 1/3"]
