"""Measuring the real window: the app's own event loop, a 5 ms probe timer, paint counters, latencies.

Nothing here spins ``processEvents`` in a busy loop: waits run a ``QEventLoop`` that quits on a signal
or a timer, as ``app.exec()`` would run, so what is measured is what a user gets.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer  # noqa: E402

PROBE_MS = 5


def open_window(examples=None):
    """The app as ``neuron-gui`` starts it (kernel warmed in the background), shown, events settled."""
    from neuron_gui.ui.window.app import warm_kernel_in_background
    from neuron_gui.ui.window.main_window import MainWindow, application

    app = application()
    warm_kernel_in_background().join()
    window = MainWindow(examples)
    window.training_controls.set_speed(None)  # the figures are for full speed, not the watching pace
    window.show()
    run_loop(0.3)
    return app, window


def run_loop(seconds: float, until: Callable[[], bool] | None = None, signal=None) -> bool:
    """Run the event loop for up to ``seconds``; stop early when ``signal`` fires or ``until()`` holds
    (checked every 10 ms). Returns whether it stopped early."""
    loop = QEventLoop()
    stopped = {"early": False}

    def finish_early(*_):
        stopped["early"] = True
        loop.quit()

    if until is not None and until():
        return True
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    deadline.start(int(seconds * 1000))
    checker = None
    if until is not None:
        checker = QTimer()
        checker.setInterval(10)
        checker.timeout.connect(lambda: until() and finish_early())
        checker.start()
    if signal is not None:
        signal.connect(finish_early)
    loop.exec()
    deadline.stop()
    if checker is not None:
        checker.stop()
    if signal is not None:
        signal.disconnect(finish_early)
    return stopped["early"]


class Probe(QObject):
    """A 5 ms precise timer on the GUI thread: the gaps between its ticks are how long the thread was
    busy, i.e. how long the window could not react to anything."""

    def __init__(self, interval_ms: int = PROBE_MS):
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.stamps: list[float] = []

    def start(self) -> None:
        self.stamps = [time.perf_counter()]
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        self.stamps.append(time.perf_counter())

    def gaps_ms(self) -> np.ndarray:
        return np.diff(np.asarray(self.stamps)) * 1e3

    def longest_gap_ms(self) -> float:
        gaps = self.gaps_ms()
        return float(gaps.max()) if len(gaps) else float("nan")

    def percentile_ms(self, q: float) -> float:
        gaps = self.gaps_ms()
        return float(np.percentile(gaps, q)) if len(gaps) else float("nan")


class PaintCounter(QObject):
    """Counts paint events of widgets (a plot's viewport is painted once per redraw), and notes when
    the last one had been handled (the next turn of the event loop after it)."""

    def __init__(self, widgets: dict[str, object]):
        super().__init__()
        self.counts = dict.fromkeys(widgets, 0)
        self.painted_at = float("nan")
        self._names = {}
        for name, widget in widgets.items():
            self._names[widget] = name
            widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Paint:
            name = self._names.get(obj)
            if name is not None:
                self.counts[name] += 1
                QTimer.singleShot(0, self._painted)
        return False

    def _painted(self) -> None:
        self.painted_at = time.perf_counter()

    def reset(self) -> None:
        self.counts = dict.fromkeys(self.counts, 0)

    def close(self) -> None:
        for widget in self._names:
            widget.removeEventFilter(self)


def plot_viewports(window) -> dict[str, object]:
    return {name: getattr(window, name).viewport() for name in ("weights_plot", "error_plot", "sigmoid_plot")}


class CounterWatch:
    """Samples a run's iteration counter every 0.5 ms from a thread of its own, to tell when the
    worker really stopped advancing it (whatever the GUI thread is doing meanwhile)."""

    def __init__(self, run):
        self.run = run
        self.last_change = time.perf_counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="counter-watch", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        count = self.run.history.count
        while not self._stop.is_set():
            now = self.run.history.count
            if now != count:
                count = now
                self.last_change = time.perf_counter()
            time.sleep(0.0005)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class Latency:
    """How soon a request took effect: in the worker (its counter stopped moving) and in the window
    (the GUI thread got the worker's word), in ms; and whether the counter then stayed still."""

    worker_ms: float
    window_ms: float
    still: bool


def _request(window, act: Callable[[], None], told: Callable[[], bool], signal, timeout: float) -> Latency:
    watch = CounterWatch(window.run)
    run_loop(0.05)  # the watch has seen the counter move (or not) before the request
    t0 = time.perf_counter()
    act()
    if not told():
        run_loop(timeout, until=told, signal=signal)
    t_window = time.perf_counter()
    settled_at = window.run.history.count
    time.sleep(0.1)
    watch.close()
    still = window.run.history.count == settled_at
    return Latency(max(0.0, watch.last_change - t0) * 1e3, (t_window - t0) * 1e3, still)


def stop_latency(window, timeout: float = 60.0) -> Latency:
    """Stop as the Stop action does it; the window knows when the controller's ``finished`` arrives
    (the worker has returned, its thread is joined)."""
    return _request(window, window.stop, lambda: not window.is_training, window.controller.finished, timeout)


def pause_latency(window, timeout: float = 60.0) -> Latency:
    """Pause as the Pause action does it; the window knows when the worker's progress marked paused
    arrives."""
    seen = {}

    def on_progress(progress) -> None:
        if progress.paused:
            seen["paused"] = True

    window.controller.progressed.connect(on_progress)
    try:
        return _request(window, lambda: toggle_pause(window), lambda: "paused" in seen,
                        window.controller.progressed, timeout)
    finally:
        window.controller.progressed.disconnect(on_progress)


def toggle_pause(window) -> None:
    """What the Pause button and Space do."""
    steering = getattr(window, "steering", None)
    if steering is not None:
        steering.pause_action.trigger()
    else:
        window.controller.set_paused(not window.controller.is_paused)


def write_csv(path: str, examples) -> None:
    from neuron_gui.core.files import atomic_write_text, format_number

    lines = [",".join([*examples.names, "y"])]
    for row, target in zip(examples.X.tolist(), examples.y.tolist(), strict=True):
        lines.append(",".join(map(format_number, [*row, target])))
    atomic_write_text(path, "\n".join(lines) + "\n")
