"""Languages: Korean in the source, English from ``resources/translations``; locale-aware numbers and dates."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QLibraryInfo, QLocale, QTranslator

from consultant_app.paths import resource_path

# Call as translate("Context", "한국어 원문"): pyside6-lupdate finds these calls by name, with their context.
translate = QCoreApplication.translate

LOCALES = {"ko": QLocale(QLocale.Language.Korean, QLocale.Country.SouthKorea),
           "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)}


def install_translators(lang: str) -> list[QTranslator]:
    """Install Qt's own translator, then ours, for ``lang``; returns them so they stay alive."""
    app = QCoreApplication.instance()
    QLocale.setDefault(LOCALES.get(lang, LOCALES["ko"]))
    installed = []
    qt_translator = QTranslator(app)
    if qt_translator.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_translator)
        installed.append(qt_translator)
    if lang != "ko":  # Korean is the source language: nothing to load
        ours = QTranslator(app)
        if ours.load(str(resource_path("translations", f"consultant_app_{lang}.qm"))):
            app.installTranslator(ours)
            installed.append(ours)
    return installed


def remove_translators(translators: list[QTranslator]) -> None:
    """Uninstall translators installed by ``install_translators``."""
    app = QCoreApplication.instance()
    for translator in translators:
        app.removeTranslator(translator)


def locale() -> QLocale:
    return QLocale()


def format_number(value: float | int | None, decimals: int = 0) -> str:
    """1234567 → ``1,234,567`` in the user's locale; empty for None."""
    if value is None:
        return ""
    if decimals == 0:
        return QLocale().toString(int(round(value)))
    return QLocale().toString(float(value), "f", decimals)


def format_money(krw: int | None) -> str:
    """Whole won: ``1,234,000원`` in Korean, ``KRW 1,234,000`` in English."""
    if krw is None:
        return ""
    number = format_number(krw)
    return f"{number}원" if QLocale().language() == QLocale.Language.Korean else f"KRW {number}"


def format_percent(value: float | None, decimals: int = 1) -> str:
    """``41.6%``; empty for None."""
    return "" if value is None else f"{format_number(value, decimals)}%"


def format_date(value: date | None) -> str:
    """A date in the user's short format."""
    if value is None:
        return ""
    # The locale's short format, but with the full year: "14. 6. 15." is ambiguous in a multi-year record.
    pattern = re.sub(r"(?<!y)yy(?!y)", "yyyy", QLocale().dateFormat(QLocale.FormatType.ShortFormat))
    return QLocale().toString(QDate(value.year, value.month, value.day), pattern)
