"""A borrower's visits and the reports kept for them, as the visits window lists them.

A part of LocalStore (``store.borrower_visits(...)``, ``store.latest_report(...)``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspector_app.store.base import StoreBase
from inspector_app.store.models import Borrower, Report, User, Visit
from inspector_app.store.rows import BorrowerVisits, ReportRow, VisitSummary

COUNTERSIGNED = "countersigned"  # Report.stage, as reports/files.py writes it


def report_row(report: Report) -> ReportRow:
    return ReportRow(
        id=report.id, visit_id=report.visit_id, stage=report.stage, sha256=report.sha256,
        size_bytes=report.size_bytes, lang=report.lang, signer_user_id=report.signer_user_id,
        signer_name=report.signer_name, signed_at=report.signed_at,
        supersedes_sha256=report.supersedes_sha256,
    )


# The countersigned file wins a tie: it contains the officer's signed one.
_NEWEST_FIRST = (Report.signed_at.desc(), (Report.stage == COUNTERSIGNED).desc())


def latest_report_in(session: Session, visit_id: str) -> Report | None:
    """The newest stored report of the visit (countersigned beats signed)."""
    return session.scalar(
        select(Report).where(Report.visit_id == visit_id).order_by(*_NEWEST_FIRST).limit(1)
    )


class VisitHistory(StoreBase):
    """LocalStore's queries behind a borrower's visits window."""

    def latest_report(self, visit_id: str) -> ReportRow | None:
        """The newest stored report of the visit (countersigned beats signed), or None."""
        with self.read() as s:
            report = latest_report_in(s, visit_id)
            return None if report is None else report_row(report)

    def borrower_visits(self, borrower_id: str) -> BorrowerVisits:
        """The borrower's visits, newest first, each with its newest stored report."""
        with self.read() as s:
            borrower = s.get_one(Borrower, borrower_id)
            visits = s.execute(
                select(Visit, User.display_name)
                .join(User, Visit.officer_id == User.id)
                .where(Visit.borrower_id == borrower_id)
                .order_by(Visit.visit_date.desc(), Visit.revision.desc(),
                          Visit.created_at.desc())
            ).all()
            newest: dict[str, Report] = {}
            for report in s.scalars(
                select(Report).join(Visit, Report.visit_id == Visit.id)
                .where(Visit.borrower_id == borrower_id).order_by(*_NEWEST_FIRST)
            ):
                newest.setdefault(report.visit_id, report)
            rows = tuple(
                VisitSummary(
                    v.id, v.visit_date, v.kind, v.status, v.revision, v.officer_id, officer,
                    newest[v.id].sha256 if v.id in newest else None,
                    newest[v.id].stage if v.id in newest else None,
                    borrower.officer_id,
                )
                for v, officer in visits
            )
            return BorrowerVisits(borrower.code, borrower.name, rows)
