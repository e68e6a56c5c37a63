"""What the commands do, without click: one module per job, each testable on its own.

- `inputs`: the configuration, the target environment, the definitions, the connection;
- `plan`: read the account and make the plan (`campaigns plan`);
- `apply`: lock, state, plan or saved plan, confirmation, creates, journal
  (`campaigns apply`);
- `status`: delivery of the managed campaigns;
- `state`: the `campaigns state` subcommands' rules;
- `schemas`, `sandbox`: the shipped schemas, the embedded sandbox as a server.

`plan/` stays pure; this package is where the API client and the state meet it. The
command modules (`reconciler/cli/`) import only this package, the renderers and their
shared options (`tests/test_architecture.py`). Nothing is imported here eagerly, so that
`campaigns validate` loads no HTTP client.
"""
