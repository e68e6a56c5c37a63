#!/bin/sh
# Every benchmark, as the docs report them (about half an hour on a 2-core machine).
# Run on an idle machine: `sh bench/run_all.sh | tee bench-results.txt`
set -e
cd "$(dirname "$0")"
python bench_startup.py --runs 15
python bench_validate.py --sizes 10000 100000 --runs 5
python bench_plan.py --sizes 1000 10000 --runs 5
python bench_plan.py --sizes 100000 --runs 5
python bench_apply.py --parallelism 4 8 16 --runs 5
python bench_status.py --runs 5
python bench_review_page.py --sizes 1000 10000 --runs 5
python bench_race.py --runs 5
python bench_window.py --campaigns 10 --grace 2
