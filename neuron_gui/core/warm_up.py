"""Having the compiled code ready before it is needed: the warm-up, the check for a cold cache, and the
flag a training worker waits on.

It sits above every compiled module (:mod:`.kernel`, :mod:`.history`, :mod:`.insight`), which know
nothing of it: the warm-up calls them, never the other way round.

The app (``ui``) starts :func:`warm_up` off the GUI thread at start-up, in a separate process first when
:func:`cache_present` says the cache is cold (a compile holds the GIL for about a second), and clears
:data:`warmed` meanwhile; a training worker calls :func:`wait_until_warm` before its first chunk.
"""

from __future__ import annotations

import os
import threading

import numpy as np

from . import insight, kernel, network_insight, network_kernel
from .compiled import ensure_loaded, index_path
from .examples import Examples
from .history import History
from .network import Shape

#: The compiled functions the app calls, all of which :func:`warm_up` loads.
COMPILED = (kernel.run_chunk, kernel._forward_error, kernel._forward, insight._surface,
            network_kernel.run_network_chunk, network_kernel.run_one_hidden_chunk, network_kernel._forward_error,
            network_insight._surface)


def warm_up() -> None:
    """Compile (or load from the on-disk cache) every kernel specialisation the app uses.

    The arrays have the types the app's have (the examples read-only, the weights and buffers
    writable): numba compiles one machine code per combination.
    """
    examples = Examples.create(np.ones((2, 2)), np.zeros(2))
    X, y = examples.X, examples.y
    ensure_loaded(kernel._forward_error, (X, y, np.zeros(2)))
    h = History(2, capacity=8)
    h.start(np.zeros(2), kernel.forward_error(X, y, np.zeros(2)))
    h.train(X, y, 0.5, 3)
    kernel.forward_compiled(X, np.zeros(2))
    insight.error_surface(X, y, np.zeros(2), 0, 1, np.zeros(2), np.zeros(2))
    for hidden in ((2,), (2, 2)):  # networks: one machine code for one hidden layer, one for any other shape
        shape = Shape(2, hidden)
        w = np.zeros(shape.n_params)
        h = History(2, capacity=8, hidden=shape.hidden)
        ensure_loaded(network_kernel._forward_error, (X, y, w, network_kernel.sizes_array(shape.sizes)))
        h.start(w, network_kernel.forward_error(X, y, w, shape.sizes))
        h.train(X, y, 0.5, 3)
    network_insight.error_surface(X, y, shape, w, 0, 1, np.zeros(2), np.zeros(2))


# Set while nothing is being warmed up; cleared by the app while its warm-up runs, so that a training
# worker waits for it (off the GUI thread) instead of compiling the same code itself, under the GIL.
warmed = threading.Event()
warmed.set()


def cache_present() -> bool:
    """Whether numba's on-disk cache already holds the app's compiled functions (so a warm-up only
    loads them, which is quick), or they would have to be compiled (about a second, holding the GIL).
    False also when there is no cache (see :mod:`.compiled`): then every start compiles."""
    paths = [index_path(f) for f in COMPILED]
    return all(p is not None and os.path.exists(p) for p in paths)


def wait_until_warm(stop: threading.Event, poll: float = 0.05) -> None:
    """Block the calling (worker) thread until no warm-up is running, or ``stop`` is set."""
    while not warmed.wait(poll):
        if stop.is_set():
            return
