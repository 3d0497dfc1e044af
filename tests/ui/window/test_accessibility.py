"""What a keyboard or screen-reader user meets, checked on the real window at the Qt level (offscreen):
hidden panels out of the Tab chain, the dock tab bar's arrows, names, roles and descriptions, what is
announced, and the pace of live values. ``test_atspi.py`` checks the same through a real AT-SPI client."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDockWidget,
    QLineEdit,
    QProgressBar,
    QSlider,
    QTabBar,
    QTableView,
)

from neuron_gui.ui.panels.training_controls import SPEEDS
from neuron_gui.ui.style.speech import announcer
from neuron_gui.ui.window.tab_order import focusable_widgets
from tests.ui.window_helpers import edit_cell, find, open_via_menu, table, train_to_end, trigger, write


def dock_tab_bar(window) -> QTabBar:
    bars = [b for b in window.findChildren(QTabBar) if b.parentWidget() is window and b.isVisible()
            and b.focusPolicy() & Qt.TabFocus]
    assert len(bars) == 1, "one tab bar of stacked panels, on screen and reachable with Tab"
    return bars[0]


def tab_stops(qtbot, window) -> list:
    window.desktop.tab_order.apply()
    start = table(window)
    start.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start, timeout=1000)
    seen = [start]
    for _ in range(200):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        if QApplication.focusWidget() is start:
            return seen
        seen.append(QApplication.focusWidget())
    raise AssertionError("Tab never came round")


def heard(qtbot) -> list[str]:
    said: list[str] = []
    announcer().announced.connect(said.append)
    return said


def test_a_panel_behind_a_tab_is_out_of_the_tab_chain_and_up_to_date_when_shown(qtbot, window):
    qtbot.wait(50)  # the panels are placed once the window shows
    update = window.docks["updateDock"]
    assert update.isVisible() and not update.widget().isVisible(), "behind the Network tab: hidden"
    stops = tab_stops(qtbot, window)
    assert not [w for w in stops if update.isAncestorOf(w)], "Tab went into a panel nobody can see"
    assert not [w for w in stops if not w.isVisible()]
    train_to_end(qtbot, window)
    update.raise_()
    qtbot.waitUntil(lambda: update.widget().isVisible(), timeout=1000)
    qtbot.wait(50)  # (the panel it covers is hidden on the next turn of the event loop)
    assert "10,000" in window.insight.update_panel.title.text(), "shown, it is up to date at once"
    stops = tab_stops(qtbot, window)
    assert [w for w in stops if update.isAncestorOf(w)], "shown, its controls are Tab stops again"
    assert not [w for w in stops if window.docks["diagramDock"].isAncestorOf(w)]


def test_right_on_a_dock_tab_bar_chooses_the_next_tab_and_never_steps(qtbot, window):
    qtbot.wait(50)
    bar = dock_tab_bar(window)
    bar.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(lambda: bar.hasFocus(), timeout=1000)
    titles = [bar.tabText(i) for i in range(bar.count())]
    for i in range(1, bar.count()):
        qtbot.keyClick(bar, Qt.Key_Right)
        assert bar.currentIndex() == i
        dock = next(d for d in window.findChildren(QDockWidget) if d.windowTitle() == titles[i])
        qtbot.waitUntil(lambda dock=dock: dock.widget().isVisible(), timeout=1000)
    qtbot.keyClick(bar, Qt.Key_Left)
    assert bar.currentIndex() == bar.count() - 2
    assert not window.is_training and window.run.iteration == 0, "Right ran Step"


def test_controls_are_named_by_what_they_choose(qtbot, window):
    def name(widget, kind=QAccessible.Name):
        return QAccessible.queryAccessibleInterface(widget).text(kind)

    combos = {c.objectName(): c for c in window.findChildren(QComboBox)}
    assert name(combos["stepsPerClickCombo"]) == "Steps per click"
    assert name(combos["stepsPerClickCombo"], QAccessible.Value) == "× 1"
    assert name(combos["replaySpeedCombo"]) == "Replay speed"
    assert name(combos["surfaceWeightA"]) == "Surface weight across"
    assert name(combos["surfaceWeightB"]) == "Surface weight up"
    combos["stepsPerClickCombo"].setCurrentIndex(2)
    assert name(combos["stepsPerClickCombo"], QAccessible.Value) == "× 100"
    assert "× 100" in name(combos["stepsPerClickCombo"], QAccessible.Description)
    for dock in window.findChildren(QDockWidget):
        buttons = {b.objectName(): b.accessibleName() for b in dock.findChildren(QAbstractButton)}
        title = dock.windowTitle().removeprefix("The ")
        assert buttons["qt_dockwidget_closebutton"] == f"Close the {title} panel"
        assert buttons["qt_dockwidget_floatbutton"] == f"Float the {title} panel"
    for widget in focusable_widgets(window):
        if widget.isVisible():
            assert name(widget), f"{widget.objectName() or widget.metaObject().className()} has no name"


def test_views_are_charts_and_a_graphic_that_describe_what_they_show(qtbot, window):
    role = lambda w: QAccessible.queryAccessibleInterface(w).role()  # noqa: E731
    for plot in (window.weights_plot, window.error_plot, window.sigmoid_plot):
        assert role(plot) == QAccessible.Chart
        assert plot.viewport().accessibleName().startswith(plot.accessibleName())
    assert role(window.diagram) == QAccessible.Graphic
    train_to_end(qtbot, window)
    dock = window.docks["contributionsDock"]
    dock.raise_()
    bars = window.insight.contributions.plot
    qtbot.waitUntil(lambda: "9.67299" in bars.accessibleDescription(), timeout=2000)
    assert role(bars) == QAccessible.Chart and bars.accessibleName() == "Why this prediction: bar chart"
    assert "x1: 9.67299" in bars.accessibleDescription() and "0.99993704" in bars.accessibleDescription()
    assert "iteration 10,000" in window.weights_plot.accessibleDescription()


def test_cells_say_whether_they_can_be_edited_and_the_editor_says_which_cell(qtbot, window):
    view = table(window)
    model = view.model()
    live = [c for c in range(model.columnCount()) if model.is_live_column(c)]
    assert live and all(model.data(model.index(0, c), Qt.AccessibleDescriptionRole).startswith("read-only")
                        for c in live)
    assert model.data(model.index(0, 0), Qt.AccessibleDescriptionRole).startswith("editable")
    index = model.index(1, 2)
    view.setFocus()
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.accessibleName() == "Edit x3, example 2"
    qtbot.keyClick(editor, Qt.Key_Escape)


def test_a_refused_value_is_announced_and_so_is_every_other_refusal(qtbot, window):
    said = heard(qtbot)
    edit_cell(qtbot, window, 0, 0, "abc")
    assert said == ["Row 1, x1: 'abc' is not a number. The old value 0 is kept."]
    said.clear()
    window.examples_panel.table.clearSelection()
    window.examples_panel.table.setCurrentIndex(window.model.index(-1, -1))
    window.examples_panel._remove_rows()
    assert said == ["Select the rows to remove first."]


def test_each_command_says_what_happened_once(qtbot, window):
    said = heard(qtbot)
    train_to_end(qtbot, window)
    assert said[-1] == "Trained 10,000 iterations. Prediction 0.99993704, error 2.643e-05." or \
        said[-1].startswith("Trained 10,000 iterations. Prediction 0.99993704, error "), said
    said.clear()
    trigger(window, "resetAction")
    assert said == ["Reset to the initial weights. Prediction 0.45860596, error 0.3099."]
    said.clear()
    trigger(window, "stepAction")
    qtbot.waitUntil(lambda: len(said) >= 1 and said[-1].startswith("Stepped"), timeout=3000)
    assert said == ["Stepped to iteration 1. Prediction 0.53002734, error 0.2565."]
    trigger(window, "resetAction")
    qtbot.waitUntil(lambda: not window.is_training, timeout=3000)
    said.clear()
    edit_cell(qtbot, window, 0, 0, "0.5")
    trigger(window, "undoAction")
    trigger(window, "redoAction")
    assert said == ["Undid edit row 1, x1.", "Redid edit row 1, x1."]


def test_pause_and_resume_are_announced_with_where_the_run_is(qtbot, window):
    find(window, QSlider, "speedSlider").setValue(SPEEDS.index(100))
    said = heard(qtbot)
    trigger(window, "trainAction")
    qtbot.waitUntil(lambda: window.controller.latest is not None, timeout=5000)
    trigger(window, "pauseAction")
    qtbot.waitUntil(lambda: any(s.startswith("Paused at iteration") for s in said), timeout=3000)
    trigger(window, "pauseAction")
    qtbot.waitUntil(lambda: any(s.startswith("Resumed at iteration") for s in said), timeout=3000)
    trigger(window, "stopAction")
    qtbot.waitUntil(lambda: not window.is_training, timeout=3000)
    assert said[0] == "Training to iteration 10,000." and said[-1].startswith("Stopped at iteration")
    assert len(said) == 4, said


def test_live_values_change_at_a_human_pace(qtbot, window):
    """Each new value of the progress bar or the replay slider is an event a screen reader hears."""
    find(window, QSlider, "speedSlider").setValue(SPEEDS.index(10_000))  # 10,000 iterations: a second
    progress, slider = find(window, QProgressBar, "trainingProgress"), find(window, QSlider, "replaySlider")
    changes = {"progress": 0, "slider": 0}
    progress.valueChanged.connect(lambda _: changes.__setitem__("progress", changes["progress"] + 1))
    slider.valueChanged.connect(lambda _: changes.__setitem__("slider", changes["slider"] + 1))
    started = time.monotonic()
    train_to_end(qtbot, window)
    seconds = time.monotonic() - started
    assert seconds > 0.5
    for what, n in changes.items():
        assert n <= 3 * seconds + 2, f"the {what} changed {n} times in {seconds:.1f} s"
    assert progress.value() == 10_000 and slider.value() == 10_000, "the end is shown exactly"
    window.status_label.text()  # (named at a human pace: its accessible name follows it once a run stops)
    qtbot.waitUntil(lambda: window.status_label.accessibleName() == window.status_label.text(), timeout=2000)


def test_the_table_says_the_cell_again_after_an_edit(qtbot, window, monkeypatch):
    """Qt gives the focus back to the table; the cell is announced as focused again."""
    sent = []
    monkeypatch.setattr(QAccessible, "isActive", staticmethod(lambda: True))
    monkeypatch.setattr(QAccessible, "updateAccessibility", staticmethod(
        lambda event: sent.append((event.type(), event.child()))))
    view: QTableView = table(window)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus, timeout=1000)
    edit_cell(qtbot, window, 1, 2, "0.25")
    qtbot.wait(20)
    columns = view.model().columnCount() + 1
    assert (QAccessible.Focus, (1 + 1) * columns + 2 + 1) in sent


def test_opening_a_file_is_announced_and_status_tips_are_not(qtbot, window, monkeypatch, tmp_path):
    from PySide6.QtGui import QStatusTipEvent

    said = heard(qtbot)
    QApplication.sendEvent(window, QStatusTipEvent("Train from the initial weights"))
    assert window.statusBar().currentMessage() == "Train from the initial weights"
    assert said == [], "a status tip is what a screen reader reads on the menu item already"
    path = write(tmp_path / "and.csv", "a,b,y\n0,0,0\n1,1,1\n")
    open_via_menu(window, monkeypatch, path)
    assert said == [f"Opened {path}"]


def test_a_minimised_window_hides_its_panels_and_shows_them_again(qtbot, window):
    qtbot.wait(50)
    shown = [d for d in window.findChildren(QDockWidget) if d.widget().isVisible()]
    assert window.docks["examplesDock"] in shown
    window.showMinimized()
    qtbot.waitUntil(lambda: not any(d.widget().isVisible() for d in shown), timeout=2000)
    window.showNormal()
    qtbot.waitUntil(lambda: all(d.widget().isVisible() for d in shown), timeout=2000)
