"""Schema and migrations, the OpenAPI document, and the command line around them."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from hq_helpers import ACTOR, PASSWORD, World, pull_all, register
from sqlalchemy import select

from inspector_app.hq import admin
from inspector_app.hq.changes import record_change
from inspector_app.hq.cli import main
from inspector_app.hq.context import Hq
from inspector_app.hq.db import make_engine
from inspector_app.hq.migrate import current_revision, head_revision, upgrade_database
from inspector_app.hq.models import AuditEntry, Base, Branch, User
from inspector_app.wire import API


def test_the_migrated_schema_is_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        # At start-up on an up-to-date database: nothing to do, no backup taken.
        result = upgrade_database(engine)
        assert result.from_revision == result.to_revision and result.backup is None
    finally:
        engine.dispose()


def test_a_cursor_never_passes_a_change_still_being_written(client, hq: Hq,
                                                           world: World) -> None:
    """A transaction holding seq N+1 open while another writes N+2: a pull in between must
    not hand out a cursor past N+1, or the device would never see it."""
    headers = register(client, "off_a")
    cursor, _ = pull_all(client, headers)
    later = threading.Thread(target=admin.add_branch, args=(hq.db, "B09", "后写的支行", ACTOR))
    with hq.db.write() as s:
        first = Branch(code="B08", name="先写的支行")
        s.add(first)
        s.flush()
        record_change(s, "branch", first.id, first.version)
        s.flush()
        later.start()  # waits for the change-log lock (PostgreSQL) / write lock (SQLite)
        time.sleep(0.3)
        during = client.get(f"{API}/pull", params={"cursor": cursor}, headers=headers).json()
        assert during["changes"] == [] and during["cursor"] == cursor
    later.join(timeout=15)
    assert not later.is_alive()
    _, after = pull_all(client, headers, cursor)
    assert [c["data"]["code"] for c in after] == ["B08", "B09"]


def test_the_openapi_document_and_docs_are_served(client) -> None:
    spec = client.get("/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    assert set(paths[f"{API}/devices/register"]) == {"post"}
    assert set(paths[f"{API}/pull"]) == {"get"}
    assert set(paths[f"{API}/visits/{{visit_id}}"]) == {"put", "get"}
    assert set(paths[f"{API}/blobs/{{sha256}}"]) == {"head", "patch", "get"}
    assert set(paths[f"{API}/visits/{{visit_id}}/review"]) == {"post"}
    schemas = spec.json()["components"]["schemas"]
    assert {"VisitPush", "PushResult", "PullResponse", "ErrorBody"} <= set(schemas)
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_data_dir_is_the_embedded_setup(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    data = tmp_path / "hq"
    assert main(["admin", "--data-dir", str(data), "branch", "add", "B01", "城东支行"]) == 0
    assert (data / "hq.sqlite3").is_file()
    # The storage option may also follow the subcommand.
    assert main(["admin", "branch", "add", "B01", "again", "--data-dir", str(data)]) == 1
    assert "branch B01 already exists" in capsys.readouterr().err


def test_admin_needs_to_be_told_where_the_database_is(capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    with pytest.raises(SystemExit) as e:
        main(["admin", "devices", "list"])
    assert e.value.code == 2
    assert "--data-dir" in capsys.readouterr().err
    assert main([]) == 0  # no command: the help
    assert "serve" in capsys.readouterr().out


def test_user_add_from_the_cli(db_url: str, tmp_path: Path, hq: Hq,
                               capsys: pytest.CaptureFixture[str]) -> None:
    password = tmp_path / "pw.txt"
    password.write_text(PASSWORD + "\n", encoding="utf-8")
    run = ["admin", "--db", db_url]
    assert main([*run, "branch", "add", "B01", "城东支行"]) == 0
    assert main([*run, "user", "add", "sup1", "--name", "张主任", "--role", "supervisor",
                 "--branch", "B01", "--password-file", str(password)]) == 0
    assert main([*run, "user", "add", "off_a", "--name", "李明", "--role", "officer",
                 "--branch", "B01", "--supervisor", "sup1", "--password-file",
                 str(password)]) == 0
    capsys.readouterr()
    refused = [
        (["off_x", "--name", "X", "--role", "officer", "--branch", "B01", "--supervisor",
          "off_a"], "off_a is not a supervisor"),
        (["off_y", "--name", "Y", "--role", "officer"], "needs --branch"),
        (["off_a", "--name", "Z", "--role", "officer", "--branch", "B01"], "already exists"),
        (["off_z", "--name", "Z", "--role", "officer", "--branch", "B09"], "no branch B09"),
    ]
    for args, message in refused:
        assert main([*run, "user", "add", *args, "--password-file", str(password)]) == 1
        assert message in capsys.readouterr().err
    short = tmp_path / "short.txt"
    short.write_text("1234567", encoding="utf-8")
    assert main([*run, "user", "add", "off_s", "--name", "S", "--role", "officer",
                 "--branch", "B01", "--password-file", str(short)]) == 1
    assert "at least 8" in capsys.readouterr().err
    with hq.db.read() as s:
        users = {u.username: u for u in s.scalars(select(User))}
        actions = list(s.scalars(select(AuditEntry.action)))
    assert set(users) == {"sup1", "off_a"}
    assert users["off_a"].supervisor_id == users["sup1"].id
    assert users["off_a"].password_hash.startswith("$argon2id$")
    assert actions.count("user.add") == 2


def test_devices_list_and_revoke_from_the_cli(client, world: World, db_url: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    headers = register(client, "off_a", device_name="ThinkPad-7")
    assert main(["admin", "--db", db_url, "devices", "list"]) == 0
    [line] = [x for x in capsys.readouterr().out.splitlines() if "ThinkPad-7" in x]
    device_id = line.split()[0]
    assert "off_a" in line and line.endswith("active")
    assert main(["admin", "--db", db_url, "devices", "revoke", device_id]) == 0
    assert main(["admin", "--db", db_url, "devices", "revoke", device_id]) == 0
    assert "was already revoked" in capsys.readouterr().out
    assert main(["admin", "--db", db_url, "devices", "list"]) == 0
    assert "revoked 20" in capsys.readouterr().out
    assert client.get(f"{API}/pull", headers=headers).json()["code"] == "device_revoked"
    assert main(["admin", "--db", db_url, "devices", "revoke", "no-such-device"]) == 1
