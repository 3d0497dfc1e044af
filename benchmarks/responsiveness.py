"""Figure 3, responsiveness: while a run of several seconds trains (on the lesson's table, and on a
100,000-row table), the longest time the GUI thread could not react (gaps of a 5 ms timer), the plot
redraws a second, and how soon Pause and Stop take effect.

The baseline of the gap is the same probe in the same window with no run; of the redraws, the
refresh timer's own rate (a redraw per tick at most).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from .common import Figure, Size, group_main
from .gui import (
    PaintCounter,
    Probe,
    open_window,
    pause_latency,
    plot_viewports,
    run_loop,
    stop_latency,
    toggle_pause,
    write_csv,
)
from .kernel import big_table

GROUP = "3 responsive"
GAP_TARGET_MS = 50.0
REDRAW_TARGET = 30.0
LATENCY_TARGET_MS = 50.0


def measure(size: Size) -> list[Figure]:
    seconds = size.pick(5.0, 2.0, 0.3)
    repeats = size.pick(5, 3, 1)
    _app, window = open_window()
    probe = Probe()
    probe.start()
    run_loop(1.0 if size.name != "smoke" else 0.2)
    probe.stop()
    idle_gap = probe.longest_gap_ms()
    refresh_rate = 1000.0 / window.session.frame_timer.interval()

    figures = _during_a_run(window, "lesson's table", seconds, repeats, idle_gap, refresh_rate)
    rows = size.pick(100_000, 100_000, 1_000)
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "big.csv")
        write_csv(path, big_table(rows))
        window.load(path)
    run_loop(0.3)
    # fewer repeats: every Pause and Stop here waits for the window, which may take seconds
    figures += _during_a_run(window, f"{rows:,}-row table", seconds, min(repeats, 2), idle_gap, refresh_rate)
    return figures


def _during_a_run(window, label: str, seconds: float, repeats: int, idle_gap: float, refresh_rate: float):
    from neuron_gui.core.lesson import MAX_ITERATIONS

    window.training_panel.iterations.setValue(MAX_ITERATIONS)
    paints = PaintCounter(plot_viewports(window))
    probe = Probe()
    window.train()
    probe.start()
    t0 = time.perf_counter()
    run_loop(seconds)
    elapsed = time.perf_counter() - t0
    probe.stop()
    paints.close()
    redraws = {name: count / elapsed for name, count in paints.counts.items()}
    iterations = window.run.iteration
    gaps = probe.gaps_ms()
    long_gaps = int((gaps > GAP_TARGET_MS).sum())

    pauses = []
    for _ in range(repeats):
        if not window.is_training:  # a fast machine can finish 10^8 iterations of the lesson by now
            window.train()
            run_loop(0.3)
        pauses.append(pause_latency(window))
        toggle_pause(window)  # resume
        run_loop(0.2)
    stops = [stop_latency(window)]
    for _ in range(repeats - 1):
        window.train()
        run_loop(0.3)
        stops.append(stop_latency(window))

    g = f"{GROUP} ({label})"
    return [
        Figure(g, "longest GUI gap", probe.longest_gap_ms(), "ms", idle_gap, "idle window",
               target_on="value", target_op="<", target=GAP_TARGET_MS,
               note=f"{elapsed:.1f} s of a run, {iterations:,} iterations; 5 ms probe: median gap "
                    f"{probe.percentile_ms(50):.1f} ms, 99th percentile {probe.percentile_ms(99):.1f} ms, "
                    f"{long_gaps} gaps over {GAP_TARGET_MS:g} ms of {len(gaps)}"),
        Figure(g, "plot redraws", min(redraws.values()), "/s", refresh_rate, "refresh timer rate",
               target_on="value", target_op=">=", target=REDRAW_TARGET,
               note="paint events a second of each plot: " + ", ".join(f"{k} {v:.1f}" for k, v in redraws.items())),
        *_latency_figures(g, "Pause", pauses), *_latency_figures(g, "Stop", stops),
    ]


def _latency_figures(group: str, what: str, latencies: list) -> list[Figure]:
    worker = [x.worker_ms for x in latencies]
    shown = [x.window_ms for x in latencies]
    still = all(x.still for x in latencies)
    told = {"Pause": "the worker's paused progress reaches the GUI thread",
            "Stop": "controller.finished reaches the GUI thread (thread joined)"}[what]
    return [
        Figure(group, f"{what}: worker stops", statistics.median(worker), "ms", target_on="value", target_op="<=",
               target=LATENCY_TARGET_MS,
               note=f"from the request to the iteration counter's last move, {len(worker)} times: "
                    f"{', '.join(f'{x:.1f}' for x in worker)} ms; counter still 100 ms later every time: {still}"),
        Figure(group, f"{what}: window knows", statistics.median(shown), "ms", target_on="value", target_op="<=",
               target=LATENCY_TARGET_MS,
               note=f"from the request until {told}: {', '.join(f'{x:.1f}' for x in shown)} ms"),
    ]


if __name__ == "__main__":
    group_main(measure)
