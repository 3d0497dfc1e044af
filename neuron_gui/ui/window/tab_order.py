"""Tab in reading order: panel by panel as a page is read, and within a panel row by row.

Qt's own Tab order is the order widgets were made in; here it follows the window as laid out, and again
after the docks are moved, floated or shown (a dock tab bar just before the panel it shows, a toolbar
such as the replay bar in one piece). Widgets that cannot be seen are not Tab stops.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractSpinBox, QDockWidget, QMainWindow, QTabBar, QToolBar, QWidget

from .panel_visibility import dock_of, tab_bar_of


def accessible_name(widget: QWidget) -> str:
    """What a screen reader calls ``widget`` (its accessible name, or the text Qt derives one from)."""
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Name) if iface is not None else ""


AREA_RANK = {Qt.LeftDockWidgetArea: 0, Qt.TopDockWidgetArea: 1, Qt.RightDockWidgetArea: 3,
             Qt.BottomDockWidgetArea: 4}
CENTRAL_RANK = 2
TOOLBAR_RANK = 5  # a toolbar at the bottom (the replay bar): read last, in one piece; at the top: first


def focusable_widgets(window: QWidget) -> list[QWidget]:
    """The widgets Tab can stop on in ``window`` (not in floating docks, which are windows of their own),
    each panel's in the order it was built.

    (Walking ``nextInFocusChain()`` instead would be Qt's own order, but in PySide it leaves stale
    wrappers behind that later invalidate live actions.)
    """
    return [w for w in window.findChildren(QWidget)
            if w.focusPolicy() & Qt.TabFocus and w.window() is window and w.focusProxy() is None
            and not isinstance(w.parentWidget(), QAbstractSpinBox)]


def reading_order(window: QMainWindow) -> list[QWidget]:
    """:func:`focusable_widgets` as a page is read: panel by panel (the left docks top to bottom, the top
    docks, the plots in the middle, the right docks, the bottom docks, then toolbars such as the replay
    bar), and within a panel row by row, left to right, as it is laid out on screen. The tab bar of docks
    stacked as tabs comes just before the panel it shows, as a tab widget's tabs come before its page; a
    toolbar is read as one piece."""
    central = window.centralWidget()
    middle = central.geometry() if central is not None else window.rect()
    panels: dict[int, tuple[tuple, list[QWidget]]] = {}
    leaders: dict[int, QWidget] = {}  # a panel's tab bar, read first
    for n, widget in enumerate(focusable_widgets(window)):
        if not widget.isVisible():
            continue  # hidden (a panel behind a tab, or closed): not a Tab stop
        dock = dock_of(widget)
        bar = _toolbar_of(widget, window)
        if dock is not None and dock.parentWidget() is window:
            key, owner = _dock_key(window, dock, n), dock
        elif isinstance(widget, QTabBar) and widget.parentWidget() is window:
            current = _current_dock(window, widget)
            if current is None:
                continue
            leaders[id(current)] = widget
            continue
        elif central is not None and (widget is central or central.isAncestorOf(widget)):
            key, owner = (CENTRAL_RANK, 0, 0, 0), central
        elif bar is not None:
            at = bar.mapTo(window, bar.rect().topLeft())
            rank = -1 if window.toolBarArea(bar) in (Qt.TopToolBarArea, Qt.LeftToolBarArea) else TOOLBAR_RANK
            key, owner = (rank, at.y(), at.x(), n), bar
        else:  # the window's own: by where it is
            at = widget.mapTo(window, widget.rect().topLeft())
            if at.x() + widget.width() <= middle.left():
                area = Qt.LeftDockWidgetArea
            elif at.x() >= middle.right():
                area = Qt.RightDockWidgetArea
            elif at.y() >= middle.bottom():
                area = Qt.BottomDockWidgetArea
            else:
                area = Qt.TopDockWidgetArea
            key, owner = (AREA_RANK[area], at.y(), at.x(), n), widget
        panels.setdefault(id(owner), (key, [], owner))[1].append(widget)
    for dock_id in leaders:
        if dock_id not in panels:  # a panel with no Tab stop of its own: the tabs still are one
            dock = next(d for d in window.findChildren(QDockWidget) if id(d) == dock_id)
            panels[dock_id] = (_dock_key(window, dock, -1), [], dock)
    ordered: list[QWidget] = []
    for _key, widgets, owner in sorted(panels.values(), key=lambda p: p[0]):
        lead = leaders.get(id(owner))
        ordered += ([lead] if lead is not None else []) + rows_left_to_right(window, widgets)
    return ordered


def _dock_key(window: QMainWindow, dock: QDockWidget, n: int) -> tuple:
    at = dock.mapTo(window, dock.rect().topLeft())
    return (AREA_RANK.get(window.dockWidgetArea(dock), CENTRAL_RANK), at.y(), at.x(), n)


def _toolbar_of(widget: QWidget, window: QMainWindow) -> QToolBar | None:
    while widget is not None and widget is not window:
        if isinstance(widget, QToolBar):
            return widget
        widget = widget.parentWidget()
    return None


def _current_dock(window: QMainWindow, bar: QTabBar) -> QDockWidget | None:
    """The dock whose tab is the current one on ``bar`` (a tab bar of docks stacked as tabs)."""
    title = bar.tabText(bar.currentIndex())
    for dock in window.findChildren(QDockWidget):
        if dock.windowTitle() == title and not dock.isFloating() and tab_bar_of(dock) is bar:
            return dock
    return None


def rows_left_to_right(window: QWidget, widgets: list[QWidget]) -> list[QWidget]:
    """``widgets`` in reading order: rows top to bottom (widgets whose middles are level share a row),
    each left to right."""
    placed = []
    for w in widgets:
        top_left = w.mapTo(window, w.rect().topLeft())
        placed.append((w, top_left.x(), top_left.y() + w.height() / 2, w.height()))
    placed.sort(key=lambda p: p[2])
    rows: list[list[tuple]] = []
    for p in placed:
        if rows and abs(p[2] - rows[-1][0][2]) < min(p[3], rows[-1][0][3]) / 2:
            rows[-1].append(p)
        else:
            rows.append([p])
    return [p[0] for row in rows for p in sorted(row, key=lambda p: p[1])]


class TabOrder(QObject):
    """Keeps Tab moving through the panels in reading order, after the docks are laid out or moved."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.apply)
        for dock in window.findChildren(QDockWidget):
            dock.dockLocationChanged.connect(self.schedule)
            dock.topLevelChanged.connect(self.schedule)

    @Slot()
    def schedule(self, *_) -> None:
        self._timer.start()

    @Slot()
    def apply(self) -> None:
        order = reading_order(self.window)
        for a, b in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(a, b)


def name_unnamed_views(window: QMainWindow) -> None:
    """A focusable view without an accessible name is named after its panel (a screen reader would
    otherwise say only "graphic")."""
    for widget in focusable_widgets(window):
        if accessible_name(widget):
            continue
        dock = widget
        while dock is not None and not isinstance(dock, QDockWidget):
            dock = dock.parentWidget()
        if dock is not None:
            title = dock.windowTitle().replace("&", "")
            widget.setAccessibleName(f"{title} plot" if widget.inherits("QGraphicsView") else title)


