"""The supervisor's side of the store: the queue, draft comments, returning a visit, what the
officer then sees, the history and the differences of a resubmission, signal follow-ups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from inspector_app.common.text import Text
from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    CollateralKind,
    CollateralStatus,
    Industry,
    Role,
    Severity,
    SignalCategory,
    SignalSource,
    SignalStatus,
    VisitKind,
    VisitStatus,
)
from inspector_app.domain.lifecycle import TransitionError
from inspector_app.store.local import LocalStore
from inspector_app.store.models import (
    AuditEntry,
    Borrower,
    ChecklistAnswer,
    CollateralItem,
    CollateralObservation,
    Note,
    OutboxEntry,
    Photo,
    ReferenceDoc,
    Review,
    RiskSignal,
    Visit,
)
from inspector_app.store.review import FOLLOW_UP, record_review_in
from inspector_app.store.review_rows import (
    ClassificationChange,
    QueueFilter,
    QueueTab,
    ReviewState,
)
from inspector_app.store.rows import UserRow

TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


@dataclass
class Team:
    supervisor: UserRow
    li: UserRow
    wang: UserRow
    outsider: UserRow  # another supervisor's officer
    other_boss: UserRow


@pytest.fixture
def team(store: LocalStore) -> Team:
    boss = store.create_user("zhang", "pw-123456", "张主任", Role.SUPERVISOR)
    other = store.create_user("zhao", "pw-123456", "赵主任", Role.SUPERVISOR)
    li = store.create_user("li", "pw-123456", "李明", Role.OFFICER, supervisor_id=boss.id)
    wang = store.create_user("wang", "pw-123456", "王芳", Role.OFFICER, supervisor_id=boss.id)
    out = store.create_user("qian", "pw-123456", "钱进", Role.OFFICER, supervisor_id=other.id)
    return Team(boss, li, wang, out, other)


_codes = iter(range(1, 10_000))


def make_visit(
    store: LocalStore,
    officer: UserRow,
    *,
    status: VisitStatus = VisitStatus.SUBMITTED,
    name: str = "",
    current: Classification = Classification.NORMAL,
    recommended: Classification = Classification.NORMAL,
    days_waiting: int = 1,
    signals: tuple[Severity, ...] = (),
    kind: VisitKind = VisitKind.ROUTINE,
) -> str:
    """A visit of officer's borrower with one answer, moved to status, waiting so long."""
    n = next(_codes)
    with store.write() as s:
        borrower = Borrower(
            code=f"C{n:05d}", name=name or f"客户{n:05d}有限公司", kind=BorrowerKind.COMPANY,
            industry=Industry.MANUFACTURING, id_number=f"9132{n:014d}", officer_id=officer.id,
            classification=current)
        s.add(borrower)
        s.flush()
        visit = Visit(borrower_id=borrower.id, officer_id=officer.id, kind=kind,
                      template_code="routine", template_version=1, template_refs=["routine@1"],
                      visit_date=TODAY - timedelta(days=days_waiting + 1), place="厂区",
                      recommended_classification=recommended)
        s.add(visit)
        s.flush()
        s.add(ChecklistAnswer(visit_id=visit.id, item_code="R-WIL-01", value="yes"))
        s.add(Note(visit_id=visit.id, item_code=None, text="经营正常"))
        for severity in signals:
            s.add(RiskSignal(borrower_id=borrower.id, visit_id=visit.id,
                             category=SignalCategory.FINANCIAL, severity=severity,
                             source=SignalSource.OFFICER, title=f"{severity.zh}信号",
                             raised_on=TODAY))
        s.flush()
        visit.status = status
        visit.submitted_at = NOW - timedelta(days=days_waiting)
        return visit.id


def decide(store: LocalStore, visit_id: str, boss: UserRow, decision: str, when: datetime,
           comment: str = "意见") -> None:
    with store.write() as s:
        visit = s.get_one(Visit, visit_id)
        record_review_in(s, visit, boss, decision=decision, comment=comment,
                         final_classification=None, classification_reason="", comments=(),
                         when=when)
        visit.status = VisitStatus(decision)


