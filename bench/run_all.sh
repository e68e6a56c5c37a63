#!/bin/sh
# Every goal of the benchmarks as one table (bench/goals.py: about ten minutes on a 2-core
# machine), then, with --all, each benchmark's own detail (about half an hour more).
# Run on an idle machine: `sh bench/run_all.sh | tee bench-results.txt`
set -e
cd "$(dirname "$0")"
python goals.py
if [ "${1:-}" = "--all" ]; then
  python bench_startup.py --runs 15
  python bench_validate.py --sizes 10000 100000 --runs 5
  python validate_steps.py
  python parallel_load.py
  python bench_plan.py --sizes 1000 10000 --runs 5
  python bench_plan.py --sizes 100000 --runs 5
  python bench_apply.py --parallelism 4 8 16 --runs 5
  python bench_status.py --runs 5
  python bench_review_page.py --sizes 1000 10000 --runs 5
  python bench_race.py --runs 5
  python bench_window.py --campaigns 10 --grace 2
fi
