"""Local rows <-> wire records: the visit document pushed to headquarters, and pulled
reference records turned into column values for the local tables."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Boolean, Column, Date, Integer, Table, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.type_api import TypeEngine

from inspector_app import wire
from inspector_app.common.sqltypes import UTCDateTime
from inspector_app.store.models import (
    Borrower,
    Branch,
    ChecklistAnswer,
    CollateralItem,
    CollateralObservation,
    Guarantor,
    Loan,
    Note,
    Photo,
    RelatedParty,
    Report,
    RiskSignal,
    User,
    Visit,
)

# -- the visit document -------------------------------------------------------------------------


def _found_item(item: CollateralItem | None) -> wire.FoundCollateralRecord | None:
    if item is None or not item.found_on_site:
        return None
    return wire.FoundCollateralRecord(
        kind=item.kind.value, description=item.description, location=item.location,
        appraised_value_fen=item.appraised_value_fen,
    )


def visit_record(session: Session, visit_id: str) -> wire.VisitRecord | None:
    """The whole visit with its children as the wire sends it; None if it no longer exists.

    Children are sorted by a stable key so the same content always gives the same document
    (and the same payload hash, which is how an unchanged visit is recognised).
    """
    visit = session.get(Visit, visit_id)
    if visit is None:
        return None
    answers = session.scalars(
        select(ChecklistAnswer).where(ChecklistAnswer.visit_id == visit_id)
        .order_by(ChecklistAnswer.item_code)
    )
    photos = session.scalars(select(Photo).where(Photo.visit_id == visit_id).order_by(Photo.id))
    notes = session.scalars(select(Note).where(Note.visit_id == visit_id).order_by(Note.id))
    observations = session.scalars(
        select(CollateralObservation).where(CollateralObservation.visit_id == visit_id)
        .order_by(CollateralObservation.collateral_item_id)
    )
    signals = session.scalars(
        select(RiskSignal).where(RiskSignal.visit_id == visit_id).order_by(RiskSignal.id)
    )
    reports = session.scalars(
        select(Report).where(Report.visit_id == visit_id).order_by(Report.signed_at, Report.id)
    )
    return wire.VisitRecord(
        id=visit.id, borrower_id=visit.borrower_id, officer_id=visit.officer_id,
        kind=visit.kind.value, status=visit.status.value,
        template_refs=list(visit.template_refs), revision=visit.revision,
        previous_revision_id=visit.previous_revision_id, visit_date=visit.visit_date,
        place=visit.place, people_met=visit.people_met, started_at=visit.started_at,
        ended_at=visit.ended_at, general_note=visit.general_note,
        recommended_classification=_code(visit.recommended_classification),
        final_classification=_code(visit.final_classification),
        override_reason=visit.override_reason, measures=visit.measures,
        next_due_on=visit.next_due_on,
        answers=[
            wire.AnswerRecord(id=a.id, item_code=a.item_code, value=a.value, note=a.note)
            for a in answers
        ],
        notes=[wire.NoteRecord(id=n.id, item_code=n.item_code, text=n.text) for n in notes],
        photos=[
            wire.PhotoRecord(
                id=p.id, sha256=p.sha256, original_name=p.original_name, caption=p.caption,
                taken_at=p.taken_at, gps_lat=p.gps_lat, gps_lon=p.gps_lon, width=p.width,
                height=p.height, size_bytes=p.size_bytes, item_code=p.item_code,
                collateral_item_id=p.collateral_item_id, annotations=list(p.annotations or []),
            )
            for p in photos
        ],
        observations=[
            wire.ObservationRecord(
                id=o.id, collateral_item_id=o.collateral_item_id, status=o.status.value,
                condition=o.condition, location_checked=o.location_checked,
                estimated_value_fen=o.estimated_value_fen, insurance_valid=o.insurance_valid,
                certificate_held=o.certificate_held, note=o.note,
                registered_quantity_milli=o.registered_quantity_milli,
                found_quantity_milli=o.found_quantity_milli, quantity_unit=o.quantity_unit,
                found_item=_found_item(session.get(CollateralItem, o.collateral_item_id)),
            )
            for o in observations
        ],
        signals=[
            wire.SignalRecord(
                id=s.id, category=s.category.value, severity=s.severity.value,
                source=s.source.value, source_ref=s.source_ref, title=s.title,
                description=s.description, status=s.status.value, raised_on=s.raised_on,
                event=s.event,
                steps=[
                    wire.SignalStepRecord(id=st.id, step=st.step.value, user_id=st.user_id,
                                          at=st.at, reason=st.reason)
                    for st in sorted(s.steps, key=lambda st: (st.at, st.id))
                ],
            )
            for s in signals
        ],
        reports=[
            wire.ReportRecord(
                id=r.id, stage=r.stage, sha256=r.sha256, size_bytes=r.size_bytes, lang=r.lang,
                signer_name=r.signer_name, signed_at=r.signed_at,
                supersedes_sha256=r.supersedes_sha256,
            )
            for r in reports
        ],
    )


def visit_label(session: Session, visit_id: str) -> str:
    """How the officer knows a visit: the borrower's name and the visit date."""
    row = session.execute(
        select(Borrower.name, Visit.visit_date)
        .join(Borrower, Visit.borrower_id == Borrower.id).where(Visit.id == visit_id)
    ).first()
    return visit_id if row is None else f"{row.name} {row.visit_date.isoformat()}"