# -- the queue ---------------------------------------------------------------------------------


def test_the_queue_holds_the_team_only_never_own_visits(store: LocalStore, team: Team) -> None:
    mine = make_visit(store, team.li)
    theirs = make_visit(store, team.wang)
    make_visit(store, team.outsider)  # another team's
    make_visit(store, team.li, status=VisitStatus.SIGNED)  # not at headquarters yet
    make_visit(store, team.li, status=VisitStatus.DRAFT)
    # The supervisor's own visit, as if they had inspected a borrower themselves.
    own = make_visit(store, team.supervisor)

    rows = store.review_queue(team.supervisor, QueueFilter(), TODAY)

    assert {r.visit_id for r in rows} == {mine, theirs}
    assert own not in {r.visit_id for r in rows}
    assert {o.display_name for o in store.team_officers(team.supervisor)} == {"李明", "王芳"}


def test_waiting_order_downgrades_then_red_signals_then_longest_wait(
    store: LocalStore, team: Team
) -> None:
    plain_old = make_visit(store, team.li, days_waiting=9)
    plain_new = make_visit(store, team.li, days_waiting=2)
    red = make_visit(store, team.wang, days_waiting=1, signals=(Severity.RED,))
    orange = make_visit(store, team.wang, days_waiting=3, signals=(Severity.ORANGE,))
    downgrade = make_visit(store, team.li, days_waiting=1,
                           recommended=Classification.SUBSTANDARD)

    rows = store.review_queue(team.supervisor, QueueFilter(), TODAY)

    assert [r.visit_id for r in rows] == [downgrade, red, plain_old, orange, plain_new]
    first = rows[0]
    assert first.downgrade and first.recommended is Classification.SUBSTANDARD
    assert first.current is Classification.NORMAL
    assert [(r.red_signals, r.orange_signals) for r in rows[1:2]] == [(1, 0)]
    assert rows[2].days_waiting == 9
    assert rows[2].borrower_name.startswith("客户") and rows[2].officer_name == "李明"


def test_queue_filters_and_limit(store: LocalStore, team: Team) -> None:
    li_first = make_visit(store, team.li, kind=VisitKind.FIRST, name="江苏恒达机械")
    li_down = make_visit(store, team.li, recommended=Classification.DOUBTFUL)
    wang_up = make_visit(store, team.wang, current=Classification.SUBSTANDARD,
                         recommended=Classification.SPECIAL_MENTION, signals=(Severity.ORANGE,))
    wang_yellow = make_visit(store, team.wang, signals=(Severity.YELLOW,))

    def ids(**kwargs: object) -> set[str]:
        rows = store.review_queue(team.supervisor, QueueFilter(**kwargs), TODAY)  # type: ignore[arg-type]
        return {r.visit_id for r in rows}

    assert ids(officer_id=team.li.id) == {li_first, li_down}
    assert ids(kind=VisitKind.FIRST) == {li_first}
    assert ids(change=ClassificationChange.DOWNGRADE) == {li_down}
    assert ids(change=ClassificationChange.UPGRADE) == {wang_up}
    assert ids(change=ClassificationChange.SAME) == {li_first, wang_yellow}
    assert ids(with_signals=True) == {wang_up}  # yellow does not count
    assert ids(search="恒达") == {li_first}
    assert ids(search="王芳") == {wang_up, wang_yellow}
    assert ids(search="100%") == set()  # LIKE wildcards are plain text
    assert len(store.review_queue(team.supervisor, QueueFilter(), TODAY, limit=3)) == 3


