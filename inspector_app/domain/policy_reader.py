"""Reading the policy's plain data: YAML that keeps line numbers, and the checks every part of
the policy shares, each failure a PolicyError naming the source, line and field.

Split from policy.py so the classification rules (classification_rules.py) are read with the
same helpers and the same messages as the rest of the policy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, NoReturn, TypeVar

import yaml

from inspector_app.common.text import Text

E = TypeVar("E", bound=StrEnum)

# A loan not looked at for more than a year is not being managed; anything above this is far
# more likely a typo (900 for 90) than a decision.
MAX_DAYS = 366


class PolicyError(Exception):
    """A policy that cannot be used, with where (source, line) and which field is wrong."""

    def __init__(self, source: str, line: int | None, field: str | None, problem: str) -> None:
        self.source = source
        self.line = line
        self.field = field
        self.problem = problem
        where = source if line is None else f"{source}:{line}"
        super().__init__(": ".join(part for part in (where, field, problem) if part))


# --- YAML with line numbers --------------------------------------------------------------


class _LineDict(dict[Any, Any]):
    """A mapping that remembers the (1-based) line of each of its keys."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int] = {}


class _LineList(list[Any]):
    """A sequence that remembers the (1-based) line of each of its items."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[int] = []


class PolicyLoader(yaml.SafeLoader):
    """SafeLoader whose mappings and sequences record source lines, and that rejects duplicate
    keys (PyYAML silently keeps the last one, which hides an editing mistake)."""


def _construct_mapping(loader: PolicyLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    data = _LineDict()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in data
        except TypeError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain value", key_node.start_mark
            ) from exc
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        data[key] = loader.construct_object(value_node, deep=True)
        data.lines[key] = key_node.start_mark.line + 1
    return data


def _construct_sequence(loader: PolicyLoader, node: yaml.SequenceNode) -> _LineList:
    data = _LineList()
    for item in node.value:
        data.append(loader.construct_object(item, deep=True))
        data.lines.append(item.start_mark.line + 1)
    return data


PolicyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
PolicyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


# --- reading plain data ---------------------------------------------------------------------


class BaseReader:
    """Walks plain data, raising PolicyError (source, line, field) at the first fault."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, line: int | None, path: str | None, problem: str) -> NoReturn:
        raise PolicyError(self.source, line, path, problem)

    @staticmethod
    def line_of(container: Any, key: Any, default: int | None) -> int | None:
        lines = getattr(container, "lines", None)
        line: int | None = default  # the loader's line tables hold ints
        if isinstance(lines, dict):
            line = lines.get(key, default)
        elif isinstance(lines, list) and isinstance(key, int) and key < len(lines):
            line = lines[key]
        return line

    def mapping(
        self,
        value: Any,
        path: str | None,
        line: int | None,
        required: Iterable[str],
        optional: Iterable[str] = (),
    ) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.fail(line, path, f"must be a mapping of keys to values, got {show(value)}")
        required = list(required)
        allowed = [*required, *optional]
        for key in value:
            if key not in allowed:
                self.fail(
                    self.line_of(value, key, line),
                    join(path, str(key)),
                    f"unknown key; allowed here: {', '.join(allowed)}",
                )
        missing = [key for key in required if key not in value]
        if missing:
            self.fail(line, path, f"missing {', '.join(missing)} (each must be listed)")
        return value

    def days(self, value: Any, path: str, line: int | None) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DAYS:
            self.fail(
                line,
                path,
                f"must be a positive whole number of days (1 to {MAX_DAYS}), got {show(value)}",
            )
        return value

    def code(self, enum: type[E], value: Any, path: str, line: int | None) -> E:
        try:
            return enum(value)
        except (ValueError, TypeError):
            choices = ", ".join(member.value for member in enum)
            self.fail(line, path, f"must be one of {choices}, got {show(value)}")


    def fraction(self, value: Any, path: str, line: int | None, example: str) -> Decimal:
        """A fraction strictly between 0 and 1, from a number or a text ("0.2")."""
        problem = f"must be a fraction between 0 and 1 ({example}), got {show(value)}"
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            self.fail(line, path, problem)
        try:
            # Through str so that 0.2 becomes Decimal("0.2"), not the float's binary expansion.
            fraction = Decimal(str(value).strip())
        except InvalidOperation:
            self.fail(line, path, problem)
        if not fraction.is_finite() or not Decimal(0) < fraction < Decimal(1):
            self.fail(line, path, problem)
        return fraction

    def text(self, value: Any, path: str, line: int | None, required: Iterable[str] = ()
             ) -> tuple[Mapping[str, Any], Text]:
        """A mapping holding {zh, en} (and the `required` keys besides), both texts non-empty."""
        data = self.mapping(value, path, line, [*required, "zh", "en"])
        texts = []
        for lang in ("zh", "en"):
            written = data[lang]
            if not isinstance(written, str) or not written.strip():
                self.fail(self.line_of(data, lang, line), f"{path}.{lang}",
                          f"must be non-empty text, got {show(written)}")
            texts.append(written.strip())
        return data, Text(*texts)


def join(path: str | None, key: str) -> str:
    return key if path is None else f"{path}.{key}"


def show(value: Any) -> str:
    """How a bad value is quoted in a message: as the editor typed it, not as a Python repr."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return str(value)
