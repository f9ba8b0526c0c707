"""Benchmark: how much PhotoStore.add_file costs over the bare minimum of photo ingest.

The baseline is what any ingest must do at the least, written as plainly as Pillow allows:
open, ``thumbnail(256)`` (which decodes a JPEG once, at reduced DCT scale), save the JPEG
thumbnail, and SHA-256 the file. ``add_file`` additionally validates the whole file, reads
EXIF, applies the orientation, and writes the original and the thumbnail atomically with
fsync. Target: add_file within 1.3x of the baseline.

Both run on the same generated photos, into fresh output directories each round. They are
interleaved photo by photo, in alternating order, so that load from other processes on the
machine (which swings the absolute figures by tens of percent) hits both alike. Each
contender's time per round is the sum of its per-photo times; the medians over the rounds are
compared. Not a test: it prints figures, asserts nothing.

    python bench/photo_ingest.py [--count 50] [--rounds 5] [--dir DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PIL import ExifTags, Image, ImageDraw
from PIL.TiffImagePlugin import IFDRational

from inspector_app.store.photos import PhotoStore

WIDTH, HEIGHT = 4000, 3000  # 12 MP, a typical phone photo
NOISE_FIELDS = 4  # distinct noise fields, cycled: making one per photo would take minutes


def generate(directory: Path, count: int) -> list[Path]:
    """Write ``count`` distinct 12 MP JPEGs with phone-like EXIF and phone-like file sizes."""
    directory.mkdir(parents=True, exist_ok=True)
    # Sensor-noise texture on a smooth scene compresses like a real photo (4-5 MB at q90);
    # a flat or purely random image would be unrealistically small or large.
    scene = Image.linear_gradient("L").resize((WIDTH, HEIGHT)).convert("RGB")
    noises = [
        Image.merge("RGB", [Image.effect_noise((WIDTH, HEIGHT), 48) for _ in range(3)])
        for _ in range(NOISE_FIELDS)
    ]
    paths = []
    for index in range(count):
        im = Image.blend(scene, noises[index % NOISE_FIELDS], 0.3 + 0.005 * (index % 20))
        draw = ImageDraw.Draw(im)
        # A unique stamp per photo, so no two files share a hash and deduplication never
        # lets the store skip work the baseline does.
        draw.rectangle((100, 100, 100 + 60 * (index + 1), 400), fill=(200, 40, 40))
        draw.text((120, 450), f"photo {index:03d}", fill=(255, 255, 255))
        exif = Image.Exif()
        exif[ExifTags.Base.Orientation] = 6 if index % 2 else 1  # half taken upright
        exif[ExifTags.Base.Make] = "BenchPhone"
        exif[ExifTags.IFD.Exif] = {
            ExifTags.Base.DateTimeOriginal: f"2024:05:06 14:{index % 60:02d}:00",
            ExifTags.Base.OffsetTimeOriginal: "+08:00",
        }
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (31, 13, IFDRational(3015 + index, 100)),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (121, 28, IFDRational(125, 10)),
        }
        path = directory / f"IMG_{index:04d}.JPG"
        im.save(path, "JPEG", quality=90, exif=exif)
        paths.append(path)
    return paths


class Baseline:
    """The plain loop: one reduced-scale decode, thumbnail, save, hash."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.count = 0

    def __call__(self, path: Path) -> None:
        with Image.open(path) as im:
            im.thumbnail((256, 256))
            im.save(self.out / f"{self.count}.jpg", "JPEG")
        hashlib.sha256(path.read_bytes()).hexdigest()
        self.count += 1


class AddFile:
    """PhotoStore.add_file into a fresh store."""

    def __init__(self, out: Path) -> None:
        self.store = PhotoStore(out / "store")

    def __call__(self, path: Path) -> None:
        self.store.add_file(path)


CONTENDERS: dict[str, Callable[[Path], Callable[[Path], None]]] = {
    "baseline": Baseline,
    "add_file": AddFile,
}


def one_round(files: list[Path], work: Path, round_no: int) -> dict[str, float]:
    outs = {name: Path(tempfile.mkdtemp(dir=work)) for name in CONTENDERS}
    runners = {name: make(outs[name]) for name, make in CONTENDERS.items()}
    totals = dict.fromkeys(CONTENDERS, 0.0)
    try:
        for index, path in enumerate(files):
            names = list(CONTENDERS)
            if (index + round_no) % 2:
                names.reverse()
            for name in names:
                start = time.perf_counter()
                runners[name](path)
                totals[name] += time.perf_counter() - start
    finally:
        for out in outs.values():
            shutil.rmtree(out)
    return totals


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50, help="photos to generate")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds of each")
    parser.add_argument("--dir", type=Path, default=None, help="work directory (a temp dir)")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="photo_ingest_", dir=args.dir))
    try:
        start = time.perf_counter()
        files = generate(work / "photos", args.count)
        sizes = [p.stat().st_size for p in files]
        print(
            f"generated {len(files)} JPEGs of {WIDTH}x{HEIGHT} in "
            f"{time.perf_counter() - start:.1f} s: mean {statistics.mean(sizes) / 2**20:.2f} MB, "
            f"{min(sizes) / 2**20:.2f}-{max(sizes) / 2**20:.2f} MB, in {work}"
        )

        one_round(files[:3], work, 0)  # warm-up: imports, allocator, code paths

        times: dict[str, list[float]] = {name: [] for name in CONTENDERS}
        for round_no in range(args.rounds):
            totals = one_round(files, work, round_no)
            for name, total in totals.items():
                times[name].append(total)
            ratio = totals["add_file"] / totals["baseline"]
            print(
                f"round {round_no + 1}: "
                + "  ".join(f"{name} {total:6.2f} s" for name, total in totals.items())
                + f"  ratio {ratio:.2f}x"
            )

        medians = {name: statistics.median(values) for name, values in times.items()}
        print()
        print(f"{'':10}{'median s':>10}{'ms/photo':>10}{'photos/s':>10}{'best s':>10}")
        for name, median in medians.items():
            print(
                f"{name:10}{median:10.2f}{median / len(files) * 1000:10.1f}"
                f"{len(files) / median:10.1f}{min(times[name]):10.2f}"
            )
        ratio = medians["add_file"] / medians["baseline"]
        verdict = "within" if ratio <= 1.3 else "ABOVE"
        print(f"\nratio add_file / baseline = {ratio:.2f}x ({verdict} the 1.3x target)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
