"""Related parties on the laptop: what the work list and the brief say of a borrower's links.

Headquarters sends each link with the party's open red and orange signals as it knew them at
the pull (store.models.RelatedParty). When the party is also on this laptop, its open signals
here count too: the officer who raised a red signal on A this morning, offline, should see it
on B's row this afternoon, before any sync. The notice is the worse of the two.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inspector_app.domain.enums import RelationKind, Severity, SignalStatus
from inspector_app.store.models import RelatedParty, RiskSignal
from inspector_app.store.rows import RelatedNotice

# What a related party's signal must be to warn the officer of the borrower linked to it:
# red and orange call for action (policy: any orange or red signal ⇒ at least 关注); a yellow
# one is the party's officer's business.
WARNING_SEVERITIES = (Severity.RED, Severity.ORANGE)
_CHUNK = 500  # borrower ids per IN list


def related_notices(session: Session, borrower_ids: Iterable[str]
                    ) -> dict[str, tuple[RelatedNotice, ...]]:
    """Borrower id -> its related parties, the warning ones first (gravest first)."""
    wanted = sorted(set(borrower_ids))
    links: list[RelatedParty] = []
    for start in range(0, len(wanted), _CHUNK):
        links += session.scalars(select(RelatedParty).where(
            RelatedParty.borrower_id.in_(wanted[start:start + _CHUNK])))
    if not links:
        return {}
    local = _local_worst(session, {link.party_id for link in links if link.party_id})
    out: dict[str, list[RelatedNotice]] = {}
    for link in links:
        out.setdefault(link.borrower_id, []).append(RelatedNotice(
            kind=link.kind, party_name=link.party_name, party_code=link.party_code,
            note=link.note, severity=_worst(link, local.get(link.party_id or "")),
            named_by=link.named_by))
    return {b: tuple(sorted(found, key=_gravest_first)) for b, found in out.items()}


def _gravest_first(n: RelatedNotice) -> tuple[int, str]:
    return (-(n.severity.rank if n.severity is not None else -1), n.party_name)


def _worst(link: RelatedParty, local: Severity | None) -> Severity | None:
    if link.kind is RelationKind.SHARED_FUND_RECIPIENT:
        # Headquarters' finding is itself the warning: funds of several borrowers pooled in one
        # recipient is how loans taken in other people's names look (seed 000 第二章 案例).
        return Severity.ORANGE
    if link.party_red_signals or local is Severity.RED:
        return Severity.RED
    if link.party_orange_signals or local is Severity.ORANGE:
        return Severity.ORANGE
    return None


def _local_worst(session: Session, party_ids: set[str]) -> dict[str, Severity]:
    """The gravest open red or orange signal of each party on this laptop."""
    if not party_ids:
        return {}
    found: dict[str, Severity] = {}
    rows = session.execute(
        select(RiskSignal.borrower_id, RiskSignal.severity, func.count())
        .where(RiskSignal.borrower_id.in_(sorted(party_ids)),
               RiskSignal.status != SignalStatus.CLEARED,
               RiskSignal.severity.in_(WARNING_SEVERITIES))
        .group_by(RiskSignal.borrower_id, RiskSignal.severity))
    for borrower_id, severity, _n in rows:
        if borrower_id not in found or severity.rank > found[borrower_id].rank:
            found[borrower_id] = severity
    return found
