"""The insight arithmetic for networks: backpropagation written out, the walk through the layers, the
error surface over any two weights, what the hidden neurons learned (no Qt)."""

from __future__ import annotations

import numpy as np
import pytest

from neuron_gui.core import insight
from neuron_gui.core.examples import Examples
from neuron_gui.core.hidden_functions import combinations, hidden_neurons, logical_function, name_function
from neuron_gui.core.insight import weights_at
from neuron_gui.core.network import Shape, iteration_reference
from neuron_gui.core.network_insight import backprop_breakdown, error_surface, layer_walk, locate
from neuron_gui.core.sequel import SEQUEL_QUERY, SEQUEL_X, sequel_examples, sequel_settings
from neuron_gui.core.training import Run, Settings, train


@pytest.fixture(scope="module")
def sequel_run() -> Run:
    return train(sequel_examples(), sequel_settings())


def test_the_update_written_out_gives_the_next_recorded_weights():
    run = train(sequel_examples(), Settings(iterations=50, hidden=(4, 2), learning_rate=0.7))
    records = run.history.exact_records()
    for k in (0, 17, 49):
        b = backprop_breakdown(run.X, run.y, run.shape, records.weights[k], 0.7, iteration=k)
        assert b.new_weights.tobytes() == records.weights[k + 1].tobytes()
        expected, error = iteration_reference(run.X, run.y, run.shape.split(records.weights[k]), 0.7)
        assert error == records.errors[k]
        assert [w.tobytes() for w in b.new_layers] == [w.tobytes() for w in expected]


def test_each_hidden_delta_is_its_chain_rule_product_and_each_weight_old_plus_adjustment(sequel_run: Run):
    b = backprop_breakdown(sequel_run.X, sequel_run.y, sequel_run.shape, sequel_run.initial_weights)
    y, out = sequel_run.y, b.activations[-1][:, 0]
    assert np.array_equal(b.output_delta, (y - out) * out * (1 - out))
    h2 = b.hidden_delta(1, 1)
    assert h2.name == "h2" and h2.weights_up.tolist() == [b.layers[1][1, 0]]
    assert np.array_equal(h2.back, b.output_delta * b.layers[1][1, 0])
    assert np.array_equal(h2.delta, h2.back * h2.activation * (1 - h2.activation))
    w = b.weight_update(0, 0, 1)  # x1→h2
    assert w.name == "x1→h2" and w.old == b.layers[0][0, 1]
    assert np.array_equal(w.terms, sequel_run.X[:, 0] * h2.delta)
    assert w.adjustment == b.adjustments[0][0, 1] and w.new == w.old + w.adjustment
    out_w = b.weight_update_at(sequel_run.shape.n_params - 1)  # h4→out
    assert out_w.name == "h4→out" and np.array_equal(out_w.terms, b.activations[1][:, 3] * b.output_delta)
    with pytest.raises(IndexError):
        b.hidden_delta(2, 0)


def test_the_single_neurons_update_written_out_is_the_lessons():
    run = Run(Examples.lesson())
    b = backprop_breakdown(run.X, run.y, run.shape, run.initial_weights)
    single = insight.update_breakdown(run.X, run.y, run.initial_weights)
    assert b.new_weights.tobytes() == single.new_weights.tobytes()
    assert b.weight_update(0, 1, 0).name == "x2"


def test_flat_indices_locate_their_layer_row_and_column():
    shape = Shape(3, (4, 2))
    names = shape.weight_names()
    for index in range(shape.n_params):
        layer, row, col = locate(shape, index)
        assert shape.split(np.arange(float(shape.n_params)))[layer][row, col] == index
        assert names[index] == f"{shape.neuron_names()[layer][row]}→{shape.neuron_names()[layer + 1][col]}"


def test_the_query_walks_through_the_layers(sequel_run: Run):
    walk = layer_walk(SEQUEL_QUERY, sequel_run.shape, sequel_run.weights)
    assert f"{walk.prediction:.7f}" == "0.0078876"
    assert [f"{v:.6g}" for v in walk.activations[1]] == ["0.624576", "0.0151765", "4.47447e-06", "0.012728"]
    assert np.array_equal(walk.terms[1][:, 0], walk.activations[1] * sequel_run.layers[1][:, 0])
    assert walk.names[1] == ["h1", "h2", "h3", "h4"]


