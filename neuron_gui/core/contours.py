"""Contour lines of a grid of values, by contourpy (matplotlib's own contour engine: compiled, numpy
only, and it releases the GIL), so that the error surface's worker thread computes them alongside the
surface. This module only adapts its output to what the error surface draws: straight segments.
"""

from __future__ import annotations

import numpy as np
from contourpy import LineType, contour_generator


def contour_segments(grid: np.ndarray, level: float) -> np.ndarray:
    """Line segments where ``grid`` (shape (na, nb), finite) crosses ``level``.

    Returns shape (k, 2, 2): segment, end, (a, b) in index coordinates (fractional along a cell edge,
    found by linear interpolation between the edge's two grid values). A closed line's segments join
    up: each end is shared by two segments.
    """
    return contour_lines(grid, [level])


def contour_lines(grid: np.ndarray, levels) -> np.ndarray:
    """:func:`contour_segments` of every level in ``levels``, together."""
    g = np.asarray(grid, dtype=np.float64)
    levels = np.atleast_1d(np.asarray(levels, dtype=np.float64))
    if g.ndim != 2 or g.shape[0] < 2 or g.shape[1] < 2 or not len(levels):
        return np.empty((0, 2, 2))
    # contourpy's x runs along a row (our b), its y down the columns (our a)
    generator = contour_generator(z=g, line_type=LineType.ChunkCombinedOffset)
    parts = []
    for points, offsets in (chunk for level in levels for chunk in zip(*generator.lines(level), strict=True)):
        if points is None:
            continue
        # each line's consecutive points make its segments; no segment joins two lines
        starts = np.ones(len(points) - 1, dtype=bool)
        starts[offsets[1:-1] - 1] = False
        ab = points[:, ::-1]
        parts.append(np.stack([ab[:-1][starts], ab[1:][starts]], axis=1))
    return np.concatenate(parts) if parts else np.empty((0, 2, 2))
