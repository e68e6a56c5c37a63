"""The script a user would write instead of `campaigns status`: read the IDs from the state
file and GET each campaign from 8 threads. A baseline for `bench_status.py`.

    python naive_status.py STATE_FILE API_URL
"""

import json
import os
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def main() -> None:
    state, url = sys.argv[1], sys.argv[2]
    key = os.environ.get("ZEXA_API_KEY", "")
    with open(state, encoding="utf-8") as f:
        ids = [e["id"] for e in json.load(f)["campaigns"].values()]

    def get(campaign_id: str) -> dict:
        request = urllib.request.Request(f"{url}/campaigns/{campaign_id}",
                                         headers={"Authorization": f"Bearer {key}"})
        with urllib.request.urlopen(request) as answer:
            return json.load(answer)

    with ThreadPoolExecutor(8) as pool:
        rows = list(pool.map(get, ids))
    print(sum(1 for r in rows if r.get("status") == "completed"), "completed of", len(rows))


if __name__ == "__main__":
    main()
