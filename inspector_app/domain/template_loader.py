"""Checklist templates: the data model, and the YAML loader that validates what analysts write.

Templates are edited by hand at headquarters, so the loader reports every problem in a file at
once, each naming the file, line and item, rather than stopping at the first. The file format
is documented in the comment header of each file in inspector_app/resources/templates/.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any, TypeVar

import yaml

from inspector_app import resources
from inspector_app.domain.enums import (
    AnswerType,
    Industry,
    LoanType,
    Severity,
    SignalCategory,
    VisitKind,
)

YES_NO_VALUES = ("yes", "no", "na")

_E = TypeVar("_E", bound=Enum)


# --- the model -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A text in both languages; Chinese is the default."""

    zh: str
    en: str

    def get(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Choice:
    code: str
    text: Text


@dataclass(frozen=True)
class SignalSpec:
    """The risk warning signal an abnormal answer raises."""

    category: SignalCategory
    severity: Severity
    title: Text


@dataclass(frozen=True)
class AbnormalRule:
    """Which answers are abnormal: listed values (yes_no, choice) or bounds (number, money).

    Bounds are strict: a value equal to `below` or `above` is normal.
    """

    values: frozenset[str] = frozenset()
    below: Decimal | None = None
    above: Decimal | None = None

    @property
    def empty(self) -> bool:
        return not self.values and self.below is None and self.above is None


@dataclass(frozen=True)
class Evidence:
    """What the officer must add when the answer is abnormal."""

    note: bool = True
    photo: bool = False


@dataclass(frozen=True)
class Item:
    code: str
    section_code: str
    question: Text
    type: AnswerType
    source: str
    choices: tuple[Choice, ...] = ()
    abnormal: AbnormalRule = AbnormalRule()
    when_abnormal: Evidence = Evidence()
    signal: SignalSpec | None = None
    required: bool = True
    line: int | None = field(default=None, compare=False)

    def choice(self, code: str) -> Choice | None:
        return next((c for c in self.choices if c.code == code), None)


@dataclass(frozen=True)
class Section:
    code: str
    title: Text
    items: tuple[Item, ...]


class TemplateKind(StrEnum):
    BASE = "base"
    SUPPLEMENT = "supplement"


@dataclass(frozen=True)
class AppliesTo:
    """Which visits a template is for; an empty set means "any"."""

    visit_kinds: frozenset[VisitKind] = frozenset()
    loan_types: frozenset[LoanType] = frozenset()
    industries: frozenset[Industry] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.visit_kinds or self.loan_types or self.industries)

    def matches(
        self, visit_kind: VisitKind, loan_types: Iterable[LoanType], industry: Industry
    ) -> bool:
        return (
            (not self.visit_kinds or visit_kind in self.visit_kinds)
            and (not self.loan_types or not self.loan_types.isdisjoint(loan_types))
            and (not self.industries or industry in self.industries)
        )


@dataclass(frozen=True)
class Template:
    code: str
    version: int
    title: Text
    kind: TemplateKind
    applies_to: AppliesTo
    sections: tuple[Section, ...]
    path: Path | None = field(default=None, compare=False)

    @property
    def ref(self) -> str:
        """How a visit records which template (and version) it was filled with."""
        return f"{self.code}@{self.version}"

    def items(self) -> Iterator[Item]:
        for section in self.sections:
            yield from section.items


class TemplateError(Exception):
    """One problem in a template file, located as precisely as the loader could."""

    def __init__(self, file: str, line: int | None, item_code: str | None, problem: str) -> None:
        super().__init__(file, line, item_code, problem)
        self.file = file
        self.line = line
        self.item_code = item_code
        self.problem = problem

    def __str__(self) -> str:
        where = Path(self.file).name + (f":{self.line}" if self.line is not None else "")
        item = f" item {self.item_code}:" if self.item_code else ""
        return f"{where}:{item} {self.problem}"


class TemplateValidationError(Exception):
    """Every problem found while loading one or more template files."""

    def __init__(self, errors: list[TemplateError]) -> None:
        super().__init__(errors)
        self.errors = errors

    def __str__(self) -> str:
        head = f"{len(self.errors)} problem(s) in checklist templates:"
        return "\n".join([head, *(f"  {e}" for e in self.errors)])


def default_template_dir() -> Path:
    return resources.templates_dir()


# --- YAML with line numbers ----------------------------------------------------------------


