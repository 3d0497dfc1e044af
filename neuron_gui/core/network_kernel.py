"""The compiled backpropagation kernel: a network's iterations over a chunk, without the GIL.

It does :func:`.network.train_reference`'s arithmetic in its order (inputs ascending in every weighted
sum, the upper layer's neurons ascending in every back-propagated sum, examples ascending in every
adjustment, the C library's ``exp``), so it equals that readable reference bit for bit (see
``tests/core/test_network.py``). It records like :func:`.kernel.run_chunk` (the same buckets, the same
statuses), with the weights flattened as :class:`.network.Shape` flattens them.

One pass over the examples per iteration: each example goes forward through every layer, its deltas go
back down from the old weights, and its share of every adjustment is added, example after example; the
weights change only after the last example. Inside, each layer's weights are a 2-D view of the flat
vector and each layer's activations an array of its own, named one by one up to :data:`MAX_LAYERS`
(layers past the network's are empty and skipped): loops over a list of layers, or offsets into one
buffer, ran 1.5-2x slower. The single neuron keeps :func:`.kernel.run_chunk`, which is faster for it;
this kernel run on ``[W0]`` gives the same bits (tested).
"""

from __future__ import annotations

import math

import numpy as np

from . import network
from .compiled import cached_njit, ensure_loaded, is_loaded
from .kernel import BUFFER_FULL, NON_FINITE, OK, SMALL_TABLE, Z_SATURATED
from .lesson import Z_FLOOR

MAX_LAYERS = 5  # weight layers: 4 hidden + the output (network.MAX_HIDDEN_LAYERS + 1)


@cached_njit(nogil=True, inline="always")
def _sizes(sizes):  # pragma: no cover - compiled
    """Neurons per layer padded with zeros to MAX_LAYERS + 1 layers, and where each weight layer starts."""
    s = np.zeros(MAX_LAYERS + 1, dtype=np.int64)
    for k in range(sizes.shape[0]):
        s[k] = sizes[k]
    off = np.zeros(MAX_LAYERS + 1, dtype=np.int64)
    for k in range(MAX_LAYERS):
        off[k + 1] = off[k] + s[k] * s[k + 1]
    return s, off


@cached_njit(nogil=True, inline="always")
def _matrices(w, s, off):  # pragma: no cover - compiled
    """The (inputs, neurons) views of flat weights, one per layer (empty past the network's)."""
    return (w[off[0] : off[1]].reshape((s[0], s[1])), w[off[1] : off[2]].reshape((s[1], s[2])),
            w[off[2] : off[3]].reshape((s[2], s[3])), w[off[3] : off[4]].reshape((s[3], s[4])),
            w[off[4] : off[5]].reshape((s[4], s[5])))


@cached_njit(nogil=True, inline="always")
def _vectors(s):  # pragma: no cover - compiled
    """One array per layer of neurons (layer 0: the inputs)."""
    return (np.empty(s[0]), np.empty(s[1]), np.empty(s[2]), np.empty(s[3]), np.empty(s[4]), np.empty(s[5]))


@cached_njit(nogil=True, inline="always")
def _layer_forward(a_in, W, a_out):  # pragma: no cover - compiled
    """``a_out = σ(a_in @ W)``, each ``z`` added from 0.0, inputs ascending."""
    for j in range(W.shape[1]):
        z = 0.0
        for i in range(W.shape[0]):
            z += a_in[i] * W[i, j]
        if z < Z_FLOOR:
            z = Z_FLOOR
        if z > Z_SATURATED:
            a_out[j] = 1.0
        else:
            a_out[j] = 1.0 / (1.0 + math.exp(-z))


@cached_njit(nogil=True, inline="always")
def _layer_back(d_up, W, a, d):  # pragma: no cover - compiled
    """``d = (d_up @ W.T) * a * (1 - a)``: the sum from 0.0, the upper layer's neurons ascending."""
    for i in range(W.shape[0]):
        s = 0.0
        for j in range(W.shape[1]):
            s += d_up[j] * W[i, j]
        d[i] = s * a[i] * (1.0 - a[i])


@cached_njit(nogil=True, inline="always")
def _layer_adjust(a, d, G):  # pragma: no cover - compiled
    """``G += outer(a, d)``: one example's share of ``a.T @ delta``."""
    for i in range(G.shape[0]):
        ai = a[i]
        for j in range(G.shape[1]):
            G[i, j] += ai * d[j]


@cached_njit(nogil=True)
def _forward_error(X, y, w, sizes):  # pragma: no cover - compiled
    n_layers = sizes.shape[0] - 1
    s, off = _sizes(sizes)
    W0, W1, W2, W3, W4 = _matrices(w, s, off)
    a0, a1, a2, a3, a4, a5 = _vectors(s)
    out = (a1, a2, a3, a4, a5)[n_layers - 1]
    n = X.shape[0]
    total = 0.0
    for r in range(n):
        for i in range(a0.shape[0]):
            a0[i] = X[r, i]
        _layer_forward(a0, W0, a1)
        if n_layers > 1:
            _layer_forward(a1, W1, a2)
        if n_layers > 2:
            _layer_forward(a2, W2, a3)
        if n_layers > 3:
            _layer_forward(a3, W3, a4)
        if n_layers > 4:
            _layer_forward(a4, W4, a5)
        miss = y[r] - out[0]
        total += miss * miss
    return total / n


