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
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from inspector_app.demo.portfolio import DefaultPortfolio
from inspector_app.demo.scale import ScalePortfolio
from inspector_app.demo.shared import (
    CHINA,
    DEMO_USERS,
    SCALE_PASSWORD,
    Progress,
    Rows,
    insert_rows,
    make_users,
    open_empty,
    set_statuses,
    write_audit,
)
from inspector_app.demo.signed_reports import DemoSigning, sign_demo_reports
from inspector_app.domain.enums import (
    Role,
)
from inspector_app.domain.policy import load_policy
from inspector_app.store.models import (
    AppState,
    Borrower,
    Loan,
    RiskSignal,
    Visit,
)
from inspector_app.store.review import derive_review_rows
from inspector_app.store.schedule_cache import refresh_schedule
from inspector_app.store.templates_in_force import shipped_templates


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
    # The default portfolio's test CA (its users' certificates, already imported here).
    demo_ca: Path | None = None
    signed_reports: int = 0


def build_demo(
    data_dir: Path,
    *,
    scale: int | None = None,
    seed: int = 2026,
    today: date | None = None,
    progress: Progress | None = None,
    replace: bool = False,
    sign_reports: bool = True,
) -> DemoResult:
    """Fill data_dir with a demo portfolio (default) or N generated borrowers (scale=N).

    The default portfolio's recent signed visits get really signed reports (signed_reports.py,
    about a second each); ``sign_reports=False`` leaves every signed visit without a kept
    file, its report an unsigned copy (for tests that look at other things).

    Refuses with ValueError when the database already holds borrowers or a demo username,
    unless replace=True, which deletes the database files first.
    """
    if scale is not None and scale < 1:
        raise ValueError(f"scale must be a positive number of borrowers, got {scale}")
    started = time.perf_counter()
    report = progress or (lambda _message, _fraction: None)
    today = today or date.today()
    rng = random.Random(seed)
    store = open_empty(Path(data_dir), replace)
    try:
        report("准备用户 / creating users", 0.02)
        rows = Rows(datetime.combine(today, datetime.min.time(), CHINA).astimezone(UTC))
        users = make_users(rows, scale)
        policy = load_policy()
        # The newest shipped version of each code, as a new visit would be started with.
        templates = {t.code: t for t in sorted(shipped_templates(), key=lambda t: t.version)}
        signings: list[DemoSigning] = []
        if scale is None:
            report("生成演示客户 / generating the demo portfolio", 0.1)
            portfolio = DefaultPortfolio(rng, today, policy, templates, rows, users)
            portfolio.build()
            events = portfolio.events
            statuses = portfolio.statuses
            signings = portfolio.signings
        else:
            # A volume test: its signed visits keep no signed file (their reports are copies).
            report("生成借款人 / generating borrowers", 0.05)
            ScalePortfolio(scale, rng, today, policy, templates, rows, users).build(report)
            events, statuses = [], []
        with store.write() as session:
            insert_rows(session, rows, report)
            set_statuses(session, statuses)
            report("写入审计记录 / writing the audit trail", 0.85)
            write_audit(session, events, users, rows, seed, scale)
            derive_review_rows(session)  # the queue's waiting times and decisions
            report("计算检查计划 / computing the inspection schedule", 0.9)
            refresh_schedule(session, policy)
            demo_state = {"seed": seed, "scale": scale, "today": today.isoformat()}
            session.merge(AppState(key="demo", value=json.dumps(demo_state)))
        demo_ca = None
        if scale is None and sign_reports:
            report("签署演示报告 / signing the demo's reports", 0.93)
            demo_ca = sign_demo_reports(store, signings, today).ca_cert_path.parent
    finally:
        store.close()
    report("完成 / done", 1.0)
    named = [(u, users.passwords[u], role, name) for u, role, name, _b, _s in DEMO_USERS]
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
        demo_ca=demo_ca,
        signed_reports=len(signings) if demo_ca is not None else 0,
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
    if result.demo_ca is not None:
        lines += [
            "",
            f"签名证书 / signing certificates: {result.demo_ca}/<用户名 username>.p12，"
            f"密码同上 / same password; 已为各用户导入本机 / imported here for each user",
            f"受信任根证书（测试 CA）/ trusted root (test CA): {result.demo_ca / 'ca.pem'}",
            f"  {result.signed_reports} 份报告已真实签署 / reports really signed; 其余已签署"
            "检查的报告只出副本 / the other signed visits' reports are unsigned copies",
        ]
    if result.scale_officers:
        first, last = result.scale_officers[0], result.scale_officers[-1]
        lines.append(
            f"  {first} … {last} ({len(result.scale_officers)} 名客户经理 officers)"
            f"  密码 password: {result.scale_password}"
        )
    return "\n".join(lines)