def test_decided_tab_newest_decision_first_with_the_decision(
    store: LocalStore, team: Team
) -> None:
    a, b, c = (make_visit(store, team.li) for _ in range(3))
    waiting = make_visit(store, team.wang)
    decide(store, a, team.supervisor, "approved", NOW - timedelta(days=3))
    decide(store, b, team.supervisor, "returned", NOW - timedelta(days=1), comment="补充照片")
    decide(store, c, team.supervisor, "approved", NOW - timedelta(days=2))

    rows = store.review_queue(team.supervisor, QueueFilter(tab=QueueTab.DECIDED), TODAY)
    assert [r.visit_id for r in rows] == [b, c, a]
    assert rows[0].decision is not None
    assert (rows[0].decision.decision, rows[0].decision.comment) == ("returned", "补充照片")
    assert rows[0].decision.state is ReviewState.PENDING
    assert [r.visit_id for r in store.review_queue(team.supervisor, QueueFilter(), TODAY)] == [
        waiting]
    # Filtered, the decided tab keeps the same order.
    rows = store.review_queue(
        team.supervisor, QueueFilter(tab=QueueTab.DECIDED, officer_id=team.li.id), TODAY)
    assert [r.visit_id for r in rows] == [b, c, a]
    assert store.review_queue(team.other_boss, QueueFilter(tab=QueueTab.DECIDED), TODAY) == []


# -- draft comments and returning ------------------------------------------------------------


def test_draft_comments_are_added_changed_and_removed(store: LocalStore, team: Team) -> None:
    visit = make_visit(store, team.li, signals=(Severity.RED,))
    with store.read() as s:
        signal_id = s.scalars(select(RiskSignal.id).where(RiskSignal.visit_id == visit)).one()
    assert store.draft_review(visit, team.supervisor) is None

    store.set_review_comment(visit, team.supervisor, "answer", "R-WIL-01", "依据不足")
    row = store.set_review_comment(visit, team.supervisor, "signal", signal_id, "请说明处置")
    assert row.decision == "draft"
    assert [(c.target, c.text) for c in row.comments] == [
        ("answer", "依据不足"), ("signal", "请说明处置")]
    # Named by its question (the code files it; officers do not go by it).
    assert row.comments[0].label.startswith("借款人在本行按时足额还本付息")
    assert row.comments[1].label == "红色信号"

    store.set_review_comment(visit, team.supervisor, "answer", "R-WIL-01", "征信报告未附")
    row = store.set_review_comment(visit, team.supervisor, "signal", signal_id, "  ")
    assert [(c.ref, c.text) for c in row.comments] == [("R-WIL-01", "征信报告未附")]
    assert store.draft_review(visit, team.supervisor) == row


@pytest.mark.parametrize(
    ("who", "target", "ref", "says"),
    [
        ("li", "answer", "R-WIL-01", "only a supervisor"),
        ("other_boss", "answer", "R-WIL-01", None),  # allowed? see below
        ("supervisor", "answer", "R-NOPE", "not part of this visit"),
        ("supervisor", "header", "place", "cannot be on"),
    ],
)
def test_draft_comment_refusals(
    store: LocalStore, team: Team, who: str, target: str, ref: str, says: str | None
) -> None:
    visit = make_visit(store, team.li)
    user = getattr(team, who)
    if says is None:
        # Any supervisor may write a draft (headquarters decides who may decide); the
        # draft is theirs alone.
        store.set_review_comment(visit, user, target, ref, "x")
        assert store.draft_review(visit, team.supervisor) is None
        return
    with pytest.raises(TransitionError, match=says):
        store.set_review_comment(visit, user, target, ref, "x")
    with store.read() as s:
        assert s.scalars(select(Review)).all() == []


def test_no_comments_on_a_visit_not_waiting(store: LocalStore, team: Team) -> None:
    visit = make_visit(store, team.li, status=VisitStatus.APPROVED)
    with pytest.raises(TransitionError, match="only a submitted visit"):
        store.set_review_comment(visit, team.supervisor, "answer", "R-WIL-01", "x")


