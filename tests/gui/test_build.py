"""The committed Qt files match their sources: forms from ui/*.ui, .qm from .ts, all translated.

Contents are compared, not modification times: a git checkout resets every mtime.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def build_qt() -> ModuleType:
    """tools/build_qt.py, imported from its path (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("build_qt", ROOT / "tools" / "build_qt.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_qt"] = module
    # No tools/__pycache__ left behind in the working tree.
    writes, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = writes
    return module


def test_every_ui_file_has_an_up_to_date_generated_form(build_qt: ModuleType) -> None:
    assert build_qt.ui_files(), "no ui/*.ui found"
    assert build_qt.stale_forms() == [], "run: python tools/build_qt.py"


def test_stale_form_is_detected(build_qt: ModuleType, tmp_path: Path, monkeypatch) -> None:
    # The check above must be able to fail: an edited .ui no longer matches its form.
    ui = tmp_path / "ui"
    ui.mkdir()
    source = (ROOT / "ui" / "login_dialog.ui").read_text(encoding="utf-8")
    (ui / "login_dialog.ui").write_text(source.replace("<width>420</width>", "<width>421</width>"))
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "ui_login_dialog.py").write_text(
        (ROOT / "inspector_app/gui/forms/ui_login_dialog.py").read_text(encoding="utf-8")
    )
    monkeypatch.setattr(build_qt, "UI_DIR", ui)
    monkeypatch.setattr(build_qt, "FORMS_DIR", forms)
    monkeypatch.setattr(build_qt, "ROOT", tmp_path)
    assert build_qt.stale_forms() == ["forms/ui_login_dialog.py differs from ui/login_dialog.ui"]


def test_ts_files_hold_every_message_and_qm_files_are_compiled(build_qt: ModuleType) -> None:
    assert build_qt.stale_translations() == [], "run: python tools/build_qt.py --lupdate"


@pytest.mark.parametrize("catalogue", ["inspector_zh_CN.ts", "inspector_en.ts"])
def test_every_message_is_translated(build_qt: ModuleType, catalogue: str) -> None:
    ts = build_qt.TS_DIR / catalogue
    assert "unfinished" not in ts.read_text(encoding="utf-8")
    assert build_qt.unfinished(ts) == []


def test_chinese_catalogue_covers_the_gui(build_qt: ModuleType) -> None:
    contexts = {context for context, _ in build_qt.messages(build_qt.TS_DIR / "inspector_zh_CN.ts")}
    assert {"LoginDialog", "MainWindow", "PortfolioModel", "StartUp"} <= contexts


def test_translations_keep_placeholders_and_shortcuts(build_qt: ModuleType) -> None:
    # A lost "{count}" would raise at runtime; a lost "&" would drop a keyboard shortcut. A
    # translation may write the count with the locale's digit grouping ("%Ln": 20,000).
    def marks(text: str) -> list[str]:
        return sorted(m.replace("%Ln", "%n") for m in re.findall(r"\{\w+\}|%L?n|&\w", text))

    for (context, source), message in build_qt.messages(
        build_qt.TS_DIR / "inspector_zh_CN.ts"
    ).items():
        translation = message.find("translation")
        forms = translation.findall("numerusform") or [translation]
        for form in forms:
            assert marks(form.text or "") == marks(source), f"{context}: {source}"


def test_generated_forms_import_only_the_qt_names_they_use(build_qt: ModuleType) -> None:
    # uic's blanket imports (gradients, QDate, QUrl...) cost ~10 ms before the first window.
    generated = (
        "from PySide6.QtGui import (QBrush, QColor,\n    QFont)\n"
        "from PySide6.QtCore import (QDate, QSize)\n"
        "x = QFont(); y = QSize(1, 2)\n"
    )
    assert build_qt.used_imports_only(generated) == (
        "from PySide6.QtGui import (QFont)\nfrom PySide6.QtCore import (QSize)\n"
        "x = QFont(); y = QSize(1, 2)\n"
    )
    for ui in build_qt.ui_files():
        text = build_qt.form_path(ui).read_text(encoding="utf-8")
        assert "QConicalGradient" not in text and "QRadialGradient" not in text
