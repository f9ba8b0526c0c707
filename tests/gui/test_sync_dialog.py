"""The sync dialog, driven as an officer would, against the in-memory fake headquarters."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import httpx
import pytest
from argon2 import PasswordHasher
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from test_screens import save, texts_fit

from inspector_app import wire
from inspector_app.common import passwords
from inspector_app.domain.enums import VisitKind
from inspector_app.gui import i18n
from inspector_app.gui.app import use_bundled_font
from inspector_app.gui.i18n import split_languages
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.sync.sync_dialog import SyncDialog
from inspector_app.gui.worklist.main_window import MainWindow
from inspector_app.store.models import Borrower, Visit
from inspector_app.sync.client import SyncClient
from inspector_app.sync.report import Reason, SyncIssue, SyncReport, What

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from conftest import Portfolio, SignIn

SERVER = "http://hq.test"
CHUNK = 4096
# Fast failures: one retry, no pause between tries.
FAST = {"chunk_bytes": CHUNK, "retries": 1, "backoff": 0.0}
WAIT_MS = 10_000


def _load_fake_server() -> ModuleType:
    """tests/sync/fake_server.py (tests/sync is not a package and not on sys.path here)."""
    if "fake_server" in sys.modules:
        return sys.modules["fake_server"]
    path = Path(__file__).resolve().parents[1] / "sync" / "fake_server.py"
    spec = importlib.util.spec_from_file_location("fake_server", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fake_server"] = module
    spec.loader.exec_module(module)
    return module


fake_server = _load_fake_server()


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    # Registration hashes the password; production cost would dominate these tests' time.
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024,
                                                        parallelism=1))


@pytest.fixture(autouse=True)
def _bundled_font(qapp: QApplication) -> None:
    use_bundled_font(qapp)


@dataclass(frozen=True)
class Work:
    """What the officer has not sent yet: one visit with its photos."""

    visit_id: str
    photos: list[str]  # sha256
    label: str  # how the core names the visit: borrower and date


def _photo(folder: Path, seed: int, side: int = 64) -> Path:
    """Incompressible noise, so the upload takes a few chunks."""
    path = folder / f"photo-{seed}.png"
    Image.frombytes("RGB", (side, side), random.Random(seed).randbytes(side * side * 3)).save(
        path, "PNG")
    return path


@pytest.fixture
def work(portfolio: Portfolio, tmp_path: Path) -> Work:
    store = portfolio.store
    with store.read() as s:
        borrower = s.scalars(select(Borrower).where(Borrower.code == "C1001")).one()
        borrower_id, name = borrower.id, borrower.name
    visit = store.start_visit(borrower_id, portfolio.officer, VisitKind.ROUTINE,
                              visit_date=portfolio.today(), place="厂区")
    photos = [store.add_photo(visit.id, portfolio.officer, _photo(tmp_path, seed)).sha256
              for seed in (1, 2, 3)]
    return Work(visit.id, photos, f"{name} {portfolio.today().isoformat()}")


@pytest.fixture
def hq(portfolio: Portfolio) -> object:
    server = fake_server.FakeHQ()
    officer = portfolio.officer
    server.add_user(wire.UserRecord(id=officer.id, username=officer.username,
                                    display_name=officer.display_name,
                                    role=officer.role.value), portfolio.passwords["wang"])
    return server


@pytest.fixture
def registered(portfolio: Portfolio, hq: object) -> None:
    """This laptop registered earlier (the dialog then asks for no password)."""
    with SyncClient(portfolio.store, SERVER, transport=hq.transport) as client:
        client.register("wang", portfolio.passwords["wang"], "laptop-test")


@pytest.fixture
def released() -> Iterator[threading.Event]:
    """An event a blocked fake-server request waits on; always set at the end of the test."""
    event = threading.Event()
    yield event
    event.set()


def unreachable() -> httpx.MockTransport:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("network down", request=request)

    return httpx.MockTransport(refuse)


def open_sync(qtbot: QtBot, window: MainWindow, transport: httpx.BaseTransport) -> SyncDialog:
    dialog = window.open_sync(transport, **FAST)
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.start_button.isEnabled(), timeout=WAIT_MS)
    return dialog


def start(qtbot: QtBot, dialog: SyncDialog, address: str = SERVER) -> None:
    if dialog.address_edit.text() != address:
        dialog.address_edit.setText(address)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)


def finish(qtbot: QtBot, dialog: SyncDialog, window: MainWindow) -> str:
    """Wait for the run and the main window's refresh; the result as the officer reads it."""
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.loading, timeout=WAIT_MS)
    assert dialog.result_view.isVisible()
    return dialog.result_view.toPlainText()


