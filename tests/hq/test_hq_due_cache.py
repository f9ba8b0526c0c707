"""Headquarters' copy of each borrower's classification and next inspection (borrower_due,
HQ migration 0013), which the whole-bank dashboard counts: the writes that may change them
mark the borrower, and the marked ones are worked out again with the laptops' rules (the same
dates as `inspector-hq export due-list`); a loan import that changes a borrower's
classification records the move, on the day of the import, for the migration matrix."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

from hq_helpers import ACTOR, World, loans_rows, register, visit_push, write_csv
from sqlalchemy import select

from inspector_app.hq.context import Hq
from inspector_app.hq.csv_import import import_files
from inspector_app.hq.due_cache import refresh_stale
from inspector_app.hq.listings import due_listings
from inspector_app.hq.models import Borrower, BorrowerDue, ClassificationMove, DueStale, Visit
from inspector_app.wire import API


def _due(hq: Hq) -> dict[str, tuple[str, date | None]]:
    with hq.db.read() as s:
        return {code: (c, on) for code, c, on in s.execute(
            select(Borrower.code, BorrowerDue.classification, BorrowerDue.next_due_on)
            .join(BorrowerDue, BorrowerDue.borrower_id == Borrower.id))}


def _marked(hq: Hq) -> set[str]:
    with hq.db.read() as s:
        return set(s.scalars(select(Borrower.code).join(
            DueStale, DueStale.borrower_id == Borrower.id)))


def test_imported_borrowers_are_worked_out_as_the_due_list_says(hq: Hq, world: World) -> None:
    assert _marked(hq) == {"C001", "C002", "C003", "C004"}  # the world's import marked them
    assert refresh_stale(hq.db) == 4
    assert _marked(hq) == set() and refresh_stale(hq.db) == 0
    listed = {d.borrower_code: (d.classification.value, d.next_due) for d in due_listings(hq.db)}
    assert _due(hq) == listed
    # Loans disbursed 2026-03-01, working capital: a first inspection within 15 days.
    assert _due(hq)["C001"] == ("normal", date(2026, 3, 16))


def test_a_loan_import_that_changes_a_classification_records_the_move(
        hq: Hq, world: World, tmp_path: Path) -> None:
    refresh_stale(hq.db)
    rows = loans_rows()
    rows[0]["classification"] = "substandard"  # C001's loan
    import_files(hq.db, {"loans": write_csv(tmp_path / "loans.csv", rows)}, ACTOR)
    with hq.db.read() as s:
        moves = [(code, m.from_classification, m.to_classification, m.moved_on) for code, m in
                 s.execute(select(Borrower.code, ClassificationMove)
                           .join(Borrower, Borrower.id == ClassificationMove.borrower_id))]
    assert moves == [("C001", "normal", "substandard", date.today())]
    assert "C001" in _marked(hq)
    refresh_stale(hq.db)
    assert _due(hq)["C001"][0] == "substandard"
    # The same file again changes nothing, so no second move.
    import_files(hq.db, {"loans": write_csv(tmp_path / "loans.csv", rows)}, ACTOR)
    with hq.db.read() as s:
        assert len(s.scalars(select(ClassificationMove)).all()) == 1


def _put(client: Any, headers: dict[str, str], body: dict[str, Any]) -> None:
    r = client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=headers)
    assert r.status_code == 200, r.text


def test_a_push_marks_its_borrower_and_a_signed_one_its_submission(
        client: Any, hq: Hq, world: World, sign: Any) -> None:
    refresh_stale(hq.db)
    a = register(client, "off_a")
    draft = visit_push(world.users["off_a"], world.borrowers["C001"], status="draft")
    _put(client, a, draft)
    assert _marked(hq) == {"C001"}
    signed = sign(visit_push(world.users["off_a"], world.borrowers["C001"], status="signed"), a)
    _put(client, a, signed)
    refresh_stale(hq.db)
    with hq.db.read() as s:
        submitted = dict(s.execute(select(Visit.id, Visit.submitted_at)).all())
    assert submitted[draft["visit"]["id"]] is None
    first = submitted[signed["visit"]["id"]]
    assert first is not None
    # The laptop's "submitted" after the confirmation keeps the first moment.
    again = copy.deepcopy(signed)
    again["base_version"], again["visit"]["status"] = 1, "submitted"
    _put(client, a, again)
    with hq.db.read() as s:
        assert s.get(Visit, signed["visit"]["id"]).submitted_at == first  # type: ignore[union-attr]
    # The signed visit of 2026-11-20 is the last one now: the date moved, as the due list's.
    listed = {d.borrower_code: d.next_due for d in due_listings(hq.db)}
    assert _due(hq)["C001"][1] == listed["C001"] != date(2026, 3, 16)
