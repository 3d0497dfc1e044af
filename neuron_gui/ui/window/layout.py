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

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar, QTableView

if TYPE_CHECKING:
    from .main_window import MainWindow

WIDE = 1600  # logical pixels: from this window width, a right-hand column for the explaining views
LEFT_SHARE, RIGHT_SHARE = 0.31, 0.24  # of the window's width
BOTTOM_SHARE = 0.27  # of the window's height, for the tabs under the plots
RIGHT_TOP = ("updateDock", "contributionsDock")  # the wide layout's upper right group of tabs
LEFT_MIN, LEFT_MAX = 340, 500
PLOTS_MIN_WIDTH_SHARE, PLOTS_MIN_HEIGHT_SHARE = 0.45, 0.4  # of the window: less, and the layout is refitted
TABLE_ROWS_SHOWN = 4  # the examples table shows at least this many rows (the lesson's), if it has them

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
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit)
        window.installEventFilter(self)

    # -- fitting the layout to the window -------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """A window shown (with a layout restored from another window's size) or resized: refit once the
        docks have been laid out for the new size."""
        if watched is self.window and event.type() in (QEvent.Show, QEvent.Resize):
            self._fit_timer.start()
        return False

    def squeezed(self) -> list[str]:
        """What does not fit in the layout as it is (empty: the layout fits the window)."""
        w = self.window
        if not w.isVisible() or w.isMinimized():
            return []
        plots = w.centralWidget()
        problems = []
        if plots.width() < PLOTS_MIN_WIDTH_SHARE * w.width():
            problems.append(f"the plots are {plots.width()} px wide in a window of {w.width()}")
        if plots.height() < PLOTS_MIN_HEIGHT_SHARE * w.height():
            problems.append(f"the plots are {plots.height()} px tall in a window of {w.height()}")
        dock = w.docks.get("examplesDock")
        table = dock.findChild(QTableView) if dock is not None else None
        if (table is not None and dock.isVisible() and not dock.isFloating()
                and not dock.visibleRegion().isEmpty()):
            rows = min(TABLE_ROWS_SHOWN, table.model().rowCount())
            if table.viewport().height() < rows * table.verticalHeader().defaultSectionSize():
                problems.append(f"the examples table shows fewer than {rows} rows")
        return problems

    def fit(self) -> None:
        """Make the layout fit the window it is in (after a restore or a resize): a layout remembered from
        a wide window must not squeeze the plots into a column, nor the table to two rows. The panels keep
        their places if narrowing the side columns is enough; otherwise the default layout for this size."""
        if not self.squeezed():
            return
        self._narrow_side_columns()
        if self.squeezed():
            self.reset()

    def _narrow_side_columns(self) -> None:
        w = self.window
        want = int(PLOTS_MIN_WIDTH_SHARE * w.width()) + 1
        excess = want - w.centralWidget().width()
        if excess <= 0:
            return
        columns = []
        for area in (Qt.LeftDockWidgetArea, Qt.RightDockWidgetArea):
            docks = [d for d in w.docks.values()
                     if w.dockWidgetArea(d) == area and d.isVisible() and not d.isFloating()]
            if docks:
                columns.append((docks[0], max(d.width() for d in docks)))
        total = sum(width for _, width in columns)
        if not total:
            return
        w.resizeDocks([d for d, _ in columns], [max(1, round(width - excess * width / total)) for d, width in columns],
                      Qt.Horizontal)

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
