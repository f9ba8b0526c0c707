"""Python made by pyside6-uic from ui/*.ui; regenerate with tools/build_qt.py, never edit."""
