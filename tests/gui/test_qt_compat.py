"""The emit() work-around keeps the interpreter alive, and GUI code uses it."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from inspector_app.gui import qt_compat

GUI_DIR = Path(qt_compat.__file__).resolve().parent


class Pinger(QObject):
    ping = Signal(int)


def test_many_emits_keep_true_referenced() -> None:
    pinger = Pinger()
    received: list[int] = []
    pinger.ping.connect(received.append)
    before = sys.getrefcount(True)

    for n in range(2000):  # far more than the few hundred that used to abort the interpreter
        qt_compat.emit(pinger.ping, n)

    assert len(received) == 2000
    assert sys.getrefcount(True) >= before


def test_gui_code_never_emits_directly() -> None:
    offenders = []
    for path in sorted(GUI_DIR.rglob("*.py")):
        if path.name == "qt_compat.py" or "forms" in path.relative_to(GUI_DIR).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "emit"
            ):
                offenders.append(f"{path.relative_to(GUI_DIR)}:{node.lineno}")
    assert offenders == [], "use inspector_app.gui.qt_compat.emit(signal, ...)"
