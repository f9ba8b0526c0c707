"""The files shipped inside the package: checklist templates, policy, font and translations.

The one module that knows where they are. They are found through importlib.resources, so an
installed wheel or a frozen build finds them as the source checkout does. Callers get real
filesystem paths because what reads them opens files by name: reportlab's TTFont, Qt's
QTranslator and QFontDatabase, and the template loader, whose error messages name the file.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
from pathlib import Path

# Copies made by as_file when the package is not plain files on disk (imported from a zip),
# kept until the process ends: the font and translations are opened again after start-up.
_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)


@functools.cache
def _path(*parts: str) -> Path:
    # Installed as files (wheel, checkout, PyInstaller one-folder) the file is beside this
    # module, and importlib.resources (a tenth of the sign-in window's own start-up, for
    # the font's and translations' paths: bench/startup.py) is not needed to find it.
    beside = Path(__file__).parent.joinpath(*parts)
    if beside.exists():
        return beside
    from importlib.resources import as_file, files

    return _extracted.enter_context(as_file(files(__name__).joinpath(*parts)))


def templates_dir() -> Path:
    """The folder of shipped checklist templates (*.yaml)."""
    return _path("templates")


def policy_path() -> Path:
    """The shipped inspection policy (policy.yaml)."""
    return _path("policy.yaml")


def translations_dir() -> Path:
    """The folder of the GUI's Qt Linguist files (inspector_<lang>.ts and the compiled .qm)."""
    return _path("translations")


def cjk_font_path() -> Path:
    """The shipped Chinese TrueType font (WenQuanYi Micro Hei, Apache-2.0).

    TrueType outlines on purpose: reportlab embeds only TrueType, and one font file serves the
    GUI, the PDF report and the signature seal so they look the same on any laptop.
    """
    return _path("fonts", "wqy-microhei.ttf")
