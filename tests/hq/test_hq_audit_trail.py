"""The audit trail (issue #15 item 4) read at headquarters: each filter alone and combined
against a hand-built trail (audit_trail_helpers), date edges included, paging, the bad filters
`inspector-hq admin audit` refuses in one line with exit 2, and the export read back (xlsx
with typed moments, CSV as UTF-8 with a BOM)."""

from __future__ import annotations

import argparse
import csv
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from audit_trail_helpers import CASES, NAMES, TRAIL, V1, build_trail, local
from hq_helpers import World

from inspector_app.hq.audit_cli import audit_filter
from inspector_app.hq.audit_trail import AuditFilter, AuditFilterError, audit_page
from inspector_app.hq.cli import main
from inspector_app.hq.context import Hq


@pytest.fixture
def trail(hq: Hq, world: World) -> dict[str, int]:
    return build_trail(hq.db.engine, world.users, world.borrowers)


def _namespace(options: dict[str, str]) -> argparse.Namespace:
    return argparse.Namespace(
        user=options.get("user"), borrower=options.get("borrower"),
        visit=NAMES.get(options.get("visit", ""), options.get("visit")),
        action=options.get("action"), from_date=options.get("from"),
        to_date=options.get("to"))


def _cli(db_url: str, options: dict[str, str], *extra: str) -> list[str]:
    argv = ["admin", "--db", db_url, "audit"]
    for key, value in options.items():
        argv += [f"--{key}", NAMES.get(value, value)]
    return [*argv, *extra]


def test_each_filter_alone_and_combined_finds_what_it_should(hq: Hq,
                                                             trail: dict[str, int]) -> None:
    label = {v: k for k, v in trail.items()}
    for options, expected in CASES:
        page = audit_page(hq.db, audit_filter(_namespace(options)), limit=100)
        assert [label[e.id] for e in page.entries] == expected, options
        assert page.next_cursor is None


def test_an_entry_names_the_borrower_and_visit_it_concerns(hq: Hq,
                                                           trail: dict[str, int]) -> None:
    entries = {e.id: e for e in audit_page(hq.db, AuditFilter(), limit=100).entries}
    signal, push, handover = entries[trail["e4"]], entries[trail["e2"]], entries[trail["e5"]]
    assert (signal.borrower_code, signal.visit_id) == ("C001", V1)
    assert (push.borrower_code, push.visit_id) == ("C001", V1)
    assert entries[trail["e1"]].borrower_code == "C001"
    assert (handover.borrower_code, handover.visit_id) == (None, None)  # many borrowers
    assert signal.detail == {"reason": "已催收，客户承诺月底前补足保证金"}
    assert signal.at == local(2, 12)


def test_pages_follow_one_another_without_gap_or_repeat(hq: Hq, trail: dict[str, int]) -> None:
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        page = audit_page(hq.db, AuditFilter(), cursor, limit=3)
        seen += [e.id for e in page.entries]
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert pages == 3
    assert seen == sorted(trail.values(), reverse=True)
    # A page exactly filled says there is no more (not one empty page after it).
    assert audit_page(hq.db, AuditFilter(borrower="C001"), limit=5).next_cursor is None


@pytest.mark.parametrize(("given", "said"), [
    (AuditFilter(user="nobody"), "no user 'nobody'"),
    (AuditFilter(borrower="C999"), "no borrower 'C999'"),
    (AuditFilter(visit="no-such-visit"), "no visit 'no-such-visit'"),
    (AuditFilter(action="visit.delete"), "no action 'visit.delete'"),
    (AuditFilter(since=local(3), until=local(2)), "the start date is after the end date"),
])
def test_a_filter_naming_nothing_is_refused(hq: Hq, trail: dict[str, int], given: AuditFilter,
                                            said: str) -> None:
    with pytest.raises(AuditFilterError, match=said):
        audit_page(hq.db, given)


