"""When two campaign names are the same to a person, or to a server that normalises them.

The policy, one form for each purpose:

- **Identity is the exact string.** A campaign is its name as written: the plan matches
  the account, the state and previous names by exact equality, never by a normalised form,
  so that nothing is adopted or recorded on a guess.
- **A name must be in NFC** (`definitions.rules.name_problem`, and the `invisible-characters`
  check): a decomposed accent looks like the composed one but is another string, so a
  name not in NFC is an error rather than silently a different campaign.
- **Two definitions may not differ only by case or Unicode form** (`definitions`'
  uniqueness rule: NFC, then case folding; and spacing, flagged): a person could not tell
  them apart in a review.
- **A server may normalise more** (`name_key` below: NFKC, which also folds compatibility
  characters such as full-width letters, then case folding and runs of white space). A
  server may store `Spring  Sale` as `Spring Sale`, fold the case, or take the composed
  form of an accented letter; a name that differs from an account campaign's only in that
  way may be the same campaign, made by an earlier create: it is never created again on a
  guess, and the plan names the account's form.

NFKC is used only for that last question (is the account's campaign possibly this one?),
because it is the widest a server is known to go; the author's own names are held to NFC,
the form editors and git keep.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping


def name_key(name: str) -> str:
    """`name` without what a server may change: runs of white space (of any kind), case,
    and Unicode form (compatibility characters included)."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def by_key(names: Iterable[str]) -> Mapping[str, list[str]]:
    """Names grouped by `name_key`."""
    out: dict[str, list[str]] = {}
    for name in names:
        out.setdefault(name_key(name), []).append(name)
    return out
