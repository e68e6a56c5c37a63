"""The definitions: campaign files read into `Campaign` values, and what reading them needs.

- `loader.py`: finds the files, parses and validates them (`load_definitions`,
  `parse_document`).
- `campaign.py`: `Campaign`, one campaign as defined, and `Definitions`, what loading gives.
- `rules.py`: the rules on names and send times that the schema cannot state, and names
  unique across files.
- `yamlsafe.py`: the YAML reader, bounded and with line and column marks.
- `aliases.py`: the configuration's aliases resolved in the definitions.
- `gitblob.py`: a definition file's git identity (its blob ID), for the sent-diff.
- `gctune.py`: fewer garbage collections while the bulk of long-lived objects is built.

This package knows nothing of the plan (`tests/test_architecture.py`).
"""

from reconciler.definitions.campaign import Campaign, Definitions, to_utc
from reconciler.definitions.loader import (
    DEFAULT_FOLDER,
    load_definitions,
    load_file,
    parse_document,
)

__all__ = ["DEFAULT_FOLDER", "Campaign", "Definitions", "load_definitions", "load_file",
           "parse_document", "to_utc"]
