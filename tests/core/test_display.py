"""Display thinning: few points, every extreme kept, exact ends, and only new data read per frame."""

from __future__ import annotations

import numpy as np

from neuron_gui.core.display import Decimator
from neuron_gui.core.examples import Examples
from neuron_gui.core.history import History
from neuron_gui.core.training import Run, Settings


def exact_run(iterations, **kw):
    """Records of every iteration, from a history big enough never to thin."""
    run = Run(Examples.lesson(), Settings(iterations=iterations, **kw), History(3, capacity=iterations + 2))
    run.step(iterations)
    h = run.history
    return run, h.w_first[: h.count].copy(), h.e_first[: h.count].copy()


def test_short_runs_are_drawn_exactly():
    run, w, e = exact_run(500)
    ws, es = Decimator(2048).update(run.history)
    assert np.array_equal(ws.x, np.arange(501))
    assert np.array_equal(ws.y, w) and np.array_equal(es.y[:, 0], e)


def test_long_runs_keep_every_extreme_and_end_exactly_in_small_steps():
    total = 60_000
    _, w, e = exact_run(total)
    run = Run(Examples.lesson(), Settings(iterations=total), History(3, capacity=1024))
    dec = Decimator(256)
    rng = np.random.default_rng(3)
    while run.remaining:  # frames arrive at uneven points of the run, as they do live
        run.step(min(run.remaining, int(rng.integers(1, 3000))))
        ws, es = dec.update(run.history)
        k = run.iteration
        assert len(ws.x) <= 2 * 256 + 1
        assert ws.x[-1] == k and np.array_equal(ws.y[-1], run.weights)
        assert np.array_equal(ws.y.min(axis=0), w[: k + 1].min(axis=0))
        assert np.array_equal(ws.y.max(axis=0), w[: k + 1].max(axis=0))
        assert es.y.min() == e[: k + 1].min() and es.y.max() == e[: k + 1].max()
    # each stroke spans exactly the values recorded in its bucket
    width = dec.width
    for b in (0, 7, len(ws.x) // 2 - 2):
        lo, hi = ws.y[2 * b], ws.y[2 * b + 1]
        assert np.array_equal(lo, w[b * width : (b + 1) * width].min(axis=0))
        assert np.array_equal(hi, w[b * width : (b + 1) * width].max(axis=0))


def test_a_restarted_history_is_followed_afresh():
    run = Run(Examples.lesson(), Settings(iterations=5000))
    dec = Decimator(64)
    run.step(5000)
    dec.update(run.history)
    run.reset()
    run.step(10)
    ws, _ = dec.update(run.history)
    assert ws.x[-1] == 10 and len(ws.x) == 11
