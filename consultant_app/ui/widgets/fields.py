"""Form fields that parse what the user types and show what is wrong with it right under the editor.

The API, in short:

* ``LineField(name, label, kind=TEXT)``: a line edit whose text ``kind`` parses (``TEXT``, ``INTEGER``,
  ``MONEY``, ``DATE``; parsers from ``io/cells.py``, so "1,234,000원" and "2018.06.26" are understood).
* ``SpinField(name, label, minimum, maximum)``: a spin box for a small whole number.
* ``ChoiceField(name, label, choices, editable=False)``: a combo box of ``(label, value)`` pairs; editable, it
  returns the typed text (a free choice such as a sponsor name).
* Every field: ``value()`` (raises ``FieldInvalid`` with a domain ``Issue``), ``parse()`` → (value, issue),
  ``set_value`` / ``load_value`` (load = a new saved baseline), ``is_modified()``, ``set_error(message)``,
  and the signals ``edited(before, after)`` (user edits only, as text states for undo) and ``changed``
  (any change, undo and loads included).
* ``field_label(name, lang)``: the domain's name of a field, the same word its error messages use.
* ``FieldGroup(fields)``: a form's fields together: load a record, what changed, revert, parse all, and show
  domain issues next to their fields (``show_issues``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QTabWidget, QVBoxLayout, QWidget

from consultant_app.domain.messages import field_name
from consultant_app.domain.validation import Issue, Rule
from consultant_app.io.cells import CellError, integer_parser, parse_date, parse_text

ERROR_COLOR = QColor("#c62828")


def field_label(name: str, lang: str) -> str:
    """A field's name as the domain words it (so labels and error messages agree), capitalised for a label."""
    text = field_name(name, lang)
    return text[:1].upper() + text[1:]


class FieldInvalid(ValueError):
    """What the user typed does not parse; carries the issue to show."""

    def __init__(self, issue: Issue):
        super().__init__(issue.rule.value)
        self.issue = issue


@dataclass(frozen=True)
class LineKind:
    """How a line field reads its text and writes a value back."""

    parse: Callable[[str], Any]
    format: Callable[[Any], str]
    placeholder: str = ""


