"""How a view follows the state on display at its own pace.

The session says, at most once a frame, that the state on display may have changed. A view does not redraw
on every such signal: it declares its pace when it subscribes.

- ``every_frame`` (the plots): each signal, if what it shows changed (its ``key``).
- ``few_hz`` (text, table columns, the diagram, progress and status): at most ``hz`` times a second while a
  run moves, and at once when it stops, pauses, is scrubbed or the query changes, so the last state is
  always shown. With a ``key`` it also skips a state whose shown digits did not change.
- Not at all while it cannot be seen: closed, stacked behind another dock's tab, or in a minimised window.
  It is marked stale and catches up the first time it is painted again.

A view is any widget and a function that shows a state (``None``: no run). :class:`Pace` never keeps a
state itself; it asks the session for the current one when it is the view's turn.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from ...core.display_state import DisplayState
    from ...session.session import Session

EVERY_FRAME = None
_DIRECT = Qt.FindDirectChildrenOnly
FEW_HZ = 4.0  # text a reader can follow while it moves; any more is flicker and wasted repaints


def can_be_seen(widget: QWidget) -> bool:
    """Whether any of ``widget`` is on screen: shown, its window not minimised, not behind another tab.

    (A dock stacked behind another's tab stays ``isVisible()`` to Qt; its visible region is empty. A widget
    covered by its own children, such as a plot by its viewport, has an empty region too: they are asked.)"""
    if not (shiboken6.isValid(widget) and widget.isVisible()) or widget.window().isMinimized():
        return False
    return _has_visible_region(widget, depth=3)


def _has_visible_region(widget: QWidget, depth: int) -> bool:
    if not widget.visibleRegion().isEmpty():
        return True
    if depth == 0:
        return False
    return any(_has_visible_region(child, depth - 1) for child in widget.findChildren(QWidget, options=_DIRECT)
               if child.isVisible() and not child.isWindow())


class Pace(QObject):
    """Shows the session's state on one view at the view's pace. See the module's docstring."""

    def __init__(self, session: Session, view: QWidget, show: Callable[[DisplayState | None], None], *,
                 hz: float | None = EVERY_FRAME, key: Callable[[DisplayState], object] | None = None,
                 always: bool = False):
        """``key(state)`` is what the view shows of a state (equal keys: nothing to redraw); ``always``
        shows it even where it cannot be seen (a view whose values others read, such as the table's)."""
        super().__init__(view)
        self.session = session
        self.view = view
        self._show = show
        self._hz = hz
        self._key_of = key
        self._always = always
        self._shown_key: object = object()  # nothing shown yet
        self._shown_at = -1e9
        self.stale = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.update)
        painted = view.viewport() if hasattr(view, "viewport") else view
        painted.installEventFilter(self)
        self._painted = painted
        session.display_changed.connect(self.update)

    @Slot()
    def update(self, force: bool = False) -> None:
        """Show the current state if it is the view's turn (``force``: now, whatever the pace)."""
        if not shiboken6.isValid(self.view):
            return
        if not self._always and not can_be_seen(self.view):
            self.stale = True
            return
        moving = self.session.is_running and not self.session.is_paused
        if self._hz is not None and moving and not force:
            wait = self._shown_at + 1.0 / self._hz - time.monotonic()
            if wait > 0:
                if not self._timer.isActive():
                    self._timer.start(int(wait * 1000) + 1)  # the last state of a burst is shown too
                return
        self._timer.stop()
        state = self.session.display_state()
        key = None if state is None else (self._key_of(state) if self._key_of else state)
        self.stale = False
        self._shown_at = time.monotonic()
        if key == self._shown_key:
            return
        self._shown_key = key
        self._show(state)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if self.stale and watched is self._painted and event.type() in (QEvent.Paint, QEvent.Show):
            QTimer.singleShot(0, self._catch_up)  # never change a view inside its own paint
        return False

    @Slot()
    def _catch_up(self) -> None:
        if self.stale:
            self.update(force=True)
