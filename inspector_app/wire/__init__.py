"""The sync protocol between a laptop and headquarters: paths, headers and JSON bodies.

Shared by the client (inspector_app.sync) and the server (inspector_app.hq) so the two can
never disagree about a field. Version 1, all under /api/v1, JSON in UTF-8, times ISO 8601
with offset, money in fen, every record keyed by its client-made UUID.

    POST /api/v1/devices/register      RegisterRequest -> RegisterResponse   (no token)
        A user's first login on a laptop, online: username + password; the server answers
        with a device token (stored hashed at headquarters) used as "Authorization: Bearer".
    GET  /api/v1/pull?cursor=N         -> PullResponse
        Everything the device may see that changed after cursor N (a server-side change
        sequence): reference records, templates, policy, review decisions, and whether this
        device has been revoked. The client stores the new cursor only after applying all.
        Only the kinds of record the client declares in the Inspector-Entities header (none
        declared: the original ones): see wire/pull.py.
    HEAD /api/v1/blobs/{sha256}        -> 200 | 206 | 404
        "Upload-Offset" header: how many bytes the server holds of this blob for the caller:
        200, all of it (complete, and the caller sent it or may read a visit naming it); 206,
        what the caller's device's upload in progress holds; 404, nothing the caller may
        know of (whether anybody else sent it is not said).
    PATCH /api/v1/blobs/{sha256}       body: raw bytes, headers "Upload-Offset" (where this
        chunk starts), "Upload-Length" (total size), "Content-Type: application/offset+octet-stream"
        -> 204 with the new "Upload-Offset"; 409 if Upload-Offset is not what the server has
        (the client re-asks with HEAD); when the last byte arrives the server re-hashes the
        whole blob and refuses (422, blob discarded) if it does not match the name.
        Size limit (default 50 MB a photo): 413 with an ErrorBody the app shows as is.
    PUT  /api/v1/visits/{visit_id}     VisitPush -> PushResult
        The whole visit with its children, and the version it was based on. 200: stored (or
        the same push again: same result, no duplicate); 409: the server's copy moved past
        base_version (a conflict the officer sees; never overwritten); 422: blobs missing
        (PushResult.missing_blobs lists them) or a signed PDF that fails validation; or an
        ErrorBody for a document that breaks domain.visit_rules (the laptop's store keeps the
        same rules): 422 unknown_template, unknown_item, invalid_answer, unknown_collateral,
        invalid_value; 413 too_long (a text field) or too_large (the body, before it is read;
        default 4 MB). detail.field names the field, e.g. "answers[3].value".
    POST /api/v1/visits/{visit_id}/review   ReviewRequest -> ReviewRecord   (supervisors)
        A supervisor's decision on a team member's signed visit. Approving by countersigning
        on the laptop: `report` is the countersigned PDF's record, uploaded as a blob first and
        verified on arrival (422 "missing_blobs" with detail.missing_blobs, or 422 "rejected"
        with the reason); the same countersigned approval again returns the same ReviewRecord.
        The officer receives the decision (and the report's record) as a "review" Change and
        downloads the PDF with GET /api/v1/blobs/{sha256}.
    POST /api/v1/signals/{signal_id}/follow-ups   SignalFollowUp -> SignalFollowUpRecord
        A supervisor's follow-up on a warning signal of a visit pushed by their team: escalate
        (a higher severity), reassign (to another officer of the team) or clear, with the
        reason. 201 stored; the same id again answers the same record (200). Only the
        borrower's officer's supervisor (another signal is 404, like an unknown one). Pulled
        as a "signal_follow_up" Change by the borrower's officer and their supervisor, and on
        reassign by the new officer.
    GET  /api/v1/visits?cursor=C[&until=U]   -> VisitFeed   (a supervisor: the team's visits)
        The visits signed or later (never a draft or a completed one) whose latest change is
        after C, each in its latest state, oldest change first. A sync's first page (no
        `until`) fixes U at the change log's top and answers it in VisitFeed.until; later
        pages send it back, so a visit pushed again mid-sync comes once, next sync. Read
        while `more`; the last page's cursor is U.
    GET  /api/v1/audit?…                -> AuditPage   (administrators; see wire/audit.py)
    GET  /api/v1/dashboard?…            -> Dashboard   (administrators, a supervisor's team;
    GET  /api/v1/dashboard/rows?…       -> DashboardRows    see wire/dashboard.py)

Errors always come as ErrorBody with a bilingual message meant for the officer.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer

# The audit trail's models live in wire/audit.py; found here too, as every wire model is.
from inspector_app.wire.audit import AUDIT_ACTIONS as AUDIT_ACTIONS
from inspector_app.wire.audit import AUDIT_FAMILIES as AUDIT_FAMILIES
from inspector_app.wire.audit import AuditEntryRecord as AuditEntryRecord
from inspector_app.wire.audit import AuditPage as AuditPage
from inspector_app.wire.audit import audit_table as audit_table
from inspector_app.wire.audit import detail_text as detail_text
from inspector_app.wire.dashboard import ClassificationCount as ClassificationCount
from inspector_app.wire.dashboard import Dashboard as Dashboard
from inspector_app.wire.dashboard import DashboardRow as DashboardRow
from inspector_app.wire.dashboard import DashboardRowFigures as DashboardRowFigures
from inspector_app.wire.dashboard import DashboardRows as DashboardRows
from inspector_app.wire.dashboard import MigrationCount as MigrationCount
from inspector_app.wire.dashboard import ScopeOption as ScopeOption
from inspector_app.wire.dashboard import SeverityCount as SeverityCount

# The handover's models live in wire/handover.py (HandoverVisits, which names StoredVisit,
# below); found here too.
from inspector_app.wire.handover import NO_NUL as NO_NUL
from inspector_app.wire.handover import HandoverOverride as HandoverOverride
from inspector_app.wire.handover import HandoverRecord as HandoverRecord
from inspector_app.wire.handover import HandoverRelease as HandoverRelease
from inspector_app.wire.handover import HandoverSignature as HandoverSignature
from inspector_app.wire.handover import HandoverStart as HandoverStart
from inspector_app.wire.handover import ReleasedVisit as ReleasedVisit

# The pull's models and the kinds of record a device declares it understands: wire/pull.py.
from inspector_app.wire.pull import ENTITIES_HEADER as ENTITIES_HEADER
from inspector_app.wire.pull import ORIGINAL_ENTITIES as ORIGINAL_ENTITIES
from inspector_app.wire.pull import PULL_ENTITIES as PULL_ENTITIES
from inspector_app.wire.pull import Change as Change
from inspector_app.wire.pull import PullResponse as PullResponse
from inspector_app.wire.pull import declared_entities as declared_entities
from inspector_app.wire.pull import entities_header as entities_header

API = "/api/v1"
PROTOCOL_VERSION = 1
CHUNK_BYTES = 8 * 1024 * 1024  # the client's upload chunk; a resumed upload re-sends at most one


class ErrorBody(BaseModel):
    code: str  # stable machine code, e.g. "device_revoked", "conflict", "too_large"
    message: str  # "中文 / English", shown to the officer as is
    detail: dict[str, Any] = Field(default_factory=dict)


class RegisterRequest(BaseModel):
    username: str
    password: str
    device_name: str = Field(max_length=200)


class UserRecord(BaseModel):
    id: str
    username: str
    display_name: str
    role: str
    branch_id: str | None = None
    supervisor_id: str | None = None
    active: bool = True


class LoanRecord(BaseModel):
    """The `data` of a "loan" Change. The repayment position (domain.repayment) came later:
    a laptop of before ignores those keys, and one of now given a loan without them (an older
    headquarters) keeps its defaults, "no repayment data yet" (repayment_as_of None)."""

    id: str
    borrower_id: str
    contract_no: str
    loan_type: str
    amount_fen: int
    disbursed_on: date
    matures_on: date
    classification: str
    purpose: str = ""
    outstanding_fen: int = 0
    overdue_principal_fen: int = 0
    overdue_interest_fen: int = 0
    days_past_due: int = 0  # 0: current
    arrears_interest_fen: int = 0  # 欠息
    rescheduled: bool = False  # 展期
    refinanced: bool = False  # 借新还旧
    restructured: bool = False  # 重组
    restructured_on: date | None = None  # the restructuring's observation period starts here
    repayment_as_of: date | None = None  # the core-banking extract's date


class RegisterResponse(BaseModel):
    device_id: str
    token: str  # shown once; the server keeps only its hash
    user: UserRecord


class PhotoRecord(BaseModel):
    id: str
    sha256: str
    original_name: str
    caption: str = ""
    taken_at: datetime | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    width: int
    height: int
    size_bytes: int
    item_code: str | None = None
    collateral_item_id: str | None = None
    # Arrows, circles and text drawn over the photo (image pixels), as validated by the app.
    annotations: list[dict[str, Any]] = Field(default_factory=list)

    @model_serializer(mode="wrap")
    def _without_empty_annotations(self, handler: SerializerFunctionWrapHandler) -> Any:
        # A photo without drawings serialises exactly as before the field existed, so the
        # fingerprint of every visit pushed earlier stays the same, and a signed visit stored
        # at headquarters is not seen as changed when its status moves on.
        data = handler(self)
        if isinstance(data, dict) and not data.get("annotations"):
            data.pop("annotations", None)
        return data


class NoteRecord(BaseModel):
    id: str
    item_code: str | None = None
    text: str


class SignalStepRecord(BaseModel):
    id: str
    step: str
    user_id: str
    at: datetime
    reason: str = ""


class AnswerRecord(BaseModel):
    id: str
    item_code: str
    value: str | None
    note: str = ""


class FoundCollateralRecord(BaseModel):
    """A collateral item the officer found on site that is not in headquarters' register."""

    kind: str
    description: str
    location: str = ""
    appraised_value_fen: int  # the officer's estimate: there is no appraisal yet


