"""The change log: every new version of a record devices may pull, in one global order.

A device's cursor is the last `seq` it applied; it must never skip a row that commits later
with a smaller seq. So every transaction that appends to the log first takes one lock (an
advisory transaction lock on PostgreSQL; SQLite writers are serialised already) and only then
draws its seqs: seqs become visible in the order they were handed out.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, bindparam, func, insert, select, text
from sqlalchemy.orm import Session

from inspector_app.common.clock import utcnow
from inspector_app.hq.models import (
    Borrower,
    BorrowerLink,
    Branch,
    CollateralItem,
    Guarantor,
    Loan,
    Review,
    Template,
    User,
)
from inspector_app.hq.models import ChangeLogEntry as Entry
from inspector_app.hq.schemas import ReportRecord, ReviewComment, ReviewRecord
from inspector_app.wire import LoanRecord

CHANGE_LOG_LOCK = 0x4851_434C  # "HQCL"; any constant unique among this database's locks
BORROWER_ENTITIES = ("borrower", "loan", "collateral_item", "guarantor", "borrower_link")
EVERYONE_ENTITIES = ("branch", "template", "policy")
# Rows scoped by officer_id: the officer's and their supervisor's.
OFFICER_ENTITIES = ("review", "signal_follow_up")
POLICY_ID = "policy"  # one policy at a time: devices keep the latest version under this id


def lock_change_log(session: Session) -> None:
    """Take the change-log lock for the rest of this transaction (once: an import appends
    thousands of rows)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    transaction = session.get_transaction()
    if transaction is None or session.info.get("change_log_locked_in") is not transaction:
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHANGE_LOG_LOCK})
        session.info["change_log_locked_in"] = session.get_transaction()


_ROW = ("entity", "entity_id", "version", "deleted", "borrower_id", "officer_id",
        "audience_user_id", "at")
# PostgreSQL: take the lock and append the row in one statement (one round trip while the
# lock is held). The lock is a MATERIALIZED CTE the row is selected from, so it is granted
# before the row's seq is drawn.
_LOCK = select(func.pg_advisory_xact_lock(CHANGE_LOG_LOCK).label("locked")) \
    .cte("change_log_lock").prefix_with("MATERIALIZED")
_LOCK_AND_APPEND = insert(Entry).from_select(
    list(_ROW),
    select(*(bindparam(name, type_=Entry.__table__.c[name].type) for name in _ROW))
    .select_from(_LOCK))


def append_change_core(conn: Connection, entity: str, entity_id: str, version: int, *,
                       borrower_id: str | None = None, officer_id: str | None = None) -> None:
    """record_change for a Core transaction: take the change-log lock and append the row.

    Call it last in the transaction, after the row locks it needs: the change-log lock is
    then held only for this statement and the commit (every push queues on it)."""
    row = {"entity": entity, "entity_id": entity_id, "version": version, "deleted": False,
           "borrower_id": borrower_id, "officer_id": officer_id, "audience_user_id": None,
           "at": utcnow()}
    if conn.dialect.name == "postgresql":
        conn.execute(_LOCK_AND_APPEND, row)
    else:  # SQLite: writers are serialised already
        conn.execute(insert(Entry), row)


def record_change(session: Session, entity: str, entity_id: str, version: int, *,
                  borrower_id: str | None = None, officer_id: str | None = None,
                  audience_user_id: str | None = None, deleted: bool = False) -> None:
    """Append one row; call after flush() so `version` is the record's new version."""
    lock_change_log(session)
    session.add(Entry(entity=entity, entity_id=entity_id, version=version, deleted=deleted,
                      borrower_id=borrower_id, officer_id=officer_id,
                      audience_user_id=audience_user_id))


