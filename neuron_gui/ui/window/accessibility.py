"""What a screen reader says about the views, and reaching them by keyboard.

The plots, the prediction and the network diagram are pictures to a screen reader; each is given an
accessible name and a description that states its current values (the weights, the error, each
example's output, the prediction), refreshed with the views: at once when idle or paused, at most
once a second while a run is moving, and only for the view with the focus (an event at 30 Hz would be
noise; the others catch up when they get the focus). The views that only show values take keyboard
focus (Tab reaches them, after the controls that change them), so a keyboard or screen-reader user can
stop on each one. The order of Tab is in ``tab_order``; what is announced, in ``run_announcements``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QPainter, QPalette, QPen, QTextDocumentFragment
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QWidget,
)

from ...core.examples import DataError, parse_query
from ...core.lesson import sigmoid, weighted_sum
from .accessible_names import set_role
from .panel_visibility import dock_of

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
    """Keeps the views' accessible names and descriptions stating what they show, at a human pace.

    Idle or paused, a description follows its view at once. While a run moves, only the view that has
    the focus is re-described, once a second; the others are brought up to date when they get the focus
    (a screen reader reads a description then) or the run stops. A view that cannot be seen (behind a
    tab, closed, the window minimised) is never re-described: no events come from it.
    """

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self._key: tuple | None = None
        self._at = 0.0
        self._stale: set[int] = set()
        w = window
        for widget, name in ((w.weights_plot, "Weights plot"), (w.error_plot, "Error plot"),
                             (w.sigmoid_plot, "Sigmoid plot"), (w.diagram, "Network diagram")):
            widget.setAccessibleName(name)
            widget.setFocusPolicy(Qt.TabFocus)  # Tab stops on it; a click does not take the keyboard
        for plot in (w.weights_plot, w.error_plot, w.sigmoid_plot, w.insight.surface.plot,
                     w.insight.contributions.plot):
            set_role(plot, "chart")
        set_role(w.diagram, "graphic")
        bars = w.insight.contributions.plot
        bars.setAccessibleName("Why this prediction: bar chart")
        prediction = w.query_panel.prediction
        prediction.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        prediction.setFocusPolicy(Qt.TabFocus)
        prediction.setProperty("ownName", True)  # named "Prediction: …" here, not by LiveLabels
        w.log_check.setAccessibleName("Error on a log scale")
        prediction.setToolTip("The neuron's output, sigmoid(x·w), for the query's inputs with the weights on display")
        w.examples_panel.table.horizontalHeader().setToolTip(
            "Inputs, then the target y (0 to 1); in grey, the neuron's output and error for each example at "
            "the iteration on display. Double-click a cell, or select it and type, to change it.")
        self.views = [w.weights_plot, w.error_plot, w.sigmoid_plot, w.diagram, prediction, bars]
        self.rings = [FocusRing(view) for view in self.views[:5]]
        for view in self.views:
            view.installEventFilter(self)
        self.plot_keys = PlotKeys(self)
        for plot in (w.weights_plot, w.error_plot, w.sigmoid_plot):
            plot.installEventFilter(self.plot_keys)
        self.labels = LiveLabels(window)
        w.views_refreshed.connect(self.refresh)
        self.refresh()

    def moving(self) -> bool:
        w = self.window
        return w.is_training and not w.controller.is_paused

    @Slot()
    def refresh(self) -> None:
        """After every redraw of the views; cheap when nothing changed."""
        w = self.window
        run = w.run
        weights = w.current_weights()
        moving = self.moving()
        self.labels.refresh(moving)
        key = (id(run), w.current_iteration(), None if weights is None else weights.tobytes(),
               w.query_panel.input.text(), w.query_panel.prediction.text(), moving)
        if key == self._key:
            return
        now = time.monotonic()
        if moving and now - self._at < LIVE_INTERVAL_S:
            return
        self._key, self._at = key, now
        focus = QApplication.focusWidget()
        self._describe(only=[v for v in self.views if v is focus] if moving else None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in (QEvent.FocusIn, QEvent.Show) and id(watched) in self._stale:
            self._describe(only=[watched])  # before a screen reader asks what it is
        return False

    def _describe(self, only: list[QWidget] | None = None) -> None:
        """Describe ``only`` those views (all when None); the others that changed are left stale."""
        texts = self._texts()
        minimised = self.window.isMinimized()
        for widget, (name, description) in texts.items():
            wanted = only is None or widget in only
            if not wanted or minimised or not widget.isVisible():
                self._stale.add(id(widget))
                continue
            self._stale.discard(id(widget))
            if name is not None and widget.accessibleName() != name:
                widget.setAccessibleName(name)
            if widget.accessibleDescription() != description:  # (each set is an event, even unchanged)
                widget.setAccessibleDescription(description)

    def _texts(self) -> dict[QWidget, tuple[str | None, str]]:
        w = self.window
        run = w.run
        weights = w.current_weights()
        qp = w.query_panel
        bars = w.insight.contributions.plot
        if run is None or weights is None:
            text = "No neuron: the examples table cannot be trained on."
            texts = {widget: (None, text) for widget in (w.weights_plot, w.error_plot, w.sigmoid_plot, w.diagram,
                                                         bars)}
            texts[qp.prediction] = ("Prediction: none", text)
            return texts
        iteration = w.current_iteration()
        query = self._query(run.examples.n_inputs)
        names = list(run.examples.names)
        hint = PlotKeys.HINT
        history = run.history
        latest = w.controller.latest if w.is_training else None
        error = latest.error if latest is not None else history.last_error()
        first = float(history.e_first[0]) if history.count else None  # the run's starting error
        return {
            w.weights_plot: (None, describe_weights(names, weights, iteration, run.target_iterations) + hint),
            w.error_plot: (None, describe_error(error, first, iteration) + hint),
            w.sigmoid_plot: (None, describe_examples(run.X, run.y, weights, query) + hint),
            w.diagram: (None, describe_network(names, weights, query)),
            qp.prediction: (f"Prediction: {qp.prediction.text()}",
                            "No valid query." if query is None else
                            f"For the query {_inputs(query)}, {qp.caption.text() or 'now'}."),
            bars: (None, describe_contributions(names, w.insight.contributions.shown)),
        }

    def _query(self, n_inputs: int) -> np.ndarray | None:
        try:
            return parse_query(self.window.query_panel.input.text(), n_inputs)
        except DataError:
            return None


def describe_contributions(names: list[str], shown) -> str:
    """The Why This Prediction bars in words: each input's term, their sum z and the prediction."""
    if shown is None:
        return "No bars: enter a valid query to see why the neuron answers it so."
    terms = "; ".join(f"{n}: {_v(t)}" for n, t in zip(names, shown.terms, strict=False))
    return (f"One bar per input's term w·x, then their sum z. Terms {terms}. Sum z {_v(shown.z)}, "
            f"prediction sigmoid(z) {float(sigmoid(shown.z)):.8f}.")


