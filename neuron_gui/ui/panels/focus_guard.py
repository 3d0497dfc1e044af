"""Keyboard focus never lands in an editable field on its own.

When the focused widget is disabled or hidden, Qt moves the focus to the next widget in the tab chain.
Train disables the Iterations and Seed fields, so the focus fell into the Learning rate field, where the
Space meant to pause the run typed a space over the rate instead. Here such a move into a field that
takes typing is caught as it happens and the focus parked on a widget that types nothing (the weights
plot), where Space pauses and Right steps. Focus the user moves (Tab, a click, a shortcut's buddy) is
never touched: the widget it leaves is still enabled and visible then.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


def takes_typing(widget: QWidget) -> bool:
    """A field where a printable key (Space included) changes text: line edits, spin boxes, editable
    combo boxes and text editors that are not read-only."""
    if isinstance(widget, QAbstractSpinBox):
        return not widget.isReadOnly()
    if isinstance(widget, (QLineEdit, QTextEdit, QPlainTextEdit)):
        return not widget.isReadOnly()
    return isinstance(widget, QComboBox) and widget.isEditable()


class FocusGuard(QObject):
    """Watches the application's focus for ``window``; parks it on ``park`` when it falls into a field."""

    def __init__(self, window: QWidget, park: QWidget):
        super().__init__(window)
        self.window = window
        self.park = park
        QApplication.instance().focusChanged.connect(self._focus_changed)

    @Slot(QWidget, QWidget)
    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if old is None or new is None or not shiboken6.isValid(self.window):
            return
        if not (shiboken6.isValid(old) and shiboken6.isValid(new)):
            return
        if new.window() is not self.window or old.window() is not self.window:
            return  # another window (a dialog giving the focus back is not a fall)
        if old.isEnabled() and old.isVisible():
            return  # the user moved it
        if not takes_typing(new):
            return
        target = self.park if self.park.isVisible() and self.park.isEnabled() else self.window
        target.setFocus(Qt.OtherFocusReason)
