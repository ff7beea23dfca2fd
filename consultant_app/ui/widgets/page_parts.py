"""Small pieces several pages share: the page title, and a filter combo refilled from the data."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel


def page_title(text: str) -> QLabel:
    """A page's heading: bold, a size above the body text."""
    title = QLabel(text)
    font = title.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    title.setFont(font)
    return title


def refill_choices(combo: QComboBox, everything: str, choices: Iterable[Any], label: Callable[[Any], str]) -> None:
    """"All …" first, then each choice; the current choice stays chosen when it is still offered."""
    current = combo.currentData()
    combo.clear()
    combo.addItem(everything, None)
    for choice in choices:
        combo.addItem(label(choice), choice)
    combo.setCurrentIndex(max(combo.findData(current), 0) if current is not None else 0)
