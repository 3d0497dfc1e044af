"""The network diagram: input nodes, their synapses into the neuron, and its output, drawn live.

Each synapse's thickness grows with |weight|, and its sign is shown twice, by colour (Okabe-Ito blue
or vermillion) and by dash (solid or dashed), so it reads without colour vision. The inputs are the
query's, so the diagram is the neuron answering the query. Hovering a synapse or node shows its
exact value, in a tooltip and in the caption, and the value keeps updating while the run moves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QLineF, QPoint, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QMouseEvent, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ...core.lesson import sigmoid, weighted_sum
from ..style.plot_style import current_style

POSITIVE = QColor("#0072B2")  # in the light theme; the current theme's are in current_style()
NEGATIVE = QColor("#D55E00")
MAX_WIDTH = 16.0
LABEL_AT = 0.4  # where along a synapse its value is written: nearer the inputs, where synapses are apart
NAME_INSIDE_RADIUS = 9.0  # an input node at least this big holds its name; a smaller one has it beside it


def synapse_width(weight: float) -> float:
    """1 px at 0, ~3 at |w| = 1, ~8 at |w| = 10: grows with |w| but stays drawable for any size."""
    return min(MAX_WIDTH, 1.0 + 3.0 * math.log1p(abs(weight)))


def synapse_pen(weight: float, highlight: bool = False) -> QPen:
    """Colour and dash both carry the sign (never colour alone)."""
    width = synapse_width(weight)
    pen = QPen(_sign_colour(weight), width + (2 if highlight else 0))
    pen.setCapStyle(Qt.FlatCap)
    if weight < 0:
        dash = max(6.0, 2.5 * width)  # pixels, whatever the width (a dash pattern counts in widths)
        pen.setDashPattern([dash / pen.widthF(), 0.6 * dash / pen.widthF()])
    return pen


def _sign_colour(weight: float) -> QColor:
    style = current_style()
    return QColor(style.negative if weight < 0 else style.positive)


def short_number(v: float) -> str:
    """A weight for a label: 3 decimals, or 3 significant digits once it is large."""
    return f"{v:+.3f}" if abs(v) < 1e4 else f"{v:+.3g}"


@dataclass(frozen=True)
class Hit:
    """What the pointer is over: a synapse or input (with its index), the neuron or the output."""

    kind: str  # "synapse", "input", "neuron" or "output"
    index: int = 0


class NetworkDiagram(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("networkDiagram")
        self.setAccessibleName("Network diagram")
        self.setMouseTracking(True)
        self.setMinimumSize(200, 90)  # a window of 700 px fits the wide layout's column
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)  # spare height goes to the table
        self._names: list[str] = []
        self._weights = np.zeros(0)
        self._query: np.ndarray | None = None
        self._iteration = 0
        self._hover: Hit | None = None
        self._hover_pos = QPoint()

    def apply_style(self, _style) -> None:
        """Redraw in the new theme's colours (see :mod:`.themes`)."""
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(380, 160)  # small, so the examples table above keeps room for its rows

    # -- state --------------------------------------------------------------------------------------
    def set_state(self, names: list[str], weights: np.ndarray, query: np.ndarray | None, iteration: int) -> None:
        """Show ``weights`` (at ``iteration``) answering ``query`` (None when the query is invalid)."""
        self._names = list(names)
        self._weights = np.array(weights, dtype=np.float64)
        self._query = None if query is None else np.array(query, dtype=np.float64)
        self._iteration = iteration
        if self._hover is not None and self._hover.kind in ("synapse", "input") and self._hover.index >= len(names):
            self._hover = None
        self._refresh_tooltip()
        self.update()

    def synapse_values(self) -> np.ndarray:
        """The weight each synapse is drawn with, in input order."""
        return self._weights.copy()

    @property
    def hovered(self) -> Hit | None:
        return self._hover

    def z(self) -> float | None:
        if self._query is None or len(self._query) != len(self._weights):
            return None
        return float(weighted_sum(self._query[None, :], self._weights)[0])

    def value_text(self, hit: Hit) -> str:
        """The exact value under ``hit``, as the tooltip shows it."""
        z = self.z()
        if hit.kind == "synapse":
            j = hit.index
            w = float(self._weights[j])
            sign = "positive" if w >= 0 else "negative"
            text = f"w{j + 1} ({self._names[j]} → neuron) = {w!r}  [{sign}]"
            if self._query is not None:
                with np.errstate(over="ignore"):
                    part = float(self._query[j] * w) + 0.0  # never "-0.0"
                text += f"\ncontribution {self._names[j]}·w{j + 1} = {part!r}"
            return text
        if hit.kind == "input":
            q = "—" if self._query is None else repr(float(self._query[hit.index]))
            return f"{self._names[hit.index]} = {q}  (the query's input)"
        if hit.kind == "neuron":
            return "z = x·w = —" if z is None else f"z = x·w = {z!r}"
        return "output = —" if z is None else f"output = sigmoid(z) = {float(sigmoid(z))!r}"

    def hover_text(self) -> str:
        return "" if self._hover is None else self.value_text(self._hover)

    # -- geometry -----------------------------------------------------------------------------------
    def _geometry(self) -> tuple[list[QPointF], float, QPointF, float, QPointF, float]:
        """Input centres and radius, the neuron's centre and radius, the output's centre and radius.

        Input nodes never overlap (their radius follows their spacing); where they are too small to hold
        their names, the names go left of them (see :meth:`input_labels`)."""
        m = max(1, len(self._weights))
        fm = self.fontMetrics()
        top = (self._legend_lines() + 0.6) * fm.height()
        bottom = self.height() - (self._caption_lines() + 0.3) * fm.height()
        height = max(10.0, bottom - top)
        spacing = height / m
        r_in = max(2.5, min(18.0, spacing * 0.42))
        left = 10 + max(fm.horizontalAdvance("-0.00"), self._left_text_width(r_in))
        xs = [QPointF(left + r_in, top + spacing * (j + 0.5)) for j in range(m)]
        mid = top + height / 2
        output = QPointF(self.width() - 8 - (fm.horizontalAdvance("0.00000000") + 8) / 2, mid)
        r_n = max(14.0, min(30.0, height * 0.15, (output.x() - xs[0].x()) * 0.12))
        r_out = max(7.0, r_n * 0.4)
        neuron = QPointF(xs[0].x() + 0.68 * (output.x() - xs[0].x()), mid)
        return xs, r_in, neuron, r_n, output, r_out

    def _small_font(self, r_in: float) -> QFont:
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, self.font().pointSizeF() * (0.85 if r_in < 10 else 1.0)))
        return small

    def _left_text(self, j: int, r_in: float) -> str:
        """What is written left of input ``j``: its query value, and its name when the node is too small."""
        value = "" if self._query is None or j >= len(self._query) else f"{self._query[j]:g}"
        if r_in >= NAME_INSIDE_RADIUS:
            return value
        name = self._names[j] if j < len(self._names) else ""
        return f"{name} = {value}" if value else name

    def _left_text_width(self, r_in: float) -> int:
        if r_in >= NAME_INSIDE_RADIUS or not len(self._weights):
            return 0
        fm = QFontMetricsF(self._small_font(r_in))
        return int(max(fm.horizontalAdvance(self._left_text(j, r_in)) for j in range(len(self._weights))) + 6)

    def input_labels(self) -> list[tuple[int, QRectF, str]]:
        """(input, rectangle, text) of every label beside or inside an input node: names inside nodes big
        enough, else beside them; as many as fit without touching (every k-th when the nodes are close;
        hovering a node names it)."""
        if not len(self._weights):
            return []
        xs, r_in, *_ = self._geometry()
        fm = QFontMetricsF(self._small_font(r_in))
        spacing = xs[1].y() - xs[0].y() if len(xs) > 1 else 2 * fm.height()
        every = max(1, math.ceil(fm.height() * 1.05 / spacing))
        labels = []
        for j, c in enumerate(xs):
            if j % every:
                continue
            if r_in >= NAME_INSIDE_RADIUS:
                labels.append((j, QRectF(c.x() - r_in, c.y() - r_in, 2 * r_in, 2 * r_in), self._names[j]))
            text = self._left_text(j, r_in)
            if text:
                box = QRectF(2, c.y() - fm.height() / 2, c.x() - r_in - 5, fm.height())
                labels.append((j, box, text))
        return labels

    def value_labels(self) -> list[tuple[int, QRectF, str]]:
        """(input, box, text) of each synapse's weight label that can be placed without touching another:
        near the inputs, where synapses are apart, and staggered along them when even there they are close."""
        if not len(self._weights):
            return []
        xs, r_in, neuron, r_n, _, _ = self._geometry()
        fm = self.fontMetrics()
        spacing = xs[1].y() - xs[0].y() if len(xs) > 1 else 4 * fm.height()
        at = min(LABEL_AT, max(0.12, 1 - 1.25 * fm.height() / max(spacing, 1e-9)))
        placed: list[tuple[int, QRectF, str]] = []
        ceiling = (self._legend_lines() + 0.2) * fm.height()  # below the legend
        taken = [box for _, box, _ in self.input_labels()] + [QRectF(c.x() - r_in, c.y() - r_in, 2 * r_in, 2 * r_in)
                                                            for c in xs]
        for j, w in enumerate(self._weights):
            line = self._synapse_line(j, xs, r_in, neuron, r_n)
            text = short_number(w)
            width = fm.horizontalAdvance(text) + 6
            step = (width + 6) / max(line.length(), 1.0)
            for t in (at, at + step, at + 2 * step):
                if t > 0.85:
                    break
                box = QRectF(0, 0, width, fm.height())
                box.moveCenter(line.pointAt(t) + QPointF(0, -fm.height() * 0.8))
                if box.top() >= ceiling and not any(box.intersects(other) for other in taken):
                    taken.append(box)
                    placed.append((j, box, text))
                    break
        return placed

    def _caption_lines(self) -> int:
        return 2 if self.height() >= 240 else 1

    def _legend_lines(self) -> int:
        fm = self.fontMetrics()
        wide = 8 + 2 * 48 + fm.horizontalAdvance("positivenegative") + fm.horizontalAdvance("thickness: |weight|")
        return 1 if wide <= self.width() - 8 else 2

    def _synapse_line(self, j: int, xs, r_in, neuron, r_n) -> QLineF:
        line = QLineF(xs[j], neuron)
        length = line.length()
        if length <= r_in + r_n:
            return QLineF(xs[j], xs[j])
        a = line.pointAt(r_in / length)
        b = line.pointAt(1 - r_n / length)
        return QLineF(a, b)

    def hit_at(self, pos: QPointF) -> Hit | None:
        if not len(self._weights):
            return None
        xs, r_in, neuron, r_n, output, r_out = self._geometry()
        if QLineF(pos, neuron).length() <= r_n:
            return Hit("neuron")
        if QLineF(pos, output).length() <= r_out + 4:
            return Hit("output")
        for j, c in enumerate(xs):
            if QLineF(pos, c).length() <= r_in + 2:
                return Hit("input", j)
        best, best_d = None, math.inf
        for j in range(len(self._weights)):
            d = _distance_to_segment(pos, self._synapse_line(j, xs, r_in, neuron, r_n))
            if d <= max(5.0, synapse_width(self._weights[j]) / 2 + 3) and d < best_d:
                best, best_d = Hit("synapse", j), d
        return best

    def synapse_midpoint(self, j: int) -> QPoint:
        """Where synapse ``j`` can be hovered (for tests and accessibility tools)."""
        xs, r_in, neuron, r_n, _, _ = self._geometry()
        return self._synapse_line(j, xs, r_in, neuron, r_n).pointAt(0.5).toPoint()

    # -- hover ----------------------------------------------------------------------------------------
    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        hit = self.hit_at(event.position())
        self._hover_pos = event.position().toPoint()
        if hit != self._hover:
            self._hover = hit
            self.update()
        self._refresh_tooltip()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        self._hover = None
        QToolTip.hideText()
        self.update()
        super().leaveEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.ToolTip:  # shown from mouse moves instead, without the delay
            return True
        return super().event(event)

    def _refresh_tooltip(self) -> None:
        text = self.hover_text()
        if not text:
            QToolTip.hideText()
        elif self.isVisible() and text != QToolTip.text():
            QToolTip.showText(self.mapToGlobal(self._hover_pos + QPoint(14, 14)), text, self)

    # -- painting -------------------------------------------------------------------------------------
    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt API)
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        pal = self.palette()
        text_colour = pal.color(QPalette.WindowText)
        if not len(self._weights):
            p.setPen(text_colour)
            p.drawText(self.rect(), Qt.AlignCenter, "No neuron yet: the table cannot be trained on.")
            return
        xs, r_in, neuron, r_n, output, r_out = self._geometry()
        self._paint_legend(p, text_colour)
        fm = self.fontMetrics()
        labelled = {j: (box, text) for j, box, text in self.value_labels()}
        for j, w in enumerate(self._weights):
            line = self._synapse_line(j, xs, r_in, neuron, r_n)
            hovered = self._hover == Hit("synapse", j)
            p.setPen(synapse_pen(float(w), hovered))
            p.drawLine(line)
        for j, w in enumerate(self._weights):
            if j in labelled:
                self._paint_value(p, labelled[j][0], labelled[j][1], _sign_colour(w))
            elif self._hover == Hit("synapse", j):
                self._paint_value(p, None, short_number(w), _sign_colour(w),
                                  self._synapse_line(j, xs, r_in, neuron, r_n).pointAt(0.5))
        # neuron -> output
        p.setPen(QPen(text_colour, 1.5))
        a = QPointF(neuron.x() + r_n, neuron.y())
        b = QPointF(output.x() - r_out - 2, output.y())
        p.drawLine(a, b)
        _arrow_head(p, b, text_colour)
        base = pal.color(QPalette.Base)
        for j, c in enumerate(xs):
            self._paint_node(p, c, r_in, base, text_colour, self._hover == Hit("input", j))
        p.setFont(self._small_font(r_in))
        p.setPen(text_colour)
        for j, box, text in self.input_labels():
            inside = box.contains(xs[j])
            p.drawText(box, (Qt.AlignCenter if inside else Qt.AlignRight | Qt.AlignVCenter), text)
        p.setFont(self.font())
        self._paint_node(p, neuron, r_n, base, text_colour, self._hover == Hit("neuron"), thick=True)
        inside = "Σ → σ" if fm.horizontalAdvance("Σ → σ") <= 1.7 * r_n else "σ"
        p.drawText(QRectF(neuron.x() - r_n, neuron.y() - r_n, 2 * r_n, 2 * r_n), Qt.AlignCenter, inside)
        z = self.z()
        p.drawText(QRectF(neuron.x() - 3 * r_n, neuron.y() + r_n + 2, 6 * r_n, fm.height()), Qt.AlignCenter,
                   "z = —" if z is None else f"z = {z:.4g}")
        self._paint_node(p, output, r_out, base, text_colour, self._hover == Hit("output"))
        out = "—" if z is None else f"{float(sigmoid(z)):.8f}"
        width = fm.horizontalAdvance("0.00000000") + 8
        p.drawText(QRectF(output.x() - width / 2, output.y() - r_out - fm.height() - 2, width, fm.height()),
                   Qt.AlignCenter, "output")
        p.drawText(QRectF(output.x() - width / 2, output.y() + r_out + 2, width, fm.height()), Qt.AlignCenter, out)
        self._paint_caption(p, text_colour)

    def _paint_node(self, p: QPainter, c: QPointF, r: float, fill: QColor, edge: QColor, hovered: bool,
                    thick: bool = False) -> None:
        p.setPen(QPen(edge, (2.5 if thick else 1.2) + (1.5 if hovered else 0)))
        p.setBrush(fill)
        p.drawEllipse(c, r, r)
        p.setBrush(Qt.NoBrush)
        p.setPen(edge)

    def _paint_value(self, p: QPainter, box: QRectF | None, text: str, colour: QColor,
                     at: QPointF | None = None) -> None:
        fm = self.fontMetrics()
        if box is None:  # a hovered synapse whose label had no room: over the line, on top
            box = QRectF(0, 0, fm.horizontalAdvance(text) + 6, fm.height())
            box.moveCenter(at + QPointF(0, -fm.height() * 0.8))
        p.setPen(Qt.NoPen)
        back = QColor(self.palette().color(QPalette.Base))
        back.setAlpha(220)
        p.setBrush(back)
        p.drawRoundedRect(box, 3, 3)
        p.setBrush(Qt.NoBrush)
        p.setPen(colour.lighter(125) if current_style().dark else colour.darker(115))
        p.drawText(box, Qt.AlignCenter, text)

    def _paint_legend(self, p: QPainter, text_colour: QColor) -> None:
        fm = self.fontMetrics()
        y = fm.height() * 0.9
        x = 8.0
        for weight, label in ((1.0, "positive"), (-1.0, "negative")):
            p.setPen(synapse_pen(weight))
            p.drawLine(QPointF(x, y), QPointF(x + 34, y))
            p.setPen(text_colour)
            p.drawText(QPointF(x + 40, y + fm.ascent() / 2 - 1), label)
            x += 48 + fm.horizontalAdvance(label)
        if self._legend_lines() == 2:
            x, y = 8.0, y + fm.height()
        p.setPen(text_colour)
        p.drawText(QPointF(x, y + fm.ascent() / 2 - 1), "thickness: |weight|")

    def _paint_caption(self, p: QPainter, text_colour: QColor) -> None:
        fm = self.fontMetrics()
        text = self.hover_text().replace("\n", " · ")
        if not text:
            query = "no valid query" if self._query is None else "the query " + ", ".join(
                f"{v:g}" for v in self._query)
            text = f"answering {query} · iteration {self._iteration:,} · hover for exact values"
            hint = QColor(text_colour)
            hint.setAlpha(170)  # quieter than a value, still readable
            p.setPen(hint)
        else:
            p.setPen(text_colour)
        lines = self._caption_lines()
        box = QRectF(6, self.height() - (lines + 0.1) * fm.height(), self.width() - 12, lines * fm.height())
        if lines == 1:
            text = fm.elidedText(text, Qt.ElideRight, int(box.width()))
        p.drawText(box, Qt.AlignLeft | Qt.AlignVCenter | Qt.TextWordWrap, text)


def _distance_to_segment(p: QPointF, line: QLineF) -> float:
    a, b = line.p1(), line.p2()
    dx, dy = b.x() - a.x(), b.y() - a.y()
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return QLineF(p, a).length()
    t = max(0.0, min(1.0, ((p.x() - a.x()) * dx + (p.y() - a.y()) * dy) / length2))
    return QLineF(p, QPointF(a.x() + t * dx, a.y() + t * dy)).length()


def _arrow_head(p: QPainter, tip: QPointF, colour: QColor) -> None:
    path = QPainterPath(tip)
    path.lineTo(tip + QPointF(-8, -4))
    path.lineTo(tip + QPointF(-8, 4))
    path.closeSubpath()
    p.fillPath(path, colour)
