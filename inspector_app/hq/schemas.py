"""Bodies of the headquarters-only endpoints (review, visit feed), beside the shared wire.

The laptop's sync contract is inspector_app.sync.wire; these extend it for supervisors
without changing it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from inspector_app.sync.wire import ReportRecord, VisitRecord


class ReviewRequest(BaseModel):
    decision: Literal["approved", "returned"]
    comment: str = Field(default="", max_length=4000)  # required when returning
    # The server version the supervisor read; if the visit moved on since, 409.
    visit_version: int | None = None
    # Approving by countersigning (on the supervisor's laptop): the countersigned report,
    # uploaded as a blob first and verified on arrival. Only with "approved".
    report: ReportRecord | None = None


class ReviewRecord(BaseModel):
    """Also the `data` of a "review" Change in the officer's pull."""

    id: str
    visit_id: str
    visit_version: int
    decision: Literal["approved", "returned"]
    comment: str
    reviewer_id: str
    reviewer_name: str
    decided_at: datetime
    report: ReportRecord | None = None  # the countersigned report, if approved by countersigning


class StoredVisit(BaseModel):
    server_version: int
    payload_sha256: str
    review: ReviewRecord | None = None
    visit: VisitRecord


class VisitFeed(BaseModel):
    cursor: int
    visits: list[StoredVisit]
    more: bool = False
