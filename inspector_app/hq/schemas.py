"""Bodies of the review endpoints and the visit feed, re-exported for the server's modules.

They live in the shared wire (inspector_app.wire) since laptops use them too: a
supervisor's laptop posts countersigned approvals and reads the team's visits from the feed.
"""

from __future__ import annotations

from inspector_app.wire import (
    ReportRecord,
    ReviewComment,
    ReviewRecord,
    ReviewRequest,
    StoredVisit,
    VisitFeed,
)

__all__ = ["ReportRecord", "ReviewComment", "ReviewRecord", "ReviewRequest", "StoredVisit",
           "VisitFeed"]
