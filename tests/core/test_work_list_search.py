"""The work list's store side: pinyin search keys made wherever a borrower is written, the
numbers and the filters that narrow the list to them sharing one condition, and each row's
outstanding balance, last visit and visit not signed yet."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    Industry,
    LoanType,
    Role,
    VisitKind,
    VisitStatus,
)
from inspector_app.store import migrate
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, Loan, Review, ReviewComment, User, Visit
from inspector_app.store.portfolio import DueWindow, WorkFilter
from inspector_app.store.search_key import borrower_search_key, pinyin_needle
from inspector_app.sync.pull import apply_changes
from inspector_app.wire import Change

TODAY = date(2026, 11, 25)


def test_the_key_is_the_name_in_pinyin_and_initials() -> None:
    assert borrower_search_key("浙江德炎水产") == "zhejiangdeyanshuichan|zjdysc"
    # Phrases are read as phrases; what is not Chinese is kept, lower-cased.
    assert borrower_search_key("中国银行ABC分行") == "zhongguoyinhangabcfenhang|zgyhabcfh"
    assert pinyin_needle(" ZJ dy ") == "zjdy"
    # Chinese, digits alone and punctuation are searched as typed, not as pinyin.
    assert [pinyin_needle(t) for t in ("浙江", "3205", "100%", "")] == [None] * 4


@pytest.fixture
def wang(store: LocalStore) -> User:
    wang = store.create_user("wang", "pass-word-1", "王明", Role.OFFICER)
    rows = [  # code, name, due in days
        ("C1", "浙江德炎水产贸易有限公司", -3), ("C2", "华东精密机械有限公司", -1),
        ("C3", "绿野农业合作社", 0), ("C4", "陈建国", 7), ("C5", "远洋贸易有限公司", 8),
        ("C6", "宏达房地产开发有限公司", None),
    ]
    with store.write() as s:
        for code, name, days in rows:
            s.add(Borrower(
                code=code, name=name, industry=Industry.SERVICES, kind=BorrowerKind.COMPANY,
                id_number=f"91330100{code}", officer_id=wang.id,
                next_due_on=None if days is None else TODAY + timedelta(days=days),
                next_due_kind=VisitKind.ROUTINE,
            ))
    return wang


def codes(store: LocalStore, where: WorkFilter, officer: User | None = None) -> list[str]:
    return [r.code for r in store.work_list(where, officer_id=officer and officer.id,
                                            today=TODAY)]


def test_pinyin_finds_borrowers(store: LocalStore, wang: User) -> None:
    assert codes(store, WorkFilter(text="zjdy")) == ["C1"]
    assert codes(store, WorkFilter(text="HuaDong")) == ["C2"]
    assert codes(store, WorkFilter(text="cjg"), wang) == ["C4"]
    assert codes(store, WorkFilter(text="C3")) == ["C3"]  # a customer number still is one


def test_each_number_narrows_the_list_to_what_it_counts(store: LocalStore, wang: User) -> None:
    counts = store.officer_counts(wang.id, TODAY)
    overdue = codes(store, WorkFilter(due=DueWindow.OVERDUE), wang)
    this_week = codes(store, WorkFilter(due=DueWindow.THIS_WEEK), wang)
    assert (overdue, this_week) == (["C1", "C2"], ["C3", "C4"])  # today and day 7 included
    assert (counts.overdue, counts.due_this_week) == (len(overdue), len(this_week))
    assert WorkFilter(due=DueWindow.OVERDUE).narrowed and WorkFilter(unsigned=True).narrowed

    c4 = store.work_list(WorkFilter(text="C4"), today=TODAY)[0].borrower_id
    store.start_visit(c4, wang, VisitKind.ROUTINE, visit_date=TODAY)
    assert codes(store, WorkFilter(unsigned=True), wang) == ["C4"]
    assert store.officer_counts(wang.id, TODAY).unsigned_visits == 1


def test_pages_follow_one_another_and_the_count_is_of_them_all(
    store: LocalStore, wang: User
) -> None:
    whole = [r.code for r in store.work_list(officer_id=wang.id, today=TODAY)]
    assert whole == ["C1", "C2", "C3", "C4", "C5", "C6"]  # most overdue first, undated last
    pages = [[r.code for r in store.work_list(officer_id=wang.id, limit=4, offset=offset,
                                              today=TODAY)] for offset in (0, 4, 8)]
    assert pages == [["C1", "C2", "C3", "C4"], ["C5", "C6"], []]
    assert store.work_list_count(officer_id=wang.id, today=TODAY) == 6
    assert store.work_list_count(WorkFilter(text="有限公司"), officer_id=wang.id) == 4
    assert store.work_list_count(WorkFilter(due=DueWindow.OVERDUE), officer_id=wang.id,
                                 today=TODAY) == 2
    assert store.work_list_count(officer_id="someone else") == 0


def test_borrowers_due_the_same_day_under_one_name_keep_their_order(
    store: LocalStore, wang: User
) -> None:
    with store.write() as s:  # two branches of one company, due together: only the code differs
        for code in ("D2", "D1", "D3"):
            s.add(Borrower(code=code, name="同名商贸有限公司", industry=Industry.SERVICES,
                           kind=BorrowerKind.COMPANY, id_number=f"9133{code}",
                           officer_id=wang.id, next_due_on=TODAY - timedelta(days=9),
                           next_due_kind=VisitKind.ROUTINE))
    pages = [r.code for offset in range(3) for r in store.work_list(
        WorkFilter(text="同名"), officer_id=wang.id, limit=1, offset=offset, today=TODAY)]
    assert pages == ["D1", "D2", "D3"]


def test_rows_carry_balance_last_visit_and_a_visit_to_sign(store: LocalStore, wang: User
                                                         ) -> None:
    c2 = store.work_list(WorkFilter(text="C2"), today=TODAY)[0].borrower_id
    c3 = store.work_list(WorkFilter(text="C3"), today=TODAY)[0].borrower_id
    with store.write() as s:
        # Balances by headquarters' repayment data; a loan no extract has named yet counts
        # for nothing (not as its amount).
        for n, (owed, as_of) in enumerate(((100_000_00, TODAY), (23_456_78, TODAY),
                                           (0, None))):
            s.add(Loan(borrower_id=c2, contract_no=f"L{n}", loan_type=LoanType.WORKING_CAPITAL,
                       amount_fen=500_000_00, disbursed_on=TODAY, matures_on=TODAY,
                       classification=Classification.NORMAL, outstanding_fen=owed,
                       repayment_as_of=as_of))
        for days, status in ((30, VisitStatus.COMPLETED), (90, VisitStatus.APPROVED),
                             (1, VisitStatus.DRAFT)):
            s.add(Visit(borrower_id=c2, officer_id=wang.id, kind=VisitKind.ROUTINE,
                        status=status, template_code="routine", template_version=1,
                        template_refs=["routine@1"], visit_date=TODAY - timedelta(days=days)))
        s.add(Visit(borrower_id=c3, officer_id=wang.id, kind=VisitKind.FIRST,
                    status=VisitStatus.COMPLETED, template_code="first", template_version=1,
                    template_refs=["first@1"], visit_date=TODAY))
    rows = {r.code: r for r in store.work_list(today=TODAY)}
    assert rows["C2"].outstanding_fen == 123_456_78
    assert rows["C2"].last_visit_on == TODAY - timedelta(days=30)  # not the draft's date
    assert rows["C2"].open_visit is VisitStatus.DRAFT  # before its completed one
    assert rows["C3"].open_visit is VisitStatus.COMPLETED
    assert (rows["C4"].outstanding_fen, rows["C4"].last_visit_on, rows["C4"].open_visit) == (
        None, None, None)


def test_a_returned_visit_counts_its_own_comments(store: LocalStore, wang: User) -> None:
    """Each returned visit is shown with the comments of its own return (the count once came
    from the latest return of any visit)."""
    borrowers = {r.code: r.borrower_id for r in store.work_list(today=TODAY)}
    with store.write() as s:
        for code, comments, day in (("C1", 3, 1), ("C2", 1, 2)):
            visit = Visit(borrower_id=borrowers[code], officer_id=wang.id,
                          kind=VisitKind.ROUTINE, status=VisitStatus.RETURNED,
                          template_code="routine", template_version=1,
                          template_refs=["routine@1"], visit_date=TODAY)
            s.add(visit)
            s.flush()
            review = Review(visit_id=visit.id, reviewer_id=wang.id, reviewer_name="张华",
                            decision="returned", state="confirmed",
                            decided_at=datetime(2026, 11, day, 9, tzinfo=UTC))
            s.add(review)
            s.flush()
            for n in range(comments):
                s.add(ReviewComment(review_id=review.id, target="answer", ref=f"R-{n}",
                                    text="请补充"))
    rows = {r.code: r.returned_comments for r in store.work_list(today=TODAY)}
    assert (rows["C1"], rows["C2"]) == (3, 1)


def test_a_pulled_borrower_is_found_by_its_new_name(store: LocalStore, wang: User) -> None:
    c6 = store.work_list(WorkFilter(text="C6"), today=TODAY)[0].borrower_id
    change = Change(entity="borrower", id=c6, version=5, data={
        "code": "C6", "name": "杭州新锐科技有限公司", "kind": "company",
        "industry": "services", "id_number": "91330100C6", "officer_id": wang.id,
    })
    new = Change(entity="borrower", id="b-new", version=1, data={
        "code": "C7", "name": "嘉兴佳诚新材料", "kind": "company", "industry": "services",
        "id_number": "91330100C7", "officer_id": wang.id, "search_key": "from the server",
    })
    with store.write() as s:
        apply_changes(s, [change, new], store.policy)
    assert codes(store, WorkFilter(text="hzxr")) == ["C6"]
    assert codes(store, WorkFilter(text="hongda")) == []
    assert codes(store, WorkFilter(text="jxjc")) == ["C7"]  # made here, not taken from the server


def test_upgrading_gives_every_borrower_its_key(tmp_path: Path) -> None:
    db = tmp_path / "inspector.sqlite3"
    migrate.upgrade_database(db, "0009")
    con = sqlite3.connect(db)
    con.execute(
        "INSERT INTO borrowers (code, name, kind, industry, id_number, legal_representative, "
        "address, phone, classification, open_signals, id, created_at, updated_at, version) "
        "VALUES ('C001', '江苏恒达精密机械有限公司', 'company', 'manufacturing', '9132', '', "
        "'', '', 'normal', 0, 'br-1', '2026-01-05 08:00:00', '2026-01-05 08:00:00', 3)")
    con.commit()
    con.close()

    migrate.upgrade_database(db)

    con = sqlite3.connect(db)
    assert con.execute("SELECT search_key, version FROM borrowers").fetchall() == [
        ("jiangsuhengdajingmijixieyouxiangongsi|jshdjmjxyxgs", 3)]
    con.close()
