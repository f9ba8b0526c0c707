"""What a visit document may say: one definition for the laptop's store and for headquarters.

The store refuses an edit that breaks one of these rules before it is saved (text too long, an
estimate out of range, a visit date out of range); headquarters refuses a pushed document that
breaks any of them (document_problem), so an honest laptop never makes what headquarters
refuses, and headquarters never stores what an honest laptop could not have made.

The document is the visit as it goes over the wire, as JSON data (wire.VisitRecord's dump):
the domain knows nothing of the wire's classes, only of its field names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from inspector_app.common.text import Text
from inspector_app.domain.checklist import (
    AnswerError,
    Checklist,
    ChecklistSelectionError,
    Template,
    checklist_from_refs,
    parse_answer,
)
from inspector_app.domain.document_words import (
    TEXT_FIELD_NAMES,
    DocumentWords,
    combination_problem,
    data_words,
    unknown_templates,
)
from inspector_app.domain.enums import (
    Classification,
    CollateralKind,
    CollateralStatus,
    Severity,
    SignalCategory,
    SignalSource,
    SignalStatus,
    VisitKind,
    VisitStatus,
)

# --- limits -----------------------------------------------------------------------------------

# Beyond this an estimate is a typing slip (a hundred billion yuan), not a valuation.
MAX_ESTIMATE_FEN = 10**13
# A collateral quantity (in thousandths) below a trillion units: tonnes of stock, square
# metres, machines; anything larger is a typing slip.
MAX_QUANTITY_MILLI = 10**15
MAX_REVISION = 1000
# Visits are dated from this day on, and at most this far ahead of today (a laptop's clock, a
# time zone): anything else is a typing slip or a forged document.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_AHEAD = timedelta(days=366)
# The next inspection is due within this long after the visit (the policy's longest interval
# is a year; this is the outer bound a document may state at all).
LONGEST_NEXT_DUE = timedelta(days=5 * 366)
MAX_ID_CHARS = 64
MAX_VISIT_ID_CHARS = 36  # headquarters' visits.id column

# The longest text, in characters, each field may hold. Generous for a person typing; a
# document beyond them is a bug or an attack.
TEXT_LIMITS: dict[str, int] = {
    "place": 500,
    "people_met": 2000,
    "general_note": 20_000,
    "override_reason": 4000,
    "measures": 10_000,
    "answer.value": 4000,
    "answer.note": 4000,
    "note.text": 10_000,
    "photo.original_name": 255,
    "photo.caption": 2000,
    "observation.condition": 2000,
    "observation.note": 4000,
    "observation.quantity_unit": 20,
    "found_item.description": 500,
    "found_item.location": 500,
    "signal.title": 500,
    "signal.description": 4000,
    "signal.source_ref": 200,
    "step.reason": 4000,
    "report.signer_name": 200,
    "report.lang": 16,
}


@dataclass(frozen=True)
class Problem:
    """Why a document (or an edit) is refused: a stable code, where, and what to tell (in
    the officer's words: items by their question, never their code); ``detail``: the codes
    behind it (item_code, template_refs, ...), for IT and the logs."""

    code: str  # "too_long", "unknown_template", "unknown_item", "invalid_answer", ...
    where: str  # the field, e.g. "answers[3].value"
    text: Text
    detail: Mapping[str, Any] = dataclasses.field(default_factory=dict)


# --- single rules (the store calls these on edits) ----------------------------------------


def text_problem(name: str, value: str) -> Text | None:
    """Whether ``value`` is too long for the field ``name`` (a key of TEXT_LIMITS)."""
    if (too_long := _too_long(name, value)) is None:
        return None
    called = TEXT_FIELD_NAMES[name]
    return Text(f"{called.zh}{too_long.zh}", f"{called.en} is {too_long.en}")


def _too_long(name: str, value: str) -> Text | None:
    limit = TEXT_LIMITS[name]
    if len(value) <= limit:
        return None
    return Text(f"过长（{len(value)} 字，最多 {limit} 字）",
                f"too long ({len(value)} characters, at most {limit})")


def estimate_problem(fen: int) -> Text | None:
    """Whether an estimated (or found item's) value is out of range."""
    if 0 <= fen < MAX_ESTIMATE_FEN:
        return None
    return Text("估值须为不超过一千亿元的非负金额",
                "the estimate must be between 0 and 100 billion yuan")


def quantity_problem(registered_milli: int | None, found_milli: int | None) -> Text | None:
    """Whether a collateral item's registered or found quantity (thousandths) is out of range:
    each zero or more and below a trillion; a registered quantity above zero (a shortage is a
    share of it)."""
    for milli in (registered_milli, found_milli):
        if milli is not None and not 0 <= milli < MAX_QUANTITY_MILLI:
            return Text("数量须为不超过一万亿的非负数",
                        "a quantity must be between 0 and a trillion")
    if registered_milli == 0:
        return Text("登记数量须大于零", "the registered quantity must be above zero")
    return None


def visit_date_problem(visit_date: date, today: date) -> Text | None:
    """Whether a visit's date is out of range."""
    latest = today + LATEST_AHEAD
    if EARLIEST_DATE <= visit_date <= latest:
        return None
    return Text(f"检查日期须在 {EARLIEST_DATE} 至 {latest} 之间",
                f"the visit date must be between {EARLIEST_DATE} and {latest}")


def next_due_problem(visit_date: date, next_due_on: date) -> Text | None:
    """Whether a next inspection date is out of any range a policy could allow."""
    latest = visit_date + LONGEST_NEXT_DUE
    if visit_date <= next_due_on <= latest:
        return None
    return Text(f"下次检查日期须在 {visit_date} 至 {latest} 之间",
                f"the next inspection date must be between {visit_date} and {latest}")


# --- the whole document (headquarters) ------------------------------------------------------


class _Refused(Exception):
    """A rule broken at ``where``; ``reason`` says what is wrong with the field there (its name
    is put before it, in words, by document_problem), unless ``whole``: a sentence of its own."""

    def __init__(self, code: str, where: str, reason: Text, *, whole: bool = False,
                 detail: Mapping[str, Any] | None = None) -> None:
        super().__init__(code, where)
        self.code, self.where, self.reason, self.whole = code, where, reason, whole
        self.detail = detail or {}


def _refuse(code: str, where: str, reason: Text) -> _Refused:
    return _Refused(code, where, reason)


def document_problem(doc: Mapping[str, Any], templates: Iterable[Template],
                     collateral: Mapping[str, str] | Iterable[str], today: date
                     ) -> Problem | None:
    """The first rule the visit document breaks, or None if it keeps them all.

    ``templates``: every template version a visit may refer to (shipped and published);
    ``collateral``: the borrower's register (id -> description, or the ids alone);
    ``today``: the checker's date."""
    known = list(templates)
    register = dict(collateral) if isinstance(collateral, Mapping) else dict.fromkeys(
        collateral, "")
    try:
        _check(doc, known, frozenset(register), today)
    except _Refused as refused:
        words = DocumentWords(doc, known, register)
        text = refused.reason
        if not refused.whole:
            place = words.place(refused.where)
            text = Text(f"{place.zh}：{text.zh}", f"{place.en}: {text.en}")
        return Problem(refused.code, refused.where, text,
                       {**words.refs(refused.where), **refused.detail})
    return None


def _check(doc: Mapping[str, Any], templates: Iterable[Template],
           collateral: frozenset[str], today: date) -> None:
    _id(doc.get("id"), "id", MAX_VISIT_ID_CHARS)
    _enum(doc.get("kind"), VisitKind, "kind")
    _enum(doc.get("status"), VisitStatus, "status")
    revision = doc.get("revision")
    if not isinstance(revision, int) or not 1 <= revision <= MAX_REVISION:
        raise _refuse("invalid_value", "revision", _between(1, MAX_REVISION))
    if doc.get("previous_revision_id") is not None:
        _id(doc["previous_revision_id"], "previous_revision_id", MAX_VISIT_ID_CHARS)
    visit_date = _date(doc.get("visit_date"), "visit_date")
    if visit_date_problem(visit_date, today) is not None:
        raise _refuse("invalid_value", "visit_date",
                      _between(EARLIEST_DATE, today + LATEST_AHEAD))
    if doc.get("next_due_on") is not None:
        due = _date(doc["next_due_on"], "next_due_on")
        if next_due_problem(visit_date, due) is not None:
            raise _refuse("invalid_value", "next_due_on",
                          _between(visit_date, visit_date + LONGEST_NEXT_DUE))
    for field in ("recommended_classification", "final_classification"):
        if doc.get(field) is not None:
            _enum(doc[field], Classification, field)
    for field in ("place", "people_met", "general_note", "override_reason", "measures"):
        _text(doc.get(field, ""), field, field)
    checklist = _checklist(doc.get("template_refs"), templates)
    _answers(doc.get("answers") or [], checklist)
    for i, note in enumerate(doc.get("notes") or []):
        _id(note.get("id"), f"notes[{i}].id")
        _item_ref(note.get("item_code"), checklist, f"notes[{i}].item_code")
        _text(note.get("text", ""), "note.text", f"notes[{i}].text")
    for i, photo in enumerate(doc.get("photos") or []):
        _photo(photo, checklist, f"photos[{i}]")
    _observations(doc.get("observations") or [], collateral, today)
    for i, signal in enumerate(doc.get("signals") or []):
        _signal(signal, today, f"signals[{i}]")
    for i, report in enumerate(doc.get("reports") or []):
        _id(report.get("id"), f"reports[{i}].id")
        _count(report.get("size_bytes"), f"reports[{i}].size_bytes")
        _text(report.get("signer_name", ""), "report.signer_name", f"reports[{i}].signer_name")
        _text(report.get("lang", ""), "report.lang", f"reports[{i}].lang")


def _invalid(where: str, zh: str, en: str) -> _Refused:
    return _refuse("invalid_value", where, Text(zh, en))


def _between(earliest: object, latest: object) -> Text:
    return Text(f"须在 {earliest} 至 {latest} 之间", f"must be between {earliest} and {latest}")


def _id(value: Any, where: str, limit: int = MAX_ID_CHARS) -> None:
    if (not isinstance(value, str) or not 0 < len(value) <= limit
            or not value.isprintable() or value.strip() != value):
        raise _invalid(where, f"编号须为 1 至 {limit} 个可见字符",
                       f"an id must be 1 to {limit} visible characters")


def _enum(value: Any, enum: Any, where: str) -> None:
    codes = [m.value for m in enum]
    if value not in codes:
        # The values this headquarters knows go to the detail: they are codes, not words.
        raise _Refused("invalid_value", where, Text(
            f"“{data_words(value)}”不是总行认可的值",
            f"“{data_words(value)}” is not a value headquarters knows"),
            detail={"known_values": codes})


def _date(value: Any, where: str) -> date:
    try:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        raise _invalid(where, "日期格式错误", "not a date") from None


def _text(value: Any, field: str, where: str) -> None:
    if not isinstance(value, str):
        raise _invalid(where, "须为文字", "must be text")
    if (too_long := _too_long(field, value)) is not None:
        raise _refuse("too_long", where, too_long)


def _count(value: Any, where: str) -> None:
    if not isinstance(value, int) or value < 0:
        raise _invalid(where, "须为非负整数", "must be a whole number, 0 or more")


def _checklist(refs: Any, templates: Iterable[Template]) -> Checklist:
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        raise _invalid("template_refs", "须为模板列表", "must be a list of templates")
    known = list(templates)
    by_ref = {t.ref: t for t in known}
    unknown = [r for r in refs if r not in by_ref]
    detail = {"template_refs": refs}
    if unknown:
        raise _Refused("unknown_template", "template_refs", unknown_templates(unknown, known),
                       whole=True, detail={"template_refs": unknown})
    if (problem := combination_problem([by_ref[r] for r in refs])) is not None:
        raise _Refused("unknown_template", "template_refs", problem, whole=True, detail=detail)
    try:
        return checklist_from_refs(known, refs)
    except (ChecklistSelectionError, ValueError) as exc:  # what combination_problem missed
        raise _Refused("unknown_template", "template_refs", Text(
            "所选模板不能组成检查清单", "those templates do not make one checklist"),
            whole=True, detail={**detail, "problem": str(exc)}) from None


def _item_ref(code: Any, checklist: Checklist, where: str) -> None:
    if code is None:
        return
    try:
        checklist.item(str(code))
    except KeyError:
        raise _refuse("unknown_item", where, Text(
            "不在本次检查所用的模板中", "not in this visit's templates")) from None


def _answers(answers: list[Any], checklist: Checklist) -> None:
    seen: set[str] = set()
    for i, answer in enumerate(answers):
        where = f"answers[{i}]"
        _id(answer.get("id"), f"{where}.id")
        code = answer.get("item_code")
        _item_ref(code, checklist, f"{where}.item_code")
        if code is None or code in seen:
            raise _invalid(f"{where}.item_code", "有两个答案", "answered twice")
        seen.add(code)
        _text(answer.get("note", ""), "answer.note", f"{where}.note")
        value = answer.get("value")
        if value is None:
            continue
        _text(value, "answer.value", f"{where}.value")
        item = checklist.item(code)
        try:
            parse_answer(item, value)
        except AnswerError as exc:
            raise _refuse("invalid_answer", f"{where}.value", Text(
                f"“{data_words(value)}”无效，{exc.text.zh}",
                f"“{data_words(value)}” is not valid: {exc.text.en}")) from None


def _photo(photo: Mapping[str, Any], checklist: Checklist, where: str) -> None:
    _id(photo.get("id"), f"{where}.id")
    _item_ref(photo.get("item_code"), checklist, f"{where}.item_code")
    if photo.get("collateral_item_id") is not None:
        _id(photo["collateral_item_id"], f"{where}.collateral_item_id")
    _text(photo.get("original_name", ""), "photo.original_name", f"{where}.original_name")
    _text(photo.get("caption", ""), "photo.caption", f"{where}.caption")
    for field in ("width", "height", "size_bytes"):
        _count(photo.get(field), f"{where}.{field}")
    for field, bound in (("gps_lat", 90), ("gps_lon", 180)):
        value = photo.get(field)
        if value is not None and not (isinstance(value, int | float) and -bound <= value <= bound):
            raise _invalid(f"{where}.{field}", "坐标超出范围", "coordinate out of range")


def _observations(observations: list[Any], collateral: frozenset[str], today: date) -> None:
    seen: set[str] = set()
    for i, o in enumerate(observations):
        where = f"observations[{i}]"
        _id(o.get("id"), f"{where}.id")
        item_id = o.get("collateral_item_id")
        _id(item_id, f"{where}.collateral_item_id")
        if item_id in seen:
            raise _invalid(f"{where}.collateral_item_id", "记录了两次", "observed twice")
        seen.add(item_id)
        found = o.get("found_item")
        if found is None and item_id not in collateral:
            raise _refuse("unknown_collateral", f"{where}.collateral_item_id", Text(
                "不在本借款人的押品登记中，也未标记为现场发现",
                "not in this borrower's collateral register, nor marked as found on site"))
        _enum(o.get("status"), CollateralStatus, f"{where}.status")
        if o.get("estimated_value_fen") is not None:
            _money(o["estimated_value_fen"], f"{where}.estimated_value_fen")
        _text(o.get("condition", ""), "observation.condition", f"{where}.condition")
        _text(o.get("note", ""), "observation.note", f"{where}.note")
        _quantities(o, where)
        if found is not None:
            _enum(found.get("kind"), CollateralKind, f"{where}.found_item.kind")
            description = found.get("description")
            _text(description, "found_item.description", f"{where}.found_item.description")
            if not str(description).strip():
                raise _invalid(f"{where}.found_item.description", "不能为空",
                               "must not be empty")
            _text(found.get("location", ""), "found_item.location",
                  f"{where}.found_item.location")
            _money(found.get("appraised_value_fen"), f"{where}.found_item.appraised_value_fen")


def _quantities(observation: Mapping[str, Any], where: str) -> None:
    registered = observation.get("registered_quantity_milli")
    for field in ("registered_quantity_milli", "found_quantity_milli"):
        value = observation.get(field)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise _invalid(f"{where}.{field}", "数量须为整数（千分之一单位）",
                           "a quantity must be whole thousandths")
        # Each checked alone, so the refusal names the field that is wrong.
        alone = (value, None) if field == "registered_quantity_milli" else (registered or 1, value)
        if (problem := quantity_problem(*alone)) is not None:
            raise _refuse("invalid_value", f"{where}.{field}", problem)
    _text(observation.get("quantity_unit", ""), "observation.quantity_unit",
          f"{where}.quantity_unit")


def _money(value: Any, where: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _invalid(where, "金额须为整数（分）", "an amount must be whole fen")
    if (problem := estimate_problem(value)) is not None:
        raise _refuse("invalid_value", where, problem)


def _signal(signal: Mapping[str, Any], today: date, where: str) -> None:
    _id(signal.get("id"), f"{where}.id")
    _enum(signal.get("category"), SignalCategory, f"{where}.category")
    _enum(signal.get("severity"), Severity, f"{where}.severity")
    _enum(signal.get("source"), SignalSource, f"{where}.source")
    _enum(signal.get("status"), SignalStatus, f"{where}.status")
    for field, name in (("title", "signal.title"), ("description", "signal.description"),
                        ("source_ref", "signal.source_ref")):
        _text(signal.get(field, ""), name, f"{where}.{field}")
    raised = _date(signal.get("raised_on"), f"{where}.raised_on")
    if visit_date_problem(raised, today) is not None:
        raise _refuse("invalid_value", f"{where}.raised_on",
                      _between(EARLIEST_DATE, today + LATEST_AHEAD))
    for j, step in enumerate(signal.get("steps") or []):
        _id(step.get("id"), f"{where}.steps[{j}].id")
        _enum(step.get("step"), SignalStatus, f"{where}.steps[{j}].step")
        _text(step.get("reason", ""), "step.reason", f"{where}.steps[{j}].reason")
