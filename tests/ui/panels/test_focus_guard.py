"""Focus never lands in an editable field on its own: type Iterations, Ctrl+Return, Space pauses."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QLineEdit, QSpinBox

from neuron_gui.ui.panels.focus_guard import takes_typing
from tests.ui.window_helpers import click, find


def focused(window):
    return QApplication.focusWidget() or window


@pytest.mark.default_speed  # the watching pace: a run lasts long enough to pause it
def test_type_iterations_ctrl_return_then_space_pauses_and_blanks_nothing(qtbot, window):
    window.activateWindow()
    iterations = find(window, QSpinBox, "iterationsSpin")
    rate = find(window, QDoubleSpinBox, "learningRateSpin")
    seed = find(window, QSpinBox, "seedSpin")
    iterations.setFocus()
    qtbot.waitUntil(iterations.hasFocus, timeout=2000)
    iterations.selectAll()
    qtbot.keyClicks(iterations, "1000000")
    qtbot.keyClick(iterations, Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: window.is_training, timeout=5000)
    assert not takes_typing(focused(window)), f"focus fell into {focused(window).objectName()}"
    qtbot.keyClick(focused(window), Qt.Key_Space)
    qtbot.waitUntil(lambda: window.controller.latest.paused, timeout=60_000)  # after any first compile
    assert window.controller.is_paused, "Space after Ctrl+Return pauses"
    assert window.run.target_iterations == 1_000_000
    assert (iterations.text(), seed.text(), rate.text()) == ("1,000,000", "1", "1.0000"), "no field is blanked"
    qtbot.keyClick(focused(window), Qt.Key_Space)
    assert not window.controller.is_paused, "and Space resumes"
    click(qtbot, window, "stopButton")
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)


def test_a_field_the_user_chose_keeps_the_focus_through_a_run(qtbot, window):
    window.activateWindow()
    query = find(window, QLineEdit, "queryInput")
    query.setFocus()
    qtbot.waitUntil(query.hasFocus, timeout=2000)
    click(qtbot, window, "trainButton")  # a click on Train does not take the focus from the field
    qtbot.waitUntil(lambda: not window.is_training, timeout=60_000)
    assert QApplication.focusWidget() is query, "an enabled field the user chose keeps the focus"
