"""The review checks, and what they are configured by.

- `config.py`: the checks' settings (`CheckConfig`, `QuietHours`, `LinkRules`), apart from
  the checks themselves: reading the configuration loads no check.
- `catalogue.py`: the checks by id, their default severities, and the shape of a finding.
- `review.py`: the checks, pure functions of a campaign, the configuration and the time;
  `frequency.py` the one that compares campaigns (sends to one list too close together).
- `links.py`: links in messages, found and located; `linkfindings.py` their checks that
  need no network.
- `linkcheck.py`: the opt-in online link check (its own httpx client, never the API's).

Nothing is imported here, so that `reconciler.checks.config` loads no check; import each
module by its name. The checks know nothing of the plan or the apply
(`tests/test_architecture.py`).
"""