class ObservationRecord(BaseModel):
    id: str
    collateral_item_id: str
    status: str
    condition: str = ""
    location_checked: bool = False
    estimated_value_fen: int | None = None
    insurance_valid: bool | None = None
    certificate_held: bool | None = None
    note: str = ""
    # A partial shortage (800 t of 2,459 t): quantities in thousandths of quantity_unit.
    registered_quantity_milli: int | None = None
    found_quantity_milli: int | None = None
    quantity_unit: str = ""
    # Only for an item found on site: what it is, since headquarters has no record of it.
    found_item: FoundCollateralRecord | None = None

    @model_serializer(mode="wrap")
    def _without_found_item(self, handler: SerializerFunctionWrapHandler) -> Any:
        # Observations without a found item or a shortage serialise exactly as before (same
        # fingerprints, so a visit already confirmed is not sent again).
        data = handler(self)
        if isinstance(data, dict):
            for key, empty in (("found_item", None), ("registered_quantity_milli", None),
                               ("found_quantity_milli", None), ("quantity_unit", "")):
                if data.get(key, empty) == empty:
                    data.pop(key, None)
        return data


class SignalRecord(BaseModel):
    id: str
    category: str
    severity: str
    source: str
    source_ref: str = ""
    title: str
    description: str = ""
    status: str
    raised_on: date
    steps: list[SignalStepRecord] = Field(default_factory=list)
    # Proposes a special inspection (an event: death, jail, absconding, litigation).
    event: bool = False

    @model_serializer(mode="wrap")
    def _without_event(self, handler: SerializerFunctionWrapHandler) -> Any:
        # A signal that is no event serialises exactly as before (same fingerprints).
        data = handler(self)
        if isinstance(data, dict) and not data.get("event"):
            data.pop("event", None)
        return data


