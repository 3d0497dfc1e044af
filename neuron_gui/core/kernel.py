"""The compiled training kernel: the lesson's delta rule over a chunk of iterations, without the GIL.

Why compiled: a QThread running tiny numpy calls holds the GIL so often that the GUI thread starves
(a few redraws a second). This kernel runs whole chunks with the GIL released, so the window stays
fluid, and it does the lesson's arithmetic in the lesson's order, so it gives the lesson's weights
bit for bit (see ``tests/core/test_kernel.py``, which compares it with :mod:`.lesson`).
"""

from __future__ import annotations

import math

import numpy as np

from .compiled import cached_njit, ensure_loaded, is_loaded
from .lesson import Z_FLOOR, mean_squared_error, sigmoid, weighted_sum

OK = 0
NON_FINITE = 1
BUFFER_FULL = 2


# For z above this, exp(-z) < 2**-53, so 1 + exp(-z) rounds to exactly 1.0 and the output is exactly 1.0:
# skipping exp there gives the same bits (and spares the C library's slow path for tiny results, which
# a saturated run on a big table hits on nearly every row).
Z_SATURATED = 40.0


@cached_njit(nogil=True)
def _forward_error(X, y, w):  # pragma: no cover - compiled
    n, m = X.shape
    total = 0.0
    for r in range(n):
        z = 0.0
        for j in range(m):
            z += X[r, j] * w[j]
        if z < Z_FLOOR:
            z = Z_FLOOR
        if z > Z_SATURATED:
            o = 1.0
        else:
            o = 1.0 / (1.0 + math.exp(-z))
        total += (y[r] - o) * (y[r] - o)
    return total / n


@cached_njit(nogil=True)
def run_chunk(
    X, y, w, learning_rate, n_iter, start, b, capacity,
    w_first, w_min, w_max, e_first, e_min, e_max, grad, new_w,
):  # pragma: no cover - compiled
    """Train ``n_iter`` iterations from record ``start`` (weights ``w``, already recorded).

    Records the weights after each iteration, and the error of each record, into min/max buckets of
    width ``b`` (record ``k`` in bucket ``k // b``; at width 1 into the ``first`` buffers only).
    Returns ``(iterations done, status, error of the last weights)``; stops early with ``BUFFER_FULL``
    when the next record would fall past ``capacity`` buckets, and with ``NON_FINITE`` (``w``
    unchanged, the last finite weights) when an update would leave the finite numbers. ``grad`` and
    ``new_w`` are scratch.
    One pass over the rows per iteration computes the outputs, the error of the current weights and
    the gradient, in the lesson's order (j ascending in ``z``, r ascending in the gradient).
    The bucket and place of the next record are counted, not divided out, and recording is written
    inline: at a few rows an iteration costs tens of nanoseconds, and a division or a call is not free.
    """
    n, m = X.shape
    done = 0
    status = OK
    eb = start // b  # bucket and place in it of the record whose error is computed next
    ep = start - eb * b
    while done < n_iter:
        wb = eb  # ... and of the weights the iteration makes
        wp = ep + 1
        if wp == b:
            wb += 1
            wp = 0
        if wb >= capacity:
            status = BUFFER_FULL
            break
        for j in range(m):
            grad[j] = 0.0
        err = 0.0
        for r in range(n):
            z = 0.0
            for j in range(m):
                z += X[r, j] * w[j]
            if z < Z_FLOOR:
                z = Z_FLOOR
            if z > Z_SATURATED:
                o = 1.0
            else:
                o = 1.0 / (1.0 + math.exp(-z))
            miss = y[r] - o
            err += miss * miss
            d = miss * o * (1.0 - o)
            for j in range(m):
                grad[j] += X[r, j] * d
        e = err / n
        if b == 1:  # every record exact: first is also the minimum and maximum (see history.py)
            e_first[eb] = e
        elif ep == 0:
            e_first[eb] = e
            e_min[eb] = e
            e_max[eb] = e
        else:
            if e < e_min[eb]:
                e_min[eb] = e
            if e > e_max[eb]:
                e_max[eb] = e
        finite = True
        for j in range(m):
            if learning_rate == 1.0:
                new_w[j] = w[j] + grad[j]
            else:
                new_w[j] = w[j] + learning_rate * grad[j]
            if not math.isfinite(new_w[j]):
                finite = False
        if not finite:
            status = NON_FINITE
            break
        if b == 1:
            for j in range(m):
                v = new_w[j]
                w[j] = v
                w_first[wb, j] = v
        elif wp == 0:
            for j in range(m):
                v = new_w[j]
                w[j] = v
                w_first[wb, j] = v
                w_min[wb, j] = v
                w_max[wb, j] = v
        else:
            for j in range(m):
                v = new_w[j]
                w[j] = v
                if v < w_min[wb, j]:
                    w_min[wb, j] = v
                if v > w_max[wb, j]:
                    w_max[wb, j] = v
        eb = wb
        ep = wp
        done += 1
    last_error = _forward_error(X, y, w)
    if b == 1:
        e_first[eb] = last_error
    elif ep == 0:
        e_first[eb] = last_error
        e_min[eb] = last_error
        e_max[eb] = last_error
    else:
        if last_error < e_min[eb]:
            e_min[eb] = last_error
        if last_error > e_max[eb]:
            e_max[eb] = last_error
    return done, status, last_error


