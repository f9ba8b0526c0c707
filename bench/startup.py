"""Cold start to a usable main window on a --scale portfolio, against a bare PySide6 window.

Each start is a fresh Python process (interpreter start and every import included), measured
by this parent from spawning the child to the child's "ready" line, and the two kinds of start
alternate so both see the same machine state. "Ready" means:

* bare: a QApplication and an empty QMainWindow, shown and painted;
* app: what `inspector-app gui` does before and after sign-in — the shipped font, the Chinese
  translators, the store opened (migrations checked), the sign-in dialog shown and painted,
  then the signed-in user's main window shown with the portfolio loaded and painted. The
  person typing the password is left out, and so is the deliberately slow password hash
  (Argon2id, measured separately by test_login): the child looks the user up directly.

The app child also reports where its time went (imports, store, dialog, window, query) so an
over-target ratio can be traced. Target: app median <= 1.5 x bare median.

    python bench/startup.py                         # build 20,000 borrowers in a temp dir
    python bench/startup.py --data-dir DIR          # build there once, reuse afterwards
    python bench/startup.py --repeat 9 --user supervisor   # 20,000 rows instead of ~400
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 1.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="build here once and reuse it afterwards")
    parser.add_argument("--scale", type=int, default=20_000, help="borrowers to generate")
    parser.add_argument("--repeat", type=int, default=7, help="starts of each kind")
    parser.add_argument("--user", default="officer", help="whose main window (demo username)")
    parser.add_argument("--child", choices=["bare", "app", "shell"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        {"bare": bare_child, "app": app_child, "shell": shell_child}[args.child](args)
        return

    temporary = args.data_dir is None
    data_dir = Path(tempfile.mkdtemp(prefix="startup-bench-")) / "data" if temporary \
        else args.data_dir
    try:
        prepare(data_dir, args.scale)
        run(data_dir, args.repeat, args.user)
    finally:
        if temporary:
            shutil.rmtree(data_dir.parent, ignore_errors=True)


def prepare(data_dir: Path, scale: int) -> None:
    from sqlalchemy import func, select

    from inspector_app.store.demo import build_demo
    from inspector_app.store.local import LocalStore
    from inspector_app.store.models import Borrower

    if data_dir.exists():
        store = LocalStore.open(data_dir)
        try:
            with store.read() as s:
                existing = s.scalar(select(func.count()).select_from(Borrower)) or 0
        finally:
            store.close()
        if existing:
            print(f"reusing {data_dir}: {existing:,} borrowers")
            return
    print(f"building a --scale {scale:,} portfolio in {data_dir} …", flush=True)
    build_demo(data_dir, scale=scale)


def run(data_dir: Path, repeat: int, user: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    # Settings of the app child go to a scratch folder, never the real user's.
    scratch = Path(tempfile.mkdtemp(prefix="startup-home-"))
    env.update(HOME=str(scratch), XDG_CONFIG_HOME=str(scratch / ".config"))
    times: dict[str, list[float]] = {"bare": [], "app": [], "shell": []}
    phases: list[dict[str, float]] = []
    spawn(["bare"], data_dir, user, env)  # once each first: warm the OS file cache
    spawn(["app"], data_dir, user, env)
    for _ in range(repeat):
        for kind in ("bare", "app", "shell"):
            elapsed, report = spawn([kind], data_dir, user, env)
            times[kind].append(elapsed)
            if kind == "app":
                phases.append(report)
    shutil.rmtree(scratch, ignore_errors=True)

    bare, app = statistics.median(times["bare"]), statistics.median(times["app"])
    print(f"\ncold start, fresh process each, {repeat} runs of each, ms (median / min / max)")
    for kind, label in (("bare", "bare QMainWindow"), ("app", f"app, main window of {user!r}"),
                        ("shell", "sign-in dialog alone (see below)")):
        values = times[kind]
        print(f"  {label:<34} {statistics.median(values):7.0f} {min(values):7.0f} "
              f"{max(values):7.0f}")
    rows = phases[0].get("rows", 0)
    print(f"\nwhere the app's time goes (median ms, from the child's own clock; {rows:,.0f} "
          "rows listed):")
    for key in phases[0]:
        if key != "rows":
            print(f"  {key:<34} {statistics.median(p[key] for p in phases):7.0f}")
    ratio = app / bare
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"\nratio app / bare: {ratio:.2f}x ({verdict} the {TARGET_RATIO}x target)")
    shell = statistics.median(times["shell"])
    print(f"sign-in dialog alone (Qt, font, translators, its Designer form; no store, no "
          f"SQLAlchemy): {shell:.0f} ms = {shell / bare:.2f}x bare: the first window a start "
          "that opened the store behind the sign-in dialog would show")


def spawn(kind: list[str], data_dir: Path, user: str, env: dict[str, str]) -> tuple[float, dict]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind[0],
               "--data-dir", str(data_dir), "--user", user]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    report: dict = {}
    for line in child.stdout:
        if line.startswith("READY"):
            elapsed = (time.perf_counter() - started) * 1000
            report = json.loads(line[len("READY"):])
            break
    else:
        raise RuntimeError(f"the {kind[0]} child ended without getting ready")
    child.stdout.read()
    if child.wait() != 0:
        raise RuntimeError(f"the {kind[0]} child failed")
    return elapsed, report


# -- children -------------------------------------------------------------------------------


def _painted(app, widget) -> None:
    """Process events until the widget is shown and has painted once."""
    widget.show()
    widget.repaint()
    app.processEvents()


def bare_child(_args: argparse.Namespace) -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1100, 640)
    _painted(app, window)
    print("READY {}", flush=True)


def shell_child(_args: argparse.Namespace) -> None:
    from PySide6.QtGui import QFont, QFontDatabase
    from PySide6.QtWidgets import QApplication, QDialog

    from inspector_app.gui import i18n
    from inspector_app.gui.forms.ui_login_dialog import Ui_LoginDialog
    from inspector_app.paths import cjk_font_path

    app = QApplication(sys.argv[:1])
    family = QFontDatabase.applicationFontFamilies(
        QFontDatabase.addApplicationFont(str(cjk_font_path())))[0]
    font = QFont(app.font())
    font.setFamilies([family])
    app.setFont(font)
    i18n.install("zh_CN", app)
    dialog = QDialog()
    Ui_LoginDialog().setupUi(dialog)
    _painted(app, dialog)
    print("READY {}", flush=True)


def app_child(args: argparse.Namespace) -> None:
    clock = time.perf_counter
    t0 = clock()
    phases: dict[str, float] = {}
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication

    phases["import Qt"] = clock() - t0
    from sqlalchemy import select

    from inspector_app.gui import i18n
    from inspector_app.gui.app import use_bundled_font
    from inspector_app.gui.login_dialog import LoginDialog
    from inspector_app.gui.main_window import MainWindow
    from inspector_app.gui.settings import LaptopSettings
    from inspector_app.store.local import LocalStore
    from inspector_app.store.models import User

    phases["import app"] = clock() - t0 - sum(phases.values())
    mark = clock()
    app = QApplication(sys.argv[:1])
    use_bundled_font(app)
    i18n.install("zh_CN", app)
    settings = LaptopSettings()
    phases["QApplication, font, translators"] = clock() - mark
    mark = clock()
    store = LocalStore.open(args.data_dir)
    phases["open store (migrations checked)"] = clock() - mark
    mark = clock()
    dialog = LoginDialog(store, settings)
    _painted(app, dialog)
    phases["sign-in dialog painted"] = clock() - mark
    mark = clock()
    with store.read() as s:
        user = s.scalar(select(User).where(User.username == args.user))
    dialog.close()
    window = MainWindow(store, user, settings)
    _painted(app, window)
    phases["main window painted"] = clock() - mark
    mark = clock()
    while window.loading or window.model.rowCount() == 0:
        app.processEvents()
        QThreadPool.globalInstance().waitForDone(1)
    window.repaint()
    app.processEvents()
    phases["portfolio loaded and painted"] = clock() - mark
    report = {k: v * 1000 for k, v in phases.items()}
    report["rows"] = window.model.rowCount()
    print("READY " + json.dumps(report), flush=True)
    QThreadPool.globalInstance().waitForDone()
    store.close()


if __name__ == "__main__":
    main()
