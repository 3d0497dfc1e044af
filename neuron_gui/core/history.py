"""The record of a run: every iteration's weights and error, in a preallocated buffer.

Records are numbered by iteration: record 0 holds the initial weights, record ``k`` the weights after
``k`` iterations, each with the mean squared error of those weights. Records are kept in buckets of
``width`` consecutive iterations, each with the first value and the minimum and maximum of every
channel. The width starts at 1 (every iteration exactly); when the buffer is full, neighbouring
buckets are merged in pairs and the width doubles. Memory therefore stays bounded for any run length,
and a plot drawn from the buckets still shows every extreme.

The worker thread writes, the GUI thread reads. Records below ``count`` never change except in
:meth:`_compact`, and both that and the reading helpers hold :attr:`lock`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from . import kernel

DEFAULT_BYTES = 48 * 1024 * 1024


@dataclass(frozen=True)
class Series:
    """Plot-ready data: ``x`` (iterations) with ``y`` of shape (len(x), channels)."""

    x: np.ndarray
    y: np.ndarray


class History:
    def __init__(self, n_inputs: int, capacity: int | None = None, max_bytes: int = DEFAULT_BYTES):
        if capacity is None:
            capacity = max(64, max_bytes // ((3 * n_inputs + 3) * 8))
        capacity -= capacity % 2
        self.n_inputs = n_inputs
        self.capacity = capacity
        self.width = 1
        self.count = 0
        self.generation = 0  # bumped on every compaction, so readers know to re-read
        self.lock = threading.Lock()
        self.w_first = np.empty((capacity, n_inputs))
        self.w_min = np.empty((capacity, n_inputs))
        self.w_max = np.empty((capacity, n_inputs))
        self.e_first = np.empty(capacity)
        self.e_min = np.empty(capacity)
        self.e_max = np.empty(capacity)
        self.learning_rates: list[tuple[int, float]] = []  # (first iteration, rate), for replay

    # -- writing (worker thread) ------------------------------------------------------------------
    def start(self, weights: np.ndarray, error: float) -> None:
        with self.lock:
            self.width = 1
            self.generation += 1
            self.w_first[0] = self.w_min[0] = self.w_max[0] = weights
            self.e_first[0] = self.e_min[0] = self.e_max[0] = error
            self.count = 1
            self.learning_rates = []

    def train(
        self, X: np.ndarray, y: np.ndarray, learning_rate: float, n_iter: int,
        weights: np.ndarray | None = None,
    ) -> tuple[int, int]:
        """Train ``n_iter`` iterations from the last record, recording each; returns (done, status).

        ``weights`` is the caller's copy of the last record's weights, updated in place.
        """
        if self.count == 0:
            raise RuntimeError("History.start() must be called first")
        w = self.last_weights() if weights is None else weights
        if not self.learning_rates or self.learning_rates[-1][1] != learning_rate:
            self.learning_rates.append((self.count - 1, learning_rate))
        grad = np.empty(self.n_inputs)
        new_w = np.empty(self.n_inputs)
        total = 0
        status = kernel.OK
        while total < n_iter:
            done, status = kernel.run_chunk(
                X, y, w, float(learning_rate), n_iter - total, self.count - 1, self.width,
                self.capacity, self.w_first, self.w_min, self.w_max, self.e_first, self.e_min,
                self.e_max, grad, new_w,
            )
            total += done
            with self.lock:
                self.count += done
            if status != kernel.BUFFER_FULL:
                break
            self._compact()
        return total, status

    def _compact(self) -> None:
        with self.lock:
            used = self.buckets
            half = used // 2
            for first, lo, hi in (
                (self.w_first, self.w_min, self.w_max),
                (self.e_first, self.e_min, self.e_max),
            ):
                first[:half] = first[0 : 2 * half : 2]
                np.minimum(lo[0 : 2 * half : 2], lo[1 : 2 * half : 2], out=lo[:half])
                np.maximum(hi[0 : 2 * half : 2], hi[1 : 2 * half : 2], out=hi[:half])
                if used % 2:  # the last, partly filled bucket becomes the first of a wider one
                    first[half] = first[used - 1]
                    lo[half] = lo[used - 1]
                    hi[half] = hi[used - 1]
            self.width *= 2
            self.generation += 1

    # -- reading (any thread) ---------------------------------------------------------------------
    @property
    def buckets(self) -> int:
        return -(-self.count // self.width)

    @property
    def iteration(self) -> int:
        """The iteration of the last record (0 before any training)."""
        return self.count - 1

    def last_weights(self) -> np.ndarray:
        """Exact weights of the last record (a copy)."""
        with self.lock:
            return self._exact_weights(self.count - 1)

    def _exact_weights(self, k: int) -> np.ndarray:
        b = k // self.width
        if k % self.width == 0:
            return self.w_first[b].copy()
        # only the last bucket can be asked for a record it does not start with: the last weights
        # are the ones the run holds, and a run keeps its own copy; see training.Run.
        raise LookupError(f"record {k} is inside a thinned bucket")

    def last_error(self) -> float:
        with self.lock:
            k = self.count - 1
            b = k // self.width
            return float(self.e_first[b]) if k % self.width == 0 else float("nan")

    def series(self, max_points: int | None = None) -> tuple[Series, Series]:
        """Weights and error as plot-ready series: one point per record while width is 1, then
        each bucket's minimum and maximum (so every extreme is drawn). ``max_points`` thins further
        by merging buckets (keeping extremes)."""
        with self.lock:
            n = self.buckets
            width = self.width
            wlo, whi = self.w_min[:n], self.w_max[:n]
            elo, ehi = self.e_min[:n], self.e_max[:n]
            factor = 1
            if max_points and n > max_points:
                factor = -(-n // max_points)
            if factor > 1:
                wlo, whi = _reduce(wlo, factor, np.minimum), _reduce(whi, factor, np.maximum)
                elo, ehi = _reduce(elo, factor, np.minimum), _reduce(ehi, factor, np.maximum)
            else:
                wlo, whi, elo, ehi = wlo.copy(), whi.copy(), elo.copy(), ehi.copy()
            count = self.count
        step = width * factor
        starts = np.arange(len(elo)) * step
        if step == 1:
            return Series(starts.astype(float), wlo), Series(starts.astype(float), elo[:, None])
        ends = np.minimum(starts + step - 1, count - 1)
        x = np.empty(2 * len(starts))
        x[0::2] = starts
        x[1::2] = ends
        return (
            Series(x, _interleave(wlo, whi)),
            Series(x, _interleave(elo[:, None], ehi[:, None])),
        )


def _reduce(a: np.ndarray, factor: int, op) -> np.ndarray:
    n = len(a)
    full = n // factor
    head = op.reduce(a[: full * factor].reshape(full, factor, *a.shape[1:]), axis=1)
    if n % factor:
        tail = op.reduce(a[full * factor :], axis=0)[None]
        head = np.concatenate([head, tail])
    return head


def _interleave(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    out = np.empty((2 * len(lo), lo.shape[1]))
    out[0::2] = lo
    out[1::2] = hi
    return out
