"""Axis steps shared by the plots and the background jobs that prepare their data (no Qt)."""

from __future__ import annotations

import math


def nice_ceiling(v: float) -> float:
    """The next of 1, 2, 5 x 10^k at or above v: ranges grow in steps, not on every frame."""
    v = float(v)
    if v <= 0 or not math.isfinite(v):
        return 1.0
    if v > 1e300:
        return v
    e = 10.0 ** math.floor(math.log10(v))
    for f in (1.0, 2.0, 5.0, 10.0):
        if f * e >= v:
            return f * e
    return 10.0 * e
