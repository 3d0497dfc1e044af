"""A panel nobody can see is not there for the keyboard or a screen reader either.

Qt keeps a dock stacked behind another tab "visible": its widgets stay in the Tab chain and on the
accessibility bus, placed at negative coordinates, so Tab and a screen reader land in panels nobody can
see. Here the contents of such a dock are hidden while it is behind a tab (or its window is minimised),
which takes them out of the Tab chain and off the bus (a hidden widget is not "showing"), and shown again
the moment its tab is chosen; the views bring themselves up to date when they are shown (see
``insight_views``). The tab bars of stacked docks are kept in the Tab chain only while they are on screen
(Qt keeps spare ones around, off screen).
"""

from __future__ import annotations

from functools import partial

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QAbstractButton, QDockWidget, QMainWindow, QTabBar, QWidget


class PanelVisibility(QObject):
    """Hides what cannot be seen in ``window``'s docks; emits ``changed`` when the set of panels on
    screen changes (the Tab order is then rebuilt)."""

    changed = Signal()

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self._watched: set[int] = set()
        self._shown: dict[int, bool] = {}  # each dock's last visibilityChanged: False behind a tab
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.apply)
        window.installEventFilter(self)
        self.watch_docks()

    def watch_docks(self) -> None:
        """Follow every dock of the window (call again after adding docks)."""
        for dock in self.window.findChildren(QDockWidget):
            if id(dock) in self._watched:
                continue
            self._watched.add(id(dock))
            dock.visibilityChanged.connect(partial(self._visibility_changed, dock))
            dock.topLevelChanged.connect(self.schedule)
            dock.dockLocationChanged.connect(self.schedule)

    def _visibility_changed(self, dock: QDockWidget, visible: bool) -> None:
        if not shiboken6.isValid(dock):
            return
        self._shown[id(dock)] = visible
        contents = dock.widget()
        if visible and contents is not None and contents.isHidden():
            contents.show()  # at once: the views catch up before anyone reads them
        self.schedule()

    @Slot()
    def schedule(self, *_) -> None:
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.window and event.type() == QEvent.WindowStateChange:
            self.schedule()
        return False

    @Slot()
    def apply(self) -> None:
        """Hide the contents of every dock that cannot be seen, show those that can; tab bars off screen
        (or with nothing to switch) leave the Tab chain."""
        if not shiboken6.isValid(self.window):
            return
        minimised = self.window.isMinimized()
        for dock in self.window.findChildren(QDockWidget):
            contents = dock.widget()
            if contents is None:
                continue
            # Qt says whether a dock can be seen by its visibilityChanged signal (a dock behind a tab is
            # still isVisible())
            visible = dock.isVisible() and not minimised and self._shown.get(id(dock), True)
            if visible == contents.isHidden():
                policy = contents.sizePolicy()
                if not policy.retainSizeWhenHidden():  # hidden, it keeps its place: the layout never moves
                    policy.setRetainSizeWhenHidden(True)
                    contents.setSizePolicy(policy)
                contents.setVisible(visible)
        area = self.window.rect()
        for bar in self.window.findChildren(QTabBar):
            if bar.parentWidget() is not self.window:
                continue
            reachable = bar.isVisible() and bar.count() > 1 and area.intersects(bar.geometry())
            bar.setFocusPolicy(Qt.TabFocus if reachable else Qt.NoFocus)
            for button in bar.findChildren(QAbstractButton):  # its scroll arrows: the arrow keys do that
                button.setFocusPolicy(Qt.NoFocus)
        self.changed.emit()


def tab_bar_of(dock: QDockWidget) -> QTabBar | None:
    """The tab bar that switches between ``dock`` and the docks stacked with it, if any."""
    window = dock.parentWidget()
    if not isinstance(window, QMainWindow) or dock.isFloating() or not window.tabifiedDockWidgets(dock):
        return None
    title = dock.windowTitle()
    for bar in window.findChildren(QTabBar):
        if bar.parentWidget() is window and bar.isVisible() and \
                any(bar.tabText(i) == title for i in range(bar.count())):
            return bar
    return None


def dock_of(widget: QWidget | None) -> QDockWidget | None:
    while widget is not None and not isinstance(widget, QDockWidget):
        widget = widget.parentWidget()
    return widget
