"""The error surface: the mean squared error over two chosen weights, the others held at their values at
the iteration on display, with the path training took drawn on top and the weights on display marked.

The grid is computed off the GUI thread (:mod:`.surface_worker`), at most a few times a second, so the
window stays fluid while the run moves. The weights on display are always a node of the grid, and the
surface is computed exactly as the run records its error, so the value under the marker is the error
recorded at that iteration. Colour is log(error) on the colour-blind-safe 'cividis' map, with contour
lines at 1 and 3 of each decade.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer, Slot
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ...core.history import Records
from ...core.insight import trajectory
from ...core.training import Run
from ...session.surface_worker import SurfaceComputer, SurfaceRequest, SurfaceResult, axis_bounds, axis_nodes
from ..style.adaptive import SideBySide
from ..style.axes import number_axes, tick_text
from ..style.math_text import number, sub
from ..style.plot_style import PlotStyle, let_title_shrink
from .plot_hover import PlotHover
from .replay import DisplayState

MIN_INTERVAL_S = 0.25  # at most 4 surfaces a second
GRID_WORK = 30_000_000  # grid points x examples x inputs a surface may cost
MAX_NODES, MIN_NODES = 121, 41
TRAJECTORY_POINTS = 2000
LOG_FLOOR = 1e-12  # colour range: errors below this are all the darkest colour
PATH, HALO = "#000000", "#ffffff"
TITLE = "Error over two weights"
PLOT_MIN_LINES = 9  # the surface is at least this many lines of text tall: never a strip


class ErrorSurfaceView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("errorSurfaceView")
        self.result: SurfaceResult | None = None
        self._state: DisplayState | None = None
        self._path: Records | None = None
        self._path_key: tuple | None = None
        self._path_run: Run | None = None  # the run the path belongs to
        self._names: list[str] = []
        self._bounds: dict[int, tuple[float, float]] = {}
        self._last_pair = (0, 0)
        self._range_key: tuple | None = None
        self._axis_labels: tuple[str, str] | None = None
        self.on_screen = False  # see set_on_screen
        self._serial = 0
        self._dirty = False
        self._last_sent = -math.inf
        self.computer = SurfaceComputer(self)
        self.computer.computed.connect(self._on_computed)
        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.timeout.connect(self._send_if_dirty)

        self.weight_a = self._combo("surfaceWeightA", "The weight across: along the horizontal axis",
                                    "Surface weight across")
        self.weight_b = self._combo("surfaceWeightB", "The weight up: along the vertical axis", "Surface weight up")
        self.picker = QWidget()
        pick = QHBoxLayout(self.picker)
        pick.setContentsMargins(0, 0, 0, 0)
        for arrow, combo in (("↔", self.weight_a), ("↕", self.weight_b)):
            label = QLabel(arrow)
            label.setToolTip(combo.toolTip())
            label.setBuddy(combo)
            pick.addWidget(label)
            pick.addWidget(combo, 1)

        self.plot = pg.PlotWidget(axisItems=number_axes("left", "bottom"))  # "−0.4", never "−400 (x0.001)"
        self.plot.setObjectName("errorSurfacePlot")
        self.plot.setAccessibleName("Error surface")
        self.plot.setAccessibleDescription("The mean squared error over two chosen weights, with the path "
                                           "training took; the caption below says what is shown")
        self.plot.setBackground(None)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setTitle(TITLE, size="10pt")
        let_title_shrink(self.plot)
        self.image = pg.ImageItem(axisOrder="col-major")
        self.plot.addItem(self.image)
        self.colours = pg.colormap.get("cividis")
        self.colour_bar = pg.ColorBarItem(values=(-4, 0), colorMap=self.colours, interactive=False, width=14)
        self.colour_bar.setImageItem(self.image, insert_in=self.plot.plotItem)
        self.colour_bar.axis.enableAutoSIPrefix(False)
        self.contours = pg.PlotDataItem([], [], connect="pairs", pen=pg.mkPen(255, 255, 255, 110, width=1))
        self.plot.addItem(self.contours)
        # the path: black on a white halo, readable over the darkest and the brightest colours
        self.path_shadow = pg.PlotDataItem([], [], pen=pg.mkPen(255, 255, 255, 190, width=5))
        self.path_past = pg.PlotDataItem([], [], pen=pg.mkPen(PATH, width=2))
        self.path_future = pg.PlotDataItem([], [], pen=pg.mkPen(PATH, width=1.5, style=Qt.DotLine))
        self.start = pg.ScatterPlotItem(size=10, symbol="s", brush=pg.mkBrush(HALO), pen=pg.mkPen(PATH, width=1.5))
        self.current = pg.ScatterPlotItem(size=15, symbol="o", brush=pg.mkBrush(HALO), pen=pg.mkPen(PATH, width=3))
        for item in (self.path_shadow, self.path_past, self.path_future, self.start, self.current):
            self.plot.addItem(item)
        self.plot.hover_label = pg.TextItem(anchor=(0, 1), color="#222")
        self.plot.hover_label.setZValue(50)
        self.plot.addItem(self.plot.hover_label, ignoreBounds=True)
        self.plot.hover_label.hide()
        self.hover = PlotHover(self.plot, self._describe, vertical_line=False)

        self.caption = QLabel()
        self.caption.setObjectName("errorSurfaceCaption")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.RichText)
        # a long caption scrolls rather than squeezing the surface into a strip (in a tall, narrow dock)
        self.caption_scroll = QScrollArea()
        self.caption_scroll.setObjectName("errorSurfaceCaptionScroll")
        self.caption_scroll.setWidget(self.caption)
        self.caption_scroll.setWidgetResizable(True)
        self.caption_scroll.setFrameShape(QFrame.NoFrame)
        self.caption_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        chart = QWidget()
        self.chart_column = QVBoxLayout(chart)
        self.chart_column.setContentsMargins(0, 0, 0, 0)
        self.chart_column.addWidget(self.picker)
        self.chart_column.addWidget(self.plot, 1)
        side = QWidget()
        self.side_column = QVBoxLayout(side)
        self.side_column.setContentsMargins(0, 0, 0, 0)
        self.side_column.addWidget(self.caption_scroll, 1)
        self.body = SideBySide(chart, side, tall=(3, 1), wide=(3, 2), changed=self._arranged)
        self.body.box.setSpacing(8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.body)
        self.weight_a.currentIndexChanged.connect(self._pair_changed)
        self.weight_b.currentIndexChanged.connect(self._pair_changed)

    def apply_style(self, style: PlotStyle) -> None:
        """The colour bar's scale in the theme's text colour (the plot itself is restyled with every plot)."""
        self.colour_bar.axis.setPen(style.pen(style.foreground, width=1))
        self.colour_bar.axis.setTextPen(style.foreground)
        self.colour_bar.axis.setTickFont(style.font())
        self.colour_bar.axis.setLabel("mean squared error", color=style.foreground)

    def _arranged(self, side_by_side: bool) -> None:
        """In a wide, short dock the plot takes the whole height: the pickers go beside it, and the
        caption (which starts with the same words) stands for the title."""
        (self.side_column if side_by_side else self.chart_column).insertWidget(0, self.picker)
        self._keep_plot_tall()
        self.plot.setTitle(None if side_by_side else TITLE, size="10pt")

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._keep_plot_tall()

    def _keep_plot_tall(self) -> None:
        """Stacked (a tall, narrow dock), the caption gives way to the surface, which keeps some lines of
        height; side by side the surface has the dock's whole height (and asks for none: a short dock
        along the bottom must not grow)."""
        stacked = self.isVisible() and not self.body.side_by_side
        self.plot.setMinimumHeight(PLOT_MIN_LINES * self.fontMetrics().height() if stacked else 0)

    def _combo(self, name: str, tip: str, spoken: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setToolTip(tip)
        combo.setAccessibleName(spoken)  # what it chooses (its current item is its value)
        combo.setFocusPolicy(Qt.TabFocus)  # after a pick, Space and Right still pause and step
        combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(2)  # a narrow dock elides "w₁ (x1)" rather than refusing to shrink
        return combo

    # -- the pair of weights ------------------------------------------------------------------------------
    @property
    def pair(self) -> tuple[int, int]:
        return self.weight_a.currentIndex(), self.weight_b.currentIndex()

    def _set_names(self, names: list[str]) -> None:
        if names == self._names:
            return
        keep = len(names) == len(self._names)
        a, b = self.pair
        self._names = list(names)
        for combo in (self.weight_a, self.weight_b):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([f"w{sub(j + 1)} ({n})" for j, n in enumerate(names)])
        if not keep or a < 0 or b < 0:
            a, b = 0, max(0, len(names) - 1)  # the first and last: the lesson's two weights that move most
        self.weight_a.setCurrentIndex(a)
        self.weight_b.setCurrentIndex(b)
        for combo in (self.weight_a, self.weight_b):
            combo.blockSignals(False)
        self._bounds.clear()
        self._last_pair = self.pair
        drawable = len(names) >= 2
        self.picker.setEnabled(drawable)
        self.plot.setVisible(drawable)  # one input: only the caption, saying why

    @Slot(int)
    def _pair_changed(self, _index: int) -> None:
        a, b = self.pair
        if a == b and len(self._names) > 1:  # the same weight twice: the two swap places instead
            old_a, old_b = self._last_pair
            other, value = (self.weight_b, old_a) if self.sender() is self.weight_a else (self.weight_a, old_b)
            other.blockSignals(True)
            other.setCurrentIndex(value if value != a else (a + 1) % len(self._names))
            other.blockSignals(False)
        self._last_pair = self.pair
        self._bounds.clear()
        self.result = None
        self.image.clear()
        self.contours.setData([], [])
        self._draw_overlay()
        self._request(now=True)

    # -- what is shown ---------------------------------------------------------------------------------------
    def set_state(self, state: DisplayState | None) -> None:
        self._state = state
        if state is None:
            self._set_names([])
            self._path, self._path_key, self._path_run = None, None, None
        else:
            self._set_names(state.run.examples.names)
            if state.run is not self._path_run:
                self.history_changed(state.run)
        if self.on_screen:
            self._draw_overlay()
        self._request()

    def history_changed(self, run: Run | None) -> None:
        """The run recorded more (or is another run): re-read the path, if it is being shown."""
        if run is None or not self.on_screen:
            self._path, self._path_key, self._path_run = None, None, None
            return
        h = run.history
        key = (id(run), h.epoch, h.count, h.generation)
        if key != self._path_key:
            self._path_key, self._path_run = key, run
            self._path = trajectory(h, TRAJECTORY_POINTS)
            if self._state is not None and self._state.run is run:
                self._draw_overlay()

    def set_on_screen(self, on: bool) -> None:
        """Whether the view can be seen (its dock shown and its tab the current one). Off screen nothing is
        computed or drawn; coming back, it is brought up to date at once."""
        self.on_screen = on
        if on:
            if self._state is not None:
                self.history_changed(self._state.run)
            self._draw_overlay()
            self._request(now=True)

    def shutdown(self) -> None:
        self._throttle.stop()
        self.computer.shutdown()

    # -- requests ---------------------------------------------------------------------------------------------
    def _request(self, now: bool = False) -> None:
        self._dirty = True
        if not self.on_screen:
            return  # nothing written while hidden (a screen reader would hear every change): see set_on_screen
        if self._state is None or len(self._names) < 2:
            self._write_caption()
            return
        wait = MIN_INTERVAL_S - (time.perf_counter() - self._last_sent)
        if now or wait <= 0:
            self._throttle.stop()
            self._send_if_dirty()
        elif not self._throttle.isActive():
            self._throttle.start(int(wait * 1000) + 1)
        self._write_caption()

    @Slot()
    def _send_if_dirty(self) -> None:
        state = self._state
        if not self._dirty or state is None or not self.on_screen:
            return
        self._dirty = False
        request = self._make_request(state)
        if request is None:
            self._write_caption("The weights are too large to draw a surface around them.")
            return
        self._last_sent = time.perf_counter()
        self.computer.submit(request)
        self._throttle.start(int(MIN_INTERVAL_S * 1000))  # the next one waits its turn

    def _make_request(self, state: DisplayState) -> SurfaceRequest | None:
        i, j = self.pair
        if i < 0 or j < 0 or i == j:
            return None
        run = state.run
        n, m = run.X.shape
        nodes = int(min(MAX_NODES, max(MIN_NODES, math.sqrt(GRID_WORK / max(1, n * m)))))
        own = self._path is not None and state.run is self._path_run
        axes = []
        for w in (i, j):
            current = float(state.weights[w])
            path = np.append(self._path.weights[:, w], current) if own else np.array([current])
            self._bounds[w] = bounds = axis_bounds(path, self._bounds.get(w))
            axis = axis_nodes(bounds, current, nodes)
            if axis is None:
                return None
            axes.append(axis)
        (a_values, a_at), (b_values, b_at) = axes
        self._serial += 1
        return SurfaceRequest(self._serial, state.iteration, run.X, run.y, state.weights.copy(), i, j,
                              a_values, b_values, a_at, b_at)

    @Slot(object)
    def _on_computed(self, result: SurfaceResult) -> None:
        if result.request.serial < (self.result.request.serial if self.result else 0):
            return
        if (result.request.i, result.request.j) != self.pair:
            return
        self.result = result
        r = result.request
        da = r.a_values[1] - r.a_values[0] if len(r.a_values) > 1 else 1.0
        db = r.b_values[1] - r.b_values[0] if len(r.b_values) > 1 else 1.0
        logs = np.log10(np.maximum(result.grid, LOG_FLOOR))
        top = float(logs.max())
        bottom = float(max(logs.min(), top - 12))
        self.image.setImage(logs, autoLevels=False)
        self.image.setRect(QRectF(r.a_values[0] - da / 2, r.b_values[0] - db / 2, da * len(r.a_values),
                                  db * len(r.b_values)))
        self.colour_bar.setLevels((bottom, max(top, bottom + 1e-9)))
        room = int(self.colour_bar.axis.height() // (1.6 * self.fontMetrics().height())) or 2
        self.colour_bar.axis.setTicks([colour_bar_ticks(bottom, max(top, bottom + 1e-9), max(2, room))])
        segments = result.contours
        if len(segments):
            xs = r.a_values[0] + segments[..., 0].ravel() * da
            ys = r.b_values[0] + segments[..., 1].ravel() * db
            self.contours.setData(xs, ys)
        else:
            self.contours.setData([], [])
        range_key = (r.i, r.j, self._bounds.get(r.i), self._bounds.get(r.j))
        if range_key != self._range_key:  # only when the bounds move: a zoom of the user's stays
            self._range_key = range_key
            self.plot.setRange(xRange=self._bounds.get(r.i, (r.a_values[0], r.a_values[-1])),
                               yRange=self._bounds.get(r.j, (r.b_values[0], r.b_values[-1])), padding=0.02)
        self._write_caption()
        self.hover.refresh()

    # -- drawing -----------------------------------------------------------------------------------------------
    def _draw_overlay(self) -> None:
        state, path = self._state, self._path
        if state is not None and state.run is not self._path_run:
            path = None
        i, j = self.pair
        if state is None or len(self._names) < 2 or i < 0 or j < 0:
            for item in (self.path_shadow, self.path_past, self.path_future):
                item.setData([], [])
            self.start.setData([], [])
            self.current.setData([], [])
            self._write_caption()
            return
        here = (float(state.weights[i]), float(state.weights[j]))
        if path is not None and len(path):
            before = path.iterations < state.iteration
            past = np.vstack([path.weights[before][:, [i, j]], [here]])
            future = np.vstack([[here], path.weights[~before & (path.iterations > state.iteration)][:, [i, j]]])
            self.path_shadow.setData(path.weights[:, i], path.weights[:, j])
            self.path_past.setData(past[:, 0], past[:, 1])
            if len(future) > 1:
                self.path_future.setData(future[:, 0], future[:, 1])
            else:
                self.path_future.setData([], [])
            self.start.setData([path.weights[0, i]], [path.weights[0, j]])
        self.current.setData([here[0]], [here[1]])
        labels = (f"w{sub(i + 1)} ({self._names[i]})", f"w{sub(j + 1)} ({self._names[j]})")
        if labels != self._axis_labels:  # (setting an axis label costs a relayout: only when it changes)
            self._axis_labels = labels
            self.plot.setLabel("bottom", labels[0])
            self.plot.setLabel("left", labels[1])
        self._write_caption()

    def _write_caption(self, problem: str = "") -> None:
        state = self._state
        if state is None:
            self.caption.setText("No run to show.")
            return
        if len(self._names) < 2:
            self.caption.setText("The error surface needs at least two inputs (two weights to vary).")
            return
        i, j = self.pair
        held = [f"w{sub(k + 1)} = {number(state.weights[k], 4)}" for k in range(len(self._names)) if k not in (i, j)]
        end = ", …" if len(held) > 6 else "."
        held_text = (f" The other weights are held at iteration {state.iteration:,}: {', '.join(held[:6])}{end}"
                     if held else "")
        r = self.result.request if self.result is not None else None
        if r is None or (r.i, r.j) != (i, j):
            pending = True
        else:  # following a live run the colours lag a frame or two behind: no need to say so
            pending = not state.live and (r.iteration != state.iteration or self._dirty)
        status = " <i>(computing…)</i>" if pending and not problem else ""
        a, b = f"w{sub(i + 1)}", f"w{sub(j + 1)}"
        after = "" if state.is_last else f", dotted after iteration {state.iteration:,}"
        self.caption.setText(
            f"<b>The mean squared error</b> for every ({a}, {b}), darker is lower; thin lines join equal "
            f"errors.{held_text} "
            f"Black line: the path training took in ({a}, {b}){after}; "
            f"□ the initial weights, ○ the weights at iteration {state.iteration:,} "
            f"(error {number(state.error, 4)}).{status}" + (f"<br><b>{problem}</b>" if problem else "")
        )

    def _describe(self, x: float, y: float):
        result = self.result
        if result is None:
            return None
        r = result.request
        ia = int(np.clip(np.searchsorted(r.a_values, x), 1, len(r.a_values) - 1))
        ia = ia - 1 if abs(r.a_values[ia - 1] - x) <= abs(r.a_values[ia] - x) else ia
        ib = int(np.clip(np.searchsorted(r.b_values, y), 1, len(r.b_values) - 1))
        ib = ib - 1 if abs(r.b_values[ib - 1] - y) <= abs(r.b_values[ib] - y) else ib
        return None, (f"w{sub(r.i + 1)} = {r.a_values[ia]:.4g}\nw{sub(r.j + 1)} = {r.b_values[ib]:.4g}\n"
                      f"error = {result.grid[ia, ib]:.4g}")


def colour_bar_ticks(bottom: float, top: float, room: int = 12) -> list[tuple[float, str]]:
    """Labels for a colour bar of log10(error) from ``bottom`` to ``top``: its decades (10⁻³), every
    second or third when more than ``room`` would crowd it; when fewer than two fall inside, also 2 and 5
    times them; when still fewer, its two ends, so that it always says which error each colour is."""
    decades = [(float(k), tick_text(10.0 ** k)) for k in range(math.ceil(bottom), math.floor(top) + 1)]
    if len(decades) >= 2:
        step = math.ceil(len(decades) / max(2, room))
        return decades[::-1][::step][::-1]  # the highest decade always, then every step-th below it
    finer = [(k + math.log10(f), tick_text(f * 10.0 ** k)) for k in range(math.floor(bottom), math.ceil(top) + 1)
             for f in (1, 2, 5) if bottom <= k + math.log10(f) <= top]
    if len(finer) >= 2:
        return finer
    return [(bottom, tick_text(float(f"{10.0 ** bottom:.2g}"))), (top, tick_text(float(f"{10.0 ** top:.2g}")))]
