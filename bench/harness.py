"""What every benchmark shares: whole processes, interleaved with their baseline, the median
and the spread of several runs, the peak RSS the OS reports for each process, and the
definition files they read.

Each figure is a whole process (`python -m reconciler ...`, or the baseline script), so
imports, start-up and exit are counted as a user pays them. Runs are interleaved (A, B, A,
B, ...) so that a slow moment of the machine hits both sides alike.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

PYTHON = sys.executable
CAMPAIGNS = [PYTHON, "-m", "reconciler"]
HERE = Path(__file__).resolve().parent
# BENCH_SLOW_CHECKS=N: the tool's review checks take N times their time (slowed.py), in the
# processes the benchmarks start: the guard (goals.py --quick) must fail on N=2.
SLOW_CHECKS = "BENCH_SLOW_CHECKS"


def tool_command() -> list[str]:
    """How the benchmarks start `campaigns`: as installed, or slowed (see SLOW_CHECKS)."""
    if os.environ.get(SLOW_CHECKS):
        return [PYTHON, str(HERE / "slowed.py")]
    return CAMPAIGNS

# A definition as a user writes it. The timestamp is quoted, so that the parse floor does
# not spend time building datetime objects that the tool never builds (it reads
# timestamps as text and checks them itself).
#
# A hundred contact lists, and on each list one marketing campaign a day: a repository
# without review findings (marketing to one list closer than a day apart is a warning).
ENTRY = """\
  - name: {prefix} {i:06d}
    channel: {channel}
    contact_list_id: lst_bench{list_number:02d}
    sender_id: {sender}
    body: "Offer {i}: 20% off this weekend at myapp.ao. Responda STOP para cancelar."
    scheduled_at: "{when}T09:00:00+01:00"
    purpose: marketing
"""
LISTS = 100
FIRST_DAY = date(2099, 1, 1)
CHANNELS = [("sms", "BENCH"), ("telegram", "BenchBot"), ("email", "news@bench.example")]


def make_files(folder: Path, campaigns: int, per_file: int = 100,
               prefix: str = "Campaign") -> list[str]:
    """`campaigns` definitions in files of `per_file`; returns their names."""
    folder.mkdir(parents=True, exist_ok=True)
    names: list[str] = []
    for f in range(0, campaigns, per_file):
        parts = ["campaigns:\n"]
        for i in range(f, min(f + per_file, campaigns)):
            channel, sender = CHANNELS[i % len(CHANNELS)]
            when = (FIRST_DAY + timedelta(days=i // LISTS)).isoformat()
            parts.append(ENTRY.format(prefix=prefix, i=i, channel=channel, sender=sender,
                                      list_number=i % LISTS, when=when))
            names.append(f"{prefix} {i:06d}")
        (folder / f"file{f // per_file:05d}.yaml").write_text("".join(parts))
    return names


# The same repository written with `defaults:`: each file is one list's campaigns on one
# channel, from one sender, with one message and purpose; a campaign gives its name and
# its day.
DEFAULTS_HEAD = """\
defaults:
  channel: {channel}
  contact_list_id: lst_bench{list_number:02d}
  sender_id: {sender}
  body: "Offer of the day: 20% off this weekend at myapp.ao. Responda STOP para cancelar."
  purpose: marketing
campaigns:
"""
DEFAULTS_ENTRY = """\
  - name: {prefix} {i:06d}
    scheduled_at: "{when}T09:00:00+01:00"
"""


def make_defaults_files(folder: Path, campaigns: int, per_file: int = 100,
                        prefix: str = "Campaign") -> list[str]:
    """`campaigns` definitions in `defaults:` files of `per_file`; returns their names."""
    folder.mkdir(parents=True, exist_ok=True)
    names: list[str] = []
    for number, f in enumerate(range(0, campaigns, per_file)):
        channel, sender = CHANNELS[number % len(CHANNELS)]
        parts = [DEFAULTS_HEAD.format(channel=channel, sender=sender,
                                      list_number=number % LISTS)]
        for day, i in enumerate(range(f, min(f + per_file, campaigns))):
            when = (FIRST_DAY + timedelta(days=number // LISTS * per_file + day)).isoformat()
            parts.append(DEFAULTS_ENTRY.format(prefix=prefix, i=i, when=when))
            names.append(f"{prefix} {i:06d}")
        (folder / f"file{number:05d}.yaml").write_text("".join(parts))
    return names


def senders() -> list[dict[str, str]]:
    return [{"sender_id": s, "channel": c, "status": "approved"} for c, s in CHANNELS]


@dataclass
class Sample:
    seconds: float
    rss_mib: float


def run_process(argv: Sequence[str], env: Mapping[str, str] | None = None,
                ok: Sequence[int] = (0,)) -> Sample:
    """One whole process: wall time, and its peak resident memory from the OS (wait4)."""
    # As installed: bytecode cached (pip compiles a wheel's modules; an environment that
    # sets PYTHONDONTWRITEBYTECODE would make every run compile the tool from source).
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    proc = subprocess.Popen(list(argv), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**environ, **(env or {})})
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(argv[:6])} ... exited {proc.returncode}:\n"
                         f"{err.decode(errors='replace')[-2000:]}")
    return Sample(seconds, usage.ru_maxrss / 1024)  # Linux reports KiB


@dataclass
class Figures:
    samples: dict[str, list[Sample]] = field(default_factory=dict)

    def add(self, name: str, sample: Sample) -> None:
        self.samples.setdefault(name, []).append(sample)

    def median(self, name: str) -> float:
        return statistics.median(s.seconds for s in self.samples[name])

    def line(self, name: str, baseline: str | None = None) -> str:
        values = [s.seconds for s in self.samples[name]]
        rss = statistics.median(s.rss_mib for s in self.samples[name])
        ratio = f"{self.median(name) / self.median(baseline):5.2f}x" if baseline else ""
        return (f"  {name:44} {statistics.median(values):8.3f} s "
                f"({min(values):.3f}-{max(values):.3f})  {ratio:>6}  {rss:6.0f} MiB")


def interleave(commands: Mapping[str, Callable[[], Sample]], runs: int,
               before_each: Callable[[], None] | None = None) -> Figures:
    """Run each command `runs` times, alternating between them, after one run each that is
    not counted (it warms the file cache and writes the bytecode caches); `before_each`
    resets what a run changes (a fresh account, a fresh state)."""
    for command in commands.values():
        if before_each is not None:
            before_each()
        command()
    figures = Figures()
    for _ in range(runs):
        for name, command in commands.items():
            if before_each is not None:
                before_each()
            figures.add(name, command())
    return figures


def header(title: str, runs: int) -> None:
    print(f"\n{title}")
    print(f"  {runs} runs each, interleaved; median (min-max), ratio to the baseline, "
          "median peak RSS")


def contact_lists() -> list[dict[str, object]]:
    return [{"id": f"lst_bench{n:02d}", "size": 1, "fail_share": 0.0} for n in range(LISTS)]