def unsynced(window: MainWindow) -> str:
    return window.unsynced_label.text()


# -- tests ----------------------------------------------------------------------------------------


def test_first_sync_registers_then_sends_everything(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio, work: Work, hq: object
) -> None:
    window = sign_in("wang")
    qtbot.waitUntil(lambda: unsynced(window) == "Unsynced: 4")  # the visit and 3 photos
    reloaded: list[bool] = []
    window.portfolio_loaded.connect(lambda: reloaded.append(True))
    dialog = open_sync(qtbot, window, hq.transport)
    assert dialog.registration_box.isVisible()
    assert texts_fit(dialog) == []
    save(dialog, "sync_register_en")
    assert dialog.device_edit.text()  # the host name, ready to accept
    assert "wang" in dialog.registration_intro.text()

    qtbot.keyClicks(dialog.password_edit, portfolio.passwords["wang"])
    start(qtbot, dialog)
    text = finish(qtbot, dialog, window)

    assert dialog.report is not None and dialog.report.ok, text
    assert text.startswith("Sync complete: 0 updates received; 3 photos, 0 reports and 1 visit")
    assert "同步" not in text  # the English half only
    assert dialog.counts_label.text().split() == [
        "Updates", "received:", "0", "Photos", "sent:", "3", "Visits", "sent:", "1"]
    assert not dialog.registration_box.isVisible()
    assert set(work.photos) <= hq.complete and work.visit_id in hq.visits
    assert LaptopSettings().last_server_address == SERVER
    qtbot.waitUntil(lambda: unsynced(window) == "Unsynced: 0")
    assert reloaded  # the due list was queried again


def test_a_wrong_password_is_said_and_nothing_is_registered(
    qtbot: QtBot, sign_in: SignIn, work: Work, hq: object
) -> None:
    window = sign_in("wang")
    i18n.install("zh_CN")
    dialog = open_sync(qtbot, window, hq.transport)
    qtbot.keyClicks(dialog.password_edit, "not my password")
    start(qtbot, dialog)
    text = finish(qtbot, dialog, window)
    assert text == "用户名或密码错误"  # the server's words, in the language shown
    assert dialog.registration_box.isVisible() and not hq.tokens
    assert dialog.start_button.isEnabled() and dialog.password_edit.isEnabled()
    assert texts_fit(dialog) == []
    save(dialog, "sync_register_failed_zh_CN")


def test_an_unreachable_server_is_said_and_the_work_stays_queued(
    qtbot: QtBot, sign_in: SignIn, work: Work, registered: None
) -> None:
    window = sign_in("wang")
    i18n.install("zh_CN")
    qtbot.waitUntil(lambda: unsynced(window) == "未同步：4")
    dialog = open_sync(qtbot, window, unreachable())
    assert not dialog.registration_box.isVisible()

    start(qtbot, dialog)
    text = finish(qtbot, dialog, window)

    assert "无法连接服务器" in text and "unreachable" not in text
    assert "3张照片未能发送" in text
    assert dialog.report is not None and not dialog.report.ok
    assert unsynced(window) == "未同步：4"
    assert texts_fit(dialog) == []
    save(dialog, "sync_unreachable_zh_CN")
    i18n.install("en")  # the outcome follows the language
    text = dialog.result_view.toPlainText()
    assert "the server is unreachable" in text and "无法" not in text
    assert unsynced(window) == "Unsynced: 4"


