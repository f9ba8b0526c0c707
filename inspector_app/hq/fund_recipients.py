"""Fund recipients named by several borrowers (`inspector-hq admin fund-recipients`).

Officers name who actually received a loan's funds on the fund-use items (answers of type
recipient, domain.fund_recipient). When the funds of several *different* borrowers went to one
recipient, the loans may have been taken out in other people's names for that recipient's
use (seed 000 第二章 二(四): 27 individuals and a small company borrowed and passed the money
on to one company) — a concentration no single officer can see from their own visits.

The command counts, per recipient key (the USCC when given, else the compared name), the
distinct borrowers whose visits named it, and flags those named by at least the threshold.
A flag is written as a link from each of those borrowers to the recipient (borrower_links,
kind shared_fund_recipient), so it reaches each borrower's officer and their supervisor at
the next sync like any related party, and stands on the work list and the brief in orange.
Headquarters does not raise a risk signal itself: a signal belongs to a visit the officer
signs (the laptop is the authority for its unsigned visits), and what the flag asks for is the
officer's judgement on site — the notice says why, the officer raises the signal. A recipient
no longer flagged (fewer borrowers name it, or the threshold was raised) has its links
withdrawn, and the laptops drop the notice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from inspector_app.domain.checklist import Template, TemplateValidationError
from inspector_app.domain.enums import AnswerType, RelationKind
from inspector_app.domain.fund_recipient import Recipient, RecipientError, parse_recipient
from inspector_app.domain.template_loader import load_shipped_templates, load_template_text
from inspector_app.hq.audit import audit
from inspector_app.hq.changes import lock_change_log, record_change
from inspector_app.hq.db import Database
from inspector_app.hq.models import Borrower, BorrowerLink, Visit
from inspector_app.hq.models import Template as TemplateRow
from inspector_app.hq.related import ENTITY

# Named by this many distinct borrowers or more: flagged. Three, not two: two borrowers
# paying one supplier is ordinary trade; three or more unrelated borrowers' funds meeting in
# one account is the pattern the seed case shows, and what a bank's risk department screens
# for first. Configurable per run (--min-borrowers).
DEFAULT_MIN_BORROWERS = 3
SHARED = RelationKind.SHARED_FUND_RECIPIENT.value


@dataclass
class NamedRecipient:
    """One recipient as the visits named it."""

    key: str
    names: Counter[str] = field(default_factory=Counter)  # as typed, how often
    uscc: str = ""
    borrowers: set[str] = field(default_factory=set)  # borrower ids
    visits: int = 0

    @property
    def name(self) -> str:
        """The name most visits gave (ties: the first in sort order, so runs agree)."""
        return min(self.names.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def recipient_items(templates: Iterable[Template]) -> set[str]:
    """The codes of the items whose answer is a fund recipient."""
    return {item.code for t in templates for item in t.items()
            if item.type is AnswerType.RECIPIENT}


def _templates(s: Session) -> list[Template]:
    found = list(load_shipped_templates())
    for row in s.scalars(select(TemplateRow)):
        try:
            found.append(load_template_text(row.yaml_text, Path(f"{row.code}@{row.version}")))
        except TemplateValidationError:
            continue  # published before a rule it breaks: no visit may use it anyway
    return found


def named_recipients(s: Session) -> dict[str, NamedRecipient]:
    """Every recipient the stored visits name, by key."""
    codes = recipient_items(_templates(s))
    found: dict[str, NamedRecipient] = {}
    for borrower_id, payload in s.execute(select(Visit.borrower_id, Visit.payload)):
        named: dict[str, Recipient] = {}
        for answer in (payload or {}).get("answers", []):
            if answer.get("item_code") not in codes or not answer.get("value"):
                continue
            try:
                recipient = parse_recipient(str(answer["value"]))
            except RecipientError:
                continue  # checked on push; an older document's slip is not a recipient
            named[recipient.key] = recipient
        for key, recipient in named.items():
            entry = found.setdefault(key, NamedRecipient(key))
            entry.names[recipient.name] += 1
            entry.uscc = entry.uscc or recipient.uscc
            entry.borrowers.add(borrower_id)
            entry.visits += 1
    return found


@dataclass(frozen=True)
class FlagRun:
    flagged: list[NamedRecipient]
    borrower_codes: dict[str, tuple[str, str]]  # borrower id -> (code, name)
    written: int  # links created or changed
    withdrawn: int  # links removed


def flag_recipients(db: Database, actor: str, min_borrowers: int = DEFAULT_MIN_BORROWERS,
                    *, publish: bool = True) -> FlagRun:
    """The recipients named by at least min_borrowers borrowers, most named first; with
    publish, each flag written as links for the devices to pull, and stale ones withdrawn."""
    if min_borrowers < 2:
        raise ValueError("a recipient named by one borrower is no concentration")
    with db.write() as s:
        every = named_recipients(s)
        flagged = sorted((r for r in every.values() if len(r.borrowers) >= min_borrowers),
                         key=lambda r: (-len(r.borrowers), r.name))
        ids = {b for r in flagged for b in r.borrowers}
        codes = {b.id: (b.code, b.name) for b in s.scalars(
            select(Borrower).where(Borrower.id.in_(sorted(ids))))} if ids else {}
        written = withdrawn = 0
        if publish:
            written, withdrawn = _publish(s, flagged)
            audit(s, actor, "fund_recipients.flag", "fund_recipient", "-",
                  min_borrowers=min_borrowers, flagged=[r.key for r in flagged],
                  written=written, withdrawn=withdrawn)
    return FlagRun(flagged, codes, written, withdrawn)


def _publish(s: Session, flagged: list[NamedRecipient]) -> tuple[int, int]:
    lock_change_log(s)
    held = {(link.borrower_id, link.party_key): link for link in s.scalars(
        select(BorrowerLink).where(BorrowerLink.kind == SHARED))}
    wanted: dict[tuple[str, str], dict[str, Any]] = {}
    for r in flagged:
        n = len(r.borrowers)
        shown = r.name if not r.uscc else f"{r.name}（{r.uscc}）"
        for borrower_id in r.borrowers:
            wanted[(borrower_id, r.key)] = {
                "party_name": shown[:200], "named_by": n,
                "note": f"{n} 户借款人的检查记录指认该收款方 / named by {n} borrowers' visits"}
    written = 0
    changed: list[BorrowerLink] = []
    for (borrower_id, key), values in wanted.items():
        link = held.get((borrower_id, key))
        if link is None:
            link = BorrowerLink(borrower_id=borrower_id, kind=SHARED, party_id=None,
                                party_key=key, **values)
            s.add(link)
        elif all(getattr(link, k) == v for k, v in values.items()):
            continue
        else:
            for k, v in values.items():
                setattr(link, k, v)
        changed.append(link)
        written += 1
    s.flush()
    for link in changed:
        record_change(s, ENTITY, link.id, link.version, borrower_id=link.borrower_id)
    stale = [link for pair, link in held.items() if pair not in wanted]
    for link in stale:
        # A tombstone for the devices that hold it, then the row goes.
        record_change(s, ENTITY, link.id, link.version + 1, borrower_id=link.borrower_id,
                      deleted=True)
    if stale:
        s.execute(delete(BorrowerLink).where(BorrowerLink.id.in_([x.id for x in stale]))
                  .execution_options(synchronize_session=False))
    return written, len(stale)


def describe(run: FlagRun, min_borrowers: int, published: bool) -> str:
    """The command's report: one block per flagged recipient."""
    lines = [] if run.flagged else [
        f"no recipient is named by {min_borrowers} or more borrowers"]
    for r in run.flagged:
        head = f"{len(r.borrowers)} borrowers, {r.visits} visits: {r.name}"
        if r.uscc:
            head += f" (USCC {r.uscc})"
        lines.append(head)
        named = sorted(run.borrower_codes.get(b, (b, "")) for b in r.borrowers)
        lines += [f"    {code} {name}" for code, name in named]
    if published:
        lines.append(f"flags sent to the borrowers' officers: {run.written} written, "
                     f"{run.withdrawn} withdrawn")
    else:
        lines.append("(dry run: nothing sent)")
    return "\n".join(lines)

