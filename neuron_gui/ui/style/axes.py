"""Plot axes that write numbers the way the rest of the app does.

pyqtgraph writes ticks with ``%g`` ("200000", "2e+06"), scales an axis by an SI factor it adds to the
label ("−400 … (x0.001)"), and labels the minor ticks of a one-decade log axis (0.2 … 0.9), which then
overlap. Here: whole numbers with thousands separators ("1,000,000"), decimals to the tick spacing,
small numbers as powers of ten ("10⁻⁶", "2×10⁻⁶") as :mod:`.math_text` writes them, a real minus sign,
no SI factor, and a log axis labelled at its decades only.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF

from .math_text import MINUS, sup

LARGEST_WRITTEN_OUT = 1e15  # beyond this, even whole numbers are written m×10ⁿ
SMALLEST_DECIMAL = 1e-3  # below this (and not 0), m×10ⁿ
END_ROOM = 12  # pixels beyond each end of an axis for the end ticks' labels
LABEL_GAP = 18  # pixels at least between two tick labels side by side


def tick_text(v: float, spacing: float = 0.0) -> str:
    """One tick's label. ``spacing`` (the distance between ticks) sets the decimals shown, so that
    neighbouring labels differ: 0.25 and 0.5 at a spacing of 0.25, 1,000 and 2,000 at 1,000."""
    v = float(v)
    if not math.isfinite(v):
        return ""
    if spacing > 0 and abs(v) < spacing * 1e-9:
        v = 0.0  # 1e-17 from accumulated steps is the zero tick
    if v == 0:
        return "0"
    size = abs(v)
    if size >= LARGEST_WRITTEN_OUT or size < SMALLEST_DECIMAL:
        return power_text(v, spacing)
    decimals = 0
    while spacing > 0 and decimals < 8 and abs(round(spacing, decimals) - spacing) > spacing * 1e-6:
        decimals += 1  # as many as the spacing needs: 0.25 apart, two
    if spacing <= 0 and v != round(v):
        decimals = min(6, max(0, 3 - math.floor(math.log10(size))))
    text = f"{v:,.{decimals}f}"
    if "." in text and spacing <= 0:
        text = text.rstrip("0").rstrip(".")
    return text.replace("-", MINUS)


def power_text(v: float, spacing: float = 0.0) -> str:
    """``v`` as ``10ⁿ`` or ``m×10ⁿ`` (with a real minus sign)."""
    exponent = math.floor(math.log10(abs(v)))
    mantissa = v / 10.0 ** exponent
    digits = 0
    if spacing > 0:
        digits = max(0, min(6, round(math.log10(abs(v) / spacing)) if spacing < abs(v) else 0))
    m = f"{mantissa:.{digits}f}" if digits else f"{mantissa:.0f}"
    if float(m) in (10.0, -10.0):  # 9.96 -> 10: one more power
        exponent += 1
        m = m.replace("10", "1", 1)
    m = m.rstrip("0").rstrip(".") if "." in m else m
    sign = MINUS if v < 0 else ""
    m = m.lstrip("-")
    return f"{sign}10{sup(exponent)}" if m == "1" else f"{sign}{m}×10{sup(exponent)}"


class NumberAxis(pg.AxisItem):
    """An axis labelled with :func:`tick_text`; on a log axis only the decades are labelled."""

    def __init__(self, orientation: str, **kwargs):
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def boundingRect(self):  # noqa: N802 (Qt API)
        """Room for the labels of the ticks at either end of the axis, also with a grid (pyqtgraph leaves
        it out then, and silently drops those labels: a one-decade log axis showed none)."""
        rect = super().boundingRect()
        if self.orientation in ("left", "right"):
            return rect.adjusted(0, -END_ROOM, 0, END_ROOM)
        return rect.adjusted(-END_ROOM, 0, 0, 0)  # (the left axis is beside it; the widget's edge is to the right)

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802, N803 (pyqtgraph API)
        """On a horizontal axis, ticks no closer than their labels are wide (with a gap): pyqtgraph spaces
        them for short labels, and "2,000" "4,000" ran into each other in presentation mode."""
        levels = super().tickSpacing(minVal, maxVal, size)
        if self.orientation not in ("bottom", "top") or self.logMode or not levels or maxVal <= minVal:
            return levels
        font = self.style.get("tickFont")
        metrics = QFontMetricsF(font) if font is not None else None
        widest = max((metrics.horizontalAdvance(tick_text(v, levels[0][0])) if metrics else 7.0 * len(tick_text(v)))
                     for v in (minVal, maxVal, (minVal + maxVal) / 2))
        fits = max(1.0, size / (widest + LABEL_GAP))
        tried = [levels[0][0]]
        while (maxVal - minVal) / tried[-1] > fits:
            tried.append(_next_step(tried[-1]))
        # never fewer than two labelled ticks: a narrow axis keeps the widest spacing that still has two
        with_two = [m for m in tried if math.floor(maxVal / m) - math.ceil(minVal / m) + 1 >= 2]
        major = tried[-1] if not with_two or with_two[-1] == tried[-1] else with_two[-1]
        if major == levels[0][0]:
            return levels
        mantissa = round(major / 10.0 ** math.floor(math.log10(major)))
        return [(major, 0), (major / (4 if mantissa == 2 else 5), 0)]  # minor ticks: 1s, 5s, 1s

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph API)
        if self.logMode:
            return [power_or_plain(v) if abs(v - round(v)) < 1e-9 else "" for v in values]
        return [tick_text(v * scale, spacing * scale) for v in values]

    def logTickValues(self, minVal, maxVal, size, stdTicks):  # noqa: N802, N803 (pyqtgraph API)
        """Whole decades, labelled, spaced so their labels never touch; unlabelled minor ticks in between
        when a decade has room for them."""
        lo, hi = math.ceil(minVal - 1e-9), math.floor(maxVal + 1e-9)
        decades = max(0, hi - lo + 1)
        text_height = self._text_height() * 1.6 if self.orientation in ("left", "right") else 60.0
        fits = max(1, int(size // max(1.0, text_height)))
        step = max(1, math.ceil(decades / fits))
        major = [float(v) for v in range(lo, hi + 1) if v % step == 0]
        levels = [(float(step), major)]
        if step == 1 and size / max(1.0, maxVal - minVal) > 40:  # at least 40 px a decade: minor ticks
            minor = [v + math.log10(k) for v in range(math.floor(minVal), math.ceil(maxVal)) for k in range(2, 10)]
            levels.append((None, [v for v in minor if minVal < v < maxVal]))
        return levels

    def _text_height(self) -> float:
        font = self.style.get("tickFont")
        return 14.0 if font is None else QFontMetricsF(font).height()


def _next_step(step: float) -> float:
    """The next of 1, 2, 5 x 10^k above ``step``."""
    exponent = math.floor(math.log10(step))
    mantissa = step / 10.0 ** exponent
    for m in (2.0, 5.0, 10.0):
        if m > mantissa + 1e-9:
            return m * 10.0 ** exponent
    return 10.0 ** (exponent + 1)


def power_or_plain(exponent: float) -> str:
    """A decade's label on a log axis: 0.001 … 1,000,000 written out as elsewhere, beyond as 10ⁿ."""
    return tick_text(10.0 ** round(exponent))


def number_axes(*sides: str) -> dict[str, NumberAxis]:
    """``axisItems`` for a :class:`pyqtgraph.PlotWidget`: these sides get a :class:`NumberAxis`."""
    return {side: NumberAxis(side) for side in sides or ("left", "bottom")}
