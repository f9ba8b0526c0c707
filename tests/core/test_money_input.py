"""What the collateral estimate field relies on: yuan typed by the officer become exact fen,
anything that is not an amount is refused with a message in both languages."""

from __future__ import annotations

import pytest

from inspector_app.domain.checklist import AnswerError
from inspector_app.domain.money import format_fen, parse_yuan


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("1200000", 120_000_000),
        ("1,234.5", 123_450),
        ("¥1234", 123_400),
        ("￥１２３４．０５", 123_405),  # full-width, as a Chinese input method types it
        ("120万", 120_000_000),
        ("1.2亿元", 120_000_000_00),
        ("  88 元 ", 8_800),
        ("0", 0),
        ("RMB 10", 1_000),
    ],
)
def test_amounts_typed_in_any_usual_shape_become_fen(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("abc", "must be a number"),
        ("12o0", "must be a number"),
        ("", "amount is required"),
        ("-5", "negative"),
        ("1.234", "more than 2 decimals"),
        ("1e30", "too large"),
        ("nan", "must be a number"),
    ],
)
def test_what_is_not_an_amount_is_refused_in_both_languages(text: str, english: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_yuan(text)
    assert english in caught.value.message("en")
    assert caught.value.message("zh") and caught.value.message("zh") != caught.value.message("en")


@pytest.mark.parametrize("fen", [0, 5, 123_405, 120_000_000_00, 99_999_999_999_99])
def test_formatted_amounts_read_back_exactly(fen: int) -> None:
    # The estimate field shows format_fen in Chinese; what it shows must parse back.
    assert parse_yuan(format_fen(fen, "zh")) == fen


def test_format_shows_yuan_with_separators() -> None:
    assert format_fen(123_456_789) == "1,234,567.89 元"
    assert format_fen(123_456_789, "en") == "CNY 1,234,567.89"
