"""Amounts of money as officers type them and as the store keeps them (integer fen).

Officers type "120万", "¥1,200,000.00" or full-width digits from a Chinese input method; the
checklist engine already understands all of these for money answers, so the same parser is
used here and an estimate means the same thing wherever it is typed.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from inspector_app.common.text import Text
from inspector_app.domain.checklist import AnswerError, _parse_number

FEN_PER_YUAN = 100


def parse_yuan(text: str, *, allow_negative: bool = False) -> int:
    """What the officer typed, in fen; AnswerError (both languages) if it is not an amount."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        raise AnswerError(Text("请填写金额", "an amount is required"))
    value = _parse_number(cleaned, money=True)
    if value < 0 and not allow_negative:
        raise AnswerError(Text("金额不能为负数", "the amount cannot be negative"))
    return int(value * FEN_PER_YUAN)


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def format_fen(fen: int | None, lang: str = "zh") -> str:
    """An amount as the officer reads it: "1,200,000.00 元" / "CNY 1,200,000.00"."""
    if fen is None:
        return ""
    yuan = fen_to_yuan(fen)
    return f"CNY {yuan:,.2f}" if lang == "en" else f"{yuan:,.2f} 元"


def change_percent(appraised_fen: int, estimate_fen: int | None) -> Decimal | None:
    """(estimate − appraised) / appraised in percent, one decimal; None if not computable."""
    if estimate_fen is None or appraised_fen <= 0:
        return None
    change = Decimal(estimate_fen - appraised_fen) * 100 / Decimal(appraised_fen)
    return change.quantize(Decimal("0.1"))
