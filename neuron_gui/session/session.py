"""The one owner of the run: :class:`Session` (QtCore only, no widgets).

The session holds the current :class:`Run`, the :class:`TrainingController` that trains it in its thread,
the iteration on display (live, or one chosen on the replay timeline), the query and the learning rate
the next update uses. It is the only place that starts, continues, steps, pauses, resets or replaces a run;
menus, buttons, files and the replay call it, and every view reads the state it publishes:
:meth:`display_state`, one immutable :class:`~neuron_gui.core.display_state.DisplayState` per frame.

Signals are coarse: ``run_changed`` (a different run, or the same one reset), ``running_changed`` (started,
paused, resumed or finished), ``display_changed`` (the state on display may differ: a frame of a live run,
the replay, the query, the learning rate). Views subscribe to ``display_changed`` and pace themselves.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ..core.display import Decimator
from ..core.display_state import DisplayState, Query, RunProgress
from ..core.examples import DataError, Examples
from ..core.insight import error_at, learning_rate_at, weights_at
from ..core.pace import Speed
from ..core.training import Run, Settings
from .controller import Progress, TrainingController

FRAME_MS = 16  # ~60 frames a second while a run is live; never once per iteration
MAX_PLOT_BUCKETS = 4096  # per curve; beyond it, min/max thinning keeps the extremes


class Session(QObject):
    """The current run and everything about how it is shown. See the module's docstring."""

    run_changed = Signal()  # self.run was replaced (a rebuild, a new run, a reset, a run restored)
    restarted = Signal()  # a new run, a reset or a restored run: views follow the run again from its start
    run_started = Signal()  # a thread started training the run (Train, Continue, Step)
    running_changed = Signal()  # a run started, paused, resumed or finished
    display_changed = Signal()  # the state on display may have changed (at most once a frame)
    finished = Signal(str)  # a run ended: "completed", "stopped", "diverged" or "failed"
    failed = Signal(str)  # the worker raised: the traceback's text
    message_changed = Signal(str)  # why the run cannot train or why it stopped ("" clears)
    query_changed = Signal()  # the query's text changed

    def __init__(self, examples: Callable[[], Examples], settings: Callable[[], Settings],
                 parent: QObject | None = None):
        """``examples`` returns a validated snapshot of the table (raising DataError), ``settings`` the
        settings shown; both are read only when a run is built."""
        super().__init__(parent)
        self._examples = examples
        self._settings = settings
        self.controller = TrainingController(self)
        self.run: Run | None = None
        self.message = ""
        self.last_finish = ""  # how the last run ended, in words ("" once anything else happens)
        self.learning_rate = settings().learning_rate
        self.display_iteration: int | None = None  # None: live
        self.decimator = Decimator(MAX_PLOT_BUCKETS)
        self._query_text = ""
        self._query: Query | None = None
        self._reset_pending = False
        self._elapsed: tuple[Run, float] | None = None  # (run, seconds) when its last thread finished
        self._run_key: tuple | None = None
        self._exact: dict[tuple, tuple[np.ndarray, float]] = {}
        self._state: DisplayState | None = None
        self._state_key: tuple | None = None
        self._series_key: tuple | None = None
        self._series = None
        self.frame_timer = QTimer(self)
        self.frame_timer.setInterval(FRAME_MS)
        self.frame_timer.timeout.connect(self.display_changed)
        c = self.controller
        c.started.connect(self._on_started)
        c.progressed.connect(self._on_progress)
        c.finished.connect(self._on_finished)
        c.failed.connect(self.failed)

    # -- what is true now ------------------------------------------------------------------------------
    @property
    def is_running(self) -> bool:
        """A run is in progress (paused or not) until its thread has finished."""
        return self.controller.is_running

    @property
    def is_paused(self) -> bool:
        return self.controller.is_paused

    @property
    def latest(self) -> Progress | None:
        """The latest state the worker published, while a run is in progress."""
        return self.controller.latest if self.controller.is_running else None

    @property
    def speed(self) -> float | None:
        return self.controller.speed

    # -- replacing the run ------------------------------------------------------------------------------
    def rebuild(self) -> None:
        """A fresh, untrained run for the current table and seed (or none, with the reason in ``message``)."""
        try:
            self.run = Run(self._examples(), self._settings())
            reason = ""
        except DataError as e:
            self.run = None
            reason = f"Cannot train: {e}"
        self._set_message(reason)
        self._run_replaced()

    def replace(self, run: Run) -> None:
        """Make ``run`` (one restored from a file) the current run, shown as it is, untrained further."""
        if self.is_running:
            raise RuntimeError("cannot replace the run while it is training")
        self.run = run
        self.last_finish = ""
        self._set_message("")
        self._run_replaced()
        self.restarted.emit()

    def _run_replaced(self) -> None:
        self._query = None  # parsed again for the new run's inputs
        self.run_changed.emit()
        self.running_changed.emit()
        self.display_changed.emit()

    def table_changed(self) -> None:
        """The table changed: an idle run is rebuilt on it (a running one keeps its snapshot)."""
        if not self.is_running:
            self.rebuild()

    def settings_changed(self) -> None:
        """The seed or the iterations changed: an untrained run shows the new seed's weights at once."""
        if self.is_running:
            return
        if self.run is not None and self.run.iteration == 0:
            self.rebuild()
        else:
            self.running_changed.emit()  # what can be done (Train, Continue) may differ

    # -- training ---------------------------------------------------------------------------------------
    def start_new(self, paused: bool = False, steps: int = 0) -> bool:
        """A new run from the seeded initial weights on a snapshot of the table; ``paused`` starts it paused
        after exactly ``steps`` iterations (Step on an untrained neuron). False, with the reason in
        ``message``, when the table or settings cannot be trained."""
        if self.is_running:
            return False
        try:
            run = Run(self._examples(), self._settings().validated())
        except DataError as e:
            self._set_message(f"Cannot train: {e}")
            return False
        self.run = run
        self.last_finish = ""
        self._query = None
        self.run_changed.emit()
        self.restarted.emit()
        self._start(run, paused=paused, steps=steps)
        return True

    def continue_(self, more: int) -> bool:
        """Train ``more`` iterations from the current weights of a trained, idle run."""
        run = self.run
        if self.is_running or run is None or run.iteration == 0 or run.diverged:
            return False
        try:
            run.extend(more)
        except DataError as e:
            self._set_message(f"Cannot continue: {e}")
            return False
        self._start(run, elapsed=self._elapsed_of(run))
        return True

    def step(self, n: int, more_if_finished: int) -> bool:
        """Exactly ``n`` more iterations, then pause. A run in progress pauses first; an idle one starts (or
        continues) paused, past a finished run's end after extending its target by ``more_if_finished``."""
        if self.is_running:
            if not self.is_paused:
                self.set_paused(True)
            self.controller.step(n)
            return True
        run = self.run
        if run is None:
            return False
        if run.diverged:
            self._set_message("The run has diverged: Reset (Ctrl+R) to start again from the initial weights.")
            return False
        if run.iteration == 0:
            return self.start_new(paused=True, steps=n)
        if run.remaining == 0:
            try:
                run.extend(more_if_finished)
            except DataError as e:
                self._set_message(f"Cannot step: {e}")
                return False
        self._start(run, paused=True, steps=n, elapsed=self._elapsed_of(run))
        return True

    def set_paused(self, paused: bool) -> None:
        if self.is_running and paused != self.is_paused:
            self.controller.set_paused(paused)
            self.running_changed.emit()

    def toggle_pause(self) -> None:
        self.set_paused(not self.is_paused)

    def stop(self) -> None:
        self.controller.stop()

    def reset(self) -> None:
        """Back to the seeded initial weights with an empty history (the table is kept). A run in progress
        is stopped first; the reset completes when its thread has finished, within one chunk."""
        if self.is_running:
            self._reset_pending = True
            self.controller.stop()
            return
        self._reset_now()

    def _reset_now(self) -> None:
        self._reset_pending = False
        self._elapsed = None
        self.last_finish = ""
        self.rebuild()
        self.restarted.emit()

    def set_speed(self, speed: Speed) -> None:
        """Iterations a second, the watching pace, or None (full speed): when iterations happen, never what."""
        self.controller.set_speed(speed)

    def set_learning_rate(self, rate: float) -> None:
        """The rate the next update uses (a run in progress takes it from its next iteration)."""
        self.learning_rate = float(rate)
        self.controller.set_learning_rate(rate)
        self.display_changed.emit()

    def _start(self, run: Run, **kwargs) -> None:
        self._set_message("")
        run.learning_rate = self.learning_rate  # the rate shown is the rate used
        self.controller.start(run, **kwargs)

    def _elapsed_of(self, run: Run) -> float:
        if self._elapsed is not None and self._elapsed[0] is run:
            return self._elapsed[1]
        return 0.0

    def shutdown(self) -> None:
        """Stop any run and join its thread (the window is closing)."""
        self.frame_timer.stop()
        self.controller.shutdown()

    @Slot()
    def _on_started(self) -> None:
        self.display_iteration = None  # Train, Continue or Step: watch the run
        self.frame_timer.start()
        self.run_started.emit()
        self.running_changed.emit()
        self.display_changed.emit()

    @Slot(object)
    def _on_progress(self, progress: Progress) -> None:
        if progress.paused:
            self.display_changed.emit()  # the exact state it paused (or stepped) to, without waiting a frame

    @Slot(str)
    def _on_finished(self, reason: str) -> None:
        self.frame_timer.stop()
        run = self.run
        latest = self.controller.latest
        if run is not None and latest is not None:
            self._elapsed = (run, latest.elapsed)
        if run is not None:
            if reason == "diverged":
                self.last_finish = (
                    f"Stopped at iteration {run.iteration:,}: the next update would make a weight "
                    "infinite (is the learning rate too large?). The last finite weights are kept."
                )
                self._set_message(self.last_finish)
            elif reason == "stopped":
                self.last_finish = f"Stopped at iteration {run.iteration:,} of {run.target_iterations:,}."
            elif reason == "completed":
                self.last_finish = f"Trained {run.iteration:,} iterations."
        self.running_changed.emit()
        if self._reset_pending:  # a Reset asked for during the run: done before anyone hears the run ended
            self._reset_now()
        self.display_changed.emit()
        self.finished.emit(reason)

    def _set_message(self, text: str) -> None:
        self.message = text
        self.message_changed.emit(text)

    # -- the query --------------------------------------------------------------------------------------
    def set_query_text(self, text: str) -> None:
        if text != self._query_text:
            self._query_text = text
            self._query = None
            self.query_changed.emit()
            self.display_changed.emit()

    @property
    def query_text(self) -> str:
        return self._query_text

    @property
    def query(self) -> Query | None:
        """The query parsed for the current run's inputs (None without a run)."""
        if self.run is None:
            return None
        if self._query is None or self._query.text != self._query_text:
            self._query = Query.parse(self._query_text, self.run.examples.n_inputs)
        return self._query

    # -- the iteration on display ---------------------------------------------------------------------------
    def show_iteration(self, k: int | None) -> bool:
        """Show iteration ``k`` (clamped to what is recorded); ``None`` or the last recorded iteration follows
        the run live. True when the iteration on display changed."""
        run = self.run
        if run is None:
            return False
        self._follow(run)
        if k is not None:
            h = run.history
            k = int(min(max(k, h.origin), h.iteration))
            if k >= h.iteration:
                k = None
        if k == self.display_iteration:
            return False
        self.display_iteration = k
        self.display_changed.emit()
        return True

    def go_live(self) -> bool:
        return self.show_iteration(None)

    def _follow(self, run: Run) -> None:
        """A different run, or the same one reset: its past is gone, so follow it live."""
        key = (id(run), id(run.history), run.history.epoch)
        if key != self._run_key:
            self._run_key = key
            self._exact.clear()
            self.display_iteration = None

    def _exact_at(self, run: Run, k: int) -> tuple[np.ndarray, float]:
        h = run.history
        key = (id(run), id(h), h.epoch, k)
        found = self._exact.get(key)
        if found is None:
            w = weights_at(h, k, run.X, run.y)
            found = (w, error_at(run.X, run.y, w))
            if len(self._exact) > 16:
                self._exact.clear()
            self._exact[key] = found
        return found

    def _rate_after(self, run: Run, k: int) -> float:
        if k < run.history.iteration and run.history.learning_rates:
            return learning_rate_at(run.history, k)
        return self.learning_rate  # the rate the next update will use

    # -- the state on display -------------------------------------------------------------------------------
    def display_state(self) -> DisplayState | None:
        """The state every view shows now; computed at most once per change (a frame, a scrub, the query)."""
        run = self.run
        if run is None:
            self._state = self._state_key = None
            return None
        self._follow(run)
        h = run.history
        latest = self.latest
        key = (id(run), h.epoch, h.count, h.generation, id(latest), self.display_iteration, self._query_text,
               self.learning_rate, self.is_running, self.is_paused)
        if key == self._state_key and self._state is not None:
            return self._state
        last = h.iteration
        k = self.display_iteration
        if k is None or k >= last:
            if latest is not None:
                weights, iteration, error = latest.weights, latest.iteration, latest.error
            else:
                weights, iteration, error = run.weights.copy(), run.iteration, h.last_error()
            live, last = True, max(last, iteration)
        else:
            (weights, error), iteration, live = self._exact_at(run, k), k, False
        if latest is not None:
            progress = RunProgress(latest.iteration, run.target_iterations, latest.error, True, self.is_paused,
                                   latest.elapsed, latest.iterations_per_second)
        else:
            progress = RunProgress(run.iteration, run.target_iterations, h.last_error())
        self._state = DisplayState(run, iteration, weights, error, live, last, self._rate_after(run, iteration),
                                   progress, self.query, self._history_series(run))
        self._state_key = key
        return self._state

    def _history_series(self, run: Run):
        """The thinned weights and error curves, folded in incrementally (only what is new each frame)."""
        h = run.history
        key = (id(run), h.count, h.generation, h.epoch)
        if key != self._series_key:
            self._series_key = key
            self._series = self.decimator.update(h)
        return self._series