@cached_njit(nogil=True, inline="always")
def _record_error(e, bucket, place, b, e_first, e_min, e_max):  # pragma: no cover - compiled
    if b == 1:
        e_first[bucket] = e
    elif place == 0:
        e_first[bucket] = e
        e_min[bucket] = e
        e_max[bucket] = e
    else:
        if e < e_min[bucket]:
            e_min[bucket] = e
        if e > e_max[bucket]:
            e_max[bucket] = e


@cached_njit(nogil=True, inline="always")
def _update(w, grad, new_w, learning_rate):  # pragma: no cover - compiled
    """``new_w = w + grad`` (times the rate unless it is 1); False, ``w`` unchanged, if one is not finite."""
    n_params = w.shape[0]
    if learning_rate == 1.0:
        for p in range(n_params):
            new_w[p] = w[p] + grad[p]
    else:
        for p in range(n_params):
            new_w[p] = w[p] + learning_rate * grad[p]
    for p in range(n_params):
        if not math.isfinite(new_w[p]):
            return False
    for p in range(n_params):
        w[p] = new_w[p]
    return True


@cached_njit(nogil=True, inline="always")
def _record_weights(w, wb, wp, b, w_first, w_min, w_max):  # pragma: no cover - compiled
    """Record weights ``w`` at place ``wp`` of bucket ``wb`` (width ``b``), as :func:`.kernel.run_chunk`."""
    n_params = w.shape[0]
    if b == 1:  # every record exact: only the first buffers (see history.py)
        for p in range(n_params):
            w_first[wb, p] = w[p]
    elif wp == 0:
        for p in range(n_params):
            v = w[p]
            w_first[wb, p] = v
            w_min[wb, p] = v
            w_max[wb, p] = v
    else:
        for p in range(n_params):
            v = w[p]
            if v < w_min[wb, p]:
                w_min[wb, p] = v
            if v > w_max[wb, p]:
                w_max[wb, p] = v


@cached_njit(nogil=True)
def run_network_chunk(
    X, y, w, sizes, learning_rate, n_iter, start, b, capacity,
    w_first, w_min, w_max, e_first, e_min, e_max, grad, new_w,
):  # pragma: no cover - compiled
    """Train ``n_iter`` iterations of the network with layer sizes ``sizes`` (int64, the inputs
    first, the output's 1 last; at most :data:`MAX_LAYERS` weight layers) from record ``start`` (flat
    weights ``w``, already recorded).

    The contract of :func:`.kernel.run_chunk`: records in buckets of width ``b``, returns ``(iterations
    done, status, error of the last weights)``, ``BUFFER_FULL`` before the record that would not fit,
    ``NON_FINITE`` with ``w`` unchanged when an update would leave the finite numbers; ``grad`` and
    ``new_w`` (as long as ``w``) are scratch.
    """
    n = X.shape[0]
    n_layers = sizes.shape[0] - 1
    n_params = w.shape[0]
    s, off = _sizes(sizes)
    W0, W1, W2, W3, W4 = _matrices(w, s, off)
    G0, G1, G2, G3, G4 = _matrices(grad, s, off)
    a0, a1, a2, a3, a4, a5 = _vectors(s)
    d0, d1, d2, d3, d4, d5 = _vectors(s)  # d[k]: layer k's deltas (k >= 1)
    out = (a1, a2, a3, a4, a5)[n_layers - 1]
    d_out = (d1, d2, d3, d4, d5)[n_layers - 1]
    done = 0
    status = OK
    eb = start // b
    ep = start - eb * b
    while done < n_iter:
        wb = eb
        wp = ep + 1
        if wp == b:
            wb += 1
            wp = 0
        if wb >= capacity:
            status = BUFFER_FULL
            break
        for p in range(n_params):
            grad[p] = 0.0
        err = 0.0
        for r in range(n):
            for i in range(a0.shape[0]):
                a0[i] = X[r, i]
            _layer_forward(a0, W0, a1)
            if n_layers > 1:
                _layer_forward(a1, W1, a2)
            if n_layers > 2:
                _layer_forward(a2, W2, a3)
            if n_layers > 3:
                _layer_forward(a3, W3, a4)
            if n_layers > 4:
                _layer_forward(a4, W4, a5)
            o = out[0]
            miss = y[r] - o
            err += miss * miss
            d_out[0] = miss * o * (1.0 - o)
            if n_layers > 4:  # each layer's delta from the layer above, with the old weights
                _layer_back(d5, W4, a4, d4)
            if n_layers > 3:
                _layer_back(d4, W3, a3, d3)
            if n_layers > 2:
                _layer_back(d3, W2, a2, d2)
            if n_layers > 1:
                _layer_back(d2, W1, a1, d1)
            _layer_adjust(a0, d1, G0)  # each adjustment: this example's share, examples in order
            if n_layers > 1:
                _layer_adjust(a1, d2, G1)
            if n_layers > 2:
                _layer_adjust(a2, d3, G2)
            if n_layers > 3:
                _layer_adjust(a3, d4, G3)
            if n_layers > 4:
                _layer_adjust(a4, d5, G4)
        _record_error(err / n, eb, ep, b, e_first, e_min, e_max)
        if not _update(w, grad, new_w, learning_rate):
            status = NON_FINITE
            break
        _record_weights(w, wb, wp, b, w_first, w_min, w_max)
        eb = wb
        ep = wp
        done += 1
    last_error = _forward_error(X, y, w, sizes)
    _record_error(last_error, eb, ep, b, e_first, e_min, e_max)
    return done, status, last_error


