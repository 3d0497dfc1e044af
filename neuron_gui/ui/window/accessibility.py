"""What a screen reader says about the views, and reaching them by keyboard.

The plots, the prediction and the network diagram are pictures to a screen reader; each is given an
accessible name and a description that states its current values (the weights, the error, each
example's output, the prediction), refreshed with the views: at once when idle or paused, at most
twice a second while a run is moving (an announcement at 30 Hz would be noise). When a run ends, its
outcome is announced. The views that only show values take keyboard focus (Tab reaches them, after
the controls that change them), so a keyboard or screen-reader user can stop on each one.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAccessible, QPainter, QPalette, QPen
from PySide6.QtWidgets import QAbstractSpinBox, QDockWidget, QMainWindow, QWidget

from ...core.examples import DataError, parse_query
from ...core.lesson import sigmoid, weighted_sum

if TYPE_CHECKING:
    from .main_window import MainWindow

LIVE_INTERVAL_S = 0.5


def _v(value: float) -> str:
    return f"{value:.8g}"


def describe_weights(names: list[str], weights: np.ndarray, iteration: int, target: int) -> str:
    parts = ", ".join(f"{n} {_v(w)}" for n, w in zip(names, weights, strict=True))
    return f"Weights at iteration {iteration:,} of {target:,}: {parts}."


def describe_error(error: float, first_error: float | None, iteration: int) -> str:
    text = f"Mean squared error at iteration {iteration:,}: {error:.4g}"
    if first_error is not None and iteration > 0:
        text += f", from {first_error:.4g} at the start"
    return text + "."


SPOKEN_EXAMPLES = 20


def describe_examples(X: np.ndarray, y: np.ndarray, weights: np.ndarray, query: np.ndarray | None) -> str:
    shown = min(len(y), SPOKEN_EXAMPLES)  # nobody listens to 100,000 outputs (and it took 70 ms a frame)
    out = sigmoid(weighted_sum(X[:shown], weights))
    parts = [f"example {r + 1}, target {y[r]:g}: output {out[r]:.4f}" for r in range(shown)]
    text = "Each example on the sigmoid: " + "; ".join(parts) + "."
    if shown < len(y):
        text += f" ({len(y) - shown:,} more examples.)"
    if query is not None:
        text += f" Query {_inputs(query)}: output {float(sigmoid(weighted_sum(query, weights))):.8f}."
    return text


def describe_network(names: list[str], weights: np.ndarray, query: np.ndarray | None) -> str:
    synapses = ", ".join(f"w{j + 1} ({n}) {_v(w)}" for j, (n, w) in enumerate(zip(names, weights, strict=True)))
    if query is None:
        return f"Weights {synapses}. No valid query."
    z = float(weighted_sum(query, weights))
    return (f"Inputs {_inputs(query)}; weights {synapses}; weighted sum z {z:.6g}; "
            f"output sigmoid(z) {float(sigmoid(z)):.8f}.")


def _inputs(query: np.ndarray) -> str:
    return ", ".join(f"{v:g}" for v in query)


class ViewDescriptions(QObject):
    """Keeps the views' accessible names and descriptions stating what they show."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self._key: tuple | None = None
        self._at = 0.0
        w = window
        for widget, name in ((w.weights_plot, "Weights plot"), (w.error_plot, "Error plot"),
                             (w.sigmoid_plot, "Sigmoid plot"), (w.diagram, "Network diagram")):
            widget.setAccessibleName(name)
            widget.setFocusPolicy(Qt.TabFocus)  # Tab stops on it; a click does not take the keyboard
        prediction = w.query_panel.prediction
        prediction.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        prediction.setFocusPolicy(Qt.TabFocus)
        w.log_check.setAccessibleName("Error on a log scale")
        prediction.setToolTip("The neuron's output, sigmoid(x·w), for the query's inputs with the weights on display")
        w.examples_panel.table.horizontalHeader().setToolTip(
            "Inputs, then the target y (0 to 1); in grey, the neuron's output and error for each example at "
            "the iteration on display. Double-click a cell, or select it and type, to change it.")
        self.rings = [FocusRing(view) for view in (w.weights_plot, w.error_plot, w.sigmoid_plot, w.diagram,
                                                      prediction)]
        self.plot_keys = PlotKeys(self)
        for plot in (w.weights_plot, w.error_plot, w.sigmoid_plot):
            plot.installEventFilter(self.plot_keys)
        w.controller.finished.connect(self._announce_finish)
        w.views_refreshed.connect(self.refresh)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """After every redraw of the views; cheap when nothing changed."""
        w = self.window
        run = w.run
        weights = w.current_weights()
        moving = w.is_training and not w.controller.is_paused
        key = (id(run), w.current_iteration(), None if weights is None else weights.tobytes(),
               w.query_panel.input.text(), w.query_panel.prediction.text(), moving)
        if key == self._key:
            return
        now = time.monotonic()
        if moving and now - self._at < LIVE_INTERVAL_S:
            return
        self._key, self._at = key, now
        self._describe()

    def _describe(self) -> None:
        w = self.window
        run = w.run
        weights = w.current_weights()
        qp = w.query_panel
        if run is None or weights is None:
            text = "No neuron: the examples table cannot be trained on."
            for widget in (w.weights_plot, w.error_plot, w.sigmoid_plot, w.diagram):
                widget.setAccessibleDescription(text)
            qp.prediction.setAccessibleName("Prediction: none")
            qp.prediction.setAccessibleDescription(text)
            return
        iteration = w.current_iteration()
        query = self._query(run.examples.n_inputs)
        names = list(run.examples.names)
        hint = PlotKeys.HINT
        w.weights_plot.setAccessibleDescription(
            describe_weights(names, weights, iteration, run.target_iterations) + hint)
        history = run.history
        latest = w.controller.latest if w.is_training else None
        error = latest.error if latest is not None else history.last_error()
        first = float(history.e_first[0]) if history.count else None  # the run's starting error
        w.error_plot.setAccessibleDescription(describe_error(error, first, iteration) + hint)
        w.sigmoid_plot.setAccessibleDescription(describe_examples(run.X, run.y, weights, query) + hint)
        w.diagram.setAccessibleDescription(describe_network(names, weights, query))
        qp.prediction.setAccessibleName(f"Prediction: {qp.prediction.text()}")
        qp.prediction.setAccessibleDescription(
            "No valid query." if query is None else
            f"For the query {_inputs(query)}, {qp.caption.text() or 'now'}."
        )

    def _query(self, n_inputs: int) -> np.ndarray | None:
        try:
            return parse_query(self.window.query_panel.input.text(), n_inputs)
        except DataError:
            return None

    @Slot(str)
    def _announce_finish(self, _reason: str) -> None:
        """Say how a run ended, where an assistive technology is listening."""
        if not QAccessible.isActive():
            return
        text = self.window.statusBar().currentMessage() or self.window.status_label.text()
        if text and hasattr(QAccessible, "updateAccessibility"):
            try:
                from PySide6.QtGui import QAccessibleAnnouncementEvent
            except ImportError:  # Qt before 6.8
                return
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self.window.status_label, text))


