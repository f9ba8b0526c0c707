"""From completed to signed in one flow (issue #13, item 2): the completion page, once nothing
is missing, offers "Sign report…" right there — preview, handwritten signature, certificate
password, sign — and the signed visit waits for the next sync. A wrong password keeps the
window open and says so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot
from test_screens import save, texts_fit
from test_signature_pad import ZIGZAG, draw
from visit_pages_support import DEMO_TODAY, DemoVisit, answer_everything_normally, start_demo_visit

from inspector_app.domain.enums import CollateralStatus, VisitStatus
from inspector_app.gui import i18n
from inspector_app.gui.app import use_bundled_font
from inspector_app.gui.editor.completion_page import CompletionPage
from inspector_app.gui.editor.window import VisitEditor
from inspector_app.gui.reports.sign_dialog import SignReportDialog
from inspector_app.reports import files as report_files
from inspector_app.reports.certificate_files import import_certificate, import_trusted_ca
from inspector_app.reports.certs import TestCA, make_test_ca
from inspector_app.store import outbox

SIGNING_MS = 30_000  # rendering and signing a report, on a loaded test machine


@pytest.fixture
def visit(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoVisit]:
    yield from start_demo_visit(tmp_path, tmp_path_factory)


@pytest.fixture
def ca(tmp_path: Path, visit: DemoVisit) -> TestCA:
    """A test CA made now, its certificate for the visit's officer imported on this laptop."""
    officer = visit.officer
    made = make_test_ca(tmp_path / "ca", [(officer.username, officer.display_name)])
    data_dir = visit.store.data_dir
    import_certificate(data_dir, officer.username, made.user(officer.username).p12_path,
                       made.user(officer.username).password)
    import_trusted_ca(data_dir, made.ca_cert_path)
    return made


def nothing_missing(visit: DemoVisit) -> None:
    """Header, checklist, collateral and next date filled in: the list will be empty."""
    answer_everything_normally(visit)
    store, officer = visit.store, visit.officer
    for row in store.collateral_of(visit.visit_id):
        store.observe_collateral(visit.visit_id, officer, row.item_id,
                                 status=CollateralStatus.PRESENT, location_checked=True)
    state = store.conclusion_of(visit.visit_id)
    store.set_conclusion(visit.visit_id, officer, next_due_on=state.next_due_range[1])


@pytest.fixture
def editor(qtbot: QtBot, visit: DemoVisit) -> Iterator[VisitEditor]:
    """The visit's editor, open on its completion page with nothing missing."""
    nothing_missing(visit)
    window = VisitEditor(visit.store, visit.officer, visit.visit_id, today=lambda: DEMO_TODAY,
                         page="completion")
    window.resize(1280, 700)
    window.show()
    qtbot.waitUntil(lambda: window.loaded, timeout=5000)
    page = completion(window)
    qtbot.waitUntil(lambda: page.view is not None and not page.busy, timeout=5000)
    yield window
    if not window.isHidden():
        window.close()
    window.ctx.wait_for_saves()
    assert QThreadPool.globalInstance().waitForDone(SIGNING_MS)


def completion(editor: VisitEditor) -> CompletionPage:
    page = editor.page("completion")
    assert isinstance(page, CompletionPage)
    return page


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def status(visit: DemoVisit) -> VisitStatus:
    return visit.store.visit_header(visit.visit_id).status


def open_signing(qtbot: QtBot, page: CompletionPage) -> SignReportDialog:
    click(qtbot, page.sign_button)
    qtbot.waitUntil(lambda: page.signing.dialog is not None and page.signing.dialog.isVisible(),
                    timeout=5000)
    dialog = page.signing.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def sign_with(qtbot: QtBot, page: CompletionPage, dialog: SignReportDialog,
              password: str) -> None:
    dialog.password_edit.setFocus()
    dialog.password_edit.selectAll()  # typed over what is there, as after a refusal
    qtbot.keyClicks(dialog.password_edit, password)
    click(qtbot, dialog.sign_button)
    qtbot.waitUntil(lambda: not dialog.busy and not page.signing.busy, timeout=SIGNING_MS)


