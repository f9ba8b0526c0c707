"""Build the Qt files the repository commits: generated forms and compiled translations.

    python tools/build_qt.py            ui/*.ui -> inspector_app/gui/forms/ui_*.py, *.ts -> *.qm,
                                        and Qt's own Chinese (qtbase_zh_CN.qm) copied from PySide6
    python tools/build_qt.py --lupdate  first refresh the .ts files from the GUI sources
    python tools/build_qt.py --check    change nothing; exit 1 if anything committed is stale
    python tools/build_qt.py --lupdate --fill zh.tsv
                                        refresh, then take Chinese translations from a file of
                                        "context<TAB>source<TAB>translation" lines (a %n message:
                                        the one Chinese form); runs under a lock, so several
                                        people adding screens at once do not lose each other's

After --lupdate, translate new messages in Qt Linguist (pyside6-linguist) or by editing the
.ts, then run the script again to compile them. The test suite runs the same checks.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI_DIR = ROOT / "ui"
GUI_DIR = ROOT / "inspector_app" / "gui"
FORMS_DIR = GUI_DIR / "forms"
# The checkout's own files, not inspector_app.resources: this writes the sources, and an
# installed copy of the package must never be what gets rewritten.
TS_DIR = ROOT / "inspector_app" / "resources" / "translations"

SOURCE_LANGUAGE = "en"
# file -> (target language, plural forms only). English is the source language, so its file
# only needs the English plural forms of %n messages; every other message shows as written.
CATALOGUES: dict[str, tuple[str, bool]] = {
    "inspector_zh_CN.ts": ("zh_CN", False),
    "inspector_en.ts": ("en", True),
}

# Qt's own words (its file dialog, standard buttons, line-edit menus) in the languages the GUI
# speaks besides English, copied from PySide6 so an installed app brings them along: a frozen
# bundle or a wheel need not carry Qt's translations folder. LGPL, as Qt itself.
QT_CATALOGUES = ("qtbase_zh_CN.qm",)

# uic stamps its version in a comment; a patch-level Qt update alone is not a stale form.
_VERSION_STAMP = "## Created by: Qt User Interface Compiler version"


def qt_tool(name: str) -> str:
    """The path of a PySide6 tool (pyside6-uic...), preferring this interpreter's own."""
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        found = shutil.which(name, path=folder)
        if found:
            return found
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found; install PySide6 in this environment")
    return found


