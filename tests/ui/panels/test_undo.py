"""Undo and redo walk back and replay every kind of table edit, through the keyboard, in the real window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QLabel

from tests.ui.window_helpers import edit_cell, find, open_via_menu, table, table_state, write

LESSON_UNTRAINED = "0.45860596"


def undo(qtbot, window):
    qtbot.keyClick(table(window), Qt.Key_Z, Qt.ControlModifier)


def redo(qtbot, window):
    qtbot.keyClick(table(window), Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)


def test_undo_walks_back_every_kind_of_edit_and_redo_replays_them(qtbot, window, monkeypatch, tmp_path):
    panel = window.examples_panel
    view = table(window)
    states = [table_state(window)]

    def edited():
        states.append(table_state(window))
        assert states[-1] != states[-2], "the edit changed the table"

    edit_cell(qtbot, window, 0, 0, "0.5")
    edited()
    qtbot.mouseClick(panel.add_row, Qt.LeftButton)
    edited()
    view.selectRow(1)
    qtbot.mouseClick(panel.remove_row, Qt.LeftButton)
    edited()
    qtbot.mouseClick(panel.add_column, Qt.LeftButton)
    edited()
    qtbot.mouseClick(panel.remove_column, Qt.LeftButton)
    edited()
    qtbot.mouseClick(panel.remove_column, Qt.LeftButton)
    edited()
    QGuiApplication.clipboard().setText("0.25\t0.75\n1\t0")
    view.setCurrentIndex(view.model().index(3, 0))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_V, Qt.ControlModifier)
    edited()
    open_via_menu(window, monkeypatch, write(tmp_path / "other.csv", "p,q,r,s,y\n1,2,3,4,1\n"))
    edited()
    assert states[-1][0] == ["p", "q", "r", "s", "y"]

    for expected in reversed(states[:-1]):
        undo(qtbot, window)
        assert table_state(window) == expected
    assert not find(window, QAction, "undoAction").isEnabled(), "nothing older to undo"
    assert find(window, QLabel, "predictionLabel").text() == LESSON_UNTRAINED, "the run follows the table"

    for expected in states[1:]:
        redo(qtbot, window)
        assert table_state(window) == expected
    assert not find(window, QAction, "redoAction").isEnabled()


def test_undo_and_the_table_are_locked_while_a_run_is_in_progress(qtbot, window):
    edit_cell(qtbot, window, 0, 0, "0.5")
    edited = table_state(window)
    window.training_panel.iterations.setValue(50_000_000)
    window.train()
    assert window.is_training
    undo(qtbot, window)
    QGuiApplication.clipboard().setText("1")
    view = table(window)
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.keyClick(view, Qt.Key_V, Qt.ControlModifier)
    assert table_state(window) == edited
    assert not find(window, QAction, "undoAction").isEnabled()
    window.stop()
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)
    assert find(window, QAction, "undoAction").isEnabled()
    undo(qtbot, window)
    assert table_state(window)[1][0][0] == 0.0
