"""`inspector-app sync`: registers on first use, prints the report, exits non-zero on failure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fake_server import FakeHQ, Fault
from sync_helpers import PASSWORD, SERVER, Portfolio

from inspector_app.cli import main
from inspector_app.store.local import LocalStore
from inspector_app.sync.client import SyncClient


@pytest.fixture
def wired(hq: FakeHQ, monkeypatch: pytest.MonkeyPatch) -> FakeHQ:
    """Every SyncClient the CLI makes talks to the fake headquarters, without back-off."""
    original = SyncClient.__init__

    def init(self: SyncClient, store: LocalStore, base_url: str, **kw: Any) -> None:
        original(self, store, base_url, transport=hq.transport, backoff=0.0, retries=1)

    monkeypatch.setattr(SyncClient, "__init__", init)
    return hq


def test_first_sync_registers_then_later_ones_reuse_the_device(
    store: LocalStore, portfolio: Portfolio, wired: FakeHQ, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = ["--data-dir", str(store.data_dir)]
    assert main(["sync", "--server", SERVER, *data]) == 2
    assert "not registered" in capsys.readouterr().err

    secret = tmp_path / "password.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    code = main(["sync", "--server", SERVER, *data, "--username", "li",
                 "--password-file", str(secret)])

    out = capsys.readouterr().out
    assert code == 0, out
    assert "registered with http://hq.test" in out
    assert "sync complete" in out and "1 visit sent" in out
    assert portfolio.visit_id in wired.visits

    wired.faults.append(Fault("connect", times=99))
    assert main(["sync", "--server", SERVER, *data]) == 1
    assert "the server is unreachable" in capsys.readouterr().out
    assert len(wired.tokens) == 1  # no second registration
