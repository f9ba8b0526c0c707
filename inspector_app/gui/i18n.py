"""Which language the GUI speaks, and the Qt translators that make it speak it.

GUI strings are English in the source and translated by Qt Linguist files
(inspector_app/resources/translations/inspector_<lang>.qm). What the core says is not: domain
labels (industry, classification...) and refusals are ``common.text.Text`` values, shown with
``text.in_(current())``; error_text() does that for an error.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from inspector_app import InspectorWarning, resources
from inspector_app.common.text import Text, UserError
from inspector_app.gui.laptop_settings import LANGUAGES

# What the language chooser shows: each language named in itself, never translated.
ENDONYMS: dict[str, str] = {"zh_CN": "中文", "en": "English"}

_ALIASES = {
    "zh": "zh_CN", "zh_cn": "zh_CN", "zh_hans": "zh_CN", "zh_hans_cn": "zh_CN", "cn": "zh_CN",
    "en": "en", "en_us": "en", "en_gb": "en",
}

_installed: list[QTranslator] = []  # kept referenced: Qt does not own installed translators
_current = "en"  # with no translator installed the GUI shows its English source text


def normalise(lang: str) -> str:
    """The supported language code for lang ("zh", "zh-CN", "en_US"...), or ValueError."""
    code = _ALIASES.get(lang.strip().replace("-", "_").lower())
    if code is None:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return code


def domain_language(lang: str) -> str:
    """The label language ("zh" or "en") the domain enums use for a GUI language code."""
    return "en" if lang == "en" else "zh"


def translations_dir() -> Path:
    return resources.translations_dir()


def current() -> str:
    """The language code of the translators now installed."""
    return _current


def install(lang: str, app: QCoreApplication | None = None) -> None:
    """Make the running application speak lang, replacing any translators installed before.

    Installing sends every widget a LanguageChange event, so open windows retranslate.
    """
    global _current
    app = app or QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication before installing translators")
    lang = normalise(lang)
    uninstall(app)
    ours = QTranslator()
    if ours.load(f"inspector_{lang}", str(translations_dir())):
        _installed.append(ours)
    elif lang != "en":
        # English is the source language, so only a missing Chinese file is a problem.
        warnings.warn(
            f"no translation file inspector_{lang}.qm in {translations_dir()}; "
            "run tools/build_qt.py",
            InspectorWarning,
            stacklevel=2,
        )
    # Qt's own strings (its file dialog, standard buttons, context menus of line edits): the
    # copy shipped with the app (tools/build_qt.py), else Qt's, which a frozen bundle may lack.
    qt_own = QTranslator()
    if lang != "en" and any(qt_own.load(f"qtbase_{lang}", str(folder)) for folder in (
        translations_dir(), QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    )):
        _installed.append(qt_own)
    for translator in _installed:
        app.installTranslator(translator)
    QLocale.setDefault(QLocale(lang))
    _current = lang
    # Qt announces a translator change only once app.exec() runs; say it ourselves so windows
    # built before (and tests, which never call exec) switch too. A repeat is harmless. The
    # application posts the event on to each window: deliver those now, so the whole GUI has
    # switched when this returns.
    QCoreApplication.sendEvent(app, QEvent(QEvent.Type.LanguageChange))
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)


def uninstall(app: QCoreApplication | None = None) -> None:
    """Remove the translators install() put in (the GUI falls back to English source text)."""
    global _current
    app = app or QCoreApplication.instance()
    while _installed:
        translator = _installed.pop()
        if app is not None:
            app.removeTranslator(translator)
    _current = "en"


def text_of(error: BaseException) -> Text:
    """What the user reads for an error: a refusal of the core (UserError) says its Text; any
    other error's message is split if it is a "中文 / English" string (a server's words) and
    is the same in both languages if not."""
    return error.text if isinstance(error, UserError) else Text.parse(str(error))


def error_text(error: BaseException) -> str:
    """text_of(error) in the language the GUI speaks now."""
    return text_of(error).in_(current())


def in_language(text: str, lang: str) -> str:
    """The half of a "中文 / English" string for lang (see Text.parse); other text unchanged.
    For strings kept as one (a verifier's problem, a signal step's stored reason)."""
    return Text.parse(text).in_(lang)


# Separators the core puts between an English sentence and the server's appended message.
_JOINERS = (("：", ": "), (" — ", " — "))


def split_languages(text: str) -> tuple[str, str]:
    """("中文", "English") of a core sentence "中文 / English", also when the server's own
    bilingual message is appended ("中文 / English：服务器 / server")."""
    parts = text.split(" / ")
    if len(parts) < 2:
        return text, text
    zh, en = [parts[0]], []
    zh_joiners, en_joiners = [], []
    for middle in parts[1:-1]:
        cut = max(((middle.rfind(sep), sep, en_sep) for sep, en_sep in _JOINERS),
                  key=lambda found: found[0])
        at, sep, en_sep = cut
        if at < 0:  # not the shape we know: keep the whole middle on the English side
            en.append(middle)
            continue
        en.append(middle[:at])
        zh.append(middle[at + len(sep):])
        en_joiners.append(en_sep)
        zh_joiners.append(sep)
    en.append(parts[-1])
    return _join(zh, zh_joiners), _join(en, en_joiners)


def _join(pieces: list[str], joiners: list[str]) -> str:
    text = pieces[0]
    for piece, joiner in zip(pieces[1:], joiners + [" / "] * len(pieces), strict=False):
        text += joiner + piece
    return text


def in_current_language(text: str | Text) -> str:
    """A core sentence (a Text, or a "中文 / English" line of the sync report) in the language
    the GUI now speaks (English starts upper-case)."""
    said = text if isinstance(text, Text) else Text(*split_languages(text))
    shown = said.in_(current())
    return shown[:1].upper() + shown[1:] if current() == "en" else shown
