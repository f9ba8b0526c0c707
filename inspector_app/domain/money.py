"""Amounts of money as the officer types and reads them; the store keeps whole fen.

A yuan amount typed on a Chinese laptop comes in many shapes: "1,234.5", "¥1234", "120万",
"1.2亿元", full-width digits from the input method. parse_yuan accepts all of them and
refuses anything else with a message in both languages, so a slip is never stored as money.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation

from inspector_app.domain.checklist import AnswerError

# Larger than any collateral a branch lends against: beyond it the figure is a typing slip.
MAX_FEN = 10**17  # one trillion yuan
_UNITS = (("亿元", 8), ("亿", 8), ("万元", 4), ("万", 4), ("元", 0), ("yuan", 0))
_PREFIXES = ("¥", "￥", "rmb", "cny")


def parse_yuan(text: str) -> int:
    """The amount in fen for what the officer typed in yuan; AnswerError if it is no amount."""
    # NFKC folds full-width digits, commas and the full-width yen sign.
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    if not cleaned:
        raise AnswerError("请填写金额", "enter an amount")
    for prefix in _PREFIXES:
        cleaned = cleaned.removeprefix(prefix).strip()
    scale = 0
    for suffix, power in _UNITS:
        if cleaned.endswith(suffix):
            cleaned, scale = cleaned.removesuffix(suffix).strip(), power
            break
    try:
        value = Decimal(cleaned.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        raise AnswerError(
            "金额必须是数字，例如 1200000 或 120万", "the amount must be a number, e.g. 1200000"
        ) from None
    if not value.is_finite():
        raise AnswerError("金额必须是数字", "the amount must be a number")
    if value < 0:
        raise AnswerError("金额不能为负数", "the amount cannot be negative")
    fen = value.scaleb(scale + 2)
    if fen != fen.to_integral_value():
        raise AnswerError("金额最多精确到分（两位小数）", "the amount has more than 2 decimals")
    if fen >= MAX_FEN:
        raise AnswerError("金额超出合理范围", "the amount is too large")
    return int(fen)


def format_fen(fen: int, lang: str = "zh") -> str:
    """Fen as yuan with thousands separators and two decimals; parse_yuan reads it back."""
    sign, fen = ("-" if fen < 0 else ""), abs(fen)
    number = f"{sign}{fen // 100:,}.{fen % 100:02d}"
    return f"¥{number}" if lang == "en" else f"{number} 元"
