"""Thinning a :class:`History` for display, incrementally: each frame reads only what is new.

A plot needs a few thousand points, not millions. :class:`Decimator` keeps its own min/max buckets
of ``width`` iterations (a power of two, never below the history's), merges them in pairs when
there are too many, and on every :meth:`Decimator.update` folds in only the history buckets recorded
since the last call. Each bucket is drawn as a vertical stroke from its minimum to its maximum, so
no extreme is lost at any zoom; the curves end at the exact last record.
"""

from __future__ import annotations

import numpy as np

from .history import History, Series


class Decimator:
    def __init__(self, max_buckets: int = 2048):
        self.max_buckets = max_buckets - max_buckets % 2
        self._key: tuple[int, int] | None = None  # (id, epoch) of the history being followed
        self._reset(1, 1)

    def _reset(self, channels: int, width: int) -> None:
        self.width = width
        self.complete = 0  # leading buckets that no later record can change
        self.used = 0
        self.lo = np.empty((self.max_buckets + 1, channels))
        self.hi = np.empty((self.max_buckets + 1, channels))

    def update(self, history: History) -> tuple[Series, Series]:
        """Weights and error series for the history's current records."""
        with history.lock:
            key = (id(history), history.epoch)
            channels = history.n_params + 1  # every weight of every layer, and the error
            if key != self._key or self.lo.shape[1] != channels:
                self._key = key
                self._reset(channels, history.width)
            while self.width < history.width:
                self._merge_pairs()
            count = history.count
            while -(-count // self.width) > self.max_buckets:
                self._merge_pairs()
            self._fold_in(history, count)
            origin = history.origin
            last = np.append(history.last_weights_value, history.last_error_value)
        return self._series(origin, count, last)

    def _merge_pairs(self) -> None:
        n = self.used
        half = -(-n // 2)
        lo, hi = self.lo, self.hi
        pairs = n // 2
        lo[:pairs] = np.minimum(lo[0 : 2 * pairs : 2], lo[1 : 2 * pairs : 2])
        hi[:pairs] = np.maximum(hi[0 : 2 * pairs : 2], hi[1 : 2 * pairs : 2])
        if n % 2:
            lo[pairs], hi[pairs] = lo[n - 1], hi[n - 1]
        self.used = half
        self.complete //= 2  # a merged bucket is complete only if both halves were
        self.width *= 2

    def _fold_in(self, history: History, count: int) -> None:
        """Recompute the buckets from the first incomplete one to the end, from the history."""
        ratio = self.width // history.width
        needed = -(-count // self.width)
        h_buckets = -(-count // history.width)
        start = self.complete
        h0 = start * ratio
        if h0 < h_buckets:
            w_lo, w_hi, e_lo, e_hi = history.buckets_lo_hi(h0, h_buckets)
            m = w_lo.shape[1]
            for src, dst, op in (
                (w_lo, self.lo[:, :m], np.minimum), (w_hi, self.hi[:, :m], np.maximum),
                (e_lo, self.lo[:, m], np.minimum), (e_hi, self.hi[:, m], np.maximum),
            ):
                _fold(src, ratio, op, dst[start:])
        self.used = needed
        self.complete = count // self.width

    def _series(self, origin: int, count: int, last: np.ndarray) -> tuple[Series, Series]:
        n = self.used
        if self.width == 1:
            x = origin + np.arange(n, dtype=float)
            y = self.lo[:n].copy()
            y[-1] = last
        else:
            x = np.append(np.repeat(origin + np.arange(n, dtype=float) * self.width, 2), float(origin + count - 1))
            y = np.empty((2 * n + 1, self.lo.shape[1]))
            y[0:-1:2] = self.lo[:n]
            y[1:-1:2] = self.hi[:n]
            y[-1] = last
        return Series(x, y[:, :-1]), Series(x, y[:, -1:])


def _fold(src: np.ndarray, ratio: int, op: np.ufunc, out: np.ndarray) -> None:
    """``out[i] = op over src[i*ratio:(i+1)*ratio]`` (a last, partial group too), without copying
    ``src``: the first frame of a run may bring half a million records.

    ``ratio`` is a power of two. Small ratios: halve in pairs (a few long vectorised passes); large
    ones: reduce each channel on its own, so numpy's inner loop runs along the group, not across the
    few channels (a (n, ratio, m) reduction over axis 1 is 5-10x slower either way).
    """
    n = len(src)
    full = n // ratio
    if full:
        groups = src[: full * ratio]
        if ratio < 64 or groups.ndim == 1:
            left = ratio
            while left > 1 and groups.ndim == 2:
                groups = op(groups[0::2], groups[1::2])
                left //= 2
            if left > 1:
                op.reduce(groups.reshape(full, left), axis=1, out=out[:full])
            else:
                out[:full] = groups
        else:
            for j in range(groups.shape[1]):
                op.reduce(groups[:, j].reshape(full, ratio), axis=1, out=out[:full, j])
    if n % ratio:
        out[full] = op.reduce(src[full * ratio :], axis=0)
