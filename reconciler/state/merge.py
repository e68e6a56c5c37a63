"""Three-way merge of state files, for git (`campaigns state merge %O %A %B`).

Two branches that each applied a campaign each add an entry: their state files merge
entry by entry, and nothing is lost. Only a name that the two sides record with two
different IDs (two campaigns were created for one name) is a real clash: it is left in the
file between git-style conflict markers, so that it cannot be used until a person decides.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from reconciler.secret import public_url
from reconciler.state.model import Entry, State, StateError, dump
from reconciler.state.store import parse_state


@dataclass(frozen=True)
class Clash:
    name: str
    ours: Entry | None  # None: removed on this side
    theirs: Entry | None

    def describe(self) -> str:
        def side(entry: Entry | None) -> str:
            return entry.id if entry else "removed"

        return (f"CONFLICT (campaigns state): {self.name!r} is {side(self.ours)} in ours and "
                f"{side(self.theirs)} in theirs")


@dataclass
class Merged:
    state: State
    clashes: list[Clash] = field(default_factory=list)


def merge(base: State | None, ours: State, theirs: State) -> Merged:
    """Entries on one side are kept; identical ones once; a name removed on one side and
    untouched on the other is removed; a name with two IDs is a clash. The serial becomes
    the larger one plus one. States of different lineages or APIs are refused."""
    _refuse_unrelated(ours, theirs)
    before = base.campaigns if base is not None and base.lineage == ours.lineage else {}
    merged = State(api_url=ours.api_url, lineage=ours.lineage,
                   serial=max(ours.serial, theirs.serial) + 1, exists=True)
    result = Merged(merged)
    for name in sorted(set(ours.campaigns) | set(theirs.campaigns) | set(before)):
        kept = _merge_name(name, ours.campaigns.get(name), theirs.campaigns.get(name),
                           before.get(name))
        if isinstance(kept, Clash):
            result.clashes.append(kept)
        elif kept is not None:
            merged.campaigns[name] = kept
    return result


def _refuse_unrelated(ours: State, theirs: State) -> None:
    """Two states are merged only as versions of one state: one lineage, one API."""
    if ours.lineage != theirs.lineage:
        raise StateError(f"the two states have different lineages ({ours.lineage} and "
                         f"{theirs.lineage}): they are not versions of one state, and are "
                         "not merged")
    if ours.api_url != theirs.api_url:
        raise StateError(f"the two states belong to different APIs "
                         f"({public_url(ours.api_url)} and {public_url(theirs.api_url)}); "
                         "they are not merged")


def _merge_name(name: str, mine: Entry | None, other: Entry | None,
                old: Entry | None) -> Entry | Clash | None:
    """One name's merged entry (None: it is not in the merged state), or its clash."""
    if mine is not None and other is not None:
        return _one_entry(mine, other, old) if mine.id == other.id else Clash(name, mine, other)
    kept = mine or other
    if kept is None or kept == old:
        return None  # removed on both sides, or on one side and untouched on the other
    if old is None:
        return kept  # added on one side
    return Clash(name, mine, other)  # removed on one side, changed on the other


def _one_entry(mine: Entry, other: Entry, old: Entry | None) -> Entry:
    """One campaign recorded on both sides: the side that changed it (theirs when both
    did), keeping the record of the file it was sent from (`blob`) when only the other side
    has it for the same definition (one side's tool did not record it yet)."""
    if mine == other:
        return mine
    kept, beside = (mine, other) if other == old else (other, mine)
    if kept.blob is None and beside.blob is not None and beside.digest == kept.digest:
        return replace(kept, blob=beside.blob)
    return kept


def render(result: Merged) -> str:
    """The merged state file; a clash between conflict markers (which no load accepts)."""
    doc = result.state.to_json()
    placeholders: dict[str, Clash] = {}
    for number, clash in enumerate(result.clashes):
        token = f"@@campaigns-conflict-{number}@@"
        doc["campaigns"][clash.name] = token
        placeholders[json.dumps(token)] = clash
    text = dump(doc)
    for token, clash in placeholders.items():
        key = json.dumps(clash.name, ensure_ascii=False)
        line = f"    {key}: {token}"
        at = text.index(line)
        comma = "," if text[at + len(line):].startswith(",") else ""
        block = ["<<<<<<< ours"]
        block += _entry_lines(key, clash.ours, comma)
        block.append("=======")
        block += _entry_lines(key, clash.theirs, comma)
        block.append(">>>>>>> theirs")
        text = text[:at] + "\n".join(block) + text[at + len(line) + len(comma):]
    return text


def _entry_lines(key: str, entry: Entry | None, comma: str) -> list[str]:
    if entry is None:
        return [f"    (removed: {key})"]
    body = json.dumps(entry.to_json(), indent=2, sort_keys=True, ensure_ascii=False)
    lines = f"{key}: {body}{comma}".splitlines()
    return ["    " + line for line in lines]


def read_side(path: Path, *, missing_ok: bool) -> State | None:
    """One side of a merge: git hands an empty file for a side without the file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StateError(f"{path}: cannot be read ({exc.strerror})") from None
    if not data.strip():
        if missing_ok:
            return None
        raise StateError(f"{path}: is empty")
    return parse_state(path, data)


def merge_files(base_path: Path, ours_path: Path, theirs_path: Path) -> list[Clash]:
    """Merge and write the result over `ours_path` (git's %A); returns the clashes."""
    base = read_side(base_path, missing_ok=True)
    ours = read_side(ours_path, missing_ok=False)
    theirs = read_side(theirs_path, missing_ok=False)
    assert ours is not None and theirs is not None
    result = merge(base, ours, theirs)
    ours_path.write_text(render(result), encoding="utf-8", newline="\n")  # as store.py
    return result.clashes

