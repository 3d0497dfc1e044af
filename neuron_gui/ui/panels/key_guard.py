"""Single-key shortcuts (Space, Right, [ and ]) that never steal a key from where the user is typing.

Space pauses and Right steps anywhere in the window, except where the focused widget needs the key
itself: a text field or spin box (they claim their keys already), the examples table (Right moves
the cell cursor; Space and other characters start editing an editable cell), the speed slider
(arrows move it), the tab bar of docks stacked as tabs (the arrows choose the tab), a combo
box or a focused button (Space presses it, the platform's convention).
Qt asks the focused widget first with a ``ShortcutOverride`` event; accepting it hands the key to
the widget, so that is where this filter decides.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
)

ARROWS = {Qt.Key_Left, Qt.Key_Right, Qt.Key_Up, Qt.Key_Down}


def widget_wants_key(widget, event: QKeyEvent) -> bool:
    """Whether ``widget`` (the focus widget) should receive ``event`` rather than a shortcut."""
    if widget is None or event.modifiers() & ~(Qt.ShiftModifier | Qt.KeypadModifier):
        return False  # Ctrl+. and other chords are always shortcuts
    key = event.key()
    printable = bool(event.text()) and event.text().isprintable()
    if isinstance(widget, (QLineEdit, QAbstractSpinBox, QTextEdit, QPlainTextEdit)):
        return printable or key in ARROWS
    if isinstance(widget, QAbstractItemView):
        if key in ARROWS:
            return True
        index = widget.currentIndex()
        editable = index.isValid() and bool(widget.model().flags(index) & Qt.ItemIsEditable)
        return printable and editable and bool(widget.editTriggers() & QAbstractItemView.AnyKeyPressed)
    if isinstance(widget, QAbstractSlider):
        return key in ARROWS
    if isinstance(widget, QTabBar):
        return key in ARROWS
    if isinstance(widget, (QComboBox, QAbstractButton)):
        return key == Qt.Key_Space or (isinstance(widget, QComboBox) and widget.isEditable() and printable)
    return False


class KeyGuard(QObject):
    """Install on a window (and on its docks, which become windows when floated)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.ShortcutOverride and not event.isAccepted():
            if widget_wants_key(QApplication.focusWidget(), event):
                event.accept()
                return True
        return False
