"""Work-arounds for bugs in the PySide6 we ship with. Each says how to tell when to drop it.

PySide6 6.12 on Python 3.11: ``SignalInstance.emit()`` returns ``True`` without taking a
reference to it, so every emit from Python lowers ``True``'s reference count by one. After a
few hundred emits the interpreter aborts with "bool_dealloc: deallocating True or False".
(Python 3.12+ makes True immortal, so there it is harmless.) GUI code therefore emits through
emit() below, which gives the reference back when, and only when, this PySide6 loses it; a test
fails if any module in inspector_app/gui calls .emit() directly.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance


class _Probe(QObject):
    ping = Signal()


def _emit_loses_a_reference_to_true() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    probe.ping.emit()  # the only direct emit allowed: it measures the bug
    return sys.getrefcount(True) < before


EMIT_LOSES_TRUE = _emit_loses_a_reference_to_true()


def emit(signal: SignalInstance, *args: Any) -> None:
    """signal.emit(*args), safe from the lost reference described above."""
    signal.emit(*args)
    if EMIT_LOSES_TRUE:
        import ctypes  # only for the faulty PySide6: not loaded before the first window

        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
