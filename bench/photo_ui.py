"""Benchmark: does the photo page keep the UI thread free, and what do its thumbnails cost?

(a) The UI thread's longest stall while 50 large photos (4000 x 3000 JPEG, 4-5 MB each) are
    imported through the page's own import path (VisitPhotosPage.import_paths: worker,
    progress dialog, refresh, thumbnails). A QTimer ticks every 10 ms; the longest gap
    between ticks is the worst freeze the officer would feel. The same timer on the idle
    event loop, in the same run, is the baseline. Target: under 100 ms.
(b) Resident memory after a page with 200 photos has loaded every thumbnail, against the
    same process showing an empty page.

Not a test: it prints figures, asserts nothing.

    QT_QPA_PLATFORM=offscreen python bench/photo_ui.py [--photos 50] [--grid 200]
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from photo_ingest import generate
from PIL import Image, ImageDraw
from PySide6.QtCore import QElapsedTimer, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication

from inspector_app.domain.enums import BorrowerKind, Industry, Role, VisitKind
from inspector_app.gui.editor.context import VisitContext
from inspector_app.gui.editor.photos.photos_page import VisitPhotosPage
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, User

TICK_MS = 10
VISIT_DATE = date(2026, 11, 20)


class StallMeter:
    """A 10 ms QTimer on the UI thread; the longest gap between its ticks."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.longest = 0
        self.ticks = 0
        self._last = 0

    def start(self) -> None:
        self.longest, self.ticks = 0, 0
        self.clock.start()
        self._last = 0
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return float(self.longest)

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.longest = max(self.longest, now - self._last)
        self._last = now
        self.ticks += 1


def run_until(app: QApplication, done: Callable[[], bool], limit_s: float = 600) -> float:
    start = time.perf_counter()
    while not done():
        app.processEvents()
        time.sleep(0.001)
        if time.perf_counter() - start > limit_s:
            raise TimeoutError("the page did not finish in time")
    return time.perf_counter() - start


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def new_visit(store: LocalStore, code: str, officer: User) -> str:
    with store.write() as s:
        borrower = Borrower(code=code, name=f"基准测试公司 {code}", kind=BorrowerKind.COMPANY,
                            industry=Industry.MANUFACTURING, id_number=f"9132{code}",
                            officer_id=officer.id)
        s.add(borrower)
        s.flush()
        borrower_id = borrower.id
    return store.start_visit(borrower_id, officer, VisitKind.ROUTINE, visit_date=VISIT_DATE).id


def small_photos(folder: Path, count: int) -> list[Path]:
    """Distinct 1600 x 1200 JPEGs (the grid only ever shows 150-px thumbnails of them)."""
    folder.mkdir(parents=True, exist_ok=True)
    base = Image.linear_gradient("L").resize((1600, 1200)).convert("RGB")
    paths = []
    for n in range(count):
        im = base.copy()
        ImageDraw.Draw(im).rectangle((50, 50, 60 + 7 * n, 400), fill=(n % 256, 90, 200))
        path = folder / f"G{n:04d}.jpg"
        im.save(path, "JPEG", quality=85)
        paths.append(path)
    return paths


def open_page(app: QApplication, ctx: VisitContext) -> VisitPhotosPage:
    page = VisitPhotosPage(ctx)
    page.resize(1180, 700)
    page.show()
    run_until(app, lambda: not page.loading and page.model.thumbnails_pending == 0
              and page.model.thumbnails_loaded == page.model.rowCount())
    return page


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=50)
    parser.add_argument("--grid", type=int, default=200)
    parser.add_argument("--idle-seconds", type=float, default=3.0)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    work = Path(tempfile.mkdtemp(prefix="photo-ui-", dir=args.dir))
    try:
        print(f"generating {args.photos} photos of 4000 x 3000 ...", flush=True)
        big = generate(work / "big", args.photos)
        size_mb = sum(p.stat().st_size for p in big) / 2**20
        store = LocalStore.open(work / "data")
        officer = store.create_user("bench", "bench-pass-1", "基准", Role.OFFICER)
        ctx = VisitContext(store, officer, new_visit(store, "B0001", officer),
                           today=lambda: VISIT_DATE)

        # (a) the UI thread while importing through the page
        meter = StallMeter()
        meter.start()
        run_until(app, lambda: meter.clock.elapsed() >= args.idle_seconds * 1000)
        idle = meter.stop()
        idle_ticks = meter.ticks
        page = open_page(app, ctx)
        meter.start()
        page.import_paths(big)
        seconds = run_until(app, lambda: page.job is not None and not page.job.running
                            and not page.loading and page.model.thumbnails_pending == 0
                            and page.model.thumbnails_loaded == args.photos)
        busy = meter.stop()
        print(f"(a) UI thread, longest gap between {TICK_MS} ms ticks:")
        print(f"    idle event loop ({args.idle_seconds:.0f} s, {idle_ticks} ticks): "
              f"{idle:.0f} ms")
        print(f"    importing {args.photos} photos ({size_mb:.0f} MB) through the page, "
              f"{seconds:.1f} s, {meter.ticks} ticks, until every thumbnail showed: "
              f"{busy:.0f} ms   (target < 100 ms)")
        page.close()
        page.deleteLater()
        app.processEvents()

        # (b) memory of a page with many thumbnails
        grid_visit = new_visit(store, "B0002", officer)
        print(f"storing {args.grid} photos for the memory figure ...", flush=True)
        store.import_photos(grid_visit, officer, small_photos(work / "grid", args.grid))
        empty_ctx = VisitContext(store, officer, new_visit(store, "B0003", officer))
        empty = open_page(app, empty_ctx)
        gc.collect()
        before = rss_mb()
        full_ctx = VisitContext(store, officer, grid_visit)
        full = open_page(app, full_ctx)
        app.processEvents()
        gc.collect()
        after = rss_mb()
        print(f"(b) resident memory: empty page {before:.1f} MB; page with "
              f"{full.model.rowCount()} photos, {full.model.thumbnails_loaded} thumbnails "
              f"loaded: {after:.1f} MB (+{after - before:.1f} MB, "
              f"{(after - before) * 1024 / max(args.grid, 1):.0f} KB a photo)")
        for widget in (empty, full):
            widget.close()
        for context in (ctx, empty_ctx, full_ctx):
            context.wait_for_saves()
        QThreadPool.globalInstance().waitForDone()
        store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
