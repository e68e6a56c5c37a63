"""The state file: which campaign ID belongs to which definition, and how it got there.
(The writers' lock is `reconciler.state.lock`, imported only by commands that write.)

`campaigns.state.json` is JSON, sorted and indented, committed next to the definitions,
so that its diff in a pull request shows exactly the IDs that were added. Beside it, while
an apply runs, `campaigns.state.json.journal` receives one line per event, appended and
fsynced before the worker that made it starts anything else: an acknowledged `cmp_` ID is
on disk at a cost that does not depend on how many campaigns the state holds. Loading
replays the journal; the end of an apply folds it into the state (atomically: temporary
file, fsync, rename) and removes it. A writer holds `campaigns.state.json.lock`.
"""

from reconciler.state.journal import Journal, journal_path
from reconciler.state.model import (
    STATE_VERSION,
    Entry,
    Intent,
    Origin,
    State,
    StateError,
    StateLocked,
    new_entry,
    utc_now,
)
from reconciler.state.store import (
    load,
    needs_fold,
    recording,
    remove_temporaries,
    save,
    temporaries,
)

__all__ = [
    "STATE_VERSION", "Entry", "Intent", "Journal", "Origin", "State",
    "StateError", "StateLocked", "journal_path", "load", "needs_fold", "new_entry",
    "recording", "remove_temporaries", "save", "temporaries", "utc_now",
]
