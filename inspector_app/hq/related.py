"""Related parties at headquarters: what a pulled link carries, and new versions of the links
when the party's open signals change.

A link is stored once per direction (models.BorrowerLink), so each direction is pulled by
whoever sees its borrower, as loans are. What an officer needs from it is whether the
*party* is in trouble — the officer visiting B should know A has a red signal, though A may be
another officer's borrower whose visits never reach this laptop. So a pulled link carries the
party's open red and orange signals as headquarters' signal index counts them, and every
push or follow-up that may change them writes a new version of the links pointing at that
borrower, for the devices to pull.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Select, bindparam, func, select, update
from sqlalchemy.orm import Session, aliased

from inspector_app.hq.changes import append_change_core, record_change
from inspector_app.hq.models import Borrower, BorrowerLink, SignalEntry

ENTITY = "borrower_link"
_OPEN_RED_OR_ORANGE = ("red", "orange")

_party = aliased(Borrower)


def _open_signals(severity: str) -> Any:
    return (select(func.count()).select_from(SignalEntry)
            .where(SignalEntry.borrower_id == BorrowerLink.party_id,
                   SignalEntry.severity == severity, SignalEntry.status != "cleared")
            .scalar_subquery())


# What a pull reads of a link: its row, the party borrower's code and name, and the party's
# open red and orange signals (counted when pulled, so always as of this pull).
PULLED: Select[Any] = (
    select(BorrowerLink.__table__, _party.code.label("party_code"),
           _party.name.label("party_borrower_name"),
           _open_signals("red").label("party_red_signals"),
           _open_signals("orange").label("party_orange_signals"))
    .outerjoin(_party, _party.id == BorrowerLink.party_id)
)


def link_data(row: Any) -> dict[str, Any]:
    """A pulled link as the laptop's related_parties row takes it."""
    return {"id": row.id, "borrower_id": row.borrower_id, "kind": row.kind,
            "party_id": row.party_id, "party_code": row.party_code or "",
            "party_name": row.party_borrower_name or row.party_name, "note": row.note,
            "party_red_signals": row.party_red_signals or 0,
            "party_orange_signals": row.party_orange_signals or 0,
            "named_by": row.named_by}


_BUMP = (update(BorrowerLink).where(BorrowerLink.party_id == bindparam("party"))
         .values(version=BorrowerLink.version + 1)
         .returning(BorrowerLink.id, BorrowerLink.version, BorrowerLink.borrower_id))


def links_to(conn: Connection, party_id: str) -> list[tuple[str, int, str]]:
    """New versions of the links pointing at party_id (its signals may have changed):
    (id, version, borrower_id) each, for announce_core. Most borrowers have none: one
    indexed UPDATE that touches nothing."""
    return [(r.id, r.version, r.borrower_id)
            for r in conn.execute(_BUMP.execution_options(synchronize_session=False),
                                  {"party": party_id})]


def announce_core(conn: Connection, bumped: list[tuple[str, int, str]]) -> None:
    """The change-log rows of links_to's new versions (last in the transaction: see
    changes.append_change_core)."""
    for link_id, version, borrower_id in bumped:
        append_change_core(conn, ENTITY, link_id, version, borrower_id=borrower_id)


def touch_links_to(session: Session, party_id: str) -> int:
    """links_to and their change-log rows in an ORM transaction (a supervisor's follow-up)."""
    bumped = links_to(session.connection(), party_id)
    for link_id, version, borrower_id in bumped:
        record_change(session, ENTITY, link_id, version, borrower_id=borrower_id)
    return len(bumped)


def links_between(session: Session, a: str, b: str, kind: str) -> list[BorrowerLink]:
    """The stored directions of a link between borrowers a and b of this kind."""
    return list(session.scalars(select(BorrowerLink).where(
        BorrowerLink.kind == kind,
        ((BorrowerLink.borrower_id == a) & (BorrowerLink.party_id == b))
        | ((BorrowerLink.borrower_id == b) & (BorrowerLink.party_id == a)))))


__all__ = ["ENTITY", "PULLED", "announce_core", "link_data", "links_between", "links_to",
           "touch_links_to"]
