"""Measuring the real window: the app's own event loop, a 5 ms probe timer, paint counters, latencies.

Nothing here spins ``processEvents`` in a busy loop: waits run a ``QEventLoop`` that quits on a signal
or a timer, as ``app.exec()`` would run, so what is measured is what a user gets.

The window is driven through its public seams where there is one (widgets found by objectName, buttons
clicked as a user clicks them); the few internals still needed (the run, whether it trains, the worker's
signals) are read in one place, :func:`run_of`, :func:`is_training` and :func:`worker_signals`.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QThread, QTimer, Signal, Slot  # noqa: E402
from PySide6.QtWidgets import QAbstractButton, QSlider, QSpinBox, QTableView, QWidget  # noqa: E402

PROBE_MS = 5
PLOTS = ("weightsPlot", "errorPlot", "sigmoidPlot")


# -- the window's seams --------------------------------------------------------------------------------

def find(window, cls, name: str):
    widget = window.findChild(cls, name)
    if widget is None:
        raise LookupError(f"no {cls.__name__} named {name!r} in the window")
    return widget


def click(window, name: str) -> None:
    """Click a button as a user does (the button's own clicked signal, handlers run synchronously)."""
    find(window, QAbstractButton, name).click()


def set_iterations(window, n: int) -> None:
    spin = find(window, QSpinBox, "iterationsSpin")
    spin.setValue(min(n, spin.maximum()))


def full_speed(window) -> None:
    """The speed slider at its last notch: full speed."""
    slider = find(window, QSlider, "speedSlider")
    slider.setValue(slider.maximum())


def examples_table(window) -> QTableView:
    return find(window, QTableView, "examplesTable")


def run_of(window):
    """The window's current run (core object: its history and iteration)."""
    session = getattr(window, "session", None)
    return session.run if session is not None and hasattr(session, "run") else window.run


def is_training(window) -> bool:
    """Whether a run is in progress (paused included)."""
    owner = getattr(window, "session", None) or window
    for name in ("is_running", "is_training"):
        if hasattr(owner, name):
            value = getattr(owner, name)
            return bool(value() if callable(value) else value)
    return bool(window.is_training)


def worker_signals(window):
    """(the signal the worker's progress arrives by, the one a finished run arrives by)."""
    session = getattr(window, "session", None)
    controller = getattr(session, "controller", None) or window.controller
    return controller.progressed, controller.finished


def open_window(examples=None):
    """The app as ``neuron-gui`` starts it (kernel warmed in the background), shown, events settled."""
    from neuron_gui.ui.window.app import warm_kernel_in_background
    from neuron_gui.ui.window.main_window import MainWindow, application

    app = application()
    warm_kernel_in_background().join()
    window = MainWindow(examples)
    full_speed(window)  # the figures are for full speed, not the watching pace
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
        self.painted = dict.fromkeys(widgets, float("-inf"))  # per widget, when its last paint was done
        self._names = {}
        for name, widget in widgets.items():
            self._names[widget] = name
            widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Paint:
            name = self._names.get(obj)
            if name is not None:
                self.counts[name] += 1
                QTimer.singleShot(0, lambda name=name: self._painted(name))
        return False

    def _painted(self, name: str) -> None:
        self.painted_at = self.painted[name] = time.perf_counter()

    def reset(self) -> None:
        self.counts = dict.fromkeys(self.counts, 0)

    def close(self) -> None:
        for widget in self._names:
            widget.removeEventFilter(self)


def plot_viewports(window) -> dict[str, object]:
    return {name: find(window, QWidget, name).viewport() for name in PLOTS}


class StateCounter(QObject):
    """Counts the distinct states the weights plot painted: at each paint of its viewport, the state its
    curves hold (their length and last point); a paint showing the same state as the one before is not
    a new state. What a person sees move, not how often Qt repainted."""

    def __init__(self, window, name: str = "weightsPlot"):
        super().__init__()
        self.plot = find(window, QWidget, name)
        self.viewport = self.plot.viewport()
        self.states = 0
        self.paints = 0
        self._last = None
        self.viewport.installEventFilter(self)

    def _state(self):
        key = []
        for item in self.plot.getPlotItem().listDataItems():
            x, y = item.getData()
            if x is not None and len(x):
                key.append((len(x), float(x[-1]), float(y[-1])))
        return tuple(key)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        if obj is self.viewport and event.type() == QEvent.Paint:
            self.paints += 1
            state = self._state()
            if state != self._last:
                self._last = state
                self.states += 1
        return False

    def reset(self) -> None:
        self.states = self.paints = 0

    def close(self) -> None:
        self.viewport.removeEventFilter(self)


def until_painted(paints: PaintCounter, t0: float, timeout: float = 30.0) -> tuple[float, list[str]]:
    """Run the event loop until every widget ``paints`` watches has painted after ``t0`` (and the event
    loop turned once more), or ``timeout``. Returns the time the last of them had painted, and the names
    of those that did not paint."""
    run_loop(timeout, until=lambda: all(t > t0 for t in paints.painted.values()))
    done = [t for t in paints.painted.values() if t > t0]
    missing = [name for name, t in paints.painted.items() if not t > t0]
    return (max(done) if done else float("nan")), missing


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
    run = run_of(window)
    watch = CounterWatch(run)
    run_loop(0.05)  # the watch has seen the counter move (or not) before the request
    t0 = time.perf_counter()
    act()
    if not told():
        run_loop(timeout, until=told, signal=signal)
    t_window = time.perf_counter()
    settled_at = run.history.count
    time.sleep(0.1)
    watch.close()
    still = run.history.count == settled_at
    return Latency(max(0.0, watch.last_change - t0) * 1e3, (t_window - t0) * 1e3, still)


def stop_latency(window, timeout: float = 60.0) -> Latency:
    """Click Stop; the window knows when the worker's ``finished`` arrives (the worker has returned, its
    thread is joined)."""
    _progressed, finished = worker_signals(window)
    return _request(window, lambda: click(window, "stopButton"), lambda: not is_training(window), finished,
                    timeout)


def pause_latency(window, timeout: float = 60.0) -> Latency:
    """Click Pause; the window knows when the worker's progress marked paused arrives."""
    seen = {}

    def on_progress(progress) -> None:
        if getattr(progress, "paused", False):
            seen["paused"] = True

    progressed, _finished = worker_signals(window)
    progressed.connect(on_progress)
    try:
        return _request(window, lambda: toggle_pause(window), lambda: "paused" in seen, progressed, timeout)
    finally:
        progressed.disconnect(on_progress)


def toggle_pause(window) -> None:
    """What the Pause button does (Pause, and Resume when paused)."""
    click(window, "pauseButton")


# -- a bare worker: the baseline of the latencies ---------------------------------------------------------

class _BareWorker(QObject):
    finished = Signal()

    def __init__(self, chunk_seconds: float):
        super().__init__()
        self.chunk_seconds = chunk_seconds
        self.stop = threading.Event()
        self.count = 0

    @Slot()
    def work(self) -> None:
        while not self.stop.is_set():
            end = time.perf_counter() + self.chunk_seconds
            while time.perf_counter() < end:  # busy, as a kernel chunk (which releases the GIL)
                time.sleep(0)
            self.count += 1
        self.finished.emit()


def bare_worker_latency(chunk_seconds: float = 0.004) -> Latency:
    """The least a stop can take: a plain QThread worker doing chunks of ``chunk_seconds`` (the app's
    chunk), stopped by a flag; its finished signal queued to this (GUI) thread. The same timing as
    :func:`stop_latency`, without the app."""
    thread = QThread()
    worker = _BareWorker(chunk_seconds)
    worker.moveToThread(thread)
    thread.started.connect(worker.work)
    thread.start()
    run_loop(0.1)

    class _Counter:  # what CounterWatch samples
        def __init__(self):
            self.history = self

        @property
        def count(self):
            return worker.count

    watch = CounterWatch(_Counter())
    run_loop(0.05)
    t0 = time.perf_counter()
    worker.stop.set()
    run_loop(10, signal=worker.finished)
    t_window = time.perf_counter()
    watch.close()
    thread.quit()
    thread.wait()
    return Latency(max(0.0, watch.last_change - t0) * 1e3, (t_window - t0) * 1e3, True)


def write_csv(path: str, examples) -> None:
    from neuron_gui.core.files import atomic_write_text, format_number

    lines = [",".join([*examples.names, "y"])]
    for row, target in zip(examples.X.tolist(), examples.y.tolist(), strict=True):
        lines.append(",".join(map(format_number, [*row, target])))
    atomic_write_text(path, "\n".join(lines) + "\n")
