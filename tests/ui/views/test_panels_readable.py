"""Nothing cut off: the insight panels show every number whole where the default layouts put them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtWidgets import QLabel, QTableView, QWidget

from tests.ui.plot_helpers import axis_labels, resize_to
from tests.ui.window_helpers import find, train_to_end


def show_dock(qtbot, window, name: str) -> QWidget:
    dock = window.docks[name]
    dock.show()
    dock.raise_()
    qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty(), timeout=2000)
    qtbot.wait(50)
    return dock.widget()


def fully_visible(widget: QWidget) -> bool:
    """The whole widget can be seen: no parent (a scroll area, a dock) clips any of it."""
    return widget.isVisible() and widget.visibleRegion().boundingRect() == widget.rect() and \
        widget.visibleRegion().rectCount() >= 1 and _area(widget.visibleRegion()) == widget.width() * widget.height()


def _area(region) -> int:
    return sum(r.width() * r.height() for r in region)


def assert_table_whole(table: QTableView) -> None:
    """Every cell of ``table`` lies inside its viewport, and the viewport can be seen."""
    model = table.model()
    viewport = table.viewport().rect()
    seen = table.viewport().visibleRegion()
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            cell = table.visualRect(model.index(r, c))
            assert viewport.contains(cell), f"{table.objectName()}: cell ({r}, {c}) is cut off"
            assert seen.contains(cell), f"{table.objectName()}: cell ({r}, {c}) is out of sight"


@pytest.mark.parametrize("size", ((1280, 800), (1920, 1080)))
def test_the_update_panel_shows_every_row_and_each_new_weight(qtbot, window, size):
    resize_to(qtbot, window, size)
    window.training_panel.learning_rate.setValue(0.3)
    train_to_end(qtbot, window)
    panel = show_dock(qtbot, window, "updateDock")
    qtbot.waitUntil(lambda: panel.breakdown is not None, timeout=2000)
    qtbot.wait(50)
    assert_table_whole(find(window, QTableView, "updateExamplesTable"))
    for j in range(3):
        for c in range(6):
            label = find(window, QLabel, f"updateWeight{j}" if c == 0 else f"updateWeight{j}_{c}")
            assert fully_visible(label), f"at {size}: {label.text()!r} (weight {j + 1}, column {c}) is cut off"
        change = find(window, QLabel, f"updateWeight{j}_3").text()
        assert "=" not in change, f"the change {change!r} reads as if it were the new weight"
        new = find(window, QLabel, f"updateWeight{j}_5").text()
        assert float(new.replace("\u2212", "-")) == pytest.approx(float(panel.breakdown.new_weights[j]), abs=1e-7)


@pytest.mark.parametrize("size", ((1024, 700), (1280, 800), (1920, 1080)))
def test_why_this_prediction_shows_its_values_and_bar_names_whole(qtbot, window, size):
    resize_to(qtbot, window, size)
    train_to_end(qtbot, window)
    panel = show_dock(qtbot, window, "contributionsDock")
    qtbot.waitUntil(lambda: panel.shown is not None, timeout=2000)
    qtbot.wait(50)
    plot = panel.plot
    area = QRectF(plot.viewport().rect())
    shown = [label for label in panel.values if label.isVisible()]
    assert len(shown) == 4
    bars = plot.getPlotItem().vb.sceneBoundingRect()  # the view box clips what it holds
    for label in shown:
        rect = label.mapRectToScene(label.boundingRect())
        assert bars.contains(rect), f"at {size}: the value {label.textItem.toPlainText()!r} is cut off"
    names = axis_labels(plot.getPlotItem().getAxis("bottom"))
    assert [t for _, t in names] == ["w₁·x1", "w₂·x2", "w₃·x3", "z (sum)"]
    for rect, text in names:
        assert area.contains(rect), f"at {size}: the bar name {text!r} is cut off"


def test_kept_runs_show_their_numbers_and_names_whole(qtbot, window):
    resize_to(qtbot, window, (1024, 700))
    train_to_end(qtbot, window)
    panel = show_dock(qtbot, window, "runsDock")
    window.insight.keep_run()
    qtbot.wait(50)
    table = find(window, QTableView, "keptRunsTable")
    model = table.model()
    metrics = table.fontMetrics()
    for c in range(model.columnCount()):
        text = model.data(model.index(0, c), Qt.DisplayRole)
        rect: QRect = table.visualRect(model.index(0, c))
        room = rect.width() - (44 if c == 0 else 0)  # the check box and the dash sample before the name
        assert metrics.horizontalAdvance(text) + 6 <= room, f"{text!r} does not fit its column ({room} px)"
        assert table.viewport().rect().contains(rect), f"column {c} is out of sight"
    assert table.columnWidth(0) < 0.4 * table.viewport().width(), "the Run column takes the width the numbers need"
    assert panel.isVisible()


@pytest.mark.parametrize(("size", "presentation"), (((1280, 800), False), ((1600, 1000), True)))
def test_the_error_surface_is_a_readable_chart_with_a_labelled_colour_bar(qtbot, window, size, presentation):
    if presentation:
        window.desktop.themes.set_presentation(True)
    resize_to(qtbot, window, size)
    train_to_end(qtbot, window)
    view = show_dock(qtbot, window, "errorSurfaceDock")
    qtbot.waitUntil(lambda: view.result is not None, timeout=10000)
    qtbot.wait(50)
    plot = view.plot
    assert plot.height() >= 7 * view.fontMetrics().height(), f"the surface is a strip at {size}"
    assert fully_visible(plot.viewport()), f"the surface is cut off at {size}"
    for side in ("left", "bottom"):
        texts = [t for _, t in axis_labels(plot.getPlotItem().getAxis(side))]
        assert len(texts) >= 2, f"{side} axis: {texts}"
        axis = plot.getPlotItem().getAxis(side)
        assert axis.autoSIPrefixScale == 1.0, f"{side} axis: a scale factor instead of the numbers"
        assert not any("e" in t for t in texts), texts
    bar = view.colour_bar.axis
    labels = axis_labels(bar)
    assert len(labels) >= 2, "the colour bar does not say which error each colour is"
    rects = [r for r, _ in labels]
    assert all(not a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:]), labels
    assert "error" in bar.labelText
    plot.setRange(xRange=(-4e-4, 4e-4), padding=0)  # weights near 0: pyqtgraph wrote "−400 … (x0.001)"
    qtbot.wait(30)
    axis = plot.getPlotItem().getAxis("bottom")
    texts = [t for _, t in axis_labels(axis)]
    assert axis.autoSIPrefixScale == 1.0 and "(x0.001)" not in axis.labelString()
    assert any("×10⁻⁴" in t for t in texts), texts


def test_colour_bar_ticks_label_every_range():
    from neuron_gui.ui.views.error_surface import colour_bar_ticks

    assert [t for _, t in colour_bar_ticks(-5.3, -0.2)] == ["10⁻⁵", "10⁻⁴", "0.001", "0.01", "0.1"]
    assert [t for _, t in colour_bar_ticks(-0.9, -0.3)] == ["0.2", "0.5"]  # no decade inside
    assert len(colour_bar_ticks(-0.45, -0.4)) == 2  # not even 2 or 5 inside: its ends
    assert len(colour_bar_ticks(-12, 0, room=4)) <= 4
