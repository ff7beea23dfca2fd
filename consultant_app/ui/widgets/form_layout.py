"""The layout the record forms share: fields in two labelled columns, and a row of message and buttons."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPushButton, QWidget


def two_columns(fields: dict[str, QWidget], *, left_count: int, parent: QWidget | None = None) -> QHBoxLayout:
    """The first ``left_count`` fields on the left, the rest on the right, each with its label as buddy."""
    left, right = QFormLayout(), QFormLayout()
    names = list(fields)
    for form, chunk in ((left, names[:left_count]), (right, names[left_count:])):
        for name in chunk:
            caption = QLabel(fields[name].label)
            caption.setBuddy(fields[name].editor)
            form.addRow(caption, fields[name])
    columns = QHBoxLayout(parent) if parent is not None else QHBoxLayout()
    columns.addLayout(left, 1)
    columns.addSpacing(24)
    columns.addLayout(right, 1)
    return columns


def action_row(message: QLabel, *buttons: QPushButton) -> QHBoxLayout:
    """The form's message on the left (it wraps), then its buttons."""
    message.setWordWrap(True)
    row = QHBoxLayout()
    row.addWidget(message, 1)
    for button in buttons:
        row.addWidget(button)
    return row
