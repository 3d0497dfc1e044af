"""Properties (hypothesis) of the core: deterministic training, finite weights, exact file round trips,
and loaders that turn any bytes into either data or a clean error."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from neuron_gui.core.examples import DataError, Examples
from neuron_gui.core.files import (
    FileFormatError,
    format_examples_csv,
    format_session,
    parse_examples_csv,
    parse_session,
)
from neuron_gui.core.history import History
from neuron_gui.core.lesson import initial_weights, sigmoid, train_reference
from neuron_gui.core.training import Run, Settings

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, width=64)


@st.composite
def example_sets(draw, max_rows=8, max_inputs=5) -> Examples:
    n = draw(st.integers(1, max_rows))
    m = draw(st.integers(1, max_inputs))
    X = draw(arrays(np.float64, (n, m), elements=finite))
    y = draw(arrays(np.float64, (n,), elements=st.floats(0, 1, width=64)))
    return Examples.create(X, y)


@FAST
@given(example_sets(), st.integers(0, 2**32 - 1), st.floats(1e-3, 10), st.integers(1, 300))
def test_training_is_deterministic_for_a_seed(examples, seed, lr, iterations):
    a = Run(examples, Settings(iterations=iterations, seed=seed, learning_rate=lr))
    b = Run(examples, Settings(iterations=iterations, seed=seed, learning_rate=lr), History(examples.n_inputs, 8))
    a.step(iterations)
    for chunk in (1, 7, 50, iterations):  # any chunking, any history size: the same trajectory
        b.step(min(chunk, b.remaining))
    b.step(b.remaining)
    assert np.array_equal(a.weights, b.weights)
    assert np.array_equal(a.weights, train_reference(examples.X, examples.y, initial_weights(seed, examples.n_inputs),
                                                     iterations, lr))


@FAST
@given(example_sets(), st.floats(1e-3, 100), st.integers(1, 500))
def test_weights_stay_finite_for_bounded_inputs_and_rates(examples, lr, iterations):
    run = Run(examples, Settings(iterations=iterations, learning_rate=lr))
    run.step(iterations)
    assert not run.diverged and np.all(np.isfinite(run.weights))
    assert np.isfinite(run.error) and 0 <= run.error <= 1


@FAST
@given(st.floats(allow_nan=False, width=64))
def test_the_sigmoid_never_overflows_and_stays_in_range(z):
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is silent and right
        s = float(sigmoid(z))
    assert 0.0 <= s <= 1.0


@FAST
@given(example_sets())
def test_csv_round_trips_exactly(examples):
    back = parse_examples_csv(format_examples_csv(examples), "p.csv")
    assert np.array_equal(back.X, examples.X) and np.array_equal(back.y, examples.y)


@FAST
@given(example_sets(max_rows=4, max_inputs=3), st.integers(0, 40), st.integers(0, 2**32 - 1))
def test_sessions_round_trip_exactly(examples, iterations, seed):
    run = Run(examples, Settings(iterations=max(1, iterations), seed=seed))
    run.step(iterations)
    text = format_session(examples, run.settings, run.weights, run.iteration, run.history)
    back = parse_session(text, "p.json")
    assert back.examples == examples and back.settings == run.settings
    assert np.array_equal(back.weights, run.weights) and back.iteration == run.iteration
    if iterations:  # format 2 saves the recipe: the history is recomputed on open, exactly
        again = back.to_run().history.exact_records()
        assert np.array_equal(again.weights, run.history.exact_records().weights)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_are_data_or_a_clean_error(data):
    text = data.decode("utf-8", errors="replace")
    for parse in (parse_examples_csv, parse_session):
        try:
            result = parse(text, "junk")
        except (FileFormatError, DataError) as e:
            assert str(e).startswith("junk") and "\n" not in str(e)
        else:
            assert result is not None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.one_of(finite.map(repr), st.text(max_size=4)), min_size=1, max_size=4), max_size=5))
def test_csv_like_text_is_data_or_a_clean_error(rows):
    text = "\n".join(",".join(r) for r in [["x1", "y"], *rows])
    try:
        parse_examples_csv(text, "t.csv")
    except DataError as e:
        assert str(e).startswith("t.csv") and "\n" not in str(e)