def accessible_name(widget: QWidget) -> str:
    """What a screen reader calls ``widget`` (its accessible name, or the text Qt derives one from)."""
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Name) if iface is not None else ""


# -- tab order ---------------------------------------------------------------------------------------

AREA_RANK = {Qt.LeftDockWidgetArea: 0, Qt.TopDockWidgetArea: 1, Qt.RightDockWidgetArea: 3,
             Qt.BottomDockWidgetArea: 4}
CENTRAL_RANK = 2


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
    docks, the plots in the middle, the right docks, the bottom docks), and within a panel row by row,
    left to right, as it is laid out on screen."""
    central = window.centralWidget()
    middle = central.geometry() if central is not None else window.rect()
    panels: dict[int, tuple[tuple[int, int, int, int], list[QWidget]]] = {}
    for n, widget in enumerate(focusable_widgets(window)):
        dock = widget
        while dock is not None and not isinstance(dock, QDockWidget):
            dock = dock.parentWidget()
        if dock is not None and dock.parentWidget() is window:
            at = dock.mapTo(window, dock.rect().topLeft())
            key = (AREA_RANK.get(window.dockWidgetArea(dock), CENTRAL_RANK), at.y(), at.x(), n)
            owner = dock
        elif central is not None and (widget is central or central.isAncestorOf(widget)):
            key, owner = (CENTRAL_RANK, 0, 0, 0), central
        else:  # the window's own, such as the tab bar of docks stacked as tabs or a toolbar: by where it is
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
        panels.setdefault(id(owner), (key, []))[1].append(widget)
    ordered: list[QWidget] = []
    for _key, widgets in sorted(panels.values(), key=lambda p: p[0]):
        ordered += rows_left_to_right(window, widgets)
    return ordered


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


class FocusRing(QWidget):
    """A ring in the highlight colour around a view while it has keyboard focus (plots and the diagram
    draw no focus frame of their own, so a keyboard user would not see where Tab went)."""

    WIDTH = 2

    def __init__(self, view: QWidget):
        super().__init__(view)
        self.setObjectName(f"{view.objectName()}FocusRing")
        self.setAttribute(Qt.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.NoFocus)
        self.view = view
        view.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind == QEvent.FocusIn and event.reason() != Qt.MouseFocusReason:
            self.setGeometry(self.view.rect())
            self.raise_()
            self.show()
        elif kind == QEvent.FocusOut:
            self.hide()
        elif kind == QEvent.Resize and self.isVisible():
            self.setGeometry(self.view.rect())
        return False

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt API)
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.setPen(QPen(self.palette().color(QPalette.Highlight), self.WIDTH))
        half = self.WIDTH / 2
        p.drawRoundedRect(self.rect().toRectF().adjusted(half, half, -half, -half), 3, 3)


class PlotKeys(QObject):
    """A plot with keyboard focus zooms with + and − (around its middle) and follows the run again with
    Home, as the mouse wheel and the plot's "A" button do."""

    HINT = " Keys: plus and minus zoom, Home follows the run again."

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() != QEvent.KeyPress or event.modifiers() & ~(Qt.ShiftModifier | Qt.KeypadModifier):
            return False
        key = event.key()
        vb = watched.getPlotItem().getViewBox()
        if key in (Qt.Key_Plus, Qt.Key_Equal, Qt.Key_Minus):
            factor = 0.5 if key != Qt.Key_Minus else 2.0
            vb.scaleBy((factor, factor))
            vb.sigRangeChangedManually.emit([True, True])  # the plot stops following, as after a wheel turn
            return True
        if key == Qt.Key_Home:
            follow = getattr(watched, "follow_again", None)
            follow() if callable(follow) else vb.autoRange()
            return True
        return False
