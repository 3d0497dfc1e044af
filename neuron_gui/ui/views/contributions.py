"""Why this prediction: the query's answer taken apart into each input's term ``wⱼ·xⱼ``, their sum ``z``
and ``σ(z)``, written out and drawn as bars.

A positive term pushes the output towards 1, a negative one towards 0. The sign is shown three ways,
never by colour alone: the bar's side of zero, its fill (solid blue or hatched vermillion) and its
outline (solid or dashed). The sum ``z`` is a grey bar of its own, after the terms.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ...core.insight import Contributions, contributions
from ..style.adaptive import SideBySide
from ..style.math_text import MINUS, compact, factor, number, sub
from ..style.plot_style import PlotStyle, current_style, let_title_shrink
from .replay import DisplayState

MAX_WRITTEN_TERMS = 6


def _brush(colour: QColor, hatched: bool) -> QBrush:
    return QBrush(colour, Qt.BDiagPattern if hatched else Qt.SolidPattern)


def _pen(colour: QColor, dashed: bool, style: PlotStyle):
    edge = colour.lighter(135) if style.dark else colour.darker(130)
    return style.pen(edge, width=1.5, style=Qt.DashLine if dashed else Qt.SolidLine)


class ContributionsPanel(QWidget):
    """Shows :attr:`shown`, the query's contributions at the iteration on display."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("contributionsPanel")
        self.setAccessibleName("Why this prediction")
        self.setAccessibleDescription("The query's prediction: each input's term, their sum z and sigmoid(z)")
        self.shown: Contributions | None = None
        self.equation = QLabel()
        self.equation.setObjectName("contributionsEquation")
        self.equation.setTextFormat(Qt.RichText)
        self.equation.setWordWrap(True)
        self.equation.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.plot = pg.PlotWidget()
        self.plot.setObjectName("contributionsPlot")
        self.plot.setBackground(None)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(y=True, alpha=0.2)
        self.plot.setLabel("left", "contribution to z")
        self.plot.setTitle("Each term w<sub>j</sub>·x<sub>j</sub>, and their sum z", size="9pt")
        let_title_shrink(self.plot)
        self.zero = pg.InfiniteLine(pos=0, angle=0)
        self.plot.addItem(self.zero)
        self.bars = pg.BarGraphItem(x=[0.0], height=[0.0], width=0.6)
        self.bars.setVisible(False)
        self.plot.addItem(self.bars)
        self.values: list[pg.TextItem] = []
        self.key = QLabel()
        self.key.setObjectName("contributionsKey")
        self.key.setWordWrap(True)
        self.key.setTextFormat(Qt.RichText)
        words = QWidget()
        text = QVBoxLayout(words)
        text.setContentsMargins(0, 0, 0, 0)
        text.addWidget(self.equation)
        text.addWidget(self.key)
        text.addStretch(1)
        self.body = SideBySide(words, self.plot, tall=(0, 1), wide=(2, 3))
        self.body.box.setSpacing(8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.body)
        self._last: tuple | None = None  # what set_state showed, to redraw in a new theme
        self._extent: tuple[int, float, float] | None = None  # bars, highest top, lowest bottom
        self.plot.plotItem.vb.sigResized.connect(self._fit_range)
        self.apply_style(current_style())

    def apply_style(self, style: PlotStyle) -> None:
        """Bars in the theme's colours for positive and negative (its network diagram's), the key to match."""
        self.style = style
        self.zero.setPen(style.pen(style.foreground, width=1))
        self.key.setText(
            f"<span style='color:{style.positive}'>■</span> solid: a positive term, pushing the output towards 1 · "
            f"<span style='color:{style.negative}'>▨</span> hatched, dashed edge: negative, towards 0 · "
            f"<span style='color:{style.muted}'>▒</span> their sum z"
        )
        if self._last is not None:
            self.set_state(*self._last)

    def set_state(self, state: DisplayState | None, query: np.ndarray | None) -> None:
        self._last = (state, query)
        if state is None or query is None or len(query) != len(state.weights):
            self.shown = None
            self._draw(None, [])
            self.equation.setText("Enter a valid query (in the Query panel) to see why the neuron answers it so."
                                  if state is not None else "No run: the table cannot be trained on.")
            return
        with np.errstate(over="ignore", invalid="ignore"):  # a wild run's huge weights: shown as ∞, quietly
            c = contributions(query, state.weights)
            self.shown = c
            self._draw(c, state.run.examples.names)
            self._write(c, query, state)

    def _write(self, c: Contributions, query: np.ndarray, state: DisplayState) -> None:
        m = len(c.terms)
        symbols = " + ".join(f"w<sub>{j + 1}</sub>x<sub>{j + 1}</sub>" for j in range(min(m, MAX_WRITTEN_TERMS)))
        filled = " + ".join(f"{factor(number(w, 4))}·{factor(compact(x, 4))}"
                            for w, x in zip(state.weights[:MAX_WRITTEN_TERMS], query[:MAX_WRITTEN_TERMS], strict=True))
        terms = " + ".join(factor(number(t, 4)) for t in c.terms[:MAX_WRITTEN_TERMS])
        if m > MAX_WRITTEN_TERMS:
            symbols, filled, terms = symbols + " + …", filled + " + …", terms + " + …"
        where = f"at iteration {state.iteration:,}" + ("" if state.live else " (replay)")
        self.equation.setText(
            f"For the query ({', '.join(compact(q, 4) for q in query)}) {where}:<br>"
            f"<b>z</b> = {symbols}<br>&nbsp;&nbsp;= {filled}<br>&nbsp;&nbsp;= {terms} = <b>{number(c.z, 5)}</b><br>"
            f"<b>prediction</b> = σ(z) = 1/(1 + e<sup>{MINUS}z</sup>) = <b>{c.prediction:.8f}</b>"
        )
        self.equation.setToolTip("\n".join(
            [f"w{sub(j + 1)}·x{sub(j + 1)} = {float(t)!r}" for j, t in enumerate(c.terms)]
            + [f"z = {c.z!r}", f"σ(z) = {c.prediction!r}"]))

    def _draw(self, c: Contributions | None, names: list[str]) -> None:
        """Bars and value labels are created once per number of inputs, then only updated."""
        if c is None:
            self.bars.setVisible(False)
            for label in self.values:
                label.setVisible(False)
            return
        heights = np.nan_to_num(np.append(c.terms, c.z), posinf=1e300, neginf=-1e300)
        n = len(heights)
        while len(self.values) < n:
            label = pg.TextItem("", color=current_style().foreground)  # the theme's text colour
            self.plot.addItem(label)
            self.values.append(label)
        style = self.style
        positive, negative, total = QColor(style.positive), QColor(style.negative), QColor(style.muted)
        kinds = [(positive, False) if h >= 0 else (negative, True) for h in heights[:-1]]
        self.bars.setOpts(
            x=np.arange(n, dtype=float), height=heights, width=0.6,
            brushes=[_brush(colour, hatched) for colour, hatched in kinds] + [QBrush(total, Qt.Dense4Pattern)],
            pens=[_pen(colour, hatched, style) for colour, hatched in kinds] + [_pen(total, False, style)],
        )
        self.bars.setVisible(True)
        crowded = n > 8  # then a value only where there is something to read: nonzero terms and the sum
        for i, label in enumerate(self.values):
            label.setVisible(i < n and not (crowded and i < n - 1 and heights[i] == 0))
            if i < n:
                h = float(heights[i])
                label.setText(number(h, 3))
                label.setColor(self.style.foreground)
                label.setAnchor((0.5, 1.0 if h >= 0 else 0.0))
                label.setPos(float(i), h)
        if n <= 5:
            ticks = [(j, f"w{sub(j + 1)}·{names[j]}") for j in range(n - 1)] + [(n - 1, "z (sum)")]
        else:  # many inputs: their names, and only as many as fit
            every = max(1, -(-(n * self.fontMetrics().horizontalAdvance("x16 ")) // max(1, self.plot.width() - 60)))
            ticks = [(j, names[j]) for j in range(0, n - 1, every)] + [(n - 1, "z")]
        self.plot.getAxis("bottom").setTicks([ticks])
        self._extent = (n, max(0.0, float(heights.max())), min(0.0, float(heights.min())))
        self._fit_range()

    def _fit_range(self, *_) -> None:
        """Room above the tallest bar and below the lowest for their value labels, in pixels: a short
        dock cut the top label in half when the room was a fraction of the bars' span."""
        if self._extent is None:
            return
        n, top, bottom = self._extent
        span = max(top - bottom, 1e-9)
        text = max([label.boundingRect().height() for label in self.values if label.isVisible()]
                   + [QFontMetricsF(self.style.font()).height()]) + 2
        share = min(0.4, text / max(1.0, self.plot.plotItem.vb.height()))
        room = span * share / (1 - 2 * share)
        self.plot.setRange(xRange=(-0.6, n - 0.4), yRange=(bottom - room, top + room), padding=0)