def test_return_turns_the_draft_into_a_pending_decision(store: LocalStore, team: Team) -> None:
    visit = make_visit(store, team.li)
    store.set_review_comment(visit, team.supervisor, "answer", "R-WIL-01", "征信报告未附")
    with store.write() as s:  # what sync sent before is not the point here
        s.execute(OutboxEntry.__table__.delete())

    changes = store.return_visit(visit, team.supervisor, "请补充征信报告")

    assert changes.status and visit in changes.visits
    assert store.draft_review(visit, team.supervisor) is None
    review = store.review_of(visit)
    assert review is not None
    assert (review.decision, review.state, review.comment) == (
        "returned", ReviewState.PENDING, "请补充征信报告")
    assert [(c.target, c.ref, c.text) for c in review.comments] == [
        ("answer", "R-WIL-01", "征信报告未附")]
    with store.read() as s:
        assert s.get_one(Visit, visit).status is VisitStatus.RETURNED
        steps = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == visit)
                          .order_by(AuditEntry.seq)).all()
        assert [e.action for e in steps][-2:] == ["visit.review", "visit.transition"]
        assert steps[-1].detail["reason"] == "请补充征信报告"
        assert s.scalars(select(OutboxEntry.entity).where(OutboxEntry.ref == visit)).all() == [
            "visit"]


def test_a_return_needs_a_comment_and_changes_nothing_without(
    store: LocalStore, team: Team
) -> None:
    visit = make_visit(store, team.li)
    store.set_review_comment(visit, team.supervisor, "answer", "R-WIL-01", "x")
    with pytest.raises(TransitionError, match="needs a comment"):
        store.return_visit(visit, team.supervisor, "   ")
    assert store.review_of(visit) is None
    assert store.draft_review(visit, team.supervisor) is not None
    with store.read() as s:
        assert s.get_one(Visit, visit).status is VisitStatus.SUBMITTED


def test_self_review_is_refused_by_the_store(store: LocalStore, team: Team) -> None:
    own = make_visit(store, team.supervisor)
    with pytest.raises(TransitionError, match="your own visit"):
        store.return_visit(own, team.supervisor, "退回")
    with pytest.raises(TransitionError, match="your own visit"):
        store.set_review_comment(own, team.supervisor, "answer", "R-WIL-01", "x")


# -- the officer's side: comments, work list, history, differences -------------------------


def _returned_and_revised(store: LocalStore, team: Team) -> tuple[str, str]:
    visit = make_visit(store, team.li)
    store.set_review_comment(visit, team.supervisor, "answer", "R-WIL-01", "征信报告未附")
    store.return_visit(visit, team.supervisor, "请补充")
    revision = store.new_revision(visit, team.li, "按复核意见修改").id
    return visit, revision


def test_the_officer_sees_the_comments_on_the_return_and_its_revision(
    store: LocalStore, team: Team
) -> None:
    visit = make_visit(store, team.li)
    store.set_review_comment(visit, team.supervisor, "answer", "R-WIL-01", "征信报告未附")
    store.return_visit(visit, team.supervisor, "请补充")

    on_return = store.comments_for_revision(visit)
    assert on_return is not None and on_return.comment == "请补充"
    row = next(r for r in store.work_list(officer_id=team.li.id) if r.returned_visit_id)
    assert (row.returned_visit_id, row.returned_comments) == (visit, 1)

    revision = store.new_revision(visit, team.li, "按复核意见修改").id
    on_revision = store.comments_for_revision(revision)
    assert on_revision == on_return
    assert on_revision.comments[0].label.startswith("借款人在本行按时足额还本付息")
    # Revised: the work list no longer calls it returned.
    assert all(r.returned_visit_id is None for r in store.work_list(officer_id=team.li.id))
    assert store.comments_for_revision(make_visit(store, team.li)) is None


def test_audit_trail_spans_the_revisions_oldest_first(store: LocalStore, team: Team) -> None:
    visit, revision = _returned_and_revised(store, team)
    trail = store.audit_trail(revision)
    actions = [r.action for r in trail]
    assert actions == ["visit.review", "visit.transition", "visit.revise"]
    review, returned, revised = trail
    assert review.user_name == "张主任" and "退回" in review.summary.zh
    assert "1" in review.summary.en and review.reason == "请补充"
    assert returned.summary.en == "revision 1: Submitted → Returned"
    assert returned.reason == "请补充"
    assert revised.summary.zh.startswith("第2版") and revised.reason == "按复核意见修改"
    alone = store.audit_trail(visit)
    assert [r.action for r in alone] == actions[:2]
    assert alone[1].summary == Text("已提交 → 已退回", "Submitted → Returned")


