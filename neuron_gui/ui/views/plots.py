"""The live plots. Each creates its items once and is updated with ``setData`` from the refresh timer.

Ranges are set by hand, growing in steps, instead of pyqtgraph's autoRange (which costs 2-3x per
frame); once the user zooms or pans, the plot stops following the run until its "A" button is
pressed or the next run starts.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem

from ...core.history import Series
from ...core.kernel import forward, predict
from ...core.lesson import sigmoid
from ...core.scale import nice_ceiling as _nice_ceiling
from ..style.axes import number_axes
from ..style.legend import add_legend_row
from ..style.plot_style import DASHES, SERIES_LIGHT, PlotStyle, current_style, let_title_shrink
from .plot_hover import PlotHover, describe_iterations, describe_sigmoid

MAX_SHOWN_EXAMPLES = 2000  # a bigger table shows an evenly spread sample of this many on the sigmoid
TARGET_SHADES = 4  # targets drawn in 5 shades (0, .25, .5, .75, 1): one scatter item per shade and shape
Z_DISPLAY_LIMIT = 1e9  # the sigmoid is flat long before; beyond this, a plot's arithmetic would overflow
MARKER_SIZE, QUERY_SIZE = 11, 16
LOG_PAD = 0.04  # of a log axis's decades, beyond the outer two
X_PAD = 0.015  # of an iteration plot's width, left of its first iteration
SATURATED_SLOPE = 1e-4  # out(1 − out) below this for every example: the sigmoid is flat under all of them
WRONG_BY = 0.25  # ... while at least one output is this far from its target: learning has stalled
SATURATED_TEXT = ("Stalled: every example is on a flat end of the sigmoid (saturated), where its slope "
                  "out(1 − out) is ≈ 0, so every update is ≈ 0 and the error cannot fall. A learning rate "
                  "far too large does this: try a smaller one.")
# The light theme's colours, for code that predates themes; current_style().series_colour(j) follows the theme.
PALETTE = list(SERIES_LIGHT)
__all__ = ["DASHES", "PALETTE", "ErrorPlot", "SigmoidPlot", "WeightsPlot", "legend_brush", "weight_pen"]


def weight_pen(j: int) -> pg.QtGui.QPen:
    """Curve ``j`` in the current theme: colour and dash both vary (never colour alone)."""
    return current_style().series_pen(j)


def legend_brush() -> pg.QtGui.QBrush:
    """The plot's background, nearly opaque: a curve passing under a legend leaves it readable."""
    return pg.mkBrush(current_style().legend_background)


class _FollowingPlot(pg.PlotWidget):
    """A plot whose view follows the data in steps until the user takes over."""

    def __init__(self, name: str, parent=None):
        super().__init__(parent, axisItems=number_axes("left", "bottom"))
        self.setObjectName(name)
        self.setBackground(current_style().background)
        let_title_shrink(self)
        self.showGrid(x=True, y=True, alpha=0.2)
        self.plotItem.setMenuEnabled(True)
        self.plotItem.vb.disableAutoRange()
        for side in ("left", "bottom"):  # an axis repaints only when its range changes, not every frame
            self.plotItem.getAxis(side).setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        self.following = True
        self._x_range: tuple[float, float] | None = None
        self._y_range: tuple[float, float] | None = None
        self.plotItem.vb.sigRangeChangedManually.connect(self._user_took_over)
        self.plotItem.autoBtn.clicked.disconnect()
        self.plotItem.autoBtn.clicked.connect(self.follow_again)
        self.hover_label = pg.TextItem(anchor=(0, 1), color=current_style().foreground)
        self.hover_label.setZValue(50)
        self.addItem(self.hover_label, ignoreBounds=True)
        self.hover_label.hide()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        legend = getattr(self.plotItem, "legend", None)
        if legend is not None and hasattr(legend, "reflow"):
            legend.reflow()

    def _user_took_over(self, *_):
        self.following = False
        self.plotItem.autoBtn.show()

    def follow_again(self) -> None:
        self.following = True
        self._x_range = self._y_range = None
        self.plotItem.autoBtn.hide()
        self.refit()

    def refit(self) -> None:
        """Re-apply the followed ranges (subclasses compute them)."""

    def _set_ranges(self, x: tuple[float, float], y: tuple[float, float]) -> None:
        if not self.following:
            return
        if x != self._x_range or y != self._y_range:
            self._x_range, self._y_range = x, y
            self.plotItem.vb.setRange(xRange=x, yRange=y, padding=0)


