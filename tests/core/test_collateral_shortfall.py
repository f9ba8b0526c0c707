"""Collateral found short (a quantity against the registered one, or the value against the
appraisal): the shortfall in percent, its severity from the policy's tiers, and one signal per
item however many findings it has (domain.classification)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from inspector_app.domain.checklist import AnswerError
from inspector_app.domain.classification import (
    CollateralValueError,
    collateral_drop_signal,
    collateral_quantity_signal,
    collateral_shortfall,
    collateral_status_signal,
    one_collateral_signal,
    shortfall_percent,
)
from inspector_app.domain.enums import CollateralStatus, Severity, SignalCategory
from inspector_app.domain.policy import load_policy
from inspector_app.domain.quantity import parse_quantity, plain_quantity, quantity_shortfall

POLICY = load_policy()


def test_800_of_2459_tonnes_is_67_5_percent_short_and_red() -> None:
    short = collateral_shortfall(Decimal("2459"), Decimal("800"))
    assert shortfall_percent(short) == "67.5"
    signal = collateral_quantity_signal(Decimal("2459"), Decimal("800"), "吨", POLICY)
    assert signal is not None
    # Beyond the policy's 50% tier: red (policy.yaml collateral_shortfall_severity).
    assert signal.severity is Severity.RED and signal.category is SignalCategory.COLLATERAL
    assert signal.title == "抵质押物现场仅见800吨，登记2,459吨，短少67.5%，超过50%的阈值"
    assert signal.title_en == ("Collateral found 800 吨 of 2,459 吨 registered: 67.5% short,"
                               " beyond the 50% threshold")


@pytest.mark.parametrize(
    ("found", "severity"),
    [("1000", None), ("799.999", Severity.ORANGE), ("500", Severity.ORANGE),
     ("499.999", Severity.RED), ("0", Severity.RED), ("1200", None)],
)
def test_the_severity_follows_the_policy_tiers(found: str, severity: Severity | None) -> None:
    # 1000 registered: 20% short is exactly the first tier (nothing), 50% exactly the second.
    signal = collateral_quantity_signal(Decimal("1000"), Decimal(found), "t", POLICY)
    assert (None if signal is None else signal.severity) is severity


def test_a_shortfall_just_over_a_tier_never_reads_as_the_tier() -> None:
    assert shortfall_percent(Decimal("0.2000001"), Decimal("0.20")) == "20.01"
    assert shortfall_percent(Decimal("0.25")) == "25"


def test_a_value_fall_uses_the_same_tiers() -> None:
    signal = collateral_drop_signal(Decimal("1000000"), Decimal("400000"), POLICY)  # −60%
    assert signal is not None and signal.severity is Severity.RED
    assert "超过50%的阈值" in signal.title


def test_nothing_registered_compares_with_nothing() -> None:
    with pytest.raises(CollateralValueError):
        collateral_shortfall(Decimal("0"), Decimal("1"))
    with pytest.raises(CollateralValueError):
        collateral_shortfall(Decimal("10"), Decimal("-1"))


def test_a_status_and_a_shortfall_of_one_item_are_one_signal_of_the_graver_severity() -> None:
    moved = collateral_status_signal(CollateralStatus.MOVED, POLICY)  # orange
    short = collateral_quantity_signal(Decimal("2459"), Decimal("800"), "吨", POLICY)  # red
    fall = collateral_drop_signal(Decimal("100"), Decimal("70"), POLICY)  # orange
    one = one_collateral_signal([moved, short, fall])
    assert one is not None and one.severity is Severity.RED
    assert one.title.startswith("抵质押物状态：已移位；抵质押物现场仅见800吨")
    assert one.title_en.count("; ") == 2
    assert one_collateral_signal([None, None]) is None


def test_a_court_seizure_is_an_event() -> None:
    seized = collateral_status_signal(CollateralStatus.SEIZED, POLICY)
    assert seized is not None and seized.event
    assert one_collateral_signal([seized, None]) == seized


@pytest.mark.parametrize(("typed", "milli"), [("2,459", 2_459_000), ("８００", 800_000),
                                              ("1250.5", 1_250_500)])
def test_quantities_are_typed_as_officers_write_them(typed: str, milli: int) -> None:
    assert parse_quantity(typed) == milli


@pytest.mark.parametrize("typed", ["", "abc", "-3", "1.0001"])
def test_a_quantity_that_is_none_is_refused_in_both_languages(typed: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_quantity(typed)
    assert caught.value.text.zh and caught.value.text.en


def test_stored_quantities_read_back() -> None:
    assert plain_quantity(2_459_000) == "2,459"
    short = quantity_shortfall(2_459_000, 800_000)
    assert short is not None and shortfall_percent(short) == "67.5"
    assert quantity_shortfall(None, 800_000) is None
