"""The views of a network (issue 14): every number checked against the core run trained headless."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QSlider, QTableView

from neuron_gui.core import network
from neuron_gui.core.network import Shape
from neuron_gui.core.network_insight import backprop_breakdown
from neuron_gui.core.sequel import SEQUEL_QUERY, sequel_examples, sequel_settings
from neuron_gui.core.training import Run, train
from tests.ui.window_helpers import find, train_to_end, trigger

ITERATIONS = 3000  # a sequel run shortened: the same network, quick to train in a test


def sequel_window(qtbot, window, iterations=ITERATIONS):
    trigger(window, "sequelPresetAction")
    window.training_panel.iterations.setValue(iterations)
    train_to_end(qtbot, window, timeout=60000)
    return train(sequel_examples(), sequel_settings().with_(iterations=iterations))


def test_the_weights_plot_names_every_weight_by_the_neurons_it_joins(qtbot, window):
    core = sequel_window(qtbot, window)
    names = [c.name() for c in window.weights_plot.curves]
    assert names == Shape(3, (4,)).weight_names(sequel_examples().names)
    assert names[0] == "x1→h1" and names[-1] == "h4→out"
    np.testing.assert_array_equal(window.session.run.weights, core.weights)


def test_the_diagram_shows_every_layer_and_each_nodes_output_for_the_query(qtbot, window):
    core = sequel_window(qtbot, window)
    window.refresh_views()
    shown = window.diagram.network
    assert shown is not None
    assert [len(n) for n in shown.names] == [3, 4, 1]
    assert shown.names[1] == ["h1", "h2", "h3", "h4"] and shown.names[2] == ["out"]
    expected = core.activations(SEQUEL_QUERY)
    for got, want in zip(shown.activations, expected, strict=True):
        np.testing.assert_array_equal(got, want[0])
    assert shown.iteration == ITERATIONS
    # the layer weights drawn are the run's
    for got, want in zip(shown.layers, core.layer_weights(), strict=True):
        np.testing.assert_array_equal(got, want)
    # hovering a node gives its exact value
    from neuron_gui.ui.views.layer_diagram import LayerHit, value_text
    assert repr(float(expected[1][0, 1])) in value_text(shown, LayerHit("node", 1, 1))


@pytest.mark.parametrize("pick", [0, 2])
def test_the_sigmoid_shows_the_neuron_picked_with_each_example_at_its_z(qtbot, window, pick):
    core = sequel_window(qtbot, window)
    combo = find(window, QComboBox, "sigmoidNeuronCombo")
    assert combo.isVisible()
    assert combo.itemText(0) == "output neuron" and combo.count() == 5
    combo.setCurrentIndex(pick)
    window.refresh_views()
    b = backprop_breakdown(core.X, core.y, core.shape, core.weights)
    z = b.z[-1][:, 0] if pick == 0 else b.z[0][:, pick - 1]  # pick 2 is h2: column 1 of the first layer
    _, shown_z, shown_out = window.sigmoid_plot.shown_points()
    np.testing.assert_allclose(shown_z, z, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(shown_out, b.activations[-1][:, 0] if pick == 0 else b.activations[1][:, pick - 1],
                               rtol=1e-13)
    assert ("output neuron" if pick == 0 else "h2") in window.sigmoid_plot.plotItem.titleLabel.text


def test_back_to_one_neuron_hides_the_neuron_choice(qtbot, window):
    sequel_window(qtbot, window, 10)
    trigger(window, "lessonPresetAction")
    window.refresh_views()
    assert not find(window, QComboBox, "sigmoidNeuronCombo").isVisible()
    assert window.diagram.network is None


def test_replay_is_exact_at_every_iteration(qtbot, window):
    sequel_window(qtbot, window, 400)
    slider = find(window, QSlider, "replaySlider")
    assert slider.maximum() == 400
    for k in (0, 1, 57, 399):
        slider.setValue(k)
        core = train(sequel_examples(), sequel_settings().with_(iterations=k)) if k else \
            Run(sequel_examples(), sequel_settings())
        state = window.session.display_state()
        assert state.iteration == k
        np.testing.assert_array_equal(state.weights, core.weights)
        window.refresh_views()
        assert find(window, QLabel, "predictionLabel").text() == f"{core.predict(SEQUEL_QUERY):.8f}"
        for got, want in zip(window.diagram.network.layers, core.layer_weights(), strict=True):
            np.testing.assert_array_equal(got, want)


def test_kept_runs_put_one_neuron_and_the_network_side_by_side(qtbot, window):
    trigger(window, "sequelPresetAction")
    settings = sequel_settings().with_(iterations=ITERATIONS)
    window.training_panel.iterations.setValue(ITERATIONS)
    window.training_panel.hidden_layers.change_to(())
    train_to_end(qtbot, window, timeout=60000)
    trigger(window, "keepRunAction")
    window.training_panel.hidden_layers.change_to((4,))
    train_to_end(qtbot, window, timeout=60000)
    trigger(window, "keepRunAction")
    model = find(window, QTableView, "keptRunsTable").model()
    rows = [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]
    headers = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
    shape = headers.index("Shape")
    single = train(sequel_examples(), settings.with_(hidden=()))
    net = train(sequel_examples(), settings)
    assert [r[shape] for r in rows] == ["one neuron", "3-4-1"]
    assert rows[0][5] == rows[1][5]  # the same data
    runs = model.runs
    assert runs[0].final_error == single.history.last_error()
    assert runs[1].final_error == net.history.last_error()
    assert single.predict(SEQUEL_QUERY) > 0.5 > net.predict(SEQUEL_QUERY)  # one neuron fails XOR, the network not
    assert len(window.insight.runs.overlays.items[runs[0].number][0]) == 3
    assert len(window.insight.runs.overlays.items[runs[1].number][0]) == network.Shape(3, (4,)).n_params


def show_dock(qtbot, window, name):
    dock = window.docks[name]
    dock.show()
    dock.raise_()
    view = dock.widget()
    if name == "hiddenNeuronsDock":
        qtbot.waitUntil(view.isVisible, timeout=2000)
    else:
        qtbot.waitUntil(lambda: window.insight.is_on_screen(view), timeout=2000)


def test_the_update_written_out_is_backpropagation_with_its_real_numbers(qtbot, window):
    sequel_window(qtbot, window, 200)
    find(window, QSlider, "replaySlider").setValue(57)
    show_dock(qtbot, window, "updateDock")
    window.insight.refresh()
    panel = window.insight.update_panel
    at_57 = train(sequel_examples(), sequel_settings().with_(iterations=57))
    at_58 = train(sequel_examples(), sequel_settings().with_(iterations=58))
    b = backprop_breakdown(at_57.X, at_57.y, at_57.shape, at_57.weights, 1.0, 57, ["x1", "x2", "x3"])
    np.testing.assert_array_equal(panel.network_breakdown.new_weights, at_58.weights)  # the next record
    combo = find(window, QComboBox, "backpropWeightCombo")
    assert combo.isVisible() and combo.count() == 16
    index = at_57.weight_names.index("x2→h3")
    combo.setCurrentIndex(index)
    detail = find(window, QLabel, "updateExampleDetail").text()
    u = b.weight_update_at(index)
    from neuron_gui.ui.style.math_text import number
    assert f"x2→h3: {number(u.old, 8)} + {number(u.adjustment, 8)} = <b>{number(u.new, 8)}</b>" in detail
    assert u.new == at_58.layer_weights()[0][1, 2]
    # the output delta of example 1 and a hidden delta as its chain-rule product
    assert f"<b>{number(b.output_delta[0], 5)}</b>" in detail
    h = b.hidden_delta(1, 1)
    assert f"δ<sub>h2</sub> = [({number(h.deltas_up[0, 0], 4)})·({number(h.weights_up[0], 4)})]" in detail
    assert f"<b>{number(h.delta[0], 5)}</b>" in detail
    # every weight's row: old + change = new
    rows = [[label.text() for label in row] for row in panel.weight_rows]
    assert rows[index][0] == "x2→h3 ←" and rows[index][5] == number(u.new, 6)


def test_why_this_prediction_walks_the_query_through_the_layers(qtbot, window):
    core = sequel_window(qtbot, window)
    show_dock(qtbot, window, "contributionsDock")
    window.insight.refresh()
    text = window.insight.contributions.equation.text()
    acts = core.activations(SEQUEL_QUERY)
    from neuron_gui.ui.style.math_text import number
    for j in range(4):
        assert f"<b>h{j + 1}</b> = σ(" in text
        assert f"= <b>{number(float(acts[1][0, j]), 4)}</b>" in text
    assert f"<b>{core.predict(SEQUEL_QUERY):.8f}</b>" in text
    shown = window.insight.contributions.shown
    np.testing.assert_array_equal(shown.terms, acts[1][0] * core.layer_weights()[1][:, 0])


def test_the_error_surface_over_two_weights_of_different_layers_is_the_recorded_error(qtbot, window):
    sequel_window(qtbot, window, 300)
    show_dock(qtbot, window, "errorSurfaceDock")
    view = window.insight.surface
    a, b = find(window, QComboBox, "surfaceWeightA"), find(window, QComboBox, "surfaceWeightB")
    names = Shape(3, (4,)).weight_names(["x1", "x2", "x3"])
    assert a.count() == 16 and "x1→h1" in a.itemText(0) and "h4→out" in b.itemText(15)
    i, j = names.index("x2→h2"), names.index("h3→out")
    a.setCurrentIndex(i)
    b.setCurrentIndex(j)
    find(window, QSlider, "replaySlider").setValue(120)
    qtbot.waitUntil(lambda: view.result is not None and view.result.request.iteration == 120
                    and (view.result.request.i, view.result.request.j) == (i, j), timeout=20000)
    r = view.result
    core = train(sequel_examples(), sequel_settings().with_(iterations=120))
    assert r.request.a_values[r.request.a_index] == core.weights[i]
    assert r.request.b_values[r.request.b_index] == core.weights[j]
    assert r.at_weights == core.history.last_error() == core.error
    assert np.all(np.isfinite(r.grid))


def test_what_the_hidden_neurons_learned(qtbot, window):
    from neuron_gui.core.hidden_functions import combinations, hidden_neurons
    core = sequel_window(qtbot, window, sequel_settings().iterations)
    show_dock(qtbot, window, "hiddenNeuronsDock")
    view = window.hidden_view
    qtbot.waitUntil(lambda: len(view.neurons) == 4, timeout=5000)
    expected = hidden_neurons(core.X, core.shape, core.weights, ["x1", "x2", "x3"])
    summary = find(window, QLabel, "hiddenSummary").text()
    for neuron in expected:
        assert neuron.summary in summary
    assert any(n.function is not None for n in expected), "the sequel's network names some of its neurons"
    table = find(window, QTableView, "hiddenCombinationsTable")
    rows = combinations(3)
    assert table.model().rowCount() == len(rows) == 8
    for r in range(len(rows)):
        for k, neuron in enumerate(expected):
            assert table.model().index(r, 3 + k).data() == f"{neuron.on_combinations[r]:.4f}"
    examples = find(window, QTableView, "hiddenExamplesTable")
    assert examples.model().rowCount() == len(core.X)
    assert examples.model().index(6, 3 + 1).data() == f"{expected[1].on_examples[6]:.4f}"


def test_the_hidden_neurons_view_of_one_neuron_says_how_to_get_some(qtbot, window):
    show_dock(qtbot, window, "hiddenNeuronsDock")
    qtbot.waitUntil(lambda: "Hidden layers" in find(window, QLabel, "hiddenSummary").text(), timeout=5000)
    assert not find(window, QTableView, "hiddenCombinationsTable").isVisible()
