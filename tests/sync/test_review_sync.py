"""End to end over real HTTP (headquarters in-process): a supervisor's decisions between the
laptop's reviews table and headquarters.

A return with item comments goes up with its comment, comments and the time it was decided,
and the officer's laptop holds it after its pull as a confirmed review with those comments;
an approval carries 复核意见, the final classification, its reason and when; a decision made
offline goes at the next sync with the time it was made; a decision headquarters refuses
because another stands is kept as a conflict with headquarters' words, never sent again, and
the visit follows headquarters; the team feed sends the first page's `until` back."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sync_helpers import outbox_rows
from test_e2e_hq import PASSWORD, serve
from test_team_feed import _client, _sign, _sync, _user, _visit_on_site

from inspector_app import wire
from inspector_app.common.paths import database_path
from inspector_app.domain.enums import (
    Classification,
    Severity,
    SignalCategory,
    SignalStatus,
    VisitStatus,
)
from inspector_app.domain.lifecycle import TransitionError
from inspector_app.hq import models as hq_models
from inspector_app.hq.context import Hq
from inspector_app.reports import files as report_files
from inspector_app.reports.certs import TestCA, make_test_ca
from inspector_app.store import outbox
from inspector_app.store.local import LocalStore
from inspector_app.store.models import (
    ChecklistAnswer,
    Photo,
    ReferenceDoc,
    Report,
    Review,
    RiskSignal,
    RiskSignalStep,
    Visit,
)
from inspector_app.store.review import FOLLOW_UP
from inspector_app.store.review_rows import Approval, ReviewCommentRow, ReviewState
from inspector_app.sync.client import SyncClient
from inspector_app.sync.report import Reason, What

# -- fixtures (as in test_team_feed: an officer's laptop, headquarters, a supervisor's) -------


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Hq]]:
    with serve(tmp_path) as running:
        yield running


@pytest.fixture
def ca(tmp_path: Path) -> TestCA:
    return make_test_ca(tmp_path / "ca", [("off_a", "李明"), ("sup1", "张主任")])


@pytest.fixture
def officer_laptop(store: LocalStore, server: tuple[str, Hq]) -> LocalStore:
    with _client(store, server[0]) as client:
        client.register("off_a", PASSWORD, "现场笔记本")
        assert client.sync().ok
    return store


@pytest.fixture
def supervisor_laptop(tmp_path: Path, _migrated_db: Path) -> Iterator[LocalStore]:
    data = tmp_path / "supervisor-laptop"
    data.mkdir()
    shutil.copyfile(_migrated_db, database_path(data))
    laptop = LocalStore.open(data)
    yield laptop
    laptop.close()


@pytest.fixture
def submitted_visit(officer_laptop: LocalStore, server: tuple[str, Hq], ca: TestCA,
                    tmp_path: Path) -> str:
    visit_id = _visit_on_site(officer_laptop, tmp_path, 1)
    _sign(officer_laptop, visit_id, ca)
    assert _sync(officer_laptop, server[0]).ok
    return visit_id


@pytest.fixture
def sup(supervisor_laptop: LocalStore, server: tuple[str, Hq],
        submitted_visit: str) -> Iterator[SyncClient]:
    """sup1's laptop, registered and synced once: the submitted visit is on it."""
    with _client(supervisor_laptop, server[0]) as client:
        client.register("sup1", PASSWORD, "主任的笔记本")
        assert client.sync().ok
        yield client


# -- helpers ---------------------------------------------------------------------------------


def _return(laptop: LocalStore, visit_id: str, comment: str,
            comments: tuple[ReviewCommentRow, ...] = ()) -> datetime:
    """sup1 comments on items while reading the visit, then returns it (store.return_visit):
    a pending decision; when it was decided."""
    me = _user(laptop, "sup1")
    for c in comments:
        laptop.set_review_comment(visit_id, me, c.target, c.ref, c.text)
    laptop.return_visit(visit_id, me, comment)
    return _decided_at(laptop, visit_id)


def _approve(laptop: LocalStore, visit_id: str, ca: TestCA, approval: Approval) -> Report:
    """sup1 approves by countersigning (reports.files.countersign_visit): a pending decision."""
    return report_files.countersign_visit(
        laptop, visit_id, _user(laptop, "sup1"), ca.user("sup1").p12_path,
        ca.user("sup1").password, approval=approval)