def _format_integer(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


TEXT = LineKind(parse_text, str)
INTEGER = LineKind(integer_parser(()), _format_integer)
MONEY = LineKind(integer_parser(("원",), prefixes=("₩",)), _format_integer, "30,000,000")
DATE = LineKind(parse_date, lambda d: d.isoformat(), "2018-06-26")


class FormField(QWidget):
    """An editor with an error label under it. Subclasses give the editor and its text state."""

    changed = Signal()
    edited = Signal(str, str)  # the user changed the field: state before, state after

    mergeable = True  # consecutive edits of one field merge into one undo step

    def __init__(self, name: str, label: str, editor: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.name = name
        self.label = label
        self.editor = editor
        editor.setObjectName(f"field_{name}")
        editor.setAccessibleName(label)
        self.error_label = QLabel()
        self.error_label.setObjectName(f"error_{name}")
        self.error_label.setWordWrap(True)
        palette = self.error_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, ERROR_COLOR)
        self.error_label.setPalette(palette)
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        layout.addWidget(self.error_label)
        self.generation = 0  # bumped by every load: undo steps of an earlier record no longer apply
        self.edit_session = 0  # bumped when the user leaves the editor: the next typing is a new undo step
        self.touched = False
        self._setting = False
        self._state = ""
        self._baseline = ""

    # -- state as text (what undo records) ----------------------------------------------------------------
    def state(self) -> str:
        raise NotImplementedError

    def _apply_state(self, state: str) -> None:
        raise NotImplementedError

    def set_state(self, state: str) -> None:
        """Show ``state`` without counting it as a user edit (undo, redo, revert)."""
        self._setting = True
        try:
            self._apply_state(state)
        finally:
            self._setting = False
        self._on_change()

    def load(self, state: str) -> None:
        """Show ``state`` as the saved value of a newly loaded record."""
        self.generation += 1
        self.touched = False
        self._baseline = state
        self.set_error(None)
        self.set_state(state)

    def mark_saved(self) -> None:
        self._baseline = self.state()

    def is_modified(self) -> bool:
        return self.state() != self._baseline

    def _on_change(self, *_args: Any) -> None:
        new = self.state()
        before, self._state = self._state, new
        if before == new:
            return
        if not self._setting:
            self.touched = True
            self.edited.emit(before, new)
        self.changed.emit()

    def _end_session(self) -> None:
        self.edit_session += 1

    # -- values ----------------------------------------------------------------------------------------------
    def value(self) -> Any:
        """The parsed value (None when empty); raises FieldInvalid."""
        raise NotImplementedError

    def parse(self) -> tuple[Any, Issue | None]:
        try:
            return self.value(), None
        except FieldInvalid as exc:
            return None, exc.issue

    def format(self, value: Any) -> str:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        self.set_state(self.format(value))

    def load_value(self, value: Any) -> None:
        self.load(self.format(value))

    # -- messages --------------------------------------------------------------------------------------------
    def set_error(self, message: str | None) -> None:
        """Show ``message`` under the editor (None hides it)."""
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))
        self.editor.setToolTip(message or "")

    def error(self) -> str:
        """The message shown (empty when none)."""
        return self.error_label.text()

    def reveal(self) -> None:
        """Bring the field into view: its tab in front, the cursor in it."""
        widget: QWidget | None = self
        while widget is not None:
            parent = widget.parentWidget()
            tabs = parent.parentWidget() if parent is not None else None
            if isinstance(tabs, QTabWidget) and tabs.indexOf(widget) >= 0:
                tabs.setCurrentWidget(widget)
            widget = parent
        self.editor.setFocus()


class LineField(FormField):
    """A line edit read by a ``LineKind`` (text, whole number, money, date)."""

    def __init__(self, name: str, label: str, kind: LineKind = TEXT, parent: QWidget | None = None):
        editor = QLineEdit()
        editor.setPlaceholderText(kind.placeholder)
        super().__init__(name, label, editor, parent)
        self.kind = kind
        editor.textChanged.connect(self._on_change)
        editor.editingFinished.connect(self._end_session)

    def state(self) -> str:
        return self.editor.text()

    def _apply_state(self, state: str) -> None:
        self.editor.setText(state)

    def value(self) -> Any:
        text = self.editor.text().strip()
        if not text:
            return None
        try:
            return self.kind.parse(text)
        except CellError as exc:
            raise FieldInvalid(Issue(exc.rule, self.name, {"value": text})) from None

    def format(self, value: Any) -> str:
        return "" if value is None else self.kind.format(value)


class SpinField(FormField):
    """A spin box for a whole number in ``minimum``–``maximum``; always a valid value."""

    def __init__(self, name: str, label: str, minimum: int, maximum: int, parent: QWidget | None = None):
        editor = QSpinBox()
        editor.setRange(minimum, maximum)
        super().__init__(name, label, editor, parent)
        editor.valueChanged.connect(self._on_change)
        editor.editingFinished.connect(self._end_session)
        self._state = self.state()

    def state(self) -> str:
        return str(self.editor.value())

    def _apply_state(self, state: str) -> None:
        self.editor.setValue(int(state) if state else self.editor.minimum())

    def value(self) -> int:
        return self.editor.value()

    def format(self, value: Any) -> str:
        return "" if value is None else str(int(value))