_FINITE_MAX = float(np.finfo(np.float64).max)


@cached_njit(nogil=True)
def _forward(X, w, z, out):  # pragma: no cover - compiled
    """Every row's ``z`` and output, exactly as :func:`run_chunk` computes them, made finite for display
    as :func:`.lesson.weighted_sum` does (NaN to 0, the infinities to the largest finite numbers)."""
    n, m = X.shape
    for r in range(n):
        s = 0.0
        for j in range(m):
            s += X[r, j] * w[j]
        if s != s:
            s = 0.0
        elif s > _FINITE_MAX:
            s = _FINITE_MAX
        elif s < -_FINITE_MAX:
            s = -_FINITE_MAX
        z[r] = s
        if s < Z_FLOOR:
            s = Z_FLOOR
        if s > Z_SATURATED:
            out[r] = 1.0
        else:
            out[r] = 1.0 / (1.0 + math.exp(-s))


# Up to this many examples, an error wanted before the compiled one is loaded is computed in numpy
# (in well under a millisecond), so that nobody waits for a load or a compile for one number.
SMALL_TABLE = 4096


def forward_error(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Mean squared error of ``w`` on ``(X, y)``, computed exactly as the kernel records it.

    Until the compiled function is loaded (by :mod:`.warm_up` in the app, off the GUI thread), a small
    table's error comes from :func:`forward_error_numpy`, which gives the same bits: the window's first
    run is built without waiting for a compile, and ``neuron-gui train`` loads one compiled function,
    not two.
    """
    if not is_loaded(_forward_error) and len(X) <= SMALL_TABLE:
        return forward_error_numpy(X, y, w)
    ensure_loaded(_forward_error, (X, y, w))
    return float(_forward_error(X, y, w))


def forward_error_numpy(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """:func:`forward_error` in numpy: the readable :func:`.lesson.mean_squared_error`, bit for bit (the
    same sums in the same order, ``z`` over inputs ascending and the squares over examples ascending, and
    the C library's ``exp``, which is what the compiled code calls)."""
    return mean_squared_error(X, y, w)


def forward(X: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(z, output)`` of every row of ``X`` (shape (n, m); a single input row (m,) gives arrays of one).

    The one arithmetic of every number a view shows: ``z`` summed over the inputs in order from 0.0 and
    ``sigmoid(z)`` with the C library's ``exp``, exactly as the kernel trains, and as the readable
    :func:`.lesson.weighted_sum` and :func:`.lesson.sigmoid` compute them (bit for bit; tested).

    Compiled once :mod:`.warm_up` (or :func:`forward_compiled`) has loaded it; until then numpy, the same
    bits, slower on a big table: a view never waits for a load or a compile on the GUI thread.
    """
    if not is_loaded(_forward):
        X = np.asarray(X, dtype=np.float64)
        z = weighted_sum(X[None, :] if X.ndim == 1 else X, w)
        return z, sigmoid(z)
    return forward_compiled(X, w)


def forward_compiled(X: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`forward` by the compiled code, loading (or compiling) it first if need be."""
    X = np.ascontiguousarray(X, dtype=np.float64)
    if X.ndim == 1:
        X = X[None, :]
    w = np.ascontiguousarray(w, dtype=np.float64)
    z, out = np.empty(len(X)), np.empty(len(X))
    args = (_read_only(X), _read_only(w), z, out)  # one machine code for read-only and writable inputs
    ensure_loaded(_forward, args)
    _forward(*args)
    return z, out


def predict(query: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """``(z, output)`` for one input row, as :func:`forward`."""
    z, out = forward(np.asarray(query, dtype=np.float64).reshape(1, -1), w)
    return float(z[0]), float(out[0])


def _read_only(a: np.ndarray) -> np.ndarray:
    if not a.flags.writeable:
        return a
    view = a.view()
    view.flags.writeable = False
    return view
