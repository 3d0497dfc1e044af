"""Figure 3, responsiveness: while a run of several seconds trains at full speed (on the lesson's table,
and on a 100,000-row table), the longest time the GUI thread could not react (gaps of a 5 ms timer,
started before Train is clicked: the click's own work counts), the plot redraws a second, the distinct
states the weights plot shows a second, and how soon Pause and Stop reach the window, every time of 5.

Baselines, all from the same run: the gap's is the same probe in the same window with no run; the
redraws' and the states' the refresh timer's own rate (a redraw per tick at most); Pause's and Stop's
a bare QThread worker doing chunks as long as the app's, stopped by a flag.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from .common import Figure, Size, group_main
from .gui import (
    PaintCounter,
    Probe,
    StateCounter,
    bare_worker_latency,
    click,
    full_speed,
    is_training,
    open_window,
    pause_latency,
    plot_viewports,
    run_loop,
    run_of,
    set_iterations,
    stop_latency,
    toggle_pause,
    write_csv,
)
from .kernel import big_table

GROUP = "3 responsive"
GAP_TARGET_MS = 50.0
P99_TARGET_MS = 20.0  # on the lesson's table
REDRAW_TARGET = 30.0
STATES_TARGET = {"lesson": 50.0, "big": 30.0}  # new states of the weights plot a second
LATENCY_TARGET_MS = 50.0
LESSON_GAP_TARGET_MS = 33.0


def measure(size: Size) -> list[Figure]:
    seconds = size.pick(5.0, 2.0, 0.3)
    repeats = size.pick(5, 3, 1)
    _app, window = open_window()
    full_speed(window)
    probe = Probe()
    probe.start()
    run_loop(1.0 if size.name != "smoke" else 0.2)
    probe.stop()
    idle_gap = probe.longest_gap_ms()
    timer = getattr(window, "refresh_timer", None)
    refresh_rate = 1000.0 / timer.interval() if timer is not None and timer.interval() > 0 else 60.0
    bare = [bare_worker_latency() for _ in range(repeats)]

    figures = _during_a_run(window, "lesson", "lesson's table", seconds, repeats, idle_gap, refresh_rate, bare)
    rows = size.pick(100_000, 100_000, 1_000)
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "big.csv")
        write_csv(path, big_table(rows))
        window.load(path)
    run_loop(0.3)
    figures += _during_a_run(window, "big", f"{rows:,}-row table", seconds, repeats, idle_gap, refresh_rate, bare)
    return figures


def _start(window) -> None:
    """Click Train (from the start, at full speed, for as long as a run may be)."""
    from neuron_gui.core.lesson import MAX_ITERATIONS

    set_iterations(window, MAX_ITERATIONS)
    full_speed(window)
    click(window, "trainButton")


def _during_a_run(window, kind: str, label: str, seconds: float, repeats: int, idle_gap: float,
                  refresh_rate: float, bare: list):
    from PySide6.QtCore import QTimer

    paints = PaintCounter(plot_viewports(window))
    states = StateCounter(window)
    probe = Probe()
    clicked = {}

    def press_train() -> None:
        clicked["t"] = time.perf_counter()
        paints.reset()
        states.reset()
        _start(window)

    probe.start()  # before the click: what the click itself blocks for is a gap too
    QTimer.singleShot(20, press_train)
    run_loop(seconds + 0.02)
    probe.stop()
    elapsed = time.perf_counter() - clicked["t"]
    paints.close()
    states.close()
    redraws = {name: count / elapsed for name, count in paints.counts.items()}
    new_states = states.states / elapsed
    iterations = run_of(window).iteration
    gaps = probe.gaps_ms()
    gap_target = LESSON_GAP_TARGET_MS if kind == "lesson" else GAP_TARGET_MS
    long_gaps = int((gaps > gap_target).sum())

    pauses = []
    for _ in range(repeats):
        if not is_training(window):  # a fast machine can finish 10^8 iterations of the lesson by now
            _start(window)
            run_loop(0.3)
        pauses.append(pause_latency(window))
        toggle_pause(window)  # resume
        run_loop(0.2)
    stops = [stop_latency(window)]
    for _ in range(repeats - 1):
        _start(window)
        run_loop(0.3)
        stops.append(stop_latency(window))

    g = f"{GROUP} ({label})"
    figures = [
        Figure(g, "longest GUI gap", probe.longest_gap_ms(), "ms", idle_gap, "idle window",
               target_on="value", target_op="<", target=gap_target,
               note=f"5 ms probe from before Train was clicked, {elapsed:.1f} s from the click, {iterations:,} "
                    f"iterations: median gap {probe.percentile_ms(50):.1f} ms, 99th percentile "
                    f"{probe.percentile_ms(99):.1f} ms, {long_gaps} gaps over {gap_target:g} ms of {len(gaps)}"),
    ]
    if kind == "lesson":
        figures.append(Figure(
            g, "99th-percentile GUI gap", probe.percentile_ms(99), "ms", idle_gap, "idle window (longest)",
            target_on="value", target_op="<", target=P99_TARGET_MS,
            note="the same probe's 99th percentile"))
    figures += [
        Figure(g, "plot redraws", min(redraws.values()), "/s", refresh_rate, "refresh timer rate",
               target_on="value", target_op=">=", target=REDRAW_TARGET,
               note="paint events a second of each plot: " + ", ".join(f"{k} {v:.1f}" for k, v in redraws.items())),
        Figure(g, "weights plot: new states", new_states, "/s", refresh_rate, "refresh timer rate",
               target_on="value", target_op=">=", target=STATES_TARGET[kind],
               note=f"paints of the weights plot showing a state (its curves' length and last point) other than "
                    f"the paint before: {states.states} of {states.paints} paints in {elapsed:.1f} s"),
        *_latency_figures(g, "Pause", pauses, bare), *_latency_figures(g, "Stop", stops, bare),
    ]
    return figures


def _latency_figures(group: str, what: str, latencies: list, bare: list) -> list[Figure]:
    """Every time must be within the target: the figure is the worst of them."""
    worker = [x.worker_ms for x in latencies]
    shown = [x.window_ms for x in latencies]
    still = all(x.still for x in latencies)
    told = {"Pause": "the worker's paused progress reaches the GUI thread",
            "Stop": "the worker's finished reaches the GUI thread (thread joined)"}[what]
    bare_worker = max(x.worker_ms for x in bare) or 0.1
    bare_window = max(x.window_ms for x in bare) or 0.1
    return [
        Figure(group, f"{what}: worker stops", max(worker), "ms", bare_worker, "bare QThread worker",
               target_on="value", target_op="<=", target=LATENCY_TARGET_MS,
               note=f"worst of {len(worker)}: from the click to the iteration counter's last move, "
                    f"{', '.join(f'{x:.1f}' for x in worker)} ms; counter still 100 ms later every time: {still}"),
        Figure(group, f"{what}: window knows", max(shown), "ms", bare_window, "bare QThread worker",
               target_on="value", target_op="<=", target=LATENCY_TARGET_MS,
               note=f"worst of {len(shown)}: from the click until {told}: {', '.join(f'{x:.1f}' for x in shown)} "
                    f"ms (a bare worker's: {', '.join(f'{x.window_ms:.1f}' for x in bare)} ms)"),
    ]


if __name__ == "__main__":
    group_main(measure)
