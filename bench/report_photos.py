"""Benchmark: what render_report costs for a visit with many photos, against the bare minimum.

The baseline is the work any report with these photos must do, written as plainly as Pillow
and reportlab allow, serially: downscale each 12 MP original to a 1600 px JPEG at quality 80
(open, ``thumbnail``, EXIF orientation, save) and place those JPEGs in a bare reportlab
document, one per page, no text. ``render_report`` additionally lays out the whole report
(tables, captions, fonts, header, footer, watermark) and reads the visit from the database;
it starts from a cold derived cache, so its report copies are made inside the timed run just
as the baseline makes its own. Targets: within 1.2x of the baseline, under 350 KB per photo.

The two contenders alternate which goes first from round to round, so background load on the
machine hits both alike; medians over the rounds are compared. Not a test: it prints
figures, asserts nothing.

    python bench/report_photos.py [--count 60] [--rounds 5] [--dir DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PIL import ExifTags, Image, ImageDraw, ImageOps
from PIL.TiffImagePlugin import IFDRational
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from inspector_app.demo.build import build_demo
from inspector_app.domain.enums import VisitStatus
from inspector_app.reports import pdf
from inspector_app.reports.data import load_report_data
from inspector_app.reports.fonts import register_font
from inspector_app.reports.pdf import render_report
from inspector_app.store.local import LocalStore
from inspector_app.store.models import User

WIDTH, HEIGHT = 4000, 3000  # 12 MP, a typical phone photo
NOISE_FIELDS = 4  # distinct noise fields, cycled: making one per photo would take minutes
LONG_SIDE, QUALITY = 1600, 80  # what PhotoStore.report_copy makes


def generate(directory: Path, count: int, size: tuple[int, int] = (WIDTH, HEIGHT)) -> list[Path]:
    """``count`` distinct JPEGs like a phone's: sensor noise, EXIF time and GPS, every third
    one stored landscape with orientation 6 (shown portrait)."""
    directory.mkdir(parents=True, exist_ok=True)
    width, height = size
    # Sensor-noise texture on a smooth scene compresses like a real photo (4-5 MB at q90 for
    # 12 MP); a flat or purely random image would be unrealistically small or large.
    scene = Image.linear_gradient("L").resize(size).convert("RGB")
    scene = Image.merge("RGB", [scene.getchannel(0), scene.getchannel(0).rotate(180),
                                Image.new("L", size, 110)])
    noises = [
        Image.merge("RGB", [Image.effect_noise(size, 48) for _ in range(3)])
        for _ in range(NOISE_FIELDS)
    ]
    unit = max(1, width // 40)
    paths = []
    for index in range(count):
        im = Image.blend(scene, noises[index % NOISE_FIELDS], 0.3 + 0.005 * (index % 20))
        draw = ImageDraw.Draw(im)
        # A unique stamp per photo, so no two files share a hash; the red block marks the
        # stored top-left corner, so a wrongly rotated photo shows in the report.
        draw.rectangle((unit, unit, unit * (3 + index % 12), unit * 6), fill=(200, 40, 40))
        draw.ellipse((width // 2, height // 3, width // 2 + unit * 8, height // 3 + unit * 8),
                     outline=(255, 255, 255), width=max(1, unit // 4))
        draw.text((unit, unit * 7), f"photo {index:03d}", fill=(255, 255, 255))
        exif = Image.Exif()
        exif[ExifTags.Base.Orientation] = 6 if index % 3 == 1 else 1
        exif[ExifTags.Base.Make] = "BenchPhone"
        exif[ExifTags.IFD.Exif] = {
            ExifTags.Base.DateTimeOriginal: f"2026:11:18 {9 + index // 60:02d}:{index % 60:02d}:00",
            ExifTags.Base.OffsetTimeOriginal: "+08:00",
        }
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (31, 17, IFDRational(5640 + index, 100)),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (120, 35, IFDRational(725, 10)),
        }
        path = directory / f"IMG_{index:04d}.JPG"
        im.save(path, "JPEG", quality=90, exif=exif)
        paths.append(path)
    return paths


def baseline(files: list[Path], out: Path) -> int:
    """The unavoidable work, serially: downscale, save, place one per page. Returns bytes."""
    copies = out / "copies"
    copies.mkdir(parents=True)
    placed = []
    for n, path in enumerate(files):
        with Image.open(path) as im:
            im.thumbnail((LONG_SIDE, LONG_SIDE))
            upright = ImageOps.exif_transpose(im)
            target = copies / f"{n}.jpg"
            upright.save(target, "JPEG", quality=QUALITY)
            placed.append((target, upright.size))
    pdf = out / "baseline.pdf"
    canvas = Canvas(str(pdf), pagesize=A4)
    page_w, page_h = A4
    for target, (w, h) in placed:
        scale = min((page_w - 80) / w, (page_h - 80) / h)
        canvas.drawImage(str(target), 40, 40, w * scale, h * scale)
        canvas.showPage()
    canvas.save()
    return pdf.stat().st_size


def make_visit(data_dir: Path, files: list[Path]) -> tuple[LocalStore, str]:
    """A demo portfolio with the photos attached to one of its completed visits."""
    build_demo(data_dir, today=date(2026, 11, 20))
    store = LocalStore.open(data_dir)
    visit_id = store.visits(VisitStatus.COMPLETED)[0].id
    with store.read() as s:
        officer = s.scalars(select(User).where(User.username == "officer")).one()
    for n, path in enumerate(files):
        store.add_photo(visit_id, officer, path, caption=f"现场照片 {n + 1}：厂区及库存情况")
    return store, visit_id


def cold_cache(store: LocalStore) -> None:
    """Throw away every derived file, so the report copies must be made again."""
    shutil.rmtree(store.photos.root / "derived", ignore_errors=True)


def run_report(store: LocalStore, visit_id: str, out: Path, workers: int | None) -> int:
    """render_report from a cold derived cache, as the app does; returns the file's size.

    ``workers`` caps the report-copy threads (None: render_report's own choice), to show
    what the parallel copies buy.
    """
    cold_cache(store)
    saved = pdf._MAX_WORKERS
    if workers is not None:
        pdf._MAX_WORKERS = workers
    try:
        data = load_report_data(store, visit_id, "zh")
        render_report(data, store.photos, out / "report.pdf")
    finally:
        pdf._MAX_WORKERS = saved
    return (out / "report.pdf").stat().st_size


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60, help="photos to generate")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds of each")
    parser.add_argument("--serial", action="store_true",
                        help="also time render_report with one report-copy thread")
    parser.add_argument("--dir", type=Path, default=None, help="work directory (a temp dir)")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="report_photos_", dir=args.dir))
    try:
        start = time.perf_counter()
        files = generate(work / "photos", args.count)
        sizes = [p.stat().st_size for p in files]
        print(f"generated {len(files)} JPEGs of {WIDTH}x{HEIGHT} in "
              f"{time.perf_counter() - start:.1f} s: mean {statistics.mean(sizes) / 2**20:.2f} "
              f"MB, in {work}; {pdf._MAX_WORKERS} report-copy threads")
        store, visit_id = make_visit(work / "data", files)
        register_font()  # parsed once per process, as in the app: not part of either run
        # The bare document gets binary streams too (no ASCII85), as render_report uses.
        rl_config.useA85 = 0

        contenders: dict[str, Callable[[Path], int]] = {
            "baseline": lambda out: baseline(files, out),
            "report": lambda out: run_report(store, visit_id, out, None),
        }
        if args.serial:
            contenders["report-1t"] = lambda out: run_report(store, visit_id, out, 1)
        times: dict[str, list[float]] = {name: [] for name in contenders}
        size: dict[str, int] = {}
        for round_no in range(args.rounds):
            order = list(contenders)
            if round_no % 2:
                order.reverse()
            totals: dict[str, float] = {}
            for name in order:
                out = Path(tempfile.mkdtemp(dir=work))
                t0 = time.perf_counter()
                size[name] = contenders[name](out)
                totals[name] = time.perf_counter() - t0
                times[name].append(totals[name])
                shutil.rmtree(out)
            print(f"round {round_no + 1}: "
                  + "  ".join(f"{name} {totals[name]:6.2f} s" for name in contenders)
                  + f"  ratio {totals['report'] / totals['baseline']:.2f}x")

        medians = {name: statistics.median(values) for name, values in times.items()}
        print()
        print(f"{'':10}{'median s':>10}{'ms/photo':>10}{'best s':>10}{'KB/photo':>10}")
        for name, median in medians.items():
            print(f"{name:10}{median:10.2f}{median / len(files) * 1000:10.1f}"
                  f"{min(times[name]):10.2f}{size[name] / len(files) / 1024:10.1f}")
        for name in contenders:
            if name == "baseline":
                continue
            ratio = medians[name] / medians["baseline"]
            print(f"\nratio {name} / baseline = {ratio:.2f}x "
                  f"({'within' if ratio <= 1.2 else 'ABOVE'} the 1.2x target)", end="")
        per_photo = size["report"] / len(files) / 1024
        print(f"\nreport size per photo = {per_photo:.0f} KB "
              f"({'within' if per_photo < 350 else 'ABOVE'} the 350 KB target)")
        store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
