"""A YAML loader that keeps every value's line and column and closes YAML 1.1's traps.

PyYAML's own loaders silently keep the last of two duplicate keys, turn unquoted
timestamps into `datetime` objects and `yes`/`no`/`on`/`off` into booleans, and expand
aliases without limit (a "billion laughs" file takes the whole machine). This loader lets
PyYAML (its C parser when present) build the node graph, then constructs plain Python
values itself, with:

- only the YAML 1.2 core scalars: null, true/false, integers and floats; everything else,
  timestamps and `yes`/`no` included, stays text;
- a duplicate key as an error that names both lines;
- alias expansion, nesting depth and file size bounded;
- mappings and lists returned as `LocatedDict` / `LocatedList`, which carry the 1-based
  line and column of themselves, of each key and of each value.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from reconciler.schema.located import LocatedDict, LocatedList, Mark

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ALIAS_NODES = 10_000
# Characters all the scalars of a document may add up to once aliases are expanded: a
# 1 MB string referred to by thousands of aliases is a bomb that counts few values.
MAX_EXPANDED_CHARS = 2 * MAX_FILE_BYTES
MAX_DEPTH = 64

_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


_CORE_SCALAR = re.compile(
    r"(?P<null>~|null|Null|NULL)"
    r"|(?P<bool>true|True|TRUE|false|False|FALSE)"
    r"|(?P<int>[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)"
    r"|(?P<float>[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))"
)
_CORE_FIRST = frozenset("~nNtTfF-+.0123456789")
_CORE_TAGS = {"null": _NULL, "bool": _BOOL, "int": _INT, "float": _FLOAT}


class _CoreResolver(yaml.resolver.BaseResolver):
    """The YAML 1.2 core schema: no timestamps, no yes/no/on/off booleans, no sexagesimals.

    `resolve` is called for every untagged scalar, so it is one regex, tried only when the
    first character could start a non-text scalar.
    """

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                if value == "":
                    return _NULL
                if value[0] in _CORE_FIRST:
                    match = _CORE_SCALAR.fullmatch(value)
                    if match is not None and match.lastgroup is not None:
                        return _CORE_TAGS[match.lastgroup]
            return _STR
        if kind is SequenceNode:
            return _SEQ
        return _MAP


try:  # libyaml's parser is several times faster; fall back to the pure-Python one
    from yaml import CBaseLoader  # libyaml's parser and composer, by their public name

    class _NodeLoader(_CoreResolver, CBaseLoader):
        """Parses and composes only (our resolver first); values are built by `_Builder`."""

        def __init__(self, stream: str) -> None:
            CBaseLoader.__init__(self, stream)

except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _NodeLoader(Reader, Scanner, Parser, Composer, _CoreResolver):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            _CoreResolver.__init__(self)


@dataclass(frozen=True)
class YamlProblem:
    """Why a file could not be read, and where."""

    line: int
    column: int
    message: str


INTERN_UP_TO = 40  # characters: texts at most this long are kept once however often they recur


class YamlError(Exception):
    def __init__(self, problem: YamlProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _mark(node: Node) -> Mark:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _fail(node: Node | None, message: str) -> YamlError:
    line, col = _mark(node) if node is not None else (1, 1)
    return YamlError(YamlProblem(line, col, message))


class _Builder:
    def __init__(self) -> None:
        self.alias_budget = MAX_ALIAS_NODES
        self.char_budget = MAX_EXPANDED_CHARS
        self.seen: set[int] = set()  # node ids already built once: a second visit is an alias

    def build(self, node: Node, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise _fail(node, f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if id(node) in self.seen:
            self._expand_alias(node)
        self.seen.add(id(node))
        if isinstance(node, SequenceNode) and node.tag == _SEQ:
            return self._sequence(node, depth)
        if isinstance(node, MappingNode) and node.tag == _MAP:
            return self._mapping(node, depth)
        raise _fail(node, f"unsupported tag {node.tag!r}")

    def _expand_alias(self, node: Node) -> None:
        """The same collection node again: an alias. Count what expanding it costs."""
        self.alias_budget -= _size(node, self.alias_budget + 1)
        if self.alias_budget < 0:
            raise _fail(node, f"aliases of this value expand to more than {MAX_ALIAS_NODES} "
                        "values; refusing to expand further (is this an alias bomb?)")

    def _sequence(self, node: SequenceNode, depth: int) -> LocatedList:
        seq = LocatedList(_mark(node))
        for i, item in enumerate(node.value):
            seq.append(self.build(item, depth + 1))
            seq.item_marks.append(_mark(item))
            if isinstance(item, ScalarNode):
                seq.raw[i] = item.value
        return seq

    def _scalar(self, node: ScalarNode) -> Any:
        tag, value = node.tag, node.value
        self.char_budget -= len(value)
        if self.char_budget < 0:
            raise _fail(node, f"aliases expand this document to more than "
                        f"{MAX_EXPANDED_CHARS:,} characters; refusing to expand further (is "
                        "this an alias bomb?)")
        if tag == _STR:
            # Short texts repeat across campaigns (a channel, a sender, a list): one copy.
            return sys.intern(value) if len(value) <= INTERN_UP_TO else value
        convert = _CONVERTERS.get(tag)
        if convert is None:
            raise _fail(node, f"unsupported tag {tag!r}: write the value as plain text")
        try:
            return convert(value)
        except ValueError:
            raise _fail(node, _not_read(tag, value)) from None

    def _mapping(self, node: MappingNode, depth: int) -> LocatedDict:
        result = LocatedDict(_mark(node))
        merged: list[MappingNode] = []
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == "<<" \
                    and not key_node.style:
                merged.extend(self._merge_sources(value_node))
                continue
            key = self._key(key_node)
            if key in result:
                raise _duplicate(key_node, key, result.key_marks[key])
            result[key] = self._value(key, value_node, depth)
            key_mark, value_mark = key_node.start_mark, value_node.start_mark  # (inlined
            result.key_marks[key] = (key_mark.line + 1, key_mark.column + 1)  # _mark: the
            result.value_marks[key] = (value_mark.line + 1, value_mark.column + 1)  # hot loop)
            if isinstance(value_node, ScalarNode):
                result.raw[key] = value_node.value
        # Merge keys (`<<: *base`) fill in what the mapping does not set itself.
        for source in merged:
            _fill_in(result, self.build(source, depth + 1))
        return result

    def _value(self, key: str, node: Node, depth: int) -> Any:
        try:
            return self.build(node, depth + 1)
        except YamlError as exc:
            if isinstance(node, ScalarNode):  # name the field, as schema errors do
                p = exc.problem
                raise YamlError(YamlProblem(p.line, p.column, f"{key}: {p.message}")) from None
            raise

    def _merge_sources(self, node: Node) -> list[MappingNode]:
        if isinstance(node, MappingNode):
            return [node]
        if isinstance(node, SequenceNode) and all(isinstance(n, MappingNode) for n in node.value):
            return list(node.value)
        raise _fail(node, "a merge key '<<' takes a mapping or a list of mappings")

    def _key(self, node: Node) -> str:
        if not isinstance(node, ScalarNode):
            raise _fail(node, "a mapping key must be plain text, not a list or mapping")
        if node.tag == _NULL:
            raise _fail(node, "a mapping key is empty")
        return sys.intern(str(node.value))  # keys repeat in every mapping: one copy


def _size(node: Node, limit: int) -> int:
    """How many nodes expanding `node` builds, counting no further than `limit`."""
    count = 0
    stack = [node]
    while stack and count < limit:
        n = stack.pop()
        count += 1
        if isinstance(n, SequenceNode):
            stack.extend(n.value)
        elif isinstance(n, MappingNode):
            for k, v in n.value:
                stack.append(k)
                stack.append(v)
    return count


def _duplicate(node: Node, key: str, first: Mark) -> YamlError:
    return _fail(node, f"duplicate key {key!r} (first defined at line {first[0]}, column "
                 f"{first[1]}); YAML would silently keep only the last one")


def _fill_in(result: LocatedDict, source: LocatedDict) -> None:
    """What a merge key's mapping sets and `result` does not, with its marks."""
    for key, value in source.items():
        if key not in result:
            result[key] = value
            result.key_marks[key] = source.key_marks[key]
            result.value_marks[key] = source.value_marks[key]
            if key in source.raw:
                result.raw[key] = source.raw[key]


