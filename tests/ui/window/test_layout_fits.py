"""The layout fits the window it is in, without View > Reset Layout: a layout remembered from a wide
window, a window made smaller, the smallest window a laptop gives (1024x700)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QTableView

from tests.ui.window_helpers import find, trigger


def open_window(qtbot):
    from neuron_gui.ui import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def resize(qtbot, window, size) -> None:
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size, timeout=2000)
    qtbot.wait(50)  # the refit runs once the docks have been laid out for the new size


def assert_fits(window) -> None:
    size = (window.width(), window.height())
    plots = window.centralWidget()
    assert plots.width() >= 0.45 * size[0], f"plots squeezed to {plots.width()} px wide at {size}"
    assert plots.height() >= 0.4 * size[1], f"plots squeezed to {plots.height()} px tall at {size}"
    table = find(window, QTableView, "examplesTable")
    assert table.viewport().height() >= 4 * table.verticalHeader().defaultSectionSize(), \
        f"the table shows fewer than its 4 rows at {size}"


@pytest.mark.parametrize("size", ((1024, 740), (1280, 800)))
def test_a_layout_remembered_from_a_wide_window_fits_a_smaller_one(qtbot, size):
    wide = open_window(qtbot)
    resize(qtbot, wide, (1920, 1080))
    trigger(wide, "resetLayoutAction")  # the projector layout: a column of views on the right
    qtbot.wait(30)
    wide.close()

    window = open_window(qtbot)  # restores that layout
    resize(qtbot, window, size)
    assert_fits(window)
    window.close()


def test_the_window_can_be_made_1024_by_700_from_either_layout(qtbot):
    window = open_window(qtbot)
    for start in ((1920, 1080), (1280, 800)):
        resize(qtbot, window, start)
        trigger(window, "resetLayoutAction")
        qtbot.wait(30)
        hint = window.minimumSizeHint()
        assert hint.width() <= 1024 and hint.height() <= 700, f"from {start}: at least {hint.toTuple()}"
        resize(qtbot, window, (1024, 700))
        assert_fits(window)
    window.close()


def test_a_layout_the_user_arranged_that_fits_is_kept(qtbot):
    from PySide6.QtCore import Qt

    window = open_window(qtbot)
    resize(qtbot, window, (1280, 800))
    window.addDockWidget(Qt.RightDockWidgetArea, window.docks["queryDock"])
    window.resizeDocks([window.docks["queryDock"]], [250], Qt.Horizontal)
    resize(qtbot, window, (1200, 780))
    assert window.dockWidgetArea(window.docks["queryDock"]) == Qt.RightDockWidgetArea
    window.close()
