"""The record of a run: every iteration's weights and error, in a preallocated buffer.

Records are numbered by iteration: record 0 holds the initial weights, record ``k`` the weights after
``k`` iterations, each with the mean squared error of those weights. (A history may start later than
iteration 0, at its :attr:`History.origin`: a resumed session, or a headless run streaming its records
to a file.) Records are kept in buckets of ``width`` consecutive iterations, each with the first value
and the minimum and maximum of every channel. The width starts at 1 (every iteration exactly); when
the buffer is full, neighbouring buckets are merged in pairs and the width doubles. Memory therefore
stays bounded for any run length, and a plot drawn from the buckets still shows every extreme.

While the width is 1 a bucket's first, minimum and maximum are the same value, and only the ``first``
buffers are written (a third of the memory to touch, at tens of millions of records a second): read
the buckets through :meth:`History.buckets_lo_hi`, or :meth:`History.state`, not the buffers.

The worker thread writes, the GUI thread reads. Records below ``count`` never change except in
:meth:`_compact`, and both that and the reading helpers hold :attr:`lock`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from . import kernel, network_kernel
from .compiled import ensure_loaded
from .network import Shape

DEFAULT_BYTES = 48 * 1024 * 1024


@dataclass(frozen=True)
class Series:
    """Plot-ready data: ``x`` (iterations) with ``y`` of shape (len(x), channels)."""

    x: np.ndarray
    y: np.ndarray


@dataclass(frozen=True)
class Records:
    """Exact records: ``iterations`` (k,), ``weights`` (k, m) and ``errors`` (k,)."""

    iterations: np.ndarray
    weights: np.ndarray
    errors: np.ndarray

    def __len__(self) -> int:
        return len(self.iterations)


@dataclass(frozen=True)
class HistoryState:
    """A copy of a history's buckets, for saving and restoring (see :meth:`History.state`).

    ``count`` records from iteration ``origin`` in ``ceil(count / width)`` buckets; ``w_*`` are
    (buckets, m), ``e_*`` (buckets,). With ``width == 1``, ``w_first``/``e_first`` are every record.
    """

    width: int
    origin: int
    count: int
    w_first: np.ndarray
    w_min: np.ndarray
    w_max: np.ndarray
    e_first: np.ndarray
    e_min: np.ndarray
    e_max: np.ndarray
    last_weights: np.ndarray  # the exact last record, which a thinned bucket does not keep
    last_error: float
    learning_rates: tuple[tuple[int, float], ...] = ()
    hidden: tuple[int, ...] = ()  # the network's hidden layers (the weights are its flat parameters)

    @property
    def iteration(self) -> int:
        return self.origin + self.count - 1


def default_capacity(n_params: int, max_bytes: int = DEFAULT_BYTES) -> int:
    """How many buckets fit in ``max_bytes`` (first, min and max of the weights and the error)."""
    return max(64, max_bytes // ((3 * n_params + 3) * 8))


class History:
    """Records of a run of the single neuron (``hidden`` empty) or of a network with ``n_inputs``
    inputs and ``hidden`` layers; a record's weights are the network's :attr:`n_params` flat weights
    (see :class:`.network.Shape`), for the single neuron its ``n_inputs`` weights."""

    def __init__(
        self, n_inputs: int, capacity: int | None = None, max_bytes: int = DEFAULT_BYTES,
        hidden: tuple[int, ...] = (),
    ):
        self.shape = Shape(n_inputs, tuple(hidden))
        self.n_inputs = n_inputs
        self.hidden = self.shape.hidden
        self.n_params = n_params = self.shape.n_params
        if capacity is None:
            capacity = default_capacity(n_params, max_bytes)
        capacity -= capacity % 2
        self.capacity = capacity
        self.width = 1
        self.count = 0
        self.origin = 0  # the iteration of record 0
        self.generation = 0  # bumped on every compaction, so readers know to re-read
        self.epoch = 0  # bumped by start(): the records before it are gone
        self.lock = threading.Lock()
        self.w_first = np.empty((capacity, n_params))
        self.w_min = np.empty((capacity, n_params))
        self.w_max = np.empty((capacity, n_params))
        self.e_first = np.empty(capacity)
        self.e_min = np.empty(capacity)
        self.e_max = np.empty(capacity)
        self.learning_rates: list[tuple[int, float]] = []  # (first iteration, rate), for replay
        self.last_weights_value = np.zeros(n_params)  # the exact last record, whatever the width
        self.last_error_value = float("nan")

    # -- writing (worker thread) ------------------------------------------------------------------
    def start(self, weights: np.ndarray, error: float, origin: int = 0) -> None:
        """Empty the history and record ``weights`` (with ``error``) as iteration ``origin``."""
        with self.lock:
            self.origin = origin
            self.width = 1
            self.generation += 1
            self.epoch += 1
            self.w_first[0] = weights
            self.e_first[0] = error
            self.count = 1
            self.learning_rates = []
            self.last_weights_value = np.array(weights, dtype=np.float64)
            self.last_error_value = float(error)

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
            self.learning_rates.append((self.iteration, learning_rate))
        grad = np.empty(self.n_params)
        new_w = np.empty(self.n_params)
        total = 0
        status = kernel.OK
        # the single neuron keeps its own, faster kernel; a network takes the general one
        chunk = network_kernel.chunk_function(self.hidden) if self.hidden else kernel.run_chunk
        shape = (network_kernel.sizes_array(self.shape.sizes),) if self.hidden else ()
        while total < n_iter:
            args = (
                X, y, w, *shape, float(learning_rate), n_iter - total, self.count - 1, self.width,
                self.capacity, self.w_first, self.w_min, self.w_max, self.e_first, self.e_min,
                self.e_max, grad, new_w,
            )
            ensure_loaded(chunk, args)
            done, status, last_error = chunk(*args)
            total += done
            with self.lock:
                self.count += done
                self.last_weights_value = w.copy()
                self.last_error_value = float(last_error)
            if status != kernel.BUFFER_FULL:
                break
            if self.width == 1:
                self._touch_min_max()
            self._compact()
        return total, status

    def _touch_min_max(self) -> None:
        """Before the first compaction: the min and max buffers, unused at width 1, are about to be
        written for the first time. Touch the pages it will write now, outside the lock, so that a
        reader waits for the arithmetic only, not for the system to map 20 MB (50 ms here)."""
        half = self.buckets // 2 + 1
        for buffer in (self.w_min, self.w_max, self.e_min, self.e_max):
            buffer[:half] = 0.0

    def _compact(self) -> None:
        with self.lock:
            used = self.buckets
            half = used // 2
            single = self.width == 1  # then only `first` holds the records
            for first, lo, hi in (
                (self.w_first, self.w_min, self.w_max),
                (self.e_first, self.e_min, self.e_max),
            ):
                src_lo, src_hi = (first, first) if single else (lo, hi)
                np.minimum(src_lo[0 : 2 * half : 2], src_lo[1 : 2 * half : 2], out=lo[:half])
                np.maximum(src_hi[0 : 2 * half : 2], src_hi[1 : 2 * half : 2], out=hi[:half])
                if used % 2:  # the last, partly filled bucket becomes the first of a wider one
                    lo[half] = src_lo[used - 1]
                    hi[half] = src_hi[used - 1]
                first[:half] = first[0 : 2 * half : 2]
                if used % 2:
                    first[half] = first[used - 1]
            self.width *= 2
            self.generation += 1

    # -- reading (any thread) ---------------------------------------------------------------------
    @property
    def buckets(self) -> int:
        return -(-self.count // self.width)

    @property
    def iteration(self) -> int:
        """The iteration of the last record (:attr:`origin` before any training)."""
        return self.origin + self.count - 1

    def last_weights(self) -> np.ndarray:
        """Exact weights of the last record (a copy)."""
        with self.lock:
            return self.last_weights_value.copy()

    def last_error(self) -> float:
        with self.lock:
            return self.last_error_value

    # -- exact records, saving and restoring -----------------------------------------------------
    def exact_records(self, first: int | None = None) -> Records:
        """Every record from iteration ``first`` (default: :attr:`origin`) to the last, exactly.

        Only while :attr:`width` is 1: raises :class:`LookupError` once the history has been thinned.
        """
        with self.lock:
            if self.width != 1:
                raise LookupError(f"the history has been thinned to every {self.width} iterations")
            lo = 0 if first is None else min(max(first - self.origin, 0), self.count)
            return Records(
                np.arange(self.origin + lo, self.origin + self.count),
                self.w_first[lo : self.count].copy(),
                self.e_first[lo : self.count].copy(),
            )

    def state(self, max_buckets: int | None = None) -> HistoryState:
        """A copy of the buckets; merged (keeping extremes, width times a power of 2) to at most
        ``max_buckets`` when given, so that a saved file stays small for any run length."""
        with self.lock:
            n, width = self.buckets, self.width
            wlo, whi, elo, ehi = self.buckets_lo_hi(0, n)
            parts = [a.copy() for a in (self.w_first[:n], wlo, whi, self.e_first[:n], elo, ehi)]
            origin, count, rates = self.origin, self.count, tuple(self.learning_rates)
            last = (self.last_weights_value.copy(), self.last_error_value)
        factor = 1
        while max_buckets and -(-n // factor) > max_buckets:
            factor *= 2
        if factor > 1:
            w_first, w_min, w_max, e_first, e_min, e_max = parts
            parts = [
                w_first[::factor], _reduce(w_min, factor, np.minimum), _reduce(w_max, factor, np.maximum),
                e_first[::factor], _reduce(e_min, factor, np.minimum), _reduce(e_max, factor, np.maximum),
            ]
        return HistoryState(
            width * factor, origin, count, *parts, *last, learning_rates=rates, hidden=self.hidden
        )

    @classmethod
    def from_state(cls, state: HistoryState, max_bytes: int = DEFAULT_BYTES) -> History:
        """A history holding ``state``, with room to record more (training continues into it)."""
        n = len(state.e_first)
        shape = Shape.from_n_params(state.w_first.shape[1], state.hidden)
        history = cls(shape.n_inputs, capacity=max(default_capacity(shape.n_params, max_bytes), n + 2),
                      hidden=shape.hidden)
        history.width, history.origin, history.count = state.width, state.origin, state.count
        saved = (state.w_first, state.w_min, state.w_max, state.e_first, state.e_min, state.e_max)
        for buffer, values in zip(history._buffers(), saved, strict=True):
            buffer[:n] = values
        history.learning_rates = list(state.learning_rates)
        history.last_weights_value = np.array(state.last_weights, dtype=np.float64)
        history.last_error_value = float(state.last_error)
        return history

    def buckets_lo_hi(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Views of buckets ``start:stop``: weights minimum and maximum, error minimum and maximum.
        Call with :attr:`lock` held; copy what must outlive it."""
        if self.width == 1:
            w, e = self.w_first[start:stop], self.e_first[start:stop]
            return w, w, e, e
        return (self.w_min[start:stop], self.w_max[start:stop], self.e_min[start:stop], self.e_max[start:stop])

    def _buffers(self) -> tuple[np.ndarray, ...]:
        return (self.w_first, self.w_min, self.w_max, self.e_first, self.e_min, self.e_max)


def _reduce(a: np.ndarray, factor: int, op) -> np.ndarray:
    n = len(a)
    full = n // factor
    head = op.reduce(a[: full * factor].reshape(full, factor, *a.shape[1:]), axis=1)
    if n % factor:
        tail = op.reduce(a[full * factor :], axis=0)[None]
        head = np.concatenate([head, tail])
    return head
