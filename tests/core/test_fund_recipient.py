"""Fund recipients (#14 item 6): the structured answer, the credit code's check character, and
how names are compared — loosely enough for typing, never so loosely that two companies
merge."""

from __future__ import annotations

import functools

import pytest

from inspector_app.domain.checklist import AnswerError, display_answer, format_answer, parse_answer
from inspector_app.domain.enums import AnswerType
from inspector_app.domain.fund_recipient import (
    Recipient,
    RecipientError,
    clean_uscc,
    normalised_name,
    parse_recipient,
)
from inspector_app.domain.template import Evidence, Item

USCC = "91350100M000100Y43"  # GB 32100-2015's worked example


@functools.cache
def item() -> Item:
    from inspector_app.domain.template_loader import load_shipped_templates

    fund_flow = next(t for t in load_shipped_templates() if t.ref == "fund_flow@1")
    found = next(i for i in fund_flow.items() if i.code == "FF-REC-01")
    assert found.type is AnswerType.RECIPIENT and isinstance(found.when_abnormal, Evidence)
    return found


@pytest.mark.parametrize(("a", "b"), [
    ("江苏鑫盛投资有限公司", "江苏 鑫盛投资 有限公司 "),  # spaces between Chinese: typing
    ("鑫盛（苏州）贸易有限公司", "鑫盛(苏州)贸易有限公司"),  # full-width brackets
    ("ＡＢＣ贸易有限公司", "abc贸易有限公司"),  # full-width letters, case
    ("Hengxin  Trading Co", "hengxin trading co"),
])
def test_names_typed_differently_are_one_recipient(a: str, b: str) -> None:
    assert Recipient(a).key == Recipient(b).key


@pytest.mark.parametrize(("a", "b"), [
    ("江苏鑫盛投资有限公司", "江苏鑫盛投资有限责任公司"),  # another legal form
    ("江苏鑫盛投资有限公司", "江苏鑫盛投资有限公司苏州分公司"),  # a branch is not its parent
    ("Hengxin Trading", "HengxinTrading"),  # Latin words keep their space
])
def test_different_companies_are_never_merged(a: str, b: str) -> None:
    assert normalised_name(a) != normalised_name(b)


def test_the_credit_code_is_the_key_whatever_the_name() -> None:
    assert Recipient("鑫盛投资", uscc=USCC).key == Recipient("江苏鑫盛投资有限公司", uscc=USCC).key
    assert clean_uscc(" 91350100m000100y43 ") == USCC
    with pytest.raises(RecipientError, match="check character"):
        clean_uscc(USCC[:-1] + "4")
    with pytest.raises(RecipientError, match="18 digits"):
        clean_uscc("9135010OM000100Y43")  # the letter O is not in the alphabet


def test_the_answer_is_stored_as_canonical_json_and_shown_in_words() -> None:
    it = item()
    stored = parse_answer(it, '{"name": " 江苏鑫盛投资有限公司 ", "account": "6222 0212-3456",'
                              f' "uscc": "{USCC.lower()}"}}')
    assert stored == ('{"account":"622202123456","name":"江苏鑫盛投资有限公司",'
                      f'"uscc":"{USCC}"}}')
    assert format_answer(it, stored) == stored
    assert parse_answer(it, "江苏鑫盛投资有限公司") == '{"name":"江苏鑫盛投资有限公司"}'
    assert display_answer(it, stored, "en") == (
        f"江苏鑫盛投资有限公司 (USCC {USCC}; account 622202123456)")
    assert parse_recipient(stored).account == "622202123456"


@pytest.mark.parametrize(("raw", "says"), [
    ('{"uscc": "' + USCC + '"}', "name is required"),
    ('{"name": "X", "account": "62-22ab"}', "digits only"),
    ('{"name": "X", "bank": "ICBC"}', "not a recipient"),
    ('{"name": 5}', "not a recipient"),
])
def test_an_answer_the_item_cannot_take_is_refused_with_why(raw: str, says: str) -> None:
    with pytest.raises(AnswerError, match=says):
        parse_answer(item(), raw)
