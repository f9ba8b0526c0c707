"""Related parties end to end (#14 item 6), against a real `inspector-hq serve` process on
SQLite and on PostgreSQL, one server per database for the module:

- links imported at headquarters reach each linked borrower's officer, and a red signal one
  officer raises on their borrower reaches the other officer's work list and brief after both
  have synced;
- the seed case (seed 000 第二章 二(四)): 27 individuals and a small company whose loans all went
  to one company, visited by three officers who each name the recipient their own way;
  headquarters flags the recipient, and after a sync every officer's laptop and the
  supervisor's show the notice on each of those borrowers.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from e2e_support import ACTOR, PASSWORD, HqServer, _csv, free_port, sqlite_url
from pg_probe import postgres, schema_name
from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.pool import NullPool

from inspector_app.common import passwords
from inspector_app.common.paths import database_path
from inspector_app.domain.enums import (
    RelationKind,
    Role,
    Severity,
    SignalCategory,
    SignalSource,
    VisitKind,
)
from inspector_app.domain.fund_recipient import Recipient
from inspector_app.hq import admin
from inspector_app.hq.cli import main as hq_main
from inspector_app.hq.csv_import import import_files
from inspector_app.hq.db import Database
from inspector_app.hq.migrate import upgrade_database
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, RiskSignal, User
from inspector_app.sync.client import SyncClient

OFFICERS = ("off_a", "off_b", "off_c")
RECIPIENT = "江苏鑫盛投资有限公司"
# How each officer types the recipient: full-width brackets and letters, stray spaces — one
# company to headquarters. A look-alike with another legal form is another company.
TYPED = {"off_a": RECIPIENT, "off_b": "江苏 鑫盛投资 有限公司", "off_c": "江苏鑫盛投资有限公司 "}
LOOK_ALIKE = "江苏鑫盛投资有限责任公司"
# The seed case's borrowers: 27 individuals and a small company, spread over three officers.
SEED = [(f"P{n:02d}", f"个人借款人{n:02d}", "person") for n in range(1, 28)] + [
    ("S01", "常州小微商贸有限公司", "company")]


def officer_of(n: int) -> str:
    return OFFICERS[n % len(OFFICERS)]


def build_world(data_dir: Path, db_url: str | None) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    db = Database.open(db_url or sqlite_url(data_dir))
    try:
        upgrade_database(db.engine)
        admin.add_branch(db, "B01", "城东支行", ACTOR)
        admin.add_user(db, "sup1", "张主任", Role.SUPERVISOR, PASSWORD, ACTOR, branch_code="B01")
        for name, shown in zip(OFFICERS, ("李明", "王芳", "陈静"), strict=True):
            admin.add_user(db, name, shown, Role.OFFICER, PASSWORD, ACTOR, branch_code="B01",
                           supervisor_username="sup1")
        borrowers = [
            {"code": "R01", "name": "苏州大华实业有限公司", "kind": "company", "officer": "off_a"},
            {"code": "R02", "name": "苏州大华物流有限公司", "kind": "company", "officer": "off_b"},
            {"code": "R03", "name": "无锡鑫盛投资咨询有限公司", "kind": "company",
             "officer": "off_c"},
            *({"code": code, "name": name, "kind": kind, "officer": officer_of(n)}
              for n, (code, name, kind) in enumerate(SEED)),
        ]
        folder = data_dir / "csv"
        folder.mkdir()
        import_files(db, {
            "borrowers": _csv(folder / "b.csv", [
                {**b, "industry": "services", "id_number": f"9132000{b['code']}",
                 "branch": "B01"} for b in borrowers]),
            "loans": _csv(folder / "l.csv", [{
                "contract_no": f"L-{b['code']}", "borrower_code": b["code"],
                "loan_type": "working_capital", "amount_yuan": "300000",
                "disbursed_on": "2026-11-02", "matures_on": "2027-11-02",
                "classification": "normal"} for b in borrowers]),
            "links": _csv(folder / "k.csv", [{
                "borrower_code": "R01", "party_code": "R02", "kind": "same_controller",
                "note": "实际控制人 王建国"}]),
        }, ACTOR)
    finally:
        db.dispose()


@dataclass
class World:
    server: HqServer
    laptops: dict[str, LocalStore]

    def sync(self, username: str) -> None:
        with SyncClient(self.laptops[username], self.server.url, retries=1,
                        backoff=0.01) as client:
            result = client.sync()
            assert result.ok, result.messages()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
          _migrated_db: Path) -> Iterator[World]:
    root = tmp_path_factory.mktemp(f"related-{request.param}")
    cleanup = []
    url: str | None = None
    if request.param == "postgresql":
        base, label = postgres()
        if base is None:
            pytest.skip(label)
        schema = schema_name("e2e_rel")
        owner = create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        with owner.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))

        def drop() -> None:
            with owner.connect() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            owner.dispose()
        cleanup.append(drop)
        url = make_url(base).update_query_dict(
            {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    with pytest.MonkeyPatch.context() as mp:
        from argon2 import PasswordHasher
        # Cheap hashes (tests/conftest.py says why); the server verifies at their cost.
        mp.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024,
                                                        parallelism=1))
        build_world(root / "hq", url)
        server = HqServer(root / "hq", free_port(), url)
        laptops: dict[str, LocalStore] = {}
        try:
            server.start()
            for username in (*OFFICERS, "sup1"):
                data = root / username
                data.mkdir()
                shutil.copyfile(_migrated_db, database_path(data))
                laptops[username] = LocalStore.open(data)
                with SyncClient(laptops[username], server.url, retries=1,
                                backoff=0.01) as client:
                    client.register(username, PASSWORD, f"{username} 的笔记本")
                    assert client.sync().ok
            yield World(server, laptops)
        finally:
            for store in laptops.values():
                store.close()
            server.kill()
            for step in cleanup:
                step()


def officer(store: LocalStore, username: str) -> User:
    with store.read() as s:
        found = s.scalar(select(User).where(User.username == username))
    assert found is not None
    return found


def borrower(store: LocalStore, code: str) -> str:
    with store.read() as s:
        return s.scalars(select(Borrower.id).where(Borrower.code == code)).one()


def row(store: LocalStore, code: str, officer_id: str | None = None):  # -> DueRow
    found = [r for r in store.work_list(officer_id=officer_id) if r.code == code]
    assert len(found) == 1, code
    return found[0]


def test_a_red_signal_on_one_borrower_reaches_the_linked_borrowers_officer(
        world: World) -> None:
    a, b = world.laptops["off_a"], world.laptops["off_b"]
    before = row(a, "R01")
    assert [(n.kind, n.party_name, n.severity) for n in before.related] == [
        (RelationKind.SAME_CONTROLLER, "苏州大华物流有限公司", None)]
    assert before.related_warning is None

    # off_b visits R02 and raises a red signal; the visit goes up with the next sync.
    off_b = officer(b, "off_b")
    visit = b.start_visit(borrower(b, "R02"), off_b, VisitKind.ROUTINE,
                          visit_date=date(2026, 12, 1), place="仓库")
    b.raise_signal(RiskSignal(
        borrower_id=borrower(b, "R02"), visit_id=visit.id, category=SignalCategory.GOVERNANCE,
        severity=Severity.RED, source=SignalSource.OFFICER, title="实际控制人被限制出境",
        raised_on=date(2026, 12, 1)), off_b, "法院限制出境令")
    world.sync("off_b")
    world.sync("off_a")

    warning = row(a, "R01").related_warning
    assert warning is not None and warning.severity is Severity.RED
    assert warning.text.zh == "关联方 苏州大华物流有限公司 有红色预警"
    brief = a.visit_brief(borrower(a, "R01"))
    assert [n.text.en for n in brief.related] == [
        "Related party 苏州大华物流有限公司 has a red signal"]
    # The supervisor of both sees it on R01 too, and R02's own side says nothing of R01.
    world.sync("sup1")
    sup = world.laptops["sup1"]
    assert row(sup, "R01").related_warning is not None
    assert row(sup, "R02").related_warning is None


def name_recipient(world: World, username: str, codes: list[str], typed: str) -> None:
    store = world.laptops[username]
    me = officer(store, username)
    for code in codes:
        visit = store.start_visit(borrower(store, code), me, VisitKind.FIRST,
                                  visit_date=date(2026, 11, 20), place="借款人住所")
        assert "fund_flow@1" in visit.template_refs
        store.set_answer(visit.id, me, "FF-REC-01", Recipient(typed).stored())


def test_the_seed_case_27_borrowers_and_a_company_paying_one_recipient(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    for n, username in enumerate(OFFICERS):
        codes = [code for i, (code, _, _) in enumerate(SEED) if i % len(OFFICERS) == n]
        name_recipient(world, username, codes, TYPED[username])
        world.sync(username)
    # Two borrowers paying a look-alike with another legal form: not the same company, and
    # below the threshold on its own.
    name_recipient(world, "off_c", ["R03"], LOOK_ALIKE)
    world.sync("off_c")

    db = ["--db", world.server.db_url]
    assert hq_main(["admin", *db, "fund-recipients", "--dry-run"]) == 0
    listed = capsys.readouterr().out
    assert listed.startswith(f"28 borrowers, 28 visits: {RECIPIENT}")
    assert "P01 个人借款人01" in listed and "S01 常州小微商贸有限公司" in listed
    assert LOOK_ALIKE not in listed and "dry run" in listed
    world.sync("off_a")
    assert row(world.laptops["off_a"], "P01").related == ()  # a dry run sends nothing

    assert hq_main(["admin", *db, "fund-recipients", "--min-borrowers", "3"]) == 0
    assert "28 written, 0 withdrawn" in capsys.readouterr().out
    for username in (*OFFICERS, "sup1"):
        world.sync(username)
    for n, (code, _, _) in enumerate(SEED):
        for store in (world.laptops[officer_of(n)], world.laptops["sup1"]):
            notice = row(store, code).related_warning
            assert notice is not None, code
            assert (notice.kind, notice.severity, notice.named_by) == (
                RelationKind.SHARED_FUND_RECIPIENT, Severity.ORANGE, 28)
            assert notice.text.zh == f"贷款资金流向 {RECIPIENT}（28 户借款人指认）"
    assert row(world.laptops["off_c"], "R03").related == ()

    # Raised above 28, the flag is withdrawn and the laptops drop the notice.
    assert hq_main(["admin", *db, "fund-recipients", "--min-borrowers", "29"]) == 0
    assert "0 written, 28 withdrawn" in capsys.readouterr().out
    world.sync("off_b")
    assert all(not r.related for r in world.laptops["off_b"].work_list()
               if r.code.startswith(("P", "S")))
