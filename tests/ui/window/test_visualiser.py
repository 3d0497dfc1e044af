"""The visualiser end to end, driven through the real window."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QProgressBar, QPushButton, QSpinBox, QTableView

from neuron_gui.core.lesson import LESSON_X, LESSON_Y, initial_weights, train_reference
from tests.ui.window_helpers import edit_cell, find, train_to_end

LESSON_WEIGHTS = [9.67299303, -0.2078435, -4.62963669]


def test_opens_with_the_lesson_and_its_untrained_prediction(window):
    model = find(window, QTableView, "examplesTable").model()
    headers = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
    assert headers == ["x1", "x2", "x3", "y", "output", "error"]  # then the live, read-only columns
    cells = [[float(model.data(model.index(r, c), Qt.EditRole)) for c in range(4)] for r in range(4)]
    assert np.array_equal(np.array(cells)[:, :3], LESSON_X)
    assert np.array_equal(np.array(cells)[:, 3], LESSON_Y)
    assert find(window, QSpinBox, "iterationsSpin").value() == 10_000
    assert find(window, QSpinBox, "seedSpin").value() == 1
    assert find(window, QLineEdit, "queryInput").text() == "1, 0, 0"
    assert find(window, QLabel, "predictionLabel").text() == "0.45860596"


def test_train_reproduces_the_lesson_and_plots_hold_the_run(qtbot, window):
    train_to_end(qtbot, window)
    assert find(window, QLabel, "predictionLabel").text() == "0.99993704"
    assert find(window, QPushButton, "trainButton").isEnabled()
    assert not find(window, QPushButton, "stopButton").isEnabled()
    assert find(window, QProgressBar, "trainingProgress").value() == 10_000
    weights_plot = find(window, pg.PlotWidget, "weightsPlot")
    curves = weights_plot.plotItem.listDataItems()
    assert len(curves) == 3
    ends = [c.getData()[1][-1] for c in curves]
    assert np.allclose(ends, LESSON_WEIGHTS, atol=5e-9)
    assert all(c.getData()[0][-1] == 10_000 for c in curves)
    error_curve = find(window, pg.PlotWidget, "errorPlot").plotItem.listDataItems()[0]
    x, y = error_curve.getOriginalDataset()
    assert x[0] == 0 and x[-1] == 10_000
    X, Y = LESSON_X, LESSON_Y
    first = np.mean((Y - 1 / (1 + np.exp(-(X @ initial_weights(1, 3))))) ** 2)
    assert y.max() == pytest.approx(first, rel=1e-12), "the first, largest error is drawn"
    assert y[-1] == pytest.approx(window.run.error, rel=1e-12) and y[-1] < 1e-4
    assert np.all(np.isfinite(y)) and np.all(np.diff(y[1:50:2]) < 0), "the error falls from the start"


def test_buttons_during_a_run_and_stop_keeps_the_weights_reached(qtbot, window):
    find(window, QSpinBox, "iterationsSpin").setValue(50_000_000)
    train, stop = find(window, QPushButton, "trainButton"), find(window, QPushButton, "stopButton")
    qtbot.mouseClick(train, Qt.LeftButton)
    assert window.is_training
    assert not train.isEnabled() and stop.isEnabled()
    qtbot.waitUntil(lambda: window.controller.latest.iteration > 10_000, timeout=10000)
    qtbot.mouseClick(stop, Qt.LeftButton)
    qtbot.waitUntil(lambda: not window.is_training, timeout=2000)
    assert train.isEnabled() and not stop.isEnabled()
    run = window.run
    assert 10_000 < run.iteration < 50_000_000
    expected = train_reference(LESSON_X, LESSON_Y, initial_weights(1, 3), run.iteration)
    assert np.array_equal(run.weights, expected)
    shown = float(find(window, QLabel, "predictionLabel").text())
    assert shown == pytest.approx(run.predict(np.array([1.0, 0, 0])), abs=5e-9)


def test_a_bad_cell_is_refused_with_a_reason_and_the_old_value_kept(qtbot, window):
    model = find(window, QTableView, "examplesTable").model()
    for text, reason in [("abc", "not a number"), ("nan", "NaN"), ("inf", "infinite"), ("", "empty")]:
        edit_cell(qtbot, window, 1, 0, text)
        assert model.data(model.index(1, 0), Qt.EditRole) == "1.0"
        message = find(window, QLabel, "examplesMessage")
        assert message.isVisible() and reason in message.text()
    edit_cell(qtbot, window, 0, 3, "1.5")
    assert model.data(model.index(0, 3), Qt.EditRole) == "0.0"
    assert "outside [0, 1]" in find(window, QLabel, "examplesMessage").text()
    assert not model.undo_stack.canUndo(), "a refused edit leaves nothing to undo"


def test_editing_a_target_changes_the_result(qtbot, window):
    edit_cell(qtbot, window, 2, 3, "0")  # now y follows x2, not x1
    edit_cell(qtbot, window, 3, 3, "1")
    model = find(window, QTableView, "examplesTable").model()
    assert model.data(model.index(2, 3), Qt.EditRole) == "0.0"
    train_to_end(qtbot, window)
    prediction = float(find(window, QLabel, "predictionLabel").text())
    X, y = LESSON_X, np.array([0, 1, 0, 1.0])
    w = train_reference(X, y, initial_weights(1, 3), 10_000)
    assert prediction == pytest.approx(1 / (1 + np.exp(-w[0])), abs=5e-9)
    assert prediction < 0.5, "x1 no longer predicts y, so [1, 0, 0] is no longer a yes"


def test_input_columns_follow_the_table(qtbot, window):
    model = find(window, QTableView, "examplesTable").model()
    qtbot.mouseClick(window.examples_panel.add_column, Qt.LeftButton)
    assert model.data_columns == 5 and model.columnCount() == 7
    assert find(window, QLineEdit, "queryInput").text() == "1, 0, 0, 0"
    train_to_end(qtbot, window)
    assert len(window.run.weights) == 4
    assert len(find(window, pg.PlotWidget, "weightsPlot").plotItem.listDataItems()) == 4
    qtbot.mouseClick(window.examples_panel.remove_column, Qt.LeftButton)
    qtbot.mouseClick(window.examples_panel.remove_column, Qt.LeftButton)
    assert model.data_columns == 3
    assert find(window, QLineEdit, "queryInput").text() == "1, 0"


def test_a_bad_query_is_explained_and_shows_no_number(qtbot, window):
    query = find(window, QLineEdit, "queryInput")
    query.setText("1, 0")
    assert find(window, QLabel, "predictionLabel").text() == "—"
    assert "3 inputs" in find(window, QLabel, "queryMessage").text()
    query.setText("1, x, 0")
    assert "not a number" in find(window, QLabel, "queryMessage").text()
    query.setText("0, 1, 1")
    assert find(window, QLabel, "predictionLabel").text() != "—"


def test_seed_gives_new_initial_weights(qtbot, window):
    find(window, QSpinBox, "seedSpin").setValue(7)
    w = initial_weights(7, 3)
    expected = 1 / (1 + np.exp(-w[0]))
    assert find(window, QLabel, "predictionLabel").text() == f"{expected:.8f}"


def test_closing_the_window_mid_run_stops_the_thread(qtbot):
    from neuron_gui.ui import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.training_panel.iterations.setValue(50_000_000)
    w.train()
    qtbot.waitUntil(lambda: w.controller.latest.iteration > 1000, timeout=10000)
    w.close()
    assert not w.controller.is_running
