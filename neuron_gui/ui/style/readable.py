"""Contrast that holds in both themes, computed rather than hoped for (WCAG 2: text at least 4.5:1 on its
background, lines and the parts of controls at least 3:1).

- :func:`readable` moves a colour's lightness away from a background until it reaches a ratio (the
  plots' series colours: Okabe-Ito's orange and yellow are 2.3:1 and 1.3:1 on white).
- :func:`with_readable_disabled_text`: a disabled button's text was 3.7:1 in the dark palette and 1.9:1
  in the light one; it stays greyer than enabled text, but readable.
- :class:`ReadableIndicatorStyle`: Fusion outlines a check box in the window colour made 40% darker,
  which on a dark window is 1.2:1, so an unticked menu check box (View > panels) could not be seen; the
  outline is drawn again in a grey of at least 3:1 against the box and what surrounds it.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleFactory

TEXT_RATIO, GRAPHIC_RATIO = 4.5, 3.0
STYLE_NAME = "neuronGuiReadableStyle"


def luminance(c: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast(a: QColor | str, b: QColor | str) -> float:
    """The WCAG contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    hi, lo = sorted((luminance(QColor(a)), luminance(QColor(b))), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable(colour: QColor | str, *backgrounds: QColor | str, ratio: float = GRAPHIC_RATIO) -> QColor:
    """``colour`` with its hue kept and its lightness moved (darker on a light background, lighter on a
    dark one) just far enough to reach ``ratio`` against every one of ``backgrounds``."""
    c = QColor(colour)
    if all(contrast(c, b) >= ratio for b in backgrounds):
        return c
    darken = luminance(QColor(backgrounds[0])) > 0.18
    h, s, lightness, a = c.getHslF()
    h = max(h, 0.0)
    step = -0.01 if darken else 0.01
    while 0.0 <= lightness <= 1.0:
        lightness += step
        candidate = QColor.fromHslF(h, s, min(1.0, max(0.0, lightness)), a)
        if all(contrast(candidate, b) >= ratio for b in backgrounds):
            return candidate
    return QColor("#000000" if darken else "#ffffff")


DISABLED_TEXT_ROLES = (QPalette.WindowText, QPalette.Text, QPalette.ButtonText)
BACKGROUND_ROLES = (QPalette.Window, QPalette.Button, QPalette.Base)


def with_readable_disabled_text(palette: QPalette) -> QPalette:
    """``palette`` with every disabled text colour at least 4.5:1 on every disabled background: moved
    towards the enabled text colour only as far as needed, so disabled still looks disabled."""
    p = QPalette(palette)
    backgrounds = [p.color(QPalette.Disabled, role) for role in BACKGROUND_ROLES]
    for role in DISABLED_TEXT_ROLES:
        disabled = p.color(QPalette.Disabled, role)
        if all(contrast(disabled, b) >= TEXT_RATIO for b in backgrounds):
            continue
        enabled = p.color(QPalette.Active, role)
        for k in range(1, 101):
            t = k / 100
            mixed = QColor.fromRgbF(*(d + (e - d) * t for d, e in zip(disabled.getRgbF()[:3], enabled.getRgbF()[:3],
                                                                       strict=True)))
            if all(contrast(mixed, b) >= TEXT_RATIO for b in backgrounds):
                p.setColor(QPalette.Disabled, role, mixed)
                break
    return p


def indicator_outline(palette: QPalette) -> QColor:
    """A grey at least 3:1 against the palette's window, base and button colours."""
    dark = palette.color(QPalette.Window).lightness() < 128
    return readable("#8a8a8a" if dark else "#767676", *(palette.color(r) for r in BACKGROUND_ROLES))


class ReadableIndicatorStyle(QProxyStyle):
    """The application's style, with check box outlines (in menus too) that can be seen in both themes."""

    def __init__(self, base_name: str):
        super().__init__(QStyleFactory.create(base_name))
        self.base_name = base_name
        self.setObjectName(STYLE_NAME)

    def drawPrimitive(self, element, option, painter: QPainter, widget=None) -> None:  # noqa: N802 (Qt API)
        super().drawPrimitive(element, option, painter, widget)
        if element != QStyle.PE_IndicatorCheckBox:
            return
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing, False)
        pen = QPen(indicator_outline(option.palette), 1)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.NoBrush)
        painter.drawRect(QRectF(option.rect).adjusted(0.5, 0.5, -1.5, -1.5))
        painter.restore()
