"""The insight numbers agree with the recorded run exactly."""

from __future__ import annotations

import numpy as np
import pytest

from neuron_gui.core.examples import Examples
from neuron_gui.core.history import History
from neuron_gui.core.insight import (
    contributions,
    error_at,
    error_surface,
    learning_rate_at,
    trajectory,
    update_breakdown,
    weights_at,
)
from neuron_gui.core.lesson import LESSON_QUERY, initial_weights, mean_squared_error, reference_weights, sigmoid
from neuron_gui.core.training import Run, Settings


def exact(run_iterations=300, **kw):
    run = Run(Examples.lesson(), Settings(iterations=run_iterations, **kw), History(3, capacity=run_iterations + 2))
    run.step(run_iterations)
    return run


def test_the_update_written_out_is_the_next_recorded_step():
    run = exact(300)
    h = run.history
    for k in (0, 1, 57, 299):
        b = update_breakdown(run.X, run.y, h.w_first[k], 1.0, k)
        assert np.array_equal(b.new_weights, h.w_first[k + 1])
        assert np.allclose(b.adjustment, h.w_first[k + 1] - h.w_first[k], rtol=1e-12, atol=0)
        assert np.allclose(b.out, sigmoid(run.X @ b.weights), rtol=1e-15)
        assert np.allclose(b.delta, b.error * b.slope, rtol=1e-14)
        assert np.allclose(b.adjustment, run.X.T @ b.delta, rtol=1e-14)


def test_the_update_with_a_learning_rate():
    run = exact(50, learning_rate=0.3)
    b = update_breakdown(run.X, run.y, run.history.w_first[10], 0.3, 10)
    assert np.array_equal(b.new_weights, run.history.w_first[11])


def test_contributions_sum_to_the_predictions_z():
    run = exact(10_000)
    c = contributions(LESSON_QUERY, run.weights)
    assert c.z == pytest.approx(float(c.terms.sum()), abs=1e-15)
    assert c.prediction == pytest.approx(0.99993704, abs=5e-9)
    q = np.array([0.5, -2.0, 3.0])
    c = contributions(q, run.weights)
    assert c.z == pytest.approx(float(q @ run.weights), rel=1e-15)


@pytest.mark.parametrize("capacity", [64, 130, 1000])
def test_weights_at_any_iteration_even_when_thinned(capacity):
    full = exact(5000)
    run_X, run_y = full.X, full.y
    reference = reference_weights(run_X, run_y, initial_weights(1, 3), 5000)  # the readable rule, not the kernel
    thinned = Run(Examples.lesson(), Settings(iterations=5000), History(3, capacity=capacity))
    thinned.step(5000)
    assert thinned.history.width > 1
    for k in (0, 1, 2, 33, 999, 2048, 4097, 4999, 5000):
        w = weights_at(thinned.history, k, thinned.X, thinned.y)
        assert np.array_equal(w, full.history.w_first[k]) and np.array_equal(w, reference[k]), k
        assert error_at(thinned.X, thinned.y, w) == full.history.e_first[k] == mean_squared_error(run_X, run_y, w)
    with pytest.raises(LookupError):
        weights_at(thinned.history, 5001, thinned.X, thinned.y)


def test_weights_at_follow_a_learning_rate_changed_mid_run():
    run = Run(Examples.lesson(), Settings(iterations=3000), History(3, capacity=64))
    run.step(1000)
    run.learning_rate = 0.25
    run.step(2000)
    assert learning_rate_at(run.history, 999) == 1.0 and learning_rate_at(run.history, 1000) == 0.25
    ref = Run(Examples.lesson(), Settings(iterations=3000), History(3, capacity=3100))
    ref.step(1000)
    ref.learning_rate = 0.25
    ref.step(1500)
    assert np.array_equal(weights_at(run.history, 2500, run.X, run.y), ref.weights)


def test_the_surface_at_the_trajectory_point_is_the_recorded_error():
    run = exact(400)
    h = run.history
    for k in (0, 5, 400):
        w = h.w_first[k]
        a = np.array([w[0] - 1, w[0], w[0] + 1])
        b = np.array([w[2], w[2] + 0.5])
        grid = error_surface(run.X, run.y, w, 0, 2, a, b)
        assert grid.shape == (3, 2)
        assert grid[1, 0] == h.e_first[k] == mean_squared_error(run.X, run.y, w)
        assert grid[0, 1] == mean_squared_error(run.X, run.y, np.array([w[0] - 1, w[1], w[2] + 0.5]))
        assert np.all(np.isfinite(grid))
    with pytest.raises(ValueError):
        error_surface(run.X, run.y, w, 1, 1, a, b)


def test_the_surface_is_finite_far_from_home():
    run = exact(10)
    grid = error_surface(run.X, run.y, run.weights, 0, 1, np.array([-1e300, 0, 1e300]), np.array([-1e300, 1e300]))
    assert np.all(np.isfinite(grid)) and np.all((grid >= 0) & (grid <= 1))


def test_the_trajectory_is_exact_records_ending_at_the_last():
    full = exact(5000)
    thinned = Run(Examples.lesson(), Settings(iterations=5000), History(3, capacity=64))
    thinned.step(5000)
    for run in (full, thinned):
        t = trajectory(run.history, max_points=50)
        assert len(t) <= 51 and t.iterations[0] == 0 and t.iterations[-1] == 5000
        assert np.all(np.diff(t.iterations) > 0)
        for k, w, e in zip(t.iterations, t.weights, t.errors, strict=True):
            assert np.array_equal(w, full.history.w_first[k]) and e == full.history.e_first[k], k
    assert len(trajectory(full.history, max_points=10_000)) == 5001, "every record while there is room"
