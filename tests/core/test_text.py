"""The one bilingual type (Text) and the one refusal carrying it (UserError)."""

from __future__ import annotations

import pickle

import pytest

from inspector_app.common.text import Text, UserError
from inspector_app.domain.checklist import AnswerError
from inspector_app.domain.enums import Classification
from inspector_app.domain.lifecycle import TransitionError
from inspector_app.reports.signing import SigningError
from inspector_app.store.local import VisitLockedError
from inspector_app.store.photos import PhotoError, PhotoErrorReason
from inspector_app.store.visit_editing import EditError
from inspector_app.sync.client import SyncError

SAVED = Text("已保存", "saved")


def test_a_text_picks_its_language_from_domain_and_gui_codes() -> None:
    assert [SAVED.in_(lang) for lang in ("zh", "zh_CN", "en", "en_US", "EN")] == [
        "已保存", "已保存", "saved", "saved", "saved"]
    assert SAVED.in_() == "已保存"  # Chinese is the default


def test_a_text_as_one_string_is_chinese_slash_english() -> None:
    assert str(SAVED) == "已保存 / saved"
    assert f"{Text('第 1 页', 'page 1')}" == "第 1 页 / page 1"


def test_texts_join_language_by_language() -> None:
    joined = Text("首次检查；", "First visit; ") + SAVED
    assert joined == Text("首次检查；已保存", "First visit; saved")
    assert Text.same("王明") == Text("王明", "王明")
    with pytest.raises(TypeError):
        _ = SAVED + "saved"  # a bare string has no language: say Text.same(...) if meant


@pytest.mark.parametrize(
    ("sent", "zh", "en"),
    [
        ("用户名或密码错误 / wrong username or password", "用户名或密码错误",
         "wrong username or password"),
        ("签名范围异常（摘要不符）/ the signed bytes were altered", "签名范围异常（摘要不符）",
         "the signed bytes were altered"),
        ("报告 2025/03", "报告 2025/03", "报告 2025/03"),  # a date's slash does not split
        ("a / b", "a / b", "a / b"),  # nor one between English words
    ],
)
def test_a_string_from_elsewhere_is_parsed_into_its_halves(sent: str, zh: str, en: str) -> None:
    assert Text.parse(sent) == Text(zh, en)


def test_parsing_gives_back_what_str_wrote() -> None:
    assert Text.parse(str(SAVED)) == SAVED


@pytest.mark.parametrize("sent", ["slow down", "HTTP 502", "报告 2025/03"])
def test_a_text_the_same_in_both_languages_is_written_once(sent: str) -> None:
    assert str(Text.same(sent)) == sent
    assert str(Text.parse(sent)) == sent  # a server's untranslated words come back as sent


def test_a_user_error_says_its_text_in_both_or_one_language() -> None:
    error = UserError(Text("照片为空", "the photo is empty"))
    assert isinstance(error, ValueError)  # callers that caught ValueError still do
    assert str(error) == "照片为空 / the photo is empty"
    assert error.text.in_("en") == "the photo is empty"
    with pytest.raises(UserError, match="the photo is empty"):
        raise error


def test_a_user_error_survives_a_process_boundary() -> None:
    error = pickle.loads(pickle.dumps(EditError(SAVED)))
    assert type(error) is EditError and error.text == SAVED and str(error) == str(SAVED)


def test_a_photo_error_keeps_its_reason_and_file_name_across_a_process_boundary() -> None:
    error = PhotoError(PhotoErrorReason.EMPTY, "a.jpg", Text("照片为空", "the photo is empty"))
    back = pickle.loads(pickle.dumps(error))
    assert (back.reason, back.name, back.text) == (error.reason, "a.jpg", error.text)
    assert str(back) == str(error) == "照片为空 / the photo is empty: a.jpg"


@pytest.mark.parametrize(
    "error_type", [AnswerError, TransitionError, EditError, SigningError, SyncError])
def test_every_refusal_of_the_core_is_a_user_error(error_type: type[UserError]) -> None:
    error = error_type(SAVED)
    assert isinstance(error, UserError) and error.text == SAVED and str(error) == str(SAVED)


def test_a_refusal_that_was_a_runtime_error_still_is_one() -> None:
    assert isinstance(VisitLockedError(), RuntimeError)
    assert isinstance(VisitLockedError(), UserError)
    assert isinstance(SyncError(SAVED), RuntimeError)


def test_an_enum_label_is_a_text() -> None:
    assert Classification.SUBSTANDARD.text == Text("次级", "Substandard")
    assert Classification.SUBSTANDARD.label("en") == Classification.SUBSTANDARD.text.in_("en")
