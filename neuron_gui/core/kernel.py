"""The compiled training kernel: the lesson's delta rule over a chunk of iterations, without the GIL.

Why compiled: a QThread running tiny numpy calls holds the GIL so often that the GUI thread starves
(a few redraws a second). This kernel runs whole chunks with the GIL released, so the window stays
fluid, and it does the lesson's arithmetic in the lesson's order, so it gives the lesson's weights
bit for bit (see ``tests/core/test_kernel.py``, which compares it with :mod:`.lesson`).
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Sequence

import numba
import numpy as np
from numba import njit
from numba.core.compiler_lock import global_compiler_lock
from numba.core.runtime import rtsys

from .lesson import Z_FLOOR, sigmoid_libm, weighted_sums

OK = 0
NON_FINITE = 1
BUFFER_FULL = 2


# For z above this, exp(-z) < 2**-53, so 1 + exp(-z) rounds to exactly 1.0 and the output is exactly 1.0:
# skipping exp there gives the same bits (and spares the C library's slow path for tiny results, which
# a saturated run on a big table hits on nearly every row).
Z_SATURATED = 40.0


@njit(nogil=True, cache=True)
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


@njit(nogil=True, cache=True)
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


# Up to this many examples, an error wanted before the compiled one is loaded is computed in numpy
# (in well under a millisecond), so that nobody waits for a load or a compile for one number.
SMALL_TABLE = 4096


def forward_error(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Mean squared error of ``w`` on ``(X, y)``, computed exactly as the kernel records it.

    Until the compiled function is loaded (by :func:`warm_up` in the app, off the GUI thread), a small
    table's error comes from :func:`forward_error_numpy`, which gives the same bits: the window's first
    run is built without waiting for a compile, and ``neuron-gui train`` loads one compiled function,
    not two.
    """
    if not getattr(_forward_error, "overloads", True) and len(X) <= SMALL_TABLE:
        return forward_error_numpy(X, y, w)
    ensure_loaded(_forward_error, (X, y, w))
    return float(_forward_error(X, y, w))


def forward_error_numpy(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """:func:`forward_error` in numpy, bit for bit: the same sums in the same order (``z`` over inputs
    ascending, the squares over examples ascending: ``cumsum`` adds one after another) and the C
    library's ``exp``, which is what the compiled code calls. (``z`` may differ in the sign of a zero,
    which ``exp`` does not see; above ``Z_SATURATED`` the formula gives exactly 1.0, as the kernel.)"""
    X = np.asarray(X, dtype=np.float64)
    out = sigmoid_libm(weighted_sums(X, np.asarray(w, dtype=np.float64)))
    miss = np.asarray(y, dtype=np.float64) - out
    return float(np.cumsum(miss * miss)[-1]) / len(X)


# Numba versions whose cache load was checked to need, of the compiler's set-up, only the runtime (the
# whole test suite passes with the shortcut below on both); any other version takes numba's own path.
_QUICK_LOAD = (0, 59) <= tuple(int(p) for p in numba.__version__.split(".")[:2]) <= (0, 68)


def ensure_loaded(dispatcher, args: Sequence) -> None:
    """Before a compiled function's first call: load its machine code for ``args`` from numba's
    on-disk cache, or compile it. Cheap once anything is loaded.

    Why not just call it: before a cache load numba sets up its whole compiler (the implementations
    of all of Python and numpy it supports), 0.1 s, a third of a headless ``neuron-gui train``,
    though reading back machine code needs only its runtime. So the load's own call to ``refresh``
    initialises the runtime and skips the rest, once; a compile (a cache miss), and anything later,
    gets the real one: numba refreshes again on every compile and on any lookup it cannot satisfy.
    Done under numba's compiler lock, so no other thread compiles meanwhile.
    """
    if not _QUICK_LOAD or getattr(dispatcher, "overloads", True):  # (no overloads: NUMBA_DISABLE_JIT)
        return
    signature = tuple(numba.typeof(a) for a in args)
    with global_compiler_lock:
        context = dispatcher.targetctx
        context.refresh = _RuntimeOnlyRefresh(context)
        try:
            dispatcher.compile(signature)
        finally:
            context.__dict__.pop("refresh", None)


class _RuntimeOnlyRefresh:
    """Stands in for ``context.refresh`` for one call: initialises numba's runtime (whose symbols the
    loaded code calls), then gives the context its real method back."""

    def __init__(self, context):
        self.context = context

    def __call__(self) -> None:
        self.context.__dict__.pop("refresh", None)
        rtsys.initialize(self.context)


def warm_up() -> None:
    """Compile (or load from the on-disk cache) every kernel specialisation the app uses.

    Called off the GUI thread at start-up, so the first Train never waits for a compile. The arrays
    have the types the app's have (the examples read-only, the weights and buffers writable): numba
    compiles one machine code per combination.
    """
    from .examples import Examples
    from .history import History
    from .insight import error_surface

    examples = Examples.create(np.ones((2, 2)), np.zeros(2))
    X, y = examples.X, examples.y
    ensure_loaded(_forward_error, (X, y, np.zeros(2)))
    h = History(2, capacity=8)
    h.start(np.zeros(2), forward_error(X, y, np.zeros(2)))
    h.train(X, y, 0.5, 3)
    error_surface(X, y, np.zeros(2), 0, 1, np.zeros(2), np.zeros(2))


# Set while nothing is being warmed up; cleared by the app while its warm-up runs, so that a training
# worker waits for it (off the GUI thread) instead of compiling the same code itself, under the GIL.
warmed = threading.Event()
warmed.set()


def cache_present() -> bool:
    """Whether numba's on-disk cache already holds the app's compiled functions (so a warm-up only
    loads them, which is quick), or they would have to be compiled (about a second, holding the GIL)."""
    from . import insight

    try:
        return all(os.path.exists(f._cache._cache_file._index_path)
                   for f in (run_chunk, _forward_error, insight._surface))
    except AttributeError:  # another numba's internals: assume the worst, compile out of process
        return False


def wait_until_warm(stop: threading.Event, poll: float = 0.05) -> None:
    """Block the calling (worker) thread until no warm-up is running, or ``stop`` is set."""
    while not warmed.wait(poll):
        if stop.is_set():
            return
