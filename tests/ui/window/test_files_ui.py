"""Files through the real window: open, edit, save and reopen CSV and sessions; refusals that change
nothing; the unsaved-changes marker and prompt; drag and drop; recent files; preferences; exports."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QLineEdit

from neuron_gui.core import files
from neuron_gui.core.lesson import initial_weights, train_reference
from neuron_gui.ui.window.file_actions import Choice
from tests.ui.window_helpers import (
    dismiss_error,
    edit_cell,
    error_message,
    find,
    new_window,
    open_via_menu,
    save_as_via_menu,
    settings_state,
    table_state,
    train_to_end,
    trigger,
    write,
)

TWO_INPUTS = "a,b,y\n0,1,1\n1,0,0\n1,1,1\n"


def prediction(window) -> str:
    return find(window, QLabel, "predictionLabel").text()


# -- round trips -----------------------------------------------------------------------------------

def test_csv_open_edit_save_reopen(qtbot, window, monkeypatch, tmp_path):
    source = write(tmp_path / "data.csv", TWO_INPUTS)
    open_via_menu(window, monkeypatch, source)
    assert table_state(window) == (["a", "b", "y"], [[0, 1, 1], [1, 0, 0], [1, 1, 1]])
    assert window.windowTitle().startswith("data.csv") and not window.isWindowModified()
    assert find(window, QLineEdit, "queryInput").text() == "1, 0"

    edit_cell(qtbot, window, 1, 1, "0.25")
    assert window.isWindowModified()
    qtbot.keyClick(window, Qt.Key_S, Qt.ControlModifier)  # File > Save (Ctrl+S)
    assert not window.isWindowModified()
    assert source.read_text() == "a,b,y\n0,1,1\n1,0.25,0\n1,1,1\n"

    again = new_window(qtbot)
    again.load(source)
    assert table_state(again) == table_state(window)
    train_to_end(qtbot, window)
    train_to_end(qtbot, again)
    assert prediction(again) == prediction(window) != "—"


def test_session_round_trip_restores_settings_weights_history_and_prediction(qtbot, window, monkeypatch, tmp_path):
    tp = window.training_panel
    tp.iterations.setValue(2000)
    tp.seed.setValue(7)
    tp.learning_rate.setValue(0.5)
    train_to_end(qtbot, window)
    trained = prediction(window)
    saved = tmp_path / "run.json"
    save_as_via_menu(window, monkeypatch, saved)
    assert not window.isWindowModified() and window.windowTitle().startswith("run.json")
    assert json.loads(saved.read_text())["run"]["iteration"] == 2000

    again = new_window(qtbot)
    open_via_menu(again, monkeypatch, saved)
    assert table_state(again) == table_state(window)
    assert settings_state(again) == (2000, 7, 0.5)
    assert prediction(again) == trained
    assert "after 2,000 iterations" in find(again, QLabel, "predictionCaption").text()
    assert np.array_equal(again.run.weights, window.run.weights)
    curves = find(again, pg.PlotWidget, "weightsPlot").plotItem.listDataItems()
    x, _ = curves[0].getData()
    assert x[0] == 0 and x[-1] == 2000, "the recorded history is drawn, from the start"
    assert not again.isWindowModified()


def test_a_session_counts_settings_and_runs_as_changes_a_csv_does_not(qtbot, window, monkeypatch, tmp_path):
    save_as_via_menu(window, monkeypatch, tmp_path / "s.json")
    seed = window.training_panel.seed
    seed.setValue(5)
    assert window.isWindowModified()
    seed.setValue(1)
    assert not window.isWindowModified(), "back to what was saved"
    train_to_end(qtbot, window)
    assert window.isWindowModified(), "a finished run changes the session"

    save_as_via_menu(window, monkeypatch, tmp_path / "t.csv")
    assert not window.isWindowModified()
    seed.setValue(9)
    train_to_end(qtbot, window)
    assert not window.isWindowModified(), "a CSV holds only the table"


# -- failures change nothing ---------------------------------------------------------------------

def test_a_failed_save_keeps_the_old_file_and_the_window_as_they_were(qtbot, window, monkeypatch, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    target = folder / "data.csv"
    window.save(target)
    before = target.read_bytes()
    edit_cell(qtbot, window, 0, 0, "0.5")
    state, stack = table_state(window), window.model.undo_stack.index()
    title = window.windowTitle()

    def disk_full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patch:
        patch.setattr(files.atomic.os, "fsync", disk_full)
        trigger(window, "saveAction")
    message = error_message(window)
    assert "data.csv" in message and "No space left" in message
    assert target.read_bytes() == before, "the old file is intact"
    assert [p.name for p in folder.iterdir()] == ["data.csv"], "no temporary file is left behind"
    assert window.isWindowModified() and window.windowTitle() == title
    assert table_state(window) == state and window.model.undo_stack.index() == stack
    assert window.document.path == target

    dismiss_error(window)
    save_as_via_menu(window, monkeypatch, folder / "missing" / "x.json")
    assert "does not exist" in error_message(window)
    assert window.document.path == target and window.isWindowModified()


BAD_FILES = {
    "wrong_columns.csv": ("x1,x2,y\n0,1,1\n0,1\n", "line 3"),
    "text_cell.csv": ("x1,x2,y\n0,abc,1\n", "line 2, column x2"),
    "nan.csv": ("x1,x2,y\n0,nan,1\n", "line 2, column x2"),
    "target.csv": ("x1,x2,y\n0,1,1.5\n", "line 2, column y"),
    "other_shape.json": ('[1, 2, 3]', "expected a JSON object"),
    "newer.json": ('{"format_version": 99, "examples": {}}', "newer neuron-gui"),
    "bad_field.json": (lambda doc: doc["settings"].update(seed="one"), "settings.seed"),
    "too_precise.json": (lambda doc: doc["settings"].update(learning_rate=0.123456), "settings.learning_rate"),
    "wrong_weights.json": (lambda doc: doc["run"].update(weights=[[[1.0], [2.0]]]),
                           "run.weights[0]: 2 rows, expected 3"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_file_is_refused_naming_it_and_nothing_changes(qtbot, window, monkeypatch, tmp_path, name):
    good = tmp_path / "good.json"
    window.training_panel.iterations.setValue(300)
    train_to_end(qtbot, window)
    window.save(good)
    text, where = BAD_FILES[name]
    if callable(text):  # a session that is right except for one field
        doc = json.loads(good.read_text())
        text(doc)
        text = json.dumps(doc)
    bad = write(tmp_path / name, text)
    before = (table_state(window), settings_state(window), window.run, window.run.weights.copy(),
              window.model.undo_stack.count(), window.windowTitle(), window.document.path, prediction(window))

    open_via_menu(window, monkeypatch, bad)
    message = error_message(window)
    assert name in message and where in message
    after = (table_state(window), settings_state(window), window.run, window.run.weights.copy(),
             window.model.undo_stack.count(), window.windowTitle(), window.document.path, prediction(window))
    assert after[:3] == before[:3] and np.array_equal(after[3], before[3]) and after[4:] == before[4:]
    assert not window.isWindowModified()
    with pytest.raises(files.FileFormatError, match=name):
        window.load(bad)  # the scripting call raises instead


# -- unsaved changes -------------------------------------------------------------------------------

def test_the_title_marks_unsaved_changes_until_saved(qtbot, window, monkeypatch, tmp_path):
    assert window.windowTitle() == "Untitled[*] — neuron-gui" and not window.isWindowModified()
    edit_cell(qtbot, window, 0, 0, "1")
    assert window.isWindowModified()
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    assert not window.isWindowModified(), "undone back to the opened table"
    qtbot.mouseClick(window.examples_panel.add_row, Qt.LeftButton)
    assert window.isWindowModified()
    save_as_via_menu(window, monkeypatch, tmp_path / "t.csv")
    assert window.windowTitle() == "t.csv[*] — neuron-gui" and not window.isWindowModified()


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window_open(qtbot, window, monkeypatch, tmp_path):
    asked = []
    answer = {"choice": Choice.CANCEL}

    def ask(doing):
        asked.append(doing)
        return answer["choice"]

    monkeypatch.setattr(window.file_actions, "ask_save_changes", ask)
    window.close()
    assert not asked and not window.isVisible(), "nothing to save: no question"
    window.show()
    qtbot.mouseClick(window.examples_panel.add_row, Qt.LeftButton)
    assert not window.close() and window.isVisible() and asked == ["closing"]

    target = tmp_path / "kept.csv"
    answer["choice"] = Choice.SAVE
    monkeypatch.setattr(window.file_actions, "ask_save_path", lambda *a: str(target))
    assert window.close() and not window.isVisible()
    assert files.read_examples_csv(target).n_examples == 5, "Save wrote the table before closing"


def test_closing_mid_run_and_saving_the_session_keeps_the_weights_reached(qtbot, window, monkeypatch, tmp_path):
    target = tmp_path / "run.json"
    window.training_panel.iterations.setValue(50_000_000)
    window.save(target)
    window.controller.set_speed(10_000)  # slow motion: the reference below replays only a few thousand
    window.train()
    qtbot.waitUntil(lambda: window.controller.latest.iteration > 1000, timeout=10000)
    assert window.isWindowModified(), "a run in progress changes the session"
    assert not find(window, QAction, "saveAction").isEnabled()
    monkeypatch.setattr(window.file_actions, "ask_save_changes", lambda doing: Choice.SAVE)
    assert window.close() and not window.controller.is_running
    saved = files.load_session(target)
    assert saved.iteration > 1000
    assert np.array_equal(saved.weights, train_reference(saved.examples.X, saved.examples.y, initial_weights(1, 3),
                                                         saved.iteration))


def test_open_and_new_offer_to_save_first(qtbot, window, monkeypatch, tmp_path):
    source = write(tmp_path / "d.csv", TWO_INPUTS)
    monkeypatch.setattr(window.file_actions, "ask_save_changes", lambda doing: Choice.CANCEL)
    edit_cell(qtbot, window, 0, 0, "0.5")
    state = table_state(window)
    open_via_menu(window, monkeypatch, source)
    trigger(window, "newAction")
    assert table_state(window) == state, "Cancel keeps the edited table"

    monkeypatch.setattr(window.file_actions, "ask_save_changes", lambda doing: Choice.DISCARD)
    window.training_panel.seed.setValue(3)
    trigger(window, "newAction")
    assert table_state(window)[1][0] == [0, 0, 1, 0] and settings_state(window) == (10_000, 1, 1.0)
    assert window.windowTitle().startswith("Untitled") and not window.isWindowModified()
    assert prediction(window) == "0.45860596", "the lesson's untrained prediction again"


# -- drag and drop, recent files, preferences ------------------------------------------------------

def drop(window, path) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPoint(50, 50), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False
    QApplication.sendEvent(window, QDropEvent(QPoint(50, 50), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier))
    return True


def test_dropping_a_csv_opens_it(qtbot, window, tmp_path):
    assert drop(window, write(tmp_path / "dropped.csv", TWO_INPUTS))
    assert table_state(window)[0] == ["a", "b", "y"]
    assert window.windowTitle().startswith("dropped.csv")
    assert not drop(window, write(tmp_path / "notes.txt", "hello")), "only CSV and session files are taken"


def recent_entries(window) -> list[str]:
    menu = window.file_actions.recent_menu
    menu.aboutToShow.emit()
    return [a.data() for a in menu.actions() if a.data()]


def test_recent_files_most_recent_first_missing_ones_removed(qtbot, window, monkeypatch, tmp_path):
    paths = [write(tmp_path / f"f{i}.csv", TWO_INPUTS) for i in range(10)]
    for p in paths:
        window.load(p)
    recent = recent_entries(window)
    assert recent == [str(p.resolve()) for p in reversed(paths)][:8]

    paths[9].unlink()
    entry = next(a for a in window.file_actions.recent_menu.actions() if a.data() == recent[0])
    entry.trigger()
    assert "no longer exists" in error_message(window)
    assert recent_entries(window) == recent[1:]
    dismiss_error(window)
    entry = next(a for a in window.file_actions.recent_menu.actions() if a.data() == str(paths[3].resolve()))
    entry.trigger()
    assert recent_entries(window)[0] == str(paths[3].resolve()), "opened again: first"
    trigger(window, "clearRecentAction")
    assert recent_entries(window) == []


def test_preferences_carry_over_to_the_next_window(qtbot, tmp_path):
    first = new_window(qtbot)
    first.resize(720, 540)  # within the offscreen screen (800 x 600); the docks' minimum height wins
    size = first.size()
    assert size.width() == 720
    first.docks["queryDock"].hide()
    find(first, QCheckBox, "errorLogScaleCheck").setChecked(False)
    first.load(write(tmp_path / "r.csv", TWO_INPUTS))
    first.close()

    second = new_window(qtbot)
    assert second.size() == size, "not the default 1280 x 800"
    assert not second.docks["queryDock"].isVisible() and second.docks["examplesDock"].isVisible()
    assert not find(second, QCheckBox, "errorLogScaleCheck").isChecked()
    assert not second.error_plot.plotItem.ctrl.logYCheck.isChecked()
    assert recent_entries(second) == [str((tmp_path / "r.csv").resolve())]
    assert second.preferences.last_folder() == str(tmp_path.resolve())


# -- exports ---------------------------------------------------------------------------------------

def test_history_csv_has_a_row_per_iteration(qtbot, window, monkeypatch, tmp_path):
    window.training_panel.iterations.setValue(500)
    train_to_end(qtbot, window)
    out = tmp_path / "h.csv"
    monkeypatch.setattr(window.file_actions, "ask_save_path", lambda *a: str(out))
    trigger(window, "exportHistoryAction")
    lines = out.read_text().splitlines()
    assert lines[0] == "iteration,x1,x2,x3,error" and len(lines) == 502
    last = [float(v) for v in lines[-1].split(",")]
    assert last[0] == 500
    assert np.array_equal(last[1:4], train_reference(window.run.X, window.run.y, initial_weights(1, 3), 500))


@pytest.mark.parametrize("action", ["exportWeightsPlotAction", "exportSigmoidPlotAction", "exportWindowAction"])
def test_plots_and_the_window_export_as_png_and_svg(qtbot, window, monkeypatch, tmp_path, action):
    if action != "exportWindowAction":  # also offered on the plot's right-click menu
        plot = window.weights_plot if "Weights" in action else window.sigmoid_plot
        assert plot.scene().contextMenu == [find(window, QAction, action)]
    for suffix in ("png", "svg"):
        out = tmp_path / f"shot.{suffix}"
        monkeypatch.setattr(window.file_actions, "ask_save_path", lambda *a, out=out: str(out))
        trigger(window, action)
        image = QImage(str(out))
        assert not image.isNull() and image.width() > 100 and image.height() > 100, out
        if suffix == "svg":
            data = out.read_bytes()
            assert b"<svg" in data[:1000]
            if action != "exportWindowAction":
                assert b"<image" not in data, "a plot is all vectors: curves, markers and text"
    monkeypatch.setattr(window.file_actions, "ask_save_path", lambda *a: str(tmp_path / "shot.gif"))
    trigger(window, action)
    assert ".png or .svg" in error_message(window)


# -- the command line ------------------------------------------------------------------------------

def test_neuron_gui_file_opens_a_session_and_refuses_a_bad_one(tmp_path):
    from neuron_gui.core.examples import Examples
    from neuron_gui.core.training import Run, Settings

    run = Run(Examples.lesson(), Settings(iterations=100))
    run.step(100)
    good = tmp_path / "s.json"
    files.save_session(good, run.examples, run.settings, run.weights, run.iteration, run.history)
    bad = write(tmp_path / "bad.json", '{"format_version": 3}')
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    shot = tmp_path / "shot.png"
    ok = subprocess.run([sys.executable, "-m", "neuron_gui", str(good), "--screenshot", str(shot)],
                        capture_output=True, text=True, timeout=120, env=env)
    assert ok.returncode == 0 and "Traceback" not in ok.stderr, ok.stderr
    assert not QImage(str(shot)).isNull()
    refused = subprocess.run([sys.executable, "-m", "neuron_gui", str(bad)],
                             capture_output=True, text=True, timeout=120, env=env)
    assert refused.returncode == 2 and "bad.json" in refused.stderr and "newer" in refused.stderr


def test_a_thinned_history_is_exported_exactly_by_replaying_the_run(tmp_path):
    from neuron_gui.core.examples import DataError, Examples
    from neuron_gui.core.history import History
    from neuron_gui.core.training import Run, Settings
    from neuron_gui.ui.window import exports

    run = Run(Examples.lesson(), Settings(iterations=1000), History(3, capacity=64))
    run.step(1000)
    assert run.history.width > 1, "the history kept only buckets"
    out = tmp_path / "h.csv"
    assert exports.export_history_csv(out, run) == 1001
    rows = [[float(v) for v in line.split(",")] for line in out.read_text().splitlines()[1:]]
    assert [r[0] for r in rows] == list(range(1001))
    assert rows[-1][1:4] == run.weights.tolist()
    assert rows[0][1:4] == initial_weights(1, 3).tolist()

    run.learning_rate = 0.5  # a change mid-run cannot be replayed from the settings
    run.extend(1000)
    run.step(1000)
    with pytest.raises(DataError, match="learning rate changed"):
        exports.export_history_csv(out, run)
    assert len(out.read_text().splitlines()) == 1002, "the earlier export is left as it was"
