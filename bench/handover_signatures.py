"""The handover record's three signatures: what each step costs and what the third adds.

A record of --borrowers borrowers (default 50) is signed by the officer handing over,
countersigned by the one taking over and confirmed by the supervisor; each step --repeat
times (default 3), and headquarters' verification (every signature, chained to the root) of
the countersigned record (the baseline: what completion checked before) and of the confirmed
one. Prints the median of each and the files' sizes.

    python bench/handover_signatures.py [--borrowers 50] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from inspector_app.reports.certs import make_test_ca
from inspector_app.reports.handover_signing import (
    confirm_handover,
    countersign_handover,
    sign_handover,
)
from inspector_app.reports.verify import verify_bytes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "core"))
from test_handover_pdf import NAMES, _every_code_record  # a test's record


def _median(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--borrowers", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    record = _every_code_record()
    borrowers = record.record["borrowers"]
    record.record["borrowers"] = [
        {**borrowers[n % len(borrowers)], "code": f"C{n:04d}"} for n in range(args.borrowers)]
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        ca = make_test_ca(tmp / "ca", [("a", "李明"), ("b", "王芳"), ("s", "张伟")])
        when = datetime.now(UTC)
        paths = {k: tmp / f"{k}.pdf" for k in ("signed", "both", "three")}

        def sign() -> object:
            return sign_handover(record, NAMES, ca.user("a").p12_path, ca.user("a").password,
                                 paths["signed"], signed_at=when)

        def countersign() -> object:
            return countersign_handover(paths["signed"], ca.user("b").p12_path,
                                        ca.user("b").password, paths["both"],
                                        signed_at=when + timedelta(minutes=1))

        def confirm() -> object:
            return confirm_handover(paths["both"], ca.user("s").p12_path, ca.user("s").password,
                                    paths["three"], signed_at=when + timedelta(minutes=2))

        figures = {"sign (render + certify)": _median(sign, args.repeat),
                   "countersign": _median(countersign, args.repeat),
                   "confirm (the third signature)": _median(confirm, args.repeat)}
        roots = [ca.ca_cert_path]
        both, three = paths["both"].read_bytes(), paths["three"].read_bytes()
        assert verify_bytes(three, roots).verdict
        figures["verify 2 signatures (baseline)"] = _median(
            lambda: verify_bytes(both, roots), args.repeat)
        figures["verify 3 signatures"] = _median(lambda: verify_bytes(three, roots),
                                                 args.repeat)
        print(f"handover record of {args.borrowers} borrowers, median of {args.repeat}:")
        for name, seconds in figures.items():
            print(f"  {name:<32} {seconds * 1000:8.0f} ms")
        for name, path in paths.items():
            print(f"  {name + '.pdf':<32} {path.stat().st_size / 1024:8.0f} KiB")
        ratio = figures["verify 3 signatures"] / figures["verify 2 signatures (baseline)"]
        print(f"  verifying the confirmed record takes {ratio:.2f}x the countersigned one")


if __name__ == "__main__":
    main()
