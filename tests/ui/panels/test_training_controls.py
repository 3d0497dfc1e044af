"""Pause, Step, Reset, Continue, speed and the live views, driven through the real window.

Every trajectory is checked bit for bit (``np.array_equal``) against an uninterrupted run of the readable
reference in ``core/lesson.py`` (not the kernel the window runs).
"""

from __future__ import annotations

import functools

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QTableView,
)

from neuron_gui.core.lesson import (
    LESSON_X,
    LESSON_Y,
    initial_weights,
    reference_weights,
    sigmoid,
    train_reference,
    weighted_sum,
)
from neuron_gui.core.pace import WATCHING_PACE
from neuron_gui.ui.panels.training_controls import SPEEDS
from tests.ui.window_helpers import click, find


@functools.cache
def _reference(iterations: int) -> np.ndarray:
    return reference_weights(LESSON_X, LESSON_Y, initial_weights(1, 3), iterations)


def uninterrupted(iterations: int) -> np.ndarray:
    """The lesson's weights after ``iterations``, by the reference (computed once per size that a test
    needs: 10,000 iterations take 0.2 s)."""
    size = 10_000 if iterations <= 10_000 else iterations
    return _reference(size)[iterations].copy()


def set_speed(window, speed):
    find(window, QSlider, "speedSlider").setValue(SPEEDS.index(speed))


def wait_paused_at(qtbot, window, iteration=None, timeout=10000):
    """Until the worker reports the paused state (at ``iteration`` if given); returns that iteration."""
    def done():
        p = window.controller.latest
        return window.controller.is_paused and p.paused and (iteration is None or p.iteration == iteration)

    qtbot.waitUntil(done, timeout=timeout)
    at = window.controller.latest.iteration
    qtbot.waitUntil(lambda: window.current_iteration() == at, timeout=timeout)  # the views show that state
    return at


def shown_weights(window) -> np.ndarray:
    return window.current_weights()


def test_pause_in_the_middle_of_150000_iterations_ends_on_the_uninterrupted_weights(qtbot, window):
    find(window, QSpinBox, "iterationsSpin").setValue(150_000)
    set_speed(window, 100_000)  # slow enough to pause in the middle every time
    click(qtbot, window, "trainButton")
    qtbot.waitUntil(lambda: window.controller.latest.iteration > 20_000, timeout=20000)
    click(qtbot, window, "pauseButton")
    paused_at = wait_paused_at(qtbot, window)
    assert 20_000 < paused_at < 150_000
    pause = find(window, QPushButton, "pauseButton")
    assert pause.text() == "Resume" and pause.isChecked()
    assert window.is_training and not find(window, QPushButton, "trainButton").isEnabled()
    assert "paused" in find(window, QLabel, "statusLabel").text()
    # a paused run does not move: one Step later it is exactly one iteration on (no sleep to prove it)
    click(qtbot, window, "stepButton")
    assert wait_paused_at(qtbot, window, paused_at + 1) == paused_at + 1
    set_speed(window, None)
    click(qtbot, window, "pauseButton")
    qtbot.waitUntil(lambda: not window.is_training, timeout=20000)
    assert window.run.iteration == 150_000
    assert np.array_equal(window.run.weights, uninterrupted(150_000))


def test_stepping_k_times_equals_k_iterations_and_every_view_shows_that_state(qtbot, window):
    for _ in range(5):
        click(qtbot, window, "stepButton")  # the first starts the run paused
    wait_paused_at(qtbot, window, 5)
    expected = train_reference(LESSON_X, LESSON_Y, initial_weights(1, 3), 5)
    assert np.array_equal(shown_weights(window), expected)
    assert window.is_training and not find(window, QPushButton, "trainButton").isEnabled()
    status = find(window, QLabel, "statusLabel").text()
    assert status.startswith("iteration 5 of 10,000") and "paused" in status
    # the live columns and the diagram show exactly that state
    live = window.model.live_values()
    outputs = sigmoid(weighted_sum(LESSON_X, expected))
    assert np.array_equal(live[:, 0], outputs) and np.array_equal(live[:, 1], LESSON_Y - outputs)
    table = find(window, QTableView, "examplesTable")
    assert table.model().headerData(4, Qt.Horizontal) == "output"
    assert table.model().data(table.model().index(1, 4)) == f"{outputs[1]:.4f}"
    assert not table.model().flags(table.model().index(1, 4)) & Qt.ItemIsEditable
    assert np.array_equal(window.diagram.synapse_values(), expected)

    combo = find(window, QComboBox, "stepsPerClickCombo")
    combo.setCurrentIndex(combo.findData(100))
    assert find(window, QPushButton, "stepButton").text() == "Step 100"
    click(qtbot, window, "stepButton")
    wait_paused_at(qtbot, window, 105)
    assert np.array_equal(shown_weights(window), uninterrupted(105))
    click(qtbot, window, "pauseButton")  # resume to the end
    qtbot.waitUntil(lambda: not window.is_training, timeout=20000)
    assert np.array_equal(window.run.weights, uninterrupted(10_000))


def test_step_while_running_pauses_then_steps_exactly(qtbot, window):
    find(window, QSpinBox, "iterationsSpin").setValue(50_000_000)
    set_speed(window, 10_000)
    click(qtbot, window, "trainButton")
    qtbot.waitUntil(lambda: window.controller.latest.iteration > 100, timeout=10000)
    click(qtbot, window, "stepButton")
    at = wait_paused_at(qtbot, window)
    click(qtbot, window, "stepButton")
    wait_paused_at(qtbot, window, at + 1)
    assert np.array_equal(shown_weights(window), uninterrupted(at + 1))


def test_learning_rate_change_takes_effect_from_the_next_iteration(qtbot, window):
    click(qtbot, window, "stepButton")
    click(qtbot, window, "stepButton")
    click(qtbot, window, "stepButton")
    wait_paused_at(qtbot, window, 3)
    rate = find(window, QDoubleSpinBox, "learningRateSpin")
    rate.setValue(0.5)
    click(qtbot, window, "stepButton")
    click(qtbot, window, "stepButton")
    wait_paused_at(qtbot, window, 5)
    w3 = train_reference(LESSON_X, LESSON_Y, initial_weights(1, 3), 3)
    assert np.array_equal(shown_weights(window), train_reference(LESSON_X, LESSON_Y, w3, 2, learning_rate=0.5))
    assert window.run.history.learning_rates == [(0, 1.0), (3, 0.5)]


def test_learning_rate_change_in_slow_motion_is_recorded_where_it_took_effect(qtbot, window):
    set_speed(window, 5)  # 0.2 s an iteration: the display can lag the worker by one at most
    click(qtbot, window, "trainButton")
    qtbot.waitUntil(lambda: window.controller.latest.iteration >= 2, timeout=10000)
    shown = window.controller.latest.iteration
    find(window, QDoubleSpinBox, "learningRateSpin").setValue(2.0)
    qtbot.waitUntil(lambda: window.controller.latest.iteration >= shown + 3, timeout=10000)
    click(qtbot, window, "stopButton")
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)
    (_, first), (changed_at, second) = window.run.history.learning_rates
    assert (first, second) == (1.0, 2.0)
    assert shown <= changed_at <= shown + 2, "from the next iteration, not a chunk later"
    before = train_reference(LESSON_X, LESSON_Y, initial_weights(1, 3), changed_at)
    after = train_reference(LESSON_X, LESSON_Y, before, window.run.iteration - changed_at, learning_rate=2.0)
    assert np.array_equal(window.run.weights, after)


def test_slow_motion_runs_slowly(qtbot, window):
    set_speed(window, 5)
    assert find(window, QLabel, "speedLabel").text() == "5 it/s"
    seen = []
    window.controller.progressed.connect(lambda p: seen.append((p.iteration, p.elapsed)))
    click(qtbot, window, "trainButton")
    qtbot.waitUntil(lambda: len([s for s in seen if s[0] >= 1]) >= 3, timeout=10000)
    # by the worker's own clock, however busy the machine: never faster than 5 a second (plus the first)
    assert all(iteration <= 1 + 5 * elapsed * 1.05 for iteration, elapsed in seen), seen
    set_speed(window, None)  # full speed takes effect at once
    qtbot.waitUntil(lambda: not window.is_training, timeout=20000)
    assert np.array_equal(window.run.weights, uninterrupted(10_000))


def test_reset_restores_the_seeded_weights_empties_the_plots_and_unlocks_the_table(qtbot, window):
    find(window, QSpinBox, "seedSpin").setValue(7)
    click(qtbot, window, "trainButton")
    qtbot.waitUntil(lambda: not window.is_training, timeout=20000)
    click(qtbot, window, "resetButton")
    w0 = initial_weights(7, 3)
    assert np.array_equal(window.run.weights, w0) and window.run.iteration == 0
    for name in ("weightsPlot", "errorPlot"):
        for curve in find(window, pg.PlotWidget, name).plotItem.listDataItems():
            assert list(curve.getData()[0]) == [0], "only the initial state is left"
    assert np.array_equal(window.diagram.synapse_values(), w0)
    assert np.array_equal(window.model.live_values()[:, 0], sigmoid(LESSON_X @ w0))
    assert find(window, QLabel, "statusLabel").text().startswith("iteration 0 of 10,000")
    assert window.model.n_examples == 4, "the table is kept"
    assert not find(window, QPushButton, "resetButton").isEnabled()


def test_reset_while_paused_stops_the_run_and_unlocks_the_table(qtbot, window):
    table = find(window, QTableView, "examplesTable")
    model = table.model()
    click(qtbot, window, "stepButton")
    wait_paused_at(qtbot, window, 1)
    assert not model.flags(model.index(0, 0)) & Qt.ItemIsEditable, "a paused run keeps the table locked"
    hint = find(window, QLabel, "examplesMessage")
    assert hint.isVisible() and "paused" in hint.text().lower() and "Reset" in hint.text()
    click(qtbot, window, "resetButton")
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)
    assert window.run.iteration == 0 and np.array_equal(window.run.weights, initial_weights(1, 3))
    assert model.flags(model.index(0, 0)) & Qt.ItemIsEditable
    assert not hint.isVisible()
    assert find(window, QPushButton, "trainButton").isEnabled()


def test_continue_trains_more_from_the_current_weights(qtbot, window):
    click(qtbot, window, "trainButton")
    qtbot.waitUntil(lambda: not window.is_training, timeout=20000)
    find(window, QSpinBox, "continueSpin").setValue(5_000)
    click(qtbot, window, "continueButton")
    qtbot.waitUntil(lambda: not window.is_training, timeout=20000)
    assert window.run.iteration == 15_000
    assert np.array_equal(window.run.weights, uninterrupted(15_000))
    assert find(window, QLabel, "statusLabel").text().startswith("iteration 15,000 of 15,000")
    curve = find(window, pg.PlotWidget, "weightsPlot").plotItem.listDataItems()[0]
    # the plots follow at the frame rate: the finished run's last frame may come one tick after the status
    qtbot.waitUntil(lambda: curve.getData()[0][-1] == 15_000, timeout=5000)
    x = curve.getData()[0]
    assert x[0] == 0 and x[-1] == 15_000, "the plots hold the whole run"


def test_step_after_the_end_continues_paused(qtbot, window):
    click(qtbot, window, "trainButton")
    qtbot.waitUntil(lambda: not window.is_training, timeout=20000)
    click(qtbot, window, "stepButton")
    wait_paused_at(qtbot, window, 10_001)
    assert np.array_equal(shown_weights(window), uninterrupted(10_001))
    assert find(window, QLabel, "statusLabel").text().startswith("iteration 10,001 of 20,000")
    click(qtbot, window, "stopButton")
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)
    assert window.run.iteration == 10_001


def test_keyboard_shortcuts_trigger_the_actions(qtbot, window):
    actions = {a.objectName(): a for a in window.menus["Training"].actions()}
    assert "(Space)" in actions["pauseAction"].toolTip()
    assert "Right" in actions["stepAction"].toolTip() and "Ctrl+." in actions["stepAction"].toolTip()
    assert "(Ctrl+R)" in actions["resetAction"].toolTip()
    assert "(Esc)" in actions["stopAction"].toolTip()
    assert "Ctrl+Return" in actions["trainAction"].toolTip()
    plot = find(window, pg.PlotWidget, "weightsPlot")
    plot.setFocus()
    qtbot.keyClick(plot, Qt.Key_Right)  # Step starts a paused run
    wait_paused_at(qtbot, window, 1)
    qtbot.keyClick(plot, Qt.Key_Period, Qt.ControlModifier)
    wait_paused_at(qtbot, window, 2)
    assert np.array_equal(shown_weights(window), uninterrupted(2))
    set_speed(window, 2)
    qtbot.keyClick(plot, Qt.Key_Space)  # resume
    assert not window.controller.is_paused
    qtbot.keyClick(plot, Qt.Key_Space)  # pause again
    at = wait_paused_at(qtbot, window)
    assert np.array_equal(shown_weights(window), uninterrupted(at))
    qtbot.keyClick(plot, Qt.Key_R, Qt.ControlModifier)  # reset
    qtbot.waitUntil(lambda: not window.is_training and window.run.iteration == 0, timeout=5000)
    qtbot.keyClick(plot, Qt.Key_Return, Qt.ControlModifier)  # train
    assert window.is_training
    qtbot.keyClick(plot, Qt.Key_Escape)
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)
    assert window.run.iteration < 10_000, "stopped in slow motion"


def test_space_and_right_leave_the_table_and_text_fields_alone(qtbot, window):
    table = find(window, QTableView, "examplesTable")
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key_Right)
    assert table.currentIndex().column() == 1, "Right moves the cell cursor"
    assert not window.is_training, "and does not step"
    query = find(window, QLineEdit, "queryInput")
    query.setFocus()
    query.setCursorPosition(0)
    qtbot.keyClick(query, Qt.Key_Right)
    qtbot.keyClick(query, Qt.Key_Space)
    assert query.text() == "1 , 0, 0" and not window.is_training
    qtbot.keyClick(query, Qt.Key_Period, Qt.ControlModifier)  # a chord is always the shortcut
    wait_paused_at(qtbot, window, 1)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key_Space)  # the table is locked: Space resumes
    assert not window.controller.is_paused
    qtbot.keyClick(table, Qt.Key_Escape)
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)


def test_the_diagram_shows_the_weights_and_hovering_reads_them_live(qtbot, window):
    diagram = window.diagram
    assert diagram.objectName() == "networkDiagram"
    assert np.array_equal(diagram.synapse_values(), initial_weights(1, 3))
    click(qtbot, window, "stepButton")
    wait_paused_at(qtbot, window, 1)
    w1 = shown_weights(window)
    assert np.array_equal(diagram.synapse_values(), w1)
    qtbot.mouseMove(diagram, diagram.synapse_midpoint(2))
    qtbot.waitUntil(lambda: diagram.hovered is not None)
    assert diagram.hovered.kind == "synapse" and diagram.hovered.index == 2
    assert f"w3 (x3 → neuron) = {float(w1[2])!r}" in diagram.hover_text()
    click(qtbot, window, "stepButton")
    wait_paused_at(qtbot, window, 2)
    w2 = shown_weights(window)
    assert f"= {float(w2[2])!r}" in diagram.hover_text(), "the readout keeps up while hovered"
    click(qtbot, window, "stopButton")
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)


def test_plot_hover_reads_the_iteration_and_values_under_the_cursor(qtbot, window):
    combo = find(window, QComboBox, "stepsPerClickCombo")
    combo.setCurrentIndex(combo.findData(10))
    click(qtbot, window, "stepButton")
    wait_paused_at(qtbot, window, 10)
    plot = find(window, pg.PlotWidget, "weightsPlot")
    vb = plot.plotItem.vb
    at = plot.mapFromScene(vb.mapViewToScene(QPointF(4.2, 0.0)))
    qtbot.mouseMove(plot.viewport(), at)
    qtbot.waitUntil(lambda: plot.hover_label.isVisible(), timeout=2000)
    w4 = train_reference(LESSON_X, LESSON_Y, initial_weights(1, 3), 4)
    text = plot.hover_label.toPlainText()
    assert text.splitlines()[0] == "iteration 4"
    assert f"x1 = {w4[0]:.8g}" in text and f"x3 = {w4[2]:.8g}" in text
    click(qtbot, window, "stopButton")
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)


def test_a_zoomed_plot_stops_following_until_asked(qtbot, window):
    click(qtbot, window, "trainButton")
    qtbot.waitUntil(lambda: not window.is_training, timeout=20000)
    plot = find(window, pg.PlotWidget, "weightsPlot")
    assert plot.plotItem.vb.viewRange()[0][1] == pytest.approx(10_000)
    centre = plot.viewport().rect().center()
    wheel = QWheelEvent(QPointF(centre), QPointF(plot.viewport().mapToGlobal(centre)), QPoint(0, 0),
                        QPoint(0, 240), Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(plot.viewport(), wheel)
    assert not plot.following
    zoomed = plot.plotItem.vb.viewRange()[0]
    find(window, QSpinBox, "continueSpin").setValue(10_000)
    click(qtbot, window, "continueButton")
    qtbot.waitUntil(lambda: not window.is_training, timeout=20000)
    assert plot.plotItem.vb.viewRange()[0] == pytest.approx(zoomed), "the user's zoom is kept"
    button = plot.plotItem.autoBtn
    qtbot.mouseMove(plot.viewport(), centre)  # pyqtgraph shows its "A" button while the mouse is over the plot
    qtbot.waitUntil(button.isVisible, timeout=2000)
    qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=plot.mapFromScene(button.sceneBoundingRect().center()))
    assert plot.following
    assert plot.plotItem.vb.viewRange()[0][1] == pytest.approx(20_000)


def test_after_clicking_train_space_pauses_and_resumes(qtbot, window):
    find(window, QSpinBox, "iterationsSpin").setValue(50_000_000)
    set_speed(window, 1_000)
    click(qtbot, window, "trainButton")
    focus = QApplication.focusWidget() or window
    qtbot.keyClick(focus, Qt.Key_Space)
    at = wait_paused_at(qtbot, window)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key_Space)
    assert not window.controller.is_paused, "Space resumed: no button took it as a click"
    qtbot.waitUntil(lambda: window.controller.latest.iteration > at, timeout=5000)
    click(qtbot, window, "stopButton")
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)


def test_bracket_keys_change_the_speed(qtbot, window):
    slider = find(window, QSlider, "speedSlider")
    plot = find(window, pg.PlotWidget, "weightsPlot")
    plot.setFocus()
    assert find(window, QLabel, "speedLabel").text() == "full speed"
    qtbot.keyClicks(plot, "[")
    assert window.controller.speed == WATCHING_PACE, "the watching pace is next to full speed"
    assert find(window, QLabel, "speedLabel").text() == "run in 4 s"
    qtbot.keyClicks(plot, "[")
    assert SPEEDS[slider.value()] == 100_000 and window.controller.speed == 100_000
    assert find(window, QLabel, "speedLabel").text() == "100,000 it/s"
    qtbot.keyClicks(plot, "]]")
    assert window.controller.speed is None


def test_a_diverged_run_can_only_be_reset(qtbot, window, monkeypatch):
    from neuron_gui.core import training

    real_step = training.Run.step

    def diverging_step(self, n):  # within the table's limits a real run saturates before it overflows
        done = real_step(self, min(n, 3))
        self.diverged = True
        return done

    monkeypatch.setattr(training.Run, "step", diverging_step)
    click(qtbot, window, "trainButton")
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)
    assert window.run.diverged
    for name in ("stepButton", "continueButton", "pauseButton"):
        assert not find(window, QPushButton, name).isEnabled(), name
    window.steering.step()  # the key, in case: refused with the way out
    assert not window.is_training and "Reset" in find(window, QLabel, "trainingMessage").text()
    click(qtbot, window, "resetButton")
    assert not window.run.diverged and window.run.iteration == 0
    assert find(window, QPushButton, "stepButton").isEnabled()
