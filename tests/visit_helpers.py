"""Answers a test can type for any checklist item: one the template calls normal."""

from __future__ import annotations

from decimal import Decimal

from inspector_app.domain.checklist import Item
from inspector_app.domain.enums import AnswerType


def normal_answer(item: Item) -> str:
    """A raw answer the item accepts and does not mark abnormal."""
    rule = item.abnormal
    match item.type:
        case AnswerType.YES_NO:
            return next(v for v in ("yes", "no", "na") if v not in rule.values)
        case AnswerType.CHOICE:
            return next(c.code for c in item.choices if c.code not in rule.values)
        case AnswerType.NUMBER | AnswerType.MONEY:
            value = Decimal(100)
            if rule.below is not None and value < rule.below:
                value = rule.below
            if rule.above is not None and value > rule.above:
                value = rule.above
            return str(value)
        case AnswerType.DATE:
            return "2026-11-20"
    return "情况正常"


def abnormal_answer(item: Item) -> str | None:
    """A raw answer the template marks abnormal, or None if the item has none."""
    rule = item.abnormal
    if item.type in (AnswerType.YES_NO, AnswerType.CHOICE) and rule.values:
        return sorted(rule.values)[0]
    if rule.below is not None:
        return str(rule.below - 1)
    if rule.above is not None:
        return str(rule.above + 1)
    return None
