"""Undo steps for form fields: one step per field edit, consecutive typing in one field merged into it."""

from __future__ import annotations

from collections.abc import Iterable

import shiboken6
from PySide6.QtGui import QUndoCommand, QUndoStack

from consultant_app.ui.i18n import translate
from consultant_app.ui.widgets.fields import FormField

FIELD_EDIT_ID = 0x4645  # QUndoStack merges only commands with the same id


class FieldEdit(QUndoCommand):
    """The user changed one field from ``before`` to ``after`` (text states); undo and redo show them again."""

    def __init__(self, field: FormField, before: str, after: str):
        super().__init__(translate("FieldEdit", "%1 수정").replace("%1", field.label))
        self.field = field
        self.before = before
        self.after = after
        self.generation = field.generation
        self.session = field.edit_session
        self._pushed = False

    def id(self) -> int:
        return FIELD_EDIT_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        # Keystrokes in one field, without leaving it in between, are one step.
        if not (isinstance(other, FieldEdit) and other.field is self.field and self.field.mergeable
                and other.session == self.session and other.generation == self.generation):
            return False
        self.after = other.after
        if self.after == self.before:  # typed and deleted again: no step at all
            self.setObsolete(True)
        return True

    def redo(self) -> None:
        if not self._pushed:  # push() calls redo(); the field shows the new text already
            self._pushed = True
            return
        self._show(self.after)

    def undo(self) -> None:
        self._show(self.before)

    def _show(self, state: str) -> None:
        if not shiboken6.isValid(self.field) or self.field.generation != self.generation:
            # The form shows another record (or none) now: this step means nothing any more.
            self.setObsolete(True)
            return
        self.field.set_state(state)
        self.field.reveal()


def record_edits(stack: QUndoStack, fields: Iterable[FormField]) -> None:
    """Push a FieldEdit onto ``stack`` for every user edit of ``fields``."""
    for field in fields:
        field.edited.connect(lambda before, after, f=field: stack.push(FieldEdit(f, before, after)))
