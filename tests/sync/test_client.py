"""The sync client against the in-memory headquarters: registration, pull, resumable files,
idempotent pushes, conflicts, retries, revocation and what the officer is told."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fake_server import FakeHQ, Fault
from sqlalchemy import select
from sync_helpers import (
    CHUNK,
    PASSWORD,
    SERVER,
    Portfolio,
    local_document,
    make_photo,
    outbox_rows,
)

from inspector_app import wire
from inspector_app.domain.enums import VisitStatus
from inspector_app.reports import files as report_files
from inspector_app.store import outbox
from inspector_app.store.local import LocalStore
from inspector_app.store.models import (
    AuditEntry,
    Borrower,
    CollateralItem,
    Guarantor,
    Loan,
    OutboxEntry,
    ReferenceDoc,
    Report,
    SyncState,
    User,
    Visit,
    VisitSync,
)
from inspector_app.sync.client import SyncClient, SyncError
from inspector_app.sync.report import Reason, SyncProgress


def _state(store: LocalStore) -> SyncState:
    with store.read() as s:
        return s.get_one(SyncState, 1)


def _photo(store: LocalStore, p: Portfolio, tmp_path: Path, seed: int = 1, side: int = 48):
    return store.add_photo(p.visit_id, p.officer, make_photo(tmp_path, seed, side))


def _sign(store: LocalStore, p: Portfolio, pdf: bytes = b"%PDF-1.7 signed report") -> str:
    """A visit as sign_visit leaves it: a report file kept by its hash, status signed."""
    sha = hashlib.sha256(pdf).hexdigest()
    path = report_files.report_path(store.data_dir, sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    with store.write() as s:
        s.add(Report(visit_id=p.visit_id, stage="signed", sha256=sha, size_bytes=len(pdf),
                     lang="zh", signer_user_id=p.officer.id, signer_name="李明",
                     signed_at=datetime(2026, 11, 20, 8, tzinfo=UTC)))
        s.get_one(Visit, p.visit_id).status = VisitStatus.SIGNED
    return sha


# -- registration ---------------------------------------------------------------------------


def test_first_registration_keeps_the_device_and_lets_the_user_log_in_offline(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, client: SyncClient
) -> None:
    assert not client.is_registered()
    with pytest.raises(SyncError, match="not registered"):
        client.sync()

    answer = client.register("li", PASSWORD, "laptop-test")

    state = _state(store)
    assert (state.device_id, state.token, state.user_id) == (
        answer.device_id, answer.token, portfolio.officer.id)
    assert state.server_url == SERVER and state.cursor == 0 and not state.revoked
    assert hq.tokens[state.token] == state.device_id
    # The password just proved online now works offline too.
    assert store.authenticate("li", PASSWORD).id == portfolio.officer.id


def test_a_wrong_password_says_what_the_server_said(client: SyncClient) -> None:
    with pytest.raises(SyncError, match="wrong username or password"):
        client.register("li", "not-it", "laptop-test")
    assert not client.is_registered()


def test_registration_when_the_server_is_unreachable(store: LocalStore, hq: FakeHQ) -> None:
    hq.faults.append(Fault("connect", times=99))
    with (SyncClient(store, SERVER, transport=hq.transport, retries=2, backoff=0) as client,
          pytest.raises(SyncError, match=r"hq\.test refused the connection")):
        client.register("li", PASSWORD, "laptop-test")
    # Never reached: said at once, not after the retries a dropped connection gets.
    assert len(hq.requests) == 1


def test_registration_on_an_empty_laptop_and_a_clashing_local_user(store: LocalStore) -> None:
    hq = FakeHQ()
    hq.add_user(wire.UserRecord(id="u-9", username="wang", display_name="王芳", role="officer",
                                branch_id="b-9", supervisor_id="u-8"), PASSWORD)
    with SyncClient(store, SERVER, transport=hq.transport, backoff=0) as client:
        client.register("wang", PASSWORD, "laptop")
        with store.read() as s:  # branch and supervisor arrive with the first pull
            user = s.get_one(User, "u-9")
            assert (user.branch_id, user.supervisor_id) == (None, None)
        with store.write() as s:
            s.add(User(id="demo-1", username="zhao", display_name="赵", role="officer",
                       password_hash="x"))
        hq.add_user(wire.UserRecord(id="u-7", username="zhao", display_name="赵敏",
                                    role="officer"), PASSWORD)
        with pytest.raises(SyncError, match="another local user is called “zhao”"):
            client.register("zhao", PASSWORD, "laptop")


# -- pull -------------------------------------------------------------------------------------


def test_pull_applies_reference_data_and_advances_the_cursor(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient
) -> None:
    p = portfolio
    hq.page_size = 3  # several pages
    # A loan that arrives in the page before its borrower: fine, the page is applied whole.
    hq.publish("loan", "loan-2", {
        "borrower_id": "br-2", "contract_no": "L-2026-900", "loan_type": "fixed_asset",
        "amount_fen": 12_000_000_00, "disbursed_on": "2026-10-01", "matures_on": "2029-10-01",
        "classification": "special_mention", "purpose": "新建厂房",
    })
    borrower = {"code": "C0900", "name": "南京大王粮油有限公司", "kind": "company",
                "industry": "wholesale_trade", "id_number": "91320100MA1Y000009",
                "officer_id": p.officer.id, "branch_id": None, "next_due_on": "1999-01-01"}
    hq.publish("borrower", "br-2", borrower)
    hq.publish("borrower", "br-2", {**borrower, "phone": "025-1234567"})  # version 2
    hq.publish("collateral_item", "col-2", {
        "borrower_id": "br-2", "kind": "warehouse_stock", "description": "小麦库存",
        "appraised_value_fen": 8_000_000_00, "pledged_value_fen": 5_000_000_00,
    })
    hq.publish("guarantor", "g-2", {"borrower_id": "br-2", "name": "王大", "kind": "person"})
    hq.publish("template", "routine@2", {"code": "routine", "version": 2})
    hq.publish("policy", "default", {"routine_days": {"normal": 90}})
    seen: list[SyncProgress] = []

    result = registered.sync(progress=seen.append)

    assert result.ok, result.messages()
    assert result.pulled == 7
    assert _state(store).cursor == len(hq.changes)
    with store.read() as s:
        got = s.get_one(Borrower, "br-2")
        assert (got.name, got.phone, got.version) == ("南京大王粮油有限公司", "025-1234567", 2)
        # The due date is derived here from the loan, never taken from the server.
        assert got.next_due_on is not None and got.next_due_on.year >= 2026
        assert got.classification == "special_mention"
        loan = s.get_one(Loan, "loan-2")
        assert (loan.amount_fen, loan.disbursed_on.isoformat()) == (1_200_000_000, "2026-10-01")
        assert s.get_one(CollateralItem, "col-2").description == "小麦库存"
        assert s.get_one(Guarantor, "g-2").name == "王大"
        assert s.get_one(ReferenceDoc, ("template", "routine@2")).data["version"] == 2
        assert s.get_one(ReferenceDoc, ("policy", "default")).version == 1
    assert any(x.stage == "pull" for x in seen)
    # Pulled records are the server's, not the officer's edits: nothing to send back.
    assert ("visit", p.visit_id) in outbox_rows(store) or result.visits_sent == 1
    again = registered.sync()
    assert again.pulled == 0 and again.ok


def test_a_page_that_cannot_be_applied_leaves_the_cursor_where_it_was(
    store: LocalStore, hq: FakeHQ, registered: SyncClient
) -> None:
    hq.publish("guarantor", "g-9", {"borrower_id": "nobody", "name": "王大", "kind": "person"})

    result = registered.sync()

    assert _state(store).cursor == 0
    assert [i.reason for i in result.issues] == [Reason.REJECTED]  # once, not per pull
    assert "could not be applied: FOREIGN KEY constraint failed" in result.messages()[1]
    with store.read() as s:
        assert s.get(Guarantor, "g-9") is None


def test_a_deleted_borrower_still_visited_here_stays_but_leaves_the_officer(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient
) -> None:
    hq.publish("borrower", portfolio.borrower_id, deleted=True)
    hq.publish("guarantor", "g-1", {"borrower_id": portfolio.borrower_id, "name": "王大",
                                    "kind": "person"})
    hq.publish("guarantor", "g-1", deleted=True)
    assert registered.sync().ok
    with store.read() as s:
        assert s.get_one(Borrower, portfolio.borrower_id).officer_id is None
        assert s.get(Guarantor, "g-1") is None


def test_a_review_decision_moves_the_submitted_visit(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient
) -> None:
    _sign(store, portfolio)
    assert registered.sync().ok
    hq.publish("review", "rv-1", {
        "visit_id": portfolio.visit_id, "decision": "returned", "comment": "请补充库存照片",
        "reviewer_id": portfolio.supervisor.id,
    })

    assert registered.sync().ok

    with store.read() as s:
        assert s.get_one(Visit, portfolio.visit_id).status is VisitStatus.RETURNED
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "visit.review"))
        assert entry is not None and entry.detail["comment"] == "请补充库存照片"
        assert entry.user_id == portfolio.supervisor.id
    assert outbox_rows(store) == []  # the decision is not an edit to send back


# -- files --------------------------------------------------------------------------------------


def test_photos_go_before_the_visit_that_shows_them(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient,
    tmp_path: Path,
) -> None:
    photo = _photo(store, portfolio, tmp_path)

    result = registered.sync()

    assert (result.photos_sent, result.visits_sent) == (1, 1), result.messages()
    methods = [m for m, _ in hq.requests]
    assert methods.index("PUT") > max(i for i, m in enumerate(methods) if m == "PATCH")
    assert hq.blob_sha(photo.sha256) == photo.sha256
    assert hq.bytes_received == photo.size_bytes
    assert outbox_rows(store) == []


def test_a_resumed_upload_after_a_cut_resends_at_most_one_chunk(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient,
    tmp_path: Path,
) -> None:
    photo = _photo(store, portfolio, tmp_path, side=40)  # about 4.8 KB: five chunks
    assert photo.size_bytes > 4 * CHUNK
    # The connection drops 300 bytes into the third chunk; the server keeps those bytes.
    hq.faults.append(Fault("cut", "PATCH", after=2, at=300))

    result = registered.sync()

    assert result.ok, result.messages()
    assert hq.blob_sha(photo.sha256) == photo.sha256
    assert photo.size_bytes <= hq.bytes_received <= photo.size_bytes + CHUNK
    patches = [m for m, _ in hq.requests if m == "PATCH"]
    assert len(patches) == -(-photo.size_bytes // CHUNK) + 1  # one extra, for the cut chunk


def test_a_photo_cut_midway_is_resumed_by_the_next_sync_with_the_right_hash(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, tmp_path: Path
) -> None:
    photo = _photo(store, portfolio, tmp_path, side=40)
    with SyncClient(store, SERVER, transport=hq.transport, chunk_bytes=CHUNK, retries=0,
                    backoff=0) as client:
        client.register("li", PASSWORD, "laptop-test")
        hq.faults.append(Fault("cut", "PATCH", after=1, at=500))
        first = client.sync()
        # No retries left: the run gives up, the photo and the visit wait for next time.
        assert first.failures == 2 and first.photos_sent == 0
        assert "无法连接服务器" in " ".join(first.messages())
        assert sorted(e for e, _ in outbox_rows(store)) == ["blob", "visit"]
        assert len(hq.blobs[photo.sha256]) == CHUNK + 500
        with store.read() as s:
            row = s.scalar(select(OutboxEntry).where(OutboxEntry.entity == "blob"))
            assert row is not None and row.attempts == 1 and row.last_error

        second = client.sync()

    assert second.ok and second.photos_sent == 1, second.messages()
    assert hq.blob_sha(photo.sha256) == photo.sha256
    assert hq.bytes_received == photo.size_bytes  # the kept bytes were not sent again


def test_a_lost_patch_answer_is_not_sent_twice(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient,
    tmp_path: Path,
) -> None:
    photo = _photo(store, portfolio, tmp_path, side=40)
    hq.faults.append(Fault("lost", "PATCH", after=1))  # stored, but the 204 never arrives
    assert registered.sync().ok
    assert hq.bytes_received == photo.size_bytes


def test_a_photo_over_the_size_limit_reports_the_servers_message(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient,
    tmp_path: Path,
) -> None:
    photo = _photo(store, portfolio, tmp_path)
    hq.max_blob_bytes = 1000

    result = registered.sync()

    assert [i.reason for i in result.issues] == [Reason.TOO_LARGE, Reason.WAITING]
    text = "\n".join(result.messages())
    # The server's message, each language after its own half of the sentence.
    assert (f"“{photo.original_name}”未能发送：照片过大（最大1000字节） / photo "
            f"“{photo.original_name}” could not be sent: the photo is too large (1000 bytes "
            "at most)") in text
    assert photo.original_name in text
    assert "1 visit will be sent after its photos or reports" in text
    assert portfolio.visit_id not in hq.visits  # never sent without its photo
    assert sorted(e for e, _ in outbox_rows(store)) == ["blob", "visit"]


def test_missing_blobs_are_sent_and_the_push_retried_once(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient,
    tmp_path: Path,
) -> None:
    photo = _photo(store, portfolio, tmp_path)
    with store.write() as s:  # as if the file had been confirmed once and the server lost it
        outbox.remove(s, outbox.BLOB, photo.sha256)

    result = registered.sync()

    assert result.ok and result.photos_sent == 1 and result.visits_sent == 1
    sent = [m for m, _ in hq.requests if m in ("PUT", "PATCH")]
    assert sent[0] == "PUT" and sent[-1] == "PUT" and set(sent[1:-1]) == {"PATCH"}
    assert hq.writes[portfolio.visit_id] == 1


# -- visits -------------------------------------------------------------------------------------


def test_the_same_visit_pushed_twice_is_one_copy(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient
) -> None:
    first = registered.sync()
    assert first.visits_sent == 1 and outbox_rows(store) == []
    assert hq.visits[portfolio.visit_id].record == local_document(store, portfolio.visit_id)
    with store.write() as s:  # queued again without any change (e.g. a restored backup)
        outbox.enqueue(s, outbox.VISIT, [portfolio.visit_id])
        s.execute(VisitSync.__table__.delete())

    second = registered.sync()

    assert second.ok and second.visits_sent == 1
    assert hq.writes[portfolio.visit_id] == 1
    assert hq.visits[portfolio.visit_id].version == 1


def test_a_rerun_sends_nothing_when_nothing_changed(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient
) -> None:
    registered.sync()
    before = len(hq.requests)
    result = registered.sync()
    assert result.ok and result.visits_sent == 0
    assert [m for m, _ in hq.requests[before:]] == ["GET", "GET"]  # the two pulls only


def test_an_edit_after_sync_is_pushed_on_the_acknowledged_version(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient
) -> None:
    registered.sync()
    with store.write() as s:
        s.get_one(Visit, portfolio.visit_id).general_note = "经营正常"
    result = registered.sync()
    assert result.visits_sent == 1
    assert hq.visits[portfolio.visit_id].version == 2
    assert hq.visits[portfolio.visit_id].record["general_note"] == "经营正常"
    with store.read() as s:
        assert s.get_one(VisitSync, portfolio.visit_id).acked_version == 2


def test_a_conflict_keeps_both_copies_and_tells_the_officer(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient
) -> None:
    registered.sync()
    hq.edit_visit(portfolio.visit_id, place="总行修改")  # the server's copy moves ahead
    with store.write() as s:
        s.get_one(Visit, portfolio.visit_id).place = "二号仓库"

    result = registered.sync()

    assert result.conflicts == 1 and result.failures == 0 and not result.ok
    assert hq.visits[portfolio.visit_id].record["place"] == "总行修改"  # never overwritten
    with store.read() as s:
        assert s.get_one(Visit, portfolio.visit_id).place == "二号仓库"  # kept
        row = s.scalar(select(OutboxEntry).where(OutboxEntry.entity == "visit"))
        assert row is not None
        assert row.conflict == "总行的版本已更新 / the copy at headquarters has changed"
    text = "\n".join(result.messages())
    assert "江苏恒达精密机械有限公司 2026-11-20" in text
    assert "conflicts with the copy at headquarters; neither was overwritten" in text
    with store.read() as s:
        assert outbox.conflicts(s) == {portfolio.visit_id: row.conflict}


def test_a_signed_visit_becomes_submitted_only_once_the_server_confirms(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient
) -> None:
    sha = _sign(store, portfolio)
    hq.faults.append(Fault("503", "PUT", times=99))

    failed = registered.sync()

    assert failed.failures == 1 and failed.reports_sent == 1
    assert "the server reported an error" in "\n".join(failed.messages())
    with store.read() as s:
        assert s.get_one(Visit, portfolio.visit_id).status is VisitStatus.SIGNED
    hq.faults.clear()

    result = registered.sync()

    assert result.ok and result.visits_sent == 1
    assert hq.visits[portfolio.visit_id].record["status"] == "signed"
    assert hq.visits[portfolio.visit_id].record["reports"][0]["sha256"] == sha
    assert hq.blob_sha(sha) == sha
    with store.read() as s:
        assert s.get_one(Visit, portfolio.visit_id).status is VisitStatus.SUBMITTED
        step = s.scalar(select(AuditEntry).where(AuditEntry.action == "visit.transition")
                        .order_by(AuditEntry.seq.desc()))
        assert step is not None and step.detail["target"] == "submitted"
    assert outbox_rows(store) == []  # "submitted" is the server's news, not an edit to send


def test_transport_errors_are_retried_then_succeed(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient,
    tmp_path: Path,
) -> None:
    _photo(store, portfolio, tmp_path)
    hq.faults += [Fault("connect", "GET", times=2), Fault("503", "HEAD"),
                  Fault("connect", "PUT", times=3)]

    result = registered.sync()

    assert result.ok, result.messages()
    assert (result.photos_sent, result.visits_sent) == (1, 1)
    assert [m for m, _ in hq.requests].count("PUT") == 4


def test_outbox_rows_go_only_after_confirmation(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient
) -> None:
    # The server stores the visit, but every answer is lost on the way back.
    hq.faults.append(Fault("lost", "PUT", times=4))

    first = registered.sync()

    assert hq.writes[portfolio.visit_id] == 1
    assert first.visits_sent == 0 and first.failures == 1
    assert outbox_rows(store) == [("visit", portfolio.visit_id)]
    assert "1 visit could not be sent: the server is unreachable; it will be sent next time" \
        in "\n".join(first.messages())

    second = registered.sync()

    assert second.ok and second.visits_sent == 1
    assert hq.writes[portfolio.visit_id] == 1  # "unchanged": no second copy
    assert outbox_rows(store) == []


def test_a_crash_after_the_server_stored_but_before_the_client_recorded_it(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def crash(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("laptop lid closed")

    monkeypatch.setattr(SyncClient, "_acknowledge", crash)
    with pytest.raises(RuntimeError, match="lid"):
        registered.sync()
    monkeypatch.undo()
    assert outbox_rows(store) == [("visit", portfolio.visit_id)]

    result = registered.sync()

    assert result.ok
    assert hq.writes[portfolio.visit_id] == 1
    assert outbox_rows(store) == []


def test_a_lost_answer_then_an_edit_is_not_mistaken_for_a_conflict(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient
) -> None:
    registered.sync()  # version 1 at headquarters, acknowledged here
    with store.write() as s:
        s.get_one(Visit, portfolio.visit_id).place = "一号仓库"
    hq.faults.append(Fault("lost", "PUT", times=4))
    registered.sync()  # stored as version 2, but this laptop never heard so
    assert hq.visits[portfolio.visit_id].version == 2
    with store.write() as s:
        s.get_one(Visit, portfolio.visit_id).place = "二号仓库"

    result = registered.sync()

    # The unanswered document goes again first ("unchanged", version 2), then the edit on it.
    assert result.ok and result.conflicts == 0, result.messages()
    assert hq.visits[portfolio.visit_id].version == 3
    assert hq.visits[portfolio.visit_id].record["place"] == "二号仓库"
    with store.read() as s:
        acked = s.get_one(VisitSync, portfolio.visit_id)
        assert (acked.acked_version, acked.unanswered) == (3, None)


def test_an_edit_made_while_the_push_travels_stays_queued(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient
) -> None:
    def edit_during_put(request: httpx.Request) -> None:  # the officer types meanwhile
        if request.method == "PUT":
            with store.write() as s:
                s.get_one(Visit, portfolio.visit_id).measures = "加强监控"

    hq.on_request = edit_during_put
    first = registered.sync()
    assert first.visits_sent == 1 and "measures" in hq.visits[portfolio.visit_id].record
    assert hq.visits[portfolio.visit_id].record["measures"] == ""
    assert outbox_rows(store) == [("visit", portfolio.visit_id)]
    hq.on_request = None
    registered.sync()
    assert hq.visits[portfolio.visit_id].record["measures"] == "加强监控"
    assert outbox_rows(store) == []


# -- stopping ---------------------------------------------------------------------------------


@pytest.mark.parametrize("via_pull", [False, True])
def test_a_revoked_device_stops_and_remembers_it(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient, via_pull: bool
) -> None:
    hq.revoke_via_pull = via_pull
    hq.revoke(_state(store).device_id)

    result = registered.sync()

    assert result.revoked and not result.ok
    assert "revoked by headquarters" in result.messages()[0]
    assert _state(store).revoked
    assert portfolio.visit_id not in hq.visits
    before = len(hq.requests)
    assert registered.sync().revoked
    assert len(hq.requests) == before  # a revoked laptop does not even try


def test_an_unreachable_server_leaves_everything_queued_and_says_so(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient,
    tmp_path: Path,
) -> None:
    for seed in (1, 2, 3):
        _photo(store, portfolio, tmp_path, seed)
    hq.faults.append(Fault("connect", times=999))

    result = registered.sync()

    assert result.failures == 5  # the updates, three photos, one visit
    assert result.messages()[1:] == [
        "无法连接总行服务器：hq.test 拒绝连接：服务器未在运行，或端口不对 / cannot reach the "
        "headquarters server: hq.test refused the connection: the server is not running "
        "there, or the port is wrong",
        "3张照片未能发送：无法连接服务器，下次同步时将继续发送 / 3 photos could not be sent: "
        "the server is unreachable; they will be sent next time",
        "1次检查未能发送：无法连接服务器，下次同步时将继续发送 / 1 visit could not be sent: "
        "the server is unreachable; it will be sent next time",
        "未能获取总行的更新：无法连接服务器，下次同步时将继续 / updates from headquarters could "
        "not be received: the server is unreachable; they will be fetched next time",
    ]
    assert len(outbox_rows(store)) == 4
    # After registering: one pull, tried four times (retries=3), and nothing else.
    assert hq.requests[1:] == [("GET", "/api/v1/pull")] * 4


def test_cancel_stops_between_steps_and_keeps_the_rest_queued(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient,
    tmp_path: Path,
) -> None:
    _photo(store, portfolio, tmp_path, side=40)
    patches = iter(range(1000))

    def cancelled() -> bool:
        return sum(1 for m, _ in hq.requests if m == "PATCH") >= 2 and next(patches) >= 0

    result = registered.sync(cancelled=cancelled)

    assert result.cancelled and not result.ok
    assert "sync was cancelled" in result.messages()[-1]
    assert sorted(e for e, _ in outbox_rows(store)) == ["blob", "visit"]
    assert registered.sync().ok  # and the next run finishes the job
    assert outbox_rows(store) == []


def test_an_unknown_token_asks_to_register_again(
    store: LocalStore, hq: FakeHQ, registered: SyncClient
) -> None:
    hq.tokens.clear()  # e.g. the server was rebuilt
    result = registered.sync()
    assert [i.reason for i in result.issues] == [Reason.UNAUTHORIZED]
    assert "register it again" in result.messages()[1]


def test_users_pulled_from_headquarters_cannot_log_in_until_they_register(
    store: LocalStore, hq: FakeHQ, registered: SyncClient
) -> None:
    hq.publish("user", "u-new", {"username": "zhao", "display_name": "赵敏", "role": "officer"})
    assert registered.sync().ok
    with store.read() as s:
        assert s.get_one(User, "u-new").display_name == "赵敏"
    from inspector_app.common.passwords import LoginError

    with pytest.raises(LoginError):
        store.authenticate("zhao", "anything")


def test_notes_and_signal_history_travel_with_the_visit(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient
) -> None:
    from datetime import date

    from inspector_app.domain.enums import Severity, SignalCategory, SignalSource, SignalStatus
    from inspector_app.store.models import Note, RiskSignal

    p = portfolio
    with store.write() as s:
        s.add(Note(visit_id=p.visit_id, item_code=None, text="仓库门口停放大量待发货物"))
    signal = store.raise_signal(
        RiskSignal(borrower_id=p.borrower_id, visit_id=p.visit_id,
                   category=SignalCategory.COLLATERAL, severity=Severity.RED,
                   source=SignalSource.OFFICER, title="质押存货不足", raised_on=date(2026, 11, 22)),
        p.officer, "现场盘点短少",
    )
    registered.sync()
    sent = hq.visits[p.visit_id].record
    assert [n["text"] for n in sent["notes"]] == ["仓库门口停放大量待发货物"]

    store.advance_signal(signal.id, p.officer, SignalStatus.HANDLED, "已通知补足")
    assert registered.sync().visits_sent == 1  # a new step re-queues the visit
    steps = hq.visits[p.visit_id].record["signals"][0]["steps"]
    assert [(st["step"], st["reason"]) for st in steps] == [
        ("raised", "现场盘点短少"), ("handled", "已通知补足"),
    ]


def test_a_policy_published_at_headquarters_takes_over_after_a_sync(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient
) -> None:
    from inspector_app.domain.enums import Classification
    from inspector_app.domain.policy import load_policy

    shipped = load_policy()
    assert store.policy == shipped
    data = shipped.to_dict()
    data["version"] = shipped.version + 1
    data["routine_interval_days"]["normal"] = 45  # the bank tightens normal loans to 45 days
    hq.publish("policy", "policy", data)

    registered.sync()

    assert store.policy.version == shipped.version + 1
    assert store.policy.routine_interval_days[Classification.NORMAL] == 45
    # Every borrower's schedule was recomputed under the new policy in the same pull.
    with store.write() as s:
        from inspector_app.store.schedule_cache import refresh_schedule

        assert refresh_schedule(s, store.policy) == 0  # nothing left to change


def test_an_invalid_published_policy_is_not_applied(
    store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient
) -> None:
    from inspector_app.domain.policy import load_policy

    hq.publish("policy", "policy", {"version": 99, "routine_interval_days": {"normal": -1}})
    assert registered.sync().ok
    assert store.policy == load_policy()  # the rules in force stay; the document is on record
    with store.read() as s:
        assert s.get_one(ReferenceDoc, ("policy", "policy")).version == 1