def test_the_error_surface_passes_through_the_recorded_error_for_weights_of_two_layers(sequel_run: Run):
    shape, w = sequel_run.shape, sequel_run.weights
    i, j = 5, shape.n_params - 2  # x2→h2 and h3→out
    a = np.array([w[i] - 1, w[i], w[i] + 1])
    b = np.array([w[j], w[j] + 2])
    surface = error_surface(sequel_run.X, sequel_run.y, shape, w, i, j, a, b)
    assert surface.shape == (3, 2) and surface[1, 0] == sequel_run.history.last_error()
    moved = w.copy()
    moved[i], moved[j] = a[2], b[1]
    assert surface[2, 1] == sequel_run.error_of(moved)
    with pytest.raises(ValueError):
        error_surface(sequel_run.X, sequel_run.y, shape, w, 3, 3, a, b)


def test_replay_gives_the_weights_of_any_iteration_of_a_network(sequel_run: Run):
    w = weights_at(sequel_run.history, 31_337, sequel_run.X, sequel_run.y)
    again = train(sequel_examples(), Settings(iterations=31_337, hidden=(4,)))
    assert w.tobytes() == again.weights.tobytes()


# -- what the hidden neurons learned ----------------------------------------------------------------------------

def test_the_sequels_hidden_neurons_are_named(sequel_run: Run):
    neurons = hidden_neurons(sequel_run.X, sequel_run.shape, sequel_run.weights)
    assert [n.name for n in neurons] == ["h1", "h2", "h3", "h4"]
    h1, h2, _h3, h4 = neurons
    assert h2.function == "x1 AND NOT x2" and h4.function == "x2 AND NOT x1"
    assert h2.summary.startswith("h2 ≈ x1 AND NOT x2, except x1=0 x2=0 x3=0: 0.50")
    assert h1.function is None and "not close" in h1.summary
    assert h2.on_examples.shape == (7,) and h2.on_combinations.shape == (8,)
    assert h2.on_examples[4] == sequel_run.activations(SEQUEL_X[4])[1][0, 1]


def test_no_truth_table_for_inputs_that_are_not_0_or_1():
    run = train(Examples.create([[0.5, 1], [0, 1]], [1, 0]), Settings(iterations=10, hidden=(2,)))
    neurons = hidden_neurons(run.X, run.shape, run.weights)
    assert neurons[0].on_combinations is None and "no truth table" in neurons[0].summary
    assert hidden_neurons(run.X, Shape(2), run.weights[:2]) == []


@pytest.mark.parametrize("truth, name", [
    ((0, 0, 0, 0), "always 0"), ((1, 1, 1, 1), "always 1"), ((0, 0, 1, 1), "x1"), ((1, 0, 1, 0), "NOT x2"),
    ((0, 0, 1, 0), "x1 AND NOT x2"), ((0, 1, 1, 1), "x1 OR x2"), ((0, 1, 1, 0), "x1 XOR x2"),
    ((1, 0, 0, 1), "NOT (x1 XOR x2)"), ((1, 1, 1, 0), "NOT x1 OR NOT x2"),
    ((0, 0, 0, 1, 0, 1, 1, 1), "(x1 AND x2) OR (x1 AND x3) OR (x2 AND x3)"),
])
def test_logical_functions_are_named_as_a_reader_writes_them(truth: tuple, name: str):
    names = [f"x{i + 1}" for i in range(int(np.log2(len(truth))))]
    assert name_function(truth, names) == name
    # and a neuron within 0.1 of it everywhere is named so, without exceptions
    values = np.array(truth) * 0.92 + 0.04
    assert logical_function(values, names) == (name, ())


def test_a_sum_of_products_is_right_on_every_combination():
    rng = np.random.default_rng(3)
    for _ in range(40):
        truth = tuple(int(b) for b in rng.integers(0, 2, 16))
        name = name_function(truth, ["a", "b", "c", "d"])
        rows = combinations(4)
        for k, (a, b, c, d) in enumerate(rows.astype(bool)):
            expr = name.replace("NOT ", "not ").replace(" AND ", " and ").replace(" OR ", " or ")
            expr = expr.replace(" XOR ", " ^ ").replace("always 0", "False").replace("always 1", "True")
            assert bool(eval(expr, {}, {"a": a, "b": b, "c": c, "d": d})) == bool(truth[k]), (name, k)


def test_mostly_undecided_outputs_get_no_name():
    assert logical_function(np.array([0.5, 0.45, 0.6, 0.02]), ["x1", "x2"]) == (None, (0, 1, 2))
    assert logical_function(np.array([0.5, 0.05, 0.97, 0.02]), ["x1", "x2"]) == ("x1 AND NOT x2", (0,))