class ReportRecord(BaseModel):
    id: str
    stage: str
    sha256: str  # the signed PDF, uploaded as a blob first
    size_bytes: int
    lang: str
    signer_name: str
    signed_at: datetime
    supersedes_sha256: str | None = None


class VisitRecord(BaseModel):
    id: str
    borrower_id: str
    officer_id: str
    kind: str
    status: str
    template_refs: list[str]
    revision: int
    previous_revision_id: str | None = None
    visit_date: date
    place: str = ""
    people_met: str = ""
    started_at: datetime | None = None
    ended_at: datetime | None = None
    general_note: str = ""
    recommended_classification: str | None = None
    final_classification: str | None = None
    override_reason: str = ""
    measures: str = ""
    next_due_on: date | None = None
    answers: list[AnswerRecord] = Field(default_factory=list)
    notes: list[NoteRecord] = Field(default_factory=list)
    photos: list[PhotoRecord] = Field(default_factory=list)
    observations: list[ObservationRecord] = Field(default_factory=list)
    signals: list[SignalRecord] = Field(default_factory=list)
    reports: list[ReportRecord] = Field(default_factory=list)


def payload_sha256(visit: VisitRecord) -> str:
    """The fingerprint both sides use to recognise the same document, whatever the key order."""
    encoded = json.dumps(
        visit.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


class VisitPush(BaseModel):
    base_version: int  # the server version this edit started from; 0 for a new visit
    visit: VisitRecord


# What a supervisor's item comment may point at, keyed so that the key survives the officer's
# next revision: a checklist item by its item code, a photo by its SHA-256, a collateral
# observation by its collateral item's id, a signal by its id.
CommentTarget = Literal["answer", "photo", "observation", "signal"]


class ReviewComment(BaseModel):
    """A supervisor's comment on one part of a returned visit."""

    target: CommentTarget
    ref: str = Field(min_length=1, max_length=100)
    text: str = Field(min_length=1, max_length=2000)


class ReviewRequest(BaseModel):
    decision: Literal["approved", "returned"]
    # Returning: the comment on the whole visit (required). Approving: the 复核意见.
    comment: str = Field(default="", max_length=4000)
    # The server version the supervisor read; if the visit moved on since, 409.
    visit_version: int | None = None
    # Approving by countersigning (on the supervisor's laptop): the countersigned report,
    # uploaded as a blob first and verified on arrival. Only with "approved".
    report: ReportRecord | None = None
    # Approving: the classification the supervisor confirms (None: the officer's stands);
    # one other than the officer's needs classification_reason.
    final_classification: str | None = None
    classification_reason: str = Field(default="", max_length=2000)
    # Returning: comments on single items, besides `comment` on the whole visit.
    comments: list[ReviewComment] = Field(default_factory=list, max_length=500)
    # When the supervisor decided (on a laptop, maybe offline, hours before the sync).
    decided_at: datetime | None = None


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
    final_classification: str | None = None  # approved: the classification that stands
    classification_reason: str = ""  # why it differs from the officer's, if it does
    comments: list[ReviewComment] = Field(default_factory=list)  # returned: item comments


FollowUpAction = Literal["escalate", "reassign", "clear"]


class SignalFollowUp(BaseModel):
    """A supervisor's follow-up on a warning signal of their team (POST
    /signals/{signal_id}/follow-ups): escalate it to a higher severity, reassign it to another
    officer of the team, or clear it; always with the reason."""

    id: str = Field(min_length=1, max_length=36)  # the client's UUID: a retry is the same
    action: FollowUpAction
    reason: str = Field(min_length=1, max_length=2000)
    severity: str | None = None  # escalate: the new severity, higher than the signal's
    officer_id: str | None = None  # reassign: the officer who handles the signal now
    at: datetime  # when the supervisor decided, on their laptop


class SignalFollowUpRecord(SignalFollowUp):
    """A follow-up as headquarters stored it; also the `data` of a "signal_follow_up" Change
    pulled by the borrower's officer and their supervisor (and, on reassign, the new
    officer)."""

    signal_id: str
    user_id: str  # the supervisor
    user_name: str
    visit_id: str  # the visit that raised the signal
    borrower_id: str
    received_at: datetime


class PushResult(BaseModel):
    visit_id: str
    status: Literal["stored", "unchanged", "conflict", "missing_blobs", "rejected"]
    server_version: int
    missing_blobs: list[str] = Field(default_factory=list)
    message: str = ""


class StoredVisit(BaseModel):
    """A visit as headquarters holds it, with its review if decided (GET /visits)."""

    server_version: int
    payload_sha256: str
    review: ReviewRecord | None = None
    visit: VisitRecord


class VisitFeed(BaseModel):
    """A page of the visits the caller may see (a supervisor: the team's), in the order
    headquarters stored them; the supervisor's laptop reads it while `more`."""

    cursor: int
    visits: list[StoredVisit]
    more: bool = False
    # The change-log position this sync reads up to, fixed by its first page: the laptop
    # sends it back with every later page (GET /visits?cursor=C&until=U), so a visit that
    # changes again mid-sync is not sent twice; it comes, in its latest state, next sync.
    until: int = 0


# --- handover (责任移交): the rest in wire/handover.py ---------------------------------


class HandoverVisits(BaseModel):
    """What the new officer's laptop takes from a completed handover (GET
    /handovers/{id}/visits): the visits, and the users they name (the old officer)."""

    visits: list[StoredVisit]
    users: list[UserRecord] = Field(default_factory=list)