class LiveLabels:
    """Labels whose text follows a run (the status line, captions, the replay position) are named by a
    screen reader with their text; here that name is kept at a human pace. A label with a name of its
    own sends no event when its text changes, so the name is set to the text, then followed once a
    second while a run moves (those of the panel with the focus and those outside panels, such as the
    status line and the replay position) and at once otherwise; hidden labels are left alone.
    Messages (refusals) keep Qt's own behaviour: they are said by ``speech.announce_message``.
    """

    def __init__(self, window: QWidget):
        self.window = window
        self._labels: list[QLabel] = []
        self._at = 0.0

    def refresh(self, moving: bool, shown: bool = False) -> None:
        """After a redraw; ``shown``: after panels were shown, whose labels are named at once."""
        now = time.monotonic()
        if moving and not shown and now - self._at < LIVE_INTERVAL_S * 2:
            return
        self._at = now
        if shown or not moving or not self._labels:
            self._labels = [label for label in self.window.findChildren(QLabel)
                            if label.property("messageKind") is None and label.buddy() is None
                            and not label.objectName().endswith("Message")]
        minimised = self.window.isMinimized()
        focused_dock = dock_of(QApplication.focusWidget())
        for label in self._labels:
            if minimised or not label.isVisible():
                continue
            if moving and not shown and dock_of(label) not in (None, focused_dock):
                continue  # a panel's many numbers: followed while the keyboard is in it, else when it stops
            text = label.text()
            if label.textFormat() != Qt.PlainText and "<" in text:  # rich text: said as plain text
                text = QTextDocumentFragment.fromHtml(text).toPlainText()
            if label.accessibleName() != text and not label.property("ownName"):
                label.setAccessibleName(text)


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
