"""Runs training off the GUI thread: a worker QObject in a QThread, steered through thread-safe flags.

The worker steps a :class:`~neuron_gui.core.training.Run` in chunks of a few milliseconds (the
kernel releases the GIL, so the GUI thread stays free), and after each chunk publishes a
:class:`Progress`. At most one progress notification is ever queued: the GUI takes the latest
state when it redraws, so a fast run cannot flood the event loop.
"""

from __future__ import annotations

import math
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot

from ..core.pace import Pace, Speed
from ..core.training import Run, check_learning_rate
from ..core.warm_up import wait_until_warm

CHUNK_SECONDS = 0.004  # one chunk's target duration: short enough for an instant Stop or Pause
PACE_TICK = 0.008  # at the watching pace, at most one chunk per tick: all the iterations due by then


@dataclass(frozen=True)
class Progress:
    """What the views need of a run at one moment (copies: the worker keeps training)."""

    iteration: int
    target: int
    weights: np.ndarray
    error: float
    elapsed: float
    iterations_per_second: float
    paused: bool = False


class TrainingWorker(QObject):
    """Lives in the training thread. Never touches a widget.

    Steering is exact: the run only ever advances by whole iterations of the same kernel, so pausing,
    stepping or slowing down never changes the trajectory, only when each iteration happens. A new
    learning rate is applied before the next iteration the worker starts (and recorded by the
    history from that iteration on).
    """

    progressed = Signal(object)  # Progress
    finished = Signal(str)  # "completed", "stopped", "diverged" or "failed"
    failed = Signal(str)

    def __init__(self, run: Run, paused: bool = False, elapsed: float = 0.0):
        super().__init__()
        self.run = run
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._paused = paused
        self._step_budget = 0
        self._speed: Speed = None  # iterations per second, the watching pace, or None: full speed
        self._pending_learning_rate: float | None = None
        self._notification_pending = False
        self._chunk = 64
        self._elapsed = elapsed  # seconds spent running (pauses excluded), carried across continues
        self._rate = RateMeter()

    # -- steering (any thread) --------------------------------------------------------------------
    def request_stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def set_paused(self, paused: bool) -> None:
        with self._lock:
            self._paused = paused
            self._step_budget = 0
        self._wake.set()

    def request_steps(self, n: int) -> None:
        """While paused: train exactly ``n`` more iterations (added to any not yet done), then stay
        paused. Ignored while running."""
        with self._lock:
            if self._paused:
                self._step_budget += max(0, int(n))
        self._wake.set()

    def set_speed(self, speed: Speed) -> None:
        """Iterations a second, :class:`Pace` (the run plays out in a few seconds, its early iterations
        slowest) or None (full speed). Only when iterations happen changes, never what they compute."""
        self._speed = speed
        self._wake.set()

    def set_learning_rate(self, learning_rate: float) -> None:
        """Takes effect from the next iteration the worker starts."""
        rate = check_learning_rate(learning_rate)
        with self._lock:
            self._pending_learning_rate = rate

    def notification_taken(self) -> None:
        """Called by the GUI once it has taken the latest progress, to allow the next one."""
        self._notification_pending = False

    # -- the loop (training thread) ---------------------------------------------------------------
    @Slot()
    def work(self) -> None:
        reason = "stopped"
        try:
            reason = self._loop()
        except Exception:  # noqa: BLE001 - any fault must reach the user, not a dead thread
            self.failed.emit(traceback.format_exc(limit=8))
            reason = "failed"
        finally:
            self._publish(force=True)
            self.finished.emit(reason)

    def _loop(self) -> str:
        wait_until_warm(self._stop)  # never compile here: that would hold the GIL for a second
        run = self.run
        started = time.perf_counter() - self._elapsed
        last_step_at = -math.inf  # when the last slow-motion chunk ran, and how many it did
        last_done = 0
        first = run.iteration  # the watching pace plays this worker's part of the run, first to target
        pace_zero: float | None = None  # when the paced part would have begun; None: pick the pace up
        next_tick = -math.inf  # paced chunks that caught up with the pace come at most once a tick
        told_paused = False
        while True:
            if self._stop.is_set():
                return "stopped"
            if run.diverged:
                return "diverged"
            if run.remaining <= 0:
                return "completed"
            with self._lock:
                paused, budget = self._paused, self._step_budget
            if paused and budget <= 0:
                if not told_paused:  # tell the GUI once, with the exact state it paused at
                    self._rate.clear()
                    self._publish(force=True)
                    told_paused = True
                self._wake.wait(0.5)
                self._wake.clear()
                started = time.perf_counter() - self._elapsed
                pace_zero = None  # resumed, the pace goes on from the iteration it paused at
                continue
            told_paused = False
            speed = self._speed
            due = run.remaining
            if paused or not isinstance(speed, Pace):
                pace_zero = None  # steps, slow motion or full speed: the pace resumes where they leave it
            else:
                count = run.target_iterations - first
                now = time.perf_counter()
                if pace_zero is None:
                    pace_zero = now - speed.time(run.iteration - first, count)
                due = first + speed.iterations(now - pace_zero, count) - run.iteration
                if due <= 0 or now < next_tick:  # wait for the next iteration's time
                    next_at = pace_zero + speed.time(run.iteration - first + 1, count)
                    delay = max(next_at - now, next_tick - now)
                    self._wake.wait(min(max(delay, 0.0), 0.5))
                    self._wake.clear()
                    continue  # re-check stop, pause and speed, which may have changed meanwhile
            if not paused and isinstance(speed, (int, float)):  # slow motion (steps are never slowed)
                delay = last_step_at + last_done / speed - time.perf_counter()
                if delay > 0:
                    self._wake.wait(min(delay, 0.5))
                    self._wake.clear()
                    continue  # re-check stop, pause and speed, which may have changed meanwhile
            self._apply_pending_learning_rate()
            cap = self._chunk_size(None if paused else speed)
            n = min(run.remaining, cap, due)
            if paused:
                n = min(n, budget)
            t0 = time.perf_counter()
            done = run.step(n)
            dt = time.perf_counter() - t0
            if paused:
                with self._lock:
                    self._step_budget = max(0, self._step_budget - done)
            elif isinstance(speed, (int, float)):
                last_step_at, last_done = max(t0, last_step_at + last_done / speed), done
            elif isinstance(speed, Pace):
                next_tick = t0 + PACE_TICK if done >= due else -math.inf  # behind the pace: no waiting
            if not isinstance(speed, (int, float)) and done == n == cap and dt > 0:
                # size chunks by time, not count: aim at CHUNK_SECONDS whatever the table's size
                self._chunk = int(min(max(1, self._chunk * min(4.0, CHUNK_SECONDS / dt)), 10_000_000))
            now = time.perf_counter()
            self._elapsed = now - started
            if not paused:
                self._rate.add(now, run.iteration)
            self._publish()

    def _apply_pending_learning_rate(self) -> None:
        with self._lock:
            rate, self._pending_learning_rate = self._pending_learning_rate, None
        if rate is not None:
            self.run.learning_rate = rate

    def _chunk_size(self, speed: Speed) -> int:
        if not isinstance(speed, (int, float)):
            return self._chunk
        return max(1, int(speed * 0.02))  # slow motion: 20 ms of iterations at a time

    def _publish(self, force: bool = False) -> None:
        if self._notification_pending and not force:
            return
        self._notification_pending = True
        self.progressed.emit(self.progress())

    def progress(self) -> Progress:
        run = self.run
        with self._lock:
            paused = self._paused
        return Progress(
            iteration=run.iteration,
            target=run.target_iterations,
            weights=run.weights.copy(),
            error=run.history.last_error(),
            elapsed=self._elapsed,
            iterations_per_second=0.0 if paused else self._rate.rate,
            paused=paused,
        )


