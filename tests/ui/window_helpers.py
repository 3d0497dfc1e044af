"""Driving the real window from the file, undo and clipboard tests: find widgets, edit cells, use menus."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPushButton, QTableView


def new_window(qtbot):
    """A MainWindow as a user first sees it: shown and exposed (qtbot closes it after the test)."""
    from neuron_gui.ui.window.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def find(window, cls, name):
    w = window.findChild(cls, name)
    assert w is not None, f"no {cls.__name__} named {name}"
    return w


def click(qtbot, window, name, cls=None):
    """Click an enabled button found by objectName, as a user would."""
    button = find(window, cls or QPushButton, name)
    assert button.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(button, Qt.LeftButton)


def table(window) -> QTableView:
    return find(window, QTableView, "examplesTable")


def table_state(window) -> tuple[list[str], list[list[float]]]:
    """What the user sees in the table's data columns: the headers and every value."""
    model = table(window).model()
    columns = model.data_columns
    headers = [model.headerData(c, Qt.Horizontal) for c in range(columns)]
    rows = [[float(model.data(model.index(r, c), Qt.EditRole)) for c in range(columns)]
            for r in range(model.rowCount())]
    return headers, rows


def settings_state(window) -> tuple[int, int, float]:
    tp = window.training_panel
    return tp.iterations.value(), tp.seed.value(), tp.learning_rate.value()


def edit_cell(qtbot, window, row, column, text):
    view = table(window)
    index = view.model().index(row, column)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.focusWidget()
    assert isinstance(editor, QLineEdit), "editing should open a line editor"
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key_Delete)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QTableView.EditingState, timeout=1000)
    qtbot.wait(10)  # the delegate commits on the next turn of the event loop


def train_to_end(qtbot, window, timeout=20000):
    qtbot.mouseClick(find(window, QPushButton, "trainButton"), Qt.LeftButton)
    qtbot.waitUntil(lambda: not window.is_training, timeout=timeout)


def trigger(window, name: str) -> None:
    """Choose a menu item, as a click on it does."""
    action = find(window, QAction, name)
    assert action.isEnabled(), f"{name} is disabled"
    action.trigger()


def open_via_menu(window, monkeypatch, path) -> None:
    monkeypatch.setattr(window.file_actions, "ask_open_path", lambda: str(path))
    trigger(window, "openAction")


def save_as_via_menu(window, monkeypatch, path) -> None:
    monkeypatch.setattr(window.file_actions, "ask_save_path", lambda *args: str(path))
    trigger(window, "saveAsAction")


def error_message(window) -> str:
    """The text of the warning shown for a refused open or save ("" when none is showing)."""
    box = window.findChild(QMessageBox, "fileErrorBox")
    return box.text() if box is not None and box.isVisible() else ""


def dismiss_error(window) -> None:
    box = window.findChild(QMessageBox, "fileErrorBox")
    if box is not None:
        box.close()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
