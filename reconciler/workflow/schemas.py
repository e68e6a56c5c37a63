"""`campaigns schema`: the JSON Schemas shipped with the package."""

from __future__ import annotations

import json

from reconciler.schema import SCHEMAS, schema_document

__all__ = ["SCHEMAS", "schema_text"]


def schema_text(name: str) -> str:
    """One of SCHEMAS as JSON text (`campaigns` is the editor schema of a definitions file)."""
    return json.dumps(schema_document(name), indent=2, ensure_ascii=False) + "\n"
