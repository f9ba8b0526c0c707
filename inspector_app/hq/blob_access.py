"""Who may know of, name and read a blob (issue #12: blobs belong to someone).

- reading a blob (GET) needs a visit the caller may read that references it (a review's
  countersigned report is linked to its visit, so "a visit or report"; a completed handover
  lets the new officer read the borrowers' signed visits);
- a user *holds* a blob once they sent every byte of it (blob_holders; any of their devices);
- the caller *may use* a complete blob they hold or may read: only then does HEAD say it is
  here (to anyone else it answers as for a blob that does not exist), does a PATCH of it take
  the shortcut of "already complete", and may they name it in a visit or review they post;
  otherwise it is "missing", so an honest laptop, which has the file, simply sends it (and
  proves it has the bytes by sending all of them) and then holds it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from sqlalchemy import Insert, Select, bindparam, or_, select, union
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from inspector_app.common.clock import utcnow
from inspector_app.hq.context import Hq
from inspector_app.hq.models import (
    BlobHolder,
    Handover,
    HandoverVisit,
    User,
    Visit,
    VisitBlob,
)
from inspector_app.hq.scope import Principal, officer_ids


def _usable_query(p: Principal, shas: list[str]) -> Select[str]:
    held = select(BlobHolder.sha256).where(BlobHolder.user_id == p.user_id,
                                           BlobHolder.sha256.in_(shas))
    officers = officer_ids(p)
    if officers is None:
        return held
    linked = (select(VisitBlob.sha256).join(Visit, Visit.id == VisitBlob.visit_id)
              .where(VisitBlob.sha256.in_(shas), Visit.officer_id.in_(officers)))
    # The borrowers' file a completed handover gave p (signed visits of the old officer).
    handed = (select(VisitBlob.sha256)
              .join(HandoverVisit, HandoverVisit.visit_id == VisitBlob.visit_id)
              .where(VisitBlob.sha256.in_(shas), HandoverVisit.taker_id == p.user_id))
    return select(union(held, linked, handed, handover_pdfs(p, shas)).subquery().c[0])


def handover_pdfs(p: Principal, shas: list[str]) -> Select[str]:
    """The signed handover records among shas of handovers p is one of the officers of (the
    new officer downloads the old one's certified record to countersign it) or the old
    officer's supervisor (who confirms it)."""
    team = select(User.id).where(User.supervisor_id == p.user_id)
    mine = or_(Handover.from_officer_id == p.user_id, Handover.to_officer_id == p.user_id,
               Handover.from_officer_id.in_(team))
    signed = select(Handover.signed_sha256).where(mine, Handover.signed_sha256.in_(shas))
    both = select(Handover.countersigned_sha256).where(
        mine, Handover.countersigned_sha256.in_(shas))
    confirmed = select(Handover.confirmed_sha256).where(
        mine, Handover.confirmed_sha256.in_(shas))
    return select(union(signed, both, confirmed).subquery().c[0])


def usable(hq: Hq, p: Principal, shas: Iterable[str]) -> set[str]:
    """Those of shas that p holds or may read (complete or not: see unusable())."""
    wanted = sorted(set(shas))
    if not wanted:
        return set()
    with hq.db.read_core() as conn:
        return set(conn.scalars(_usable_query(p, wanted)))


def may_use(hq: Hq, p: Principal, sha256: str) -> bool:
    """A complete blob p holds or may read."""
    return hq.blobs.complete(sha256) and sha256 in usable(hq, p, [sha256])


def unusable(hq: Hq, p: Principal, shas: Iterable[str]) -> list[str]:
    """Those of shas p may not name in what they post, sorted: not complete on the server,
    or neither held by p nor readable by them. One list, so nobody learns which is which."""
    complete = {s for s in set(shas) if hq.blobs.complete(s)}
    ok = usable(hq, p, complete)
    return sorted(s for s in set(shas) if s not in ok)


def note_holder(hq: Hq, p: Principal, sha256: str) -> None:
    """p sent every byte of the blob (from p's device): they hold it from now on."""
    with hq.db.write_single() as conn:
        conn.execute(_holder_insert(conn.dialect.name), {
            "sha256": sha256, "user_id": p.user_id, "device_id": p.device_id, "at": utcnow()})


@functools.cache
def _holder_insert(dialect: str) -> Insert:
    new = (sqlite_insert if dialect == "sqlite" else pg_insert)(BlobHolder).values(
        {c: bindparam(c, type_=BlobHolder.__table__.c[c].type)
         for c in ("sha256", "user_id", "device_id", "at")})
    return new.on_conflict_do_nothing(index_elements=[BlobHolder.sha256, BlobHolder.user_id])