class _IterationPlot(_FollowingPlot):
    """Curves against iteration, from a :class:`Series`; hovering reads the values at an iteration."""

    y_floor: float | None = None
    value_format = ".8g"

    def __init__(self, name: str, y_label: str, parent=None):
        super().__init__(name, parent)
        self.setLabel("bottom", "iteration")
        self.setLabel("left", y_label)
        self.legend = add_legend_row(self, current_style().text_size())
        self.curves: list[pg.PlotDataItem] = []
        self.target = 1
        self._data: Series | None = None
        self._dots = False
        self._names: list[str] = []
        self.hover = PlotHover(self, self._describe)

    def set_target(self, iterations: int) -> None:
        self.target = max(1, iterations)

    def _ensure_curves(self, names: list[str]) -> None:
        if len(self.curves) == len(names):
            return
        for c in self.curves:
            self.removeItem(c)
            self.legend.removeItem(c)
        self.curves = []
        for j, n in enumerate(names):
            c = self.plot([], [], pen=weight_pen(j), name=n)
            c.setClipToView(True)
            self.curves.append(c)

    def apply_style(self, style: PlotStyle) -> None:
        """Curves in the theme's colours, as wide as its lines (1 px outside presentation mode)."""
        dots = self._data is not None and len(self._data.x) == 1
        for j, c in enumerate(self.curves):
            c.setPen(style.series_pen(j))
            if dots:
                c.setSymbolPen(self._dot_options(j)["symbolPen"])
                c.setSymbolBrush(self._dot_options(j)["symbolBrush"])

    def set_series(self, series: Series, names: list[str]) -> None:
        self._ensure_curves(names)
        self._data = series
        self._names = list(names)
        y = series.y
        if self.y_floor is not None:
            y = np.maximum(y, self.y_floor)
        # a run not yet trained has one point per curve, which a line cannot show: a dot in its pen
        dots = len(series.x) == 1
        for j, c in enumerate(self.curves):
            c.setData(series.x, y[:, j], **self._dot_options(j) if dots else {"symbol": None})
        if dots != self._dots:  # the legend's samples show a dot only while the curves are dots
            self._dots = dots
            for sample, _label in self.legend.items:
                sample.update()
        self.refit()
        self.hover.refresh()

    def _dot_options(self, j: int) -> dict:
        colour = current_style().series_colour(j)
        return {"symbol": "o", "symbolSize": current_style().marker_size(7), "symbolPen": pg.mkPen(colour),
                "symbolBrush": pg.mkBrush(colour)}

    def _describe(self, x: float, _y: float):
        s = self._data
        return None if s is None else describe_iterations(s.x, s.y, self._names, x, self.value_format)

    def refit(self) -> None:
        s = self._data
        if s is None or not len(s.x):
            return
        last = float(s.x[-1])
        # grow in 1-2-5 steps towards the target, so slow motion's first iterations are not a sliver
        x_end = max(last, min(float(self.target), max(10.0, _nice_ceiling(last * 1.1))))
        x0 = float(s.x[0])
        x_end = max(x_end, x0 + 1)
        pad = X_PAD * (x_end - x0)  # the first iteration's values are not drawn on the plot's edge
        self._set_ranges((x0 - pad, x_end), self._y_limits(s.y))

    def _y_limits(self, y: np.ndarray) -> tuple[float, float]:
        lo, hi = float(np.min(y)), float(np.max(y))
        span = _nice_ceiling(max(abs(lo), abs(hi)) * 1.05)
        return (-span if lo < 0 else 0.0, span if hi > 0 else 0.0)


class WeightsPlot(_IterationPlot):
    def __init__(self, parent=None):
        super().__init__("weightsPlot", "weight", parent)
        self.setTitle("Weights")


class ErrorPlot(_IterationPlot):
    y_floor = 1e-300  # an error of exactly 0 would be -inf on a log axis
    value_format = ".6g"

    def __init__(self, parent=None):
        super().__init__("errorPlot", "mean squared error", parent)
        self.setTitle("Error")
        self.log_scale = False

    def set_log_scale(self, on: bool) -> None:
        self.log_scale = on
        self.setLogMode(y=on)
        self._y_range = None
        self.refit()

    def _y_limits(self, y: np.ndarray) -> tuple[float, float]:
        if not self.log_scale:
            return (0.0, _nice_ceiling(float(np.max(y)) * 1.05))
        lo = math.floor(math.log10(max(float(np.min(y)), 1e-300)))
        hi = float(max(math.ceil(math.log10(max(float(np.max(y)), 1e-300))), lo + 1))
        pad = LOG_PAD * (hi - lo)  # a decade's label on the very edge would not be drawn
        return (lo - pad, hi + pad)


