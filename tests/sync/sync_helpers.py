"""Building blocks for the sync tests: a small local portfolio, a fake headquarters holding the
same users, photos, and views of the outbox and the visit document."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fake_server import FakeHQ
from PIL import Image
from sqlalchemy import delete, select

from inspector_app import wire
from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    CollateralKind,
    Industry,
    LoanType,
    Role,
    VisitKind,
)
from inspector_app.store.local import LocalStore
from inspector_app.store.models import (
    Borrower,
    Branch,
    CollateralItem,
    Loan,
    OutboxEntry,
    Photo,
    User,
)
from inspector_app.sync.mapping import visit_record

SERVER = "http://hq.test"
PASSWORD = "pw-li-2026"
CHUNK = 1024


@dataclass
class Portfolio:
    officer: User
    supervisor: User
    borrower_id: str
    collateral_id: str
    visit_id: str


def build_portfolio(store: LocalStore) -> Portfolio:
    """What headquarters handed this laptop earlier, and one draft visit the officer started.

    Users are written directly (no password hashing) to keep the property test fast.
    """
    with store.write() as s:
        branch = Branch(code="B01", name="城东支行")
        s.add(branch)
        s.flush()
        supervisor = User(username="zhang", display_name="张主任", role=Role.SUPERVISOR,
                          branch_id=branch.id, password_hash="x")
        s.add(supervisor)
        s.flush()
        officer = User(username="li", display_name="李明", role=Role.OFFICER,
                       branch_id=branch.id, supervisor_id=supervisor.id, password_hash="x")
        s.add(officer)
        s.flush()
        borrower = Borrower(
            code="C0001", name="江苏恒达精密机械有限公司", kind=BorrowerKind.COMPANY,
            industry=Industry.MANUFACTURING, id_number="91320000MA1X000001",
            officer_id=officer.id, branch_id=branch.id,
        )
        s.add(borrower)
        s.flush()
        s.add(Loan(borrower_id=borrower.id, contract_no="L-2026-001",
                   loan_type=LoanType.WORKING_CAPITAL, amount_fen=500_000_00,
                   disbursed_on=date(2026, 3, 1), matures_on=date(2027, 3, 1),
                   classification=Classification.NORMAL))
        item = CollateralItem(borrower_id=borrower.id, kind=CollateralKind.WAREHOUSE_STOCK,
                              description="钢材库存", appraised_value_fen=300_000_00,
                              pledged_value_fen=200_000_00)
        s.add(item)
    visit = store.start_visit(borrower.id, officer, VisitKind.ROUTINE,
                              visit_date=date(2026, 11, 20), place="厂区")
    return Portfolio(officer, supervisor, borrower.id, item.id, visit.id)


def user_record(user: User) -> wire.UserRecord:
    return wire.UserRecord(id=user.id, username=user.username, display_name=user.display_name,
                           role=user.role.value, branch_id=user.branch_id,
                           supervisor_id=user.supervisor_id)


def make_hq(p: Portfolio) -> FakeHQ:
    hq = FakeHQ()
    hq.add_user(user_record(p.officer), PASSWORD)
    hq.add_user(user_record(p.supervisor), "pw-zhang")
    return hq


def make_photo(directory: Path, seed: int, side: int = 48) -> Path:
    """A PNG of noise: incompressible, so its size is predictable (about side² × 3 bytes)."""
    rnd = random.Random(seed).randbytes(side * side * 3)
    path = directory / f"photo-{seed}-{side}.png"
    Image.frombytes("RGB", (side, side), rnd).save(path, "PNG")
    return path


def outbox_rows(store: LocalStore) -> list[tuple[str, str]]:
    with store.read() as s:
        return sorted((r.entity, r.ref) for r in s.scalars(select(OutboxEntry)))


def clear_outbox(store: LocalStore) -> None:
    with store.write() as s:
        s.execute(delete(OutboxEntry))


def local_document(store: LocalStore, visit_id: str) -> dict:
    with store.read() as s:
        record = visit_record(s, visit_id)
    assert record is not None
    return record.model_dump(mode="json")


def local_photo_shas(store: LocalStore) -> set[str]:
    with store.read() as s:
        return set(s.scalars(select(Photo.sha256)))
