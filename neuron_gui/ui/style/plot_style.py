"""The colours and sizes the plots draw with, per theme, and restyling a pyqtgraph plot to them.

pyqtgraph does not follow the application's palette: every plot is given its background, axis pens,
title, legend and text colours here, and a plot class with items of its own (curves, markers) restyles
them in its ``apply_style(style)``. Normal mode keeps 1-px cosmetic pens, which pyqtgraph draws several
times faster than wide ones; only presentation mode (for projectors) widens lines and enlarges markers.

Meaning never rests on colour alone: curves also differ by dash, examples by marker shape. The colours
are Okabe-Ito's, distinguishable with every common colour-vision deficiency, ordered per theme so the
first ones are the most legible on its background.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPen
from PySide6.QtWidgets import QApplication

from .readable import contrast as readable_contrast
from .readable import readable

# Okabe-Ito. On white the yellow is the faintest, so it comes last; on a dark background the deep blue is.
SERIES_LIGHT = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#000000", "#F0E442")
SERIES_DARK = ("#56B4E9", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#F0E442", "#FFFFFF", "#0072B2")
DASHES = (Qt.SolidLine, Qt.DashLine, Qt.DotLine, Qt.DashDotLine, Qt.DashDotDotLine)

PRESENTATION_FONT_SCALE = 1.5
PRESENTATION_LINE_WIDTH = 3.0
PRESENTATION_MARKER_SCALE = 1.5


@dataclass(frozen=True)
class PlotStyle:
    """Everything a plot needs to draw in one theme at one size."""

    dark: bool = False
    background: str = "#ffffff"
    foreground: str = "#303030"  # axes, ticks, titles, legend text
    muted: str = "#7a7a7a"  # reference curves (the sigmoid itself), guide lines
    outline: str = "#222222"  # marker edges
    legend_background: str = "#ffffffc8"
    tooltip_background: str = "#fffff0f0"
    series: tuple[str, ...] = SERIES_LIGHT
    target_low: str = "#0072B2"  # examples with target 0 (circles)
    target_high: str = "#E69F00"  # examples with target 1 (triangles)
    query: str = "#009E73"  # the query (a star)
    positive: str = "#0072B2"  # positive weights in the network diagram (solid)
    negative: str = "#D55E00"  # negative weights (dashed)
    grid_alpha: float = 0.22
    presentation: bool = False
    point_size: float = 9.0  # the application's text size in points, already scaled for presentation
    line_width: float = 1.0  # device pixels
    pixel_scale: float = 1.0  # device pixels per pixel, rounded: widths given in pixels are multiplied by it
    marker_scale: float = 1.0

    # -- derived values --------------------------------------------------------------------------
    def series_colour(self, j: int) -> str:
        return self.series[j % len(self.series)]

    def series_pen(self, j: int) -> QPen:
        """Curve ``j``: colour and dash both vary, so curves stay apart without colour vision."""
        pen = self.pen(self.series_colour(j))
        dash = DASHES[(j // len(self.series) + j) % len(DASHES)] if j else Qt.SolidLine
        if dash == Qt.DotLine:  # Qt's dots are 1 px with 2 px gaps: a faint line; these are 2 and 2
            pen.setDashPattern([2.0, 2.0])
        else:
            pen.setStyle(dash)
        return pen

    def pen(self, colour: str | QColor, width: float | None = None, style: Qt.PenStyle = Qt.SolidLine) -> QPen:
        """A cosmetic pen (its width in pixels whatever the zoom), ``line_width`` wide by default, else
        ``width`` pixels (scaled for the screen's pixel ratio)."""
        pen = pg.mkPen(colour, width=self.line_width if width is None else width * self.pixel_scale, style=style)
        pen.setCosmetic(True)
        return pen

    def marker_size(self, size: float) -> float:
        return size * self.marker_scale

    def text_size(self, factor: float = 1.0) -> str:
        """A CSS font size for pyqtgraph's labels, relative to the application's text."""
        return f"{self.point_size * factor:.1f}pt"

    def font(self, factor: float = 1.0) -> QFont:
        f = QFont(QApplication.font())
        f.setPointSizeF(self.point_size * factor)
        return f

    def brush(self, colour: str | QColor) -> QBrush:
        return pg.mkBrush(colour)


LIGHT_STYLE = PlotStyle()
DARK_STYLE = PlotStyle(
    dark=True,
    background="#191919",
    foreground="#dedede",
    muted="#a0a0a0",
    outline="#f0f0f0",
    legend_background="#262626c8",
    tooltip_background="#303030f0",
    series=SERIES_DARK,
    target_low="#56B4E9",
    target_high="#E69F00",
    query="#009E73",
    positive="#56B4E9",
    negative="#E69F00",
    grid_alpha=0.18,
)


def make_style(dark: bool, presentation: bool, point_size: float, pixel_ratio: float = 1.0) -> PlotStyle:
    """The style for a theme and size. A cosmetic pen is ``width`` device pixels wide, so on a high-DPI
    screen (``pixel_ratio`` 2) widths are doubled to look the same; fractional ratios round, keeping 1-px
    lines (pyqtgraph's fastest) at 125%."""
    base = _readable_colours(DARK_STYLE if dark else LIGHT_STYLE)
    scale = float(max(1, round(pixel_ratio)))
    if not presentation:
        return replace(base, point_size=point_size, line_width=scale, pixel_scale=scale)
    return replace(base, presentation=True, point_size=point_size, line_width=PRESENTATION_LINE_WIDTH * scale,
                   marker_scale=PRESENTATION_MARKER_SCALE, pixel_scale=scale)


def _readable_colours(style: PlotStyle) -> PlotStyle:
    """Every line colour at least 3:1 on the plot's background (Okabe-Ito's hues, lightness adjusted)."""
    fix = lambda c: readable(c, style.background).name()  # noqa: E731
    return replace(style, series=tuple(fix(c) for c in style.series), muted=fix(style.muted),
                   positive=fix(style.positive), negative=fix(style.negative))


_current = LIGHT_STYLE


def current_style() -> PlotStyle:
    """The style in force: what a plot created now, or a curve added now, should draw with."""
    return _current


def set_current_style(style: PlotStyle) -> None:
    global _current
    _current = style
    pg.setConfigOption("foreground", style.foreground)
    pg.setConfigOption("background", style.background)


# -- restyling a plot --------------------------------------------------------------------------------

_PYQTGRAPH_TEXT_DEFAULT = pg.mkColor(200, 200, 200)


def style_plot(plot: pg.PlotWidget, style: PlotStyle, previous: PlotStyle | None = None) -> None:
    """Give ``plot`` the theme's background, axes, title, legend and text, then let it restyle its own
    items (``plot.apply_style(style)``, if it has one)."""
    plot.setBackground(style.background)
    item = plot.getPlotItem()
    axis_pen = style.pen(style.foreground, width=1.5 if style.presentation else 1.0)
    for name in ("left", "bottom", "right", "top"):
        axis = item.getAxis(name)
        axis.labelStyle["font-size"] = style.text_size()
        axis.setPen(axis_pen)
        axis.setTextPen(style.foreground)
        axis.setTickFont(style.font())
        if axis.grid is not False:
            axis.setGrid(int(style.grid_alpha * 255))
    title = item.titleLabel
    if title.isVisible() and title.text:
        title.setText(title.text, color=style.foreground, size=style.text_size(1.2))
    legend = getattr(item, "legend", None)
    if legend is not None:
        style_legend(legend, style)
    old_text = pg.mkColor(previous.foreground) if previous is not None else None
    for child in item.getViewBox().addedItems:
        if isinstance(child, pg.TextItem):
            style_text_item(child, style, plot, old_text)
    apply = getattr(plot, "apply_style", None)
    if callable(apply):
        apply(style)


def let_title_shrink(plot: pg.PlotWidget) -> None:
    """A plot's title no longer sets the plot's minimum width: pyqtgraph makes the title's text width a
    minimum, so a long title in a narrow dock pushed the plot (axes, colour bar) out of sight. Now the
    title is cut at its ends instead, and the plot always fits its dock."""
    label = plot.getPlotItem().titleLabel
    if getattr(label, "_shrinks", False):
        return
    measure = label.updateMin

    def update_min() -> None:
        measure()
        label.setMinimumWidth(0)
        label._sizeHint[Qt.SizeHint.MinimumSize] = (0, label._sizeHint[Qt.SizeHint.MinimumSize][1])
        label.updateGeometry()

    label.updateMin = update_min
    label._shrinks = True
    update_min()


LEGEND_PRESENTATION_FACTOR = 0.8  # a legend is read once; in presentation mode it gives the data the room


def legend_text_size(style: PlotStyle) -> str:
    return style.text_size(LEGEND_PRESENTATION_FACTOR if style.presentation else 1.0)


def style_legend(legend: pg.LegendItem, style: PlotStyle) -> None:
    legend.setBrush(style.legend_background)
    legend.setPen(style.pen(style.muted, width=1))
    legend.setLabelTextColor(style.foreground)
    size = legend_text_size(style)
    legend.setLabelTextSize(size)
    for _sample, label in legend.items:
        label.setText(label.text, color=style.foreground, size=size)
    legend.updateSize()


def style_text_item(text: pg.TextItem, style: PlotStyle, plot: pg.PlotWidget, old: QColor | None) -> None:
    """The hover readout takes the tooltip colours; other text keeps a colour of its own, and follows
    the theme only if it was in the theme's (or pyqtgraph's default) text colour."""
    text.setFont(style.font())
    if text is getattr(plot, "hover_label", None):
        text.fill = pg.mkBrush(style.tooltip_background)
        text.border = pg.mkPen(style.muted)
        text.setColor(style.foreground)
        return
    colour = pg.mkColor(text.color)
    if (colour == _PYQTGRAPH_TEXT_DEFAULT or (old is not None and colour == old)
            or contrast(colour, pg.mkColor(style.background)) < 3.0):
        text.setColor(style.foreground)  # in the theme's text colour, or unreadable on its background


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    return readable_contrast(a, b)


# -- messages under the controls ---------------------------------------------------------------------

def message_colour(error: bool, dark: bool | None = None) -> str:
    """Readable on the theme's background (at least 4.5:1): a refusal in red, a hint in grey."""
    if dark is None:
        dark = current_style().dark
    if error:
        return "#ff8a80" if dark else "#b00020"
    return "#b4b4b4" if dark else "#595959"
