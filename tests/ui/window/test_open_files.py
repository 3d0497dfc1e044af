"""Opening through the real window: big files off the GUI thread with progress and cancel, FIFOs and
hostile sessions refused at once, and the query kept in a session (issues 11 and 12)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtWidgets import QLabel, QLineEdit, QProgressDialog, QPushButton

from neuron_gui.core.examples import Examples
from neuron_gui.core.files import FileError, FileFormatError
from neuron_gui.core.training import Settings, train
from tests.file_helpers import finishes
from tests.ui.window_helpers import (
    error_message,
    new_window,
    open_via_menu,
    save_as_via_menu,
    table_state,
    train_to_end,
)

ROWS = 200_000


def big_csv(folder: Path) -> Path:
    path = folder / "big.csv"
    path.write_text("a,b,y\n" + "".join(f"{i % 5},{i % 3},{i % 2}\n" for i in range(ROWS)))
    return path


def rows(window) -> int:
    return window.model.rowCount()


def test_a_big_csv_opens_in_the_background_and_the_window_stays_usable(qtbot, window, monkeypatch, tmp_path):
    before = table_state(window)
    open_via_menu(window, monkeypatch, big_csv(tmp_path))
    assert table_state(window) == before, "File > Open returned before the file was read: nothing blocked"
    assert window.file_actions.loader.busy
    assert window.findChild(QProgressDialog, "openProgress") is not None
    qtbot.waitUntil(lambda: not window.file_actions.loader.busy, timeout=60_000)
    assert rows(window) == ROWS and window.model.names == ["a", "b"]
    assert window.windowTitle().startswith("big.csv") and error_message(window) == ""
    window.model.undo_stack.undo()
    assert table_state(window) == before, "opening is one undoable change, as for a small file"


def test_cancelling_a_big_open_changes_nothing(qtbot, window, monkeypatch, tmp_path):
    before, title = table_state(window), window.windowTitle()
    open_via_menu(window, monkeypatch, big_csv(tmp_path))
    window.findChild(QProgressDialog, "openProgress").findChild(QPushButton).click()  # Cancel
    qtbot.waitUntil(lambda: not window.file_actions.loader.busy, timeout=60_000)
    qtbot.wait(20)
    assert table_state(window) == before and window.windowTitle() == title
    assert "Cancelled opening" in window.statusBar().currentMessage()


def test_closing_the_window_while_a_file_is_read_stops_the_thread(qtbot, monkeypatch, tmp_path):
    window = new_window(qtbot)
    open_via_menu(window, monkeypatch, big_csv(tmp_path))
    assert window.file_actions.loader.busy
    assert window.close()
    assert not window.file_actions.loader.busy  # joined: the autouse fixtures check no thread is left


def test_a_fifo_is_refused_at_once_not_waited_on(qtbot, window, tmp_path):
    fifo = tmp_path / "f.csv"
    os.mkfifo(fifo)
    before = table_state(window)
    error = finishes(lambda: window.load(fifo))
    assert isinstance(error, FileError) and "named pipe (FIFO), not a regular file" in str(error)
    assert window.file_actions.open_path(fifo) is False  # (it used to block the GUI thread here)
    assert "named pipe" in error_message(window) and table_state(window) == before


def test_a_session_with_a_number_past_pythons_limit_is_refused_with_a_message(qtbot, window, monkeypatch, tmp_path):
    path = tmp_path / "huge.json"
    path.write_text('{"format_version": ' + "1" * 5_000 + "}")
    open_via_menu(window, monkeypatch, path)
    assert "huge.json: holds a whole number of 5,000 digits" in error_message(window)


def test_a_crafted_history_that_would_freeze_replay_is_refused(qtbot, window, monkeypatch, tmp_path):
    run = train(Examples.lesson(), Settings(iterations=20))
    doc = {"format_version": 1, "examples": {"names": ["x1", "x2", "x3"], "X": run.examples.X.tolist(),
                                             "y": run.examples.y.tolist()},
           "settings": {"iterations": 20, "seed": 1, "learning_rate": 1.0}, "weights": [0, 0, 0],
           "iteration": 100_000_000,
           "history": {"width": 100_000_000, "first_iteration": 0, "count": 100_000_001,
                       "learning_rates": [[0, 1.0]],
                       "weights": {k: [[0, 0, 0]] * 2 for k in ("first", "min", "max")},
                       "errors": {k: [0.1] * 2 for k in ("first", "min", "max")}}}
    path = tmp_path / "crafted.json"
    path.write_text(json.dumps(doc))
    open_via_menu(window, monkeypatch, path)
    assert "history.width: 100,000,000 iterations a record cannot come from" in error_message(window)


def test_a_session_saves_and_restores_the_query(qtbot, window, monkeypatch, tmp_path):
    window.training_panel.iterations.setValue(500)
    train_to_end(qtbot, window)
    query = window.findChild(QLineEdit, "queryInput")
    query.setText("0, 1, 1")
    prediction = window.findChild(QLabel, "predictionLabel").text()
    save_as_via_menu(window, monkeypatch, tmp_path / "q.json")
    assert json.loads((tmp_path / "q.json").read_text())["query"] == [0.0, 1.0, 1.0]
    assert not window.isWindowModified()
    query.setText("1, 1, 1")
    assert window.isWindowModified(), "the query is part of a session"
    query.setText("0, 1, 1")
    assert not window.isWindowModified()

    again = new_window(qtbot)
    open_via_menu(again, monkeypatch, tmp_path / "q.json")
    assert again.findChild(QLineEdit, "queryInput").text() == "0, 1, 1"
    assert again.findChild(QLabel, "predictionLabel").text() == prediction
    assert not again.isWindowModified()


def test_a_session_whose_weights_do_not_follow_from_its_recipe_is_refused(qtbot, window, monkeypatch, tmp_path):
    window.training_panel.iterations.setValue(300)
    train_to_end(qtbot, window)
    save_as_via_menu(window, monkeypatch, tmp_path / "s.json")
    doc = json.loads((tmp_path / "s.json").read_text())
    doc["run"]["learning_rates"] = [[0, 0.5]]  # as if a rate were lost on the way
    (tmp_path / "s.json").write_text(json.dumps(doc))
    again = new_window(qtbot)
    before = table_state(again)
    open_via_menu(again, monkeypatch, tmp_path / "s.json")
    assert "run.weights: the saved weights are not what its table, seed and learning rates give" in error_message(
        again)
    assert table_state(again) == before
    assert isinstance(finishes(lambda: again.load(tmp_path / "s.json")), FileFormatError)


def test_a_cell_takes_ascii_numbers_only(qtbot, window):
    """The table goes through the same number rule as files and options: 1_0 is not 10. (Typed with
    the editor's text set: QTest cannot type characters beyond Latin-1.)"""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTableView

    view = window.findChild(QTableView, "examplesTable")
    before = table_state(window)
    for text in ("1_0", "\uff11", "\u0661"):
        index = view.model().index(0, 0)
        view.setCurrentIndex(index)
        view.edit(index)
        editor = view.focusWidget()
        assert isinstance(editor, QLineEdit)
        editor.setText(text)
        qtbot.keyClick(editor, Qt.Key_Return)
        qtbot.waitUntil(lambda: view.state() != QTableView.EditingState, timeout=1000)
        qtbot.wait(10)
        assert "is not a number" in window.findChild(QLabel, "examplesMessage").text()
        assert table_state(window) == before


def test_saving_through_a_link_keeps_the_link(qtbot, window, monkeypatch, tmp_path):
    real = tmp_path / "data" / "real.json"
    real.parent.mkdir()
    real.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    save_as_via_menu(window, monkeypatch, link)
    assert error_message(window) == "" and link.is_symlink()
    assert json.loads(real.read_text())["format_version"] == 2
    assert sorted(p.name for p in real.parent.iterdir()) == ["real.json"]
