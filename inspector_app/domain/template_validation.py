"""Validating one parsed template file: its structure top down, then each item's answer
type, choices, abnormal answers, evidence and signal, every problem recorded with its line.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from inspector_app.common.text import Text
from inspector_app.domain.classification_rules import RuleSource
from inspector_app.domain.enums import (
    AnswerType,
    Classification,
    Industry,
    LoanType,
    RuleSourceKind,
    Severity,
    SignalCategory,
    VisitKind,
)
from inspector_app.domain.template import (
    AbnormalRule,
    AnswerFloor,
    AppliesTo,
    Choice,
    Evidence,
    Item,
    Section,
    SignalSpec,
    Template,
    TemplateKind,
)
from inspector_app.domain.template_yaml import LineMapping, ValueReader, comma_list

YES_NO_VALUES = ("yes", "no", "na")


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
    "floor",
    "required",
    "source",
)
_ITEM_REQUIRED = ("code", "question", "type", "source")
_CHOICE_KEYS = ("code", "zh", "en")
_SIGNAL_KEYS = ("category", "severity", "title")
_SIGNAL_OPTIONAL = ("event",)
_FLOOR_KEYS = ("at_least", "answers", "source")
_FLOOR_SOURCE_KEYS = ("kind", "zh", "en")
_TEMPLATE_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_ITEM_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class TemplateReader(ValueReader):
    """Turns one parsed file into a Template, recording every problem on the way."""

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

    def applies_to(self, top: LineMapping) -> AppliesTo:
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

    def sections(self, top: LineMapping) -> tuple[Section, ...]:
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

    def items(
        self, section: LineMapping, section_code: str, seen: dict[str, int]
    ) -> tuple[Item, ...]:
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

    def item(self, m: LineMapping, section_code: str, code: str | None) -> Item | None:
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
        floors = self.floors(m, answer_type, abnormal, code)
        if "abnormal" not in m:
            for key in ("signal", "when_abnormal", "floor"):
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
            floors,
            m.line,
        )

    def choices(
        self, m: LineMapping, answer_type: AnswerType | None, code: str | None
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
        m: LineMapping,
        answer_type: AnswerType | None,
        choices: tuple[Choice, ...],
        code: str | None,
    ) -> AbnormalRule:
        if "abnormal" not in m or answer_type is None:
            return AbnormalRule()
        raw, line = m["abnormal"], m.key_lines["abnormal"]
        if answer_type in (AnswerType.DATE, AnswerType.TEXT, AnswerType.RECIPIENT):
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
                    f"(expected: {comma_list(valid)})",
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

    def evidence(self, m: LineMapping, code: str | None) -> Evidence:
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

    def signal(self, m: LineMapping, code: str | None) -> SignalSpec | None:
        if "signal" not in m:
            return None
        s = self.mapping(m["signal"], m.key_lines["signal"], code, "'signal'")
        if s is None:
            return None
        self.keys(s, "signal", (*_SIGNAL_KEYS, *_SIGNAL_OPTIONAL), _SIGNAL_KEYS, code)
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
        event = self.boolean(s, "event", code, False, "signal event")
        if category is None or severity is None or title is None:
            return None
        return SignalSpec(category, severity, title, event)

    # -- floors: the minimum classification an abnormal answer sets --

    def floors(
        self, m: LineMapping, answer_type: AnswerType | None, abnormal: AbnormalRule,
        code: str | None,
    ) -> tuple[AnswerFloor, ...]:
        if "floor" not in m or "abnormal" not in m:
            return ()  # a floor without 'abnormal' is reported with the item
        raw, line = m["floor"], m.key_lines["floor"]
        entries = raw if isinstance(raw, list) else [raw]
        if not entries:
            self.error(line, code, "'floor' is empty; leave it out if no answer sets one")
        floors: list[AnswerFloor] = []
        for entry in entries:
            f = self.mapping(entry, line, code, "'floor'")
            if f is not None:
                floor = self.floor(f, answer_type, abnormal, code)
                if floor is not None:
                    floors.append(floor)
        # Each abnormal answer has at most one floor, so the template says one thing about it.
        seen: set[str] = set()
        for floor in floors:
            answers = floor.answers or abnormal.values or {"*"}
            if answers & seen:
                self.error(line, code, "an answer has two floors; give each answer one")
            seen |= answers
        return tuple(floors)

    def floor(
        self, f: LineMapping, answer_type: AnswerType | None, abnormal: AbnormalRule,
        code: str | None,
    ) -> AnswerFloor | None:
        self.keys(f, "floor", _FLOOR_KEYS, ("at_least", "source"), code)
        at_least = None
        if "at_least" in f:
            at_least = self.enum(f["at_least"], f.key_lines["at_least"], code, Classification,
                                 "classification")
            if at_least is Classification.NORMAL:
                self.error(f.key_lines["at_least"], code,
                           "a floor of 'normal' sets nothing; leave the floor out")
                at_least = None
        answers: frozenset[str] = frozenset()
        if "answers" in f:
            answers = self.floor_answers(f, answer_type, abnormal, code)
        source = self.floor_source(f, code)
        if at_least is None or source is None:
            return None
        return AnswerFloor(at_least, source, answers)

    def floor_answers(
        self, f: LineMapping, answer_type: AnswerType | None, abnormal: AbnormalRule,
        code: str | None,
    ) -> frozenset[str]:
        line = f.key_lines["answers"]
        if answer_type not in (AnswerType.YES_NO, AnswerType.CHOICE):
            self.error(line, code, "floor 'answers' is for yes/no and choice items; leave it "
                                   "out and the floor applies to every abnormal answer")
            return frozenset()
        raw = f["answers"]
        values = raw if isinstance(raw, list) else [raw]
        for value in values:
            if value not in abnormal.values:
                self.error(line, code, f"floor answer {value!r} is not one of the abnormal "
                                       f"answers ({comma_list(sorted(abnormal.values))})")
        return frozenset(v for v in values if v in abnormal.values)

    def floor_source(self, f: LineMapping, code: str | None) -> RuleSource | None:
        if "source" not in f:
            return None  # reported by keys(): every floor must cite its source
        s = self.mapping(f["source"], f.key_lines["source"], code, "floor 'source'")
        if s is None:
            return None
        self.keys(s, "floor source", _FLOOR_SOURCE_KEYS, _FLOOR_SOURCE_KEYS, code)
        kind = None
        if "kind" in s:
            kind = self.enum(s["kind"], s.key_lines["kind"], code, RuleSourceKind,
                             "source kind")
        zh, en = (self.string(s, lang, code, f"floor source '{lang}'") for lang in ("zh", "en"))
        if kind is None or zh is None or en is None:
            return None
        return RuleSource(kind, Text(zh, en))