class SigmoidPlot(_FollowingPlot):
    """The sigmoid, and each example at its weighted sum ``z = x.w`` and output ``sigmoid(z)``.

    A thin line joins each example's output to its target: the error the rule is reducing. Examples are
    drawn by one scatter item per target shade and shape (pyqtgraph draws a per-point style one point
    at a time: 7 s a frame at 100,000 rows), and a big table shows a fixed, evenly spread sample.
    """

    TITLE = "Sigmoid: each example at z = x·w"

    def __init__(self, parent=None):
        super().__init__("sigmoidPlot", parent)
        self.setTitle(self.TITLE)
        self.setLabel("bottom", "z = x·w (weighted sum)")
        self.setLabel("left", "output = sigmoid(z)")
        style = current_style()
        self.legend = add_legend_row(self, style.text_size(), side="right")  # a wide, short plot
        self.z_span = 6.0
        self.curve = self.plot([], [], name="sigmoid(z)")
        self.misses = pg.PlotDataItem([], [], connect="pairs")
        self.addItem(self.misses)
        self.groups: dict[tuple[float, bool], pg.ScatterPlotItem] = {}  # (target shade, high) -> item
        self.samples = [pg.ScatterPlotItem(symbol=symbol) for symbol in ("o", "t1")]
        for sample, label in zip(self.samples, ("example, target 0", "example, target 1"), strict=True):
            self.legend.addItem(sample, label)
        self.legend.addItem(self.misses, "distance to target")
        self.query = pg.ScatterPlotItem(symbol="star")
        self.addItem(self.query)
        self.legend.addItem(self.query, "query")
        self._state: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._query_shown: np.ndarray | None = None
        # said over the plot when every example sits on a flat end of the sigmoid while some are wrong
        self.saturation_note = pg.TextItem(SATURATED_TEXT, anchor=(0.5, 0.5))
        self.saturation_note.setZValue(40)
        self.addItem(self.saturation_note, ignoreBounds=True)
        self.saturation_note.hide()
        self._layout_key: tuple | None = None  # what the shown sample and groups were made for
        self._shown = np.zeros(0, dtype=np.intp)  # indices of the examples drawn
        self._shown_X = np.zeros((0, 1))
        self._shown_y = np.zeros(0)
        self._members: dict[tuple[float, bool], np.ndarray] = {}
        self._points = (np.zeros(0), np.zeros(0))
        self.hover = PlotHover(self, self._describe, vertical_line=False)
        self.apply_style(style)
        self._draw_curve()

    def apply_style(self, style: PlotStyle) -> None:
        """The curve, the distances, the markers and the legend's samples in the theme's colours and
        sizes; the examples are redrawn with them."""
        self._style = style
        self.curve.setPen(style.pen(style.muted))
        self.misses.setPen(style.pen(style.muted, style=Qt.DotLine))
        outline = style.pen(style.outline, width=1.5 if style.presentation else 1)
        for key, item in self.groups.items():
            self._style_group(item, key)
        for sample, colour in zip(self.samples, (style.target_low, style.target_high), strict=True):
            sample.setSize(style.marker_size(MARKER_SIZE))
            sample.setBrush(pg.mkBrush(colour))
            sample.setPen(outline)
        self.query.setPen(outline)
        self.query.setBrush(pg.mkBrush(style.query))
        self.query.setSize(style.marker_size(QUERY_SIZE))
        self.saturation_note.fill = pg.mkBrush(style.tooltip_background)
        self.saturation_note.border = style.pen(style.muted, width=1)
        self.saturation_note.setColor(style.foreground)
        self.saturation_note.setFont(style.font())
        if self._state is not None:
            self.set_state(*self._state, self._query_shown)

    def _style_group(self, item: pg.ScatterPlotItem, key: tuple[float, bool]) -> None:
        style = self._style
        shade, high = key
        item.setPen(style.pen(style.outline, width=1.5 if style.presentation else 1))
        item.setBrush(pg.mkBrush(_blend(style.target_low, style.target_high, shade)))
        item.setSymbol("t1" if high else "o")
        item.setSize(style.marker_size(MARKER_SIZE))

    def marker_size(self) -> float:
        return self._style.marker_size(MARKER_SIZE)

    def shown_points(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(example indices, z, sigmoid(z)) of the examples drawn, in table order."""
        return self._shown, *self._points

    def _describe(self, z: float, _y: float):
        (x0, x1), _ = self.plotItem.vb.viewRange()
        X, y, w = self._state if self._state is not None else (None, None, None)
        return describe_sigmoid(X, y, w, z, near=0.02 * (x1 - x0))

    def _draw_curve(self) -> None:
        z = np.linspace(-self.z_span, self.z_span, 400)
        self.curve.setData(z, sigmoid(z))
        self._set_ranges((-self.z_span, self.z_span), (-0.05, 1.05))

    def refit(self) -> None:
        self._set_ranges((-self.z_span, self.z_span), (-0.05, 1.05))

    def _prepare(self, X: np.ndarray, y: np.ndarray) -> None:
        """Choose the examples to draw and group them by shade and shape, once per table."""
        key = (id(X), id(y), X.shape, len(y))
        if key == self._layout_key:
            return
        self._layout_key = key
        self._layout_arrays = (X, y)  # held, so their ids cannot be reused by other arrays
        n = len(y)
        shown = np.arange(n) if n <= MAX_SHOWN_EXAMPLES else np.unique(
            np.linspace(0, n - 1, MAX_SHOWN_EXAMPLES).round().astype(np.intp))
        self._shown, self._shown_X, self._shown_y = shown, np.ascontiguousarray(X[shown]), y[shown]
        shades = np.round(np.clip(self._shown_y, 0, 1) * TARGET_SHADES) / TARGET_SHADES
        high = self._shown_y >= 0.5
        self._members = {}
        for shade in np.unique(shades):
            for h in (False, True):
                members = np.flatnonzero((shades == shade) & (high == h))
                if len(members):
                    self._members[(float(shade), h)] = members
        for k in self._members:
            if k not in self.groups:
                self.groups[k] = item = pg.ScatterPlotItem()
                self._style_group(item, k)
                self.addItem(item)
        for k, item in self.groups.items():
            if k not in self._members:
                item.setData([], [])
        self.setTitle(self.TITLE if len(shown) == n else f"{self.TITLE} ({len(shown):,} of {n:,} examples shown)")

    def set_state(self, X: np.ndarray, y: np.ndarray, weights: np.ndarray, query: np.ndarray | None) -> None:
        self._state = (X, y, weights)
        self._query_shown = query
        self._prepare(X, y)
        z, out = forward(self._shown_X, weights)  # the app's one arithmetic (compiled, fast)
        z = np.clip(z, -Z_DISPLAY_LIMIT, Z_DISPLAY_LIMIT)
        self._points = (z, out)
        zq, out_q = (None, None) if query is None else predict(query, weights)
        zq = None if zq is None else float(np.clip(zq, -Z_DISPLAY_LIMIT, Z_DISPLAY_LIMIT))
        reach = float(np.max(np.abs(z))) if len(z) else 0.0
        if zq is not None:
            reach = max(reach, abs(zq))
        span = max(6.0, _nice_ceiling(reach * 1.1))
        if span != self.z_span:
            self.z_span = span
            self._draw_curve()
        for k, members in self._members.items():
            self.groups[k].setData(x=z[members], y=out[members], data=self._shown[members])
        pairs_x = np.repeat(z, 2)
        pairs_y = np.empty(2 * len(z))
        pairs_y[0::2] = out
        pairs_y[1::2] = self._shown_y
        self.misses.setData(pairs_x, pairs_y)
        if zq is None:
            self.query.setData([], [])
        else:
            self.query.setData([zq], [out_q])
        self._show_saturation(out)
        self.hover.refresh()

    @property
    def saturated(self) -> bool:
        """Whether the note is up: every example on a flat end of the sigmoid, some of them wrong."""
        return self.saturation_note.isVisible()

    def _show_saturation(self, out: np.ndarray) -> None:
        """A learning rate of 10⁶ throws every example to z of ±thousands, where the sigmoid's slope
        out(1 − out) is 0 to the last digit: every update is 0, the error stays at 0.5 and every output
        reads 1.0000, with nothing to say why. Then the plot says why."""
        if not len(out):
            self.saturation_note.hide()
            return
        with np.errstate(over="ignore", invalid="ignore"):
            slope = out * (1 - out)
            wrong = np.abs(self._shown_y - out) > WRONG_BY
        if float(np.max(slope)) < SATURATED_SLOPE and bool(np.any(wrong)):
            self.saturation_note.setTextWidth(max(160.0, 0.8 * self.plotItem.vb.width()))  # wrapped inside
            self.saturation_note.setPos(0.0, 0.5)
            self.saturation_note.show()
        else:
            self.saturation_note.hide()


def _blend(a: str, b: str, t: float) -> pg.QtGui.QColor:
    ca, cb = pg.mkColor(a), pg.mkColor(b)
    t = min(1.0, max(0.0, t))
    return pg.QtGui.QColor(
        round(ca.red() + (cb.red() - ca.red()) * t),
        round(ca.green() + (cb.green() - ca.green()) * t),
        round(ca.blue() + (cb.blue() - ca.blue()) * t),
    )
