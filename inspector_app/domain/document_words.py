"""The parts of a visit document named as the officer knows them, for a refusal they read.

A pushed visit names things by codes: an item R-WIL-02, a template routine@3, a collateral
item and a signal by their ids, a field by its place in the document (answers[3].value). The
officer knows them by what the editor shows: an item by its section and question, a template
by its title and version, a collateral item by its description, a signal by its title, a
photo by its file name. domain.visit_rules words its refusals with these; the codes stay in
the refusal's detail, for IT and the logs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from inspector_app.common.text import Text
from inspector_app.domain.template import Item, Section, Template, TemplateKind

__all__ = [
    "TEXT_FIELD_NAMES",
    "DocumentWords",
    "combination_problem",
    "data_words",
    "template_name",
    "unknown_templates",
]

# What each text field is called in a refusal the officer reads (keys of
# visit_rules.TEXT_LIMITS; the store's refusals of an edit use them too).
TEXT_FIELD_NAMES: dict[str, Text] = {
    "place": Text("检查地点", "the place"),
    "people_met": Text("会见人员", "the people met"),
    "general_note": Text("总体情况", "the general note"),
    "override_reason": Text("调整分类理由", "the reason for the classification"),
    "measures": Text("拟采取措施", "the measures"),
    "answer.value": Text("检查项答案", "an answer"),
    "answer.note": Text("检查项说明", "an item's note"),
    "note.text": Text("备注", "a note"),
    "photo.original_name": Text("照片文件名", "a photo's file name"),
    "photo.caption": Text("照片说明", "a photo's caption"),
    "observation.condition": Text("抵质押物状况", "a collateral item's condition"),
    "observation.note": Text("抵质押物说明", "a collateral item's note"),
    "observation.quantity_unit": Text("数量单位", "a quantity's unit"),
    "found_item.description": Text("抵质押物名称", "a collateral item's description"),
    "found_item.location": Text("抵质押物位置", "a collateral item's location"),
    "signal.title": Text("预警信号标题", "a signal's title"),
    "signal.description": Text("预警信号说明", "a signal's description"),
    "signal.source_ref": Text("预警信号来源", "a signal's source"),
    "step.reason": Text("预警信号处理理由", "a signal step's reason"),
    "report.signer_name": Text("签署人", "a report's signer"),
    "report.lang": Text("报告语言", "a report's language"),
}

# The visit's own fields, by their place in the document.
_VISIT_FIELDS: dict[str, Text] = {
    "id": Text("检查记录编号", "the visit's id"),
    "kind": Text("检查类型", "the kind of inspection"),
    "status": Text("检查记录状态", "the visit's status"),
    "revision": Text("修订版本号", "the revision number"),
    "previous_revision_id": Text("上一修订版本", "the previous revision"),
    "visit_date": Text("检查日期", "the visit date"),
    "next_due_on": Text("下次检查日期", "the next inspection date"),
    "recommended_classification": Text("建议分类", "the recommended classification"),
    "final_classification": Text("认定分类", "the final classification"),
    "template_refs": Text("检查模板", "the templates"),
    **{f: TEXT_FIELD_NAMES[f] for f in ("place", "people_met", "general_note",
                                        "override_reason", "measures")},
}

# A part's fields: (Chinese, English leading into the part's name). An empty pair is the part
# itself (e.g. an answer's item_code: the item is how the answer is named).
_PART_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "answers": {"id": ("编号", "the id of"), "item_code": ("", ""),
                "note": ("说明", "the note on"), "value": ("答案", "the answer to")},
    "notes": {"id": ("编号", "the id of"), "item_code": ("所属检查项", "the item of"),
              "text": ("", "")},
    "photos": {"id": ("编号", "the id of"), "item_code": ("所属检查项", "the item of"),
               "collateral_item_id": ("所属抵质押物", "the collateral item of"),
               "original_name": ("文件名", "the file name of"),
               "caption": ("说明", "the caption of"), "width": ("宽度", "the width of"),
               "height": ("高度", "the height of"), "size_bytes": ("文件大小", "the size of"),
               "gps_lat": ("纬度", "the latitude of"), "gps_lon": ("经度", "the longitude of")},
    "observations": {
        "id": ("记录编号", "the id of"), "collateral_item_id": ("", ""),
        "status": ("状态", "the status of"), "estimated_value_fen": ("估值", "the estimate of"),
        "condition": ("状况", "the condition of"), "note": ("说明", "the note on"),
        "registered_quantity_milli": ("登记数量", "the registered quantity of"),
        "found_quantity_milli": ("实有数量", "the quantity found of"),
        "quantity_unit": ("数量单位", "the unit of quantity of"),
        "found_item.kind": ("类别", "the kind of"),
        "found_item.description": ("名称", "the description of"),
        "found_item.location": ("位置", "the location of"),
        "found_item.appraised_value_fen": ("估值", "the estimate of")},
    "signals": {"id": ("编号", "the id of"), "category": ("类别", "the category of"),
                "severity": ("等级", "the severity of"), "source": ("来源", "the source of"),
                "source_ref": ("来源", "the source of"), "status": ("状态", "the status of"),
                "title": ("标题", "the title of"), "description": ("说明", "the description of"),
                "raised_on": ("发起日期", "the date raised of")},
    "reports": {"id": ("编号", "the id of"), "size_bytes": ("文件大小", "the size of"),
                "signer_name": ("签署人", "the signer of"), "lang": ("语言", "the language of")},
}
_STEP_FIELDS = {"id": ("编号", "the id of"), "step": ("类型", "the kind of"),
                "reason": ("理由", "the reason of")}

_PART = re.compile(r"(?P<part>[a-z_]+)\[(?P<i>\d+)\](?:\.(?P<rest>.+))?")
_STEP = re.compile(r"steps\[(?P<j>\d+)\]\.(?P<field>\w+)")
# Names quoted from what someone typed stay short: a refusal is one sentence.
_DATA_CHARS = 30


def template_name(title: Text, version: int) -> Text:
    """A template as people read it: 常规贷后检查（第3版） / Routine … (version 3)."""
    return Text(f"{title.zh}（第{version}版）", f"{title.en} (version {version})")


def data_words(value: Any) -> str:
    """Something typed (a description, a file name, a refused value) as a refusal quotes it:
    on one line, at most _DATA_CHARS characters, and never holding " / ", which separates
    the languages of the message it goes into."""
    text = " ".join(str(value).split()).replace(" / ", "/")
    return text if len(text) <= _DATA_CHARS else text[:_DATA_CHARS - 1] + "…"


def _quoted(name: Text) -> Text:
    return Text(f"「{name.zh}」", f"“{name.en}”")


def _listed(names: Sequence[Text]) -> Text:
    return Text("、".join(n.zh for n in names), ", ".join(n.en for n in names))


def _newest_first(templates: Iterable[Template]) -> list[Template]:
    return sorted(templates, key=lambda t: t.version, reverse=True)


def unknown_templates(unknown: Sequence[str], templates: Iterable[Template]) -> Text:
    """Why a visit naming the ``unknown`` refs is refused: each named by its code's title (from
    the newest version headquarters has) and the version asked for; a code it does not know
    at all is counted, not spelled out."""
    titles: dict[str, Text] = {}
    for t in _newest_first(templates):
        titles.setdefault(t.code, t.title)
    named: list[Text] = []
    strangers = 0
    for ref in unknown:
        code, _, version = ref.partition("@")
        if code in titles and version.isdigit():
            named.append(_quoted(template_name(titles[code], int(version))))
        else:
            strangers += 1
    sentences: list[Text] = []
    if named:
        are = "is" if len(named) == 1 else "are"
        listed = _listed(named)
        sentences.append(Text(f"本次检查所用的检查模板{listed.zh}总行尚未发布",
                              f"this visit's template {listed.en} {are} not published at "
                              "headquarters"))
    if strangers:
        sentences.append(Text(f"本次检查所用的检查模板中有{strangers}个总行没有",
                              f"{strangers} of this visit's templates "
                              f"{'is' if strangers == 1 else 'are'} unknown at headquarters"))
    return Text("；".join(s.zh for s in sentences), "; ".join(s.en for s in sentences))


def combination_problem(chosen: Sequence[Template]) -> Text | None:
    """Why the templates a visit names (base first, then supplements) do not make one
    checklist, or None if they do (domain.checklist.Checklist's rules, in words)."""
    if not chosen:
        return Text("本次检查未指明检查模板", "the visit names no template")
    names = [_quoted(template_name(t.title, t.version)) for t in chosen]
    if chosen[0].kind is not TemplateKind.BASE:
        return Text(f"{names[0].zh}是补充模板，不能作为本次检查的基础模板",
                    f"{names[0].en} is a supplement, not the base of a visit")
    for name, template in zip(names[1:], chosen[1:], strict=True):
        if template.kind is not TemplateKind.SUPPLEMENT:
            return Text(f"{names[0].zh}与{name.zh}都是基础模板，一次检查只能有一个",
                        f"{names[0].en} and {name.en} are both base templates; a visit has one")
    seen: dict[str, Text] = {}
    for name, template in zip(names, chosen, strict=True):
        for section in template.sections:
            for item in section.items:
                if item.code in seen:
                    both = _listed([seen[item.code], name])
                    return Text(f"检查项{_item_name(section, item).zh}同时出现在{both.zh}中",
                                f"the item {_item_name(section, item).en} is in both "
                                f"{both.en.replace(', ', ' and ')}")
                seen[item.code] = name
    return None


def _item_name(section: Section, item: Item) -> Text:
    return _quoted(Text(f"{section.title.zh} › {item.question.zh}",
                        f"{section.title.en} › {item.question.en}"))


class DocumentWords:
    """How a refusal names the place ``where`` (visit_rules' field path) in ``doc``.

    ``templates``: every template headquarters has (an item not in the visit's own templates
    may still be named from another); ``collateral``: the borrower's register, id ->
    description."""

    def __init__(self, doc: Mapping[str, Any], templates: Iterable[Template],
                 collateral: Mapping[str, str]) -> None:
        self._doc = doc
        self._collateral = collateral
        refs = doc.get("template_refs")
        own = set(refs) if isinstance(refs, list) and all(isinstance(r, str) for r in refs) \
            else set()
        # The visit's own templates first, then the newest version of any other.
        ordered = sorted(templates, key=lambda t: (t.ref not in own, -t.version))
        self._items: dict[str, tuple[Section, Item, Template]] = {}
        for template in ordered:
            for section in template.sections:
                for item in section.items:
                    self._items.setdefault(item.code, (section, item, template))

    def item(self, code: Any) -> Text | None:
        """「section › question」, or None for a code no template has."""
        found = self._items.get(code) if isinstance(code, str) else None
        return None if found is None else _item_name(found[0], found[1])

    def place(self, where: str) -> Text:
        """The field at ``where`` in words, e.g. 检查项「还款意愿 › …」的说明."""
        if where in _VISIT_FIELDS:
            return _VISIT_FIELDS[where]
        match = _PART.fullmatch(where)
        if match is None or match["part"] not in _PART_FIELDS:
            return Text("检查记录", "the visit")
        part, i, rest = match["part"], int(match["i"]), match["rest"] or ""
        entry = self._entry(part, i)
        owner = self._owner(part, i, entry)
        step = _STEP.fullmatch(rest)
        if part == "signals" and step is not None:
            zh, en = _STEP_FIELDS.get(step["field"], ("", ""))
            j = int(step["j"]) + 1
            return Text(f"{owner.zh}第{j}步处理的{zh or '内容'}",
                        f"{en or 'the content of'} step {j} of {owner.en}")
        zh, en = _PART_FIELDS[part].get(rest, ("", ""))
        return Text(f"{owner.zh}的{zh}", f"{en} {owner.en}") if zh else owner

    def refs(self, where: str) -> dict[str, str]:
        """The codes behind the place ``where``, for the refusal's detail (IT, the logs)."""
        match = _PART.fullmatch(where)
        if match is None:
            return {}
        entry = self._entry(match["part"], int(match["i"]))
        keys = {"item_code": "item_code", "collateral_item_id": "collateral_item_id"}
        if match["part"] == "signals":
            keys = {"id": "signal_id", "source_ref": "signal_source_ref"}
        elif match["part"] == "photos":
            keys = {**keys, "id": "photo_id"}
        return {name: str(entry[key]) for key, name in keys.items()
                if isinstance(entry.get(key), str | int)}

    def _entry(self, part: str, i: int) -> Mapping[str, Any]:
        entries = self._doc.get(part)
        entry = entries[i] if isinstance(entries, list) and i < len(entries) else None
        return entry if isinstance(entry, Mapping) else {}

    def _owner(self, part: str, i: int, entry: Mapping[str, Any]) -> Text:
        n = i + 1
        item = self.item(entry.get("item_code"))
        if part == "answers":
            return (Text(f"检查项{item.zh}", f"the item {item.en}") if item is not None
                    else Text(f"第{n}个答案所答的检查项", f"the item of answer {n}"))
        if part == "notes":
            return (Text(f"检查项{item.zh}的备注", f"the note on the item {item.en}")
                    if item is not None else Text(f"第{n}条备注", f"note {n}"))
        if part == "photos":
            name = entry.get("original_name")
            return (Text(f"照片“{data_words(name)}”", f"the photo “{data_words(name)}”")
                    if isinstance(name, str) and name.strip() else
                    Text(f"第{n}张照片", f"photo {n}"))
        if part == "observations":
            return self._collateral_name(entry, n)
        if part == "signals":
            return self._signal_name(entry, n)
        return Text(f"第{n}份签署报告", f"signed report {n}")

    def _collateral_name(self, entry: Mapping[str, Any], n: int) -> Text:
        item_id = entry.get("collateral_item_id")
        found = entry.get("found_item")
        described = self._collateral.get(item_id) if isinstance(item_id, str) else None
        if not described and isinstance(found, Mapping) and isinstance(
                found.get("description"), str) and found["description"].strip():
            described = found["description"]
        if described:
            return Text(f"抵质押物「{data_words(described)}」",
                        f"the collateral item “{data_words(described)}”")
        return Text(f"第{n}项抵质押物", f"collateral item {n}")

    def _signal_name(self, entry: Mapping[str, Any], n: int) -> Text:
        # A checklist signal's title is the template's (both languages); the document holds
        # it in Chinese only. An officer's own is what they typed.
        ref = entry.get("source_ref")
        found = (self._items.get(ref.split(":")[0]) if entry.get("source") == "checklist"
                 and isinstance(ref, str) else None)
        if found is not None and found[1].signal is not None:
            title = found[1].signal.title
            return Text(f"预警信号「{title.zh}」", f"the warning signal “{title.en}”")
        typed = entry.get("title")
        if isinstance(typed, str) and typed.strip():
            return Text(f"预警信号「{data_words(typed)}」",
                        f"the warning signal “{data_words(typed)}”")
        return Text(f"第{n}个预警信号", f"warning signal {n}")