def test_revision_diff_shows_what_changed_and_what_was_commented(
    store: LocalStore, team: Team
) -> None:
    visit, revision = _returned_and_revised(store, team)
    assert store.revision_diff(visit) is None
    assert store.revision_diff(revision) is not None
    assert store.revision_diff(revision).rows == ()  # an untouched copy changes nothing
    store.set_answer(revision, team.li, "R-WIL-01", "no")
    with store.write() as s:
        new = s.get_one(Visit, revision)
        new.place = "仓库"
        new.recommended_classification = Classification.SPECIAL_MENTION
        s.add(Note(visit_id=revision, item_code="R-WIL-01", text="征信报告已补"))

    diff = store.revision_diff(revision)

    assert diff is not None
    assert (diff.previous_id, diff.previous_revision, diff.revision) == (visit, 1, 2)
    by_ref = {(r.area, r.ref): r for r in diff.rows}
    answer = by_ref["answer", "R-WIL-01"]
    assert (answer.change, answer.before, answer.after, answer.commented) == (
        "changed", Text("是", "Yes"), Text("否", "No"), True)
    assert answer.label.zh.startswith("借款人在本行") and answer.label.en.startswith("Does the")
    assert answer.label.zh != answer.label.en  # the question in each language
    place = by_ref["header", "place"]
    assert (place.before, place.after, place.commented) == (
        Text.same("厂区"), Text.same("仓库"), False)
    assert place.label == Text("检查地点", "place")
    assert by_ref["classification", "recommended_classification"].after == Text(
        "关注", "Special mention")
    assert by_ref["note", "R-WIL-01"].change == "added"
    # The abnormal answer raised a signal in the revision only.
    assert any(r.area == "signal" and r.change == "added" for r in diff.rows)


def test_revision_diff_says_each_side_as_the_officer_saw_it(
    store: LocalStore, team: Team
) -> None:
    visit = make_visit(store, team.li, status=VisitStatus.DRAFT)
    with store.write() as s:
        borrower_id = s.get_one(Visit, visit).borrower_id
        item = CollateralItem(borrower_id=borrower_id, kind=CollateralKind.EQUIPMENT,
                              description="数控机床 3 台", appraised_value_fen=100_000_000,
                              pledged_value_fen=60_000_000)
        s.add(item)
        s.flush()
        s.add(CollateralObservation(visit_id=visit, collateral_item_id=item.id,
                                    status=CollateralStatus.PRESENT, location_checked=True,
                                    estimated_value_fen=90_000_000, insurance_valid=True))
        s.get_one(Visit, visit).status = VisitStatus.SUBMITTED
    store.return_visit(visit, team.supervisor, "请补充")
    revision = store.new_revision(visit, team.li, "按复核意见修改").id
    with store.write() as s:
        seen_now = s.scalars(select(CollateralObservation).where(
            CollateralObservation.visit_id == revision)).one()
        seen_now.status = CollateralStatus.SEIZED
        seen_now.estimated_value_fen = 120_000_000_00
        s.add(Photo(visit_id=revision, sha256="ab" * 32, original_name="IMG_0001.jpg",
                    caption="厂房外景", width=10, height=10, size_bytes=100))
        s.get_one(Visit, revision).final_classification = Classification.SUBSTANDARD
    store.set_answer(revision, team.li, "R-WIL-01", "是", note="已补征信报告")
    store.set_answer(revision, team.li, "R-WIL-03", "mixed")  # a choice, unanswered before
    store.set_answer(revision, team.li, "R-ABL-03", "120万")  # money

    by_ref = {(r.area, r.ref): r for r in store.revision_diff(revision).rows}

    # The same answer with a note now: the answer said in words, the note on its own line.
    answer = by_ref["answer", "R-WIL-01"]
    assert answer.before == Text("是", "Yes")
    assert answer.after == Text("是\n备注：已补征信报告", "Yes\nnote: 已补征信报告")
    choice = by_ref["answer", "R-WIL-03"]
    assert (choice.change, choice.before, choice.after) == (
        "added", Text("", ""), Text("评价一般", "Mixed"))
    money = by_ref["answer", "R-ABL-03"]
    assert money.after == Text("1,200,000.00 元", "CNY 1,200,000.00")
    assert "mixed" not in choice.after.zh and "normal" not in str(answer.after)
    # The collateral item by its status's name and only what differs, money in yuan.
    seen = by_ref["observation", item.id]
    assert seen.label == Text.same("数控机床 3 台")
    assert seen.before == Text("在位；本次估值：900,000.00 元",
                               "Present; estimate: CNY 900,000.00")
    assert seen.after == Text("被法院查封；本次估值：120,000,000.00 元",
                              "Seized by a court; estimate: CNY 120,000,000.00")
    # A photo by its caption; a classification by its name.
    photo = by_ref["photo", "ab" * 32]
    assert (photo.change, photo.label, photo.after) == (
        "added", Text("照片：厂房外景", "Photo: 厂房外景"), Text.same("厂房外景"))
    final = by_ref["classification", "final_classification"]
    assert (final.change, final.after) == ("added", Text("次级", "Substandard"))