@cached_njit(nogil=True)
def run_one_hidden_chunk(
    X, y, w, sizes, learning_rate, n_iter, start, b, capacity,
    w_first, w_min, w_max, e_first, e_min, e_max, grad, new_w,
):  # pragma: no cover - compiled
    """:func:`run_network_chunk` for one hidden layer (``sizes`` = (m, h, 1)), the sequel's shape, written
    out for it: the same arithmetic in the same order (so the same bits; tested), about 1.5x faster,
    since every loop of the general kernel's is a few iterations long and its set-up costs as much."""
    n = X.shape[0]
    m = sizes[0]
    h = sizes[1]
    n_params = w.shape[0]
    W1 = w[: m * h].reshape((m, h))
    W2 = w[m * h :]
    G1 = grad[: m * h].reshape((m, h))
    G2 = grad[m * h :]
    a = np.empty(h)
    d = np.empty(h)
    done = 0
    status = OK
    eb = start // b
    ep = start - eb * b
    while done < n_iter:
        wb = eb
        wp = ep + 1
        if wp == b:
            wb += 1
            wp = 0
        if wb >= capacity:
            status = BUFFER_FULL
            break
        for p in range(n_params):
            grad[p] = 0.0
        err = 0.0
        for r in range(n):
            for j in range(h):
                z = 0.0
                for i in range(m):
                    z += X[r, i] * W1[i, j]
                if z < Z_FLOOR:
                    z = Z_FLOOR
                if z > Z_SATURATED:
                    a[j] = 1.0
                else:
                    a[j] = 1.0 / (1.0 + math.exp(-z))
            z = 0.0
            for j in range(h):
                z += a[j] * W2[j]
            if z < Z_FLOOR:
                z = Z_FLOOR
            if z > Z_SATURATED:
                o = 1.0
            else:
                o = 1.0 / (1.0 + math.exp(-z))
            miss = y[r] - o
            err += miss * miss
            d_out = miss * o * (1.0 - o)
            for j in range(h):  # the hidden deltas from the output's, with the old weights
                s = 0.0
                s += d_out * W2[j]
                d[j] = s * a[j] * (1.0 - a[j])
            for i in range(m):  # each adjustment: this example's share, examples in order
                x = X[r, i]
                for j in range(h):
                    G1[i, j] += x * d[j]
            for j in range(h):
                G2[j] += a[j] * d_out
        _record_error(err / n, eb, ep, b, e_first, e_min, e_max)
        if not _update(w, grad, new_w, learning_rate):
            status = NON_FINITE
            break
        _record_weights(w, wb, wp, b, w_first, w_min, w_max)
        eb = wb
        ep = wp
        done += 1
    last_error = _forward_error(X, y, w, sizes)
    _record_error(last_error, eb, ep, b, e_first, e_min, e_max)
    return done, status, last_error


def chunk_function(hidden: tuple[int, ...]):
    """The kernel that trains a network with these hidden layers: one hidden layer has its own."""
    return run_one_hidden_chunk if len(hidden) == 1 else run_network_chunk


def sizes_array(sizes) -> np.ndarray:
    """Layer sizes as the kernels take them (int64, contiguous)."""
    return np.ascontiguousarray(sizes, dtype=np.int64)


def forward_error(X: np.ndarray, y: np.ndarray, w: np.ndarray, sizes) -> float:
    """Mean squared error of flat weights ``w`` of a network of ``sizes``, exactly as recorded.

    As :func:`.kernel.forward_error`: until the compiled function is loaded (by the warm-up, off the GUI
    thread), a small table's error comes from the readable reference, which gives the same bits, so
    that building a run never waits for a load or a compile."""
    if not is_loaded(_forward_error) and len(X) <= SMALL_TABLE:
        shape = network.Shape(int(sizes[0]), tuple(int(s) for s in sizes[1:-1]))
        return network.error_reference(X, y, shape.split(w))
    args = (np.ascontiguousarray(X, dtype=np.float64), np.ascontiguousarray(y, dtype=np.float64),
            np.ascontiguousarray(w, dtype=np.float64), sizes_array(sizes))
    ensure_loaded(_forward_error, args)
    return float(_forward_error(*args))
