"""The apply: carrying out the work of a plan against the account, once.

- `applier.py`: the `Applier`: adoptions and renames, creates sent once each, the
  account's total checked, IDs recorded in the journal.
- `batch.py`: one batch of creates: the workers, the one gate where they take the next
  campaign, and the read of the total beside them.
- `settle.py`: settling lost answers (this run's and a killed run's): waits out the grace,
  lists, records what landed, sends again what is proven absent.
- `account_total.py`: the arithmetic of the account's total while creates run.

The work itself (`reconciler.plan.work`) and the in-flight grace (`reconciler/grace.py`)
are plain values the plan shares; this package is, with the workflow, the only writer of
the state's journal (`tests/test_architecture.py`).
"""

from reconciler.apply.applier import Applier, idempotency_key
from reconciler.apply.settle import SETTLE_TIMEOUT, Settle, Settler, unaccounted_by_name

__all__ = ["SETTLE_TIMEOUT", "Applier", "Settle", "Settler", "idempotency_key",
           "unaccounted_by_name"]
