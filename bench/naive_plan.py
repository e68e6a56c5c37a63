"""The script a user would write instead of `campaigns plan`: read the YAML with libyaml,
list the account's campaigns page after page, print the names that are missing. No
validation, no state, no safety. A baseline for `bench_plan.py`.

    python naive_plan.py FOLDER API_URL
"""

import glob
import json
import os
import sys
import urllib.request

import yaml


def main() -> None:
    folder, url = sys.argv[1], sys.argv[2]
    key = os.environ.get("ZEXA_API_KEY", "")
    names = []
    for path in sorted(glob.glob(os.path.join(folder, "*.yaml"))):
        with open(path, "rb") as f:
            doc = yaml.load(f, Loader=yaml.CSafeLoader)
        names.extend(c["name"] for c in doc["campaigns"])
    existing = set()
    page = 1
    while True:
        request = urllib.request.Request(f"{url}/campaigns?page={page}&per_page=100",
                                         headers={"Authorization": f"Bearer {key}"})
        with urllib.request.urlopen(request) as answer:
            body = json.load(answer)
        existing.update(c["name"] for c in body["data"])
        if len(body["data"]) < 100:
            break
        page += 1
    for name in names:
        if name not in existing:
            print(f"+ {name}")


if __name__ == "__main__":
    main()
