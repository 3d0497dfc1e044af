"""The lesson's data and its plain numpy training loop, kept as the readable reference.

Everything fast in this package (the compiled kernel, the threaded runs) is tested against
:func:`train_reference`, which is the lesson's code with names.
"""

from __future__ import annotations

import math

import numpy as np

LESSON_X = np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]], dtype=np.float64)
LESSON_Y = np.array([0, 1, 1, 0], dtype=np.float64)
LESSON_QUERY = np.array([1, 0, 0], dtype=np.float64)
DEFAULT_ITERATIONS = 10_000
DEFAULT_SEED = 1
DEFAULT_LEARNING_RATE = 1.0
MAX_ITERATIONS = 100_000_000
MAX_INPUTS = 16

# exp(700) is finite; clipping z below at -700 keeps 1/(1+exp(-z)) free of overflow without
# changing any value a real run reaches (sigmoid(-700) is 1e-304, already "zero").
Z_FLOOR = -700.0


_libm_exp = np.frompyfunc(math.exp, 1, 1)


def sigmoid(z: np.ndarray | float) -> np.ndarray:
    """The lesson's ``1/(1+exp(-z))``, safe for every finite ``z`` (no overflow warning), with the C
    library's ``exp``: the one sigmoid of the app, the compiled code's (numpy's own SIMD ``exp`` differs
    from it in the last bit for some inputs, and from one CPU to another). Slow on big arrays: the
    views call :func:`.kernel.forward`, which gives the same bits compiled."""
    z = np.maximum(np.asarray(z, dtype=np.float64), Z_FLOOR)
    return 1.0 / (1.0 + np.asarray(_libm_exp(-z), dtype=np.float64))


def weighted_sums(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``X @ w`` added in a fixed order, as the compiled code adds: ``z_r = ((0 + X[r,0] w[0]) + ...)``.

    (Starting from 0.0 matters only for the sign of a zero, which a view would print.)
    """
    X = np.asarray(X, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    z = np.zeros(X.shape[:-1])
    for j in range(X.shape[-1]):
        z = z + X[..., j] * w[j]
    return z


def weighted_sum(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """:func:`weighted_sums` for display and prediction, quiet and finite for any finite inputs and weights.

    Huge weights times huge inputs can overflow to ±inf (or, summed, to NaN); those become the largest
    finite numbers (NaN: 0, where the two infinities cancel), which the sigmoid maps to 1, 0 or 0.5.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        z = weighted_sums(X, w)
    return np.nan_to_num(z, nan=0.0, posinf=np.finfo(np.float64).max, neginf=-np.finfo(np.float64).max)


def initial_weights(seed: int, n_inputs: int) -> np.ndarray:
    """The lesson's ``np.random.seed(seed); 2*random((m,1))-1``, returned as a flat array."""
    np.random.seed(seed)
    return (2 * np.random.random((n_inputs, 1)) - 1).ravel()


def default_query(n_inputs: int) -> np.ndarray:
    """``1,0,...,0``: the lesson's ``[1,0,0]`` generalised to any input count."""
    q = np.zeros(n_inputs)
    q[0] = 1.0
    return q


def mean_squared_error(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """The mean of the squared misses, the squares added over the examples in order (``cumsum`` adds
    one after another), as the kernel records the error."""
    out = sigmoid(weighted_sums(X, w))
    miss = np.asarray(y, dtype=np.float64) - out
    return float(np.cumsum(miss * miss)[-1]) / len(miss)


def train_lesson(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, iterations: int, learning_rate: float = 1.0
) -> np.ndarray:
    """The lesson's full-batch delta rule, verbatim; returns the new weights (``w`` is not changed).

    Its sums run through BLAS, whose order of addition depends on the CPU (OpenBLAS's kernels add in
    pairs), and its ``exp`` is numpy's, so its last bits differ between machines. :func:`train_reference`
    fixes the order and the ``exp``.
    """
    w = np.array(w, dtype=np.float64).reshape(-1, 1)
    y = np.asarray(y, dtype=np.float64).reshape(-1, 1)
    for _ in range(iterations):
        out = 1 / (1 + np.exp(-np.maximum(np.dot(X, w), Z_FLOOR)))
        adjustment = np.dot(X.T, (y - out) * out * (1 - out))
        w += adjustment if learning_rate == 1.0 else learning_rate * adjustment
    return w.ravel()


def sum_rows_in_order(a: np.ndarray) -> np.ndarray:
    """Column sums of ``a`` (n, m) with the rows added one after another from 0.0, as the kernel adds
    them. (``a.sum(axis=0)`` does so only while m > 1: numpy sums a single column pairwise.)"""
    acc = np.zeros((a.shape[0] + 1, a.shape[1]))
    acc[1:] = a
    return np.cumsum(acc, axis=0)[-1]


def train_reference(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, iterations: int, learning_rate: float = 1.0
) -> np.ndarray:
    """The lesson's rule in plain numpy with every sum in a fixed order (inputs ascending in ``z``,
    examples ascending in the adjustment) and the C library's ``exp``, so that it is exact on any
    machine. The compiled kernel must equal it bit for bit; it agrees with :func:`train_lesson` to
    rounding (the lesson's table to all its digits).
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).ravel()
    w = np.array(w, dtype=np.float64).ravel()
    for _ in range(iterations):
        out = sigmoid(weighted_sums(X, w))
        delta = (y - out) * out * (1 - out)
        adjustment = sum_rows_in_order(X * delta[:, None])
        w += adjustment if learning_rate == 1.0 else learning_rate * adjustment
    return w


def reference_weights(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, iterations: int, learning_rate: float = 1.0
) -> np.ndarray:
    """Every iteration's weights, shape (iterations + 1, m) from the initial ones, by the rule of
    :func:`train_reference` written one Python float at a time (no numpy in the arithmetic: the order of
    every sum is the order of the loops, ``exp`` is the C library's). The same bits as
    :func:`train_reference` (tested), and on a small table ten times faster, so tests can replay long runs.
    """
    rows = [[float(v) for v in row] for row in np.asarray(X, dtype=np.float64)]
    targets = [float(v) for v in np.asarray(y, dtype=np.float64).ravel()]
    weights = [float(v) for v in np.asarray(w, dtype=np.float64).ravel()]
    m = len(weights)
    out = np.empty((iterations + 1, m))
    out[0] = weights
    for k in range(1, iterations + 1):
        adjustment = [0.0] * m
        for row, target in zip(rows, targets, strict=True):
            z = 0.0
            for x, wj in zip(row, weights, strict=True):
                z += x * wj
            o = 1.0 / (1.0 + math.exp(-max(z, Z_FLOOR)))
            delta = (target - o) * o * (1.0 - o)
            for j in range(m):
                adjustment[j] += row[j] * delta
        if learning_rate == 1.0:
            weights = [wj + a for wj, a in zip(weights, adjustment, strict=True)]
        else:
            weights = [wj + learning_rate * a for wj, a in zip(weights, adjustment, strict=True)]
        out[k] = weights
    return out
