"""Bodies of the headquarters-only endpoints (the visit feed), beside the shared wire.

The laptop's sync contract is inspector_app.sync.wire; these extend it for supervisors
without changing it. The review bodies moved to the wire once a supervisor's laptop posts
its countersigned approvals; they are re-exported here for the server's modules.
"""

from __future__ import annotations

from pydantic import BaseModel

from inspector_app.sync.wire import ReviewRecord, ReviewRequest, VisitRecord

__all__ = ["ReviewRecord", "ReviewRequest", "StoredVisit", "VisitFeed"]


class StoredVisit(BaseModel):
    server_version: int
    payload_sha256: str
    review: ReviewRecord | None = None
    visit: VisitRecord


class VisitFeed(BaseModel):
    cursor: int
    visits: list[StoredVisit]
    more: bool = False
