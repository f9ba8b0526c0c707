"""The built wheel is the app: installed in a fresh virtual environment, it works on its own.

The wheel is built from a copy of the sources (so setuptools' build/ and egg-info stay out of
the checkout), installed without dependencies into a new virtual environment that sees the
suite's installed dependencies through a .pth file but never the checkout, and its
`inspector-app` is run from a temporary folder. A shipped file left out of package-data
(policy, templates, font, translations) makes one of these tests fail.

Offline and about half a minute: no build isolation, no index, no dependency downloads.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.integration

CHECKOUT = Path(__file__).resolve().parents[2]
PACKAGE = CHECKOUT / "inspector_app"
SHIPPED = PACKAGE / "resources"
# Everything setuptools reads to build the wheel, besides the package itself.
BUILD_INPUTS = ("pyproject.toml", "README.md")
# A slow shared machine builds the demo in 10 s alone, several times that under load.
TIMEOUT = 600
# Environment variables that could put the checkout (or another tree) on the installed app's
# import path.
LEAKY = ("PYTHONPATH", "PYTHONHOME", "PYTHONUSERBASE", "PYTHONSTARTUP", "VIRTUAL_ENV")


def _run(args: list[str | Path], **kwargs) -> subprocess.CompletedProcess[str]:
    """Run a command to completion; a failure shows its output, not just its exit code."""
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True,
                          encoding="utf-8", timeout=TIMEOUT, check=False, **kwargs)
    assert done.returncode == 0, (
        f"{' '.join(map(str, args))} exited {done.returncode}\n"
        f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}")
    return done


def shipped_files() -> list[str]:
    """The checkout's resource files, as the wheel names them (inspector_app/resources/...)."""
    return sorted(
        path.relative_to(CHECKOUT).as_posix()
        for path in SHIPPED.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and not path.name.startswith(".")
    )


@dataclass(frozen=True)
class Installed:
    """The wheel installed in a fresh virtual environment, and a place outside the checkout."""

    python: Path
    site_packages: Path
    workdir: Path
    env: dict[str, str]

    def app(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        """Run the installed `inspector-app` console script from workdir."""
        script = self.python.with_name("inspector-app")
        return _run([script, *args], cwd=self.workdir, env=self.env)

    def python_lines(self, code: str) -> list[str]:
        """The lines code prints when run by the virtual environment's interpreter."""
        return _run([self.python, "-c", code], cwd=self.workdir, env=self.env).stdout.splitlines()


def _require_build_backend() -> None:
    """Fail with the remedy when this environment cannot build without isolation."""
    try:
        setuptools_major = int(metadata.version("setuptools").split(".")[0])
        metadata.version("wheel")
    except metadata.PackageNotFoundError:
        setuptools_major = 0
    if setuptools_major < 68:
        pytest.fail("building the wheel offline needs setuptools>=68 and wheel here, from the "
                    "test extras: pip install -e '.[test]'")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _require_build_backend()
    source = tmp_path_factory.mktemp("source")
    for name in BUILD_INPUTS:
        shutil.copy2(CHECKOUT / name, source / name)
    # Hidden files (the translation build's lock) and bytecode are not sources.
    shutil.copytree(PACKAGE, source / PACKAGE.name,
                    ignore=shutil.ignore_patterns("__pycache__", ".*"))
    out = tmp_path_factory.mktemp("wheelhouse")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
          "--no-index", "--quiet", "--wheel-dir", out, source])
    (built,) = out.glob("inspector_app-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("installed")
    env_dir = root / "venv"
    # No pip inside (this interpreter's pip installs into it) and no system site-packages.
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(env_dir)
    python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps",
          "--no-index", "--quiet", wheel])
    probe = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site_packages = Path(_run([python, "-c", probe]).stdout.strip())
    # The dependencies: this environment's site-packages, appended after the new one's own.
    # Only the folders themselves: .pth files there (the editable install's hook pointing at
    # the checkout) are not run for folders a .pth adds.
    ours = dict.fromkeys(sysconfig.get_path(kind) for kind in ("purelib", "platlib"))
    assert str(CHECKOUT) not in ours
    (site_packages / "suite_dependencies.pth").write_text("\n".join(ours) + "\n",
                                                          encoding="utf-8")
    home = root / "home"
    env = {k: v for k, v in os.environ.items() if k not in LEAKY}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        INSPECTOR_DATA_DIR=str(home / "data"),
        QT_QPA_PLATFORM="offscreen",
        PYTHONNOUSERSITE="1",
    )
    workdir = root / "work"
    workdir.mkdir()
    return Installed(python, site_packages, workdir, env)