def _decided_at(laptop: LocalStore, visit_id: str) -> datetime:
    [review] = [r for r in _reviews(laptop, visit_id) if r.decision != "draft"]
    assert review.state == ReviewState.PENDING and review.decided_at is not None
    return review.decided_at


def _item_comments(laptop: LocalStore, visit_id: str) -> tuple[ReviewCommentRow, ...]:
    with laptop.read() as s:
        code = s.scalars(select(ChecklistAnswer.item_code)
                         .where(ChecklistAnswer.visit_id == visit_id)
                         .order_by(ChecklistAnswer.item_code)).first()
        sha = s.scalars(select(Photo.sha256).where(Photo.visit_id == visit_id)
                        .order_by(Photo.sha256)).first()
    assert code is not None and sha is not None
    return (ReviewCommentRow("photo", sha, "照片模糊，请补拍"),
            ReviewCommentRow("answer", code, "与财务报表不符"))


def _reviews(laptop: LocalStore, visit_id: str) -> list[Review]:
    with laptop.read() as s:
        rows = list(s.scalars(select(Review).where(Review.visit_id == visit_id)
                              .order_by(Review.created_at)))
        for r in rows:
            _ = list(r.comments)  # loaded before the session closes
        return rows


def _comments(review: Review) -> list[tuple[str, str, str]]:
    return [(c.target, c.ref, c.text) for c in review.comments]


def _hq_reviews(hq: Hq) -> list[hq_models.Review]:
    with hq.db.read() as s:
        return list(s.scalars(select(hq_models.Review)))


def _decide_at_headquarters(base: str, visit_id: str, body: dict[str, Any]) -> httpx.Response:
    """sup1 decides from another device (a second laptop), straight at headquarters."""
    with httpx.Client(base_url=base) as http:
        reg = http.post(f"{wire.API}/devices/register",
                        json={"username": "sup1", "password": PASSWORD,
                              "device_name": "主任的另一台电脑"})
        assert reg.status_code in (200, 201), reg.text
        token = reg.json()["token"]
        return http.post(f"{wire.API}/visits/{visit_id}/review", json=body,
                         headers={"Authorization": f"Bearer {token}"})


# -- tests -----------------------------------------------------------------------------------


def test_a_return_with_item_comments_reaches_the_officer_as_a_confirmed_review(
        officer_laptop: LocalStore, supervisor_laptop: LocalStore, server: tuple[str, Hq],
        submitted_visit: str, sup: SyncClient, ca: TestCA) -> None:
    base, hq = server
    visit_id = submitted_visit
    comments = _item_comments(supervisor_laptop, visit_id)
    decided = _return(supervisor_laptop, visit_id, "请补充材料后重新提交", comments)
    [pending] = _reviews(supervisor_laptop, visit_id)
    assert pending.state == ReviewState.PENDING and pending.server_id is None

    up = sup.sync()
    assert up.ok and up.returns_sent == 1 and up.visits_sent == 0, up.messages()
    assert outbox_rows(supervisor_laptop) == []
    [stored] = _hq_reviews(hq)
    assert (stored.decision, stored.comment) == ("returned", "请补充材料后重新提交")
    assert stored.comments == [{"target": c.target, "ref": c.ref, "text": c.text}
                               for c in comments]
    assert stored.decided_at == decided  # when decided, not when it arrived
    assert stored.received_at > decided
    # The laptop's decision is now headquarters': one row, confirmed, with its server id.
    [mine] = _reviews(supervisor_laptop, visit_id)
    assert (mine.state, mine.server_id) == (ReviewState.CONFIRMED, stored.id)
    assert _comments(mine) == [(c.target, c.ref, c.text) for c in comments]
    assert sup.sync().returns_sent == 0  # nothing sent twice
    assert len(_reviews(supervisor_laptop, visit_id)) == 1

    back = _sync(officer_laptop, base)
    assert back.ok, back.messages()
    with officer_laptop.read() as s:
        assert s.get_one(Visit, visit_id).status is VisitStatus.RETURNED
    [theirs] = _reviews(officer_laptop, visit_id)
    assert (theirs.decision, theirs.comment, theirs.state) == (
        "returned", "请补充材料后重新提交", ReviewState.CONFIRMED)
    assert (theirs.server_id, theirs.reviewer_name) == (stored.id, "张主任")
    assert theirs.reviewer_id == _user(officer_laptop, "sup1").id
    assert theirs.decided_at == decided
    assert _comments(theirs) == [(c.target, c.ref, c.text) for c in comments]
    assert _sync(officer_laptop, base).ok  # the same review again is still one row
    assert len(_reviews(officer_laptop, visit_id)) == 1

    # The officer corrects it as a new revision, which reaches the supervisor as a visit of
    # its own pointing back at the returned one; the returned one stays as it was.
    officer = _user(officer_laptop, "off_a")
    revision = officer_laptop.new_revision(visit_id, officer, "按主管意见补拍照片").id
    asked = officer_laptop.comments_for_revision(revision)
    assert asked is not None and [(c.target, c.ref) for c in asked.comments] == [
        (c.target, c.ref) for c in comments]
    _sign(officer_laptop, revision, ca)
    assert _sync(officer_laptop, base).visits_sent == 1
    again = sup.sync()
    assert again.ok and again.team_visits_received == 1, again.messages()
    with supervisor_laptop.read() as s:
        resubmitted = s.get_one(Visit, revision)
        assert (resubmitted.status, resubmitted.previous_revision_id) == (
            VisitStatus.SUBMITTED, visit_id)
        assert s.get_one(Visit, visit_id).status is VisitStatus.RETURNED


