"""The desktop GUI: Qt widgets, item models, dialogs and background workers.

The only package allowed to import PySide6; the core (domain, store, reports, sync, hq) stays
Qt-free so the server, the CLI and most tests run without a display.
"""
