"""The network model: the compiled backpropagation kernel against the readable numpy reference, bit for
bit on many shapes; the sequel's printed numbers; the single neuron unchanged (no Qt)."""

from __future__ import annotations

import numpy as np
import pytest

from neuron_gui.core import kernel, network_kernel
from neuron_gui.core.display import Decimator
from neuron_gui.core.examples import DataError, Examples
from neuron_gui.core.history import History
from neuron_gui.core.insight import weights_at
from neuron_gui.core.lesson import LESSON_X, LESSON_Y, initial_weights
from neuron_gui.core.network import (
    Shape,
    check_hidden,
    error_reference,
    format_hidden,
    iteration_reference,
    parse_hidden,
    train_reference,
)
from neuron_gui.core.sequel import SEQUEL_QUERY, SEQUEL_X, SEQUEL_Y, sequel_examples, sequel_settings
from neuron_gui.core.training import Run, Settings, train

# The sequel's printed table (issue 14), to its printed digits.
SEQUEL_INITIAL_W1 = [[-0.16595599, 0.44064899, -0.99977125, -0.39533485],
                     [-0.70648822, -0.81532281, -0.62747958, -0.30887855],
                     [-0.20646505, 0.07763347, -0.16161097, 0.370439]]
SEQUEL_INITIAL_W2 = [[-0.5910955], [0.75623487], [-0.94522481], [0.34093502]]
SEQUEL_TRAINED_W1 = [[0.3122465, 4.57704063, -6.15329916, -8.75834924],
                     [0.19676933, -8.74975548, -6.1638187, 4.40720501],
                     [-0.03327074, -0.58272995, 0.08319184, -0.39787635]]
SEQUEL_TRAINED_W2 = [[-8.18850925], [10.13210706], [-21.33532796], [9.90935111]]
SEQUEL_HIDDEN_FOR_QUERY = ["0.624576", "0.0151765", "4.47447e-06", "0.012728"]
SEQUEL_PREDICTION = "0.0078876"


def printed(a) -> np.ndarray:
    """As numpy prints a float64 array by default: 8 significant decimals."""
    return np.round(np.asarray(a, dtype=np.float64), 8)


@pytest.fixture(scope="module")
def sequel_run() -> Run:
    return train(sequel_examples(), sequel_settings())


def test_the_sequels_data_is_the_issues():
    assert SEQUEL_X.tolist() == [[0, 0, 1], [0, 1, 1], [1, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 1], [0, 0, 0]]
    assert SEQUEL_Y.tolist() == [0, 1, 1, 1, 1, 0, 0] and SEQUEL_QUERY.tolist() == [1, 1, 0]
    assert sequel_settings() == Settings(iterations=60_000, seed=1, learning_rate=1.0, hidden=(4,))


# -- the sequel's numbers ---------------------------------------------------------------------------------

def test_the_sequels_initial_weights_are_drawn_layer_after_layer(sequel_run: Run):
    w1, w2 = sequel_run.layer_weights(sequel_run.initial_weights)
    assert np.array_equal(printed(w1), SEQUEL_INITIAL_W1)
    assert np.array_equal(printed(w2), SEQUEL_INITIAL_W2)


def test_the_sequels_table_after_60000_iterations(sequel_run: Run):
    w1, w2 = sequel_run.layers
    assert sequel_run.iteration == 60_000 and not sequel_run.diverged
    assert np.array_equal(printed(w1), SEQUEL_TRAINED_W1)
    assert np.array_equal(printed(w2), SEQUEL_TRAINED_W2)
    _x, hidden, out = sequel_run.activations(SEQUEL_QUERY)
    assert [f"{v:.6g}" for v in hidden[0]] == SEQUEL_HIDDEN_FOR_QUERY
    assert f"{out[0, 0]:.7f}" == SEQUEL_PREDICTION == f"{sequel_run.predict(SEQUEL_QUERY):.7f}"