class RateMeter:
    """Iterations per second over the last second or so: honest at full speed and in slow motion."""

    WINDOW = 1.0

    def __init__(self) -> None:
        self._samples: deque[tuple[float, int]] = deque()
        self.rate = 0.0

    def clear(self) -> None:
        self._samples.clear()
        self.rate = 0.0

    def add(self, t: float, iteration: int) -> None:
        samples = self._samples
        samples.append((t, iteration))
        while len(samples) > 2 and t - samples[1][0] >= self.WINDOW:
            samples.popleft()
        t0, i0 = samples[0]
        if t > t0:
            self.rate = (iteration - i0) / (t - t0)


class TrainingController(QObject):
    """Owns the training thread for the window: start, pause, step, stop; re-emits the worker's news
    in the GUI thread. One run at a time."""

    started = Signal()
    progressed = Signal(object)  # Progress
    finished = Signal(str)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: TrainingWorker | None = None
        self.latest: Progress | None = None
        self._speed: Speed = None
        self._paused = False

    @property
    def is_running(self) -> bool:
        """A run is in progress (paused or not) until the worker has finished."""
        return self._thread is not None

    @property
    def is_paused(self) -> bool:
        """A run is in progress and paused (possibly doing requested steps)."""
        return self.is_running and self._paused

    @property
    def run(self) -> Run | None:
        return self._worker.run if self._worker else None

    @property
    def speed(self) -> Speed:
        return self._speed

    def start(self, run: Run, paused: bool = False, steps: int = 0, elapsed: float = 0.0) -> None:
        """Train ``run`` in the training thread from its current weights. ``paused`` starts it paused
        (doing ``steps`` iterations first); ``elapsed`` carries the time already spent on it."""
        if self.is_running:
            raise RuntimeError("a run is already in progress")
        worker = TrainingWorker(run, paused=paused, elapsed=elapsed)
        worker.set_speed(self._speed)
        if steps:
            worker.request_steps(steps)
        thread = QThread()
        thread.setObjectName("ng-training")  # the OS thread name: tests look for leaked "ng-*" threads
        worker.moveToThread(thread)
        thread.started.connect(worker.work)
        worker.progressed.connect(self._on_progress)
        worker.failed.connect(self._on_failed)
        worker.finished.connect(self._on_finished)
        self._thread, self._worker, self._paused = thread, worker, paused
        self.latest = worker.progress()
        thread.start()
        self.started.emit()

    def stop(self) -> None:
        if self._worker:
            self._worker.request_stop()

    def set_paused(self, paused: bool) -> None:
        if self._worker:
            self._paused = paused
            self._worker.set_paused(paused)

    def step(self, n: int) -> None:
        """Exactly ``n`` more iterations of a paused run (ignored unless paused)."""
        if self._worker and self._paused:
            self._worker.request_steps(n)

    def set_speed(self, speed: Speed) -> None:
        """See :meth:`TrainingWorker.set_speed`; kept for the next run too."""
        self._speed = speed
        if self._worker:
            self._worker.set_speed(speed)

    def set_learning_rate(self, learning_rate: float) -> None:
        if self._worker:
            self._worker.set_learning_rate(learning_rate)

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Stop any run and wait for its thread: called when the window closes."""
        if self._worker:
            self._worker.request_stop()
        if self._thread:
            self._thread.quit()
            self._thread.wait(timeout_ms)
            self._cleanup()

    @Slot(object)
    def _on_progress(self, progress: Progress) -> None:
        self.latest = progress
        if self._worker:
            self._worker.notification_taken()
        self.progressed.emit(progress)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.failed.emit(message)

    @Slot(str)
    def _on_finished(self, reason: str) -> None:
        if self._thread:
            self._thread.quit()
            self._thread.wait()
        self._cleanup()
        self.finished.emit(reason)

    def _cleanup(self) -> None:
        if self._worker:
            self._worker.deleteLater()
        if self._thread:
            self._thread.deleteLater()
        self._thread = self._worker = None
        self._paused = False
