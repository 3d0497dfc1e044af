"""How a synapse is drawn, in the single neuron's diagram and the network's: thickness grows with |weight|,
and the sign is shown twice, by colour (Okabe-Ito blue or vermillion) and by dash (solid or dashed)."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen

from ..style.plot_style import current_style

POSITIVE = QColor("#0072B2")  # in the light theme; the current theme's are in current_style()
NEGATIVE = QColor("#D55E00")
MAX_WIDTH = 16.0


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