# -- signal follow-ups --------------------------------------------------------------------------


def _signal(store: LocalStore, visit: str) -> str:
    with store.read() as s:
        return s.scalars(select(RiskSignal.id).where(RiskSignal.visit_id == visit)).one()


def test_follow_ups_apply_here_and_queue_for_sync_not_the_visit(
    store: LocalStore, team: Team
) -> None:
    visit = make_visit(store, team.li, status=VisitStatus.APPROVED, signals=(Severity.YELLOW,))
    signal = _signal(store, visit)
    with store.write() as s:
        s.execute(OutboxEntry.__table__.delete())

    store.follow_up_signal(signal, team.supervisor, "escalate", "库存骤降", severity=Severity.RED)
    store.follow_up_signal(signal, team.supervisor, "reassign", "转交王芳", officer_id=team.wang.id)
    changes = store.follow_up_signal(signal, team.supervisor, "clear", "已核实")

    assert signal in changes.signals
    with store.read() as s:
        row = s.get_one(RiskSignal, signal)
        assert (row.severity, row.status) == (Severity.RED, SignalStatus.CLEARED)
        queued = s.execute(select(OutboxEntry.entity, OutboxEntry.ref)).all()
        assert {entity for entity, _ in queued} == {FOLLOW_UP}  # never the officer's visit
        docs = {d.id: d.data for d in s.scalars(
            select(ReferenceDoc).where(ReferenceDoc.entity == FOLLOW_UP))}
        assert {ref for _, ref in queued} == set(docs)
        assert sorted(d["action"] for d in docs.values()) == ["clear", "escalate", "reassign"]
        escalation = next(d for d in docs.values() if d["action"] == "escalate")
        assert (escalation["severity"], escalation["signal_id"]) == ("red", signal)


def test_follow_ups_are_steps_of_the_signal_as_the_visit_lists_it(
    store: LocalStore, team: Team
) -> None:
    visit = make_visit(store, team.li, status=VisitStatus.APPROVED, signals=(Severity.YELLOW,))
    signal = _signal(store, visit)
    store.follow_up_signal(signal, team.supervisor, "escalate", "库存骤降", severity=Severity.RED)
    store.follow_up_signal(signal, team.supervisor, "reassign", "转交王芳", officer_id=team.wang.id)
    store.follow_up_signal(signal, team.supervisor, "clear", "已核实")

    (row,) = [r for r in store.signals_of(visit) if r.id == signal]
    assert (row.severity, row.status) == (Severity.RED, SignalStatus.CLEARED)
    follow_ups = [(st.follow_up, st.user_name, st.reason, st.severity, st.officer_name,
                   st.officer_id, st.step) for st in row.steps if st.follow_up]
    assert follow_ups == [
        ("escalate", "张主任", "库存骤降", Severity.RED, "", "", SignalStatus.RAISED),
        ("reassign", "张主任", "转交王芳", None, "王芳", team.wang.id, SignalStatus.RAISED),
        # The clearance is the signal's cleared step, listed once.
        ("clear", "张主任", "已核实", None, "", "", SignalStatus.CLEARED),
    ]
    assert [st.step for st in row.steps if not st.follow_up] == []  # made in bulk: no raise step
    assert [st.at for st in row.steps] == sorted(st.at for st in row.steps)


