"""Contour lines of a grid of values (marching squares), vectorised with numpy.

Why not pyqtgraph's ``IsocurveItem``: it walks the grid in Python on the GUI thread, tens of
milliseconds a level; this is a few milliseconds for every level together, and pure numpy, so the
error surface's worker thread computes it alongside the surface.
"""

from __future__ import annotations

import numpy as np

# For each of the 16 cases (bit 0: corner (a, b) above the level, bit 1: (a+1, b), bit 2: (a+1, b+1),
# bit 3: (a, b+1)), the cell edges a contour crosses, joined in pairs. Edges: 0 b-side (a..a+1, b),
# 1 the a+1 side, 2 the b+1 side, 3 the a side. The two saddles (5, 10) are joined one fixed way.
_SEGMENTS: dict[int, tuple[tuple[int, int], ...]] = {
    1: ((3, 0),), 2: ((0, 1),), 3: ((3, 1),), 4: ((1, 2),), 5: ((3, 0), (1, 2)), 6: ((0, 2),),
    7: ((3, 2),), 8: ((2, 3),), 9: ((0, 2),), 10: ((0, 1), (2, 3)), 11: ((1, 2),), 12: ((3, 1),),
    13: ((0, 1),), 14: ((3, 0),),
}


def contour_segments(grid: np.ndarray, level: float) -> np.ndarray:
    """Line segments where ``grid`` (shape (na, nb), finite) crosses ``level``.

    Returns shape (k, 2, 2): segment, end, (a, b) in index coordinates (fractional along a cell edge,
    found by linear interpolation between the edge's two grid values).
    """
    g = np.asarray(grid, dtype=np.float64)
    if g.ndim != 2 or g.shape[0] < 2 or g.shape[1] < 2:
        return np.empty((0, 2, 2))
    v00, v10, v11, v01 = g[:-1, :-1], g[1:, :-1], g[1:, 1:], g[:-1, 1:]
    case = (v00 > level) * 1 + (v10 > level) * 2 + (v11 > level) * 4 + (v01 > level) * 8
    crossed = (case != 0) & (case != 15)
    if not crossed.any():
        return np.empty((0, 2, 2))
    ia, ib = np.nonzero(crossed)
    case = case[ia, ib]
    c00, c10, c11, c01 = v00[ia, ib], v10[ia, ib], v11[ia, ib], v01[ia, ib]
    a, b = ia.astype(np.float64), ib.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):  # edges not crossed are never used
        edges = (
            np.stack([a + (level - c00) / (c10 - c00), b], axis=-1),
            np.stack([a + 1, b + (level - c10) / (c11 - c10)], axis=-1),
            np.stack([a + (level - c01) / (c11 - c01), b + 1], axis=-1),
            np.stack([a, b + (level - c00) / (c01 - c00)], axis=-1),
        )
    parts = []
    for c, pairs in _SEGMENTS.items():
        rows = case == c
        if rows.any():
            for e1, e2 in pairs:
                parts.append(np.stack([edges[e1][rows], edges[e2][rows]], axis=1))
    return np.concatenate(parts) if parts else np.empty((0, 2, 2))
