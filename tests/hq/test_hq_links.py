"""Links between borrowers (#14 item 6): imported at headquarters from CSV, all or nothing,
every bad row named; each direction pulled by whoever sees its borrower, carrying the party's
open red and orange signals, with a new version when a push changes them.

World (hq_helpers.build_world): C001 (off_a, sup1), C002 (off_c, sup1), C003 (off_b, sup2),
C004 (nobody's).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hq_helpers import World, pull_all, register, visit_push, write_csv
from sqlalchemy import func, select

from inspector_app.hq.cli import main
from inspector_app.hq.context import Hq
from inspector_app.hq.models import BorrowerLink, ChangeLogEntry
from inspector_app.wire import API


def links(*rows: tuple[str, str, str, str]) -> list[dict[str, str]]:
    return [dict(zip(("borrower_code", "party_code", "kind", "note"), r, strict=True))
            for r in rows]


def held(hq: Hq) -> int:
    with hq.db.read() as s:
        return s.scalar(select(func.count()).select_from(BorrowerLink)) or 0


def log_size(hq: Hq) -> int:
    with hq.db.read() as s:
        return s.scalar(select(func.count()).select_from(ChangeLogEntry)) or 0


def pulled_links(client: Any, headers: dict[str, str], cursor: int = 0
                 ) -> tuple[int, list[dict[str, Any]]]:
    cursor, changes = pull_all(client, headers, cursor)
    return cursor, [c["data"] for c in changes if c["entity"] == "borrower_link"]


def test_a_link_is_imported_both_ways_and_each_officer_pulls_their_side(
        client, hq: Hq, db_url: str, world: World, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "links.csv", links(
        ("C001", "C003", "同一实际控制人", "实际控制人 王建国"),
        ("C002", "C001", "互保", ""),
    ))
    assert main(["admin", "--db", db_url, "import", "--links", str(path)]) == 0
    assert "links: 2 new, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert held(hq) == 4

    _, mine = pulled_links(client, register(client, "off_a"))
    assert sorted((d["party_code"], d["kind"], d["note"]) for d in mine) == [
        ("C002", "mutual_guarantee", ""), ("C003", "same_controller", "实际控制人 王建国")]
    assert {d["party_name"] for d in mine} == {"南京德炎水产有限公司", "苏州巨源油业有限公司"}
    _, theirs = pulled_links(client, register(client, "off_b"))
    assert [(d["party_code"], d["party_name"]) for d in theirs] == [
        ("C001", "江苏恒达精密机械有限公司")]
    # sup2's team is off_b's: C001's side of the links is not theirs.
    _, team = pulled_links(client, register(client, "sup2"))
    assert [d["party_code"] for d in team] == ["C001"]

    # The same file again (the pair written the other way round too) changes nothing.
    before = log_size(hq)
    write_csv(path, links(("C003", "C001", "same_controller", "实际控制人 王建国"),
                          ("C002", "C001", "mutual_guarantee", "")))
    assert main(["admin", "--db", db_url, "import", "--links", str(path)]) == 0
    assert "links: 0 new, 0 updated, 2 unchanged" in capsys.readouterr().out
    assert log_size(hq) == before and held(hq) == 4


def test_bad_rows_are_named_and_nothing_is_imported(
        hq: Hq, db_url: str, world: World, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "links.csv", links(
        ("C001", "C003", "same_controller", ""),  # line 2: good
        ("C001", "C999", "related_company", ""),  # line 3
        ("C002", "C002", "related_company", ""),  # line 4
        ("C003", "C001", "same_controller", ""),  # line 5: line 2 again, reversed
        ("C004", "C001", "cousins", ""),  # line 6
        ("", "C001", "related_company", ""),  # line 7
    ))
    before = log_size(hq)
    assert main(["admin", "--db", db_url, "import", "--links", str(path)]) == 1
    err = capsys.readouterr().err
    for line in (
        f"{path}:3: party_code: no borrower 'C999' in this import or at headquarters",
        f"{path}:4: party_code: the same borrower as borrower_code",
        f"{path}:5: the link between 'C003' and 'C001' (same_controller) is also on line 2",
        f"{path}:6: kind: 'cousins' is not one of same_controller, mutual_guarantee, "
        "related_company",
        f"{path}:7: borrower_code: required",
    ):
        assert line in err, line
    assert f"{path}:2:" not in err and "nothing was imported" in err
    assert held(hq) == 0 and log_size(hq) == before


def test_a_link_may_name_a_borrower_of_the_same_import(
        hq: Hq, db_url: str, world: World, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    borrowers = write_csv(tmp_path / "b.csv", [{
        "code": "C005", "name": "常州联保商贸有限公司", "kind": "company",
        "industry": "wholesale_trade", "id_number": "91320000MA1X000005"}])
    path = write_csv(tmp_path / "links.csv", links(("C005", "C002", "联保", "联保体 3 户")))
    assert main(["admin", "--db", db_url, "import", "--borrowers", str(borrowers),
                 "--links", str(path)]) == 0
    assert "links: 1 new" in capsys.readouterr().out and held(hq) == 2


def test_a_pushed_red_signal_reaches_the_linked_borrowers_officer(
        client, hq: Hq, db_url: str, world: World, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "links.csv", links(("C001", "C003", "related_company", "")))
    assert main(["admin", "--db", db_url, "import", "--links", str(path)]) == 0
    off_a, off_b = register(client, "off_a"), register(client, "off_b")
    cursor, first = pulled_links(client, off_a)
    assert [(d["party_red_signals"], d["party_orange_signals"]) for d in first] == [(0, 0)]

    # off_b (another team) pushes a visit of C003 with a red signal.
    body = visit_push(world.users["off_b"], world.borrowers["C003"])
    body["visit"]["signals"] = [{
        "id": "sig-red-c003", "category": "governance", "severity": "red",
        "source": "checklist", "title": "法定代表人被羁押", "status": "raised",
        "raised_on": "2026-11-20"}]
    r = client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=off_b)
    assert r.status_code == 200, r.text

    cursor, after = pulled_links(client, off_a, cursor)
    assert [(d["party_code"], d["party_red_signals"]) for d in after] == [("C003", 1)]
    # C003's own side (party C001, no signals) did not move: off_b pulls no new link.
    assert pulled_links(client, off_b)[1][0]["party_red_signals"] == 0


def test_fund_recipients_refuses_a_threshold_of_one_and_says_so(
        hq: Hq, db_url: str, world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["admin", "--db", db_url, "fund-recipients", "--min-borrowers", "1"]) == 1
    err = capsys.readouterr().err
    assert "--min-borrowers: at least 2" in err and "Traceback" not in err
    assert main(["admin", "--db", db_url, "fund-recipients"]) == 0
    assert capsys.readouterr().out.startswith("no recipient is named by 3 or more borrowers")
