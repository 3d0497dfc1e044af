"""A spin box silently drops keys and reverts values it cannot take; this says why, where the user is
looking, and makes sure a refused entry changes nothing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox


class SpinGuard(QObject):
    """Watches one editing session of ``spin`` (from the first key to Return or leaving the box).

    A key the validator drops (a '-' where only positives are allowed, a letter) is reported at once;
    when the session ends on an entry the box cannot take (0, -5, "nan", "abc", out of range), the value
    from before the session is restored and the reason shown through ``show`` ("" clears it).
    """

    def __init__(self, spin: QAbstractSpinBox, name: str, show: Callable[[str], None]):
        super().__init__(spin)
        self.spin, self.name, self.show = spin, name, show
        self._before: float | None = None  # the value when the session started
        self._keys = ""
        self._dropped = False
        self._showing = False
        spin.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind == QEvent.KeyPress and event.key() in (Qt.Key_Return, Qt.Key_Enter):
            self._end_session()
        elif kind == QEvent.FocusOut:
            self._end_session()
        elif kind == QEvent.KeyPress and event.text().isprintable() and event.text().strip():
            if self._before is None:
                self._before, self._keys, self._dropped = self.spin.value(), "", False
            self._keys += event.text()
            line = self.spin.lineEdit()
            text_before = line.text()
            self.spin.keyPressEvent(event)  # let the box take (or drop) the key now, to see which
            if line.text() == text_before:
                self._dropped = True
                self._report(f"'{event.text()}' cannot be typed here")
            return True
        return False

    def _end_session(self) -> None:
        """Before the box itself interprets the entry (and silently reverts a bad one)."""
        before, keys, dropped = self._before, self._keys, self._dropped
        self._before = None
        if before is None:
            return
        text = self.spin.lineEdit().text()
        ok = self.spin.validate(text, len(text))[0] == QValidator.Acceptable
        if dropped or not ok:
            self.spin.setValue(before)
            self.spin.lineEdit().setText(self.spin.textFromValue(before))
            self._report(f"{keys!r} cannot be used", kept=True)
        elif self._showing:
            self.show("")
            self._showing = False

    def _report(self, what: str, kept: bool = False) -> None:
        text = f"{self.name}: {what}; it must be between {self._bound(self.spin.minimum())} and " \
               f"{self._bound(self.spin.maximum())}."
        if kept:
            text += f" {self.spin.text()} is kept."
        self.show(text)
        self._showing = True

    def _bound(self, v: float) -> str:
        return f"{v:g}" if isinstance(self.spin, QDoubleSpinBox) else f"{int(v):,}"