def test_the_sequels_run_equals_the_reference_bit_for_bit(sequel_run: Run):
    shape = sequel_run.shape
    expected = train_reference(SEQUEL_X, SEQUEL_Y, shape.initial_layers(1), 60_000)
    assert sequel_run.weights.tobytes() == shape.join(expected).tobytes()


def test_the_sequels_own_loop_agrees_to_rounding(sequel_run: Run):
    """The sequel's code, verbatim (BLAS sums: its last bits depend on the machine)."""
    X, y = SEQUEL_X, SEQUEL_Y[:, None]
    np.random.seed(1)
    W1, W2 = 2 * np.random.random((3, 4)) - 1, 2 * np.random.random((4, 1)) - 1
    for _ in range(60_000):
        h = 1 / (1 + np.exp(-(X @ W1)))
        out = 1 / (1 + np.exp(-(h @ W2)))
        d2 = (y - out) * out * (1 - out)
        d1 = (d2 @ W2.T) * h * (1 - h)
        W1 += X.T @ d1
        W2 += h.T @ d2
    w1, w2 = sequel_run.layers
    np.testing.assert_allclose(w1, W1, rtol=0, atol=1e-8)
    np.testing.assert_allclose(w2, W2, rtol=0, atol=1e-8)


def test_one_neuron_cannot_learn_the_sequels_table():
    """The issue's 0.99999999 is the prediction's first 8 decimals (rounded it reads 1.00000000):
    the neuron answers x1 OR x2, where the network answers x1 XOR x2."""
    run = train(sequel_examples(), Settings(iterations=60_000, seed=1))
    prediction = run.predict(SEQUEL_QUERY)
    assert f"{prediction:.12f}"[:10] == "0.99999999"
    assert run.weights.shape == (3,)


# -- the single neuron is unchanged -----------------------------------------------------------------------

def test_the_single_neurons_draw_and_weights_are_the_lessons():
    shape = Shape(3)
    assert shape.sizes == (3, 1) and shape.weight_names() == ["x1", "x2", "x3"]
    assert shape.initial_weights(1).tobytes() == initial_weights(1, 3).tobytes()
    run = Run(Examples.lesson())
    assert run.history.n_params == 3 and run.hidden == () and [w.shape for w in run.layers] == [(3, 1)]


def test_the_general_kernel_on_one_neuron_equals_the_lessons_kernel():
    """Same arithmetic, two kernels: the general one run on ``[W0]`` gives the dedicated one's bits."""
    rng = np.random.default_rng(7)
    for _ in range(20):
        n, m = int(rng.integers(1, 12)), int(rng.integers(1, 6))
        X, y = rng.uniform(-3, 3, (n, m)), rng.integers(0, 2, n).astype(float)
        lr = 1.0 if rng.random() < 0.5 else float(rng.uniform(0.1, 5))
        results = []
        for chunk, extra in ((kernel.run_chunk, ()), (network_kernel.run_network_chunk, (np.array([m, 1]),))):
            w = rng.uniform(-1, 1, m) if not results else results[0][0].copy()
            start = w.copy()
            bufs = [np.zeros((40, m)) for _ in range(3)] + [np.zeros(40) for _ in range(3)]
            chunk(X, y, w, *extra, lr, 30, 0, 1, 40, *bufs, np.empty(m), np.empty(m))
            results.append((start, w, bufs[0][:31].copy(), bufs[3][:31].copy()))
        (_, w_a, rec_a, err_a), (_, w_b, rec_b, err_b) = results
        assert w_a.tobytes() == w_b.tobytes()
        assert rec_a[1:].tobytes() == rec_b[1:].tobytes() and err_a.tobytes() == err_b.tobytes()


# -- the kernel against the reference on many shapes -------------------------------------------------------

def random_case(rng: np.random.Generator):
    hidden = tuple(int(s) for s in rng.integers(1, 9, int(rng.integers(0, 5))))
    n, m = int(rng.integers(1, 14)), int(rng.integers(1, 7))
    X = rng.uniform(-1, 1, (n, m)) * 10 ** rng.uniform(-1, 1.5)
    if rng.random() < 0.5:
        X = rng.integers(0, 2, (n, m)).astype(float)
    y = rng.integers(0, 2, n).astype(float) if rng.random() < 0.5 else rng.uniform(0, 1, n)
    lr = 1.0 if rng.random() < 0.5 else float(rng.choice([0.05, 0.3, 2.5, 10.0]))
    return Examples.create(X, y), hidden, lr


