"""Importing the links between borrowers (关联关系) from CSV, as part of a portfolio import.

links (no key column: a link is the pair of borrowers and its kind, in either order)
    borrower_code*   a borrower in the same import or already at headquarters
    party_code*      the other borrower, likewise; not the same borrower
    kind*            same_controller (同一实际控制人) | mutual_guarantee (互保/联保) |
                     related_company (关联企业); the code or its Chinese label
    note             at most 300 characters (e.g. the controller's name, the guarantee
                     contracts), shown to the officer with the link

A link is stored in both directions, so each borrower's officer pulls it with that borrower.
A link already held is updated (its note) or left alone; the import adds links and never
removes one (a file is not the whole list).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from inspector_app.domain.enums import RelationKind
from inspector_app.hq.changes import record_change
from inspector_app.hq.csv_reading import BadValue, Column, FileSpec, Row, text
from inspector_app.hq.models import Borrower, BorrowerLink
from inspector_app.hq.related import ENTITY, links_between

# Imported kinds: a shared fund recipient is headquarters' own finding, never imported.
IMPORTED_KINDS = (RelationKind.SAME_CONTROLLER, RelationKind.MUTUAL_GUARANTEE,
                  RelationKind.RELATED_COMPANY)


def _kind(value: str) -> str:
    for kind in IMPORTED_KINDS:
        if value in (kind.value, kind.zh) or value.lower() == kind.value:
            return kind.value
    # 互保 and 联保 are both written alone in core systems' extracts.
    if value in ("互保", "联保"):
        return RelationKind.MUTUAL_GUARANTEE.value
    raise BadValue(f"{value!r} is not one of {', '.join(k.value for k in IMPORTED_KINDS)}")


def _own_problems(v: dict[str, Any]) -> list[str]:
    if v["borrower_code"] == v["party_code"]:
        return ["party_code: the same borrower as borrower_code (a borrower is not its own "
                "related party)"]
    return []


LINKS = FileSpec("links", "", (
    Column("borrower_code", text(32), True), Column("party_code", text(32), True),
    Column("kind", _kind, True), Column("note", text(300)),
), check=_own_problems)


@dataclass
class LinkCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def import_links(s: Session, rows: list[Row], borrower: Callable[[Row, str], Borrower | None],
                 refuse: Callable[[Row, str], None]) -> LinkCounts:
    """Store each row's link both ways; a bad row is refused (borrower() refuses a code it
    cannot find) and the caller's transaction rolls back."""
    counts = LinkCounts()
    seen: dict[tuple[str, str, str], int] = {}
    for row in rows:
        v = row.values
        a, b = borrower(row, "borrower_code"), borrower(row, "party_code")
        if a is None or b is None:
            continue
        pair = (min(a.code, b.code), max(a.code, b.code), v["kind"])
        if pair in seen:
            refuse(row, f"the link between {a.code!r} and {b.code!r} ({v['kind']}) is also on "
                        f"line {seen[pair]}")
            continue
        seen[pair] = row.line
        note = v["note"] or ""
        stored = {(link.borrower_id, link.party_id): link
                  for link in links_between(s, a.id, b.id, v["kind"])}
        changed: list[BorrowerLink] = []
        for one, other in ((a, b), (b, a)):
            link = stored.get((one.id, other.id))
            if link is None:
                link = BorrowerLink(borrower_id=one.id, party_id=other.id, party_key=other.id,
                                    kind=v["kind"], note=note)
                s.add(link)
                changed.append(link)
            elif link.note != note:
                link.note = note
                changed.append(link)
        if not changed:
            counts.unchanged += 1
            continue
        if len(stored) < 2:
            counts.created += 1
        else:
            counts.updated += 1
        s.flush()
        for link in changed:
            record_change(s, ENTITY, link.id, link.version, borrower_id=link.borrower_id)
    return counts