def test_a_follow_up_from_headquarters_names_its_supervisor(
    store: LocalStore, team: Team
) -> None:
    # As the officer's laptop keeps a pulled record (sync.pull): the supervisor's name comes
    # with it; a clearance with no local step of its own is still listed.
    visit = make_visit(store, team.li, status=VisitStatus.APPROVED, signals=(Severity.ORANGE,))
    signal = _signal(store, visit)
    with store.write() as s:
        for n, (action, extra) in enumerate((("escalate", {"severity": "red"}),
                                             ("clear", {}))):
            s.add(ReferenceDoc(entity=FOLLOW_UP, id=f"fu-{n}", version=1, deleted=False, data={
                "id": f"fu-{n}", "signal_id": signal, "action": action, "reason": f"原因{n}",
                "severity": None, "officer_id": None, "user_id": "somebody-elsewhere",
                "user_name": "钱主任", "at": (NOW + timedelta(minutes=n)).isoformat(),
                "visit_id": visit, "borrower_id": "b", **extra}))
        s.add(ReferenceDoc(entity=FOLLOW_UP, id="other", version=1, deleted=False, data={
            "id": "other", "signal_id": "another-signal", "action": "clear", "reason": "x",
            "user_id": "u", "at": NOW.isoformat()}))
    (row,) = [r for r in store.signals_of(visit) if r.id == signal]
    assert [(st.follow_up, st.user_name, st.reason, st.severity, st.step, st.at)
            for st in row.steps] == [
        ("escalate", "钱主任", "原因0", Severity.RED, SignalStatus.RAISED, NOW),
        ("clear", "钱主任", "原因1", None, SignalStatus.CLEARED, NOW + timedelta(minutes=1)),
    ]


@pytest.mark.parametrize(
    ("who", "action", "kwargs", "says"),
    [
        ("li", "clear", {}, "only a supervisor"),
        ("other_boss", "clear", {}, "your own team"),
        ("supervisor", "clear", {"reason": " "}, "needs a reason"),
        ("supervisor", "escalate", {"severity": Severity.YELLOW}, "higher than"),
        ("supervisor", "escalate", {}, "higher than"),
        ("supervisor", "reassign", {"officer_id": "outsider"}, "officer of your team"),
        ("supervisor", "promote", {}, "unknown follow-up"),
    ],
)
def test_follow_up_refusals_change_nothing(
    store: LocalStore, team: Team, who: str, action: str, kwargs: dict[str, object], says: str
) -> None:
    visit = make_visit(store, team.li, status=VisitStatus.APPROVED, signals=(Severity.YELLOW,))
    signal = _signal(store, visit)
    if kwargs.get("officer_id") == "outsider":
        kwargs["officer_id"] = team.outsider.id
    reason = str(kwargs.pop("reason", "原因"))
    with pytest.raises(TransitionError, match=says):
        store.follow_up_signal(signal, getattr(team, who), action, reason, **kwargs)  # type: ignore[arg-type]
    with store.read() as s:
        row = s.get_one(RiskSignal, signal)
        assert (row.severity, row.status) == (Severity.YELLOW, SignalStatus.RAISED)
        assert s.scalars(select(ReferenceDoc).where(ReferenceDoc.entity == FOLLOW_UP)).all() == []
