"""Hidden layers in the window (issue 14): the shape field, the Sequel Preset, and a network trained and
shown by every view, checked against the core's headless numbers (never numbers typed into the test)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QLineEdit

from neuron_gui.core import lesson
from neuron_gui.core.examples import DataError, Examples
from neuron_gui.core.network import parse_hidden
from neuron_gui.core.sequel import SEQUEL_QUERY, sequel_examples, sequel_settings
from neuron_gui.core.training import Settings, train
from tests.ui.window_helpers import find, settings_state, table_state, train_to_end, trigger


def hidden_field(window) -> QLineEdit:
    return find(window, QLineEdit, "hiddenLayersInput")


def type_hidden(qtbot, window, text: str) -> None:
    field = hidden_field(window)
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key_Delete)
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key_Return)


@pytest.fixture(scope="module")
def sequel_run():
    """The sequel trained headless by the core (the command line's path)."""
    return train(sequel_examples(), sequel_settings())


def test_the_default_is_the_lessons_single_neuron(window):
    field = hidden_field(window)
    assert field.text() == ""
    assert field.isEnabled()
    run = window.session.run
    assert run.hidden == ()
    np.testing.assert_array_equal(run.weights, lesson.initial_weights(1, 3))


@pytest.mark.parametrize("text", ["17", "4, x", "-1", "1,1,1,1,1", "4,0", "2.5"])
def test_bad_sizes_are_refused_with_the_reason_and_change_nothing(qtbot, window, text):
    with pytest.raises(DataError) as reason:
        parse_hidden(text)
    run = window.session.run
    undo_index = window.model.undo_stack.index()
    type_hidden(qtbot, window, text)
    message = find(window, QLabel, "settingsMessage")
    assert message.isVisible()
    assert str(reason.value) in message.text()
    assert window.session.run is run  # the same run, untouched
    assert run.hidden == () and run.iteration == 0
    assert window.model.undo_stack.index() == undo_index
    assert hidden_field(window).text() == ""  # the field shows the shape in use


def test_a_new_shape_is_a_new_run_undone_like_a_table_edit(qtbot, window):
    type_hidden(qtbot, window, "4, 3")
    run = window.session.run
    assert run.hidden == (4, 3)
    expected = train(Examples.lesson(), Settings(iterations=1, hidden=(4, 3)))  # same seed, same first weights
    assert len(run.weights) == 3 * 4 + 4 * 3 + 3 * 1
    np.testing.assert_array_equal(run.weight_names, expected.weight_names)
    assert window.isWindowModified()
    assert not find(window, QLabel, "settingsMessage").isVisible()
    window.model.undo_stack.undo()
    assert window.session.run.hidden == ()
    assert hidden_field(window).text() == ""
    np.testing.assert_array_equal(window.session.run.weights, lesson.initial_weights(1, 3))
    window.model.undo_stack.redo()
    assert window.session.run.hidden == (4, 3)
    assert hidden_field(window).text() == "4, 3"
    type_hidden(qtbot, window, "0")  # 0 is the single neuron again
    assert window.session.run.hidden == ()
    assert hidden_field(window).text() == ""


def test_sequel_preset_loads_the_sequel_and_trains_to_its_prediction(qtbot, window, sequel_run):
    action = find(window, QAction, "sequelPresetAction")
    assert action in window.menus["Training"].actions()
    trigger(window, "sequelPresetAction")
    examples, settings = sequel_examples(), sequel_settings()
    headers, rows = table_state(window)
    assert rows == np.column_stack([examples.X, examples.y]).tolist()
    assert settings_state(window) == (settings.iterations, settings.seed, settings.learning_rate)
    assert hidden_field(window).text() == "4"
    assert window.session.run.hidden == settings.hidden
    assert window.query_panel.input.text() == "1, 1, 0"
    train_to_end(qtbot, window, timeout=60000)
    run = window.session.run
    assert run.iteration == settings.iterations
    np.testing.assert_array_equal(run.weights, sequel_run.weights)  # bit for bit
    expected = sequel_run.predict(SEQUEL_QUERY)
    prediction = find(window, QLabel, "predictionLabel").text()
    assert prediction == f"{expected:.8f}"
    assert prediction == "0.00788760"  # what the sequel prints (issue 14)


def test_sequel_preset_is_one_undo_step_back_to_the_lesson(window):
    trigger(window, "sequelPresetAction")
    assert window.session.run.hidden == (4,)
    window.model.undo_stack.undo()
    assert window.session.run.hidden == ()
    assert hidden_field(window).text() == ""
    _, rows = table_state(window)
    lesson_examples = Examples.lesson()
    assert rows == np.column_stack([lesson_examples.X, lesson_examples.y]).tolist()
    trigger(window, "sequelPresetAction")
    trigger(window, "lessonPresetAction")
    assert window.session.run.hidden == ()
    np.testing.assert_array_equal(window.session.run.weights, lesson.initial_weights(1, 3))


def test_the_field_is_locked_while_a_network_trains(qtbot, window):
    trigger(window, "sequelPresetAction")
    window.train()
    qtbot.waitUntil(lambda: window.is_training, timeout=5000)
    assert not hidden_field(window).isEnabled()
    window.stop()
    qtbot.waitUntil(lambda: not window.is_training, timeout=10000)
    assert hidden_field(window).isEnabled()


@pytest.mark.parametrize("preset", ["lessonPresetAction", "sequelPresetAction"])
def test_file_export_python_script_reproduces_the_prediction(qtbot, window, tmp_path, monkeypatch, preset):
    import subprocess
    import sys

    from neuron_gui.core.script_export import script_for_run

    trigger(window, preset)
    window.training_panel.iterations.setValue(2000)
    train_to_end(qtbot, window, timeout=60000)
    out = tmp_path / "run.py"
    monkeypatch.setattr(window.file_actions, "ask_save_path", lambda *a: str(out))
    action = find(window, QAction, "exportScriptAction")
    assert action in window.file_actions.export_menu.actions()
    trigger(window, "exportScriptAction")
    run = window.session.run
    query = window.session.query.inputs
    assert out.read_text() == script_for_run(run, query, window.document.display_name)
    printed = subprocess.run([sys.executable, str(out)], capture_output=True, text=True, check=True).stdout
    last = printed.strip().splitlines()[-1]
    shown = find(window, QLabel, "predictionLabel").text()
    assert f"{float(last.split()[-1]):.8f}" == shown == f"{run.predict(query):.8f}"


def test_exporting_a_script_without_a_valid_query_says_why(qtbot, window, monkeypatch):
    window.query_panel.input.setText("1, x")
    monkeypatch.setattr(window.file_actions, "ask_save_path",
                        lambda *a: pytest.fail("no file is asked for without a query"))
    errors = []
    monkeypatch.setattr(window.file_actions, "report_error", lambda title, text: errors.append((title, text)))
    trigger(window, "exportScriptAction")
    assert errors and "valid query" in errors[0][1]


def test_a_session_saves_the_shape_and_reopens_the_network(qtbot, window, tmp_path):
    from neuron_gui.core import files
    from tests.ui.window_helpers import new_window

    trigger(window, "sequelPresetAction")
    window.training_panel.iterations.setValue(500)
    train_to_end(qtbot, window, timeout=60000)
    path = tmp_path / "sequel.json"
    window.save(path)
    saved = files.load_session(path)
    assert saved.settings.hidden == (4,)
    other = new_window(qtbot)
    assert other.session.run.hidden == ()
    other.load(path)
    assert hidden_field(other).text() == "4"
    run = other.session.run
    assert run.hidden == (4,) and run.iteration == 500
    np.testing.assert_array_equal(run.weights, window.session.run.weights)
    assert not other.isWindowModified()
    type_hidden(qtbot, other, "3")  # a new shape is an unsaved change of the session
    assert other.isWindowModified()
    other.model.undo_stack.undo()
    assert other.session.run.hidden == (4,)
    other.close()