def test_an_approval_carries_the_opinion_final_classification_reason_and_time(
        officer_laptop: LocalStore, supervisor_laptop: LocalStore, server: tuple[str, Hq],
        submitted_visit: str, sup: SyncClient, ca: TestCA) -> None:
    base, hq = server
    visit_id = submitted_visit
    with supervisor_laptop.read() as s:
        officer_says = s.get_one(Visit, visit_id).recommended_classification
    assert officer_says is not Classification.SUBSTANDARD
    final = _approve(supervisor_laptop, visit_id, ca, Approval(
        "同意，关注应收账款回收", Classification.SUBSTANDARD, "主要客户停产，还款来源不足"))
    decided = _decided_at(supervisor_laptop, visit_id)

    up = sup.sync()
    assert up.ok and up.approvals_sent == 1, up.messages()
    [stored] = _hq_reviews(hq)
    assert (stored.decision, stored.comment) == ("approved", "同意，关注应收账款回收")
    assert (stored.final_classification, stored.classification_reason) == (
        "substandard", "主要客户停产，还款来源不足")
    assert stored.decided_at == decided and stored.report["sha256"] == final.sha256
    [mine] = _reviews(supervisor_laptop, visit_id)
    assert (mine.state, mine.server_id) == (ReviewState.CONFIRMED, stored.id)

    back = _sync(officer_laptop, base)
    assert back.ok and back.reports_received == 1, back.messages()
    [theirs] = _reviews(officer_laptop, visit_id)
    assert (theirs.decision, theirs.state, theirs.comment) == (
        "approved", ReviewState.CONFIRMED, "同意，关注应收账款回收")
    assert theirs.final_classification is Classification.SUBSTANDARD
    assert theirs.classification_reason == "主要客户停产，还款来源不足"
    assert theirs.decided_at == decided and theirs.comments == []


def test_a_decision_made_offline_goes_at_the_next_sync_with_its_own_time(
        supervisor_laptop: LocalStore, server: tuple[str, Hq], submitted_visit: str,
        sup: SyncClient) -> None:
    _base, hq = server
    visit_id = submitted_visit
    comments = _item_comments(supervisor_laptop, visit_id)[:1]
    decided = _return(supervisor_laptop, visit_id, "照片需补拍", comments)
    with SyncClient(supervisor_laptop, _nowhere(), retries=0) as offline:
        cut_off = offline.sync()
    assert not cut_off.ok and cut_off.returns_sent == 0
    assert [(i.what, i.reason, i.ref) for i in cut_off.issues] == [
        (What.UPDATES, Reason.UNREACHABLE, ""), (What.APPROVAL, Reason.UNREACHABLE, visit_id)]
    assert (outbox.VISIT, visit_id) in outbox_rows(supervisor_laptop)
    assert _hq_reviews(hq) == []
    [pending] = _reviews(supervisor_laptop, visit_id)
    assert pending.state == ReviewState.PENDING

    later = sup.sync()
    assert later.ok and later.returns_sent == 1, later.messages()
    [stored] = _hq_reviews(hq)
    assert stored.decided_at == decided and stored.received_at > decided
    assert stored.comments == [{"target": comments[0].target, "ref": comments[0].ref,
                                "text": comments[0].text}]
    [mine] = _reviews(supervisor_laptop, visit_id)
    assert mine.state == ReviewState.CONFIRMED and outbox_rows(supervisor_laptop) == []