def record_borrower_tree(session: Session, borrower: Borrower, *,
                         audience_user_id: str | None = None, deleted: bool = False) -> int:
    """A row for the borrower and each of its loans, collateral items and guarantors.

    Used when a borrower is (re)assigned: the new officer may have pulled past the rows written
    at import, and the previous one gets tombstones (audience_user_id, deleted=True).
    """
    rows: list[tuple[str, str, int]] = [("borrower", borrower.id, borrower.version)]
    for model, entity in ((Loan, "loan"), (CollateralItem, "collateral_item"),
                          (Guarantor, "guarantor"), (BorrowerLink, "borrower_link")):
        for rec in session.query(model).filter(model.borrower_id == borrower.id):
            rows.append((entity, rec.id, rec.version))
    for entity, entity_id, version in rows:
        record_change(session, entity, entity_id, version, borrower_id=borrower.id,
                      audience_user_id=audience_user_id, deleted=deleted)
    return len(rows)


# --- what a pulled row carries -----------------------------------------------------------


def branch_data(b: Branch) -> dict[str, Any]:
    return {"id": b.id, "code": b.code, "name": b.name}


def user_data(u: User) -> dict[str, Any]:
    # Never the password hash: the laptop hashes the password itself at first login.
    return {"id": u.id, "username": u.username, "display_name": u.display_name,
            "role": u.role.value, "branch_id": u.branch_id, "supervisor_id": u.supervisor_id,
            "active": u.active}


def borrower_data(b: Borrower, officer_id: str | None) -> dict[str, Any]:
    return {"id": b.id, "code": b.code, "name": b.name, "kind": b.kind, "industry": b.industry,
            "id_number": b.id_number, "legal_representative": b.legal_representative,
            "address": b.address, "phone": b.phone, "branch_id": b.branch_id,
            "officer_id": officer_id}


def loan_data(x: Loan) -> dict[str, Any]:
    return LoanRecord(
        id=x.id, borrower_id=x.borrower_id, contract_no=x.contract_no, loan_type=x.loan_type,
        amount_fen=x.amount_fen, disbursed_on=x.disbursed_on, matures_on=x.matures_on,
        classification=x.classification, purpose=x.purpose, outstanding_fen=x.outstanding_fen,
        overdue_principal_fen=x.overdue_principal_fen,
        overdue_interest_fen=x.overdue_interest_fen, days_past_due=x.days_past_due,
        arrears_interest_fen=x.arrears_interest_fen, rescheduled=x.rescheduled,
        refinanced=x.refinanced, restructured=x.restructured,
        restructured_on=x.restructured_on, repayment_as_of=x.repayment_as_of,
    ).model_dump(mode="json")


def collateral_data(c: CollateralItem) -> dict[str, Any]:
    return {"id": c.id, "borrower_id": c.borrower_id, "loan_id": c.loan_id, "code": c.code,
            "kind": c.kind, "description": c.description, "location": c.location,
            "appraised_value_fen": c.appraised_value_fen,
            "pledged_value_fen": c.pledged_value_fen, "certificate_no": c.certificate_no}


def guarantor_data(g: Guarantor) -> dict[str, Any]:
    return {"id": g.id, "borrower_id": g.borrower_id, "contract_no": g.contract_no,
            "name": g.name, "kind": g.kind, "id_number": g.id_number, "relation": g.relation,
            "guaranteed_amount_fen": g.guaranteed_amount_fen}


def template_data(t: Template) -> dict[str, Any]:
    return {"code": t.code, "version": t.version, "kind": t.kind, "ref": template_ref(t),
            "yaml": t.yaml_text, "published_at": t.published_at.isoformat()}


def review_record(r: Review, reviewer_name: str) -> ReviewRecord:
    return ReviewRecord(id=r.id, visit_id=r.visit_id, visit_version=r.visit_version,
                        decision=r.decision,  # type: ignore[arg-type]  # checked on the way in
                        comment=r.comment, reviewer_id=r.reviewer_id,
                        reviewer_name=reviewer_name, decided_at=r.decided_at,
                        report=None if r.report is None else ReportRecord.model_validate(r.report),
                        final_classification=r.final_classification,
                        classification_reason=r.classification_reason or "",
                        comments=[ReviewComment.model_validate(c) for c in r.comments or ()])


def review_data(r: Review, reviewer_name: str) -> dict[str, Any]:
    return review_record(r, reviewer_name).model_dump(mode="json")


def template_ref(t: Template | Row[Any]) -> str:
    """The template's change id: "code@version", as visits record it."""
    return f"{t.code}@{t.version}"
