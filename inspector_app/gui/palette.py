"""The few colours every screen shares, so a good or bad verdict looks the same everywhere."""

from __future__ import annotations

from PySide6.QtGui import QColor

GOOD = QColor("#1b5e20")  # dark green: readable as text, not only as a colour patch
BAD = QColor("#b71c1c")  # the red of the login dialog's errors
QUIET = QColor("#5f6368")
