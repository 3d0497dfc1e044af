"""The plots stay readable at every window size: legends beside the data, never over it; every label
shown whole; something to see before Train; axes written in the app's one number style."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRectF

from neuron_gui.core.examples import Examples
from neuron_gui.core.history import Series
from neuron_gui.ui.style.axes import tick_text
from tests.ui.plot_helpers import axis_labels, plotted_points, resize_to
from tests.ui.window_helpers import train_to_end

SIZES = ((1024, 700), (1280, 800), (1920, 1080))


def assert_legend_clear_of_data(plot: pg.PlotWidget) -> None:
    item = plot.getPlotItem()
    legend = item.legend
    area = item.vb.sceneBoundingRect()
    box = legend.sceneBoundingRect().adjusted(1, 1, -1, -1)  # (the view box's outline is half a pixel wide)
    name = plot.objectName()
    assert legend.isVisible() and box.width() > 0 and box.height() > 0, name
    assert not box.intersects(area), f"{name}: the legend lies over the plot area"
    points = plotted_points(plot)
    under = [p for p in points if box.contains(*p)]
    assert not under, f"{name}: {len(under)} of {len(points)} points lie under the legend"
    visible = QRectF(plot.viewport().rect())
    for _sample, label in legend.items:
        rect = label.mapRectToScene(label.item.boundingRect())
        assert visible.contains(rect), f"{name}: the legend entry {label.text!r} is cut off"
        text_width = label.item.boundingRect().width()
        assert rect.width() >= text_width - 1, f"{name}: the legend entry {label.text!r} is squeezed"


@pytest.mark.parametrize("size", SIZES)
def test_no_legend_lies_over_the_data_it_explains(qtbot, window, size):
    resize_to(qtbot, window, size)
    train_to_end(qtbot, window)
    qtbot.wait(30)
    for plot in (window.weights_plot, window.error_plot, window.sigmoid_plot):
        assert_legend_clear_of_data(plot)
    # the query's star, which the Sigmoid legend hid at 1024 wide, is inside the plot area and not under it
    star = window.sigmoid_plot.query.getData()
    point = window.sigmoid_plot.plotItem.vb.mapViewToScene(pg.Point(float(star[0][0]), float(star[1][0])))
    assert window.sigmoid_plot.plotItem.vb.sceneBoundingRect().contains(point)


def test_the_hover_readout_is_never_drawn_under_a_legend(qtbot, window):
    resize_to(qtbot, window, (1024, 700))
    train_to_end(qtbot, window)
    for plot in (window.weights_plot, window.sigmoid_plot):
        vb = plot.getPlotItem().vb
        legend = plot.getPlotItem().legend.sceneBoundingRect()
        for corner in (vb.sceneBoundingRect().topRight(), vb.sceneBoundingRect().bottomRight()):
            at = vb.mapSceneToView(corner)
            plot.hover.hover_at(at.x(), at.y())
            qtbot.wait(10)
            label = plot.hover_label
            assert label.isVisible()
            assert not label.sceneBoundingRect().intersects(legend), f"{plot.objectName()}: readout under the legend"


def test_sixteen_inputs_each_have_a_legend_entry_that_can_be_read(qtbot, window):
    resize_to(qtbot, window, (1280, 800))
    rng = np.random.default_rng(3)
    X = rng.integers(0, 2, size=(6, 16)).astype(float)
    window.model.replace_all(Examples.create(X, X[:, 0]), "sixteen inputs")
    qtbot.wait(30)
    legend = window.weights_plot.plotItem.legend
    assert [label.text for _, label in legend.items] == [f"x{j}" for j in range(1, 17)]
    assert_legend_clear_of_data(window.weights_plot)


def test_the_starting_weights_and_error_are_drawn_before_train(qtbot, window):
    resize_to(qtbot, window, (1280, 800))
    run = window.run
    assert run.iteration == 0
    for plot, values in ((window.weights_plot, run.weights), (window.error_plot, [run.history.last_error()])):
        vb = plot.getPlotItem().vb
        area = vb.sceneBoundingRect()
        for curve, value in zip(plot.curves, values, strict=True):
            x, y = curve.getData()
            assert len(x) == 1 and x[0] == 0
            assert curve.opts["symbol"] is not None, f"{plot.objectName()}: a single point drawn as a line is nothing"
            shown = float(np.log10(value)) if plot is window.error_plot and plot.log_scale else float(value)
            point = vb.mapViewToScene(pg.Point(0.0, shown))
            margin = curve.opts["symbolSize"] / 2
            assert area.adjusted(margin, margin, -margin, -margin).contains(point), \
                f"{plot.objectName()}: the value at iteration 0 is on or beyond the plot's edge"


def labels_do_not_overlap(labels: list[tuple[QRectF, str]]) -> None:
    for i, (a, ta) in enumerate(labels):
        for b, tb in labels[i + 1:]:
            assert not a.intersects(b), f"the labels {ta!r} and {tb!r} overlap"


@pytest.mark.parametrize("size", ((1024, 700), (1280, 800)))
def test_the_log_error_axis_is_labelled_at_decades_that_do_not_overlap(qtbot, window, size):
    resize_to(qtbot, window, size)
    axis = window.error_plot.getPlotItem().getAxis("left")
    before = axis_labels(axis)  # one decade: 0.3099 at iteration 0
    assert [t for _, t in before] == ["0.1", "1"]
    labels_do_not_overlap(before)
    train_to_end(qtbot, window)
    qtbot.wait(30)
    after = axis_labels(axis)
    assert len(after) >= 2
    labels_do_not_overlap(after)
    assert all(t in ("1", "0.1", "0.01", "0.001") or t.startswith("10⁻") for _, t in after), after


def test_axes_write_numbers_in_the_apps_one_style(qtbot, window):
    resize_to(qtbot, window, (1280, 800))
    plot = window.weights_plot
    x = np.linspace(0, 1_000_000, 101)
    plot.set_target(1_000_000)
    plot.set_series(Series(x, np.column_stack([np.sin(x), np.cos(x), -np.ones_like(x)])), ["x1", "x2", "x3"])
    qtbot.wait(30)
    texts = [t for _, t in axis_labels(plot.getPlotItem().getAxis("bottom"))]
    assert any(t in texts for t in ("200,000", "400,000", "500,000", "1,000,000")), texts
    assert not any("e+" in t or "e-" in t for t in texts), texts
    assert not any(t.isdigit() and len(t) > 3 for t in texts), f"thousands without separators: {texts}"
    left = [t for _, t in axis_labels(plot.getPlotItem().getAxis("left"))]
    assert "−1" in left and "-1" not in left  # a real minus sign


def test_tick_text_matches_the_rest_of_the_app():
    assert tick_text(1_000_000, 200_000) == "1,000,000"
    assert tick_text(200_000, 200_000) == "200,000"
    assert tick_text(2e6, 1e6) == "2,000,000"
    assert tick_text(1e-6) == "10⁻⁶"
    assert tick_text(2e-6, 1e-6) == "2×10⁻⁶"
    assert tick_text(0.25, 0.25) == "0.25"
    assert tick_text(-400, 100) == "−400"
    assert tick_text(-0.0004, 0.0002) == "−4×10⁻⁴"
    assert tick_text(5e-17, 0.1) == "0"


def test_a_stalled_run_on_the_flat_ends_of_the_sigmoid_says_why(qtbot, window):
    resize_to(qtbot, window, (1024, 700))
    assert not window.sigmoid_plot.saturated
    train_to_end(qtbot, window)
    assert not window.sigmoid_plot.saturated, "the lesson's run learns: nothing to explain"
    window.training_panel.learning_rate.setValue(1e6)
    window.training_panel.iterations.setValue(1000)
    train_to_end(qtbot, window)
    qtbot.wait(30)
    plot = window.sigmoid_plot
    outputs = plot.shown_points()[2]
    assert np.all(outputs > 0.9999) or np.any(np.abs(window.run.y - outputs) > 0.25)  # the stall the issue saw
    assert plot.saturated
    note = plot.saturation_note
    text = note.textItem.toPlainText()
    assert "saturated" in text and "learning rate" in text
    assert plot.getPlotItem().vb.sceneBoundingRect().contains(note.sceneBoundingRect()), "the note is cut off"


def test_iteration_labels_never_run_into_each_other_in_presentation_mode(qtbot, window):
    window.desktop.themes.set_presentation(True)
    resize_to(qtbot, window, (1600, 1000))
    train_to_end(qtbot, window)
    qtbot.wait(30)
    for plot in (window.weights_plot, window.error_plot, window.sigmoid_plot):
        labels = axis_labels(plot.getPlotItem().getAxis("bottom"))
        assert len(labels) >= 2, plot.objectName()
        for (a, ta), (b, tb) in zip(labels, labels[1:], strict=False):
            gap = abs(b.center().x() - a.center().x()) - (a.width() + b.width()) / 2
            assert gap >= 6, f"{plot.objectName()}: {ta!r} and {tb!r} are {gap:.0f} px apart"
