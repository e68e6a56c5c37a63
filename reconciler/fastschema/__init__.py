"""The shipped schemas compiled to Python ahead of time (see `reconciler.schema.fast_check`).

Generated; do not edit. Regenerate after changing a schema:

    python -c 'from reconciler.schema import write_fast_modules; write_fast_modules()'
"""