@pytest.fixture(scope="module")
def demo(installed: Installed) -> Path:
    data = installed.workdir / "demo-data"
    installed.app("demo", "--data-dir", data)
    return data


def test_the_wheel_carries_every_shipped_resource(wheel: Path) -> None:
    expected = shipped_files()
    assert "inspector_app/resources/policy.yaml" in expected  # the walk found the folder
    with zipfile.ZipFile(wheel) as archive:
        missing = sorted(set(expected) - set(archive.namelist()))
    assert missing == [], "add them to [tool.setuptools.package-data] in pyproject.toml"


def test_the_app_imported_is_the_installed_wheel_not_the_checkout(installed: Installed) -> None:
    file, policy, *path = installed.python_lines(
        "import sys, inspector_app, inspector_app.resources as r\n"
        "print(inspector_app.__file__); print(r.policy_path()); print(*sys.path, sep='\\n')")
    assert installed.site_packages in Path(file).resolve().parents
    assert installed.site_packages in Path(policy).resolve().parents
    assert str(CHECKOUT) not in path  # ("" is there: the working folder, outside it)


def test_the_shipped_templates_pass_the_check(installed: Installed) -> None:
    templates = [p for p in shipped_files() if p.endswith(".yaml") and "/templates/" in p]
    assert templates
    out = installed.app("templates", "check").stdout
    assert out.strip() == f"{len(templates)} template file(s) OK"


def test_a_report_of_a_demo_visit_is_rendered(installed: Installed, demo: Path) -> None:
    visits = json.loads(installed.app("visits", "--data-dir", demo, "--json").stdout)
    # Not yet signed: a signed visit's report is the stored file, copied, not rendered.
    visit = next(v for v in visits if v["status"] in {"draft", "completed"})
    pdf = installed.workdir / "report.pdf"
    out = installed.app("report", visit["id"], "--data-dir", demo, "--out", pdf).stdout
    assert out.startswith("report written to")
    assert pdf.read_bytes().startswith(b"%PDF")
    reader = PdfReader(pdf)
    assert len(reader.pages) > 0
    assert visit["borrower"] in reader.pages[0].extract_text()
    fonts = {str(font["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    # Subsets of the shipped font only (reportlab names them AAAAAA+..., AAAAAB+...).
    assert fonts and {name.split("+", 1)[1] for name in fonts} == {"WenQuanYiMicroHei"}


def test_the_installed_app_exports_the_due_list_as_xlsx(installed: Installed, demo: Path,
                                                        wheel: Path) -> None:
    # openpyxl is a dependency of the wheel (pyproject), found by the installed app.
    sheet = installed.workdir / "due.xlsx"
    out = installed.app("export", "due-list", "--data-dir", demo, "-o", sheet).stdout
    assert "row(s) written" in out
    assert zipfile.is_zipfile(sheet)
    with zipfile.ZipFile(sheet) as book:
        assert "xl/worksheets/sheet1.xml" in book.namelist()
        assert "到期清单" in book.read("xl/workbook.xml").decode("utf-8")
    with zipfile.ZipFile(wheel) as built:
        meta = next(n for n in built.namelist() if n.endswith(".dist-info/METADATA"))
        assert "Requires-Dist: openpyxl" in built.read(meta).decode("utf-8")


def test_the_gui_finds_its_font_and_translations(installed: Installed) -> None:
    family, translated = installed.python_lines(
        "import warnings\n"
        "from inspector_app import InspectorWarning\n"
        "warnings.simplefilter('error', InspectorWarning)  # a missing font or .qm warns\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from inspector_app.gui import i18n\n"
        "from inspector_app.gui.app import use_bundled_font\n"
        "app = QApplication([])\n"
        "print(use_bundled_font(app))\n"
        "i18n.install('zh_CN', app)\n"
        "print(QCoreApplication.translate('AddSignalDialog', 'Add a warning signal'))\n")
    assert family == "WenQuanYi Micro Hei"
    assert translated == "添加预警信号"
