"""Copy and paste blocks of cells to and from a spreadsheet (tab-separated), through the real table."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QLineEdit

from tests.ui.window_helpers import find, table, table_state


def select(window, top, left, bottom, right):
    view = table(window)
    model = view.model()
    view.setCurrentIndex(model.index(top, left))
    view.selectionModel().select(
        QItemSelection(model.index(top, left), model.index(bottom, right)), QItemSelectionModel.ClearAndSelect
    )
    view.setFocus()


def copy(qtbot, window) -> str:
    qtbot.keyClick(table(window), Qt.Key_C, Qt.ControlModifier)
    return QGuiApplication.clipboard().text()


def paste(qtbot, window, text):
    QGuiApplication.clipboard().setText(text)
    qtbot.keyClick(table(window), Qt.Key_V, Qt.ControlModifier)


def message(window) -> str:
    label = find(window, QLabel, "examplesMessage")
    return label.text() if label.isVisible() else ""


def test_copy_gives_a_tab_separated_block(qtbot, window):
    select(window, 1, 0, 2, 3)
    assert copy(qtbot, window) == "1\t1\t1\t1\n1\t0\t1\t1"
    select(window, 0, 2, 0, 2)
    assert copy(qtbot, window) == "1"


def test_a_pasted_block_is_one_undoable_step_and_reads_back_exactly(qtbot, window):
    before = table_state(window)
    select(window, 1, 1, 1, 1)
    paste(qtbot, window, "0.1\t0.30000000000000004\r\n-2.5\t1e-7\r\n")  # as a spreadsheet writes it
    rows = table_state(window)[1]
    assert rows[1][1:3] == [0.1, 0.30000000000000004] and rows[2][1:3] == [-2.5, 1e-7]
    assert copy(qtbot, window) == "0.1\t0.30000000000000004\n-2.5\t1e-07", "the pasted block is selected"
    assert window.isWindowModified()
    qtbot.keyClick(table(window), Qt.Key_Z, Qt.ControlModifier)
    assert table_state(window) == before


def test_pasting_past_the_last_row_adds_rows(qtbot, window):
    select(window, 3, 1, 3, 1)
    paste(qtbot, window, "1\t1\t1\n0\t0\t0\n0.5\t0.5\t0.5\n")
    headers, rows = table_state(window)
    assert len(rows) == 6
    assert rows[3] == [0, 1, 1, 1] and rows[4] == [0, 0, 0, 0] and rows[5] == [0, 0.5, 0.5, 0.5]
    qtbot.keyClick(table(window), Qt.Key_Z, Qt.ControlModifier)
    assert len(table_state(window)[1]) == 4


def test_one_value_fills_the_selection(qtbot, window):
    select(window, 0, 0, 3, 1)
    paste(qtbot, window, "0.5\n")
    rows = table_state(window)[1]
    assert all(r[0] == r[1] == 0.5 for r in rows) and rows[1][2] == 1


@pytest.mark.parametrize("text, where, expected", [
    ("1\t0\n1\n", (0, 0), "Line 2 of the pasted text has 1 cell, line 1 has 2"),
    ("1\t0\n1\tabc\n", (1, 1), "Row 3, x3: 'abc' is not a number"),
    ("0\t1.5\n", (2, 2), "Row 3, y: target 1.5 is outside [0, 1]"),
    ("1\tnan\n", (0, 1), "Row 1, x3: NaN"),
    ("1\t1\t1\n", (0, 2), "3 columns wide, but from x3 the table has only 2 (x3, y)"),
    ("1\n", (0, 4), "read-only"),
    ("\n", (0, 0), "no cells to paste"),
])
def test_a_bad_block_is_refused_naming_the_cell_and_nothing_changes(qtbot, window, text, where, expected):
    before, count = table_state(window), window.model.undo_stack.count()
    select(window, *where, *where)
    paste(qtbot, window, text)
    assert expected in message(window)
    assert table_state(window) == before and window.model.undo_stack.count() == count
    assert not window.isWindowModified()


def test_copy_and_paste_in_a_text_field_stay_in_the_field(qtbot, window):
    select(window, 0, 0, 3, 3)
    before = table_state(window)
    query = find(window, QLineEdit, "queryInput")
    query.setFocus()
    query.selectAll()
    qtbot.keyClick(query, Qt.Key_C, Qt.ControlModifier)
    assert QGuiApplication.clipboard().text() == "1, 0, 0"
    QGuiApplication.clipboard().setText("0, 1, 1")
    query.selectAll()
    qtbot.keyClick(query, Qt.Key_V, Qt.ControlModifier)
    assert query.text() == "0, 1, 1" and table_state(window) == before
