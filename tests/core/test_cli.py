"""The scriptable commands administrators use: demo, visits, due, templates check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspector_app.cli import main


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--data-dir", str(data)]) == 0
    return data


def test_demo_prints_users_and_refuses_to_overwrite(demo_dir: Path, capsys) -> None:
    assert main(["demo", "--data-dir", str(demo_dir), "--if-missing"]) == 0
    assert "keeping it" in capsys.readouterr().out
    assert main(["demo", "--data-dir", str(demo_dir)]) == 2
    assert "错误 / error" in capsys.readouterr().err


def test_visits_json_lists_each_status(demo_dir: Path, capsys) -> None:
    assert main(["visits", "--data-dir", str(demo_dir), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"id", "borrower", "kind", "status", "visit_date"} <= set(rows[0])
    assert {"draft", "completed", "approved"} <= {r["status"] for r in rows}
    assert main(["visits", "--data-dir", str(demo_dir), "--status", "draft", "--json"]) == 0
    drafts = json.loads(capsys.readouterr().out)
    assert drafts and all(r["status"] == "draft" for r in drafts)


def test_unknown_status_is_a_clear_error(demo_dir: Path, capsys) -> None:
    assert main(["visits", "--data-dir", str(demo_dir), "--status", "finished"]) == 2
    err = capsys.readouterr().err
    assert "unknown status 'finished'" in err and "Traceback" not in err


def test_due_lists_overdue_first(demo_dir: Path, capsys) -> None:
    assert main(["due", "--data-dir", str(demo_dir), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    dates = [r["next_due_on"] for r in rows if r["next_due_on"]]
    assert len(rows) >= 40
    assert dates == sorted(dates)
    assert main(["due", "--data-dir", str(demo_dir), "--json", "--search", "制造"]) == 0
    manufacturing = json.loads(capsys.readouterr().out)
    assert manufacturing and all(r["industry"] == "manufacturing" for r in manufacturing)


def test_templates_check_passes_shipped_and_fails_broken(tmp_path: Path, capsys) -> None:
    assert main(["templates", "check"]) == 0
    assert "OK" in capsys.readouterr().out
    bad = tmp_path / "broken.yaml"
    bad.write_text("code: x\nversion: one\n", encoding="utf-8")
    assert main(["templates", "check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "broken.yaml" in err and "version" in err