def test_cancel_stops_the_sync_at_the_next_safe_point(
    qtbot: QtBot, sign_in: SignIn, work: Work, hq: object, registered: None,
    released: threading.Event,
) -> None:
    window = sign_in("wang")
    qtbot.waitUntil(lambda: unsynced(window) == "Unsynced: 4")
    entered = threading.Event()

    def hold_the_first_pull(request: httpx.Request) -> None:
        if request.url.path.endswith("/pull") and not entered.is_set():
            entered.set()
            released.wait(WAIT_MS / 1000)

    hq.on_request = hold_the_first_pull
    dialog = open_sync(qtbot, window, hq.transport)
    start(qtbot, dialog)
    qtbot.waitUntil(entered.is_set, timeout=WAIT_MS)
    assert dialog.running and dialog.cancel_button.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.stage_label.text() == "Cancelling…"
    released.set()
    text = finish(qtbot, dialog, window)

    assert dialog.report is not None and dialog.report.cancelled
    assert "Sync was cancelled" in text
    assert not hq.complete and not hq.visits  # nothing after the pull was sent
    assert [m for m, _ in hq.requests].count("PATCH") == 0
    assert unsynced(window) == "Unsynced: 4"


def test_cancel_while_registering_keeps_the_sync_from_starting(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio, work: Work, hq: object,
    released: threading.Event,
) -> None:
    window = sign_in("wang")
    qtbot.waitUntil(lambda: unsynced(window) == "Unsynced: 4")
    entered = threading.Event()

    def hold_the_registration(request: httpx.Request) -> None:
        if request.url.path.endswith("/devices/register"):
            entered.set()
            released.wait(WAIT_MS / 1000)

    hq.on_request = hold_the_registration
    dialog = open_sync(qtbot, window, hq.transport)
    qtbot.keyClicks(dialog.password_edit, portfolio.passwords["wang"])
    start(qtbot, dialog)
    qtbot.waitUntil(entered.is_set, timeout=WAIT_MS)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.stage_label.text() == "Cancelling…"
    released.set()
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)

    assert hq.tokens  # the registration itself went through
    assert not dialog.registration_box.isVisible()
    assert dialog.report is None  # no sync ran
    assert [m for m, _ in hq.requests] == ["POST"]  # the registration, nothing after it
    assert unsynced(window) == "Unsynced: 4"
    assert dialog.start_button.isEnabled()


def test_a_conflict_is_listed_by_borrower_and_visit(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio, work: Work, hq: object,
    registered: None,
) -> None:
    with SyncClient(portfolio.store, SERVER, transport=hq.transport) as client:
        assert client.sync().ok
    hq.edit_visit(work.visit_id, place="总行修改")  # the server's copy moves ahead
    with portfolio.store.write() as s:
        s.get_one(Visit, work.visit_id).place = "二号仓库"
    window = sign_in("wang")
    dialog = open_sync(qtbot, window, hq.transport)
    start(qtbot, dialog)
    text = finish(qtbot, dialog, window)

    assert dialog.report is not None and dialog.report.conflicts == 1
    assert f"The visit ({work.label}) conflicts with the copy at headquarters" in text
    assert "the copy at headquarters has changed" in text  # the server's words, English half
    assert "Visits in conflict with headquarters (ask your supervisor):" in text
    assert text.rstrip().endswith(work.label)
    assert "#e65100" in dialog.result_view.toHtml()  # not the red of a failure
    assert unsynced(window) == "Unsynced: 1"
    assert texts_fit(dialog) == []
    save(dialog, "sync_conflict_en")
    save(window, "main_window_unsynced_en")


