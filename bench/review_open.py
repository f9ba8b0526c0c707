"""Opening a 60-photo team visit read-only on a supervisor's laptop holding 20,000 team visits.

Builds a --scale demo portfolio (8,000 borrowers: 40,000 visits, about 20,000 of them the
demo supervisor's team's) or reuses one given with --data-dir, adds one submitted visit of a
team officer with every checklist item answered and 60 photos (1600 × 1200 JPEGs), then
prints figures against a baseline measured in the same run (the queue itself is
bench/review_queue.py's):

* open: a VisitEditor on that visit as the supervisor (read-only), from construction to its
  first page painted; then the photos page until every thumbnail is in — baseline: a bare
  QMainWindow shown and painted. Aim: first page < 300 ms, photos filling in after.
* the supervisor's real path: MainWindow.open_visit on a supervisor's main window (its
  portfolio and review queue loaded first, and reloaded after each close, not timed), which
  also gives the editor the reviewer's extras (gui/review/extras.ReviewExtras): to its first
  page painted, to the header page showing the visit's fields, to the reviewer's pages and
  banner in, and to "settled" (no read left running, every page of the list built).

    python bench/review_open.py                       # build in a temp dir
    python bench/review_open.py --data-dir DIR        # build there once, reuse afterwards
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from photo_ui import run_until, small_photos
from sqlalchemy import func, select, update

from inspector_app.demo.build import build_demo
from inspector_app.domain.checklist import parse_answer
from inspector_app.domain.enums import AnswerType, VisitKind, VisitStatus
from inspector_app.store.local import LocalStore, user_row
from inspector_app.store.models import Borrower, User, Visit
from inspector_app.store.visit_checks import visit_checklist

FIRST_PAGE_TARGET_MS = 300.0
PHOTOS = 60
MARK = "BENCH-60"  # the 60-photo visit's place, so a reused data dir finds it again


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="build here once and reuse it afterwards")
    parser.add_argument("--scale", type=int, default=8_000, help="borrowers to generate")
    parser.add_argument("--opens", type=int, default=5, help="timed opens of the visit")
    args = parser.parse_args()
    temporary = args.data_dir is None
    data_dir = Path(tempfile.mkdtemp(prefix="review-bench-")) / "data" if temporary \
        else args.data_dir
    try:
        store = prepare(data_dir, args.scale)
        try:
            measure_open(store, args.opens)
            measure_main_window_open(store, args.opens)
        finally:
            store.close()
    finally:
        if temporary:
            shutil.rmtree(data_dir.parent, ignore_errors=True)


def prepare(data_dir: Path, scale: int) -> LocalStore:
    if not data_dir.exists():
        print(f"building a --scale {scale:,} demo in {data_dir} …", flush=True)
        build_demo(data_dir, scale=scale)
    store = LocalStore.open(data_dir)
    with store.read() as s:
        supervisor = s.scalar(select(User).where(User.username == "supervisor"))
        assert supervisor is not None, "not a demo data dir"
        team = (select(User.id).where(User.supervisor_id == supervisor.id)).scalar_subquery()
        count = s.scalar(select(func.count()).select_from(Visit)
                         .where(Visit.officer_id.in_(team))) or 0
        waiting = s.scalar(select(func.count()).select_from(Visit).where(
            Visit.officer_id.in_(team), Visit.status == VisitStatus.SUBMITTED)) or 0
        existing = s.scalar(select(Visit.id).where(Visit.place == MARK))
    print(f"team visits on the supervisor's laptop: {count:,} ({waiting:,} submitted)")
    if existing is None:
        print(f"adding a submitted visit with {PHOTOS} photos …", flush=True)
        add_photo_visit(store, data_dir.parent / "camera")
    return store


def add_photo_visit(store: LocalStore, folder: Path) -> None:
    """A team officer's visit with every item answered and 60 photos, then marked submitted
    (as the feed would bring it: signing needs a certificate the bench does not make)."""
    with store.read() as s:
        officer = s.scalar(select(User).where(User.username == "officer"))
        assert officer is not None
        borrower_id = s.scalar(select(Borrower.id).where(Borrower.officer_id == officer.id)
                               .order_by(Borrower.code).limit(1))
    assert borrower_id is not None
    visit = store.start_visit(borrower_id, officer, VisitKind.ROUTINE,
                              visit_date=date(2026, 11, 20), place=MARK)
    for item in visit_checklist(visit).items():
        raw = {AnswerType.YES_NO: "yes", AnswerType.NUMBER: "1", AnswerType.MONEY: "50000",
               AnswerType.DATE: "2026-11-20", AnswerType.TEXT: "经营正常",
               AnswerType.CHOICE: item.choices[0].code if item.choices else ""}[item.type]
        parse_answer(item, raw)
        store.set_answer(visit.id, officer, item.code, raw, note="基准测试")
    for n, path in enumerate(small_photos(folder, PHOTOS)):
        store.add_photo(visit.id, officer, path, caption=f"现场照片 {n + 1}")
    with store.write() as s:
        s.execute(update(Visit).where(Visit.id == visit.id)
                  .values(status=VisitStatus.SUBMITTED))


def measure_open(store: LocalStore, opens: int) -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    from inspector_app.gui.editor.window import VisitEditor

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with store.read() as s:
        supervisor = s.scalar(select(User).where(User.username == "supervisor"))
        visit_id = s.scalar(select(Visit.id).where(Visit.place == MARK))
        assert supervisor is not None and visit_id is not None
        me = user_row(supervisor)

    bare = []
    for _ in range(opens):
        start = time.perf_counter()
        window = QMainWindow()
        window.resize(1100, 700)
        window.show()
        window.repaint()
        app.processEvents()
        bare.append((time.perf_counter() - start) * 1000)
        window.close()
        window.deleteLater()
        app.processEvents()
    bare_median = statistics.median(bare)
    print(f"\nbaseline  bare QMainWindow shown and painted     median {bare_median:6.1f} ms")

    firsts, datas, fills = [], [], []
    for _ in range(opens):
        start = time.perf_counter()
        editor = VisitEditor(store, me, visit_id)
        editor.show()
        run_until(app, lambda editor=editor: editor.loaded)
        editor.repaint()
        app.processEvents()
        firsts.append((time.perf_counter() - start) * 1000)
        run_until(app, lambda editor=editor: header_shown(editor))
        datas.append((time.perf_counter() - start) * 1000)
        assert editor.read_only, "a submitted team visit opens read-only"
        photos = editor.page("photos")
        assert photos is not None
        start = time.perf_counter()
        editor.show_page("photos")
        model = photos.model  # type: ignore[attr-defined]
        run_until(app, lambda photos=photos, model=model: not photos.loading
                  and model.thumbnails_pending == 0 and model.thumbnails_loaded == PHOTOS)
        fills.append((time.perf_counter() - start) * 1000)
        editor.close()
        editor.deleteLater()
        app.processEvents()
    first = statistics.median(firsts)
    verdict = "ok" if first < FIRST_PAGE_TARGET_MS else "OVER"
    print(f"open read-only (aim first page < {FIRST_PAGE_TARGET_MS:.0f} ms):")
    print(f"  first page on screen   median {first:6.1f} ms  max {max(firsts):6.1f} ms  "
          f"({first / bare_median:4.1f}× bare)  {verdict}")
    print(f"  header fields shown    median {statistics.median(datas):6.1f} ms  "
          f"max {max(datas):6.1f} ms")
    print(f"  {PHOTOS} thumbnails filled  median {statistics.median(fills):6.1f} ms  "
          f"max {max(fills):6.1f} ms after switching to the photos page")


def header_shown(editor: object) -> bool:
    """The editor's first page (the header) shows the visit's fields, read from the store."""
    page = editor.header_page  # type: ignore[attr-defined]
    return page is not None and page.header is not None


def measure_main_window_open(store: LocalStore, opens: int) -> None:
    """MainWindow.open_visit as the supervisor: the editor with the reviewer's extras."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from inspector_app.gui.laptop_settings import LaptopSettings
    from inspector_app.gui.review.extras import ReviewExtras
    from inspector_app.gui.worklist.main_window import MainWindow

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    with store.read() as s:
        supervisor = s.scalar(select(User).where(User.username == "supervisor"))
        visit_id = s.scalar(select(Visit.id).where(Visit.place == MARK))
        assert supervisor is not None and visit_id is not None
        me = user_row(supervisor)
    ini = Path(tempfile.mkdtemp(prefix="review-bench-ini-")) / "settings.ini"
    window = MainWindow(store, me, LaptopSettings(QSettings(str(ini), QSettings.Format.IniFormat)),
                        today=lambda: date(2026, 11, 25))
    window.show()
    queue = window.review_queue
    assert queue is not None, "the supervisor's window has the review queue"
    run_until(app, lambda: not window.loading and not queue.loading)
    app.processEvents()

    firsts, datas, extras_in, settled = [], [], [], []
    for _ in range(opens):
        start = time.perf_counter()
        editor = window.open_visit(visit_id)
        run_until(app, lambda editor=editor: editor.loaded)  # type: ignore[attr-defined]
        editor.repaint()
        app.processEvents()
        firsts.append((time.perf_counter() - start) * 1000)
        run_until(app, lambda editor=editor: header_shown(editor))
        datas.append((time.perf_counter() - start) * 1000)
        extras = editor.findChild(ReviewExtras)
        assert isinstance(extras, ReviewExtras), "a supervisor's editor has the extras"
        run_until(app, lambda extras=extras: extras.situation is not None)
        extras_in.append((time.perf_counter() - start) * 1000)
        run_until(app, lambda editor=editor: all_settled(editor))
        settled.append((time.perf_counter() - start) * 1000)
        editor.close()  # WA_DeleteOnClose
        app.processEvents()
        run_until(app, lambda: visit_id not in window.visit_editors)
        # A closed editor reloads the portfolio and the queue (it may have changed the
        # visit): those queries end before the next open is timed.
        run_until(app, lambda: not window.loading and not queue.loading)
    window.close()
    window.deleteLater()
    app.processEvents()
    shutil.rmtree(ini.parent, ignore_errors=True)
    first = statistics.median(firsts)
    verdict = "ok" if first < FIRST_PAGE_TARGET_MS else "OVER"
    print("MainWindow.open_visit as the supervisor (editor + review extras):")
    print(f"  first page on screen   median {first:6.1f} ms  max {max(firsts):6.1f} ms  "
          f"{verdict}")
    print(f"  header fields shown    median {statistics.median(datas):6.1f} ms  "
          f"max {max(datas):6.1f} ms")
    print(f"  review pages + banner  median {statistics.median(extras_in):6.1f} ms  "
          f"max {max(extras_in):6.1f} ms")
    print(f"  settled (all built)    median {statistics.median(settled):6.1f} ms  "
          f"max {max(settled):6.1f} ms")


def all_settled(editor: object) -> bool:
    """No read of the editor still running, and every page it lists built."""
    ctx = editor.ctx  # type: ignore[attr-defined]
    pages = editor.pages  # type: ignore[attr-defined]
    return ctx.reads.pending == 0 and ctx.item_comments.ready and all(
        getattr(page, "built", True) for page in pages)


if __name__ == "__main__":
    main()
