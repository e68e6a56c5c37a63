"""`campaigns`, with its checks made BENCH_SLOW_CHECKS times slower: each campaign's schema
check and each run of the review checks is repeated. Only the benchmarks start it
(harness.tool_command), to show that the guard (goals.py --quick) catches a regression;
the tool itself never reads the variable.

    BENCH_SLOW_CHECKS=2 python bench/goals.py --quick    # must fail
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import reconciler.checks.review
import reconciler.definitions.loader

TIMES = int(os.environ.get("BENCH_SLOW_CHECKS", "1"))


def repeated(check: Callable[..., Any]) -> Callable[..., Any]:
    def slowed(*args: Any, **kwargs: Any) -> Any:
        for _ in range(TIMES - 1):
            check(*args, **kwargs)
        return check(*args, **kwargs)

    return slowed


# Replaced where they are looked up, before the modules that import them by name load.
loader = reconciler.definitions.loader
loader.campaign_errors = repeated(loader.campaign_errors)
loader.known_valid_over = repeated(loader.known_valid_over)  # (a campaign over defaults)
review = reconciler.checks.review
review.checked = repeated(review.checked)

if __name__ == "__main__":
    from reconciler.cli.group import main

    main()
