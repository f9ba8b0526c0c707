"""A pull sends only the kinds of record the client declares it understands (the
Inspector-Entities header, wire/pull.py): a laptop from before "handover" and "borrower_link"
existed sends no header, gets neither, and its pull still goes to the end of the log with
everything else; a current one gets both.

World (hq_helpers.build_world): C001 (off_a, sup1), C002 (off_c, sup1), C003 (off_b, sup2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pytest
from hq_helpers import World, register, write_csv
from pydantic import BaseModel
from sqlalchemy import func, select

from inspector_app.hq.cli import main
from inspector_app.hq.context import Hq
from inspector_app.hq.handover import start_handover
from inspector_app.hq.models import ChangeLogEntry
from inspector_app.wire import (
    API,
    ENTITIES_HEADER,
    ORIGINAL_ENTITIES,
    HandoverStart,
    entities_header,
)

NEW_KINDS = {"handover", "borrower_link"}


class OldChange(BaseModel):
    """Change as a laptop of the version before the header had it: a closed list of kinds."""

    entity: Literal["branch", "user", "borrower", "loan", "collateral_item", "guarantor",
                    "template", "policy", "review", "signal_follow_up"]
    id: str
    version: int
    deleted: bool = False
    data: dict[str, Any] = {}


class OldPullResponse(BaseModel):
    cursor: int
    changes: list[OldChange]
    revoked: bool = False
    more: bool = False


def _pull(client: Any, auth: dict[str, str], declared: str | None, limit: int
          ) -> tuple[int, list[dict[str, Any]], int]:
    """Pull to the end, `limit` a page; (final cursor, every change, pages)."""
    headers = dict(auth) if declared is None else {**auth, ENTITIES_HEADER: declared}
    cursor, changes, pages = 0, [], 0
    while True:
        r = client.get(f"{API}/pull", params={"cursor": cursor, "limit": limit},
                       headers=headers)
        assert r.status_code == 200, r.text
        if declared is None:
            OldPullResponse.model_validate_json(r.content)  # what the old laptop must read
        body = r.json()
        changes += body["changes"]
        cursor, pages = body["cursor"], pages + 1
        if not body["more"]:
            return cursor, changes, pages


@pytest.fixture
def new_kinds(hq: Hq, db_url: str, world: World, tmp_path: Path,
              capsys: pytest.CaptureFixture[str]) -> int:
    """A link of off_a's C001 and a pending handover of it to off_c: rows of both new kinds
    for off_a; the change log's top."""
    path = write_csv(tmp_path / "links.csv", [
        {"borrower_code": "C001", "party_code": "C002", "kind": "互保", "note": ""}])
    assert main(["admin", "--db", db_url, "import", "--links", str(path)]) == 0
    capsys.readouterr()
    start_handover(hq.db, HandoverStart(from_officer="off_a", to_officer="off_c",
                                        borrower_codes=["C001"]), "cli:test")
    with hq.db.read() as s:
        return s.scalar(select(func.max(ChangeLogEntry.seq))) or 0


@pytest.mark.parametrize("limit", [3, 500])
def test_an_old_laptop_gets_no_new_kind_and_still_reaches_the_end(
        client: Any, new_kinds: int, limit: int) -> None:
    auth = register(client, "off_a")
    old_cursor, old, pages = _pull(client, auth, None, limit)
    new_cursor, new, _ = _pull(client, auth, entities_header(), limit)
    assert {c["entity"] for c in new} >= NEW_KINDS  # there were some to leave out
    assert {c["entity"] for c in old} <= ORIGINAL_ENTITIES
    # Nothing else left out, and the cursor at the end of the log, past the new kinds' rows.
    assert old == [c for c in new if c["entity"] not in NEW_KINDS]
    assert old_cursor == new_cursor == new_kinds
    assert pages > 1 or limit == 500


def test_a_client_gets_the_kinds_it_declares(client: Any, new_kinds: int) -> None:
    auth = register(client, "off_a")
    _cursor, changes, _ = _pull(client, auth, "User, borrower_link ,weather_report", 500)
    assert {c["entity"] for c in changes} == {"user", "borrower_link"}
    _cursor, changes, _ = _pull(client, auth, "", 500)  # declares nothing it understands
    assert changes == []
