"""The review page at 1,000 and 10,000 campaigns: the time to write it (the goal: under a
second for 1,000), its size, and Chromium's time to open it.

For each size: the plan is made once from generated definitions (the definitions alone,
as `campaigns preview` without a key makes it; not counted), then the page is written
`--runs` times in this process (the renderer's cost: Jinja2 and the channels' views, each
campaign's view made afresh every run), then `campaigns preview` runs as a whole process
(start-up, loading, planning and writing, as a user pays them), then Chromium opens the
page (Debian's, headless, with every network request refused) until its `load` event and
until its script has run, and runs a filter (a click that hides or shows every card).

    python bench/bench_review_page.py [--sizes 1000 10000] [--runs 5]

CHROMIUM names the browser (default /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from harness import CAMPAIGNS, make_files, run_process

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reconciler.config import Settings, resolve_target
from reconciler.definitions import load_definitions
from reconciler.render.html import write_html
from reconciler.workflow.preview import definitions_plan

ARGS = ["--headless", "--no-sandbox", "--disable-background-networking",
        "--disable-component-update"]


def median_spread(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} s (min {min(values):.3f}, max {max(values):.3f})"


def write_times(folder: Path, runs: int) -> tuple[list[float], int, float]:
    """Seconds to write the page, each run; the page's size; seconds to make the plan."""
    target = resolve_target(Settings(), None, None, "campaigns.state.json")
    started = time.perf_counter()
    campaigns = load_definitions([str(folder / "defs")]).campaigns
    plan = definitions_plan(target, campaigns)
    planned = time.perf_counter() - started
    out = folder / "review.html"
    times = []
    for _ in range(runs):
        for c in campaigns:  # each run pays for the views, as one command does
            object.__setattr__(c, "_view", None)
            object.__setattr__(c, "_sms", None)
        started = time.perf_counter()
        write_html(str(out), plan, compared=False, quiet=target.checks.quiet_hours)
        times.append(time.perf_counter() - started)
    return times, out.stat().st_size, planned


def browser_times(page: Path, runs: int) -> tuple[list[float], list[float], list[float]]:
    """Seconds until `load`, until the script ran, and for one filter click."""
    from playwright.sync_api import sync_playwright

    loads, ready, filters = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=ARGS)
        for _ in range(runs):
            tab = browser.new_page()
            tab.route("http*://**/*", lambda route: route.abort())
            started = time.perf_counter()
            tab.goto(page.as_uri(), wait_until="load", timeout=300_000)
            loads.append(time.perf_counter() - started)
            tab.wait_for_selector("#filters:not([hidden])", timeout=300_000)
            ready.append(time.perf_counter() - started)
            box = tab.locator("input[name=channel]").first
            started = time.perf_counter()
            box.click()
            tab.wait_for_function("document.getElementById('shown-count').textContent"
                                  ".indexOf(' of ') > 0")
            filters.append(time.perf_counter() - started)
            tab.close()
        browser.close()
    return loads, ready, filters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"\ncampaigns preview: the review page ({args.runs} runs each; median (min, max))")
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="bench-review-") as temp:
            folder = Path(temp)
            make_files(folder / "defs", size)
            times, page_size, planned = write_times(folder, args.runs)
            print(f"\n{size:,} campaigns ({page_size / 1e6:.1f} MB page, "
                  f"{page_size / size / 1000:.1f} kB a campaign; plan made in "
                  f"{planned:.2f} s, not counted)")
            print(f"  write the page (in process):     {median_spread(times)}")
            whole = [run_process([*CAMPAIGNS, "preview", str(folder / "defs"), "--out",
                                  str(folder / "whole.html")], env={"ZEXA_API_KEY": ""})
                     for _ in range(args.runs)]
            print(f"  campaigns preview (a process):   "
                  f"{median_spread([w.seconds for w in whole])}, peak RSS "
                  f"{statistics.median(w.rss_mib for w in whole):.0f} MiB")
            loads, ready, filters = browser_times(folder / "review.html", args.runs)
            print(f"  Chromium: load event             {median_spread(loads)}")
            print(f"  Chromium: filters ready          {median_spread(ready)}")
            print(f"  Chromium: one filter click       {median_spread(filters)}")


if __name__ == "__main__":
    main()
