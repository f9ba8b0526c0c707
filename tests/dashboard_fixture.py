"""A small team whose dashboard figures were worked out by hand (tests/core/test_dashboard.py
checks the store against them, tests/gui/test_dashboard_window.py clicks through them).

Today is Monday 7 December 2026; the period is the fourth quarter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    Industry,
    Role,
    Severity,
    SignalCategory,
    SignalSource,
    SignalStatus,
    VisitKind,
    VisitStatus,
)
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, Review, RiskSignal, Visit

TODAY = date(2026, 12, 7)
START, END = date(2026, 10, 1), date(2026, 12, 31)

N, SM, SUB, DBT = (Classification.NORMAL, Classification.SPECIAL_MENTION,
                   Classification.SUBSTANDARD, Classification.DOUBTFUL)
FIN, COLL, GOV = SignalCategory.FINANCIAL, SignalCategory.COLLATERAL, SignalCategory.GOVERNANCE
RED, ORANGE, YELLOW = Severity.RED, Severity.ORANGE, Severity.YELLOW

# code: (officer, next due, classification now)
BORROWERS: dict[str, tuple[str | None, date | None, Classification]] = {
    "L1": ("li", date(2026, 12, 1), N),  # overdue
    "L2": ("li", date(2026, 12, 6), SM),  # overdue since yesterday
    "L3": ("li", date(2026, 12, 7), N),  # today: within 7
    "L4": ("li", date(2026, 12, 14), N),  # today + 7: within 7
    "L5": ("li", date(2026, 12, 15), N),  # today + 8: within 30
    "L6": ("li", date(2027, 1, 6), N),  # today + 30: within 30
    "L7": ("li", date(2027, 1, 7), N),  # today + 31: none of them
    "W1": ("wang", date(2026, 11, 1), SUB),  # overdue
    "W2": ("wang", None, N),
    "U1": (None, date(2026, 12, 10), DBT),  # nobody's: within 7
}

# (borrower, category, severity, raised on, cleared); ages in days on TODAY in the comments
SIGNALS = (
    ("L1", FIN, RED, date(2026, 12, 7), False),  # 0
    ("L1", FIN, YELLOW, date(2026, 11, 7), False),  # 30
    ("L2", FIN, RED, date(2026, 11, 6), False),  # 31
    ("W1", COLL, ORANGE, date(2026, 9, 8), False),  # 90
    ("W1", GOV, RED, date(2026, 6, 9), False),  # 181
    ("W1", FIN, RED, date(2026, 12, 1), True),  # cleared: counts nowhere
    ("U1", COLL, ORANGE, date(2026, 6, 10), False),  # 180
)

# (name, borrower, visit date, status, submitted at (UTC), returned on)
VISITS = (
    ("V1", "L1", date(2026, 12, 2), VisitStatus.SUBMITTED, datetime(2026, 12, 5, 2, tzinfo=UTC),
     None),  # 3 days
    ("V2", "L2", date(2026, 11, 20), VisitStatus.APPROVED, datetime(2026, 11, 21, 9, tzinfo=UTC),
     None),  # 1 day
    ("V3", "L3", date(2026, 12, 3), VisitStatus.DRAFT, None, None),
    ("V4", "L4", date(2026, 9, 10), VisitStatus.RETURNED, datetime(2026, 9, 30, 1, tzinfo=UTC),
     date(2026, 9, 30)),  # before the period
    ("V5", "L5", date(2026, 10, 10), VisitStatus.RETURNED, datetime(2026, 10, 18, 3, tzinfo=UTC),
     date(2026, 10, 20)),  # 8 days, returned in the period
    ("VW", "W1", date(2026, 12, 1), VisitStatus.RETURNED, datetime(2026, 12, 1, 8, tzinfo=UTC),
     date(2026, 12, 4)),  # 0 days, returned in the period
)


@dataclass
class Team:
    officers: dict[str, str] = field(default_factory=dict)  # username -> id
    borrowers: dict[str, str] = field(default_factory=dict)  # code -> id
    visits: dict[str, str] = field(default_factory=dict)  # name -> id


def build_team(store: LocalStore) -> Team:
    team = Team()
    boss = store.create_user("zhang", "pw-123456", "张主任", Role.SUPERVISOR)
    for username, name in (("li", "李明"), ("wang", "王芳")):
        team.officers[username] = store.create_user(
            username, "pw-123456", name, Role.OFFICER, supervisor_id=boss.id).id
    with store.write() as s:
        for n, (code, (officer, due, classification)) in enumerate(BORROWERS.items()):
            borrower = Borrower(
                code=code, name=f"{code}客户有限公司", kind=BorrowerKind.COMPANY,
                industry=Industry.MANUFACTURING, id_number=f"9132{n:014d}",
                officer_id=None if officer is None else team.officers[officer],
                classification=classification, next_due_on=due)
            s.add(borrower)
            s.flush()
            team.borrowers[code] = borrower.id
        for code, category, severity, raised, cleared in SIGNALS:
            s.add(RiskSignal(
                borrower_id=team.borrowers[code], category=category, severity=severity,
                source=SignalSource.OFFICER, title=f"{code}{category.zh}{severity.zh}",
                raised_on=raised,
                status=SignalStatus.CLEARED if cleared else SignalStatus.RAISED))
        for name, code, on, status, submitted, returned in VISITS:
            officer_id = team.officers["wang" if code.startswith("W") else "li"]
            visit = Visit(borrower_id=team.borrowers[code], officer_id=officer_id,
                          kind=VisitKind.ROUTINE, template_code="routine", template_version=1,
                          template_refs=["routine@1"], visit_date=on)
            s.add(visit)
            s.flush()
            visit.status = status
            visit.submitted_at = submitted
            team.visits[name] = visit.id
            if returned is not None:
                s.add(Review(visit_id=visit.id, reviewer_id=boss.id, decision="returned",
                             comment="补充", state="confirmed",
                             decided_at=datetime.combine(returned, datetime.min.time(), UTC)))
        # A draft review of wang's visit: not a return yet.
        s.add(Review(visit_id=team.visits["V1"], reviewer_id=boss.id, decision="draft"))
    return team
