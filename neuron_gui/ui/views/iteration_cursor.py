"""The iteration on display, marked on the weights and error plots: a vertical line at ``k`` with a dot
on each curve at its exact value there. Dragging the line, or clicking the plot, shows another iteration.

Shown only while the user looks back at an earlier iteration; following the run live, the curves'
right ends are the state on display. The dots are exact values (the curves may be thinned min/max
strokes), added to the view box directly so that they are not counted as the plot's data curves.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal

from ..style.plot_style import PlotStyle, current_style
from .plots import _IterationPlot


class IterationCursor(QObject):
    moved = Signal(int)  # the user dragged the line or clicked the plot at this iteration

    def __init__(self, plot: _IterationPlot, log_y=lambda: False):
        super().__init__(plot)
        self.plot = plot
        self.log_y = log_y
        self.line = pg.InfiniteLine(
            angle=90, movable=True, label="{value:,.0f}",
            labelOpts={"position": 0.97, "anchors": [(0, 0), (0, 0)]},  # right of the line: never clipped at 0
        )
        self.line.setZValue(45)
        self.line.setToolTip("The iteration on display: drag it, or click the plot, to show another")
        self.line.hide()
        plot.addItem(self.line, ignoreBounds=True)
        self.dots = pg.ScatterPlotItem(size=9)
        self.dots.setZValue(46)
        self.dots.hide()
        plot.plotItem.vb.addItem(self.dots, ignoreBounds=True)
        self._values: np.ndarray | None = None
        self._iteration: int | None = None
        self._setting = False
        self.style = current_style()
        self.apply_style(self.style)
        self.line.sigPositionChanged.connect(self._dragged)
        plot.scene().sigMouseClicked.connect(self._clicked)

    def apply_style(self, style: PlotStyle) -> None:
        """The theme's text colour for the line and its label, the plot's own curve colours for the dots."""
        self.style = style
        self.line.setPen(style.pen(style.foreground, width=1.5, style=Qt.DashLine))
        self.line.setHoverPen(style.pen(style.foreground, width=3))
        label = self.line.label
        label.setColor(style.foreground)
        label.fill = pg.mkBrush(style.legend_background)
        label.setFont(style.font())
        label.update()
        self.dots.setSize(style.marker_size(9))
        self.redraw()

    @property
    def iteration(self) -> int | None:
        """The iteration the line marks, or None while hidden (live)."""
        return self._iteration if self.line.isVisible() else None

    def dot_values(self) -> np.ndarray:
        """The exact values the dots mark, in curve order (empty while hidden)."""
        return np.empty(0) if self._values is None or not self.dots.isVisible() else self._values.copy()

    def set_state(self, iteration: int | None, values: np.ndarray | None, first: int = 0, last: int = 0) -> None:
        """Mark ``iteration`` with a dot per value (None: hide, the run is followed live)."""
        if iteration is None or values is None:
            self._values = None
            self._iteration = None
            self.line.hide()
            self.dots.hide()
            return
        self._iteration = iteration
        self._values = np.array(values, dtype=np.float64)
        self.line.show()  # first: a hidden line's label does not follow its value
        self._setting = True
        try:
            self.line.setBounds((first, max(first, last)))
            self.line.setValue(iteration)
        finally:
            self._setting = False
        self.redraw()

    def redraw(self) -> None:
        """Place the dots (again: the error plot's log scale may have been switched)."""
        if self._values is None:
            self.dots.hide()
            return
        y = self._values
        if self.log_y():
            y = np.log10(np.maximum(y, 1e-300))
        style = self.style
        brushes = [pg.mkBrush(style.series_colour(j)) for j in range(len(y))]
        self.dots.setData(x=np.full(len(y), float(self._iteration)), y=y, brush=brushes,
                          pen=style.pen(style.outline, width=1.2))
        self.dots.show()

    def _dragged(self, line: pg.InfiniteLine) -> None:
        if self._setting:
            return
        value = line.value()
        if math.isfinite(value):
            self.moved.emit(int(round(value)))

    def _clicked(self, event) -> None:
        if event.button() != Qt.LeftButton or event.double() or event.isAccepted():
            return
        vb = self.plot.plotItem.vb
        if not vb.sceneBoundingRect().contains(event.scenePos()):
            return
        x = vb.mapSceneToView(event.scenePos()).x()
        if math.isfinite(x):
            self.moved.emit(int(round(x)))
