"""The core has no Qt: only inspector_app/gui may import PySide6 (or shiboken6).

So the server, the CLI and most tests run without a display. Checked twice: statically over
every module's imports (also the lazy ones inside functions), and by importing the core in a
fresh interpreter and looking at what got loaded.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import inspector_app

PACKAGE_DIR = Path(inspector_app.__file__).resolve().parent
GUI_DIR = PACKAGE_DIR / "gui"
QT_ROOTS = {"PySide6", "shiboken6"}
# The packages the design calls the core, plus the package's own top-level modules.
CORE_PACKAGES = {
    "common", "resources", "domain", "store", "reports", "sync", "demo", "hq", "__init__.py",
    "wire",
}


def qt_imports(source: str) -> list[tuple[int, str]]:
    """(line, module) of every import of a Qt binding in source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif (  # importlib.import_module("PySide6...") / __import__("PySide6...")
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        else:
            continue
        found += [(node.lineno, n) for n in names if n.split(".")[0] in QT_ROOTS]
    return found


def core_modules() -> list[Path]:
    return [p for p in sorted(PACKAGE_DIR.rglob("*.py")) if GUI_DIR not in p.parents]


def test_the_check_sees_every_form_of_import() -> None:
    source = (
        "import os\nimport PySide6.QtCore\nfrom PySide6 import QtWidgets\n"
        "def f():\n    from shiboken6 import isValid\n"
        "import importlib\nimportlib.import_module('PySide6.QtGui')\n"
        "from .PySide6 import nothing\n"  # a relative import is not the binding
    )
    assert [line for line, _ in qt_imports(source)] == [2, 3, 5, 7]


def test_no_core_module_imports_qt() -> None:
    modules = core_modules()
    assert len(modules) > 5, "the walk found too little; is the package layout different?"
    offenders = [
        f"{path.relative_to(PACKAGE_DIR.parent)}:{line} imports {name}"
        for path in modules
        for line, name in qt_imports(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_importing_the_core_loads_no_qt() -> None:
    core = [
        module_name(path)
        for path in core_modules()
        if path.relative_to(PACKAGE_DIR).parts[0] in CORE_PACKAGES
        # Alembic's env.py runs a migration when imported; only alembic loads these.
        and "migrations" not in path.parts
    ]
    assert "inspector_app.store.local" in core
    script = (
        "import importlib, json, sys\n"
        f"for name in {core!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{sorted(QT_ROOTS)!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False,
        cwd=PACKAGE_DIR.parent,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []
