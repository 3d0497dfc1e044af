"""The insight views, driven through the real window, checked against the recorded run's numbers:
replay shows iteration k everywhere, the update written out is the step between consecutive records,
the contributions add up to the prediction, the error surface at the path is the recorded error."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QTableView,
    QToolButton,
    QWidget,
)

from neuron_gui.core.examples import Examples
from neuron_gui.core.history import History
from neuron_gui.core.lesson import LESSON_X, LESSON_Y, initial_weights, sigmoid, train_reference, weighted_sum
from neuron_gui.core.training import Run, Settings
from tests.conftest import _qt_threads
from tests.ui.window_helpers import click, find


def train(qtbot, window, iterations=300, seed=1, rate=1.0):
    find(window, QSpinBox, "iterationsSpin").setValue(iterations)
    find(window, QSpinBox, "seedSpin").setValue(seed)
    window.training_panel.learning_rate.setValue(rate)
    click(qtbot, window, "trainButton")
    qtbot.waitUntil(lambda: not window.is_training, timeout=20000)
    return window.run.history.exact_records()


def show_dock(qtbot, window, name):
    dock = window.docks[name]
    dock.show()
    dock.raise_()
    view = dock.widget()
    if view in (window.insight.update_panel, window.insight.contributions, window.insight.surface):
        qtbot.waitUntil(lambda: window.insight.is_on_screen(view), timeout=2000)
    else:
        qtbot.waitUntil(view.isVisible, timeout=2000)


def scrub(window, k):
    """What dragging the timeline to ``k`` does."""
    find(window, QSlider, "replaySlider").setValue(k)


def test_scrubbing_to_k_shows_the_state_recorded_at_k_in_every_view(qtbot, window):
    records = train(qtbot, window, 300)
    find(window, QLineEdit, "queryInput").setText("1, 1, 0")
    show_dock(qtbot, window, "updateDock")
    slider = find(window, QSlider, "replaySlider")
    assert (slider.minimum(), slider.maximum(), slider.value()) == (0, 300, 300)
    k = 123
    scrub(window, k)
    w, e = records.weights[k], records.errors[k]
    assert np.array_equal(window.current_weights(), w) and window.current_iteration() == k
    assert find(window, QLabel, "replayLabel").text() == "iteration 123 of 300"
    # the cursor on the weights and error plots, with a dot at each exact value
    cursor, error_cursor = window.insight.weights_cursor, window.insight.error_cursor
    assert cursor.line.value() == k and cursor.iteration == k and error_cursor.line.value() == k
    assert np.array_equal(cursor.dot_values(), w) and np.array_equal(error_cursor.dot_values(), [e])
    # the examples on the sigmoid, the network diagram, the live columns, the prediction
    z = weighted_sum(LESSON_X, w)
    shown, xs, ys = window.sigmoid_plot.shown_points()
    assert np.array_equal(shown, np.arange(4)) and np.array_equal(xs, z) and np.array_equal(ys, sigmoid(z))
    assert np.array_equal(window.diagram.synapse_values(), w)
    live = window.model.live_values()
    assert np.array_equal(live[:, 0], sigmoid(z)) and np.array_equal(live[:, 1], LESSON_Y - sigmoid(z))
    q = np.array([1.0, 1.0, 0.0])
    assert find(window, QLabel, "predictionLabel").text() == f"{float(sigmoid(q @ w)):.8f}"
    assert "replay" in find(window, QLabel, "predictionCaption").text()
    # the update panel: the update that takes k to k + 1
    panel = window.insight.update_panel
    assert panel.breakdown.iteration == k and np.array_equal(panel.breakdown.weights, w)
    assert "Update from iteration 123 to 124" in find(window, QLabel, "updateTitle").text()
    # why this prediction, and the error surface, at k too
    show_dock(qtbot, window, "contributionsDock")
    c = window.insight.contributions.shown
    assert np.array_equal(c.terms, q * w) and f"{c.prediction:.8f}" == f"{float(sigmoid(q @ w)):.8f}"
    assert "at iteration 123 (replay)" in find(window, QLabel, "contributionsEquation").text()
    show_dock(qtbot, window, "errorSurfaceDock")
    view = window.insight.surface
    qtbot.waitUntil(lambda: view.result is not None and view.result.request.iteration == k, timeout=10000)
    assert view.result.at_weights == e and np.array_equal(view.result.request.weights, w)
    # back to live: the latest state, no cursor
    click(qtbot, window, "replayLiveButton")
    assert window.current_iteration() == 300 and cursor.iteration is None and not cursor.dot_values().size
    assert np.array_equal(window.diagram.synapse_values(), records.weights[-1])
    assert not find(window, QPushButton, "replayLiveButton").isEnabled()


def test_the_update_written_out_is_the_step_between_consecutive_records(qtbot, window):
    records = train(qtbot, window, 200, rate=0.5)
    show_dock(qtbot, window, "updateDock")
    panel = window.insight.update_panel
    for k in (0, 1, 57, 199):
        scrub(window, k)
        b = panel.breakdown
        assert b.iteration == k and b.learning_rate == 0.5
        assert np.array_equal(b.new_weights, records.weights[k + 1]), "the new values are the next record"
        assert np.allclose(0.5 * b.adjustment, records.weights[k + 1] - records.weights[k], rtol=1e-12, atol=0)
        # what the table and the formula lines show, to their digits
        table = find(window, QTableView, "updateExamplesTable").model()
        assert table.columnCount() == 4 and table.rowCount() == 6
        assert table.value(0, 2) == b.z[2] and table.value(5, 3) == b.delta[3]
        assert np.allclose(b.delta, (LESSON_Y - b.out) * b.out * (1 - b.out), rtol=1e-14)
        new_w1 = find(window, QLabel, "updateWeight0_5").text()
        assert new_w1.replace("\u2212", "-") == f"{b.new_weights[0]:.{len(new_w1.split('.')[1])}f}"
        assert repr(float(b.new_weights[0])) in find(window, QLabel, "updateWeight0").toolTip()
    assert "as recorded" in find(window, QLabel, "updateTitle").text()


def test_the_update_uses_the_learning_rate_in_force_at_its_iteration(qtbot, window):
    show_dock(qtbot, window, "updateDock")
    for _ in range(3):
        click(qtbot, window, "stepButton")
    qtbot.waitUntil(lambda: window.controller.is_paused and window.controller.latest.iteration == 3
                    and window.controller.latest.paused, timeout=10000)
    window.training_panel.learning_rate.setValue(0.5)  # from the next iteration on
    click(qtbot, window, "stepButton")
    click(qtbot, window, "stepButton")
    qtbot.waitUntil(lambda: window.controller.latest.iteration == 5 and window.controller.latest.paused,
                    timeout=10000)
    window.stop()
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)
    records = window.run.history.exact_records()
    panel = window.insight.update_panel
    for k, rate in ((2, 1.0), (3, 0.5), (4, 0.5)):
        scrub(window, k)
        assert panel.breakdown.learning_rate == rate, k
        assert np.array_equal(panel.breakdown.new_weights, records.weights[k + 1]), k
    assert "η = 0.5" in find(window, QLabel, "updateTitle").text()
    assert "η·Σ" in find(window, QLabel, "updateWeightsTitle").text()


def test_each_step_moves_the_update_panel_one_iteration(qtbot, window):
    show_dock(qtbot, window, "updateDock")
    panel = window.insight.update_panel
    predicted = None
    for k in range(1, 4):
        click(qtbot, window, "stepButton")
        qtbot.waitUntil(lambda k=k: window.controller.is_paused and window.controller.latest.iteration == k
                        and window.controller.latest.paused, timeout=10000)
        qtbot.waitUntil(lambda k=k: panel.breakdown is not None and panel.breakdown.iteration == k, timeout=2000)
        w = train_reference(LESSON_X, LESSON_Y, initial_weights(1, 3), k)
        assert np.array_equal(panel.breakdown.weights, w)
        if predicted is not None:
            assert np.array_equal(predicted, w), "the next update shown is the one Step then makes"
        predicted = panel.breakdown.new_weights
        assert "not made yet" in find(window, QLabel, "updateTitle").text()
    window.stop()
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)


def test_why_this_prediction_adds_up_to_the_prediction(qtbot, window):
    train(qtbot, window, 10_000)
    show_dock(qtbot, window, "contributionsDock")
    find(window, QLineEdit, "queryInput").setText("1, 1, 0")
    panel = find(window, QWidget, "contributionsPanel")
    c = panel.shown
    w = window.run.weights
    assert np.array_equal(c.terms, np.array([1.0, 1.0, 0.0]) * w)
    assert c.z == pytest.approx(float(c.terms.sum()), abs=1e-14) and c.z == window.diagram.z()
    assert c.prediction == pytest.approx(float(sigmoid(c.z)), abs=1e-16)
    assert find(window, QLabel, "predictionLabel").text() == f"{c.prediction:.8f}"
    assert f"{c.prediction:.8f}" in find(window, QLabel, "contributionsEquation").text()
    heights = panel.bars.opts["height"]
    assert np.array_equal(heights[:3], c.terms) and heights[3] == c.z
    brushes = panel.bars.opts["brushes"]
    assert brushes[0].style() != brushes[1].style(), "a negative term is hatched, not only another colour"
    # a query that cannot be read: a message, no stale numbers
    find(window, QLineEdit, "queryInput").setText("1, x")
    assert panel.shown is None and "valid query" in find(window, QLabel, "contributionsEquation").text()


def test_the_surface_at_the_path_is_the_recorded_error(qtbot, window):
    records = train(qtbot, window, 400)
    show_dock(qtbot, window, "errorSurfaceDock")
    view = window.insight.surface
    a, b = find(window, QComboBox, "surfaceWeightA"), find(window, QComboBox, "surfaceWeightB")
    assert (a.currentIndex(), b.currentIndex()) == (0, 2), "w1 and w3 at first: the lesson's two that move"
    for k, pair in ((37, (0, 2)), (37, (1, 0)), (400, (1, 2))):
        scrub(window, k)
        a.setCurrentIndex(pair[0])
        b.setCurrentIndex(pair[1])
        assert view.pair == pair
        qtbot.waitUntil(lambda k=k, pair=pair: view.result is not None and view.result.request.iteration == k
                        and (view.result.request.i, view.result.request.j) == pair, timeout=10000)
        r = view.result
        w = records.weights[k]
        assert r.request.a_values[r.request.a_index] == w[pair[0]]
        assert r.request.b_values[r.request.b_index] == w[pair[1]]
        assert r.at_weights == records.errors[k], "computed exactly as the run records its error"
        assert np.all(np.isfinite(r.grid)) and r.grid.shape == (len(r.request.a_values), len(r.request.b_values))
        assert np.allclose(view.current.getData()[0], [w[pair[0]]]) and np.allclose(view.current.getData()[1],
                                                                                      [w[pair[1]]])
        assert len(r.contours) > 0
    # the same weight twice: the two swap instead
    a.setCurrentIndex(2)
    assert view.pair == (2, 1)


def test_replay_of_a_thinned_history_gives_the_exact_weights(qtbot, window):
    run = Run(Examples.lesson(), Settings(iterations=5000), History(3, capacity=64))
    run.step(5000)
    assert run.history.width > 1, "the history has thinned itself"
    window.show_run(run)
    show_dock(qtbot, window, "updateDock")
    slider = find(window, QSlider, "replaySlider")
    assert (slider.minimum(), slider.maximum()) == (0, 5000)
    w0 = initial_weights(1, 3)
    for k in (1, 77, 2049, 4999):
        scrub(window, k)
        expected = train_reference(LESSON_X, LESSON_Y, w0, k)
        assert np.array_equal(window.current_weights(), expected), k
        assert np.array_equal(window.diagram.synapse_values(), expected)
        assert np.array_equal(window.insight.update_panel.breakdown.new_weights,
                              train_reference(LESSON_X, LESSON_Y, expected, 1))
    click(qtbot, window, "replayPreviousButton", QToolButton)
    assert window.current_iteration() == 4998
    click(qtbot, window, "replayNextButton", QToolButton)
    click(qtbot, window, "replayNextButton", QToolButton)
    assert window.current_iteration() == 5000 and window.replay.iteration is None, "the end is live again"


def test_the_run_keeps_recording_while_the_user_scrubs(qtbot, window):
    find(window, QSpinBox, "iterationsSpin").setValue(50_000_000)
    find(window, QSlider, "speedSlider").setValue(7)  # 1,000 it/s: slow enough to scrub in the middle
    click(qtbot, window, "trainButton")
    slider = find(window, QSlider, "replaySlider")
    # (the timeline follows a moving run a few times a second: it can be dragged as far as it shows)
    qtbot.waitUntil(lambda: window.run.iteration > 100 and slider.maximum() > 40, timeout=10000)
    scrub(window, 40)
    at = window.run.iteration
    qtbot.waitUntil(lambda: window.run.iteration > at + 50 and slider.maximum() > at + 50, timeout=10000)
    assert window.current_iteration() == 40 and slider.value() == 40
    assert np.array_equal(window.current_weights(), train_reference(LESSON_X, LESSON_Y, initial_weights(1, 3), 40))
    assert window.is_training
    click(qtbot, window, "replayLiveButton")
    qtbot.waitUntil(lambda: window.current_iteration() > at + 50, timeout=5000)
    window.stop()
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)


def test_play_back_the_run_and_catch_up_with_it(qtbot, window):
    train(qtbot, window, 300)
    replay = window.replay
    scrub(window, 10)
    speed = find(window, QComboBox, "replaySpeedCombo")
    speed.setCurrentIndex(speed.findData(100))
    click(qtbot, window, "replayPlayButton")
    assert replay.playing and find(window, QPushButton, "replayPlayButton").text() == "Pause"
    replay._play_timer.stop()  # drive it by hand: no timing in a test
    replay.advance_playback(0.5)
    assert window.current_iteration() == 60
    replay.advance_playback(10.0)
    assert window.replay.iteration is None and not replay.playing, "caught up: live again"
    assert window.current_iteration() == 300
    # played from the end, it starts again from the beginning, and the timer moves it on by itself
    speed.setCurrentIndex(speed.findData(1_000_000))
    click(qtbot, window, "replayPlayButton")
    qtbot.waitUntil(lambda: not replay.playing, timeout=5000)
    assert window.current_iteration() == 300


def test_keep_runs_to_compare_show_hide_rename_remove(qtbot, window):
    keep = find(window, QPushButton, "keepRunButton")
    assert not keep.isEnabled(), "nothing trained yet"
    first = train(qtbot, window, 2000)
    show_dock(qtbot, window, "runsDock")
    click(qtbot, window, "keepRunButton")
    assert not keep.isEnabled(), "the same run once"
    train(qtbot, window, 2000, seed=2, rate=0.5)
    click(qtbot, window, "keepRunButton")
    table = find(window, QTableView, "keptRunsTable")
    model = table.model()
    rows = [[model.data(model.index(r, c)) for c in range(6)] for r in range(model.rowCount())]
    assert [r[:4] for r in rows] == [["Run 1", "1", "1", "2,000"], ["Run 2", "2", "0.5", "2,000"]]
    assert rows[0][5] == rows[1][5] == "lesson", "the same data reads the same"
    weights_plot = find(window, pg.PlotWidget, "weightsPlot")
    overlays = window.insight.runs.overlays.items
    curves, error_curve, _ = overlays[1]
    assert all(c in weights_plot.plotItem.listDataItems() for c in curves) and len(curves) == 3
    x, y = curves[0].getData()
    assert x[-1] == 2000 and y[-1] == first.weights[-1][0], "the kept run's own curve, to its last weight"
    assert curves[0].opts["pen"].style() == Qt.CustomDashLine
    assert overlays[1][1].opts["pen"].dashPattern() != overlays[2][1].opts["pen"].dashPattern()
    legend = [item[1].text for item in find(window, pg.PlotWidget, "errorPlot").plotItem.legend.items]
    assert "Run 1 (kept)" in legend and "Run 2 (kept)" in legend
    # hide, rename, remove
    table.setFocus()
    table.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(table, Qt.Key_Space)  # the check box of run 1
    assert model.data(model.index(0, 0), Qt.CheckStateRole) == Qt.Unchecked
    assert not any(c.isVisible() for c in curves) and not error_curve.isVisible()
    table.setCurrentIndex(model.index(1, 0))
    table.edit(model.index(1, 0))
    editor = table.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "slower rate")
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: model.data(model.index(1, 0)) == "slower rate", timeout=2000)
    legend = [item[1].text for item in find(window, pg.PlotWidget, "errorPlot").plotItem.legend.items]
    assert "slower rate (kept)" in legend
    table.selectRow(0)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key_Delete)
    assert model.rowCount() == 1 and 1 not in overlays
    assert all(c not in weights_plot.plotItem.listDataItems() for c in curves)


def test_the_lesson_preset_restores_table_and_settings_and_is_undoable(qtbot, window):
    model = window.model
    model.set_cells([(0, 0, 0.25), (1, 3, 0.0)], "edits")
    model.insert_input_column()
    find(window, QSpinBox, "seedSpin").setValue(7)
    find(window, QSpinBox, "iterationsSpin").setValue(500)
    window.training_panel.learning_rate.setValue(0.25)
    find(window, QLineEdit, "queryInput").setText("0, 1, 0, 1")
    edited = model.snapshot()
    find(window, QAction, "lessonPresetAction").trigger()
    lesson = Examples.lesson()
    now = model.snapshot()
    assert np.array_equal(now.X, lesson.X) and np.array_equal(now.y, lesson.y) and now.names == lesson.names
    tp = window.training_panel
    assert (tp.iterations.value(), tp.seed.value(), tp.learning_rate.value()) == (10_000, 1, 1.0)
    assert find(window, QLineEdit, "queryInput").text() == "1, 0, 0"
    assert find(window, QLabel, "predictionLabel").text() == "0.45860596"
    find(window, QAction, "undoAction").trigger()
    back = model.snapshot()
    assert np.array_equal(back.X, edited.X) and np.array_equal(back.y, edited.y)


def test_closing_the_window_joins_the_surface_thread(qtbot):
    from neuron_gui.ui import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    show_dock(qtbot, w, "errorSurfaceDock")
    qtbot.waitUntil(lambda: w.insight.surface.result is not None, timeout=10000)
    w.insight.surface.computer.submit(w.insight.surface._make_request(w.insight.surface._state))
    assert w.insight.surface.computer.busy
    w.close()
    assert not _qt_threads(), "closing joined the surface's thread at once"
