"""The window as a desktop application: toolbar, menus and shortcuts, keyboard and screen-reader access,
themes and presentation mode, help and About, the layout."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QColor, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QDockWidget,
    QMenu,
    QTableView,
    QToolBar,
    QWidget,
)

from neuron_gui.ui.window.guide import lesson_numbers
from neuron_gui.ui.window.tab_order import accessible_name, focusable_widgets
from tests.ui.window_helpers import find, train_to_end, trigger

LESSON_NUMBERS = ["-0.16595599", "0.44064899", "-0.99977125", "0.45860596", "9.67299303", "-0.20784350",
                  "-4.62963669", "0.99993704"]


def menu_actions(window) -> list[QAction]:
    """Every action in the menu bar, submenus included, as a user opening each menu would find them."""
    found: list[QAction] = []

    def walk(menu: QMenu) -> None:
        menu.aboutToShow.emit()  # menus that are rebuilt as they open (View, Open Recent)
        for action in menu.actions():
            if action.isSeparator():
                continue
            found.append(action)
            if action.menu() is not None:
                walk(action.menu())

    for action in window.menuBar().actions():
        walk(action.menu())
    return found


def plain(text: str) -> str:
    return text.replace("−", "-")


# -- toolbar, menus, shortcuts ----------------------------------------------------------------------

def test_the_toolbar_holds_the_main_commands_with_icons_and_labels(window):
    bar = find(window, QToolBar, "mainToolBar")
    names = [a.objectName() for a in bar.actions() if not a.isSeparator()]
    for name in ("newAction", "openAction", "saveAction", "undoAction", "redoAction", "trainAction",
                 "stopAction", "pauseAction", "stepAction", "continueAction", "resetAction", "guideAction"):
        assert name in names
    for action in bar.actions():
        if not action.isSeparator():
            assert not action.icon().isNull(), f"{action.objectName()} has no icon"
            assert action.iconText(), f"{action.objectName()} has no label"
    assert bar.toolButtonStyle() == Qt.ToolButtonTextBesideIcon


def test_toolbar_train_trains(qtbot, window):
    bar = find(window, QToolBar, "mainToolBar")
    button = bar.widgetForAction(find(window, QAction, "trainAction"))
    qtbot.mouseClick(button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not window.is_training and window.run.iteration == 10_000, timeout=20000)
    assert window.query_panel.prediction.text() == "0.99993704"


def test_every_command_is_in_a_menu_or_has_a_shortcut_and_every_menu_item_explains_itself(window):
    in_menus = menu_actions(window)
    reachable = {id(a) for a in in_menus}
    for action in window.actions():  # every command the window answers to
        if action.isSeparator() or not action.text():
            continue
        assert id(action) in reachable or not action.shortcut().isEmpty(), f"{action.objectName()} is unreachable"
    for action in in_menus:
        if not action.isEnabled() and not action.objectName():
            continue  # a placeholder such as "No recent files"
        label = action.objectName() or action.text()
        assert action.statusTip(), f"{label} has no status tip"
        assert action.toolTip(), f"{label} has no tooltip"
    for action in window.findChild(QToolBar, "mainToolBar").actions():
        if not action.isSeparator():
            assert action.statusTip() and action.toolTip(), action.objectName()


def test_standard_keys_and_tooltips_that_show_them(window):
    def action(name):
        return find(window, QAction, name)

    assert action("guideAction").shortcuts()[0] == QKeySequence(QKeySequence.HelpContents)
    full_screen = QKeySequence.keyBindings(QKeySequence.FullScreen) or [QKeySequence(Qt.Key_F11)]
    assert action("fullScreenAction").shortcuts() == full_screen
    assert action("openAction").shortcut() == QKeySequence(QKeySequence.Open)
    assert action("undoAction").shortcut() == QKeySequence(QKeySequence.Undo)
    shown = action("presentationAction").shortcut().toString(QKeySequence.NativeText)
    assert shown and shown in action("presentationAction").toolTip()
    assert action("undoAction").statusTip() and action("redoAction").statusTip()


def test_the_view_menu_toggles_every_panel_and_the_toolbar(window):
    view = window.menus["View"]
    view.aboutToShow.emit()
    toggles = {a for a in view.actions()}
    for dock in window.findChildren(QDockWidget):
        assert dock.toggleViewAction() in toggles, f"no View entry for {dock.objectName()}"
    assert window.findChild(QToolBar, "mainToolBar").toggleViewAction() in toggles
    examples = window.docks["examplesDock"]
    examples.toggleViewAction().trigger()
    assert examples.isHidden()
    examples.toggleViewAction().trigger()
    assert examples.isVisible()


def test_reset_layout_shows_and_docks_every_panel(qtbot, window):
    examples, training = window.docks["examplesDock"], window.docks["trainingDock"]
    examples.hide()
    training.setFloating(True)
    window.removeDockWidget(window.docks["queryDock"])
    trigger(window, "resetLayoutAction")
    for dock in window.findChildren(QDockWidget):
        assert not dock.isFloating(), dock.objectName()
        assert window.dockWidgetArea(dock) != Qt.NoDockWidgetArea, dock.objectName()
    for name in ("examplesDock", "trainingDock", "queryDock"):  # the controls, on the left
        assert window.docks[name].isVisible()
        assert window.dockWidgetArea(window.docks[name]) == Qt.LeftDockWidgetArea
    assert not window.docks["diagramDock"].visibleRegion().isEmpty()  # not hidden behind a tab
    # the plots keep the middle: at least half the window's width
    assert window.centralWidget().width() >= window.width() // 2 - 10


def test_the_default_layout_fits_1280_by_800_and_grows_for_a_projector(qtbot, window):
    for size in ((1280, 800), (1920, 1080)):
        window.resize(*size)
        qtbot.waitUntil(lambda s=size: window.width() == s[0], timeout=2000)
        trigger(window, "resetLayoutAction")
        qtbot.wait(20)
        assert window.minimumSizeHint().width() <= 1280 and window.minimumSizeHint().height() <= 800
        plots = window.centralWidget()
        assert plots.width() >= 0.45 * size[0], f"plots squeezed at {size}"
        assert plots.height() >= 0.55 * size[1], f"plots squeezed at {size}"
        assert not window.docks["diagramDock"].visibleRegion().isEmpty()
        table = find(window, QTableView, "examplesTable")
        assert table.viewport().height() >= 4 * table.verticalHeader().defaultSectionSize()  # the lesson's rows


def test_open_example_opens_a_new_untitled_table(qtbot, window):
    trigger(window, "openExampleAndAction")
    assert window.document.path is None
    assert window.model.snapshot().names == ["x1", "x2", "bias"]
    assert list(window.model.snapshot().y) == [0, 0, 0, 1]
    window.model.undo_stack.undo()
    assert window.model.snapshot().names == ["x1", "x2", "x3"]


# -- keyboard and screen readers --------------------------------------------------------------------

def tab_walk(qtbot, window, start: QWidget) -> list[QWidget]:
    start.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start, timeout=1000)
    seen = [start]
    for _ in range(300):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        now = QApplication.focusWidget()
        if now is start:
            return seen
        assert now not in seen, f"Tab went back to {now.objectName()} before coming round"
        seen.append(now)
    raise AssertionError("Tab never came back round")


def test_tab_reaches_every_control_in_reading_order(qtbot, window):
    window.desktop.tab_order.apply()
    table = find(window, QTableView, "examplesTable")
    seen = tab_walk(qtbot, window, table)
    expected = [w for w in focusable_widgets(window) if w.isVisible() and w.isEnabled()]
    missing = [w.objectName() or w.metaObject().className() for w in expected if w not in seen]
    assert not missing, f"Tab never reaches {missing}"
    order = [w.objectName() for w in seen]
    sequence = ["examplesTable", "addRowButton", "removeColumnButton", "iterationsSpin", "seedSpin",
                "learningRateSpin", "stepButton", "stepsPerClickCombo", "speedSlider", "queryInput",
                "predictionLabel", "weightsPlot", "errorPlot", "errorLogScaleCheck", "sigmoidPlot"]
    positions = [order.index(name) for name in sequence]
    assert positions == sorted(positions), ", ".join(order)


def test_tab_leaves_the_table_but_still_moves_between_cells_while_editing(qtbot, window):
    table = find(window, QTableView, "examplesTable")
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key_Tab)
    assert QApplication.focusWidget() is not table
    table.setFocus()
    table.edit(table.model().index(0, 0))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
    assert table.currentIndex().column() == 1 and table.state() == QTableView.EditingState


def test_every_control_has_an_accessible_name(window):
    unnamed = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window:
            continue
        focusable = bool(widget.focusPolicy() & Qt.TabFocus) and widget.focusProxy() is None
        if isinstance(widget.parentWidget(), QAbstractSpinBox):
            continue
        if focusable and not accessible_name(widget).strip():
            unnamed.append(f"{widget.metaObject().className()} {widget.objectName()}")
    assert not unnamed, unnamed
    for action in window.findChild(QToolBar, "mainToolBar").actions():
        if not action.isSeparator():
            assert accessible_name(window.findChild(QToolBar, "mainToolBar").widgetForAction(action))


def test_every_control_has_a_tooltip(window):
    from PySide6.QtWidgets import QAbstractButton, QAbstractSlider, QComboBox, QLineEdit

    controls = (QAbstractButton, QAbstractSpinBox, QComboBox, QAbstractSlider, QLineEdit)
    missing = [w.objectName() or w.metaObject().className() for w in focusable_widgets(window)
               if isinstance(w, controls) and not w.objectName().startswith("Scroll") and not w.toolTip()]
    assert not missing, missing
    assert window.query_panel.prediction.toolTip()
    assert window.examples_panel.table.horizontalHeader().toolTip()


def test_a_view_reached_with_tab_shows_a_focus_ring(qtbot, window):
    window.activateWindow()
    ring = window.findChild(QWidget, "weightsPlotFocusRing")
    assert ring is not None and not ring.isVisible()
    window.query_panel.prediction.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(lambda: window.query_panel.prediction.hasFocus(), timeout=1000)
    window.weights_plot.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(ring.isVisible, timeout=1000)
    assert ring.geometry() == window.weights_plot.rect()
    window.query_panel.input.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(lambda: not ring.isVisible(), timeout=1000)


def test_views_describe_their_values_to_screen_readers_and_follow_the_run(qtbot, window):
    n = lesson_numbers()
    weights, sigmoid = window.weights_plot, window.sigmoid_plot
    assert f"{n.initial[0]:.8g}" in weights.accessibleDescription()
    assert "iteration 0 " in weights.accessibleDescription()
    assert accessible_name(window.query_panel.prediction) == "Prediction: 0.45860596"
    train_to_end(qtbot, window)
    qtbot.waitUntil(lambda: "10,000 of 10,000" in weights.accessibleDescription(), timeout=5000)
    for w in n.trained:
        assert f"{w:.8g}" in weights.accessibleDescription()
    assert "6.461e-05" in window.error_plot.accessibleDescription()
    assert "example 1, target 0: output 0.0097" in sigmoid.accessibleDescription()
    assert "Query 1, 0, 0: output 0.99993704" in sigmoid.accessibleDescription()
    assert accessible_name(window.query_panel.prediction) == "Prediction: 0.99993704"
    assert "after 10,000 iterations" in window.query_panel.prediction.accessibleDescription()
    assert "output sigmoid(z) 0.99993704" in window.diagram.accessibleDescription()
    window.query_panel.input.setText("0, 1, 0")
    assert "Query 0, 1, 0" in sigmoid.accessibleDescription()


# -- themes and presentation mode -------------------------------------------------------------------

def plot_background(plot: pg.PlotWidget) -> QColor:
    return plot.backgroundBrush().color()


def test_theme_switch_restyles_the_window_and_every_plot(qtbot, window):
    trigger(window, "themeDarkAction")
    assert QApplication.palette().color(QPalette.Window).lightness() < 128
    plots = window.findChildren(pg.PlotWidget)
    assert len(plots) >= 3
    for plot in plots:
        assert plot_background(plot).lightness() < 60, plot.objectName()
        assert plot.getPlotItem().getAxis("bottom").textPen().color().lightness() > 180
    assert window.weights_plot.curves and window.weights_plot.curves[0].opts["pen"].color() == QColor("#56B4E9")
    assert QSettings().value("view/theme") == "dark"
    trigger(window, "themeLightAction")
    assert QApplication.palette().color(QPalette.Window).lightness() > 128
    for plot in plots:
        assert plot_background(plot).lightness() > 200, plot.objectName()
        assert plot.getPlotItem().getAxis("bottom").textPen().color().lightness() < 100


def test_the_theme_follows_the_system_unless_overridden(qtbot, window):
    themes = window.desktop.themes
    assert themes.mode == "system" and find(window, QAction, "themeSystemAction").isChecked()
    hints = QGuiApplication.styleHints()
    # the offscreen platform reports no scheme; a change of it must restyle in "system" mode only
    themes.set_mode("dark")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert themes.is_dark()
    themes.set_mode("system")
    assert not themes.is_dark()  # the platform's palette here is light


def test_in_follow_system_mode_the_window_turns_dark_when_the_system_does(qtbot, window, monkeypatch):
    import neuron_gui.ui.style.themes as themes_module

    real = QGuiApplication.styleHints()

    class DarkSystem:  # what the platform reports once the user switches their desktop to dark
        def colorScheme(self):  # noqa: N802 (Qt API)
            return Qt.ColorScheme.Dark

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(themes_module.QGuiApplication, "styleHints", staticmethod(lambda: DarkSystem()))
    real.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert window.desktop.themes.is_dark()
    assert QApplication.palette().color(QPalette.Window).lightness() < 128
    assert plot_background(window.weights_plot).lightness() < 60
    trigger(window, "themeLightAction")  # an explicit choice wins over the system's
    real.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert not window.desktop.themes.is_dark()


def test_presentation_mode_enlarges_text_and_thickens_lines(qtbot, window):
    train_to_end(qtbot, window)
    app_size = QApplication.font().pointSizeF()
    prediction = window.query_panel.prediction.font().pointSizeF()
    tick = window.weights_plot.getPlotItem().getAxis("left").style["tickFont"]
    tick_size = tick.pointSizeF() if tick is not None else app_size
    assert window.weights_plot.curves[0].opts["pen"].widthF() <= 1  # fast 1-px pens normally
    trigger(window, "presentationAction")
    assert QApplication.font().pointSizeF() >= 1.4 * app_size
    assert window.query_panel.prediction.font().pointSizeF() >= 1.4 * prediction
    assert window.weights_plot.getPlotItem().getAxis("left").style["tickFont"].pointSizeF() >= 1.4 * tick_size
    assert window.weights_plot.curves[0].opts["pen"].widthF() >= 2.5
    assert window.sigmoid_plot.marker_size() >= 15
    table = find(window, QTableView, "examplesTable")
    assert table.verticalHeader().defaultSectionSize() > table.fontMetrics().height()  # rows not clipped
    assert QSettings().value("view/presentation", type=bool)
    trigger(window, "presentationAction")
    assert QApplication.font().pointSizeF() == pytest.approx(app_size)
    assert window.weights_plot.curves[0].opts["pen"].widthF() <= 1


def test_closing_the_window_gives_the_application_its_own_font_and_palette_back(qtbot):
    from neuron_gui.ui import MainWindow

    size = QApplication.font().pointSizeF()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    trigger(window, "presentationAction")
    trigger(window, "themeDarkAction")
    window.close()
    assert QApplication.font().pointSizeF() == pytest.approx(size)
    assert QApplication.palette().color(QPalette.Window).lightness() > 128


def test_messages_stay_readable_in_the_dark_theme(qtbot, window):
    trigger(window, "themeDarkAction")
    window.query_panel.input.setText("1, 2")
    message = window.query_panel.message
    assert message.isVisible()
    assert "#ff8a80" in message.styleSheet()
    trigger(window, "themeLightAction")
    assert "#b00020" in message.styleSheet()


# -- help -------------------------------------------------------------------------------------------

def test_the_guide_opens_with_f1_and_explains_the_lesson_with_its_numbers(qtbot, window):
    qtbot.keyClick(window, Qt.Key_F1)
    guide = window.desktop.help.guide
    assert guide is not None and guide.isVisible() and guide.objectName() == "guideDialog"
    text = plain(guide.text)
    for heading in ("A neuron", "A weight", "The sigmoid", "The delta rule"):
        assert heading in text
    for number in LESSON_NUMBERS:
        assert number in text, number
    assert "w += X.T @ ((y - out) * out * (1 - out))" in text
    assert "Ctrl+Return" in text and "Presentation Mode" in text  # the keyboard table, from the menus
    guide.close()


def test_the_first_iteration_in_the_guide_is_the_runs_first_step(qtbot, window):
    n = lesson_numbers()
    trigger(window, "stepAction")
    qtbot.waitUntil(lambda: window.run.iteration == 1, timeout=5000)
    window.stop()
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)
    assert list(window.run.weights) == list(n.after_one)
    trigger(window, "guideAction")
    assert plain(f"{n.after_one[0]:.8f}") in plain(window.desktop.help.guide.text)


def test_about_shows_every_version(qtbot, window):
    import numba
    import numpy
    import PySide6
    from PySide6.QtCore import qVersion

    from neuron_gui import __version__

    trigger(window, "aboutAction")
    about = window.desktop.help.about
    assert about.isVisible() and about.objectName() == "aboutDialog"
    text = about.versions.text()
    for version in (__version__, PySide6.__version__, qVersion(), pg.__version__, numpy.__version__,
                    numba.__version__):
        assert version in text
    about.copy_versions()
    assert f"neuron-gui: {__version__}" in QApplication.clipboard().text()
    about.close()


def test_a_plot_exported_in_the_dark_theme_keeps_its_dark_background(qtbot, window):
    from PySide6.QtGui import QImage

    from neuron_gui.ui.window import exports

    trigger(window, "themeDarkAction")
    image = QImage.fromData(exports.plot_image(window.weights_plot, "png"))
    assert image.pixelColor(3, 3).lightness() < 60  # light axes and labels stay readable
    trigger(window, "themeLightAction")
    image = QImage.fromData(exports.plot_image(window.weights_plot, "png"))
    assert image.pixelColor(3, 3).lightness() > 240


def test_full_screen_toggles_and_its_menu_item_follows(qtbot, window):
    trigger(window, "fullScreenAction")
    qtbot.waitUntil(lambda: bool(window.windowState() & Qt.WindowFullScreen), timeout=2000)
    assert find(window, QAction, "fullScreenAction").isChecked()
    trigger(window, "fullScreenAction")
    qtbot.waitUntil(lambda: not window.windowState() & Qt.WindowFullScreen, timeout=2000)
    assert not find(window, QAction, "fullScreenAction").isChecked()


def test_theme_presentation_and_a_rearranged_layout_carry_over_to_the_next_window(qtbot):
    from neuron_gui.ui import MainWindow

    def open_window():
        w = MainWindow()
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        return w

    first = open_window()
    trigger(first, "themeDarkAction")
    trigger(first, "presentationAction")
    first.addDockWidget(Qt.RightDockWidgetArea, first.docks["queryDock"])
    first.close()

    second = open_window()
    assert second.desktop.themes.is_dark() and second.desktop.themes.presentation
    assert find(second, QAction, "presentationAction").isChecked()
    assert find(second, QAction, "themeDarkAction").isChecked()
    assert second.dockWidgetArea(second.docks["queryDock"]) == Qt.RightDockWidgetArea
    trigger(second, "resetLayoutAction")
    assert second.dockWidgetArea(second.docks["queryDock"]) == Qt.LeftDockWidgetArea
    second.close()


def test_a_focused_plot_zooms_with_plus_and_minus_and_follows_again_with_home(qtbot, window):
    train_to_end(qtbot, window)
    plot = window.weights_plot
    vb = plot.getPlotItem().getViewBox()
    (x0, x1), _ = vb.viewRange()
    plot.setFocus(Qt.TabFocusReason)
    qtbot.keyClick(plot, Qt.Key_Plus)
    (z0, z1), _ = vb.viewRange()
    assert z1 - z0 == pytest.approx((x1 - x0) / 2) and not plot.following
    qtbot.keyClick(plot, Qt.Key_Minus)
    qtbot.keyClick(plot, Qt.Key_Minus)
    (z0, z1), _ = vb.viewRange()
    assert z1 - z0 == pytest.approx(2 * (x1 - x0))
    qtbot.keyClick(plot, Qt.Key_Home)
    assert plot.following and vb.viewRange()[0] == pytest.approx([x0, x1])
    assert "Home follows the run again" in plot.accessibleDescription()


def test_keyboard_shortcuts_list_each_key_once_and_say_what_save_saves(window):
    from neuron_gui.ui.window.help import menu_shortcuts

    redo = find(window, QAction, "redoAction")
    # what Linux's standard Redo plus the same key by name gave: listed "Ctrl+Shift+Z, Ctrl+Shift+Z"
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    rows = {name: (keys, tip) for name, keys, tip in menu_shortcuts(list(window.menus.values()))}
    assert rows["Redo"][0] == "Ctrl+Shift+Z, Ctrl+Y"
    assert list(rows).count("Redo") == 1
    save = rows["Save"][1].lower()
    assert "session" in save and "table" in save and "name" in save


def test_the_windows_own_redo_keys_are_each_listed_once(qtbot):
    from neuron_gui.ui.window.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    keys = [k.toString() for k in w.redo_action.shortcuts()]
    assert len(keys) == len(set(keys)) and "Ctrl+Shift+Z" in keys and "Ctrl+Y" in keys
    w.close()


def test_toolbar_buttons_stay_put_as_undo_names_the_edit_and_guide_fits_at_1280(qtbot, window):
    from PySide6.QtWidgets import QToolBar, QToolButton

    from tests.ui.window_helpers import click

    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280, timeout=2000)
    bar = find(window, QToolBar, "mainToolBar")

    def buttons():
        return {a.objectName(): bar.widgetForAction(a).geometry().x() for a in bar.actions()
                if isinstance(bar.widgetForAction(a), QToolButton) and a.objectName()}

    before = buttons()
    click(qtbot, window, "addColumnButton", QToolButton)
    qtbot.wait(30)
    assert "input" in find(window, QAction, "undoAction").text().lower()  # "Undo add input column"
    assert buttons() == before, "buttons moved as Undo's label grew"
    guide = bar.widgetForAction(find(window, QAction, "guideAction"))
    assert guide.isVisible() and bar.rect().contains(guide.geometry()), "Guide is in the overflow menu at 1280"
