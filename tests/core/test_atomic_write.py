"""common.files: a file is replaced whole or not at all, and no temporary file is left."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from inspector_app.common import files
from inspector_app.common.files import atomic_write, temp_file, write_temp


def test_atomic_write_replaces_the_file_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_new_file_is_owner_only_unless_a_mode_is_given(tmp_path: Path) -> None:
    atomic_write(tmp_path / "private", b"key")
    atomic_write(tmp_path / "shared", b"cert", mode=0o644)
    assert stat.S_IMODE((tmp_path / "private").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "shared").stat().st_mode) == 0o644


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_a_failed_rename_keeps_the_old_file_and_removes_the_temporary_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(PermissionError):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_the_directory_is_synced_unless_told_not_to(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[Path] = []
    monkeypatch.setattr(files, "fsync_dir", synced.append)
    atomic_write(tmp_path / "original.jpg", b"photo")
    atomic_write(tmp_path / "thumb.jpg", b"derived", sync_dir=False)
    assert synced == [tmp_path]


def test_a_temporary_file_is_synced_kept_for_the_caller_or_removed_on_error(
        tmp_path: Path) -> None:
    kept = write_temp(tmp_path, b"bytes", prefix=".fetching-", suffix=".pdf")
    assert kept.read_bytes() == b"bytes"
    assert kept.name.startswith(".fetching-") and kept.suffix == ".pdf"
    with pytest.raises(ValueError, match="hash"), temp_file(tmp_path) as (out, path):
        out.write(b"half a download")
        raise ValueError("hash does not match")
    assert not path.exists()
    assert list(tmp_path.iterdir()) == [kept]
