"""Whatever the order of edits, syncs and broken connections, one clean sync at the end leaves
the laptop and headquarters holding the same visits and files, each stored once."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from fake_server import FakeHQ, Fault
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sync_helpers import (
    SERVER,
    build_portfolio,
    local_document,
    local_photo_shas,
    make_hq,
    make_photo,
    outbox_rows,
)

from inspector_app.domain.enums import AnswerType, VisitKind
from inspector_app.paths import database_path
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Photo, SyncState, Visit, VisitSync
from inspector_app.store.visit_checks import visit_checklist
from inspector_app.sync.client import SyncClient

CHUNK = 256

faults = st.lists(
    st.tuples(
        st.sampled_from(["connect", "lost", "cut", "503"]),
        st.sampled_from(["GET", "HEAD", "PATCH", "PUT"]),
        st.integers(0, 3),  # how many such requests of the run go through first
        st.integers(0, 300),  # for a cut: how many bytes of the chunk arrive
    ),
    max_size=3,
)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.integers(0, 7), st.sampled_from(["yes", "no", "na"])),
        st.tuples(st.just("photo"), st.integers(0, 5)),
        st.tuples(st.just("place"), st.sampled_from(["厂区", "一号仓库", "办公楼", ""])),
        st.tuples(st.just("visit")),
        st.tuples(st.just("sync"), faults, st.sampled_from([0, 1])),
    ),
    min_size=1,
    max_size=10,
)


def _register_quickly(store: LocalStore, hq: FakeHQ, user_id: str) -> None:
    """What register() leaves behind, without the password hashing (speed)."""
    hq.tokens["token-1"] = "device-1"
    with store.write() as s:
        s.add(SyncState(id=1, server_url=SERVER, device_id="device-1", token="token-1",
                        user_id=user_id, cursor=0, revoked=False))


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=operations, choice=st.randoms(use_true_random=False))
def test_interleaved_edits_syncs_and_failures_converge(
    _migrated_db: Path, ops: list[tuple], choice
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        shutil.copyfile(_migrated_db, database_path(data))
        store = LocalStore.open(data)
        try:
            _run(store, Path(tmp), ops, choice)
        finally:
            store.close()


def _run(store: LocalStore, tmp: Path, ops: list[tuple], choice) -> None:
    p = build_portfolio(store)
    hq = make_hq(p)
    _register_quickly(store, hq, p.officer.id)
    visits = [p.visit_id]
    with store.read() as s:
        codes = [i.code for i in visit_checklist(s.get_one(Visit, p.visit_id)).items()
                 if i.type is AnswerType.YES_NO]
    for op in ops:
        visit_id = choice.choice(visits)
        if op[0] == "answer":
            store.set_answer(visit_id, p.officer, codes[op[1] % len(codes)], op[2])
        elif op[0] == "photo":
            store.add_photo(visit_id, p.officer, make_photo(tmp, op[1], side=12))
        elif op[0] == "place":
            with store.write() as s:
                s.get_one(Visit, visit_id).place = op[1]
        elif op[0] == "visit":
            visits.append(store.start_visit(p.borrower_id, p.officer, VisitKind.SPECIAL,
                                            visit_date=date(2026, 11, 21)).id)
        else:
            _, planned, retries = op
            hq.faults = [Fault(kind, method, after=after, at=at)
                         for kind, method, after, at in planned]
            with SyncClient(store, SERVER, transport=hq.transport, chunk_bytes=CHUNK,
                            retries=retries, backoff=0) as client:
                report = client.sync()
            # Nobody else edits the server's copies, so a conflict would be the client's bug.
            assert report.conflicts == 0, report.messages()

    hq.faults = []
    with SyncClient(store, SERVER, transport=hq.transport, chunk_bytes=CHUNK, retries=0,
                    backoff=0) as client:
        final = client.sync()

    assert final.ok, final.messages()
    assert outbox_rows(store) == []
    for visit_id in visits:
        assert hq.visits[visit_id].record == local_document(store, visit_id)
        with store.read() as s:
            assert s.get_one(VisitSync, visit_id).acked_version == hq.visits[visit_id].version
    shas = local_photo_shas(store)
    assert shas <= hq.complete
    for sha in shas:
        assert hq.blob_sha(sha) == sha
    # Resumed uploads never send a byte the server already holds.
    with store.read() as s:
        sizes = {sha: size for sha, size in s.execute(select(Photo.sha256, Photo.size_bytes))}
    assert hq.bytes_received == sum(sizes.values())
