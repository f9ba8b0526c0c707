"""A demo portfolio: believable borrowers, loans, collateral, visits and warning signals.

Two sizes. The default is a hand-shaped portfolio of about fifty borrowers that shows every
screen something worth looking at: first inspections pending and overdue, visits in every
state (filled in with the real checklist templates), signals at each step of their life
cycle, borrowers downgraded to 关注, 次级 and 可疑. `scale=N` is a plain volume test: N
borrowers and 5·N visits, generated in bulk in well under a minute.

Both write rows with core bulk INSERTs inside one write transaction and end with
refresh_schedule, so the due list is ready when the app opens. Everything random comes from
random.Random(seed), so a seed always gives the same portfolio (names, amounts, dates).
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from inspector_app.domain.checklist import (
    Checklist,
    Item,
    Template,
    format_answer,
    select_checklist,
)
from inspector_app.domain.classification import (
    SignalFact,
    collateral_drop_signal,
    recommend_classification,
)
from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    CollateralKind,
    CollateralStatus,
    Industry,
    LoanType,
    Role,
    Severity,
    SignalCategory,
    SignalSource,
    SignalStatus,
    VisitKind,
    VisitStatus,
)
from inspector_app.domain.policy import Policy, load_policy
from inspector_app.domain.schedule import next_due_date
from inspector_app.paths import database_path
from inspector_app.store import auth
from inspector_app.store import demo_data as words
from inspector_app.store.local import LocalStore
from inspector_app.store.models import (
    AppState,
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
from inspector_app.store.schedule_cache import refresh_schedule
from inspector_app.store.types import new_id, utcnow
from inspector_app.store.visit_checks import shipped_templates

Progress = Callable[[str, float], None]

DEMO_PASSWORD = "demo1234"
# Shared by the generated officers of a --scale portfolio: hashed once, not once per user.
SCALE_PASSWORD = "scale1234"
CHINA = timezone(timedelta(hours=8))
_BATCH = 10_000

# (username, role, display name, branch index, supervisor's username)
_DEMO_USERS: tuple[tuple[str, Role, str, int | None, str | None], ...] = (
    ("admin", Role.ADMIN, "赵敏", None, None),
    ("supervisor", Role.SUPERVISOR, "李国强", 0, None),
    ("officer", Role.OFFICER, "王芳", 0, "supervisor"),
    ("officer2", Role.OFFICER, "陈磊", 0, "supervisor"),
    ("supervisor2", Role.SUPERVISOR, "孙丽华", 1, None),
    ("officer3", Role.OFFICER, "刘洋", 1, "supervisor2"),
)
_BRANCHES = (("0101", "城东支行"), ("0102", "城西支行"))
# Default portfolio: how many borrowers each demo officer looks after.
_PORTFOLIO_SHARE = {"officer": 20, "officer2": 16, "officer3": 12}


@dataclass(frozen=True)
class DemoResult:
    """What build_demo wrote: the users to log in with and how much of everything."""

    users: list[tuple[str, str, Role, str]]  # (username, password, role, display name)
    borrowers: int
    loans: int
    visits: int
    signals: int
    seconds: float
    scale: int | None = None
    # --scale only: generated officers, all with scale_password.
    scale_officers: list[str] = field(default_factory=list)
    scale_password: str | None = None


def build_demo(
    data_dir: Path,
    *,
    scale: int | None = None,
    seed: int = 2026,
    today: date | None = None,
    progress: Progress | None = None,
    replace: bool = False,
) -> DemoResult:
    """Fill data_dir with a demo portfolio (default) or N generated borrowers (scale=N).

    Refuses with ValueError when the database already holds borrowers or a demo username,
    unless replace=True, which deletes the database files first.
    """
    if scale is not None and scale < 1:
        raise ValueError(f"scale must be a positive number of borrowers, got {scale}")
    started = time.perf_counter()
    report = progress or (lambda _message, _fraction: None)
    today = today or date.today()
    rng = random.Random(seed)
    store = _open_empty(Path(data_dir), replace)
    try:
        report("准备用户 / creating users", 0.02)
        rows = _Rows(datetime.combine(today, datetime.min.time(), CHINA).astimezone(UTC))
        users = _users(rows, scale)
        policy = load_policy()
        templates = {t.code: t for t in shipped_templates()}
        if scale is None:
            report("生成演示客户 / generating the demo portfolio", 0.1)
            portfolio = _Portfolio(rng, today, policy, templates, rows, users)
            portfolio.build()
            events = portfolio.events
            statuses = portfolio.statuses
        else:
            report("生成借款人 / generating borrowers", 0.05)
            _ScaleBuilder(scale, rng, today, policy, templates, rows, users).build(report)
            events, statuses = [], []
        with store.write() as session:
            _insert(session, rows, report)
            _set_statuses(session, statuses)
            report("写入审计记录 / writing the audit trail", 0.85)
            _write_audit(session, events, users, rows, seed, scale)
            report("计算检查计划 / computing the inspection schedule", 0.9)
            refresh_schedule(session, policy)
            demo_state = {"seed": seed, "scale": scale, "today": today.isoformat()}
            session.merge(AppState(key="demo", value=json.dumps(demo_state)))
    finally:
        store.close()
    report("完成 / done", 1.0)
    named = [(u, users.passwords[u], role, name) for u, role, name, _b, _s in _DEMO_USERS]
    return DemoResult(
        users=named,
        borrowers=len(rows.of(Borrower)),
        loans=len(rows.of(Loan)),
        visits=len(rows.of(Visit)),
        signals=len(rows.of(RiskSignal)),
        seconds=time.perf_counter() - started,
        scale=scale,
        scale_officers=users.generated,
        scale_password=SCALE_PASSWORD if users.generated else None,
    )


def print_demo_summary(result: DemoResult) -> str:
    """The users and passwords, and what was generated, as a block for the terminal."""
    width = max(len(u) for u, *_ in result.users)
    lines = [
        "演示数据已生成 / Demo data created",
        f"  借款人 borrowers: {result.borrowers:,}   贷款 loans: {result.loans:,}   "
        f"检查 visits: {result.visits:,}   预警信号 signals: {result.signals:,}",
        f"  用时 took: {result.seconds:.1f} s",
        "",
        "登录账号 / Log in with:",
    ]
    for username, password, role, name in result.users:
        lines.append(
            f"  {username:<{width}}  密码 password: {password}   {role.zh} {role.en} · {name}"
        )
    if result.scale_officers:
        first, last = result.scale_officers[0], result.scale_officers[-1]
        lines.append(
            f"  {first} … {last} ({len(result.scale_officers)} 名客户经理 officers)"
            f"  密码 password: {result.scale_password}"
        )
    return "\n".join(lines)


# --- the database ------------------------------------------------------------------------


def _open_empty(data_dir: Path, replace: bool) -> LocalStore:
    db = database_path(data_dir)
    if replace:
        # The SQLite file and its WAL side files; photos and backups are left alone.
        for suffix in ("", "-wal", "-shm", "-journal"):
            db.with_name(db.name + suffix).unlink(missing_ok=True)
    store = LocalStore.open(data_dir)
    with store.read() as s:
        borrowers = s.scalar(select(func.count()).select_from(Borrower)) or 0
        taken = list(
            s.scalars(select(User.username).where(User.username.in_([u[0] for u in _DEMO_USERS])))
        )
    if borrowers or taken:
        store.close()
        if borrowers:
            zh, en = f"{borrowers} 个借款人", f"{borrowers} borrowers"
        else:
            zh, en = f"用户 {', '.join(taken)}", f"users {', '.join(taken)}"
        raise ValueError(
            f"数据目录已有数据（{zh}），未写入演示数据。如需覆盖，请使用 replace=True（命令行"
            f" --replace，将删除现有数据库）。 / {db} already holds data ({en}); the demo was "
            "not written. Pass replace=True (--replace) to delete the database and build it."
        )
    return store


class _Rows:
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
        return self.add_row(model, created=created, **values)["id"]

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


def _insert(session: Session, rows: _Rows, report: Progress) -> None:
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
            for start in range(0, len(group), _BATCH):
                session.execute(insert(table), group[start : start + _BATCH])
                done += len(group[start : start + _BATCH])
                report(f"写入 / writing {table.name}", 0.15 + 0.7 * done / total)


def _set_statuses(session: Session, statuses: list[dict[str, Any]]) -> None:
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
class _Event:
    at: datetime
    user_id: str | None
    action: str
    entity: str
    entity_id: str
    detail: dict[str, Any]


def _write_audit(
    session: Session,
    events: list[_Event],
    users: _Users,
    rows: _Rows,
    seed: int,
    scale: int | None,
) -> None:
    """One audit entry per user and per visit status reached, in the order things happened,
    then one for the demo itself."""
    start = min((e.at for e in events), default=rows.now) - timedelta(days=1)
    for username, user_id in users.ids.items():
        if username in users.named:
            events.append(
                _Event(start, None, "user.create", "user", user_id, {"username": username})
            )
    events.sort(key=lambda e: e.at)
    # After the story's last event even when `today` lies ahead of the clock.
    built = max([utcnow(), *(e.at for e in events[-1:])])
    events.append(
        _Event(
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
class _Users:
    ids: dict[str, str] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)
    branch_of: dict[str, str] = field(default_factory=dict)
    supervisor_of: dict[str, str] = field(default_factory=dict)
    named: set[str] = field(default_factory=set)
    generated: list[str] = field(default_factory=list)

    def officers(self) -> list[str]:
        return [u for u in self.ids if u.startswith("officer")]


def _users(rows: _Rows, scale: int | None) -> _Users:
    users = _Users()
    branch_ids = [rows.add(Branch, code=code, name=name) for code, name in _BRANCHES]
    for username, role, display, branch, boss in _DEMO_USERS:
        user_id = rows.add(
            User, username=username, display_name=display, role=role,
            branch_id=None if branch is None else branch_ids[branch],
            supervisor_id=None if boss is None else users.ids[boss],
            password_hash=_password_hash(username, DEMO_PASSWORD), active=True,
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
        shared_hash = _password_hash("officer*", SCALE_PASSWORD)
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
def _password_hash(username: str, password: str) -> str:
    """Each demo user's hash, made once per process: Argon2 is deliberately slow (about 0.4 s
    a hash on a 2-core laptop), and tests and benchmarks build the demo more than once."""
    return auth.hash_password(password)


# --- shared pieces -----------------------------------------------------------------------


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """A Beijing wall-clock time on `day`, as the aware UTC datetime the database stores."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHINA).astimezone(UTC)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _yuan(rng: random.Random, low: int, high: int, step: int) -> int:
    """An amount in fen, a multiple of `step` yuan between low and high yuan."""
    return rng.randint(low // step, high // step) * step * 100


_LOAN_RANGES = {
    LoanType.WORKING_CAPITAL: (3_000_000, 30_000_000, 100_000),
    LoanType.FIXED_ASSET: (10_000_000, 150_000_000, 1_000_000),
    LoanType.PERSONAL_BUSINESS: (300_000, 3_000_000, 50_000),
}
_TERM_YEARS = {
    LoanType.WORKING_CAPITAL: (1, 3),
    LoanType.FIXED_ASSET: (3, 8),
    LoanType.PERSONAL_BUSINESS: (1, 3),
}


def _loan_types(rng: random.Random, industry: Industry, kind: BorrowerKind) -> list[LoanType]:
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


class _Common:
    """Borrower, loan, collateral and guarantor rows, shared by both portfolio sizes."""

    def __init__(
        self,
        rng: random.Random,
        today: date,
        policy: Policy,
        templates: Mapping[str, Template],
        rows: _Rows,
        users: _Users,
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
        row = {
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
        low, high, step = _LOAN_RANGES[loan_type]
        shortest, longest = _TERM_YEARS[loan_type]
        # Long enough to be outstanding today: a demo loan that has matured would be odd.
        needed = max(shortest, (self.today - disbursed).days // 365 + 1)
        years = rng.randint(needed, max(needed, longest))
        row = {
            "borrower_id": borrower_id,
            "contract_no": f"{disbursed.year}{words.CONTRACT_ABBREV[loan_type]}字第"
            f"{self._contracts:06d}号",
            "loan_type": loan_type,
            "amount_fen": _yuan(rng, low, high, step),
            "disbursed_on": disbursed,
            "matures_on": _add_years(disbursed, years),
            "classification": classification,
            "purpose": rng.choice(words.LOAN_PURPOSES[loan_type.value]),
        }
        return self.rows.add_row(Loan, created=_at(disbursed, 10), **row)

    def collateral(
        self, borrower: dict[str, Any], kind: CollateralKind, loan: dict[str, Any]
    ) -> dict[str, Any]:
        rng = self.rng
        text, (n_low, n_high), (low, high) = rng.choice(words.COLLATERAL[kind])
        appraised = _yuan(rng, low, high, 10_000)
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
        start = _at(on, self.rng.choice((9, 10, 14, 15)), self.rng.choice((0, 15, 30, 45)))
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


# --- the default portfolio -----------------------------------------------------------------

_COMPANY_INDUSTRIES = (
    [Industry.MANUFACTURING] * 9 + [Industry.WHOLESALE_TRADE] * 7 + [Industry.REAL_ESTATE] * 4
    + [Industry.INFRASTRUCTURE] * 4 + [Industry.AGRICULTURE] * 4 + [Industry.SERVICES] * 5
    + [Industry.OTHER] * 3
)  # fmt: skip
_PERSON_INDUSTRIES = (
    [Industry.WHOLESALE_TRADE] * 4 + [Industry.SERVICES] * 4 + [Industry.AGRICULTURE] * 2
    + [Industry.MANUFACTURING, Industry.OTHER]
)  # fmt: skip

# How the borrowers with a visit history end up; the rest are new loans (first inspection).
# (target classification, how many days from today the next routine inspection falls due)
_NORMAL_DUE_OFFSETS = (-25, -12, -6, -2, 0, 1, 3, 5, 6, 9, 14, 21, 28, 35, 42, 49, 56, 63, 70, 77)
_WATCH = (
    (Classification.SPECIAL_MENTION, -4),
    (Classification.SPECIAL_MENTION, 2),
    (Classification.SPECIAL_MENTION, 12),
    (Classification.SPECIAL_MENTION, 20),
    (Classification.SPECIAL_MENTION, 26),
    (Classification.SUBSTANDARD, -8),
    (Classification.SUBSTANDARD, 15),
    (Classification.DOUBTFUL, 4),
    (Classification.DOUBTFUL, 18),
)
# Latest visits that stopped short of approval: (status, days ago), on normal borrowers.
_UNFINISHED = (
    (VisitStatus.COMPLETED, 1),
    (VisitStatus.COMPLETED, 3),
    (VisitStatus.SIGNED, 2),
    (VisitStatus.SUBMITTED, 4),
    (VisitStatus.SUBMITTED, 6),
    (VisitStatus.RETURNED, 9),
)
# The path each visit status takes from draft (every step gets an audit entry).
_PATH = {
    VisitStatus.DRAFT: [],
    VisitStatus.COMPLETED: [VisitStatus.COMPLETED],
    VisitStatus.SIGNED: [VisitStatus.COMPLETED, VisitStatus.SIGNED],
    VisitStatus.SUBMITTED: [VisitStatus.COMPLETED, VisitStatus.SIGNED, VisitStatus.SUBMITTED],
    VisitStatus.APPROVED: [
        VisitStatus.COMPLETED, VisitStatus.SIGNED, VisitStatus.SUBMITTED, VisitStatus.APPROVED,
    ],
    VisitStatus.RETURNED: [
        VisitStatus.COMPLETED, VisitStatus.SIGNED, VisitStatus.SUBMITTED, VisitStatus.RETURNED,
    ],
}  # fmt: skip


@dataclass
class _Case:
    """One borrower of the default portfolio and what happened to it."""

    borrower: dict[str, Any]
    officer: str
    loans: list[dict[str, Any]] = field(default_factory=list)
    collateral: list[dict[str, Any]] = field(default_factory=list)
    guarantors: int = 0
    classification: Classification = Classification.NORMAL
    # The first company of each industry offers both its usual kinds of collateral, so every
    # kind appears whatever the seed.
    both_collateral: bool = False

    @property
    def loan_types(self) -> set[LoanType]:
        return {loan["loan_type"] for loan in self.loans}


class _Portfolio(_Common):
    """The default demo: ~50 borrowers, each with a story the screens can show."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.events: list[_Event] = []
        self.statuses: list[dict[str, Any]] = []
        self._signal_rows: dict[str, dict[str, Any]] = {}

    def build(self) -> None:
        rng = self.rng
        cases = self._borrowers()
        order = list(range(len(cases)))
        rng.shuffle(order)
        shuffled = [cases[i] for i in order]
        # New loans awaiting their first inspection: due soon, overdue, and one being visited.
        for case, ago in zip(shuffled[:8], (3, 5, 8, 10, 12, 22, 28, 6), strict=True):
            self._new_loans(case, self.today - timedelta(days=ago))
        self._first_visit_in_progress(shuffled[7])
        history = shuffled[8:]
        watch, normal = history[: len(_WATCH)], history[len(_WATCH) :]
        for case, (target, offset) in zip(watch, _WATCH, strict=True):
            self._watch_history(case, target, offset)
        offsets = list(_NORMAL_DUE_OFFSETS)
        rng.shuffle(offsets)
        for n, case in enumerate(normal):
            unfinished = _UNFINISHED[n] if n < len(_UNFINISHED) else None
            self._normal_history(case, offsets[n % len(offsets)], unfinished)
        # Signals that arrived between visits, from the officer's own sources.
        self._officer_signal(watch[1], 0, days_ago=3)  # red, SM borrower: due this week
        self._officer_signal(normal[-1], 1, days_ago=20)  # orange: overdue special inspection
        self._officer_signal(normal[-2], 2, days_ago=1)  # yellow
        # An officer out on a routine visit right now: today's draft.
        self._draft_routine(normal[-3])

    # -- borrowers, loans, collateral -------------------------------------------------------

    def _borrowers(self) -> list[_Case]:
        rng = self.rng
        brands = list(words.BRANDS)
        rng.shuffle(brands)
        officers = [u for u, n in _PORTFOLIO_SHARE.items() for _ in range(n)]
        rng.shuffle(officers)
        cases: list[_Case] = []
        seen_industry: set[Industry] = set()
        kinds = [(BorrowerKind.COMPANY, i) for i in _COMPANY_INDUSTRIES] + [
            (BorrowerKind.PERSON, i) for i in _PERSON_INDUSTRIES
        ]
        for seq, (kind, industry) in enumerate(kinds, start=1):
            if kind is BorrowerKind.COMPANY:
                name = words.company_name(rng, industry, brands[seq - 1])
            else:
                name = words.person_name(rng)
            officer = officers[seq - 1]
            case = _Case(self.borrower(seq, name, kind, industry, officer), officer)
            case.both_collateral = kind is BorrowerKind.COMPANY and industry not in seen_industry
            seen_industry.add(industry)
            cases.append(case)
        return cases

    def _lend(self, case: _Case, first_disbursed: date, last_disbursed: date) -> None:
        b = case.borrower
        types = _loan_types(self.rng, b["industry"], b["kind"])
        span = max(0, (last_disbursed - first_disbursed).days)
        for n, loan_type in enumerate(types):
            on = first_disbursed if n == 0 else first_disbursed + timedelta(
                days=self.rng.randint(0, span)
            )
            case.loans.append(self.loan(b["id"], loan_type, on, case.classification))
        self._secure(case)

    def _secure(self, case: _Case) -> None:
        rng, b = self.rng, case.borrower
        if b["kind"] is BorrowerKind.PERSON:
            kinds = [rng.choice((CollateralKind.PROPERTY, CollateralKind.DEPOSIT_PLEDGE))]
        else:
            usual = words.INDUSTRY_COLLATERAL[b["industry"]]
            kinds = list(usual) if case.both_collateral or rng.random() < 0.4 else [usual[0]]
        for kind in kinds:
            case.collateral.append(self.collateral(b, kind, case.loans[0]))
        if rng.random() < 0.7:
            total = sum(loan["amount_fen"] for loan in case.loans)
            for _ in range(rng.choice((1, 1, 2))):
                self.guarantor(b, total)
                case.guarantors += 1

    def _new_loans(self, case: _Case, disbursed: date) -> None:
        self._lend(case, disbursed, disbursed)

    # -- visit histories ----------------------------------------------------------------------

    def _normal_history(
        self, case: _Case, due_offset: int, unfinished: tuple[VisitStatus, int] | None
    ) -> None:
        interval = self.policy.routine_interval_days[Classification.NORMAL]
        if unfinished is not None:
            last = self.today - timedelta(days=unfinished[1])
        else:
            last = self.today + timedelta(days=due_offset - interval)
        dates = self._dates_back(last, interval, self.rng.randint(2, 4))
        self._lend(case, dates[0] - timedelta(days=self.rng.randint(4, 10)), dates[-1])
        # One normal borrower in three had a yellow signal once, cleared at the next visit.
        cleared_at = self.rng.randrange(len(dates) - 1) if self.rng.random() < 0.35 else None
        for n, on in enumerate(dates):
            status = VisitStatus.APPROVED
            if unfinished is not None and n == len(dates) - 1:
                status = unfinished[0]
            kind = VisitKind.FIRST if n == 0 else VisitKind.ROUTINE
            raise_yellow = [Severity.YELLOW] if n == cleared_at else []
            visit = self._visit(case, kind, on, status, raise_yellow)
            if n == cleared_at:
                self._close_signals(visit, dates[n + 1])

    def _watch_history(self, case: _Case, target: Classification, due_offset: int) -> None:
        """Normal at first; signals at one visit, a special follow-up visit a week later."""
        rng, policy = self.rng, self.policy
        last = self.today + timedelta(days=due_offset - policy.routine_interval_days[target])
        turned = last - timedelta(days=rng.randint(5, 7))
        normal = policy.routine_interval_days[Classification.NORMAL]
        dates = self._dates_back(turned, normal, rng.randint(2, 3))
        self._lend(case, dates[0] - timedelta(days=rng.randint(4, 10)), dates[-1])
        for n, on in enumerate(dates[:-1]):
            self._visit(case, VisitKind.FIRST if n == 0 else VisitKind.ROUTINE, on,
                        VisitStatus.APPROVED, [])  # fmt: skip
        severities = {
            Classification.SPECIAL_MENTION: [Severity.RED],
            Classification.SUBSTANDARD: [Severity.RED, Severity.RED],
            Classification.DOUBTFUL: [Severity.RED, Severity.RED],
        }[target]
        turning = self._visit(
            case, VisitKind.ROUTINE, turned, VisitStatus.APPROVED, severities,
            target=target, value_drop=target is Classification.DOUBTFUL,
        )  # fmt: skip
        case.classification = target
        for loan in case.loans:
            loan["classification"] = target
        self._visit(case, VisitKind.SPECIAL, last, VisitStatus.APPROVED, [])
        self._follow_signals(turning, last)

    def _dates_back(self, last: date, interval: int, count: int) -> list[date]:
        """`count` visit dates ending at `last`, each a little inside the interval before."""
        dates = [last]
        for _ in range(count - 1):
            dates.append(dates[-1] - timedelta(days=interval - self.rng.randint(0, 10)))
        return dates[::-1]

    def _first_visit_in_progress(self, case: _Case) -> None:
        self._visit(case, VisitKind.FIRST, self.today, VisitStatus.DRAFT, [])

    def _draft_routine(self, case: _Case) -> None:
        self._visit(case, VisitKind.ROUTINE, self.today, VisitStatus.DRAFT, [])

    # -- one visit --------------------------------------------------------------------------

    def _visit(
        self,
        case: _Case,
        kind: VisitKind,
        on: date,
        status: VisitStatus,
        severities: list[Severity],
        *,
        target: Classification | None = None,
        value_drop: bool = False,
    ) -> _VisitRecord:
        rng, b = self.rng, case.borrower
        checklist = self.checklist(kind, case.loan_types, b["industry"])
        items = list(checklist.items())
        abnormal = self._pick_abnormal(items, severities)
        draft = status is VisitStatus.DRAFT
        if draft:
            items = items[: len(items) * 2 // 5]  # half-way through the checklist
        finance = f"{words.person_name(rng)}（{rng.choice(words.FINANCE_TITLES)}）"
        role = "法定代表人" if b["kind"] is BorrowerKind.COMPANY else "经营者"
        rep = f"{b['legal_representative']}（{role}）"
        facts: list[SignalFact] = []
        record = _VisitRecord(case=case, date=on, officer=case.officer)
        answers: list[dict[str, Any]] = []
        for item in items:
            is_abnormal = item.code in abnormal
            if is_abnormal:
                value = words.abnormal_answer(rng, item)
            else:
                value = words.normal_answer(
                    rng, item, visit_date=on, loan=case.loans[0],
                    has_guarantors=case.guarantors > 0, rep=rep, finance=finance,
                )  # fmt: skip
            note = words.ABNORMAL_NOTES[item.signal.category.value] if (
                is_abnormal and item.signal
            ) else ""
            answers.append({"item_code": item.code, "value": format_answer(item, value),
                            "note": note})  # fmt: skip
            if is_abnormal and item.signal is not None:
                facts.append(
                    SignalFact(item.signal.category, item.signal.severity, SignalSource.CHECKLIST,
                               item.signal.title.zh, item.signal.title.en)
                )  # fmt: skip
                record.signals.append((item.code, item.signal.title.zh, note, facts[-1]))
        observations = [] if draft else self._observe(case, value_drop, record)
        if value_drop and record.drop_fact is not None:
            facts.append(record.drop_fact)

        current = case.classification
        recommended = None if draft else recommend_classification(facts, current, self.policy)
        final = None
        override = ""
        if recommended is not None:
            final = recommended.classification
            if target is not None and target.rank > final.rank:
                final = target
                override = (
                    "借款人已连续两期欠息，主要抵押物价值大幅下降，依靠正常经营收入和担保均难以"
                    f"足额偿还，预计将发生一定损失，建议认定为{target.zh}。"
                )
        watch = final is not None and final is not Classification.NORMAL
        visit = self.visit_row(
            b, case.officer, kind, on, checklist, VisitStatus.DRAFT, finished=not draft,
            people_met=f"{rep}、{finance}",
            general_note="" if draft else rng.choice(
                words.WATCH_NOTES if facts else words.GENERAL_NOTES
            ),
            recommended_classification=recommended and recommended.classification,
            final_classification=final, override_reason=override,
            measures="" if draft else rng.choice(
                words.MEASURES_WATCH if watch else words.MEASURES_NORMAL
            ),
            next_due_on=None if final is None else self._next_due(case, on, final, facts),
        )  # fmt: skip
        visit_id = record.visit_id = visit["id"]
        for answer in answers:
            self.rows.add(ChecklistAnswer, visit_id=visit_id, **answer)
        for obs in observations:
            self.rows.add(CollateralObservation, visit_id=visit_id, **obs)
        self._raise_signals(record)
        self._life_cycle(record, visit, status)
        return record

    def _next_due(
        self, case: _Case, on: date, final: Classification, facts: list[SignalFact]
    ) -> date:
        """The next inspection date the officer proposes: what the schedule rules give."""
        return next_due_date(
            last_visit_on=on, classification=final,
            loans=[(loan["loan_type"], loan["disbursed_on"]) for loan in case.loans],
            first_inspection_done=True, open_signals=[(f.severity, on) for f in facts],
            policy=self.policy,
        ).due_on  # fmt: skip

    def _pick_abnormal(self, items: list[Item], severities: list[Severity]) -> set[str]:
        """Items to answer abnormally, one per wanted signal severity. Items that demand a
        photo are avoided: the demo has no photo files, and the visit must stay complete."""
        chosen: set[str] = set()
        for severity in severities:
            pool = [
                i.code for i in items
                if i.signal is not None and i.signal.severity is severity
                and not i.when_abnormal.photo and i.code not in chosen
            ]  # fmt: skip
            if pool:
                chosen.add(self.rng.choice(pool))
        return chosen

    def _observe(
        self, case: _Case, value_drop: bool, record: _VisitRecord
    ) -> list[dict[str, Any]]:
        rng = self.rng
        observations = []
        for n, item in enumerate(case.collateral):
            appraised = item["appraised_value_fen"]
            if value_drop and n == 0:
                estimate = appraised * rng.randint(55, 70) // 100
                fact = collateral_drop_signal(
                    Decimal(appraised), Decimal(estimate), self.policy
                )
                record.drop_fact = fact
                record.drop_item = item["id"]
                note = "周边同类资产近期成交价明显下跌，估值较评估值下降较多。"
            else:
                estimate = appraised * rng.randint(92, 110) // 100
                note = ""
            insurable = item["kind"] in (CollateralKind.PROPERTY, CollateralKind.EQUIPMENT)
            observations.append({
                "collateral_item_id": item["id"], "status": CollateralStatus.PRESENT,
                "condition": "完好，正常使用" if insurable else "与登记一致",
                "location_checked": True, "estimated_value_fen": estimate // 100 * 100,
                "insurance_valid": True if insurable else None, "certificate_held": True,
                "note": note,
            })  # fmt: skip
        return observations

    # -- signals ------------------------------------------------------------------------------

    def _raise_signals(self, record: _VisitRecord) -> None:
        b = record.case.borrower
        for code, title, note, fact in record.signals:
            record.signal_ids.append(
                self._signal(b["id"], record.visit_id, fact, SignalSource.CHECKLIST, code, title,
                             note, record.date, record.officer)
            )  # fmt: skip
        if record.drop_fact is not None and record.drop_item is not None:
            f = record.drop_fact
            record.signal_ids.append(
                self._signal(b["id"], record.visit_id, f, SignalSource.COLLATERAL,
                             record.drop_item, f.title, "", record.date, record.officer)
            )  # fmt: skip

    def _signal(
        self,
        borrower_id: str,
        visit_id: str | None,
        fact: SignalFact,
        source: SignalSource,
        ref: str,
        title: str,
        description: str,
        on: date,
        officer: str,
    ) -> str:
        row = self.rows.add_row(
            RiskSignal, created=_at(on, 16), borrower_id=borrower_id, visit_id=visit_id,
            category=fact.category, severity=fact.severity, source=source, source_ref=ref,
            title=title, description=description, status=SignalStatus.RAISED, raised_on=on,
        )  # fmt: skip
        signal_id = row["id"]
        self._signal_rows[signal_id] = row
        self._step(signal_id, SignalStatus.RAISED, officer, _at(on, 16))
        return signal_id

    def _step(self, signal_id: str, step: SignalStatus, username: str, at: datetime) -> None:
        self.rows.add(
            RiskSignalStep, created=at, signal_id=signal_id, step=step,
            user_id=self.users.ids[username], at=at, reason=words.SIGNAL_STEP_REASONS[step.value],
        )  # fmt: skip
        row = self._signal_rows[signal_id]
        if step is not SignalStatus.RAISED:
            row["version"] += 1
        row["status"], row["updated_at"] = step, at

    def _follow_signals(self, record: _VisitRecord, next_visit: date) -> None:
        """Handled a few days after being raised; monitored from the follow-up visit on."""
        handled = record.date + timedelta(days=self.rng.randint(1, 3))
        for signal_id in record.signal_ids:
            self._step(signal_id, SignalStatus.HANDLED, record.officer, _at(handled, 11))
            if self.rng.random() < 0.7:
                self._step(signal_id, SignalStatus.MONITORED, record.officer, _at(next_visit, 17))

    def _close_signals(self, record: _VisitRecord, next_visit: date) -> None:
        """The whole life cycle: raised → handled → monitored → cleared by the supervisor."""
        self._follow_signals(record, next_visit)
        boss = self.users.supervisor_of[record.officer]
        for signal_id in record.signal_ids:
            if self._signal_rows[signal_id]["status"] is not SignalStatus.MONITORED:
                self._step(signal_id, SignalStatus.MONITORED, record.officer, _at(next_visit, 17))
            self._step(signal_id, SignalStatus.CLEARED, boss, _at(next_visit + timedelta(1), 10))

    def _officer_signal(self, case: _Case, which: int, *, days_ago: int) -> None:
        category, severity, title, description = words.OFFICER_SIGNALS[which]
        on = self.today - timedelta(days=days_ago)
        fact = SignalFact(SignalCategory(category), Severity(severity), SignalSource.OFFICER, title)
        signal_id = self._signal(case.borrower["id"], None, fact, SignalSource.OFFICER, "",
                                 title, description, on, case.officer)  # fmt: skip
        if days_ago > 7:
            self._step(signal_id, SignalStatus.HANDLED, case.officer, _at(on + timedelta(2), 11))

    # -- status and audit ---------------------------------------------------------------------

    def _life_cycle(
        self, record: _VisitRecord, visit: dict[str, Any], status: VisitStatus
    ) -> None:
        """Audit entries for each status the visit reached, at plausible times, and the final
        status to set once the visit's answers are written."""
        rng, officer = self.rng, record.officer
        officer_id = self.users.ids[officer]
        boss_id = self.users.ids[self.users.supervisor_of[officer]]
        on, visit_id = record.date, record.visit_id
        self.events.append(_Event(visit["started_at"], officer_id, "visit.start", "visit",
                                  visit_id, {"templates": visit["template_refs"]}))  # fmt: skip
        if status is VisitStatus.DRAFT:
            return
        # Completed and signed on site; submitted when back at the branch (next day at the
        # latest); reviewed by the supervisor a few days later — never after today.
        signed = visit["ended_at"] + timedelta(minutes=rng.randint(2, 30))
        submitted = max(signed, _at(min(on + timedelta(days=1), self.today), 18))
        reviewed = max(
            submitted + timedelta(hours=1),
            _at(min(on + timedelta(days=rng.randint(2, 6)), self.today), 17),
        )
        when = {
            VisitStatus.COMPLETED: visit["ended_at"], VisitStatus.SIGNED: signed,
            VisitStatus.SUBMITTED: submitted, VisitStatus.APPROVED: reviewed,
            VisitStatus.RETURNED: reviewed,
        }  # fmt: skip
        source = VisitStatus.DRAFT
        for target in _PATH[status]:
            by = boss_id if target in (VisitStatus.APPROVED, VisitStatus.RETURNED) else officer_id
            reason = rng.choice(words.RETURN_REASONS) if target is VisitStatus.RETURNED else ""
            detail = {"source": source, "target": target, "reason": reason}
            self.events.append(
                _Event(when[target], by, "visit.transition", "visit", visit_id, detail)
            )
            source = target
        self.statuses.append(
            {"b_id": visit_id, "b_status": status, "b_version": 1 + len(_PATH[status]),
             "b_updated": when[status]}
        )  # fmt: skip


@dataclass
class _VisitRecord:
    case: _Case
    date: date
    officer: str
    visit_id: str = ""
    # (item code, title, note, fact) of each checklist signal the visit raised
    signals: list[tuple[str, str, str, SignalFact]] = field(default_factory=list)
    drop_fact: SignalFact | None = None
    drop_item: str | None = None
    signal_ids: list[str] = field(default_factory=list)


# --- the --scale portfolio -----------------------------------------------------------------

_SCALE_CLASSES = (
    (Classification.NORMAL, 0.85),
    (Classification.SPECIAL_MENTION, 0.10),
    (Classification.SUBSTANDARD, 0.03),
    (Classification.DOUBTFUL, 0.015),
    (Classification.LOSS, 0.005),
)
_SCALE_LAST_STATUS = (
    (VisitStatus.APPROVED, 0.80),
    (VisitStatus.SUBMITTED, 0.08),
    (VisitStatus.SIGNED, 0.05),
    (VisitStatus.COMPLETED, 0.04),
    (VisitStatus.DRAFT, 0.03),
)
_VISITS_PER_BORROWER = 5


class _ScaleBuilder(_Common):
    """N borrowers, 5·N visits: enough volume to measure the due list, no answers."""

    def __init__(self, n: int, *common: Any) -> None:
        super().__init__(*common)
        self.n = n

    def build(self, report: Progress) -> None:
        rng = self.rng
        # The named officers get a share too, so logging in as `officer` shows a full list.
        officers = self.users.officers()
        industries = list(Industry)
        classes, class_weights = zip(*_SCALE_CLASSES, strict=True)
        last_statuses, last_weights = zip(*_SCALE_LAST_STATUS, strict=True)
        names: set[str] = set()
        for seq in range(1, self.n + 1):
            if seq % 2000 == 0:
                report("生成借款人 / generating borrowers", 0.05 + 0.1 * seq / self.n)
            kind = BorrowerKind.PERSON if rng.random() < 0.25 else BorrowerKind.COMPANY
            industry = rng.choice(industries)
            name = self._unique_name(kind, industry, names)
            b = self.borrower(seq, name, kind, industry, officers[(seq - 1) % len(officers)])
            target = rng.choices(classes, class_weights)[0]
            interval = self.policy.routine_interval_days[target]
            # Next routine inspection from 30 days overdue to a full interval away.
            last = self.today + timedelta(days=rng.randint(-30, interval - 1) - interval)
            dates = [last - timedelta(days=interval * k) for k in range(_VISITS_PER_BORROWER)]
            dates.reverse()
            disbursed = dates[0] - timedelta(days=rng.randint(3, 12))
            types = _loan_types(rng, industry, kind)
            loans = [self.loan(b["id"], t, disbursed, target) for t in types]
            usual = words.INDUSTRY_COLLATERAL[industry]
            if kind is BorrowerKind.COMPANY or rng.random() < 0.5:
                self.collateral(b, usual[0], loans[0])
            if rng.random() < 0.5:
                self.guarantor(b, sum(loan["amount_fen"] for loan in loans))
            checklists = {
                k: self.checklist(k, set(types), industry)
                for k in (VisitKind.FIRST, VisitKind.ROUTINE)
            }
            last_status = rng.choices(last_statuses, last_weights)[0]
            for k, on in enumerate(dates):
                kind_k = VisitKind.FIRST if k == 0 else VisitKind.ROUTINE
                status = last_status if k == len(dates) - 1 else VisitStatus.APPROVED
                if status is VisitStatus.DRAFT:
                    on = self.today
                self.visit_row(
                    b, officers[(seq - 1) % len(officers)], kind_k, on, checklists[kind_k],
                    status, finished=status is not VisitStatus.DRAFT,
                    final_classification=None if status is VisitStatus.DRAFT else target,
                )  # fmt: skip
            if target is not Classification.NORMAL or rng.random() < 0.05:
                self._scale_signal(b["id"], officers[(seq - 1) % len(officers)], last)

    def _unique_name(self, kind: BorrowerKind, industry: Industry, names: set[str]) -> str:
        if kind is BorrowerKind.PERSON:
            return words.person_name(self.rng)  # people share names; that is realistic
        name = words.company_name(self.rng, industry, words.scale_brand(self.rng))
        for _attempt in range(20):  # two companies rarely share a registered name
            if name not in names:
                break
            name = words.company_name(self.rng, industry, words.scale_brand(self.rng))
        names.add(name)
        return name

    def _scale_signal(self, borrower_id: str, officer: str, on: date) -> None:
        rng = self.rng
        category, severity, title, description = rng.choice(words.OFFICER_SIGNALS)
        steps = [SignalStatus.RAISED, SignalStatus.HANDLED, SignalStatus.MONITORED,
                 SignalStatus.CLEARED][: rng.randint(1, 4)]  # fmt: skip
        at = _at(on, 16)
        signal_id = self.rows.add(
            RiskSignal, created=at, borrower_id=borrower_id, visit_id=None,
            category=SignalCategory(category), severity=Severity(severity),
            source=SignalSource.OFFICER, source_ref="", title=title, description=description,
            status=steps[-1], raised_on=on,
        )  # fmt: skip
        for n, step in enumerate(steps):
            self.rows.add(
                RiskSignalStep, created=at, signal_id=signal_id, step=step,
                user_id=self.users.ids[officer], at=min(at + timedelta(days=2 * n), self.rows.now),
                reason=words.SIGNAL_STEP_REASONS[step.value],
            )  # fmt: skip