class ChoiceField(FormField):
    """A combo box of ``(label, value)`` choices; ``editable`` also takes any typed text as the value."""

    def __init__(self, name: str, label: str, choices: Iterable[tuple[str, Any]], *, editable: bool = False,
                 parent: QWidget | None = None):
        editor = QComboBox()
        editor.setEditable(editable)
        super().__init__(name, label, editor, parent)
        self.editable = editable
        self.mergeable = editable
        self.set_choices(choices)
        if editable:
            editor.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            editor.currentTextChanged.connect(self._on_change)
            editor.lineEdit().editingFinished.connect(self._end_session)
        else:
            editor.currentIndexChanged.connect(self._on_change)
        self._state = self.state()

    def set_choices(self, choices: Iterable[tuple[str, Any]]) -> None:
        """Replace the list, keeping what is shown."""
        state = self.state() if self.editor.count() else ""
        self._setting = True
        try:
            self.editor.clear()
            for text, value in choices:
                self.editor.addItem(text, value)
            self._apply_state(state)
        finally:
            self._setting = False
        self._state = self.state()

    def state(self) -> str:
        if self.editable:
            return self.editor.currentText()
        value = self.editor.currentData()
        return "" if value is None else str(value)

    def _apply_state(self, state: str) -> None:
        if self.editable:
            self.editor.setCurrentText(state)
            return
        for index in range(self.editor.count()):
            value = self.editor.itemData(index)
            if ("" if value is None else str(value)) == state:
                self.editor.setCurrentIndex(index)
                return
        self.editor.setCurrentIndex(0 if self.editor.count() else -1)

    def value(self) -> Any:
        if self.editable:
            return self.editor.currentText().strip() or None
        return self.editor.currentData()

    def format(self, value: Any) -> str:
        return "" if value is None else str(value)


class FieldGroup(QObject):
    """A form's fields: load a record, tell what changed, revert, parse, and show issues next to fields."""

    changed = Signal()

    def __init__(self, fields: Iterable[FormField], parent: QObject | None = None):
        super().__init__(parent)
        self.fields = {f.name: f for f in fields}
        for field in self.fields.values():
            field.changed.connect(self.changed)
        self.show_all = False  # after a save attempt, "required" shows on untouched fields too

    def __getitem__(self, name: str) -> FormField:
        return self.fields[name]

    def __iter__(self):
        return iter(self.fields.values())

    def load(self, values: dict[str, Any]) -> None:
        """Show a record's saved values (missing names: empty)."""
        self.show_all = False
        for name, field in self.fields.items():
            field.load_value(values.get(name))

    def shows_saved(self, values: dict[str, Any]) -> bool:
        """Whether the fields hold ``values`` as their saved state, unedited (a reload would change nothing)."""
        return all(f.state() == f._baseline == f.format(values.get(name)) for name, f in self.fields.items())

    def mark_saved(self) -> None:
        for field in self.fields.values():
            field.mark_saved()

    def is_modified(self) -> bool:
        return any(field.is_modified() for field in self.fields.values())

    def revert(self) -> None:
        """Back to the saved values."""
        for field in self.fields.values():
            field.load(field._baseline)
        self.show_all = False

    def parse(self) -> tuple[dict[str, Any], list[Issue]]:
        """Every field's value (None where it does not parse) and the parse issues."""
        values, issues = {}, []
        for name, field in self.fields.items():
            values[name], issue = field.parse()
            if issue is not None:
                issues.append(issue)
        return values, issues

    def show_issues(self, issues: Iterable[Issue], lang: str) -> bool:
        """Show each field's first error; "required" waits until the field is touched or a save is tried.

        Returns whether any error is shown.
        """
        first: dict[str, str] = {}
        for issue in issues:
            field = self.fields.get(issue.field)
            if field is None or not issue.is_error or issue.field in first:
                continue
            if issue.rule is Rule.REQUIRED and not (field.touched or self.show_all):
                continue
            first[issue.field] = issue.message(lang)
        for name, field in self.fields.items():
            if shiboken6.isValid(field):
                field.set_error(first.get(name))
        return bool(first)

    def show_message(self, name: str, message: str) -> None:
        """An error from elsewhere (a taken number) next to field ``name``."""
        self.fields[name].set_error(message)
