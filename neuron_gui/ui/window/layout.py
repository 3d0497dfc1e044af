"""The docks' default arrangement, View > Reset Layout, and the View menu's panel toggles.

The plots are the central widget; the panels are docks the user can move, stack as tabs, float or
close. The default puts the panels that change the run (examples, training, query) in a column on the
left, with the views that explain it beside them, and is computed for the window's size: on a wide
screen (a projector at 1920x1080) the explaining views get a column of their own on the right; at
1280x800 they share the left column as tabs, so the plots keep the middle. Whatever the user makes of
it is saved on close (:mod:`.preferences`) and restored on the next start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar

if TYPE_CHECKING:
    from .main_window import MainWindow

WIDE = 1600  # logical pixels: from this window width, a right-hand column for the explaining views
LEFT_SHARE, RIGHT_SHARE = 0.31, 0.24  # of the window's width
BOTTOM_SHARE = 0.27  # of the window's height, for the tabs under the plots
RIGHT_TOP = ("updateDock", "contributionsDock")  # the wide layout's upper right group of tabs
LEFT_MIN, LEFT_MAX = 380, 500

# the left column, top to bottom (the diagram only when wide; otherwise it leads the tabs under the plots)
LEFT_COLUMN = ("examplesDock", "trainingDock", "queryDock", "diagramDock")
LEFT_HEIGHTS = {"examplesDock": 0.27, "trainingDock": 0.33, "queryDock": 0.15, "diagramDock": 0.25}


class DockLayout(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.reset_action = window._action(
            "&Reset Layout", None, self.reset,
            "Put every panel back where it starts, shown and docked, sized for the window", "resetLayoutAction",
        )
        for dock in window.docks.values():
            self._label_toggle(dock)

    @staticmethod
    def _label_toggle(dock: QDockWidget) -> QAction:
        toggle = dock.toggleViewAction()
        if not toggle.objectName():
            toggle.setObjectName(f"{dock.objectName()}ToggleAction")
        title = dock.windowTitle().replace("&", "")
        toggle.setStatusTip(f"Show or hide the {title} panel")
        toggle.setToolTip(f"Show or hide the {title} panel")
        return toggle

    def panel_actions(self) -> list[QAction]:
        """A show/hide toggle for every dock, whoever added it."""
        return [self._label_toggle(dock) for dock in self.window.docks.values()]

    def reset(self, *_) -> None:
        """Every dock shown, docked and in its default place, sized for the window as it is now.

        Wide (a projector): the controls on the left, the network diagram under them, the explaining views
        in a column on the right. Otherwise (1280x800): the controls on the left at full height, and the
        diagram and the explaining views as tabs under the plots, so that neither squeezes the plots.
        """
        w = self.window
        width, height = max(w.width(), 640), max(w.height(), 480)
        docks = dict(w.docks)
        for dock in docks.values():
            dock.setFloating(False)
            w.removeDockWidget(dock)
        wide = width >= WIDE
        left = [docks.pop(name) for name in (LEFT_COLUMN if wide else LEFT_COLUMN[:-1]) if name in docks]
        others = list(docks.values())  # the diagram first when it is not on the left
        w.setCorner(Qt.BottomLeftCorner, Qt.LeftDockWidgetArea)
        w.setCorner(Qt.BottomRightCorner, Qt.RightDockWidgetArea)
        for i, dock in enumerate(left):
            if i == 0:
                w.addDockWidget(Qt.LeftDockWidgetArea, dock)
            else:
                w.splitDockWidget(left[i - 1], dock, Qt.Vertical)
            dock.show()
        if wide:
            self._right_column(others)
        else:
            self._tab_group(Qt.BottomDockWidgetArea, others)
        if left:
            w.resizeDocks([left[0]], [int(min(LEFT_MAX, max(LEFT_MIN, width * LEFT_SHARE)))], Qt.Horizontal)
            shares = [LEFT_HEIGHTS.get(d.objectName(), 0.2) for d in left]
            w.resizeDocks(left, [int(height * s / sum(shares)) for s in shares], Qt.Vertical)
        if others and wide:
            w.resizeDocks([others[0]], [int(width * RIGHT_SHARE)], Qt.Horizontal)
        elif others:
            w.resizeDocks([others[0]], [int(height * BOTTOM_SHARE)], Qt.Vertical)
        splitter = w.plots_splitter
        total = max(1, sum(splitter.sizes()))
        splitter.setSizes([total // 2, total - total // 2])
        compact_tab_bars(w)

    def _tab_group(self, area: Qt.DockWidgetArea, docks: list[QDockWidget]) -> None:
        if not docks:
            return
        w = self.window
        w.addDockWidget(area, docks[0])
        for dock in docks[1:]:
            w.tabifyDockWidget(docks[0], dock)
        for dock in docks:
            dock.show()
        docks[0].raise_()

    def _right_column(self, docks: list[QDockWidget]) -> None:
        """Two groups of tabs, one above the other (the explanation of the update and of the prediction
        over the error surface and the kept runs; any other dock joins the lower group)."""
        if not docks:
            return
        w = self.window
        top = [d for d in docks if d.objectName() in RIGHT_TOP] or docks[:1]
        bottom = [d for d in docks if d not in top]
        w.addDockWidget(Qt.RightDockWidgetArea, top[0])
        if bottom:
            w.splitDockWidget(top[0], bottom[0], Qt.Vertical)  # before any tabs: a tabbed dock cannot split
        for group in (top, bottom):
            for dock in group[1:]:
                w.tabifyDockWidget(group[0], dock)
            for dock in group:
                dock.show()
            if group:
                group[0].raise_()


def compact_tab_bars(window: QMainWindow) -> None:
    """Tabs of stacked docks are elided and scroll, rather than widening their column to fit every title."""
    for bar in window.findChildren(QTabBar):
        if bar.parentWidget() is window:
            bar.setElideMode(Qt.ElideNone)
            bar.setUsesScrollButtons(True)
            bar.setExpanding(False)
