"""Shared pieces of the demo builders: bulk writing, users, money and dates, PortfolioBuilder."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from inspector_app.common import passwords
from inspector_app.common.clock import utcnow
from inspector_app.common.paths import database_path
from inspector_app.common.sqltypes import new_id
from inspector_app.common.text import Text, UserError
from inspector_app.demo import repayment
from inspector_app.demo import words as words
from inspector_app.domain.checklist import (
    Checklist,
    Template,
    select_checklist,
)
from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    CollateralKind,
    Industry,
    LoanType,
    Role,
    VisitKind,
    VisitStatus,
)
from inspector_app.domain.policy import Policy
from inspector_app.store.local import LocalStore
from inspector_app.store.models import (
    Base,
    Borrower,
    Branch,
    ChecklistAnswer,
    CollateralItem,
    CollateralObservation,
    Guarantor,
    Loan,
    RiskSignal,
    RiskSignalStep,
    User,
    Visit,
)

Progress = Callable[[str, float], None]

DEMO_PASSWORD = "demo1234"
# Shared by the generated officers of a --scale portfolio: hashed once, not once per user.
SCALE_PASSWORD = "scale1234"
CHINA = timezone(timedelta(hours=8))
BATCH = 10_000

# (username, role, display name, branch index, supervisor's username)
DEMO_USERS: tuple[tuple[str, Role, str, int | None, str | None], ...] = (
    ("admin", Role.ADMIN, "赵敏", None, None),
    ("supervisor", Role.SUPERVISOR, "李国强", 0, None),
    ("officer", Role.OFFICER, "王芳", 0, "supervisor"),
    ("officer2", Role.OFFICER, "陈磊", 0, "supervisor"),
    ("supervisor2", Role.SUPERVISOR, "孙丽华", 1, None),
    ("officer3", Role.OFFICER, "刘洋", 1, "supervisor2"),
)
BRANCHES = (("0101", "城东支行"), ("0102", "城西支行"))
# Default portfolio: how many borrowers each demo officer looks after.
PORTFOLIO_SHARE = {"officer": 20, "officer2": 16, "officer3": 12}


# --- the database ------------------------------------------------------------------------


def open_empty(data_dir: Path, replace: bool) -> LocalStore:
    db = database_path(data_dir)
    if replace:
        # The SQLite file and its WAL side files; photos and backups are left alone.
        for suffix in ("", "-wal", "-shm", "-journal"):
            db.with_name(db.name + suffix).unlink(missing_ok=True)
    store = LocalStore.open(data_dir)
    with store.read() as s:
        borrowers = s.scalar(select(func.count()).select_from(Borrower)) or 0
        taken = list(
            s.scalars(select(User.username).where(User.username.in_([u[0] for u in DEMO_USERS])))
        )
    if borrowers or taken:
        store.close()
        if borrowers:
            held = Text(f"{borrowers} 个借款人", f"{borrowers} borrowers")
        else:
            held = Text(f"用户 {', '.join(taken)}", f"users {', '.join(taken)}")
        raise UserError(Text(
            f"数据目录已有数据（{held.zh}），未写入演示数据。如需覆盖，请使用 replace=True（命令行"
            " --replace，将删除现有数据库）。",
            f"{db} already holds data ({held.en}); the demo was not written. Pass replace=True "
            "(--replace) to delete the database and build it.",
        ))
    return store


class Rows:
    """Rows to insert, per model, each with its Record columns filled in (ids are needed up
    front to link children to parents, so none is left to the database or the ORM)."""

    ORDER: tuple[type[Base], ...] = (
        Branch, User, Borrower, Loan, CollateralItem, Guarantor, Visit, ChecklistAnswer,
        CollateralObservation, RiskSignal, RiskSignalStep,
    )  # fmt: skip

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._rows: dict[type[Base], list[dict[str, Any]]] = {m: [] for m in self.ORDER}

    def add(self, model: type[Base], *, created: datetime | None = None, **values: Any) -> str:
        """Queue a row; its new id."""
        row_id: str = self.add_row(model, created=created, **values)["id"]
        return row_id

    def add_row(
        self, model: type[Base], *, created: datetime | None = None, **values: Any
    ) -> dict[str, Any]:
        """Queue a row; the queued dict itself, so the story can still change it."""
        stamp = created or self.now
        row = {"id": new_id(), "created_at": stamp, "updated_at": stamp, "version": 1, **values}
        self._rows[model].append(row)
        return row

    def of(self, model: type[Base]) -> list[dict[str, Any]]:
        return self._rows[model]


def insert_rows(session: Session, rows: Rows, report: Progress) -> None:
    total = sum(len(rows.of(m)) for m in rows.ORDER) or 1
    done = 0
    for model in rows.ORDER:
        table = model.__table__
        # executemany compiles one statement from the first row's keys; group by key set so a
        # row that leaves a defaulted column out cannot be given another row's shape.
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in rows.of(model):
            groups.setdefault(tuple(row), []).append(row)
        for group in groups.values():
            for start in range(0, len(group), BATCH):
                session.execute(insert(table), group[start : start + BATCH])
                done += len(group[start : start + BATCH])
                report(f"写入 / writing {table.name}", 0.15 + 0.7 * done / total)


def set_statuses(session: Session, statuses: list[dict[str, Any]]) -> None:
    """Move visits from draft to their final status once their answers are in: the database
    refuses answers for a signed visit, just as it would for a real one."""
    if not statuses:
        return
    table = Visit.__table__
    session.execute(
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            status=bindparam("b_status"),
            version=bindparam("b_version"),
            updated_at=bindparam("b_updated"),
        ),
        statuses,
    )


@dataclass
class AuditEvent:
    at: datetime
    user_id: str | None
    action: str
    entity: str
    entity_id: str
    detail: dict[str, Any]


def write_audit(
    session: Session,
    events: list[AuditEvent],
    users: DemoUsers,
    rows: Rows,
    seed: int,
    scale: int | None,
) -> None:
    """One audit entry per user and per visit status reached, in the order things happened,
    then one for the demo itself."""
    start = min((e.at for e in events), default=rows.now) - timedelta(days=1)
    for username, user_id in users.ids.items():
        if username in users.named:
            events.append(
                AuditEvent(start, None, "user.create", "user", user_id, {"username": username})
            )
    events.sort(key=lambda e: e.at)
    # After the story's last event even when `today` lies ahead of the clock.
    built = max([utcnow(), *(e.at for e in events[-1:])])
    events.append(
        AuditEvent(
            built, None, "demo.build", "app_state", "demo",
            {"seed": seed, "scale": scale, "borrowers": len(rows.of(Borrower)),
             "visits": len(rows.of(Visit))},
        )
    )  # fmt: skip
    for event in events:
        entry = LocalStore.audit(
            session, event.user_id, event.action, event.entity, event.entity_id, **event.detail
        )
        entry.at = event.at  # when it happened in the demo's story, not when it was written


# --- users -------------------------------------------------------------------------------


@dataclass
class DemoUsers:
    ids: dict[str, str] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)
    branch_of: dict[str, str] = field(default_factory=dict)
    supervisor_of: dict[str, str] = field(default_factory=dict)
    named: set[str] = field(default_factory=set)
    generated: list[str] = field(default_factory=list)

    def officers(self) -> list[str]:
        return [u for u in self.ids if u.startswith("officer")]


def make_users(rows: Rows, scale: int | None) -> DemoUsers:
    users = DemoUsers()
    branch_ids = [rows.add(Branch, code=code, name=name) for code, name in BRANCHES]
    for username, role, display, branch, boss in DEMO_USERS:
        user_id = rows.add(
            User, username=username, display_name=display, role=role,
            branch_id=None if branch is None else branch_ids[branch],
            supervisor_id=None if boss is None else users.ids[boss],
            password_hash=password_hash(username, DEMO_PASSWORD), active=True,
        )  # fmt: skip
        users.ids[username] = user_id
        users.passwords[username] = DEMO_PASSWORD
        users.named.add(username)
        if branch is not None:
            users.branch_of[username] = branch_ids[branch]
        if boss is not None:
            users.supervisor_of[username] = boss
    if scale is not None:
        # One officer per 400 borrowers, all sharing one hash: Argon2 is slow on purpose.
        shared_hash = password_hash("officer*", SCALE_PASSWORD)
        name_rng = random.Random(scale)
        for n in range(4, 4 + math.ceil(scale / 400)):
            username = f"officer{n:03d}"
            branch = n % 2
            boss = ("supervisor", "supervisor2")[branch]
            users.ids[username] = rows.add(
                User, username=username, display_name=words.person_name(name_rng),
                role=Role.OFFICER, branch_id=branch_ids[branch], supervisor_id=users.ids[boss],
                password_hash=shared_hash, active=True,
            )  # fmt: skip
            users.passwords[username] = SCALE_PASSWORD
            users.branch_of[username] = branch_ids[branch]
            users.supervisor_of[username] = boss
            users.generated.append(username)
    return users


@cache
def password_hash(username: str, password: str) -> str:
    """Each demo user's hash, made once per process: Argon2 is deliberately slow (about 0.4 s
    a hash on a 2-core laptop), and tests and benchmarks build the demo more than once."""
    return passwords.hash_password(password)


# --- shared pieces -----------------------------------------------------------------------


def china_time(day: date, hour: int, minute: int = 0) -> datetime:
    """A Beijing wall-clock time on `day`, as the aware UTC datetime the database stores."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHINA).astimezone(UTC)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def yuan(rng: random.Random, low: int, high: int, step: int) -> int:
    """An amount in fen, a multiple of `step` yuan between low and high yuan."""
    return rng.randint(low // step, high // step) * step * 100


LOAN_RANGES = {
    LoanType.WORKING_CAPITAL: (3_000_000, 30_000_000, 100_000),
    LoanType.FIXED_ASSET: (10_000_000, 150_000_000, 1_000_000),
    LoanType.PERSONAL_BUSINESS: (300_000, 3_000_000, 50_000),
}
TERM_YEARS = {
    LoanType.WORKING_CAPITAL: (1, 3),
    LoanType.FIXED_ASSET: (3, 8),
    LoanType.PERSONAL_BUSINESS: (1, 3),
}


def loan_types_for(rng: random.Random, industry: Industry, kind: BorrowerKind) -> list[LoanType]:
    """The borrower's loans, most important first, as a bank in that industry would lend."""
    wc, fa, pb = LoanType.WORKING_CAPITAL, LoanType.FIXED_ASSET, LoanType.PERSONAL_BUSINESS
    if kind is BorrowerKind.PERSON:
        return [pb] * rng.choice((1, 1, 2))
    first = fa if industry in (Industry.REAL_ESTATE, Industry.INFRASTRUCTURE) else wc
    extra = {Industry.MANUFACTURING: fa, Industry.WHOLESALE_TRADE: wc, Industry.SERVICES: fa}
    types = [first]
    if rng.random() < 0.4:
        types.append(extra.get(industry, wc))
    return types


class PortfolioBuilder:
    """Borrower, loan, collateral and guarantor rows, shared by both portfolio sizes."""

    def __init__(
        self,
        rng: random.Random,
        today: date,
        policy: Policy,
        templates: Mapping[str, Template],
        rows: Rows,
        users: DemoUsers,
    ) -> None:
        self.rng = rng
        self.today = today
        self.policy = policy
        self.templates = templates
        self.rows = rows
        self.users = users
        self._checklists: dict[tuple[VisitKind, frozenset[LoanType], Industry], Checklist] = {}
        self._contracts = 0

    def checklist(
        self, kind: VisitKind, loan_types: Iterable[LoanType], industry: Industry
    ) -> Checklist:
        key = (kind, frozenset(loan_types), industry)
        if key not in self._checklists:
            self._checklists[key] = select_checklist(self.templates, kind, key[1], industry)
        return self._checklists[key]

    def borrower(
        self, seq: int, name: str, kind: BorrowerKind, industry: Industry, officer: str
    ) -> dict[str, Any]:
        rng = self.rng
        addr, region = words.address(rng)
        if kind is BorrowerKind.COMPANY:
            rep = words.person_name(rng)
            id_number = words.credit_code(rng, region)
        else:
            rep = name
            born = date(rng.randint(1962, 1992), rng.randint(1, 12), rng.randint(1, 28))
            id_number = words.id_card_number(rng, region, born)
        row: dict[str, Any] = {
            "code": f"3205{seq:08d}", "name": name, "kind": kind, "industry": industry,
            "id_number": id_number, "legal_representative": rep, "address": addr,
            "phone": words.phone(rng), "officer_id": self.users.ids[officer],
            "branch_id": self.users.branch_of[officer],
        }  # fmt: skip
        return self.rows.add_row(Borrower, **row)

    def loan(
        self,
        borrower_id: str,
        loan_type: LoanType,
        disbursed: date,
        classification: Classification,
    ) -> dict[str, Any]:
        rng = self.rng
        self._contracts += 1
        low, high, step = LOAN_RANGES[loan_type]
        shortest, longest = TERM_YEARS[loan_type]
        # Long enough to be outstanding today: a demo loan that has matured would be odd.
        needed = max(shortest, (self.today - disbursed).days // 365 + 1)
        years = rng.randint(needed, max(needed, longest))
        row = {
            "borrower_id": borrower_id,
            "contract_no": f"{disbursed.year}{words.CONTRACT_ABBREV[loan_type]}字第"
            f"{self._contracts:06d}号",
            "loan_type": loan_type,
            "amount_fen": yuan(rng, low, high, step),
            "disbursed_on": disbursed,
            "matures_on": add_years(disbursed, years),
            "classification": classification,
            "purpose": rng.choice(words.LOAN_PURPOSES[loan_type.value]),
        }
        row.update(repayment.current(row, repayment.extract_date(self.today)))
        return self.rows.add_row(Loan, created=china_time(disbursed, 10), **row)

    def collateral(
        self, borrower: dict[str, Any], kind: CollateralKind, loan: dict[str, Any]
    ) -> dict[str, Any]:
        rng = self.rng
        text, (n_low, n_high), (low, high) = rng.choice(words.COLLATERAL[kind])
        appraised = yuan(rng, low, high, 10_000)
        rate_low, rate_high = words.PLEDGE_RATES[kind]
        # Rounded down to whole yuan so the pledged value stays strictly below the appraisal.
        pledged = int(appraised * rng.uniform(rate_low, rate_high)) // 100 * 100
        year = loan["disbursed_on"].year
        city = words.city_of(borrower["address"])
        number = {
            CollateralKind.PROPERTY: lambda: words.title_deed(rng, year, city),
            CollateralKind.EQUIPMENT: lambda: f"动产抵押登记第{year}{rng.randint(1, 99999):05d}号",
            CollateralKind.WAREHOUSE_STOCK: lambda: f"监管协议JG{year}-{rng.randint(1, 9999):04d}",
            CollateralKind.RECEIVABLES: lambda: f"中登网登记编号{rng.randint(10**19, 10**20 - 1)}",
            CollateralKind.DEPOSIT_PLEDGE: lambda: f"存单号{rng.randint(10**11, 10**12 - 1)}",
        }[kind]()
        row = {
            "borrower_id": borrower["id"], "loan_id": loan["id"], "kind": kind,
            "description": text.format(n=rng.randint(n_low, n_high)),
            "location": borrower["address"], "appraised_value_fen": appraised,
            "pledged_value_fen": pledged, "certificate_no": number, "found_on_site": False,
        }  # fmt: skip
        return self.rows.add_row(CollateralItem, **row)

    def guarantor(self, borrower: dict[str, Any], amount_fen: int) -> None:
        rng = self.rng
        if borrower["kind"] is BorrowerKind.COMPANY and rng.random() < 0.5:
            kind, number = BorrowerKind.COMPANY, words.credit_code(rng, "320506")
            if rng.random() < 0.4:
                province = rng.choice(("江苏省", "浙江省"))
                name = province + rng.choice(words.GUARANTEE_COMPANIES)
                relation = "专业担保公司"
            else:
                name = words.company_name(rng, rng.choice(list(Industry)))
                relation = rng.choice(words.RELATIONS_COMPANY)
        else:
            kind = BorrowerKind.PERSON
            if borrower["kind"] is BorrowerKind.COMPANY and rng.random() < 0.7:
                name = borrower["legal_representative"]
                relation = rng.choice(words.RELATIONS_PERSON)
            else:
                name = words.person_name(rng)
                relation = "配偶" if borrower["kind"] is BorrowerKind.PERSON else "实际控制人配偶"
            born = date(rng.randint(1960, 1990), rng.randint(1, 12), rng.randint(1, 28))
            number = words.id_card_number(rng, "320506", born)
        self.rows.add(
            Guarantor, borrower_id=borrower["id"], name=name, kind=kind, id_number=number,
            relation=relation, guaranteed_amount_fen=amount_fen,
        )  # fmt: skip

    def visit_row(
        self,
        borrower: dict[str, Any],
        officer: str,
        kind: VisitKind,
        on: date,
        checklist: Checklist,
        status: VisitStatus,
        *,
        finished: bool,
        **content: Any,
    ) -> dict[str, Any]:
        """A visit row; `finished` gives it an end time (the officer has left the site)."""
        start = china_time(on, self.rng.choice((9, 10, 14, 15)), self.rng.choice((0, 15, 30, 45)))
        row = {
            "borrower_id": borrower["id"], "officer_id": self.users.ids[officer], "kind": kind,
            "status": status, "template_code": checklist.base.code,
            "template_version": checklist.base.version,
            "template_refs": checklist.template_refs(), "revision": 1,
            "previous_revision_id": None, "visit_date": on, "place": borrower["address"],
            "people_met": "", "started_at": start,
            "ended_at": start + timedelta(minutes=self.rng.randint(80, 200)) if finished else None,
            "general_note": "", "recommended_classification": None,
            "final_classification": None, "override_reason": "", "measures": "",
            "next_due_on": None,
        }  # fmt: skip
        row.update(content)
        return self.rows.add_row(Visit, created=start, **row)
