"""The network diagram for hidden layers: every layer a column of nodes, every weight a synapse.

Synapses are drawn as the single neuron's are (thickness grows with |weight|; sign by colour and by dash,
never colour alone). Each node shows its activation for the query at the iteration on display (the
inputs are the query's, the last node is the prediction), so the diagram is the network answering the
query. Hovering a node or a synapse names it and gives its exact value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QWidget

from .synapse_style import synapse_pen, synapse_width


@dataclass(frozen=True)
class LayeredState:
    """What the diagram shows of a network: names per layer, weights per layer, activations for the query."""

    names: list[list[str]]  # [inputs, hidden layer 1, ..., ["out"]]
    layers: list[np.ndarray]  # W[l], (neurons of layer l, neurons of layer l+1)
    activations: list[np.ndarray] | None  # per layer, 1-D, for the query (None: no valid query)
    iteration: int


@dataclass(frozen=True)
class LayerHit:
    kind: str  # "node" or "synapse"
    layer: int  # node: the layer of neurons (0 = inputs); synapse: the weight layer
    row: int  # node: the neuron; synapse: the neuron it leaves
    column: int = 0  # synapse: the neuron it feeds


def node_centres(state: LayeredState, rect: QRectF) -> tuple[list[list[QPointF]], float]:
    """Every node's centre, column by column, and the node radius that fits."""
    columns = len(state.names)
    tallest = max(len(n) for n in state.names)
    dx = rect.width() / max(1, columns)
    spacing = rect.height() / max(1, tallest)
    r = max(5.0, min(20.0, spacing * 0.36, dx * 0.16))
    centres = []
    for k, layer in enumerate(state.names):
        x = rect.left() + dx * (k + 0.5)
        top = rect.top() + (rect.height() - spacing * len(layer)) / 2
        centres.append([QPointF(x, top + spacing * (j + 0.5)) for j in range(len(layer))])
    return centres, r


def _synapse(a: QPointF, b: QPointF, r: float) -> QLineF:
    line = QLineF(a, b)
    length = line.length()
    if length <= 2 * r:
        return QLineF(a, a)
    return QLineF(line.pointAt(r / length), line.pointAt(1 - r / length))


def hit_at(state: LayeredState, rect: QRectF, pos: QPointF) -> LayerHit | None:
    centres, r = node_centres(state, rect)
    for k, column in enumerate(centres):
        for j, c in enumerate(column):
            if QLineF(pos, c).length() <= r + 2:
                return LayerHit("node", k, j)
    best, best_d = None, math.inf
    for k, W in enumerate(state.layers):
        for i, a in enumerate(centres[k]):
            for j, b in enumerate(centres[k + 1]):
                d = _distance(pos, _synapse(a, b, r))
                if d <= max(4.0, synapse_width(float(W[i, j])) / 2 + 2) and d < best_d:
                    best, best_d = LayerHit("synapse", k, i, j), d
    return best


def value_text(state: LayeredState, hit: LayerHit) -> str:
    if hit.kind == "node":
        name = state.names[hit.layer][hit.row]
        if state.activations is None:
            return f"{name} = — (no valid query)"
        value = float(state.activations[hit.layer][hit.row])
        what = "the query's input" if hit.layer == 0 else "σ(z), for the query"
        return f"{name} = {value!r}  ({what})"
    w = float(state.layers[hit.layer][hit.row, hit.column])
    name = f"{state.names[hit.layer][hit.row]}→{state.names[hit.layer + 1][hit.column]}"
    return f"{name} = {w!r}  [{'positive' if w >= 0 else 'negative'}]"


def paint(widget: QWidget, p: QPainter, state: LayeredState, rect: QRectF, hover: LayerHit | None) -> None:
    """Draw ``state`` in ``rect`` of ``widget`` (its palette and font)."""
    pal = widget.palette()
    text_colour = pal.color(QPalette.WindowText)
    base = pal.color(QPalette.Base)
    centres, r = node_centres(state, rect)
    many = sum(W.size for W in state.layers) > 40
    for k, W in enumerate(state.layers):
        for i, a in enumerate(centres[k]):
            for j, b in enumerate(centres[k + 1]):
                w = float(W[i, j])
                hovered = hover == LayerHit("synapse", k, i, j)
                pen = synapse_pen(w, hovered)
                if many and not hovered:
                    pen.setWidthF(max(1.0, pen.widthF() * 0.5))
                p.setPen(pen)
                p.drawLine(_synapse(a, b, r))
    fm = widget.fontMetrics()
    for k, column in enumerate(centres):
        for j, c in enumerate(column):
            hovered = hover == LayerHit("node", k, j)
            p.setPen(QPen(text_colour, 2.5 if hovered else 1.2))
            p.setBrush(base)
            p.drawEllipse(c, r, r)
            name = state.names[k][j]
            p.drawText(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r), Qt.AlignCenter, name if r >= 11 else "")
            if state.activations is not None:
                value = float(state.activations[k][j])
                last = k == len(centres) - 1
                text = f"{value:.8f}" if last else f"{value:g}" if k == 0 else f"{value:.3g}"
                width = fm.horizontalAdvance(text) + 6
                box = QRectF(c.x() + r + 2, c.y() - fm.height() / 2, width, fm.height())
                if box.right() > rect.right() + 4:  # the output's, at the right edge: under the node
                    box = QRectF(c.x() - width / 2, c.y() + r + 1, width, fm.height())
                p.setPen(Qt.NoPen)
                p.setBrush(base)  # legible over the synapses
                p.drawRect(box)
                p.setPen(QColor(text_colour))
                p.drawText(box, Qt.AlignCenter, text)


def _distance(p: QPointF, line: QLineF) -> float:
    dx, dy = line.dx(), line.dy()
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return QLineF(p, line.p1()).length()
    t = max(0.0, min(1.0, ((p.x() - line.x1()) * dx + (p.y() - line.y1()) * dy) / length2))
    return QLineF(p, QPointF(line.x1() + t * dx, line.y1() + t * dy)).length()
