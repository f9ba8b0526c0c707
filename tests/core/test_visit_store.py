"""Starting a visit, answering its checklist and completing it, through the LocalStore."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from inspector_app.domain.checklist import AnswerError, Item, is_abnormal, parse_answer
from inspector_app.domain.enums import AnswerType, VisitKind, VisitStatus
from inspector_app.domain.lifecycle import TransitionError
from inspector_app.store.local import LocalStore
from inspector_app.store.models import ChecklistAnswer, Photo, Visit
from inspector_app.store.visit_checks import visit_checklist


def normal_answer(item: Item) -> str:
    """Some answer the item does not count as abnormal."""
    candidates: list[str] = {
        AnswerType.YES_NO: ["yes", "no", "na"],
        AnswerType.CHOICE: [c.code for c in item.choices],
        AnswerType.NUMBER: ["0", "1", "50", "100", "1000000"],
        AnswerType.MONEY: ["0", "1", "50000", "10000000"],
        AnswerType.DATE: ["2026-11-20"],
        AnswerType.TEXT: ["经营正常"],
        AnswerType.RECIPIENT: ["苏州恒信贸易有限公司"],
    }[item.type]
    for raw in candidates:
        if not is_abnormal(item, parse_answer(item, raw)):
            return raw
    raise AssertionError(f"no normal answer found for {item.code}")


def start(store: LocalStore, p, kind: VisitKind = VisitKind.ROUTINE) -> Visit:
    return store.start_visit(p.borrower_id, p.officer, kind, visit_date=date(2026, 11, 22),
                             place="厂区", people_met="王强（法定代表人）")


def test_visit_stores_the_template_versions_it_was_started_with(store: LocalStore, portfolio):
    visit = start(store, portfolio)
    # A manufacturing borrower with a working-capital loan: routine + manufacturing supplement.
    assert visit.template_code == "routine"
    assert visit.template_version >= 1
    codes = [ref.split("@")[0] for ref in visit.template_refs]
    assert codes[0] == "routine"
    assert "industry.manufacturing" in codes
    assert "fixed_asset" not in codes


def test_completion_needs_every_item_then_succeeds(store: LocalStore, portfolio) -> None:
    p = portfolio
    visit = start(store, p)
    checklist = visit_checklist(visit)
    items = list(checklist.items())
    required = [i for i in items if i.required]
    assert len(store.unmet_requirements(visit.id)) == len(required)

    with pytest.raises(TransitionError, match="unmet"):
        store.transition(visit.id, p.officer, VisitStatus.COMPLETED)

    for item in items:
        store.set_answer(visit.id, p.officer, item.code, normal_answer(item))
    assert store.unmet_requirements(visit.id) == []
    store.transition(visit.id, p.officer, VisitStatus.COMPLETED)
    with store.read() as s:
        assert s.get_one(Visit, visit.id).status is VisitStatus.COMPLETED


def test_abnormal_answer_asks_for_its_evidence(store: LocalStore, portfolio) -> None:
    p = portfolio
    visit = start(store, p)
    checklist = visit_checklist(visit)
    needs_photo = next(
        i for i in checklist.items()
        if i.when_abnormal.photo and i.type is AnswerType.YES_NO and i.abnormal.values
    )
    bad = sorted(needs_photo.abnormal.values)[0]
    store.set_answer(visit.id, p.officer, needs_photo.code, bad)
    kinds = {u.kind for u in store.unmet_requirements(visit.id) if u.item_code == needs_photo.code}
    assert "photo_required" in kinds

    with store.write() as s:
        s.add(Photo(visit_id=visit.id, sha256="a" * 64, original_name="IMG_1.jpg", width=10,
                    height=10, size_bytes=100, item_code=needs_photo.code))
    store.set_answer(visit.id, p.officer, needs_photo.code, bad, note="车间停产，设备闲置")
    left = [u for u in store.unmet_requirements(visit.id) if u.item_code == needs_photo.code]
    assert left == []


def test_letters_in_a_money_field_are_refused_and_nothing_is_saved(
    store: LocalStore, portfolio
) -> None:
    visit = start(store, portfolio)
    money = next(i for i in visit_checklist(visit).items() if i.type is AnswerType.MONEY)
    with pytest.raises(AnswerError):
        store.set_answer(visit.id, portfolio.officer, money.code, "abc")
    with store.read() as s:
        assert s.scalars(select(ChecklistAnswer)).all() == []
    store.set_answer(visit.id, portfolio.officer, money.code, "1,234.50")
    with store.read() as s:
        saved = s.scalars(select(ChecklistAnswer)).one()
    assert parse_answer(money, saved.value) == Decimal("1234.50")


def _jpeg(path, when: str = "2026:11:22 10:15:00") -> None:
    from PIL import Image

    img = Image.new("RGB", (64, 48), (120, 80, 40))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = when  # DateTimeOriginal
    img.save(path, "JPEG", exif=exif)


def test_photo_is_stored_once_and_attached_to_the_item(store: LocalStore, portfolio, tmp_path):
    visit = start(store, portfolio)
    src = tmp_path / "IMG_0001.JPG"
    _jpeg(src)
    first = store.add_photo(visit.id, portfolio.officer, src, caption="仓库全景",
                            item_code="R-ABL-01")
    again = store.add_photo(visit.id, portfolio.officer, src)
    assert again.id == first.id
    assert store.photos.verify(first.sha256)
    assert len(list((store.photos.root / "originals").rglob("*.jpg"))) == 1
    with store.read() as s:
        rows = s.scalars(select(Photo).where(Photo.visit_id == visit.id)).all()
    expected = [("IMG_0001.JPG", "仓库全景", 64)]
    assert [(r.original_name, r.caption, r.width) for r in rows] == expected
    assert rows[0].taken_at is not None and rows[0].taken_at.tzinfo is not None


def test_bad_photo_changes_nothing(store: LocalStore, portfolio, tmp_path) -> None:
    from inspector_app.store.photo_errors import PhotoError

    visit = start(store, portfolio)
    bad = tmp_path / "notes.jpg"
    bad.write_text("not a photo")
    with pytest.raises(PhotoError):
        store.add_photo(visit.id, portfolio.officer, bad)
    with store.read() as s:
        assert s.scalars(select(Photo)).all() == []
    assert not (store.photos.root / "originals").exists() or not any(
        (store.photos.root / "originals").rglob("*.*")
    )
