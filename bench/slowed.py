"""`campaigns`, with its review checks made BENCH_SLOW_CHECKS times slower: each run of the
checks is repeated. Only the benchmarks start it (harness.tool_command), to show that the
guard (goals.py --quick) catches a regression; the tool itself never reads the variable.

    BENCH_SLOW_CHECKS=2 python bench/goals.py --quick    # must fail
"""

from __future__ import annotations

import os
import sys

import reconciler.checks
import reconciler.plan
from reconciler.cli.group import main

TIMES = int(os.environ.get("BENCH_SLOW_CHECKS", "1"))
checked = reconciler.checks.checked


def slowed(*args, **kwargs):  # type: ignore[no-untyped-def]
    for _ in range(TIMES - 1):
        checked(*args, **kwargs)
    return checked(*args, **kwargs)


reconciler.checks.checked = slowed  # validate and apply (run_checks looks it up each call)
reconciler.plan.checked = slowed  # plan

if __name__ == "__main__":
    sys.argv[0] = "campaigns"
    main()