@pytest.mark.parametrize("seed", range(8))
def test_the_kernel_records_every_iteration_as_the_reference_computes_it(seed: int):
    """Every recorded iteration's weights and error equal the reference's, bit for bit."""
    rng = np.random.default_rng(seed)
    for _ in range(6):
        examples, hidden, lr = random_case(rng)
        iterations = int(rng.integers(1, 25))
        run = Run(examples, Settings(iterations=iterations, seed=int(rng.integers(0, 1000)), learning_rate=lr,
                                     hidden=hidden))
        run.step(iterations)
        records = run.history.exact_records()
        layers = run.shape.split(run.initial_weights)
        for k in range(len(records)):
            new_layers, error = iteration_reference(examples.X, examples.y, layers, lr)
            assert records.weights[k].tobytes() == run.shape.join(layers).tobytes(), (hidden, k)
            assert records.errors[k] == error or (k == len(records) - 1 and run.diverged)
            layers = new_layers
        if not run.diverged:
            assert run.weights.tobytes() == records.weights[-1].tobytes()
            assert run.error == error_reference(examples.X, examples.y, run.shape.split(run.weights))


def test_the_kernel_equals_the_reference_on_the_largest_shapes():
    rng = np.random.default_rng(99)
    for hidden in [(16, 16, 16, 16), (16,), (1, 1, 1, 1), (3, 16, 2)]:
        X = rng.integers(0, 2, (20, 16)).astype(float)
        y = rng.integers(0, 2, 20).astype(float)
        run = train(Examples.create(X, y), Settings(iterations=40, seed=3, hidden=hidden))
        expected = train_reference(X, y, run.shape.initial_layers(3), 40)
        assert run.weights.tobytes() == run.shape.join(expected).tobytes(), hidden


def test_a_thinned_network_history_replays_any_iteration_exactly():
    examples = sequel_examples()
    settings = Settings(iterations=3000, seed=1, hidden=(4, 3))
    run = Run(examples, settings, History(3, capacity=64, hidden=(4, 3)))
    run.step(3000)
    assert run.history.width > 1
    layers = run.shape.initial_layers(1)
    wanted = {0, 1, 777, 1500, 2999, 3000}
    for k in range(3001):
        if k in wanted:
            got = weights_at(run.history, k, run.X, run.y)
            assert got.tobytes() == run.shape.join(layers).tobytes(), k
        layers, _ = iteration_reference(examples.X, examples.y, layers)


def test_a_network_that_would_overflow_stops_at_its_last_finite_weights():
    examples = Examples.create(np.ones((200, 2)), np.zeros(200))
    run = Run(examples, Settings(iterations=10_000, hidden=(2,)))
    run.learning_rate = 1e308  # the first adjustments are above 1: the update overflows
    assert run.step(10) == 0
    assert run.diverged and run.iteration == 0 and run.weights.tobytes() == run.initial_weights.tobytes()
    assert np.all(np.isfinite(run.weights)) and np.all(np.isfinite(run.outputs()))
    assert run.weights.tobytes() == run.history.last_weights().tobytes()


def test_a_network_history_survives_saving_its_state():
    run = train(sequel_examples(), Settings(iterations=500, hidden=(4,)))
    restored = History.from_state(run.history.state(max_buckets=32))
    assert restored.shape == run.shape and restored.iteration == 500
    assert restored.last_weights().tobytes() == run.weights.tobytes()
    resumed = Run.resume(run.examples, run.settings.with_(iterations=800), run.weights, 500, restored)
    resumed.step(300)
    straight = train(sequel_examples(), Settings(iterations=800, hidden=(4,)))
    assert resumed.weights.tobytes() == straight.weights.tobytes()


