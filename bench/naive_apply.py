"""The script a user would write instead of `campaigns apply`: read the YAML with libyaml
and POST every campaign from N threads. No plan, no state, no journal, no safety: a lost
answer is simply lost. A baseline for `bench_apply.py`.

    python naive_apply.py FOLDER API_URL THREADS
"""

import glob
import json
import os
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import yaml

FIELDS = ("name", "channel", "contact_list_id", "sender_id", "body", "template",
          "scheduled_at")


def main() -> None:
    folder, url, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    key = os.environ.get("ZEXA_API_KEY", "")
    campaigns = []
    for path in sorted(glob.glob(os.path.join(folder, "*.yaml"))):
        with open(path, "rb") as f:
            campaigns.extend(yaml.load(f, Loader=yaml.CSafeLoader)["campaigns"])

    def create(campaign: dict) -> str:
        body = json.dumps({k: campaign[k] for k in FIELDS if k in campaign}).encode()
        request = urllib.request.Request(
            f"{url}/campaigns", data=body, method="POST",
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request) as answer:
            return json.load(answer)["id"]

    with ThreadPoolExecutor(threads) as pool:
        ids = list(pool.map(create, campaigns))
    print(f"created {len(ids)}")


if __name__ == "__main__":
    main()
