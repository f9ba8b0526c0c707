"""Everything of the store a screen may use: LocalStore, the plain values it returns, what an
edit changed, and the refusals a screen catches.

The GUI imports the store only from here (tests/gui/test_gui_uses_the_facade.py): no model,
no session, no query. Importing this module opens nothing; it loads SQLAlchemy, so the
sign-in window imports it only once the store is opening behind it.
"""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from inspector_app.common.passwords import LoginError
from inspector_app.store.base import VisitLockedError
from inspector_app.store.brief import VisitBrief
from inspector_app.store.dashboard_rows import (
    UNASSIGNED,
    Drill,
    DrillPage,
    DrillRow,
    DueBucket,
    GroupBy,
    OfficerDue,
    OfficerWorkload,
    Scope,
    ScopeChoice,
    SignalAge,
    TeamDashboard,
    Workload,
)
from inspector_app.store.handovers import HandoverRow, HandoverState
from inspector_app.store.local import LocalStore
from inspector_app.store.migrate import MigrationError
from inspector_app.store.photo_editing import (
    DEFAULT_COLOR,
    OLD_PHOTO_DAYS,
    ImportResult,
    PhotoEditError,
    PhotoRow,
)
from inspector_app.store.photo_markings import (
    ARROW_HEAD_SPREAD,
    TEXT_BACKGROUND,
    arrow_head,
    line_width,
    markings_key,
    text_pixels,
)
from inspector_app.store.portfolio import DUE_SOON_DAYS, DueWindow, OfficerCounts, WorkFilter
from inspector_app.store.review_rows import (
    Approval,
    AuditRow,
    ClassificationChange,
    DiffRow,
    QueueFilter,
    QueueRow,
    QueueTab,
    ReviewCommentRow,
    ReviewRow,
    ReviewState,
    RevisionDiff,
)
from inspector_app.store.rows import (
    NOTHING,
    BorrowerVisits,
    Changes,
    Created,
    DueRow,
    LaptopRegistration,
    RelatedNotice,
    ReportRow,
    UserRow,
    VisitRecord,
    VisitSummary,
    changes_of,
)
from inspector_app.store.visit_editing import ConclusionState, EditError, Missing, VisitHeader
from inspector_app.store.visit_findings import (
    CollateralRow,
    ObservationRow,
    SignalRow,
    SignalStepRow,
)
from inspector_app.store.visit_start import StartChoices

# Any failure of the database itself (a locked, damaged or unreadable file), as opposed to a
# refusal of an edit: the screen says the data folder cannot be used.
StoreError = SQLAlchemyError

__all__ = [
    "ARROW_HEAD_SPREAD",
    "DEFAULT_COLOR",
    "DUE_SOON_DAYS",
    "NOTHING",
    "OLD_PHOTO_DAYS",
    "TEXT_BACKGROUND",
    "UNASSIGNED",
    "Approval",
    "AuditRow",
    "BorrowerVisits",
    "Changes",
    "ClassificationChange",
    "CollateralRow",
    "ConclusionState",
    "Created",
    "DiffRow",
    "Drill",
    "DrillPage",
    "DrillRow",
    "DueBucket",
    "DueRow",
    "DueWindow",
    "EditError",
    "GroupBy",
    "HandoverRow",
    "HandoverState",
    "ImportResult",
    "LaptopRegistration",
    "LocalStore",
    "LoginError",
    "MigrationError",
    "Missing",
    "ObservationRow",
    "OfficerCounts",
    "OfficerDue",
    "OfficerWorkload",
    "PhotoEditError",
    "PhotoRow",
    "QueueFilter",
    "QueueRow",
    "QueueTab",
    "RelatedNotice",
    "ReportRow",
    "ReviewCommentRow",
    "ReviewRow",
    "ReviewState",
    "RevisionDiff",
    "Scope",
    "ScopeChoice",
    "SignalAge",
    "SignalRow",
    "SignalStepRow",
    "StartChoices",
    "StoreError",
    "TeamDashboard",
    "UserRow",
    "VisitBrief",
    "VisitHeader",
    "VisitLockedError",
    "VisitRecord",
    "VisitSummary",
    "WorkFilter",
    "Workload",
    "arrow_head",
    "changes_of",
    "line_width",
    "markings_key",
    "text_pixels",
]
