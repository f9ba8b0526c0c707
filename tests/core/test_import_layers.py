"""The import contracts in pyproject.toml hold, and lint-imports notices a breach of each.

The breaches are planted in a copy of the package in a temporary folder (the repository is
never touched): one import that a contract forbids, then lint-imports must fail naming that
contract and the planted module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONTRACTS = {
    c["id"]: c["name"]
    for c in tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "importlinter"]["contracts"]
}


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports over the package found first from root (a copy sits before the install)."""
    # Wide lines, so a contract's name is never wrapped in the report.
    env = {**os.environ, "PYTHONPATH": str(root), "COLUMNS": "400"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env, capture_output=True,
        text=True, check=False, timeout=300,
    )


def test_the_repository_keeps_every_contract() -> None:
    assert set(CONTRACTS) == {"layers", "hq", "verify", "no-hq", "qt", "gui-facade", "acyclic"}
    done = lint_imports(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    for name in CONTRACTS.values():
        assert f"{name} KEPT" in done.stdout


@pytest.fixture(scope="module")
def clean_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package's Python files and pyproject.toml, copied once; each breach works on a
    copy of this (the imports are all lint-imports reads, so no font or template)."""
    root = tmp_path_factory.mktemp("clean")

    def not_python(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n == "__pycache__"
                or (not n.endswith(".py") and not Path(folder, n).is_dir())}

    shutil.copytree(REPO / "inspector_app", root / "inspector_app", ignore=not_python)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


# (contract id, module to plant the import in, the line planted)
BREACHES = [
    ("layers", "inspector_app/domain/money.py", "from inspector_app.store import models"),
    ("layers", "inspector_app/store/models.py", "import inspector_app.gui.tables"),
    ("layers", "inspector_app/reports/pdf.py", "from inspector_app.sync import client"),
    ("layers", "inspector_app/common/clock.py", "import inspector_app.domain.enums"),
    ("hq", "inspector_app/hq/models.py", "from inspector_app.store import models"),
    ("hq", "inspector_app/hq/pull.py", "from inspector_app.reports import data"),
    ("verify", "inspector_app/reports/verify.py", "from inspector_app.store import local"),
    ("no-hq", "inspector_app/sync/client.py", "import inspector_app.hq.models"),
    ("qt", "inspector_app/domain/enums.py", "from PySide6 import QtCore"),
    ("qt", "inspector_app/hq/app.py", "import shiboken6"),
    ("acyclic", "inspector_app/gui/qt_compat.py", "import inspector_app.gui.worklist.main_window"),
    ("gui-facade", "inspector_app/gui/palette.py", "from inspector_app.store import models"),
    ("gui-facade", "inspector_app/gui/tables.py", "from sqlalchemy.orm import Session"),
]


@pytest.mark.parametrize(("contract", "module", "line"), BREACHES,
                         ids=[f"{c}:{m.split('/', 1)[1]}" for c, m, _ in BREACHES])
def test_a_planted_import_breaks_its_contract(
    clean_copy: Path, tmp_path: Path, contract: str, module: str, line: str,
) -> None:
    root = tmp_path / "copy"
    shutil.copytree(clean_copy, root)
    planted = root / module
    assert planted.exists(), module
    planted.write_text(planted.read_text(encoding="utf-8") + f"\n{line}  # planted\n",
                       encoding="utf-8")
    done = lint_imports(root)
    report = done.stdout + done.stderr
    assert done.returncode == 1, report
    assert f"{CONTRACTS[contract]} BROKEN" in report
    # The planted module is named, so the copy is what got checked: in full by the layers and
    # forbidden contracts, relative to its package by the cycle contract.
    dotted = module.removesuffix(".py").replace("/", ".")
    package, _, name = dotted.rpartition(".")
    assert dotted in report or (
        f"No cycles are allowed in {package}." in report and f"- .{name} -> " in report)
