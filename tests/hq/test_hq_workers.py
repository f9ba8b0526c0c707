"""`inspector-hq serve --workers N`: the parent migrates once, the workers only open."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from inspector_app.hq import cli
from inspector_app.hq.app import WORKER_ENV, worker_app, worker_config
from inspector_app.hq.context import HqSettings


def test_a_worker_opens_the_database_without_migrating_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'hq.sqlite3'}"
    settings = HqSettings(max_blob_bytes=1234, trust_roots=(tmp_path / "ca.pem",))
    monkeypatch.setenv(WORKER_ENV, worker_config(url, tmp_path / "blobs", settings))

    app = worker_app()

    hq = app.state.hq
    try:
        assert hq.settings == settings
        assert hq.blobs.root == tmp_path / "blobs"
        engine = create_engine(url)
        assert inspect(engine).get_table_names() == []  # the parent's job, done once
        engine.dispose()
    finally:
        hq.db.dispose()


def test_sqlite_takes_one_worker(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        cli.main(["serve", "--data-dir", str(tmp_path), "--workers", "2"])
    assert e.value.code == 2
    assert "--workers > 1 needs PostgreSQL" in capsys.readouterr().err
    assert not (tmp_path / cli.DB_FILE).exists()  # refused before anything was created


@pytest.mark.parametrize("workers", ["0", "-3"])
def test_no_worker_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              workers: str) -> None:
    with pytest.raises(SystemExit) as e:
        cli.main(["serve", "--data-dir", str(tmp_path), "--workers", workers])
    assert e.value.code == 2
    assert "--workers must be at least 1" in capsys.readouterr().err
    assert not (tmp_path / cli.DB_FILE).exists()
