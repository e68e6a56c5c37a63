"""The plan: what an apply would do, worked out from the definitions, the account, the state
and the time, with no HTTP, no command line and no files of its own.

- `make.py`: the pure function (`make_plan`); `model.py`: its values (`Inputs`, `Plan`,
  `Item`, `Action`, `Problem`).
- `verdict.py`: every rule that decides one campaign's verdict, in order; `wording.py`:
  the messages they and the warnings give; `findings.py`: errors and warnings located.
- `audience.py`: recipients and credits counted from list sizes; the limits' verdicts.
- `sentdiff.py`: what changed in a definition after its campaign was sent.
- `work.py`: the work of an apply and what came of it, as plain values.
- `json_document.py`: the plan as a JSON document; `planfile.py`: saved plans;
  `savedaudience.py`: a saved plan's audience counted again at apply.

`reconciler/names.py` and `reconciler/grace.py`, which the plan uses too, stay at the root:
the state commands use them without loading the plan. This package imports nothing of
`reconciler.apply` (`tests/test_architecture.py`).
"""

from reconciler.plan.findings import item_diagnostic
from reconciler.plan.make import account_fingerprint, make_plan, refused_by_check
from reconciler.plan.model import CHANGES, Action, Inputs, Item, Plan, Problem, cost
from reconciler.plan.wording import ahead_message

__all__ = ["CHANGES", "Action", "Inputs", "Item", "Plan", "Problem", "account_fingerprint",
           "ahead_message", "cost", "item_diagnostic", "make_plan", "refused_by_check"]
