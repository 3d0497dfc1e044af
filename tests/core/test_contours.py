"""Contour lines (contourpy, adapted to segments): every end lies on a cell edge where the interpolated value
is the level."""

from __future__ import annotations

import numpy as np
import pytest

from neuron_gui.core.contours import contour_lines, contour_segments


def edge_value(grid: np.ndarray, point: np.ndarray) -> float:
    """The grid linearly interpolated at a point on a cell edge (one coordinate whole)."""
    a, b = point
    if abs(a - round(a)) < 1e-9:
        a = round(a)
        b0 = min(int(np.floor(b)), grid.shape[1] - 2)
        t = b - b0
        return (1 - t) * grid[int(a), b0] + t * grid[int(a), b0 + 1]
    a0 = min(int(np.floor(a)), grid.shape[0] - 2)
    t = a - a0
    assert abs(b - round(b)) < 1e-9, "an end is on a cell edge"
    return (1 - t) * grid[a0, round(b)] + t * grid[a0 + 1, round(b)]


def test_a_circle_is_closed_and_every_end_is_on_the_level():
    a, b = np.meshgrid(np.arange(41.0), np.arange(31.0), indexing="ij")
    grid = (a - 20.3) ** 2 + (b - 15.1) ** 2
    segments = contour_segments(grid, 100.0)
    assert len(segments) > 40
    ends = segments.reshape(-1, 2)
    assert np.allclose([edge_value(grid, p) for p in ends], 100.0, rtol=1e-12)
    radius = np.hypot(ends[:, 0] - 20.3, ends[:, 1] - 15.1)
    assert np.allclose(radius, 10.0, atol=0.05)
    # closed: every end is shared by exactly two segments
    keys, counts = np.unique(np.round(ends, 9), axis=0, return_counts=True)
    assert np.all(counts == 2)


@pytest.mark.parametrize("level", [-1.0, 5.0])
def test_no_line_where_the_level_is_never_crossed(level):
    assert contour_segments(np.arange(12.0).reshape(3, 4) / 11, level).shape == (0, 2, 2)


def test_a_tiny_grid_and_a_saddle():
    assert contour_segments(np.zeros((1, 5)), 0.5).shape == (0, 2, 2)
    saddle = np.array([[1.0, 0.0], [0.0, 1.0]])
    segments = contour_segments(saddle, 0.5)
    assert segments.shape == (2, 2, 2)
    assert np.allclose([edge_value(saddle, p) for p in segments.reshape(-1, 2)], 0.5)


def test_every_level_at_once_is_each_level_on_its_own():
    a, b = np.meshgrid(np.arange(30.0), np.arange(20.0), indexing="ij")
    grid = np.hypot(a - 14.5, b - 9.2) + 0.1 * a
    together = contour_lines(grid, [2.0, 5.0, 7.5])
    apart = np.concatenate([contour_segments(grid, level) for level in (2.0, 5.0, 7.5)])
    assert together.shape == apart.shape and np.array_equal(together, apart)
    assert contour_lines(grid, []).shape == (0, 2, 2)
