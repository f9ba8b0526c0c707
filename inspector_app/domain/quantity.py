"""Quantities of collateral as officers type them (800, 2,459, 1,250.5, full-width digits) and
as the store keeps them: whole thousandths (milli-units), so no float touches a count, as
money is kept in fen.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from inspector_app.common.text import Text
from inspector_app.domain.checklist import AnswerError, _parse_number

MILLI = 1000


def parse_quantity(text: str) -> int:
    """What the officer typed, in thousandths; AnswerError (both languages) if it is not a
    quantity of zero or more with at most three decimals."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        raise AnswerError(Text("请填写数量", "a quantity is required"))
    value = _parse_number(cleaned, money=False)
    if value < 0:
        raise AnswerError(Text("数量不能为负数", "the quantity cannot be negative"))
    milli = value * MILLI
    if milli != milli.to_integral_value():
        raise AnswerError(Text("数量最多保留三位小数", "a quantity has at most 3 decimals"))
    return int(milli)


def quantity_of(milli: int) -> Decimal:
    """Thousandths back to the quantity: 2459000 → Decimal("2459")."""
    return (Decimal(milli) / MILLI).normalize() + 0  # + 0 turns 2.459E+3 into 2459


def quantity_text(quantity: Decimal) -> str:
    """As officers write it: 2459.000 → "2,459"; 1250.50 → "1,250.5"."""
    text = f"{quantity:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def plain_quantity(milli: int) -> str:
    """How a quantity field shows a stored one: 2459000 → "2,459"; 1250500 → "1,250.5"."""
    return quantity_text(quantity_of(milli))


def quantity_shortfall(registered_milli: int | None, found_milli: int | None) -> Decimal | None:
    """The share of the registered quantity not found (0.6747… for 800 of 2,459), exact, as
    the policy's thresholds compare it; None unless both are recorded and something was
    registered. Zero or less when nothing is short."""
    if not registered_milli or found_milli is None:
        return None
    return Decimal(registered_milli - found_milli) / Decimal(registered_milli)
