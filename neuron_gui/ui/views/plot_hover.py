"""Reading a plot by hovering it: the iteration under the cursor and each curve's value there.

The readout is a text item inside the plot (the plot's ``hover_label``) with a dotted line at the
iteration; it follows the cursor, keeps updating while new data arrives, and hides when the cursor
leaves. Once the history has been thinned, a point stands for a bucket of iterations, and the
readout gives the bucket's range of iterations and each curve's minimum to maximum there.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from ...core.lesson import sigmoid, weighted_sum


class PlotHover(QObject):
    """Tracks the cursor over ``plot`` and asks ``describe(x, y)`` (view coordinates) for the text."""

    def __init__(self, plot: pg.PlotWidget, describe, vertical_line: bool = True):
        super().__init__(plot)
        self.plot = plot
        self.describe = describe
        self.label: pg.TextItem = plot.hover_label
        palette = QApplication.palette()
        back = QColor(palette.color(QPalette.ToolTipBase))
        back.setAlpha(235)
        self.label.fill = pg.mkBrush(back)  # readable over the curves
        self.label.border = pg.mkPen(palette.color(QPalette.Mid))
        self.label.setColor(palette.color(QPalette.ToolTipText))
        self.line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#888", width=1, style=Qt.DotLine))
        self.line.setZValue(40)
        self.line.hide()
        if vertical_line:
            plot.addItem(self.line, ignoreBounds=True)
        self._at: QPointF | None = None  # the cursor, in view coordinates
        plot.scene().sigMouseMoved.connect(self._moved)
        plot.viewport().installEventFilter(self)

    @property
    def text(self) -> str:
        return self.label.toPlainText() if self.label.isVisible() else ""

    def hover_at(self, view_x: float, view_y: float) -> None:
        """Show the readout for a point in view coordinates (what a mouse move does)."""
        self._at = QPointF(view_x, view_y)
        self.refresh()

    def hide(self) -> None:
        self._at = None
        self.label.hide()
        self.line.hide()

    def refresh(self) -> None:
        """Re-read the values under the cursor (called when new data is drawn)."""
        if self._at is None:
            return
        found = self.describe(self._at.x(), self._at.y())
        if found is None:
            self.label.hide()
            self.line.hide()
            return
        x, text = found
        self.label.setText(text)
        (x0, x1), (y0, y1) = self.plot.plotItem.vb.viewRange()
        right = self._at.x() > (x0 + x1) / 2
        high = self._at.y() > (y0 + y1) / 2
        self.label.setAnchor((1.0 if right else 0.0, 0.0 if high else 1.0))
        self.label.setPos(self._at.x() + (-1 if right else 1) * 0.01 * (x1 - x0), self._at.y())
        self.label.show()
        if x is not None:
            self.line.setPos(x)
            self.line.show()

    def _moved(self, scene_pos) -> None:
        vb = self.plot.plotItem.vb
        if not vb.sceneBoundingRect().contains(scene_pos):
            self.hide()
            return
        p = vb.mapSceneToView(scene_pos)
        self.hover_at(p.x(), p.y())

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Leave:
            self.hide()
        return False


def describe_iterations(x: np.ndarray, y: np.ndarray, names: list[str], at: float, fmt: str = ".8g"):
    """The iteration nearest ``at`` and every curve's value there, or None with no data.

    ``x`` is non-decreasing; a thinned bucket is a pair of equal ``x`` (its minimum and maximum).
    """
    if not len(x) or not names:
        return None
    i = int(np.clip(np.searchsorted(x, at), 0, len(x) - 1))
    if i > 0 and abs(x[i - 1] - at) <= abs(x[i] - at):
        i -= 1
    same = np.flatnonzero(x == x[i])
    it = int(x[i])
    if len(same) == 1:
        lines = [f"iteration {it:,}"] + [f"{n} = {y[i, j]:{fmt}}" for j, n in enumerate(names)]
    else:
        nxt = x[same[-1] + 1] if same[-1] + 1 < len(x) else None
        span = f"iterations {it:,}–{int(nxt) - 1:,}" if nxt is not None and nxt - 1 > it else f"iteration {it:,}"
        lo, hi = y[same].min(axis=0), y[same].max(axis=0)
        lines = [span] + [
            f"{n} = {lo[j]:{fmt}}" if lo[j] == hi[j] else f"{n} = {lo[j]:{fmt}} … {hi[j]:{fmt}}"
            for j, n in enumerate(names)
        ]
    return float(x[i]), "\n".join(lines)


def describe_sigmoid(X: np.ndarray | None, y: np.ndarray | None, weights: np.ndarray | None, at_z: float,
                     near: float):
    """``z`` and ``sigmoid(z)`` under the cursor, and the nearest example within ``near`` of it."""
    text = f"z = {at_z:.4g}\nsigmoid(z) = {float(sigmoid(at_z)):.6f}"
    if X is not None and weights is not None and len(X):
        z = weighted_sum(X, weights)
        r = int(np.argmin(np.abs(z - at_z)))
        if abs(z[r] - at_z) <= near:
            out = float(sigmoid(z[r]))
            text += (f"\nexample {r + 1}: z = {z[r]:.6g}\n  output = {out:.8f}, target = {y[r]:g}"
                     f"\n  error = {y[r] - out:+.8f}")
    return None, text
