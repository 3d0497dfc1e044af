"""The lesson's numbers, and the compiled kernel against the plain numpy reference (no Qt)."""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neuron_gui.core import kernel
from neuron_gui.core.display import Decimator
from neuron_gui.core.examples import Examples
from neuron_gui.core.history import History
from neuron_gui.core.lesson import (
    LESSON_QUERY,
    LESSON_X,
    LESSON_Y,
    initial_weights,
    mean_squared_error,
    reference_weights,
    sigmoid,
    train_lesson,
    train_reference,
)
from neuron_gui.core.training import Run, Settings, train

# The lesson's printed table, to its 8 decimals.
INITIAL_WEIGHTS = ["-0.16595599", "0.44064899", "-0.99977125"]
UNTRAINED_PREDICTION = "0.45860596"
TRAINED_WEIGHTS = ["9.67299303", "-0.20784350", "-4.62963669"]
TRAINED_PREDICTION = "0.99993704"


def decimals(values) -> list[str]:
    return [f"{v:.8f}" for v in np.atleast_1d(values)]


@pytest.fixture(scope="module")
def lesson_run() -> Run:
    return train(Examples.lesson())


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    """The lesson's weights at every iteration up to 12,000, from the readable reference (not the kernel)."""
    return reference_weights(LESSON_X, LESSON_Y, initial_weights(1, 3), 12_000)


def test_the_lessons_table_to_8_decimals(lesson_run: Run):
    assert decimals(lesson_run.initial_weights) == INITIAL_WEIGHTS
    assert decimals(lesson_run.predict(LESSON_QUERY, lesson_run.initial_weights)) == [UNTRAINED_PREDICTION]
    assert decimals(lesson_run.weights) == TRAINED_WEIGHTS
    assert decimals(lesson_run.predict(LESSON_QUERY)) == [TRAINED_PREDICTION]
    assert lesson_run.iteration == 10_000 and not lesson_run.diverged


def test_kernel_equals_the_reference_bit_for_bit_on_the_lesson(lesson_run: Run):
    expected = train_reference(LESSON_X, LESSON_Y, initial_weights(1, 3), 10_000)
    assert lesson_run.weights.tobytes() == expected.tobytes()


@pytest.mark.parametrize(("n", "m", "learning_rate", "seed"), [(4, 3, 1.0, 1), (7, 2, 0.3, 4), (5, 16, 2.5, 9)])
def test_the_two_readable_references_agree_bit_for_bit(n, m, learning_rate, seed):
    rng = np.random.default_rng(seed)
    X, y = rng.uniform(-3, 3, (n, m)).round(2), rng.uniform(0, 1, n).round(2)
    w0 = initial_weights(seed, m)
    every = reference_weights(X, y, w0, 200, learning_rate)
    for k in (0, 1, 37, 200):
        assert every[k].tobytes() == train_reference(X, y, w0, k, learning_rate).tobytes()


def test_kernel_agrees_with_the_lessons_numpy_loop(lesson_run: Run):
    verbatim = train_lesson(LESSON_X, LESSON_Y, initial_weights(1, 3), 10_000)
    np.testing.assert_allclose(lesson_run.weights, verbatim, rtol=0, atol=1e-9)


@pytest.mark.parametrize(
    ("n", "m", "learning_rate", "seed"),
    [(1, 1, 1.0, 0), (6, 1, 0.5, 3), (5, 2, 3.0, 7), (8, 4, 0.01, 11), (3, 16, 1.0, 5), (20, 16, 0.25, 2)],
)
def test_kernel_equals_the_reference_bit_for_bit_on_other_shapes(n, m, learning_rate, seed):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-3, 3, (n, m)).round(3)
    y = rng.uniform(0, 1, n).round(2)
    run = train(Examples.create(X, y), Settings(iterations=300, seed=seed, learning_rate=learning_rate))
    expected = train_reference(X, y, initial_weights(seed, m), 300, learning_rate)
    assert run.weights.tobytes() == expected.tobytes()


@pytest.mark.parametrize("chunks", [[1] * 50 + [9_950], [7, 1, 993, 2, 4_000, 4_997], [3_333] * 3 + [1]])
def test_stepping_in_uneven_chunks_is_the_same_as_one_step(reference: np.ndarray, chunks):
    """What pausing and resuming does: the same arithmetic, split anywhere, gives the reference's bits."""
    assert sum(chunks) == 10_000
    run = Run(Examples.lesson())
    for n in chunks:
        assert run.step(n) == n
    assert run.weights.tobytes() == reference[10_000].tobytes()
    assert run.history.exact_records().weights.tobytes() == reference[:10_001].tobytes()


def test_chunks_through_a_small_history_give_the_same_weights(reference: np.ndarray):
    run = Run(Examples.lesson(), history=History(3, capacity=16))
    for n in [5, 500, 1, 4_494, 5_000]:
        run.step(n)
    assert run.history.width > 1
    assert run.weights.tobytes() == reference[10_000].tobytes()


