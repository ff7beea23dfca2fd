"""Errors a user can act on, worded in Korean and English."""

from __future__ import annotations


class AppError(Exception):
    """An error shown to the user as one sentence in their language."""

    def __init__(self, ko: str, en: str):
        super().__init__(en)
        self.ko = ko
        self.en = en

    def message(self, lang: str = "ko") -> str:
        return self.en if lang == "en" else self.ko


def error_text(error: BaseException, lang: str = "ko") -> str:
    """One line about an error for the user: an AppError's own words, a file error's file and reason, else its
    type and text."""
    if isinstance(error, AppError):
        return error.message(lang)
    if isinstance(error, OSError):
        return f"{error.filename or ''} {error.strerror or error}".strip()
    return f"{type(error).__name__}: {error}"