def _nowhere() -> str:
    """A base URL nobody listens on (a port bound and closed again): the laptop is offline."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_a_return_refused_because_an_approval_stands_is_kept_as_a_conflict(
        supervisor_laptop: LocalStore, server: tuple[str, Hq], submitted_visit: str,
        sup: SyncClient) -> None:
    base, hq = server
    visit_id = submitted_visit
    _return(supervisor_laptop, visit_id, "请补充财务报表",
            _item_comments(supervisor_laptop, visit_id))
    # Meanwhile the same supervisor approved the visit from another device.
    there = _decide_at_headquarters(base, visit_id, {"decision": "approved",
                                                     "comment": "在总行直接通过"})
    assert there.status_code in (200, 201), there.text
    approved_id = there.json()["id"]

    report = sup.sync()
    assert not report.ok and report.returns_sent == 0
    [issue] = report.issues
    assert (issue.what, issue.reason, issue.ref) == (What.APPROVAL, Reason.CONFLICT, visit_id)
    assert "already approved" in issue.message, issue.message
    assert any("not accepted" in line and "already approved" in line
               for line in report.messages())
    # Headquarters' decision stands; the laptop follows it and keeps its own as a conflict.
    assert [(r.decision, r.comment) for r in _hq_reviews(hq)] == [("approved", "在总行直接通过")]
    assert outbox_rows(supervisor_laptop) == []
    by_state = {r.state: r for r in _reviews(supervisor_laptop, visit_id)}
    assert set(by_state) == {ReviewState.CONFLICT, ReviewState.CONFIRMED}
    mine, theirs = by_state[ReviewState.CONFLICT], by_state[ReviewState.CONFIRMED]
    assert (mine.decision, mine.comment, mine.server_id) == ("returned", "请补充财务报表", None)
    assert mine.conflict == issue.message and len(mine.comments) == 2
    assert (theirs.decision, theirs.server_id, theirs.comment) == (
        "approved", approved_id, "在总行直接通过")
    with supervisor_laptop.read() as s:
        assert s.get_one(Visit, visit_id).status is VisitStatus.APPROVED
    # What the screens show is the refused decision, with what headquarters said.
    shown = supervisor_laptop.review_of(visit_id)
    assert shown is not None and shown.state is ReviewState.CONFLICT
    assert shown.decision == "returned" and "already approved" in shown.conflict
    # Headquarters' approval holds: no other decision may be taken here on top of it.
    with pytest.raises(TransitionError):
        supervisor_laptop.return_visit(visit_id, _user(supervisor_laptop, "sup1"), "再退回")

    again = sup.sync()  # never sent again; the conflict stays for the supervisor to see
    assert again.ok and again.returns_sent == 0, again.messages()
    assert len(_hq_reviews(hq)) == 1
    states = sorted(r.state for r in _reviews(supervisor_laptop, visit_id))
    assert states == sorted([ReviewState.CONFLICT, ReviewState.CONFIRMED])


def test_a_countersigned_approval_refused_because_a_return_stands_is_kept_as_a_conflict(
        supervisor_laptop: LocalStore, server: tuple[str, Hq], submitted_visit: str,
        sup: SyncClient, ca: TestCA) -> None:
    base, hq = server
    visit_id = submitted_visit
    with supervisor_laptop.read() as s:
        officer_says = s.get_one(Visit, visit_id).recommended_classification
    assert officer_says is not None
    _approve(supervisor_laptop, visit_id, ca, Approval("同意", officer_says))
    there = _decide_at_headquarters(base, visit_id, {
        "decision": "returned", "comment": "另一台电脑上退回",
        "comments": [{"target": c.target, "ref": c.ref, "text": c.text}
                     for c in _item_comments(supervisor_laptop, visit_id)]})
    assert there.status_code in (200, 201), there.text

    report = sup.sync()
    assert report.approvals_sent == 0
    conflicts = [i for i in report.issues if i.reason is Reason.CONFLICT]
    assert [(i.what, i.ref) for i in conflicts] == [(What.APPROVAL, visit_id)]
    assert "already returned" in conflicts[0].message
    assert not [r for r in outbox_rows(supervisor_laptop)
                if r in {(outbox.COUNTERSIGN, visit_id), (outbox.VISIT, visit_id)}]
    with supervisor_laptop.read() as s:
        assert s.get_one(Visit, visit_id).status is VisitStatus.RETURNED
    by_state = {r.state: r for r in _reviews(supervisor_laptop, visit_id)}
    assert by_state[ReviewState.CONFLICT].decision == "approved"
    theirs = by_state[ReviewState.CONFIRMED]
    assert (theirs.decision, theirs.comment, len(theirs.comments)) == (
        "returned", "另一台电脑上退回", 2)
    assert [(r.decision, r.report) for r in _hq_reviews(hq)] == [("returned", None)]


def test_the_team_feed_sends_its_until_back_on_later_pages(
        officer_laptop: LocalStore, supervisor_laptop: LocalStore, server: tuple[str, Hq],
        ca: TestCA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base, hq = server
    with _client(supervisor_laptop, base) as sup:
        sup.register("sup1", PASSWORD, "主任的笔记本")
        assert sup.sync().ok
        for seed in (1, 3, 5):
            _sign(officer_laptop, _visit_on_site(officer_laptop, tmp_path, seed), ca)
        assert _sync(officer_laptop, base).visits_sent == 3
        late = _visit_on_site(officer_laptop, tmp_path, 7)
        _sign(officer_laptop, late, ca)
        hq.settings = type(hq.settings)(page_size=1)
        asked: list[dict[str, str]] = []
        pushed: list[int] = []
        real = sup._http.request

        def watched(method: str, url: object, **kwargs: Any) -> httpx.Response:
            response = real(method, url, **kwargs)
            if method == "GET" and str(url).endswith("/visits"):
                asked.append({k: str(v) for k, v in kwargs.get("params", {}).items()})
                if len(pushed) == 0:  # the officer sends another visit mid-sync
                    pushed.append(_sync(officer_laptop, base).visits_sent)
            return response

        monkeypatch.setattr(sup._http, "request", watched)
        first = sup.sync()
        assert first.ok and first.team_visits_received == 3, first.messages()
        assert pushed == [1]
        assert "until" not in asked[0]
        until = asked[1]["until"]
        assert len(asked) == 3 and all(a["until"] == until for a in asked[1:]), asked
        asked.clear()
        second = sup.sync()  # the visit sent mid-sync comes now, once
        assert second.ok and second.team_visits_received == 1, second.messages()
    with supervisor_laptop.read() as s:
        assert s.get(Visit, late) is not None
        assert len(list(s.scalars(select(Visit)))) == 4


def test_signal_follow_ups_go_up_and_reach_the_officer(
        officer_laptop: LocalStore, supervisor_laptop: LocalStore, server: tuple[str, Hq],
        ca: TestCA, tmp_path: Path) -> None:
    base, hq = server
    officer = _user(officer_laptop, "off_a")
    visit_id = _visit_on_site(officer_laptop, tmp_path, 1)
    signal_id = officer_laptop.add_manual_signal(
        visit_id, officer, category=SignalCategory.FINANCIAL, severity=Severity.YELLOW,
        title="应收账款大幅增加")
    _sign(officer_laptop, visit_id, ca)
    assert _sync(officer_laptop, base).ok
    with _client(supervisor_laptop, base) as sup:
        sup.register("sup1", PASSWORD, "主任的笔记本")
        assert sup.sync().ok
        me = _user(supervisor_laptop, "sup1")
        supervisor_laptop.follow_up_signal(signal_id, me, "escalate", "主要客户停产",
                                           severity=Severity.RED)
        assert (FOLLOW_UP, _follow_up_ids(supervisor_laptop)[0]) in outbox_rows(
            supervisor_laptop)
        up = sup.sync()
        assert up.ok and up.follow_ups_sent == 1, up.messages()
        assert any("1 signal follow-up sent" in line for line in up.messages())
        assert outbox_rows(supervisor_laptop) == []
        with hq.db.read() as s:
            [stored] = s.scalars(select(hq_models.SignalFollowUpRow))
            assert (stored.signal_id, stored.action, stored.severity, stored.reason) == (
                signal_id, "escalate", "red", "主要客户停产")
            assert stored.id == _follow_up_ids(supervisor_laptop)[0]

        down = _sync(officer_laptop, base)
        assert down.ok, down.messages()
        with officer_laptop.read() as s:
            assert s.get_one(RiskSignal, signal_id).severity is Severity.RED

        supervisor_laptop.follow_up_signal(signal_id, me, "clear", "已核实，客户已复产")
        cleared = sup.sync()
        assert cleared.ok and cleared.follow_ups_sent == 1, cleared.messages()
        assert sup.sync().follow_ups_sent == 0  # nothing sent twice
    # The supervisor's own follow-ups came back in its pull: applied once, not twice.
    with supervisor_laptop.read() as s:
        steps = [st.step for st in s.scalars(select(RiskSignalStep).where(
            RiskSignalStep.signal_id == signal_id))]
        assert steps.count(SignalStatus.CLEARED) == 1
    down = _sync(officer_laptop, base)
    assert down.ok, down.messages()
    with officer_laptop.read() as s:
        signal = s.get_one(RiskSignal, signal_id)
        assert (signal.status, signal.severity) == (SignalStatus.CLEARED, Severity.RED)
        [step] = s.scalars(select(RiskSignalStep).where(
            RiskSignalStep.signal_id == signal_id, RiskSignalStep.step == SignalStatus.CLEARED))
        assert step.user_id == _user(officer_laptop, "sup1").id
        assert step.reason == "已核实，客户已复产"
    # What the officer's signals page lists: both follow-ups, by the supervisor, once each.
    [row] = [r for r in officer_laptop.signals_of(visit_id) if r.id == signal_id]
    supervisor_name = _user(officer_laptop, "sup1").display_name
    assert [(st.follow_up, st.user_name, st.reason) for st in row.steps if st.follow_up] == [
        ("escalate", supervisor_name, "主要客户停产"),
        ("clear", supervisor_name, "已核实，客户已复产")]
    assert [st.step for st in row.steps].count(SignalStatus.CLEARED) == 1
    assert outbox_rows(officer_laptop) == []  # the officer's copy is not pushed back
    assert _sync(officer_laptop, base).ok


def test_a_refused_follow_up_stays_queued_with_the_servers_words(
        officer_laptop: LocalStore, supervisor_laptop: LocalStore, server: tuple[str, Hq],
        ca: TestCA, tmp_path: Path) -> None:
    base, _hq = server
    officer = _user(officer_laptop, "off_a")
    visit_id = _visit_on_site(officer_laptop, tmp_path, 1)
    signal_id = officer_laptop.add_manual_signal(
        visit_id, officer, category=SignalCategory.FINANCIAL, severity=Severity.YELLOW,
        title="应收账款大幅增加")
    _sign(officer_laptop, visit_id, ca)
    assert _sync(officer_laptop, base).ok
    with _client(supervisor_laptop, base) as sup:
        sup.register("sup1", PASSWORD, "主任的笔记本")
        assert sup.sync().ok
        # Headquarters cleared it meanwhile (another of the supervisor's devices).
        there = _follow_up_at_headquarters(base, signal_id, {
            "id": "f0000000-0000-4000-8000-000000000001", "action": "clear",
            "reason": "总行已解除", "at": datetime.now(UTC).isoformat()})
        assert there.status_code == 201, there.text
        supervisor_laptop.follow_up_signal(signal_id, _user(supervisor_laptop, "sup1"),
                                           "escalate", "主要客户停产", severity=Severity.RED)
        refused = sup.sync()
    assert refused.follow_ups_sent == 0
    [issue] = refused.issues
    assert (issue.what, issue.reason, issue.label) == (
        What.FOLLOW_UP, Reason.REJECTED, "应收账款大幅增加")
    assert "cleared" in issue.message
    assert any("应收账款大幅增加" in line and "cleared" in line for line in refused.messages())
    [follow_up_id] = [f for f in _follow_up_ids(supervisor_laptop)
                      if f != "f0000000-0000-4000-8000-000000000001"]
    assert (FOLLOW_UP, follow_up_id) in outbox_rows(supervisor_laptop)


def _follow_up_ids(laptop: LocalStore) -> list[str]:
    with laptop.read() as s:
        return list(s.scalars(select(ReferenceDoc.id).where(ReferenceDoc.entity == FOLLOW_UP)
                              .order_by(ReferenceDoc.received_at)))


def _follow_up_at_headquarters(base: str, signal_id: str, body: dict[str, Any]
                               ) -> httpx.Response:
    with httpx.Client(base_url=base) as http:
        reg = http.post(f"{wire.API}/devices/register",
                        json={"username": "sup1", "password": PASSWORD,
                              "device_name": "主任的另一台电脑"})
        assert reg.status_code in (200, 201), reg.text
        return http.post(f"{wire.API}/signals/{signal_id}/follow-ups", json=body,
                         headers={"Authorization": f"Bearer {reg.json()['token']}"})
