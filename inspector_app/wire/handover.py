"""The handover's (责任移交) wire models; re-exported by inspector_app.wire, where both ends find
every wire model (HandoverVisits stays there: it names StoredVisit)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

NO_NUL = r"^[^\x00]+$"  # PostgreSQL text cannot hold NUL: refused as invalid, not a 500


class HandoverStart(BaseModel):
    """Start a handover of some (borrower_codes) or all (all_borrowers) of an officer's
    borrowers to another officer (POST /handovers; a supervisor of the old officer's team, or
    an administrator)."""

    from_officer: str = Field(min_length=1, max_length=64, pattern=NO_NUL)  # usernames
    to_officer: str = Field(min_length=1, max_length=64, pattern=NO_NUL)
    borrower_codes: list[Annotated[str, Field(min_length=1, max_length=32, pattern=NO_NUL)]] = \
        Field(default_factory=list, max_length=5000)
    all_borrowers: bool = False


class HandoverRecord(BaseModel):
    """A handover as headquarters holds it; also the `data` of a "handover" Change, pulled by
    the two officers and their supervisors. `record` is the handover record (交接清单) made
    when it started; `release` what the old officer's laptop held when it let go."""

    id: str
    status: Literal["pending", "completed"]
    from_officer_id: str
    to_officer_id: str
    borrower_ids: list[str]
    started_by: str
    started_at: datetime
    released_at: datetime | None = None
    release: dict[str, Any] | None = None
    completed_at: datetime | None = None
    completed_by: str | None = None
    # The record as a PDF (reports.handover_pdf): certified by the old officer, then
    # countersigned by the new one, then confirmed by the supervisor with a third signature,
    # on which headquarters completes it.
    signed_sha256: str | None = None
    countersigned_sha256: str | None = None
    confirmed_sha256: str | None = None
    # Completed by an administrator without the supervisor's signature (the override), and
    # why: said wherever the handover is shown.
    override_reason: str | None = None
    record: dict[str, Any] = Field(default_factory=dict)
    # Once completed: the unsigned visits the new officer continues (now theirs) and the
    # signed ones of the borrowers' file they may read.
    continued_visit_ids: list[str] = Field(default_factory=list)
    file_visit_ids: list[str] = Field(default_factory=list)
    version: int


class ReleasedVisit(BaseModel):
    id: str = Field(min_length=1, max_length=36, pattern=NO_NUL)
    payload_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class HandoverRelease(BaseModel):
    """The old officer's laptop has uploaded everything of the handed-over borrowers: the
    visits it holds of them, each as the fingerprint of its document (POST
    /handovers/{id}/release)."""

    visits: list[ReleasedVisit] = Field(default_factory=list, max_length=100_000)


class HandoverSignature(BaseModel):
    """The handover record as a signed PDF, uploaded as a blob first (POST
    /handovers/{id}/signatures): "signed" by the old officer (their certification), then
    "countersigned" by the new one (the same file with their signature added), then
    "confirmed" by the supervisor (the countersigned file with a third signature), which
    completes the handover."""

    stage: Literal["signed", "countersigned", "confirmed"]
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size_bytes: int = Field(ge=1)


class HandoverOverride(BaseModel):
    """An administrator completes a handover without the supervisor's confirmation signature
    (POST /handovers/{id}/complete): why, kept with it and in the audit trail."""

    reason: str = Field(min_length=2, max_length=500, pattern=NO_NUL)