def test_history_records_every_iteration(lesson_run: Run, reference: np.ndarray):
    history = lesson_run.history
    assert (history.count, history.iteration, history.width) == (10_001, 10_000, 1)
    records = history.exact_records()
    assert records.iterations.tolist() == list(range(10_001))
    assert records.weights.tobytes() == reference[:10_001].tobytes()
    for k in (*range(0, 10_001, 97), 10_000):  # the reference's error, not the kernel's own function
        assert records.errors[k] == mean_squared_error(LESSON_X, LESSON_Y, reference[k]), k
    assert history.last_error() == records.errors[-1]
    assert history.exact_records(first=9_999).iterations.tolist() == [9_999, 10_000]


def test_history_keeps_every_extreme_after_compaction():
    examples = Examples.create([[1, -2], [0.5, 3], [-1, 1]], [1, 0, 0.5])
    settings = Settings(iterations=3_000, seed=4, learning_rate=2.0)
    exact = Run(examples, settings, History(2, capacity=4_096))
    small = Run(examples, settings, History(2, capacity=16))
    exact.step(3_000)
    small.step(3_000)
    records = exact.history.exact_records()
    state = small.history.state()
    assert state.width > 1 and len(state.e_first) <= 16
    for b in range(len(state.e_first)):
        window = slice(b * state.width, (b + 1) * state.width)
        w, e = records.weights[window], records.errors[window]
        assert state.w_first[b].tobytes() == w[0].tobytes()
        assert state.w_min[b].tolist() == w.min(axis=0).tolist()
        assert state.w_max[b].tolist() == w.max(axis=0).tolist()
        assert (state.e_first[b], state.e_min[b], state.e_max[b]) == (e[0], e.min(), e.max())
    assert small.history.last_weights().tobytes() == records.weights[-1].tobytes()


def test_history_memory_stays_bounded():
    history = History(3, capacity=64)
    buffers = [a.nbytes for a in (history.w_first, history.w_min, history.e_first, history.e_max)]
    run = Run(Examples.lesson(), Settings(iterations=200_000), history)
    run.step(200_000)
    assert history.buckets <= history.capacity == 64
    assert [a.nbytes for a in (history.w_first, history.w_min, history.e_first, history.e_max)] == buffers
    assert history.width >= 200_000 // 64


def test_streamed_records_are_every_iteration_exactly(lesson_run: Run, reference: np.ndarray):
    run = Run(Examples.lesson(), history=History(3, capacity=100))
    chunks = list(run.train_streamed())
    assert len(chunks) > 100  # 10,000 iterations through a 100-record history
    iterations = np.concatenate([c.iterations for c in chunks])
    weights = np.concatenate([c.weights for c in chunks])
    errors = np.concatenate([c.errors for c in chunks])
    assert iterations.tolist() == list(range(10_001))
    assert weights.tobytes() == reference[:10_001].tobytes()
    assert errors.tobytes() == lesson_run.history.exact_records().errors.tobytes()  # (checked just above)
    assert run.iteration == 10_000


def test_a_resumed_run_continues_exactly(reference: np.ndarray):
    run = Run.resume(Examples.lesson(), Settings(iterations=12_000), reference[10_000], 10_000)
    assert run.iteration == 10_000 and run.history.origin == 10_000
    run.step(run.remaining)
    assert run.weights.tobytes() == reference[12_000].tobytes()
    series, _ = Decimator().update(run.history)
    assert series.x[0] == 10_000 and series.x[-1] == 12_000


def test_a_diverging_run_keeps_its_last_finite_weights():
    # 16 unsaturated rows make a gradient above 2; times 1e308 (beyond what Settings allows, the only
    # way to reach infinity: a validated run cannot) the first update overflows
    run = Run(Examples.create(np.ones((16, 1)), np.ones(16)))
    run.learning_rate = 1e308
    assert run.step(10) == 0
    assert run.diverged and np.all(np.isfinite(run.weights))
    assert run.weights.tobytes() == run.initial_weights.tobytes()
    assert run.step(10) == 0


EXTREMES = [-sys.float_info.max, -1e308, -1e4, -745.0, -700.0, -1.0, -1e-300, 0.0, 1e-300, 1.0, 700.0,
            745.0, 1e4, 1e308, sys.float_info.max]


def _compiled_sigmoid(z: np.ndarray) -> np.ndarray:
    return kernel.forward(np.asarray(z)[:, None], np.ones(1))[1]


@pytest.mark.parametrize("function", [sigmoid, _compiled_sigmoid])
def test_sigmoid_never_overflows(function):
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        out = np.asarray(function(np.array(EXTREMES)), dtype=np.float64)
    assert np.all(np.isfinite(out)) and np.all((out >= 0) & (out <= 1))
    assert np.all(np.diff(out) >= 0)
    assert out[0] < 1e-300 and out[-1] == 1.0


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_sigmoid_is_finite_for_any_finite_z(z):
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        out = float(sigmoid(z))
    assert 0.0 <= out <= 1.0


@pytest.mark.parametrize("w", [1e308, -1e308, sys.float_info.max, -sys.float_info.max])
def test_the_kernels_sigmoid_never_overflows(w):
    error = kernel.forward_error(np.array([[1.0]]), np.array([0.5]), np.array([w]))
    assert error == pytest.approx(0.25)
