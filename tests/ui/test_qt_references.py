"""Qt's bindings keep Python's reference counts: a signal delivered to a Python slot neither drops nor leaks a
reference to its arguments. (PySide6 6.12.0 dropped one to the bool of every Signal(bool): on Python 3.11 the
app died with "bool_dealloc" after a few thousand checkbox toggles.)"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QCheckBox

DELIVERIES = 500


class _Sender(QObject):
    flag = Signal(bool)
    value = Signal(object)


def _change_per_delivery(obj: object, deliver) -> float:
    deliver()  # the first delivery may cache a converter
    before = sys.getrefcount(obj)
    for _ in range(DELIVERIES):
        deliver()
    return (sys.getrefcount(obj) - before) / DELIVERIES


def _slot(_value) -> None:
    """A slot that keeps nothing."""


def test_a_bool_signal_to_a_python_slot_keeps_the_bools_references(qapp):
    sender = _Sender()
    sender.flag.connect(_slot)
    assert _change_per_delivery(True, lambda: sender.flag.emit(True)) == 0
    assert _change_per_delivery(False, lambda: sender.flag.emit(False)) == 0


def test_a_checkbox_toggling_keeps_the_bools_and_nones_references(qapp):
    box = QCheckBox()
    box.toggled.connect(_slot)
    for obj in (True, False, None):
        assert _change_per_delivery(obj, lambda: box.setChecked(not box.isChecked())) == 0


def test_an_object_signal_keeps_its_arguments_references(qapp):
    sender, payload = _Sender(), object()
    sender.value.connect(_slot)
    assert _change_per_delivery(payload, lambda: sender.value.emit(payload)) == 0
