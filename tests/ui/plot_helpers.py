"""Reading what a plot shows, as a person would see it: its axis labels, its points, the window's size."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from tests.ui.window_helpers import trigger


def resize_to(qtbot, window, size) -> None:
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size, timeout=2000)
    trigger(window, "resetLayoutAction")
    qtbot.wait(30)


def axis_labels(axis: pg.AxisItem) -> list[tuple[QRectF, str]]:
    """The tick labels an axis draws now, each with its rectangle in scene coordinates."""
    image = QImage(8, 8, QImage.Format_ARGB32)
    painter = QPainter(image)
    painter.setFont(axis.style["tickFont"] or painter.font())
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    if not specs:
        return []
    return [(axis.mapRectToScene(rect), text) for rect, _flags, text in specs[2]]


def plotted_points(plot: pg.PlotWidget) -> np.ndarray:
    """Every data point of every curve and scatter in ``plot``, in scene coordinates."""
    vb = plot.getPlotItem().vb
    points = []
    for item in vb.addedItems:
        if isinstance(item, pg.PlotDataItem):
            x, y = item.getData()
        elif isinstance(item, pg.ScatterPlotItem):
            x, y = item.getData()
        else:
            continue
        if x is None or not len(x):
            continue
        for xi, yi in zip(x, y, strict=True):
            p = vb.mapViewToScene(pg.Point(float(xi), float(yi)))
            points.append((p.x(), p.y()))
    return np.array(points)
