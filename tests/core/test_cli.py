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


def test_the_data_directory_may_be_given_before_the_command(demo_dir: Path, capsys) -> None:
    """`inspector-app --data-dir D visits`, as `--help` shows it: the command's own (absent)
    --data-dir used to put None over it, and the per-user folder was read instead."""
    assert main(["--data-dir", str(demo_dir), "visits", "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    assert main(["visits", "--data-dir", str(demo_dir), "--json"]) == 0
    assert before == json.loads(capsys.readouterr().out) and before


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


def _completed_visit(demo_dir: Path, capsys) -> tuple[str, str]:
    """A completed demo visit and its officer's username."""
    import sqlite3

    assert main(["visits", "--data-dir", str(demo_dir), "--status", "completed", "--json"]) == 0
    visit_id = json.loads(capsys.readouterr().out)[0]["id"]
    con = sqlite3.connect(demo_dir / "inspector.sqlite3")
    username = con.execute(
        "SELECT u.username FROM visits v JOIN users u ON u.id = v.officer_id WHERE v.id = ?",
        (visit_id,),
    ).fetchone()[0]
    con.close()
    return visit_id, username


def test_report_sign_and_verify_from_the_command_line(
    tmp_path: Path, capsys, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data = tmp_path_factory.mktemp("sign-demo")
    assert main(["demo", "--data-dir", str(data)]) == 0
    capsys.readouterr()
    visit_id, username = _completed_visit(data, capsys)

    assert main(["certs", "make-test-ca", "--out", str(tmp_path / "ca")]) == 0
    lines = capsys.readouterr().out.splitlines()
    password = next(line.split()[-1] for line in lines if f"{username}.p12" in line)
    (tmp_path / "pw").write_text(password + "\n", encoding="utf-8")
    (tmp_path / "bad").write_text("not-it\n", encoding="utf-8")
    cert = str(tmp_path / "ca" / f"{username}.p12")
    out = tmp_path / "report.pdf"

    draft = tmp_path / "draft.pdf"
    assert main(["report", visit_id, "--data-dir", str(data), "--out", str(draft)]) == 0
    assert draft.read_bytes().startswith(b"%PDF")

    args = ["report", visit_id, "--data-dir", str(data), "--out", str(out), "--sign",
            "--cert", cert]
    assert main([*args, "--password-file", str(tmp_path / "bad")]) == 2
    assert "wrong certificate password" in capsys.readouterr().err
    assert not out.exists()

    assert main([*args, "--password-file", str(tmp_path / "pw")]) == 0
    capsys.readouterr()
    assert main(["verify", str(out), "--trust", str(tmp_path / "ca" / "ca.pem")]) == 0
    assert "全部签名验证通过" in capsys.readouterr().out
    # Without a trust root the integrity is still checked and the output says trust was not;
    # an unchecked signer fails unless the caller explicitly accepts one.
    assert main(["verify", str(out)]) == 1
    said = capsys.readouterr().out
    assert "未检查证书链" in said and "--allow-untrusted" in said
    assert main(["verify", str(out), "--allow-untrusted"]) == 0
    # A CA that did not issue the certificate: not trusted, a failing exit code.
    assert main(["certs", "make-test-ca", "--out", str(tmp_path / "other-ca")]) == 0
    assert main(["verify", str(out), "--trust", str(tmp_path / "other-ca" / "ca.pem")]) == 1

    # Tampering is caught.
    data_bytes = bytearray(out.read_bytes())
    at = data_bytes.index(b"stream") + 20
    data_bytes[at] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data_bytes))
    assert main(["verify", str(tampered), "--trust", str(tmp_path / "ca" / "ca.pem")]) == 1