class _Mapping(dict[Any, Any]):
    """A YAML mapping that remembers where it and each of its keys were written."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}
        self.duplicates: list[tuple[Any, int]] = []


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    data = _Mapping(node.start_mark.line + 1)
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


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
# YAML 1.1 reads yes/no/on/off as booleans, which would turn `abnormal: [no]` into [False].
# Answer values are spelt yes/no, so here only true/false are booleans.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


# --- validation ----------------------------------------------------------------------------

_TEMPLATE_KEYS = ("code", "version", "title", "kind", "applies_to", "sections")
_TEMPLATE_REQUIRED = ("code", "version", "title", "kind", "sections")
_APPLIES_TO_KEYS = ("visit_kinds", "loan_types", "industries")
_SECTION_KEYS = ("code", "title", "items")
_ITEM_KEYS = (
    "code",
    "question",
    "type",
    "choices",
    "abnormal",
    "when_abnormal",
    "signal",
    "required",
    "source",
)
_ITEM_REQUIRED = ("code", "question", "type", "source")
_CHOICE_KEYS = ("code", "zh", "en")
_SIGNAL_KEYS = ("category", "severity", "title")
_TEMPLATE_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_ITEM_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _expected(values: Iterable[str]) -> str:
    return ", ".join(values)


class _Reader:
    """Turns one parsed file into a Template, recording every problem on the way."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.errors: list[TemplateError] = []

    def error(self, line: int | None, item_code: str | None, problem: str) -> None:
        self.errors.append(TemplateError(str(self.file), line, item_code, problem))

    def keys(
        self,
        m: _Mapping,
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
                    suggestion = f"allowed: {_expected(allowed)}"
                self.error(m.key_lines[key], item, f"{prefix}unknown key '{key}' ({suggestion})")
        for key in required:
            if key not in m:
                why = " (every item must cite where it comes from)" if key == "source" else ""
                self.error(m.line, item, f"{prefix}missing '{key}'{why}")

    def mapping(self, value: Any, line: int | None, item: str | None, what: str) -> _Mapping | None:
        if isinstance(value, _Mapping):
            return value
        self.error(line, item, f"{what} must be a mapping of 'key: value' lines, not {value!r}")
        return None

    def string(self, m: _Mapping, key: str, item: str | None, what: str) -> str | None:
        value = m.get(key)
        if key not in m:
            return None  # reported by keys()
        if not isinstance(value, str) or not value.strip():
            self.error(m.key_lines[key], item, f"{what} must be non-empty text, not {value!r}")
            return None
        return value.strip()

    def text(self, m: _Mapping, key: str, item: str | None, what: str) -> Text | None:
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
            allowed = _expected(str(e.value) for e in enum)
            self.error(line, item, f"unknown {what} {value!r} (expected one of: {allowed})")
            return None

    def enum_list(self, m: _Mapping, key: str, enum: type[_E], what: str) -> frozenset[_E]:
        if key not in m:
            return frozenset()
        values = m[key]
        if not isinstance(values, list):
            values = [values]
        found = (self.enum(v, m.key_lines[key], None, enum, what) for v in values)
        return frozenset(v for v in found if v is not None)

    def boolean(self, m: _Mapping, key: str, item: str | None, default: bool, what: str) -> bool:
        value = m.get(key, default)
        if not isinstance(value, bool):
            self.error(m.key_lines[key], item, f"{what} must be true or false, not {value!r}")
            return default
        return value

    # -- the structure, top down --

    def template(self, doc: Any) -> Template | None:
        top = self.mapping(doc, 1, None, "the template")
        if top is None:
            return None
        before = len(self.errors)
        self.keys(top, "template", _TEMPLATE_KEYS, _TEMPLATE_REQUIRED)
        code = self.string(top, "code", None, "template code")
        if code is not None and not _TEMPLATE_CODE.match(code):
            self.error(
                top.key_lines["code"],
                None,
                f"template code {code!r} must be lowercase words joined by '_' or '.'",
            )
        version = top.get("version")
        if "version" in top and (type(version) is not int or version < 1):
            self.error(
                top.key_lines["version"],
                None,
                f"version must be a whole number ≥ 1, not {version!r}",
            )
        title = self.text(top, "title", None, "template title")
        kind = None
        if "kind" in top:
            kind = self.enum(
                top["kind"], top.key_lines["kind"], None, TemplateKind, "template kind"
            )
        applies_to = self.applies_to(top)
        if kind is TemplateKind.SUPPLEMENT and applies_to.empty:
            self.error(
                top.key_lines.get("applies_to", top.line),
                None,
                "a supplement must say in 'applies_to' which visits it is added to",
            )
        sections = self.sections(top)
        # A missing or non-integer version was reported above; the isinstance only narrows.
        if len(self.errors) > before or not (code and title and kind and isinstance(version, int)):
            return None
        return Template(code, version, title, kind, applies_to, sections, self.file)

    def applies_to(self, top: _Mapping) -> AppliesTo:
        if "applies_to" not in top:
            return AppliesTo()
        m = self.mapping(top["applies_to"], top.key_lines["applies_to"], None, "applies_to")
        if m is None:
            return AppliesTo()
        self.keys(m, "applies_to", _APPLIES_TO_KEYS, ())
        return AppliesTo(
            self.enum_list(m, "visit_kinds", VisitKind, "visit kind"),
            self.enum_list(m, "loan_types", LoanType, "loan type"),
            self.enum_list(m, "industries", Industry, "industry"),
        )

    def sections(self, top: _Mapping) -> tuple[Section, ...]:
        raw = top.get("sections")
        if "sections" not in top:
            return ()
        if not isinstance(raw, list) or not raw:
            self.error(top.key_lines["sections"], None, "'sections' must be a non-empty list")
            return ()
        sections: list[Section] = []
        seen_sections: dict[str, int] = {}
        seen_items: dict[str, int] = {}
        for value in raw:
            m = self.mapping(value, top.key_lines["sections"], None, "a section")
            if m is None:
                continue
            self.keys(m, "section", _SECTION_KEYS, _SECTION_KEYS)
            code = self.string(m, "code", None, "section code")
            if code is not None:
                if code in seen_sections:
                    self.error(
                        m.line,
                        None,
                        f"duplicate section code {code!r} (first on line {seen_sections[code]})",
                    )
                seen_sections.setdefault(code, m.line)
            title = self.text(m, "title", None, f"section {code or '?'} title")
            items = self.items(m, code or "?", seen_items)
            if code and title and items:
                sections.append(Section(code, title, items))
        return tuple(sections)

    def items(self, section: _Mapping, section_code: str, seen: dict[str, int]) -> tuple[Item, ...]:
        raw = section.get("items")
        if "items" not in section:
            return ()
        if not isinstance(raw, list) or not raw:
            self.error(section.key_lines["items"], None, f"section {section_code} has no items")
            return ()
        items: list[Item] = []
        for value in raw:
            m = self.mapping(value, section.key_lines["items"], None, "an item")
            if m is None:
                continue
            code = m.get("code") if isinstance(m.get("code"), str) else None
            if code is not None:
                if code in seen:
                    self.error(
                        m.line, code, f"duplicate item code (first used on line {seen[code]})"
                    )
                seen.setdefault(code, m.line)
            item = self.item(m, section_code, code)
            if item is not None:
                items.append(item)
        return tuple(items)

    def item(self, m: _Mapping, section_code: str, code: str | None) -> Item | None:
        before = len(self.errors)
        self.keys(m, "item", _ITEM_KEYS, _ITEM_REQUIRED, code)
        if code is not None and not _ITEM_CODE.match(code):
            self.error(
                m.key_lines["code"], code, "item code must be letters, digits, '-', '_' or '.'"
            )
        elif "code" in m and code is None:
            self.error(m.key_lines["code"], None, f"item code must be text, not {m['code']!r}")
        question = self.text(m, "question", code, "question")
        answer_type = None
        if "type" in m:
            answer_type = self.enum(m["type"], m.key_lines["type"], code, AnswerType, "answer type")
        choices = self.choices(m, answer_type, code)
        abnormal = self.abnormal(m, answer_type, choices, code)
        evidence = self.evidence(m, code)
        signal = self.signal(m, code)
        if "abnormal" not in m:
            for key in ("signal", "when_abnormal"):
                if key in m:
                    self.error(m.key_lines[key], code, f"'{key}' given but no answer is 'abnormal'")
        required = self.boolean(m, "required", code, True, "required")
        source = self.string(m, "source", code, "source")
        if len(self.errors) > before or not (code and question and answer_type and source):
            return None
        return Item(
            code,
            section_code,
            question,
            answer_type,
            source,
            choices,
            abnormal,
            evidence,
            signal,
            required,
            m.line,
        )

    def choices(
        self, m: _Mapping, answer_type: AnswerType | None, code: str | None
    ) -> tuple[Choice, ...]:
        if "choices" not in m:
            if answer_type is AnswerType.CHOICE:
                self.error(m.line, code, "a choice item needs 'choices'")
            return ()
        line = m.key_lines["choices"]
        if answer_type is not None and answer_type is not AnswerType.CHOICE:
            self.error(line, code, f"'choices' given but the answer type is '{answer_type}'")
            return ()
        raw = m["choices"]
        if not isinstance(raw, list) or len(raw) < 2:
            self.error(line, code, "'choices' must be a list of at least two {code, zh, en}")
            return ()
        choices: list[Choice] = []
        for value in raw:
            c = self.mapping(value, line, code, "a choice")
            if c is None:
                continue
            self.keys(c, "choice", _CHOICE_KEYS, _CHOICE_KEYS, code)
            choice_code = self.string(c, "code", code, "choice code")
            if choice_code in {ch.code for ch in choices}:
                self.error(c.line, code, f"choice code {choice_code!r} is given twice")
                continue
            zh, en = (
                self.string(c, lang, code, f"choice {choice_code} '{lang}'")
                for lang in ("zh", "en")
            )
            if choice_code and zh and en:
                choices.append(Choice(choice_code, Text(zh, en)))
        return tuple(choices)

    def abnormal(
        self,
        m: _Mapping,
        answer_type: AnswerType | None,
        choices: tuple[Choice, ...],
        code: str | None,
    ) -> AbnormalRule:
        if "abnormal" not in m or answer_type is None:
            return AbnormalRule()
        raw, line = m["abnormal"], m.key_lines["abnormal"]
        if answer_type in (AnswerType.DATE, AnswerType.TEXT):
            self.error(line, code, f"a {answer_type} answer cannot be abnormal; remove 'abnormal'")
            return AbnormalRule()
        if answer_type in (AnswerType.NUMBER, AnswerType.MONEY):
            return self.bounds(raw, line, code)
        if answer_type is AnswerType.CHOICE and not choices:
            return AbnormalRule()  # the missing choices are already reported
        valid = (
            YES_NO_VALUES if answer_type is AnswerType.YES_NO else tuple(c.code for c in choices)
        )
        values = raw if isinstance(raw, list) else [raw]
        if not values:
            self.error(line, code, "'abnormal' is empty; leave it out if no answer is abnormal")
        for value in values:
            if value not in valid:
                self.error(
                    line,
                    code,
                    f"abnormal value {value!r} is not a valid {answer_type} answer "
                    f"(expected: {_expected(valid)})",
                )
        listed = frozenset(v for v in values if v in valid)
        if valid and listed == set(valid):
            self.error(line, code, "every possible answer is listed as abnormal")
        return AbnormalRule(values=listed)

    def bounds(self, raw: Any, line: int, code: str | None) -> AbnormalRule:
        m = self.mapping(raw, line, code, "'abnormal' for a number")
        if m is None:
            return AbnormalRule()
        self.keys(m, "abnormal", ("below", "above"), (), code)
        found: dict[str, Decimal] = {}
        for key in ("below", "above"):
            if key not in m:
                continue
            value = m[key]
            try:
                if isinstance(value, bool) or not isinstance(value, int | float | str):
                    raise InvalidOperation
                number = Decimal(str(value).strip())
                if not number.is_finite():
                    raise InvalidOperation
                found[key] = number
            except InvalidOperation:
                self.error(
                    m.key_lines[key], code, f"abnormal '{key}' must be a number, not {value!r}"
                )
        if not m:
            self.error(line, code, "'abnormal' for a number needs 'below' and/or 'above'")
        below, above = found.get("below"), found.get("above")
        if below is not None and above is not None and below >= above:
            self.error(
                line, code, f"abnormal 'below' ({below}) must be less than 'above' ({above})"
            )
        return AbnormalRule(below=below, above=above)

    def evidence(self, m: _Mapping, code: str | None) -> Evidence:
        if "when_abnormal" not in m:
            return Evidence()
        e = self.mapping(m["when_abnormal"], m.key_lines["when_abnormal"], code, "'when_abnormal'")
        if e is None:
            return Evidence()
        self.keys(e, "when_abnormal", ("note", "photo"), (), code)
        default = Evidence()
        return Evidence(
            note=self.boolean(e, "note", code, default.note, "when_abnormal note"),
            photo=self.boolean(e, "photo", code, default.photo, "when_abnormal photo"),
        )

    def signal(self, m: _Mapping, code: str | None) -> SignalSpec | None:
        if "signal" not in m:
            return None
        s = self.mapping(m["signal"], m.key_lines["signal"], code, "'signal'")
        if s is None:
            return None
        self.keys(s, "signal", _SIGNAL_KEYS, _SIGNAL_KEYS, code)
        category = severity = None
        if "category" in s:
            category = self.enum(
                s["category"], s.key_lines["category"], code, SignalCategory, "signal category"
            )
        if "severity" in s:
            severity = self.enum(
                s["severity"], s.key_lines["severity"], code, Severity, "signal severity"
            )
        title = self.text(s, "title", code, "signal title")
        if category is None or severity is None or title is None:
            return None
        return SignalSpec(category, severity, title)


# --- loading -------------------------------------------------------------------------------


def _read(path: Path) -> tuple[Template | None, list[TemplateError]]:
    try:
        # utf-8-sig: Windows editors often prepend a byte-order mark.
        source = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None, [TemplateError(str(path), None, None, "file not found")]
    except UnicodeDecodeError:
        problem = "file is not UTF-8 text; save it again choosing the UTF-8 encoding"
        return None, [TemplateError(str(path), None, None, problem)]
    except OSError as exc:
        return None, [TemplateError(str(path), None, None, f"cannot read file: {exc.strerror}")]
    return _parse(path, source)


def _parse(path: Path, source: str) -> tuple[Template | None, list[TemplateError]]:
    reader = _Reader(path)
    try:
        # _LineLoader is a SafeLoader: no arbitrary Python objects from a template.
        doc = yaml.load(source, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        if "flow" in problem:
            problem += " (inside { } or [ ], put a text containing , : ? # [ ] { } in quotes)"
        return None, [TemplateError(str(path), line, None, f"YAML syntax error: {problem}")]
    except yaml.YAMLError as exc:
        return None, [TemplateError(str(path), None, None, f"YAML syntax error: {exc}")]
    if doc is None:
        return None, [TemplateError(str(path), None, None, "the file is empty")]
    template = reader.template(doc)
    reader.errors.sort(key=lambda e: e.line or 0)
    return template, reader.errors


def load_template(path: Path) -> Template:
    """Load and validate one template file; raise TemplateValidationError listing every problem."""
    template, errors = _read(path)
    if errors or template is None:
        raise TemplateValidationError(errors)
    return template


def load_template_text(source: str, name: Path) -> Template:
    """load_template on a template's text (e.g. one published by headquarters); ``name`` is
    what error messages call it. Raises TemplateValidationError listing every problem."""
    template, errors = _parse(name, source.removeprefix("\ufeff"))
    if errors or template is None:
        raise TemplateValidationError(errors)
    return template


def cross_check(templates: list[Template]) -> list[TemplateError]:
    """The rules between templates (codes of templates, sections and items used once)."""
    return _cross_check(templates)


def _cross_check(templates: list[Template]) -> list[TemplateError]:
    """Codes must be unique across templates too, since a visit combines several of them."""
    errors: list[TemplateError] = []
    codes: dict[str, Template] = {}
    sections: dict[str, Template] = {}
    items: dict[str, Template] = {}
    for t in templates:
        file = str(t.path)
        if t.code in codes:
            problem = f"template code {t.code!r} is also used by {_name(codes[t.code])}"
            errors.append(TemplateError(file, None, None, problem))
        codes.setdefault(t.code, t)
        for section in t.sections:
            if section.code in sections:
                problem = (
                    f"section code {section.code!r} is also used by {_name(sections[section.code])}"
                )
                errors.append(TemplateError(file, None, None, problem))
            sections.setdefault(section.code, t)
            for item in section.items:
                if item.code in items:
                    problem = f"item code is also used by {_name(items[item.code])}"
                    errors.append(TemplateError(file, item.line, item.code, problem))
                items.setdefault(item.code, t)
    return errors


def _name(template: Template) -> str:
    return template.path.name if template.path else template.code


def _template_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    return files


def _load_all(paths: Iterable[Path]) -> tuple[list[Template], list[TemplateError]]:
    templates: list[Template] = []
    errors: list[TemplateError] = []
    for path in _template_files(paths):
        template, file_errors = _read(path)
        errors.extend(file_errors)
        if template is not None:
            templates.append(template)
    return templates, errors + _cross_check(templates)


def load_template_dir(directory: Path) -> dict[str, Template]:
    """Load every *.yaml in a directory, keyed by template code; all problems raised together."""
    if not directory.is_dir():
        raise TemplateValidationError(
            [TemplateError(str(directory), None, None, "not a directory")]
        )
    templates, errors = _load_all([directory])
    if errors:
        raise TemplateValidationError(errors)
    return {t.code: t for t in templates}


def check_template_files(paths: list[Path]) -> list[TemplateError]:
    """Every problem in the given files (directories: their *.yaml; none: the default dir)."""
    return _load_all(paths or [default_template_dir()])[1]
