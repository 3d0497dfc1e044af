"""Saying something to a screen reader once, and keeping live values at a pace a person can follow.

:func:`announce` sends a ``QAccessibleAnnouncementEvent`` (Qt 6.8+; over AT-SPI it arrives as the
``object:announcement`` event that Orca speaks), so a refusal or the outcome of a command is heard even
though focus stays where it was. Every announcement is also emitted by :func:`announcer` (``announced``),
which is what the Qt-level tests listen to, and the same text is not repeated within a second.

:class:`HumanPace` applies the latest of a stream of values (a progress bar's, a slider's) at most a few
times a second: every change of a widget's value is an accessibility event, and at the frame rate a
screen reader would drown in them.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QAbstractItemView, QAbstractSpinBox, QApplication, QLabel, QLineEdit, QWidget

try:
    from PySide6.QtGui import QAccessibleAnnouncementEvent
except ImportError:  # Qt before 6.8: an alert on the widget instead (see announce)
    QAccessibleAnnouncementEvent = None

REPEAT_S = 1.0  # the same words again within this long are not said twice
PACE_MS = 400  # live values: at most this often (2-3 a second)


class Announcer(QObject):
    """The application's one voice: ``announced(text)`` for every announcement made."""

    announced = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._last: tuple[str, float] = ("", -REPEAT_S)

    def say(self, widget: QObject, text: str, assertive: bool = False) -> None:
        now = time.monotonic()
        if not text or (text == self._last[0] and now - self._last[1] < REPEAT_S):
            return
        self._last = (text, now)
        self.announced.emit(text)
        if not QAccessible.isActive():
            return
        if QAccessibleAnnouncementEvent is not None:
            event = QAccessibleAnnouncementEvent(widget, text)
            event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive if assertive
                                else QAccessible.AnnouncementPoliteness.Polite)
        else:  # an older Qt: an alert from the widget, whose name carries the words
            event = QAccessibleEvent(widget, QAccessible.Alert)
        QAccessible.updateAccessibility(event)


def announcer() -> Announcer:
    """The application's :class:`Announcer` (made on first use, owned by the QCoreApplication)."""
    app = QCoreApplication.instance()
    found = app.findChild(Announcer, "announcer") if app is not None else None
    if found is None:
        found = Announcer(app)
        found.setObjectName("announcer")
    return found


def announce(widget: QObject, text: str, assertive: bool = False) -> None:
    """Have a screen reader say ``text`` (about ``widget``) once, wherever the focus is."""
    announcer().say(widget, text, assertive)


TYPING_PAUSE_MS = 900  # a refusal of what is being typed is said once the typing stops


def announce_message(label: QLabel) -> None:
    """Say the refusal ``label`` now shows: at once, or, while a text field has the focus (the refusal
    of a half-typed value), once the typing has paused and only if it still stands."""
    text = label.text()
    if not text:
        return
    focus = QApplication.focusWidget()
    in_cell = focus is not None and isinstance(focus.parentWidget(), QWidget) and \
        isinstance(focus.parentWidget().parentWidget(), QAbstractItemView)  # a cell's editor: committed
    if in_cell or not isinstance(focus, (QLineEdit, QAbstractSpinBox)):
        announce(label, text, assertive=True)
        return
    timer = label.findChild(QTimer, "announceTimer")
    if timer is None:
        timer = QTimer(label)
        timer.setObjectName("announceTimer")
        timer.setSingleShot(True)
        timer.setInterval(TYPING_PAUSE_MS)
        timer.timeout.connect(lambda: label.isVisible() and announce(label, label.text(), assertive=True))
    timer.start()


class HumanPace(QObject):
    """Calls ``apply(value)`` with the latest value given to :meth:`set`, at once when it has not been
    called for ``interval_ms``, else when that time is up: never more often, and the last value always
    arrives."""

    def __init__(self, apply: Callable[[object], None], interval_ms: int = PACE_MS, parent: QObject | None = None):
        super().__init__(parent)
        self._apply = apply
        self._interval_s = interval_ms / 1000
        self._at = -float("inf")
        self._pending: tuple[object] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._flush)

    def set(self, value: object, now: bool = False) -> None:
        """``now``: a value that must show at once (a run's end, a reset)."""
        self._pending = (value,)
        wait = self._at + self._interval_s - time.monotonic()
        if now or wait <= 0:
            self._timer.stop()
            self._flush()
        elif not self._timer.isActive():
            self._timer.start(int(wait * 1000) + 1)

    @Slot()
    def _flush(self) -> None:
        if self._pending is None:
            return
        (value,), self._pending = self._pending, None
        self._at = time.monotonic()
        self._apply(value)
