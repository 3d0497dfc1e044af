"""A plot's legend in a row of its own between the title and the plot area, never over the data.

pyqtgraph anchors a legend inside the view box, where it covers whatever curve or marker passes under it
(the Weights legend sat on the x1 and x2 curves, the Sigmoid legend on the query's star). Here the legend
takes the plot item's (hidden, unused) top-axis cell instead: the plot area shrinks by the legend's height,
and no data can ever lie under it. Its entries flow into as many columns as the plot's width allows, so
16 inputs are 16 readable entries in a few rows rather than a list cut off after x5.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QSizeF, Qt
from PySide6.QtWidgets import QGraphicsLayoutItem, QSizePolicy

# PlotItem's grid: title (0, 1), top axis (1, 1), left axis (2, 0), view box (2, 1), right axis (2, 2)
CELLS = {"top": (1, 1), "right": (2, 2)}
ENTRY_GAP = 14.0  # pixels between one entry's label and the next entry's line sample


class LegendRow(pg.LegendItem):
    """A frameless legend laid out by the plot item's grid, above the view box (``side="top"``: entries
    side by side, in rows) or right of it (``"right"``: one entry a line, for a wide and short plot)."""

    def __init__(self, text_size: str, side: str = "top"):
        super().__init__(offset=None, labelTextSize=text_size, horSpacing=4, verSpacing=-4, frame=False)
        self.side = side
        if side == "top":
            self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
            self.layout.setContentsMargins(2, 0, 2, 2)
        else:
            self.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)
            self.layout.setContentsMargins(10, 0, 4, 0)

    # -- size: asked of the plot item's layout, never set by hand ----------------------------------
    def updateSize(self) -> None:  # noqa: N802 (pyqtgraph API)
        """pyqtgraph moves a legend to (0, 0) here; in a layout it only reports that its size changed."""
        self.reflow()
        self.layout.invalidate()
        self.updateGeometry()

    def sizeHint(self, which: Qt.SizeHint, constraint: QSizeF = QSizeF()) -> QSizeF:  # noqa: N802 (Qt API)
        if not self.items:
            return QSizeF(0, 0)
        return self.layout.effectiveSizeHint(which, constraint)

    def entry_width(self) -> float:
        """The widest entry: its line sample, its label and the gap to the next."""
        widest = max((label.item.boundingRect().width() for _, label in self.items), default=0.0)
        sample = max((s.boundingRect().width() for s, _ in self.items), default=20.0)
        return sample + widest + ENTRY_GAP

    def available_width(self) -> float:
        """The width of the plot area under the legend (the plot item's, less its left axis)."""
        plot = self.parentItem()
        if plot is None or plot.width() <= 0:
            return self.entry_width() * len(self.items)
        return plot.width() - plot.getAxis("left").width() - 8

    def reflow(self) -> None:
        """Entries in as many columns as the plot's width holds (call when that width changes)."""
        n = len(self.items)
        if not n:
            return
        if self.side != "top":
            if self.columnCount != 1:
                super().setColumnCount(1)
            return
        width = self.available_width()
        columns = max(1, min(n, int(width // max(1.0, self.entry_width()))))
        rows = -(-n // columns)
        columns = -(-n // rows)  # as few columns as the rows need: rows equally full
        if columns != self.columnCount:
            super().setColumnCount(columns)  # calls updateSize again: the new rows are laid out
        for c in range(columns * 2):
            self.layout.setColumnSpacing(c, ENTRY_GAP if c % 2 else 0.0)

    def setColumnCount(self, columnCount: int) -> None:  # noqa: N802, N803 (pyqtgraph API)
        """The column count follows the width (:meth:`fit_to`); asked for explicitly, it is a maximum."""
        self.reflow()


def add_legend_row(plot: pg.PlotWidget, text_size: str, side: str = "top") -> LegendRow:
    """A :class:`LegendRow` for ``plot``: curves added with a ``name`` join it, as with ``addLegend``."""
    item = plot.getPlotItem()
    axis: QGraphicsLayoutItem = item.getAxis(side)
    item.layout.removeItem(axis)  # hidden and never shown in this app: its cell takes the legend
    legend = LegendRow(text_size, side)
    legend.setParentItem(item)
    row, column = CELLS[side]
    item.layout.addItem(legend, row, column)
    if side == "top":
        item.layout.setRowStretchFactor(row, 0)
    else:
        item.layout.setColumnStretchFactor(column, 0)
        item.layout.setAlignment(legend, Qt.AlignTop | Qt.AlignLeft)  # entries together, not spread out
    item.legend = legend
    return legend