def test_a_complete_visit_is_signed_from_the_completion_page_after_a_wrong_password(
    qtbot: QtBot, editor: VisitEditor, visit: DemoVisit, ca: TestCA
) -> None:
    i18n.install("en")
    page = completion(editor)
    assert page.missing_texts() == []
    assert page.sign_button.isVisible() and page.sign_button.text() == "&Sign report…"
    assert status(visit) is VisitStatus.DRAFT

    dialog = open_signing(qtbot, page)  # marks the draft completed on the way
    assert status(visit) is VisitStatus.COMPLETED
    assert "2026-11-20" in dialog.purpose.text()
    assert dialog.signing.certificate_label.text().startswith("Certificate: ")

    # A look at the report first: a draft rendered off the UI thread, in a print preview.
    click(qtbot, dialog.preview_button)
    qtbot.waitUntil(lambda: page.signing._views is not None
                    and page.signing._views.last_preview is not None
                    and page.signing._views.last_preview.dialog is not None, timeout=SIGNING_MS)
    preview = page.signing._views.last_preview
    assert len(preview.pages) >= 1
    preview.dialog.reject()
    assert dialog.isVisible()

    # Sign without a drawing: said, nothing done.
    click(qtbot, dialog.sign_button)
    assert dialog.message.text() == "Sign in the box."
    draw(dialog.pad, ZIGZAG)

    sign_with(qtbot, page, dialog, "not the password")
    assert dialog.isVisible()  # still open, saying why
    assert dialog.message.isVisible()
    assert dialog.message.text() == "The report was not signed: wrong certificate password"
    assert dialog.focusWidget() is dialog.password_edit  # to be typed again
    assert not dialog.pad.is_empty()  # the drawing is kept
    assert status(visit) is VisitStatus.COMPLETED
    assert report_files.latest_report(visit.store, visit.visit_id) is None

    sign_with(qtbot, page, dialog, ca.user(visit.officer.username).password)
    qtbot.waitUntil(lambda: status(visit) is VisitStatus.SIGNED, timeout=SIGNING_MS)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    report = report_files.latest_report(visit.store, visit.visit_id)
    assert report is not None and report.stage == report_files.SIGNED
    assert report_files.report_path(visit.store.data_dir, report.sha256).exists()
    assert dialog.password_edit.text() == ""  # not kept in a hidden window

    # Submitted at the next sync: the visit and its report file wait in the outbox.
    with visit.store.read() as s:
        assert visit.visit_id in {p.ref for p in outbox.pending(s, outbox.VISIT)}
        assert report.sha256 in {p.ref for p in outbox.pending(s, outbox.BLOB)}
    assert "next sync" in page.message.text()
    qtbot.waitUntil(lambda: editor.read_only, timeout=5000)  # a signed visit is locked
    qtbot.waitUntil(lambda: not page.busy and page.summary.text()
                    == "Status of this visit: Signed.", timeout=5000)
    assert not page.sign_button.isVisible() and not page.complete_button.isEnabled()
    assert editor.save_status.text() == "Signed visit: read only"


def test_a_refused_completion_opens_no_signing(
    qtbot: QtBot, editor: VisitEditor, visit: DemoVisit, ca: TestCA
) -> None:
    i18n.install("en")
    page = completion(editor)
    # Something goes missing after the list was read: the store has the last word.
    visit.store.update_visit(visit.visit_id, visit.officer, place=" ")
    click(qtbot, page.sign_button)
    qtbot.waitUntil(lambda: not page.busy and "still missing" in page.message.text(),
                    timeout=5000)
    assert page.signing.dialog is None
    assert status(visit) is VisitStatus.DRAFT
    assert not page.sign_button.isVisible()  # the list shows what is missing again


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_screenshots(
    qtbot: QtBot, editor: VisitEditor, visit: DemoVisit, ca: TestCA, lang: str
) -> None:
    use_bundled_font(QApplication.instance())
    i18n.install(lang)
    page = completion(editor)
    assert page.sign_button.text() == ("&Sign report…" if lang == "en" else "签署报告(&S)…")
    assert texts_fit(page) == []
    save(editor, f"completion_sign_{lang}")
    dialog = open_signing(qtbot, page)
    draw(dialog.pad, ZIGZAG)
    click(qtbot, dialog.sign_button)  # no password yet: said in the window
    assert dialog.message.isVisible()
    assert texts_fit(dialog) == []
    save(dialog, f"completion_sign_dialog_{lang}")
    dialog.reject()