payload_sha256 = wire.payload_sha256  # kept here too: the client's callers import it from mapping


def blob_refs(record: wire.VisitRecord) -> list[str]:
    """The files (photos, signed reports) the server needs before it accepts the visit."""
    return sorted({p.sha256 for p in record.photos} | {r.sha256 for r in record.reports})


def _code(value: Any) -> str | None:
    return None if value is None else str(value)


# -- pulled reference records ---------------------------------------------------------------------

# The server's entity names for the records that have a table of their own on the laptop.
REFERENCE_TABLES: dict[str, Table] = {
    "branch": Branch.__table__,
    "user": User.__table__,
    "borrower": Borrower.__table__,
    "loan": Loan.__table__,
    "collateral_item": CollateralItem.__table__,
    "guarantor": Guarantor.__table__,
    "borrower_link": RelatedParty.__table__,
}

# Columns the server never sets: the id and version come from the Change itself; a password
# hash never leaves the laptop it was made on; the due-list columns are derived here from the
# loans, visits and signals (schedule_cache), whatever the server thinks they are; the
# search key is made here from the name (store.search_key).
_EVERY_TABLE = frozenset({"id", "version"})
_LOCAL_ONLY: dict[str, frozenset[str]] = {
    "users": frozenset({"password_hash"}),
    "borrowers": frozenset({"classification", "open_signals", "next_due_on", "next_due_kind",
                            "search_key", "next_due_reason"}),
}


def _local_only(table: Table, column: Column[Any]) -> bool:
    return column.name in _EVERY_TABLE or column.name in _LOCAL_ONLY.get(table.name, ())


def row_values(table: Table, data: dict[str, Any]) -> dict[str, Any]:
    """The columns of ``table`` found in a Change's data, converted from JSON to Python values.

    Unknown keys are ignored (the server may know more than this version of the app).
    """
    values: dict[str, Any] = {}
    for column in table.columns:
        if column.name in data and not _local_only(table, column):
            values[column.name] = _from_json(column.type, data[column.name])
    return values


def _from_json(kind: TypeEngine[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(kind, UTCDateTime):
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    if isinstance(kind, Date):
        return value if isinstance(value, date) else date.fromisoformat(value)
    if isinstance(kind, Boolean):
        return bool(value)
    if isinstance(kind, Integer):  # also BigInteger: money in fen
        return int(value)
    return value
