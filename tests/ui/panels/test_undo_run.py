"""No run is lost without a word: undoing an edit brings back the run it replaced, and a trained,
unsaved run is a change the window offers to save on closing."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSpinBox

from neuron_gui.core.lesson import LESSON_X, LESSON_Y, initial_weights, reference_weights
from neuron_gui.ui.window.file_actions import Choice
from tests.ui.window_helpers import edit_cell, find, save_as_via_menu, table, train_to_end


def undo(qtbot, window):
    qtbot.keyClick(table(window), Qt.Key_Z, Qt.ControlModifier)


def redo(qtbot, window):
    qtbot.keyClick(table(window), Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)


def shown(window) -> tuple[str, str]:
    return find(window, QLabel, "predictionLabel").text(), find(window, QLabel, "statusLabel").text()


def test_undoing_an_edit_after_a_long_run_brings_the_run_back(qtbot, window):
    find(window, QSpinBox, "iterationsSpin").setValue(90_000)
    train_to_end(qtbot, window)
    trained = window.run
    before = shown(window)
    message = find(window, QLabel, "examplesMessage")

    edit_cell(qtbot, window, 0, 0, "0.5")
    assert window.run.iteration == 0, "the edited table has an untrained neuron"
    assert message.isVisible() and "90,000 iterations" in message.text() and "Undo" in message.text(), \
        "the edit says what it set aside"

    undo(qtbot, window)
    assert window.run is trained and window.run.iteration == 90_000
    assert np.array_equal(window.run.weights,
                          reference_weights(LESSON_X, LESSON_Y, initial_weights(1, 3), 90_000)[-1])
    assert shown(window) == before, "the prediction and the status are the run's again"
    assert window.weights_plot.plotItem.vb.viewRange()[0][1] >= 90_000 * 0.9, "its history is plotted again"
    assert window.current_iteration() == 90_000

    redo(qtbot, window)
    assert window.run is not trained and window.run.iteration == 0
    find(window, QSpinBox, "iterationsSpin").setValue(1_000)
    train_to_end(qtbot, window)
    edited_run = window.run
    undo(qtbot, window)
    assert window.run is trained
    redo(qtbot, window)
    assert window.run is edited_run and window.run.iteration == 1_000, "redo brings back the run after the edit"


def test_an_undone_edit_gives_no_run_that_contradicts_the_seed_shown(qtbot, window):
    train_to_end(qtbot, window)
    edit_cell(qtbot, window, 0, 0, "0.5")
    find(window, QSpinBox, "seedSpin").setValue(7)
    undo(qtbot, window)
    assert window.run.iteration == 0 and window.run.settings.seed == 7


def test_training_an_untitled_window_is_unsaved_work_it_offers_to_save(qtbot, window, monkeypatch, tmp_path):
    asked = []
    monkeypatch.setattr(window.file_actions, "ask_save_changes", lambda doing: asked.append(doing) or Choice.CANCEL)
    assert not window.isWindowModified()
    train_to_end(qtbot, window)
    assert window.isWindowModified(), "a trained run in an untitled window is unsaved"
    assert not window.close() and asked == ["closing"], "closing offers to save it"
    assert window.isVisible()
    find(window, QSpinBox, "seedSpin")  # the window and its run are still there
    assert window.run.iteration == 10_000

    save_as_via_menu(window, monkeypatch, tmp_path / "run.json")
    assert not window.isWindowModified()
    monkeypatch.setattr(window.file_actions, "ask_save_changes", lambda doing: Choice.DISCARD)