def test_a_supervisors_refused_decision_is_not_sent_to_the_supervisor(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio, hq: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Headquarters refused a decision made here (409 already_reviewed): the heading says the
    decision was not accepted and where to see the one that stands, not "ask your supervisor"
    (the reader is the supervisor)."""
    boss = portfolio.supervisor
    hq.add_user(wire.UserRecord(id=boss.id, username=boss.username,
                                display_name=boss.display_name, role=boss.role.value),
                portfolio.passwords["zhang"])
    with SyncClient(portfolio.store, SERVER, transport=hq.transport) as client:
        client.register("zhang", portfolio.passwords["zhang"], "laptop-boss")
    label = f"甲公司 {portfolio.today().isoformat()}"
    refused = SyncReport(issues=[SyncIssue(
        What.APPROVAL, "visit-1", Reason.CONFLICT,
        "该检查已被复核通过 / the visit was already approved by 张华", label)])
    # What SyncClient.sync reports after the 409 (tests/sync/test_review_sync.py drives that).
    monkeypatch.setattr(SyncDialog, "_sync", lambda _self, _address, _progress: refused)
    window = sign_in("zhang")
    dialog = open_sync(qtbot, window, hq.transport)
    start(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)
    text = dialog.result_view.toPlainText()

    assert f"Your decision on the visit ({label}) was not accepted" in text
    assert ("Decisions headquarters did not accept: another decision stands there. Open the "
            "visit in the review queue to see it:") in text
    assert "ask your supervisor" not in text
    assert text.rstrip().endswith(label)
    assert "#e65100" in dialog.result_view.toHtml()
    i18n.install("zh_CN")
    qtbot.waitUntil(lambda: "总行未接受" in dialog.result_view.toPlainText())
    text = dialog.result_view.toPlainText()
    assert "总行未接受的复核决定：总行已有另一决定，请在复核队列中打开该检查查看：" in text
    assert "请联系主管" not in text
    assert texts_fit(dialog) == []
    save(dialog, "sync_decision_conflict_zh_CN")


def test_a_revoked_laptop_is_told_so(
    qtbot: QtBot, sign_in: SignIn, work: Work, hq: object, registered: None
) -> None:
    hq.revoke(next(iter(hq.tokens.values())))
    window = sign_in("wang")
    dialog = open_sync(qtbot, window, hq.transport)
    start(qtbot, dialog)
    text = finish(qtbot, dialog, window)
    assert text.startswith("This laptop has been revoked by headquarters")
    assert not dialog.start_button.isEnabled()


def test_bilingual_sentences_split_with_the_servers_message_appended() -> None:
    assert split_languages("同步完成 / sync complete") == ("同步完成", "sync complete")
    assert split_languages("检查（甲 2025-03-10）冲突 / the visit (甲 2025-03-10) conflicts"
                           "：总行已更新 / headquarters changed") == (
        "检查（甲 2025-03-10）冲突：总行已更新",
        "the visit (甲 2025-03-10) conflicts: headquarters changed")
    assert split_languages("未能获取 / not received — 无法应用 / not applied: x") == (
        "未能获取 — 无法应用", "not received — not applied: x")
    assert split_languages("plain") == ("plain", "plain")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_sync_dialog_screens(
    qtbot: QtBot, sign_in: SignIn, work: Work, hq: object, registered: None,
    released: threading.Event, lang: str,
) -> None:
    window = sign_in("wang")
    i18n.install(lang)
    patches = 0
    entered = threading.Event()

    def hold_mid_upload(request: httpx.Request) -> None:
        nonlocal patches
        if request.method == "PATCH":
            patches += 1
            if patches == 6:  # part-way through the second photo
                entered.set()
                released.wait(WAIT_MS / 1000)

    hq.on_request = hold_mid_upload
    dialog = open_sync(qtbot, window, hq.transport)
    dialog.resize(640, 420)
    start(qtbot, dialog)
    qtbot.waitUntil(entered.is_set, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "2/3" in dialog.stage_label.text()
                    and dialog.progress_bar.value() > 0, timeout=WAIT_MS)
    during = {"zh_CN": "正在上传照片 2/3…", "en": "Uploading photos 2/3…"}[lang]
    assert dialog.stage_label.text() == during
    assert dialog.progress_bar.maximum() == 1000 and 0 < dialog.progress_bar.value() < 1000
    assert "KB / " in dialog.progress_bar.text()
    assert texts_fit(dialog) == []
    save(dialog, f"sync_during_{lang}")
    released.set()
    text = finish(qtbot, dialog, window)
    assert dialog.report is not None and dialog.report.ok, text
    assert texts_fit(dialog) == []
    save(dialog, f"sync_after_{lang}")
    if lang == "zh_CN":
        assert text.startswith("同步完成：收到0项更新，发送3张照片、0份报告、1次检查")


# -- a visit headquarters refuses, in the officer's words ------------------------------------


def _headquarters_checking(hq: object, store: object, templates: list[object],
                           today: date) -> httpx.MockTransport:
    """The fake headquarters, but a pushed visit is first held against headquarters' own
    document check (hq.document_check.refusal of domain.visit_rules), with ``templates`` as
    the ones it has: its refusal is the real server's ErrorBody."""
    from inspector_app.domain.visit_rules import document_problem
    from inspector_app.hq.document_check import refusal

    def handle(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT" and "/visits/" in request.url.path:
            doc = wire.VisitPush.model_validate_json(request.content).visit.model_dump(
                mode="json")
            register = {c.item_id: c.description for c in store.collateral_of(doc["id"])}
            problem = document_problem(doc, templates, register, today)
            if problem is not None:
                refused = refusal(problem)
                return httpx.Response(refused.status, json=refused.body.model_dump(mode="json"))
        return hq.handle(request)

    return httpx.MockTransport(handle)


CODE_LIKE = (re.compile(r"\b[A-Z]+(?:-[A-Z]+)*-\d+\b"), re.compile(r"\w+@\d+"),
             re.compile(r"\w+\[\d+\]"))


@pytest.mark.parametrize("refused", ["answer", "template"])
def test_a_refused_visit_is_told_in_the_officers_words(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio, work: Work, hq: object,
    registered: None, monkeypatch: pytest.MonkeyPatch, refused: str,
) -> None:
    from inspector_app.store.templates_in_force import shipped_templates
    from inspector_app.sync import push as sync_push

    store = portfolio.store
    store.set_answer(work.visit_id, portfolio.officer, "R-WIL-02", "no")
    with store.read() as s:
        refs = s.get_one(Visit, work.visit_id).template_refs
    routine = next(t for t in shipped_templates() if t.ref == refs[0])
    section = next(s for s in routine.sections for i in s.items if i.code == "R-WIL-02")
    item = next(i for i in section.items if i.code == "R-WIL-02")
    templates = list(shipped_templates())
    if refused == "answer":
        # A laptop whose answer headquarters cannot read (a bug, another version's answers).
        honest = sync_push.visit_record

        def garbled(session: object, visit_id: str) -> wire.VisitRecord | None:
            record = honest(session, visit_id)
            assert record is not None
            answers = [a.model_copy(update={"value": "maybe"}) if a.item_code == "R-WIL-02"
                       else a for a in record.answers]
            return record.model_copy(update={"answers": answers})

        monkeypatch.setattr(sync_push, "visit_record", garbled)
        said = {"zh_CN": f"检查项「{section.title.zh} › {item.question.zh}」的答案：“maybe”无效",
                "en": f"the answer to the item “{section.title.en} › {item.question.en}”: "
                      "“maybe” is not valid"}
    else:
        # Headquarters has not been given the version of the checklist this laptop used.
        templates = [t for t in templates if t.ref != routine.ref]
        said = {"zh_CN": f"本次检查所用的检查模板「{routine.title.zh}（第{routine.version}版）」"
                         "总行尚未发布",
                "en": f"this visit's template “{routine.title.en} (version {routine.version})” "
                      "is not published at headquarters"}

    window = sign_in("wang")
    dialog = open_sync(qtbot, window, _headquarters_checking(hq, store, templates,
                                                                 portfolio.today()))
    start(qtbot, dialog)
    text = finish(qtbot, dialog, window)
    assert dialog.report is not None and not dialog.report.ok
    for lang in ("en", "zh_CN"):
        if lang == "zh_CN":
            i18n.install("zh_CN")
            qtbot.waitUntil(lambda: "未能发送" in dialog.result_view.toPlainText())
            text = dialog.result_view.toPlainText()
        line = next(x for x in text.splitlines() if work.label in x)
        assert said[lang] in line, line
        for code in CODE_LIKE:
            assert code.search(line) is None, (code, line)
        if lang == "en":
            assert line.startswith(f"Visit “{work.label}” could not be sent: the visit was not "
                                   "accepted: "), line
            # The borrower's name is data; no Chinese of the app's own.
            assert re.search(r"[\u4e00-\u9fff]", line.replace(work.label, "")) is None, line
        else:
            assert line.startswith(f"检查“{work.label}”未能发送：检查记录未被接受："), line
            assert re.search(r"[a-z]{4,}", re.sub(r"“[^”]*”", "", line)) is None, line
        assert texts_fit(dialog) == []
        save(dialog, f"sync_refused_{refused}_{lang}")
