"""The error surface's computation: exact at the weights it is asked about, coalesced, joined on shutdown."""

from __future__ import annotations

import numpy as np

from neuron_gui.core.examples import Examples
from neuron_gui.core.insight import error_at, trajectory
from neuron_gui.core.training import Run, Settings
from neuron_gui.session.surface_worker import (
    SurfaceComputer,
    SurfaceRequest,
    axis_bounds,
    axis_nodes,
    compute_surface,
    contour_levels,
)
from tests.conftest import _qt_threads


def request(run: Run, serial: int = 1, nodes: int = 31) -> SurfaceRequest:
    """Over w1 and w3, around the path the run took, as the view asks."""
    w = run.weights.copy()
    path = trajectory(run.history).weights
    (a, a_at), (b, b_at) = (axis_nodes(axis_bounds(path[:, k], None), w[k], nodes) for k in (0, 2))
    return SurfaceRequest(serial, run.iteration, run.X, run.y, w, 0, 2, a, b, a_at, b_at)


def trained(iterations=500) -> Run:
    run = Run(Examples.lesson(), Settings(iterations=iterations))
    run.step(iterations)
    return run


def test_the_weights_asked_about_are_a_node_and_the_value_there_is_the_recorded_error():
    run = trained()
    r = request(run)
    assert r.a_values[r.a_index] == run.weights[0] and r.b_values[r.b_index] == run.weights[2]
    assert np.allclose(np.diff(r.a_values), r.a_values[1] - r.a_values[0])
    result = compute_surface(r)
    assert result.at_weights == error_at(run.X, run.y, run.weights) == run.history.last_error()
    assert result.grid.shape == (31, 31) and np.all(np.isfinite(result.grid))
    assert np.all((result.levels > result.grid.min()) & (result.levels < result.grid.max()))
    assert len(result.contours) and result.contours.shape[1:] == (2, 2)
    assert compute_surface(r, abandon=lambda: True) is None, "abandoned between chunks"


def test_axes_grow_in_round_steps_and_keep_still_while_the_path_stays_inside():
    first = axis_bounds(np.array([-0.17, 3.2]), None)
    assert first[0] < -0.17 and first[1] > 3.2
    assert axis_bounds(np.array([-0.17, 3.3]), first) == first, "no shift for a small step of a live run"
    assert axis_bounds(np.array([-0.17, 30.0]), first)[1] >= 30.0
    assert axis_nodes((-1e300, 1e300), 0.0, 11) is None
    levels = contour_levels(np.array([[1e-4, 0.5], [0.02, 0.3]]))
    assert np.allclose(levels, [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3], rtol=1e-12)


def test_only_the_latest_request_is_computed_and_shutdown_joins(qtbot):
    computer = SurfaceComputer()
    results = []
    computer.computed.connect(results.append)
    run = trained(50)
    for serial in range(1, 6):
        computer.submit(request(run, serial))
    qtbot.waitUntil(lambda: not computer.busy, timeout=10000)
    assert results[-1].request.serial == 5, "the latest request is always computed"
    assert len(results) <= 2, "requests that waited behind another were dropped, not queued"
    computer.shutdown()
    # joined, or (idle long enough to have ended by itself) on its way out
    qtbot.waitUntil(lambda: not _qt_threads(), timeout=2000)
    computer.submit(request(run, 6))
    assert not computer.busy, "after shutdown nothing starts"
