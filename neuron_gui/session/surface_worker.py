"""Computing the error surface off the GUI thread.

:class:`SurfaceComputer` runs each request in a private one-thread pool (named ``ng-error-surface``).
Requests are coalesced: the GUI may submit one at every redraw, but only the latest waiting request is
ever computed, and one being computed is abandoned between rows when a newer one arrives. The grid is
computed in row chunks by the compiled, GIL-free :func:`core.insight.error_surface`, then its contour
lines (numpy), and the result goes back to the GUI thread by a queued signal. :meth:`SurfaceComputer.shutdown`
stops and joins the thread; the window calls it when it closes.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from ..core.contours import contour_segments
from ..core.insight import error_surface, surface_bounds
from ..core.scale import nice_ceiling

IDLE_MS = 300  # an idle thread ends after this
CHUNK_WORK = 2_000_000  # grid points x examples x inputs per chunk of rows: a few milliseconds


@dataclass(frozen=True)
class SurfaceRequest:
    """Everything one surface needs (arrays are the caller's copies, never changed afterwards)."""

    serial: int
    iteration: int
    X: np.ndarray
    y: np.ndarray
    weights: np.ndarray
    i: int
    j: int
    a_values: np.ndarray
    b_values: np.ndarray
    a_index: int  # the grid node at the weights' own (w_i, w_j)
    b_index: int


@dataclass(frozen=True)
class SurfaceResult:
    request: SurfaceRequest
    grid: np.ndarray  # (len(a_values), len(b_values)) mean squared errors
    levels: np.ndarray  # the contour levels (errors)
    contours: np.ndarray  # (k, 2, 2) segments in grid-index coordinates, every level together

    @property
    def at_weights(self) -> float:
        """The surface at the request's own weights: the error recorded at its iteration."""
        return float(self.grid[self.request.a_index, self.request.b_index])


def axis_bounds(path: np.ndarray, previous: tuple[float, float] | None) -> tuple[float, float]:
    """An axis around a weight's whole path, with room either side, in round steps, kept while the path
    stays well inside it: the picture does not shift on every frame of a live run."""
    lo, hi = surface_bounds(path)
    unit = nice_ceiling((hi - lo) / 8)
    lo, hi = math.floor(lo / unit) * unit, math.ceil(hi / unit) * unit
    if previous is not None and previous[0] <= lo and hi <= previous[1] and hi - lo > 0.5 * (previous[1] - previous[0]):
        return previous
    return lo, hi


def axis_nodes(bounds: tuple[float, float], current: float, nodes: int) -> tuple[np.ndarray, int] | None:
    """``nodes`` evenly spaced values spanning ``bounds`` (give or take half a step), one of them exactly
    ``current``: returns them and that one's index (None for bounds too wide to compute over)."""
    lo, hi = bounds
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi - lo > 1e150:
        return None
    step = (hi - lo) / (nodes - 1)
    at = int(round((current - lo) / step))
    return current + (np.arange(nodes) - at) * step, at


def contour_levels(grid: np.ndarray, per_decade: int = 2, at_most: int = 10) -> np.ndarray:
    """Levels spaced evenly in log(error) (1, 3 per decade): the surface spans decades of error."""
    finite = grid[np.isfinite(grid) & (grid > 0)]
    if not len(finite):
        return np.empty(0)
    lo, hi = np.log10(finite.min()), np.log10(finite.max())
    steps = np.arange(np.floor(lo * per_decade), np.ceil(hi * per_decade) + 1) / per_decade
    levels = 10.0 ** steps
    levels = np.round(levels / 10.0 ** np.floor(np.log10(levels)), 0) * 10.0 ** np.floor(np.log10(levels))
    levels = np.unique(levels[(levels > finite.min()) & (levels < finite.max())])
    if len(levels) > at_most:
        levels = levels[np.linspace(0, len(levels) - 1, at_most).round().astype(int)]
    return levels


def compute_surface(request: SurfaceRequest, abandon=lambda: False) -> SurfaceResult | None:
    """The surface and its contour lines (None if ``abandon()`` said so between chunks of rows)."""
    r = request
    n, m = r.X.shape
    rows_per_chunk = max(1, CHUNK_WORK // max(1, len(r.b_values) * n * m))
    grid = np.empty((len(r.a_values), len(r.b_values)))
    for start in range(0, len(r.a_values), rows_per_chunk):
        if abandon():
            return None
        stop = min(start + rows_per_chunk, len(r.a_values))
        grid[start:stop] = error_surface(r.X, r.y, r.weights, r.i, r.j, r.a_values[start:stop], r.b_values)
    levels = contour_levels(grid)
    parts = [contour_segments(grid, level) for level in levels]
    contours = np.concatenate(parts) if parts else np.empty((0, 2, 2))
    return SurfaceResult(r, grid, levels, contours)


class _Relay(QObject):
    """Carries a result from the pool's thread to the GUI thread (a queued signal). It has no parent: a
    task still running holds it, so it outlives anything being torn down."""

    computed = Signal(object)


class SurfaceComputer(QObject):
    """Computes surfaces one at a time in a private thread pool of one thread, named ``ng-error-surface``.

    Only the latest request waiting is ever started; one being computed is abandoned between chunks of
    rows when a newer one arrives. An idle thread ends after :data:`IDLE_MS`, so nothing is left running
    between uses; :meth:`shutdown` (the window closing) stops and joins it at once, and so does the pool's
    own destructor if the window is destroyed without being closed.
    """

    computed = Signal(object)  # SurfaceResult, in the GUI thread

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setObjectName("ng-error-surface")  # its threads' (OS) name: tests look for leaked ones
        self.pool.setMaxThreadCount(1)
        self.pool.setExpiryTimeout(IDLE_MS)
        self._relay = _Relay()
        self._relay.computed.connect(self._on_computed)
        self._lock = threading.Lock()
        self._pending: SurfaceRequest | None = None
        self._busy = False
        self._stopping = threading.Event()
        self._closed = False

    def submit(self, request: SurfaceRequest) -> None:
        """Compute ``request`` as soon as the thread is free (replacing any request still waiting)."""
        if self._closed:
            return
        with self._lock:
            self._pending = request
            if self._busy:
                return
            self._busy = True
        self._start_next()

    def _newer_waiting(self) -> bool:
        with self._lock:
            return self._pending is not None

    def _start_next(self) -> None:
        with self._lock:
            request, self._pending = self._pending, None
            if request is None or self._closed:
                self._busy = False
                return
        relay, stopping, newer = self._relay, self._stopping, self._newer_waiting

        def work() -> None:  # in the pool's thread
            result = compute_surface(request, lambda: stopping.is_set() or newer())
            relay.computed.emit(result)

        self.pool.start(work)

    @Slot(object)
    def _on_computed(self, result: SurfaceResult | None) -> None:
        if result is not None and not self._closed:
            self.computed.emit(result)
        self._start_next()  # the latest request that arrived meanwhile, if any

    @property
    def busy(self) -> bool:
        """A surface is being computed (or waiting to be)."""
        return self._busy

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Stop (within one chunk of rows) and join the thread. Later requests are ignored."""
        self._closed = True
        self._stopping.set()
        with self._lock:
            self._pending = None
        self.pool.clear()
        self.pool.waitForDone(timeout_ms)