def _run(args: list[str]) -> str:
    done = subprocess.run(
        args, cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


# -- forms ---------------------------------------------------------------------------------------


def ui_files() -> list[Path]:
    return sorted(UI_DIR.glob("*.ui"))


def form_path(ui: Path) -> Path:
    return FORMS_DIR / f"ui_{ui.stem}.py"


def uic(ui: Path) -> str:
    """What pyside6-uic makes of ui now, importing only the Qt names the form uses."""
    return used_imports_only(_run([qt_tool("pyside6-uic"), str(ui)]).replace("\r\n", "\n"))


_QT_IMPORT = re.compile(r"^from (PySide6\.\w+) import \(([^)]*)\)\n", re.MULTILINE)


def used_imports_only(form_text: str) -> str:
    """Drop the names uic imports but the form never uses.

    uic imports some thirty classes whatever the form holds (gradients, QDate, QUrl...);
    creating those type objects costs ~10 ms on the way to the first window at start-up.
    """
    body = _QT_IMPORT.sub("", form_text)
    words = set(re.findall(r"\b\w+\b", body))

    def keep(match: re.Match[str]) -> str:
        names = [n.strip() for n in match.group(2).split(",") if n.strip()]
        used = [n for n in names if n in words]
        if not used:
            return ""
        return f"from {match.group(1)} import ({', '.join(used)})\n"

    return _QT_IMPORT.sub(keep, form_text)


def _comparable(form_text: str) -> str:
    return "\n".join(
        line for line in form_text.splitlines() if not line.startswith(_VERSION_STAMP)
    )


def stale_forms() -> list[str]:
    """Problems with the generated forms: missing, differing from a fresh uic run, orphaned."""
    problems = []
    for ui in ui_files():
        form = form_path(ui)
        if not form.exists():
            problems.append(f"{form.relative_to(ROOT)} is missing")
        elif _comparable(form.read_text(encoding="utf-8")) != _comparable(uic(ui)):
            problems.append(f"{form.relative_to(ROOT)} differs from {ui.relative_to(ROOT)}")
    expected = {form_path(ui) for ui in ui_files()}
    for form in sorted(FORMS_DIR.glob("ui_*.py")):
        if form not in expected:
            problems.append(f"{form.relative_to(ROOT)} has no .ui under ui/")
    return problems


def build_forms() -> None:
    FORMS_DIR.mkdir(parents=True, exist_ok=True)
    for ui in ui_files():
        form_path(ui).write_text(uic(ui), encoding="utf-8", newline="\n")


# -- translations --------------------------------------------------------------------------------


def qt_translations_dir() -> Path:
    """Where this PySide6 keeps Qt's own .qm files."""
    from PySide6.QtCore import QLibraryInfo

    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def stale_qt_catalogues() -> list[str]:
    """Qt's catalogues missing from the package, or differing from this PySide6's."""
    problems = []
    for name in QT_CATALOGUES:
        shipped, source = TS_DIR / name, qt_translations_dir() / name
        if not shipped.exists():
            problems.append(f"{shipped.relative_to(ROOT)} is missing; run tools/build_qt.py")
        elif source.exists() and source.read_bytes() != shipped.read_bytes():
            problems.append(f"{shipped.relative_to(ROOT)} differs from PySide6's {source}")
    return problems


def copy_qt_catalogues() -> None:
    for name in QT_CATALOGUES:
        source = qt_translations_dir() / name
        if not source.exists():
            raise SystemExit(f"{source} not found: this PySide6 has no Qt translations")
        shutil.copyfile(source, TS_DIR / name)


def translatable_sources() -> list[Path]:
    """GUI Python modules (not the generated forms: their strings come from ui/) and forms."""
    sources = [p for p in sorted(GUI_DIR.rglob("*.py")) if FORMS_DIR not in p.parents]
    return sources + ui_files()


def lupdate(ts: Path, language: str, plural_only: bool) -> None:
    """Merge the current tr() strings into ts, keeping existing translations."""
    args = [qt_tool("pyside6-lupdate"), "-silent", "-no-obsolete", "-locations", "none"]
    args += ["-source-language", SOURCE_LANGUAGE, "-target-language", language]
    if plural_only:
        args.append("-pluralonly")
    args += [str(p.relative_to(ROOT)) for p in translatable_sources()]
    _run([*args, "-ts", str(ts)])


def lrelease(ts: Path, qm: Path) -> None:
    # Written aside and renamed into place: a running app maps the .qm into memory, and
    # rewriting that file in place kills it with SIGBUS.
    fresh = qm.with_name(f".{qm.name}.new")
    _run([qt_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(fresh)])
    fresh.replace(qm)


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    """(context, source) -> <message> element of a .ts file."""
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            found[(name, message.findtext("source", ""))] = message
    return found


def unfinished(ts: Path) -> list[str]:
    """Messages of ts with no finished translation, as "context: source"."""
    problems = []
    for (context, source), message in messages(ts).items():
        translation = message.find("translation")
        if translation is None or translation.get("type") == "unfinished":
            problems.append(f"{context}: {source}")
            continue
        forms = translation.findall("numerusform") or [translation]
        if not all(form.text and form.text.strip() for form in forms):
            problems.append(f"{context}: {source}")
    return problems


def stale_translations() -> list[str]:
    """Problems with the .ts/.qm pairs: strings missing from a .ts, or a .qm not rebuilt."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, (language, plural_only) in CATALOGUES.items():
            ts = TS_DIR / name
            if not ts.exists():
                problems.append(f"{ts.relative_to(ROOT)} is missing")
                continue
            fresh_ts = Path(tmp) / name
            shutil.copyfile(ts, fresh_ts)
            lupdate(fresh_ts, language, plural_only)
            added = messages(fresh_ts).keys() - messages(ts).keys()
            gone = messages(ts).keys() - messages(fresh_ts).keys()
            problems += [f"{name} lacks {c}: {s!r}; run --lupdate" for c, s in sorted(added)]
            problems += [f"{name} still has unused {c}: {s!r}" for c, s in sorted(gone)]
            qm, fresh_qm = ts.with_suffix(".qm"), fresh_ts.with_suffix(".qm")
            lrelease(ts, fresh_qm)
            if not qm.exists() or qm.read_bytes() != fresh_qm.read_bytes():
                problems.append(f"{qm.relative_to(ROOT)} is not compiled from its .ts")
    return problems


def build_translations(update_sources: bool, quiet: bool = False) -> None:
    TS_DIR.mkdir(parents=True, exist_ok=True)
    for name, (language, plural_only) in CATALOGUES.items():
        ts = TS_DIR / name
        if update_sources or not ts.exists():
            lupdate(ts, language, plural_only)
        lrelease(ts, ts.with_suffix(".qm"))
        for message in [] if quiet else unfinished(ts):
            print(f"untranslated in {name}: {message}", file=sys.stderr)


def fill(ts: Path, table: Path) -> int:
    """Set the translations listed in table (context, source, text; tab-separated) in ts.

    Returns how many messages changed; a line naming no message of ts is reported, not lost
    silently, since it is usually a typo in the source text.
    """
    tree = ET.parse(ts)
    found = {}
    for context in tree.getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            found[(name, message.findtext("source", ""))] = message
    changed = 0
    for number, line in enumerate(table.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            print(f"{table}:{number}: need context, source, translation", file=sys.stderr)
            continue
        context, source, text = (part.replace("\\n", "\n") for part in parts)
        message = found.get((context, source))
        if message is None:
            print(f"{table}:{number}: no message {context}: {source!r}", file=sys.stderr)
            continue
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        translation.attrib.pop("type", None)
        forms = translation.findall("numerusform")
        if forms:
            for form in forms:
                form.text = text
        else:
            translation.text = text
        changed += 1
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
        encoding="utf-8", newline="\n",
    )
    return changed


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    """One build at a time in this checkout (lupdate rewrites the .ts files in place)."""
    TS_DIR.mkdir(parents=True, exist_ok=True)
    with (TS_DIR / ".build.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale files, change none")
    parser.add_argument("--lupdate", action="store_true", help="refresh .ts files first")
    parser.add_argument("--fill", type=Path, action="append", default=[],
                        help="Chinese translations, context<TAB>source<TAB>text per line")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale_forms() + stale_translations() + stale_qt_catalogues()
        for name in CATALOGUES:
            if (TS_DIR / name).exists():
                problems += [f"unfinished in {name}: {m}" for m in unfinished(TS_DIR / name)]
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    with _locked():
        build_forms()
        if args.fill:
            build_translations(update_sources=args.lupdate, quiet=True)
            for table in args.fill:
                print(f"{fill(TS_DIR / 'inspector_zh_CN.ts', table)} translation(s) from {table}")
            args.lupdate = True  # again: lupdate writes the .ts in its own canonical layout
        build_translations(update_sources=args.lupdate)
        copy_qt_catalogues()
    return 0


if __name__ == "__main__":
    sys.exit(main())