# -- shapes, names, sizes -----------------------------------------------------------------------------------

def test_flat_weights_go_layer_by_layer_row_by_row():
    shape = Shape(2, (3,))
    flat = np.arange(9.0)
    w1, w2 = shape.split(flat)
    assert w1.tolist() == [[0, 1, 2], [3, 4, 5]] and w2.tolist() == [[6], [7], [8]]
    assert shape.join([w1, w2]).tolist() == flat.tolist()
    assert shape.weight_names() == ["x1→h1", "x1→h2", "x1→h3", "x2→h1", "x2→h2", "x2→h3",
                                    "h1→out", "h2→out", "h3→out"]
    deep = Shape(1, (2, 1))
    assert deep.weight_names(["a"]) == ["a→h1.1", "a→h1.2", "h1.1→h2.1", "h1.2→h2.1", "h2.1→out"]
    assert Shape.from_n_params(deep.n_params, (2, 1)) == deep and Shape.from_n_params(5) == Shape(5)


@pytest.mark.parametrize(
    "text, sizes", [("", ()), ("0", ()), (" 4 ", (4,)), ("4,3", (4, 3)), ("16, 1, 2, 16", (16, 1, 2, 16))]
)
def test_hidden_sizes_are_read_from_text(text: str, sizes: tuple):
    assert parse_hidden(text) == sizes
    assert parse_hidden(format_hidden(sizes)) == sizes


@pytest.mark.parametrize("text, message", [
    ("-1", "1 to 16 neurons, not -1"), ("17", "1 to 16 neurons, not 17"), ("4,0", "not 0"),
    ("1,2,3,4,5", "at most 4 hidden layers, not 5"), ("two", "whole number, not 'two'"), ("2.5", "not '2.5'"),
    ("4,,3", "whole number, not ''"),
])
def test_bad_hidden_sizes_say_why(text: str, message: str):
    with pytest.raises(DataError, match=message):
        parse_hidden(text)


def test_settings_check_the_hidden_sizes():
    assert Settings(hidden=[4, 3]).hidden == (4, 3) and Settings(hidden=(0,)).validated().hidden == ()
    with pytest.raises(DataError):
        Settings(hidden=(4, 17)).validated()
    with pytest.raises(DataError):
        check_hidden((True,))
    assert Settings() == Settings(hidden=()) and Run(Examples.lesson(), Settings(hidden=(0,))).hidden == ()


def test_the_lesson_with_a_hidden_layer_still_learns_its_rule():
    run = train(Examples.create(LESSON_X, LESSON_Y), Settings(hidden=(2,)))
    assert run.predict(np.array([1.0, 0, 0])) > 0.95 and run.error < 0.01


def test_the_plots_thinning_follows_every_weight_of_a_network():
    run = Run(sequel_examples(), Settings(iterations=5000, hidden=(4,)), History(3, capacity=256, hidden=(4,)))
    run.step(5000)
    weights, errors = Decimator(128).update(run.history)
    assert weights.y.shape[1] == 16 and weights.x[-1] == errors.x[-1] == 5000
    assert weights.y[-1].tobytes() == run.weights.tobytes() and errors.y[-1] == run.history.last_error()
    records = [weights_at(run.history, 0, run.X, run.y)]
    assert np.all(weights.y.min(axis=0) <= records[0]) and np.all(weights.y.max(axis=0) >= run.weights)


def test_the_readable_error_equals_the_compiled_one_bit_for_bit():
    """Before the compiled error is loaded, a small table's comes from the reference: the same number."""
    rng = np.random.default_rng(11)
    for _ in range(60):
        examples, hidden, _lr = random_case(rng)
        shape = Shape(examples.n_inputs, hidden)
        w = rng.uniform(-1, 1, shape.n_params) * 10 ** rng.uniform(-2, 2.5)
        compiled = network_kernel._forward_error(examples.X, examples.y, w, network_kernel.sizes_array(shape.sizes))
        assert error_reference(examples.X, examples.y, shape.split(w)) == compiled
