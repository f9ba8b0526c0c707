"""Template YAML with line numbers, and reading typed values out of it.

Every mapping remembers the line it and each of its keys were written on, so a problem can be
reported where the analyst will find it; the reader records each problem and carries on.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import yaml

from inspector_app.common.text import Text
from inspector_app.domain.template import TemplateError

_E = TypeVar("_E", bound=Enum)


# --- YAML with line numbers ----------------------------------------------------------------


class LineMapping(dict[Any, Any]):
    """A YAML mapping that remembers where it and each of its keys were written."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}
        self.duplicates: list[tuple[Any, int]] = []


class LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> LineMapping:
    loader.flatten_mapping(node)
    data = LineMapping(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain word", key_node.start_mark
            ) from None
        line = key_node.start_mark.line + 1
        if key in data:
            # PyYAML silently keeps the last of two equal keys; an analyst would never know.
            data.duplicates.append((key, line))
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line
    return data


LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
# YAML 1.1 reads yes/no/on/off as booleans, which would turn `abnormal: [no]` into [False].
# Answer values are spelt yes/no, so here only true/false are booleans.
LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


# --- reading values ------------------------------------------------------------------------


def comma_list(values: Iterable[str]) -> str:
    return ", ".join(values)


class ValueReader:
    """Reads typed values out of one parsed file's mappings, recording every problem."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.errors: list[TemplateError] = []

    def error(self, line: int | None, item_code: str | None, problem: str) -> None:
        self.errors.append(TemplateError(str(self.file), line, item_code, problem))

    def keys(
        self,
        m: LineMapping,
        what: str,
        allowed: tuple[str, ...],
        required: tuple[str, ...],
        item: str | None = None,
    ) -> None:
        # An item's errors already name the item; "item D-01: item: ..." would say it twice.
        prefix = "" if what == "item" and item else f"{what}: "
        for key, line in m.duplicates:
            self.error(line, item, f"{prefix}'{key}' is given twice")
        for key in m:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), allowed, n=1)
                if hint:
                    suggestion = f"did you mean '{hint[0]}'?"
                elif m[key] is None and " " in str(key):
                    # An unquoted comma in {zh: ..., en: ...} makes the rest of a text a key.
                    suggestion = "if it is part of a text, put the whole text in quotes"
                else:
                    suggestion = f"allowed: {comma_list(allowed)}"
                self.error(m.key_lines[key], item, f"{prefix}unknown key '{key}' ({suggestion})")
        for key in required:
            if key not in m:
                why = f" (every {what} must cite where it comes from)" if key == "source" else ""
                self.error(m.line, item, f"{prefix}missing '{key}'{why}")

    def mapping(
        self, value: Any, line: int | None, item: str | None, what: str
    ) -> LineMapping | None:
        if isinstance(value, LineMapping):
            return value
        self.error(line, item, f"{what} must be a mapping of 'key: value' lines, not {value!r}")
        return None

    def string(self, m: LineMapping, key: str, item: str | None, what: str) -> str | None:
        value = m.get(key)
        if key not in m:
            return None  # reported by keys()
        if not isinstance(value, str) or not value.strip():
            self.error(m.key_lines[key], item, f"{what} must be non-empty text, not {value!r}")
            return None
        return value.strip()

    def text(self, m: LineMapping, key: str, item: str | None, what: str) -> Text | None:
        if key not in m:
            return None
        if isinstance(m[key], str):
            self.error(
                m.key_lines[key],
                item,
                f"{what} needs both a Chinese ('zh') and an English ('en') text",
            )
            return None
        t = self.mapping(m[key], m.key_lines[key], item, what)
        if t is None:
            return None
        self.keys(t, what, ("zh", "en"), (), item)
        found: dict[str, str] = {}
        for lang, name in (("zh", "Chinese"), ("en", "English")):
            value = t.get(lang)
            if isinstance(value, str) and value.strip():
                found[lang] = value.strip()
                continue
            problem = "is missing" if lang not in t else f"has empty or invalid ({value!r})"
            line = t.key_lines.get(lang, t.line)
            self.error(line, item, f"{what} {problem} {name} text ('{lang}')")
        return Text(found["zh"], found["en"]) if len(found) == 2 else None

    def enum(
        self, value: Any, line: int | None, item: str | None, enum: type[_E], what: str
    ) -> _E | None:
        try:
            return enum(value)
        except (ValueError, TypeError):
            allowed = comma_list(str(e.value) for e in enum)
            self.error(line, item, f"unknown {what} {value!r} (expected one of: {allowed})")
            return None

    def enum_list(self, m: LineMapping, key: str, enum: type[_E], what: str) -> frozenset[_E]:
        if key not in m:
            return frozenset()
        values = m[key]
        if not isinstance(values, list):
            values = [values]
        found = (self.enum(v, m.key_lines[key], None, enum, what) for v in values)
        return frozenset(v for v in found if v is not None)

    def boolean(self, m: LineMapping, key: str, item: str | None, default: bool, what: str) -> bool:
        value = m.get(key, default)
        if not isinstance(value, bool):
            self.error(m.key_lines[key], item, f"{what} must be true or false, not {value!r}")
            return default
        return value
