"""The parse floor of `campaigns validate`: read every file with libyaml and nothing else.
A whole process, as `campaigns validate` is. A baseline for `bench_validate.py`.

    python parse_floor.py FOLDER
"""

import glob
import os
import sys

import yaml

count = 0
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.yaml"))):
    with open(path, "rb") as f:
        count += len(yaml.load(f, Loader=yaml.CSafeLoader)["campaigns"])
print(count)
