"""Every enum member has its own Chinese and English label."""

from __future__ import annotations

import pytest

from inspector_app.domain import enums

ALL = [
    cls for cls in vars(enums).values()
    if isinstance(cls, type) and issubclass(cls, enums.Labelled) and cls is not enums.Labelled
]


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_every_member_has_distinct_labels(cls: type[enums.Labelled]) -> None:
    zh = [m.zh for m in cls]
    en = [m.en for m in cls]
    assert len(set(zh)) == len(zh) and len(set(en)) == len(en)
    assert all(m.label("en") == m.en and m.label() == m.zh for m in cls)


def test_equal_codes_in_different_enums_keep_their_own_labels() -> None:
    # "collateral" and "officer" are codes in two enums each.
    assert enums.SignalCategory.COLLATERAL.zh == "担保与抵质押物"
    assert enums.SignalSource.COLLATERAL.zh == "抵质押物检查"
    assert enums.Role.OFFICER.zh == "客户经理"
    assert enums.SignalSource.OFFICER.zh == "客户经理提出"


def test_classification_order() -> None:
    c = enums.Classification
    assert c.NORMAL.at_least(c.DOUBTFUL) is c.DOUBTFUL
    assert c.LOSS.at_least(c.NORMAL) is c.LOSS
