"""One z and one sigmoid for every number a view shows: every core path that computes them (the
prediction, the outputs, the contributions, the update written out, the compiled and the numpy display
arithmetic) gives the same bits as the readable fixed-order reference in :mod:`neuron_gui.core.lesson`
and as the training kernel itself (no Qt)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from neuron_gui.core import kernel
from neuron_gui.core.examples import Examples
from neuron_gui.core.insight import contributions, update_breakdown
from neuron_gui.core.lesson import sigmoid, sum_rows_in_order, weighted_sum, weighted_sums
from neuron_gui.core.training import Run, Settings


def _bits(a) -> bytes:
    return np.asarray(a, dtype=np.float64).tobytes()


def _reference(X: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """z and sigmoid(z) written out with Python floats, one row at a time, inputs in order from 0.0,
    the C library's exp: what the kernel does, independent of every helper under test."""
    zs, outs = [], []
    for row in X:
        z = 0.0
        for x, wj in zip(row, w, strict=True):
            z += float(x) * float(wj)
        zs.append(z)
        outs.append(1.0 / (1.0 + math.exp(-max(z, -700.0))))
    return np.array(zs), np.array(outs)


def _cases(seed: int, count: int = 60):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        n, m = int(rng.integers(1, 30)), int(rng.integers(2, 17))
        X = np.round(rng.uniform(-5, 5, (n, m)), int(rng.integers(0, 4)))
        y = rng.integers(0, 2, n).astype(float)
        w = rng.normal(0, 3, m)
        yield X, y, w, rng.uniform(-5, 5, m)


@pytest.mark.parametrize("seed", range(4))
def test_every_path_gives_the_same_z_and_output_bit_for_bit(seed: int):
    differs_from_blas = 0
    for X, y, w, q in _cases(seed):
        z_ref, out_ref = _reference(X, w)
        z, out = kernel.forward_compiled(X, w)
        assert _bits(z) == _bits(z_ref) and _bits(out) == _bits(out_ref)
        assert _bits(weighted_sum(X, w)) == _bits(z_ref) and _bits(weighted_sums(X, w)) == _bits(z_ref)
        assert _bits(sigmoid(z_ref)) == _bits(out_ref)

        run = Run(Examples.create(X, y), Settings())
        assert _bits(run.outputs(w)) == _bits(out_ref)
        breakdown = update_breakdown(run.X, run.y, w)
        assert _bits(breakdown.z) == _bits(z_ref) and _bits(breakdown.out) == _bits(out_ref)

        (qz,), (qout,) = _reference(q[None, :], w)
        c = contributions(q, w)
        assert _bits(c.z) == _bits(qz) and _bits(c.prediction) == _bits(qout)
        assert _bits(run.predict(q, w)) == _bits(qout)
        assert kernel.predict(q, w) == (qz, qout)
        differs_from_blas += _bits(X @ w) != _bits(z_ref)
    # the cases are ones where the order of addition shows (else this test would prove nothing)
    assert differs_from_blas > 0


def test_the_update_written_out_is_the_kernels_next_step():
    for X, y, w, _ in _cases(7, 30):
        run = Run(Examples.create(X, y), Settings(iterations=1))
        run.weights[:] = w
        run.history.start(w, kernel.forward_error(run.X, run.y, w))
        b = update_breakdown(run.X, run.y, w)
        run.step(1)
        z_ref, out_ref = _reference(X, w)
        delta = (y - out_ref) * out_ref * (1 - out_ref)
        assert _bits(b.new_weights) == _bits(w + sum_rows_in_order(X * delta[:, None])) == _bits(run.weights)


def test_huge_sums_are_made_finite_the_same_way_on_both_paths():
    X = np.array([[1e6, 1e6], [-1e6, -1e6], [1e6, -1e6], [1e6, 1e6]])
    w = np.array([1.7e308, 1.7e308])
    w2 = np.array([1.7e308, -1.7e308])
    for weights in (w, w2):
        compiled = kernel.forward_compiled(X, weights)
        z = weighted_sum(X, weights)
        assert _bits(compiled[0]) == _bits(z) and _bits(compiled[1]) == _bits(sigmoid(z))
        assert np.all(np.isfinite(z))


def test_the_numpy_path_before_the_compiled_one_is_loaded_gives_the_same_bits(monkeypatch):
    monkeypatch.setattr(kernel, "is_loaded", lambda dispatcher: False)
    for X, _, w, q in _cases(3, 30):
        z_ref, out_ref = _reference(X, w)
        z, out = kernel.forward(X, w)
        assert _bits(z) == _bits(z_ref) and _bits(out) == _bits(out_ref)
        (qz,), (qout,) = _reference(q[None, :], w)
        assert kernel.predict(q, w) == (qz, qout)


def test_a_zero_sum_is_plus_zero_on_every_path():
    X, w = np.array([[1.0, 1.0]]), np.array([-0.0, -0.0])  # -0 + -0 is -0; 0 + -0 + -0 is 0
    assert math.copysign(1, kernel.forward_compiled(X, w)[0][0]) == 1.0
    assert math.copysign(1, float(weighted_sum(X, w)[0])) == 1.0
    assert math.copysign(1, contributions(X[0], w).z) == 1.0
