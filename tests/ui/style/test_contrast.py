"""Readable contrast in both themes, computed (WCAG 2): text at least 4.5:1 on its background, lines and
the parts of controls at least 3:1; disabled controls and unticked check boxes included."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMenu

from neuron_gui.ui.style.plot_style import current_style
from neuron_gui.ui.style.readable import contrast
from tests.ui.window_helpers import trigger

THEMES = ("themeLightAction", "themeDarkAction")


@pytest.mark.parametrize("theme", THEMES)
def test_every_line_and_text_colour_of_the_plots_is_readable(window, theme):
    trigger(window, theme)
    style = current_style()
    assert style.dark == (theme == "themeDarkAction")
    for j in range(16):  # every curve of a 16-input table
        assert contrast(style.series_colour(j), style.background) >= 3.0, f"curve {j + 1} in {theme}"
    for name in ("muted", "positive", "negative"):
        assert contrast(getattr(style, name), style.background) >= 3.0, name
    assert contrast(style.foreground, style.background) >= 4.5
    dotted = style.series_pen(2)  # x3, dotted: its dots as long as its gaps, not 1-px specks
    pattern = dotted.dashPattern()
    assert pattern and min(pattern) >= 2.0, pattern


@pytest.mark.parametrize("theme", THEMES)
def test_text_enabled_or_disabled_is_readable_on_every_background(window, theme):
    trigger(window, theme)
    palette = QApplication.palette()
    for group in (QPalette.Active, QPalette.Disabled):
        for text in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
            for back in (QPalette.Window, QPalette.Button, QPalette.Base):
                ratio = contrast(palette.color(group, text), palette.color(group, back))
                assert ratio >= 4.5, f"{theme}: {group.name} {text.name} on {back.name} is {ratio:.2f}:1"


@pytest.mark.parametrize("theme", THEMES)
def test_an_unticked_menu_check_box_can_be_seen(window, theme):
    trigger(window, theme)
    menu = QMenu(window)
    action = menu.addAction("\u2003" * 8)  # no visible text: what can be seen in its row is the check box
    action.setCheckable(True)
    menu.ensurePolished()
    menu.adjustSize()
    image = menu.grab().toImage()  # drawn as it would pop up (a popup would grab the keyboard here)
    row = menu.actionGeometry(action)
    background = image.pixelColor(row.right() - 4, row.center().y())
    box = [image.pixelColor(x, y) for x in range(row.left(), row.right()) for y in range(row.top(), row.bottom())]
    best = max(contrast(QColor(c), background) for c in box)
    assert best >= 3.0, f"{theme}: the unticked box is {best:.2f}:1 against the menu"