def _int(value: str) -> int:
    if value.startswith("0o"):
        return int(value[2:], 8)
    if value.startswith("0x"):
        return int(value[2:], 16)
    return int(value)


def _float(value: str) -> float:
    lowered = value.lower()
    if lowered.endswith(".nan"):
        return float("nan")
    if lowered.endswith(".inf"):
        return float("-inf") if lowered.startswith("-") else float("inf")
    return float(value)


def _not_read(tag: str, value: str) -> str:
    """Why a number could not be read: more digits than Python converts
    (`sys.get_int_max_str_digits`), or a tag (`!!float`) on what is not a number."""
    if _CORE_SCALAR.fullmatch(value) is None:
        return (f"is tagged {tag!r} but is not a number; remove the tag, or put the value "
                "in quotes if it is text")
    return (f"is a number of {len(value):,} digits, too long to read; put it in quotes if "
            "it is text")


# How the core schema's non-text scalars are read (text is kept as it is).
_CONVERTERS: dict[str, Callable[[str], Any]] = {
    _NULL: lambda value: None,
    _BOOL: lambda value: value.lower() == "true",
    _INT: _int,
    _FLOAT: _float,
}


def decode(data: bytes) -> str:
    """Decode UTF-8 (a BOM is allowed), raising a located error for a bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlError(
            YamlProblem(
                line,
                column,
                f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            )
        ) from None


def load(data: bytes) -> Any:
    """Load one YAML document from bytes. Raises `YamlError` with a line and column."""
    if len(data) > MAX_FILE_BYTES:
        raise YamlError(
            YamlProblem(1, 1, f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; split it")
        )
    node = _compose(decode(data))
    if node is None:
        return None
    try:
        return _Builder().build(node)
    except RecursionError:
        raise YamlError(YamlProblem(1, 1, "is nested too deeply")) from None


def _compose(text: str) -> Node | None:
    """PyYAML's node graph of one document (None when it is empty)."""
    loader = _NodeLoader(text)
    try:
        node: Node | None = loader.get_single_node()
        return node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "cannot be parsed"
        raise YamlError(YamlProblem(line, col, f"invalid YAML: {problem}")) from None
    except yaml.YAMLError as exc:
        raise YamlError(YamlProblem(1, 1, f"invalid YAML: {exc}")) from None
    finally:
        dispose = getattr(loader, "dispose", None)
        if dispose is not None:
            dispose()
