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
