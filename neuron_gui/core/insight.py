"""The numbers behind the insight views: one update written out, a prediction taken apart, the state at
any recorded iteration, and the error surface over two weights.

Everything here does the kernel's arithmetic in the kernel's order, so what the views show agrees with
the recorded run to the last bit: an update's new weights are the next recorded weights, the surface at
the trajectory point is the recorded error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import kernel
from .compiled import cached_njit, ensure_loaded
from .history import History, Records
from .lesson import sum_rows_in_order


@dataclass(frozen=True)
class UpdateBreakdown:
    """One iteration of the delta rule, every intermediate value kept (arrays are per example)."""

    iteration: int  # the update takes the weights of this iteration to the next
    weights: np.ndarray  # (m,)
    z: np.ndarray  # x . w
    out: np.ndarray  # sigmoid(z)
    error: np.ndarray  # y - out
    slope: np.ndarray  # out (1 - out): the sigmoid's gradient at z
    delta: np.ndarray  # error * slope, computed as the kernel does: (error * out) * (1 - out)
    adjustment: np.ndarray  # (m,): sum over examples of x_j * delta
    learning_rate: float
    new_weights: np.ndarray  # (m,)


def update_breakdown(
    X: np.ndarray, y: np.ndarray, weights: np.ndarray, learning_rate: float = 1.0, iteration: int = 0
) -> UpdateBreakdown:
    w = np.asarray(weights, dtype=np.float64)
    z, out = kernel.forward(X, w)
    error = y - out
    delta = error * out * (1 - out)
    adjustment = sum_rows_in_order(X * delta[:, None])  # examples added in order, as the kernel does
    new = w + adjustment if learning_rate == 1.0 else w + learning_rate * adjustment
    return UpdateBreakdown(iteration, w.copy(), z, out, error, out * (1 - out), delta, adjustment,
                           float(learning_rate), new)


@dataclass(frozen=True)
class Contributions:
    """Why this prediction: each input's term ``w_j x_j``, their sum ``z`` and ``sigmoid(z)``."""

    terms: np.ndarray
    z: float
    prediction: float


def contributions(query: np.ndarray, weights: np.ndarray) -> Contributions:
    q = np.asarray(query, dtype=np.float64)
    terms = q * weights
    z, prediction = kernel.predict(q, weights)
    return Contributions(terms, z, prediction)


def learning_rate_at(history: History, iteration: int) -> float:
    """The learning rate that took iteration ``iteration`` to the next one."""
    rate = history.learning_rates[0][1] if history.learning_rates else 1.0
    for start, lr in history.learning_rates:
        if start <= iteration:
            rate = lr
    return rate


def weights_at(history: History, iteration: int, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The exact weights at any recorded ``iteration``, even where the history has been thinned.

    Training is deterministic, so the weights inside a thinned bucket are recomputed from the bucket's
    first (exact) record with the learning rates then in effect: at most ``history.width`` iterations.
    """
    with history.lock:
        first, last = history.origin, history.origin + history.count - 1
        if not first <= iteration <= last:
            raise LookupError(f"iteration {iteration:,} is not recorded (this run holds {first:,} to {last:,})")
        if iteration == last:
            return history.last_weights_value.copy()
        bucket = (iteration - first) // history.width
        start = first + bucket * history.width
        w = history.w_first[bucket].copy()
    if start == iteration:
        return w
    scratch = History(history.n_inputs, capacity=64, hidden=history.hidden)
    scratch.start(w, 0.0, origin=start)
    k = start
    while k < iteration:
        lr = learning_rate_at(history, k)
        boundary = min([s for s, _ in history.learning_rates if s > k] + [iteration])
        n = boundary - k
        scratch.start(w, 0.0, origin=k)  # keep the scratch small: only the weights matter
        while n:
            done, _ = scratch.train(X, y, lr, min(n, scratch.capacity - 2), w)
            n -= done
            k += done
            scratch.start(w, 0.0, origin=k)
    return w


def error_at(X: np.ndarray, y: np.ndarray, weights: np.ndarray) -> float:
    """The mean squared error exactly as the run records it."""
    return kernel.forward_error(X, y, weights)


@cached_njit(nogil=True)
def _surface(X, y, w, i, j, a_values, b_values, out):  # pragma: no cover - compiled
    v = w.copy()
    for ia in range(a_values.shape[0]):
        for ib in range(b_values.shape[0]):
            v[i] = a_values[ia]
            v[j] = b_values[ib]
            out[ia, ib] = kernel._forward_error(X, y, v)  # the very function that records the run's error


def error_surface(
    X: np.ndarray, y: np.ndarray, weights: np.ndarray, i: int, j: int,
    a_values: np.ndarray, b_values: np.ndarray,
) -> np.ndarray:
    """Mean squared error over a grid of (w_i, w_j), the other weights held at ``weights``.

    Returns shape (len(a_values), len(b_values)). Releases the GIL: call it from a worker thread.
    Each value is computed exactly as the run records its error.
    """
    if i == j:
        raise ValueError("the surface needs two different weights")
    out = np.empty((len(a_values), len(b_values)))
    args = (
        np.ascontiguousarray(X, dtype=np.float64), np.ascontiguousarray(y, dtype=np.float64),
        np.ascontiguousarray(weights, dtype=np.float64), i, j,
        np.ascontiguousarray(a_values, dtype=np.float64), np.ascontiguousarray(b_values, dtype=np.float64), out,
    )
    ensure_loaded(_surface, args)
    _surface(*args)
    return out


def surface_bounds(values: np.ndarray, margin: float = 0.25) -> tuple[float, float]:
    """A range around a weight's trajectory, with room either side, never empty."""
    lo, hi = float(np.min(values)), float(np.max(values))
    span = max(hi - lo, 1.0)
    return lo - margin * span, hi + margin * span


def trajectory(history: History, max_points: int = 2000) -> Records:
    """Exact records spread evenly over the whole run, ending at the last one: the path the weights
    took, for drawing in weight space.

    Only each bucket's first record is exact once the history has been thinned (a bucket's min and max
    belong to different iterations, so pairing them would draw points the run never visited); at most
    ``max_points`` of those are taken, at an even stride, and the exact last record is appended.
    """
    with history.lock:
        buckets, width, origin = history.buckets, history.width, history.origin
        stride = max(1, -(-buckets // max(1, max_points - 1)))
        index = np.arange(0, buckets, stride)
        weights = history.w_first[index].copy()
        errors = history.e_first[index].copy()
        last = history.origin + history.count - 1
        last_w, last_e = history.last_weights_value.copy(), history.last_error_value
    iterations = origin + index * width
    if iterations[-1] != last:
        iterations = np.append(iterations, last)
        weights = np.vstack([weights, last_w[None]])
        errors = np.append(errors, last_e)
    return Records(iterations, weights, errors)