def test_the_command_shows_each_case_newest_first(db_url: str, trail: dict[str, int],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    label = {str(v): k for k, v in trail.items()}
    for options, expected in CASES:
        assert main(_cli(db_url, options)) == 0, options
        out = capsys.readouterr().out.splitlines()
        shown = [label[line.split()[0]] for line in out[1:] if line.split()[0] in label]
        assert shown == expected, (options, out)
        if not expected:
            assert "no entries match" in out[-1]


def test_the_command_pages_for_the_screen(db_url: str, trail: dict[str, int],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_cli(db_url, {}, "--limit", "5")) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 + 5 + 1
    assert out[-1].endswith(f"add --before {trail['e4']}")
    assert main(_cli(db_url, {}, "--limit", "5", "--before", str(trail["e4"]))) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out[1:]] == [str(trail[x]) for x in ("e3", "e2", "e1")]


@pytest.mark.parametrize(("options", "said"), [
    ({"user": "nobody"}, "no user 'nobody'"),
    ({"borrower": "C999"}, "no borrower 'C999'"),
    ({"visit": "no-such-visit"}, "no visit 'no-such-visit'"),
    ({"action": "frobnicate"}, "no action 'frobnicate'"),
    ({"from": "2026-12-32"}, "--from is not a date: '2026-12-32'"),
    ({"to": "yesterday"}, "--to is not a date: 'yesterday'"),
    ({"from": "2026-12-04", "to": "2026-12-03"}, "--from is after --to"),
    ({"before": "999999"}, "no entry 999999"),
])
def test_a_bad_filter_is_one_line_and_exit_2(db_url: str, trail: dict[str, int],
                                             capsys: pytest.CaptureFixture[str],
                                             options: dict[str, str], said: str) -> None:
    assert main(_cli(db_url, options)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and said in lines[0] and "Traceback" not in captured.err, lines


def test_a_file_format_needs_a_file_and_table_writes_none(db_url: str, trail: dict[str, int],
                                                          tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert main(_cli(db_url, {}, "--format", "xlsx")) == 2
    assert main(_cli(db_url, {}, "--format", "table", "-o", str(out / "a.xlsx"))) == 2
    assert main(_cli(db_url, {}, "-o", str(out / "a.txt"))) == 2
    assert list(out.iterdir()) == []
    assert len(capsys.readouterr().err.splitlines()) == 3


def test_the_export_reads_back_typed(db_url: str, trail: dict[str, int], tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    xlsx, table = tmp_path / "审计.xlsx", tmp_path / "audit.csv"
    assert main(_cli(db_url, {"borrower": "C001"}, "-o", str(xlsx))) == 0
    assert main(_cli(db_url, {"borrower": "C001"}, "-o", str(table), "--lang", "en")) == 0
    assert "5 条已写入" in capsys.readouterr().out

    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("时间", "用户", "操作")
    assert [r[-1] for r in rows[1:]] == [trail[x] for x in ("e5", "e4", "e3", "e2", "e1")]
    moments = [r[0] for r in rows[1:]]
    assert all(type(m) is datetime for m in moments)
    # Local wall-clock time, to the second: the day's last second stays on its day.
    assert moments[-2] == local(1, 23, 59, 59).replace(tzinfo=None)
    assert sheet.cell(2, 1).number_format == "yyyy-mm-dd hh:mm:ss"
    assert sheet.cell(2, 10).data_type == "n"
    signal = rows[2]
    assert signal[2:7] == ("signal.follow_up", "signal", TRAIL[3][5], "C001", V1)
    assert "已催收，客户承诺月底前补足保证金" in signal[8]

    raw = table.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with table.open(encoding="utf-8-sig", newline="") as f:
        read = list(csv.reader(f))
    assert read[0][:3] == ["Time", "User", "Action"]
    assert [r[0] for r in read[1:3]] == ["2026-12-03 00:00:00", "2026-12-02 12:00:00"]
    assert read[2][8] == '{"reason": "已催收，客户承诺月底前补足保证金"}'
