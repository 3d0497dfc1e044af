"""Figure 5, scale and start-up: a 100,000-row CSV opens, scrolls and takes an edit; 10^7 iterations are
recorded and plotted in bounded memory; the window shows quickly from a cold start; and the first
Train, with nothing compiled yet, does not stall the window.

Start-up figures run the app in fresh processes (``python -m benchmarks.scale --child ...``).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import ROOT, Figure, Size, best_of, child_env, group_main, peak_rss_mb, rss_mb
from .kernel import big_table

GROUP = "5 scale"
FRAME_TARGET_MS = 50.0


def measure(size: Size) -> list[Figure]:
    from .gui import full_speed, open_window

    figures = []
    _app, window = open_window()
    full_speed(window)
    figures.append(_memory(window, size))
    figures += _big_csv(window, size)
    figures += _start_up(size)
    return figures


# -- 10^7 iterations in bounded memory -----------------------------------------------------------------

def _memory(window, size: Size) -> Figure:
    from .gui import PaintCounter, click, is_training, plot_viewports, run_loop, run_of, set_iterations, worker_signals

    iterations = size.pick(10_000_000, 10_000_000, 100_000)
    set_iterations(window, iterations)
    run_loop(0.2)
    before = rss_mb()
    paints = PaintCounter(plot_viewports(window))
    t0 = time.perf_counter()
    click(window, "trainButton")
    run_loop(600, until=lambda: not is_training(window), signal=worker_signals(window)[1])
    elapsed = time.perf_counter() - t0
    run_loop(0.2)
    growth = peak_rss_mb() - before
    history = run_of(window).history
    every_record = iterations * (history.n_inputs + 1) * 8 / 1e6
    return Figure(
        GROUP, f"memory growth over {iterations:,} iterations", growth, "MB", every_record,
        "every record as float64", target_on="value", target_op="<", target=200.0,
        note=f"peak RSS (VmHWM) after the run minus RSS before it ({before:.0f} MB); trained in {elapsed:.2f} s; "
             f"{history.count:,} records kept as {history.buckets:,} min/max buckets of width {history.width}; "
             f"the baseline is what keeping each iteration's weights and error would take; "
             f"paints during the run: {paints.counts}",
    )


# -- a 100,000-row table -------------------------------------------------------------------------------

def _views(window) -> dict[str, object]:
    """The widgets that show a table's state and can be seen now: the three plots and the table (a view
    behind another tab, or closed, has nothing to paint)."""
    from .gui import examples_table, plot_viewports

    views = {**plot_viewports(window), "table": examples_table(window).viewport()}
    return {name: widget for name, widget in views.items() if widget.isVisible()}


def _edit(window, run_loop, row: int, text: str) -> tuple[float, list[str]]:
    """Set one cell as the editor does; seconds from the edit until every view has painted after it."""
    from PySide6.QtCore import Qt

    from .gui import PaintCounter, examples_table, until_painted

    model = examples_table(window).model()
    run_loop(0.3)  # settled: nothing left from before
    paints = PaintCounter(_views(window))
    t0 = time.perf_counter()
    model.setData(model.index(row, 0), text, Qt.EditRole)
    done, missing = until_painted(paints, t0, timeout=30)
    paints.close()
    return done - t0, missing


def _big_csv(window, size: Size) -> list[Figure]:
    import numpy as np

    from neuron_gui.core.files import read_examples_csv

    from .gui import PaintCounter, examples_table, run_loop, until_painted, write_csv

    rows = size.pick(100_000, 100_000, 1_000)
    repeat = size.pick(3, 2, 1)
    with tempfile.TemporaryDirectory(prefix="neuron-gui-bench-") as folder:
        path = str(Path(folder) / "big.csv")
        write_csv(path, big_table(rows))
        mb = os.path.getsize(path) / 1e6
        core = best_of(lambda: read_examples_csv(path), repeat)
        plain = best_of(lambda: np.loadtxt(path, delimiter=",", skiprows=1), repeat)
        run_loop(0.3)
        paints = PaintCounter(_views(window))
        t0 = time.perf_counter()
        window.load(path)
        done, open_missing = until_painted(paints, t0, timeout=30)
        paints.close()
        opened = done - t0

    table = examples_table(window)
    paints = PaintCounter({"table": table.viewport()})
    bar = table.verticalScrollBar()
    steps = []
    for _ in range(size.pick(20, 10, 3)):
        paints.reset()
        t0 = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        run_loop(5, until=lambda t0=t0: paints.painted_at > t0)  # checked every 10 ms; the time is the paint's
        steps.append((paints.painted_at - t0) * 1e3)
    paints.close()
    edits, missing = [], set()
    for k in range(size.pick(3, 2, 1)):
        seconds, not_painted = _edit(window, run_loop, rows // 2 + k, ("0.25", "0.5", "0.75")[k % 3])
        edits.append(seconds * 1e3)
        missing.update(not_painted)
    # the same edit and the same scroll on the lesson's 4-row table: the baselines of the big table's
    small = _small_window_baselines(window, run_loop, size)
    return [
        Figure(GROUP, f"{rows:,}-row CSV opens in the window", opened, "s", plain, "numpy.loadtxt",
               target_on="value", target_op="<", target=1.0,
               note=f"{mb:.1f} MB; window.load(path) until the three plots and the table have painted after it"
                    f"{' (never painted: ' + ', '.join(open_missing) + ')' if open_missing else ''}; of it "
                    f"core.files.read_examples_csv {core:.3f} s (best of {repeat})"),
        Figure(GROUP, "table scrolls a page", statistics.median(steps), "ms", small["scroll"],
               "the lesson's table repainted", target_on="value", target_op="<", target=FRAME_TARGET_MS,
               note=f"scroll bar +1 page until drawn, {len(steps)} times: median {statistics.median(steps):.1f}, "
                    f"max {max(steps):.1f} ms"),
        Figure(GROUP, "an edit in the table", statistics.median(edits), "ms", small["edit"],
               "the same edit, lesson's table", target_on="value", target_op="<", target=FRAME_TARGET_MS,
               note="model.setData of one cell (as the editor does) until the three plots and the table have "
                    f"painted after it: {', '.join(f'{e:.0f}' for e in edits)} ms"
                    f"{' (never painted: ' + ', '.join(sorted(missing)) + ')' if missing else ''}"),
    ]


def _small_window_baselines(window, run_loop, size: Size) -> dict[str, float]:
    """The edit, timed the same way, in the same window on the lesson's table; and a repaint of that
    table (it has no page to scroll)."""
    from neuron_gui.core.examples import Examples

    from .gui import PaintCounter, examples_table, write_csv

    with tempfile.TemporaryDirectory(prefix="neuron-gui-bench-") as folder:
        path = str(Path(folder) / "lesson.csv")
        write_csv(path, Examples.lesson())
        window.load(path)
    run_loop(0.3)
    edits = [_edit(window, run_loop, k % 4, ("0.25", "0.5", "0.75")[k % 3])[0] * 1e3
             for k in range(size.pick(3, 2, 1))]
    table = examples_table(window)
    paints = PaintCounter({"table": table.viewport()})
    t0 = time.perf_counter()
    table.viewport().update()
    run_loop(5, until=lambda: paints.painted_at > t0)
    paints.close()
    return {"edit": statistics.median(edits), "scroll": max((paints.painted_at - t0) * 1e3, 0.01)}


# -- start-up --------------------------------------------------------------------------------------------

CHILD_SHOWN = "SHOWN "


def _child(name: str, argv: list[str]) -> None:
    """Runs in a fresh process; prints ``SHOWN <seconds since import>`` and, for ``first-train``, a
    JSON line, then ends the process."""
    t_start = float(argv[0])  # the parent's time.time() at spawn
    if name == "bare-qt":
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

        app = QApplication([])
        window = QMainWindow()
        window.setCentralWidget(QLabel("hello"))
        window.show()
        QTimer.singleShot(0, lambda: _say_shown(t_start))
        QTimer.singleShot(0, app.quit)
        app.exec()
        os._exit(0)
    from PySide6.QtCore import QTimer

    from neuron_gui.ui.window.app import warm_kernel_in_background
    from neuron_gui.ui.window.main_window import MainWindow, application

    from .gui import Probe, click, full_speed, is_training, run_loop, run_of, set_iterations

    app = application()  # what run_app does, in its order
    warm_kernel_in_background()
    window = MainWindow()
    full_speed(window)  # the figures are for full speed, not the watching pace
    window.show()
    QTimer.singleShot(0, lambda: _say_shown(t_start))
    if name == "cold-start":
        QTimer.singleShot(0, app.quit)
        app.exec()
        os._exit(0)
    # first-train: Train as soon as the window shows, probe the GUI thread until the run is over
    iterations = int(argv[1])
    set_iterations(window, iterations)
    full_speed(window)
    probe = Probe()
    probe.start()
    QTimer.singleShot(0, lambda: click(window, "trainButton"))
    t0 = time.perf_counter()
    run_loop(0.5)
    run_loop(600, until=lambda: not is_training(window))
    train_s = time.perf_counter() - t0
    probe.stop()
    print(json.dumps({"longest_gap_ms": probe.longest_gap_ms(), "p99_gap_ms": probe.percentile_ms(99),
                      "train_s": train_s, "iteration": run_of(window).iteration}), flush=True)
    os._exit(0)


def _say_shown(t_start: float) -> None:
    print(f"{CHILD_SHOWN}{time.time() - t_start:.4f}", flush=True)


def _spawn(name: str, *args: str, **env: str) -> tuple[float, list[str]]:
    command = [sys.executable, "-m", "benchmarks.scale", "--child", name, repr(time.time()), *args]
    result = subprocess.run(command, capture_output=True, text=True, env=child_env(**env), cwd=ROOT, timeout=900)
    lines = result.stdout.splitlines()
    shown = [float(line[len(CHILD_SHOWN):]) for line in lines if line.startswith(CHILD_SHOWN)]
    if result.returncode != 0 or not shown:
        raise RuntimeError(f"child {name} failed: {result.stderr[-3000:]}")
    return shown[0], lines


def _start_up(size: Size) -> list[Figure]:
    repeat = size.pick(7, 3, 1)
    if size.name != "smoke":
        _spawn("cold-start")  # file caches warm, as after any first launch
    app = [_spawn("cold-start")[0] for _ in range(repeat)]
    bare = [_spawn("bare-qt")[0] for _ in range(repeat)]
    figures = [Figure(
        GROUP, "window shown", statistics.median(app), "s", statistics.median(bare), "a bare Qt window",
        target_on="value", target_op="<", target=1.5,
        note=f"fresh process to the first event-loop turn after show(), as run_app starts, median of {repeat} "
             f"({', '.join(f'{t:.2f}' for t in sorted(app))} s); a bare QMainWindow: "
             f"{', '.join(f'{t:.2f}' for t in sorted(bare))} s",
    )]
    iterations = size.pick(1_000_000, 1_000_000, 10_000)
    warm_shown, warm_lines = _spawn("first-train", str(iterations))
    warm = json.loads(warm_lines[-1])
    cache_note = ""
    if size.name == "smoke":  # compiling everything takes a while: the smoke test reuses the cache
        shown, result = warm_shown, warm
        cache_note = "(smoke size: the cache was NOT emptied) "
    else:
        with tempfile.TemporaryDirectory() as cache:
            shown, lines = _spawn("first-train", str(iterations), NUMBA_CACHE_DIR=cache)
        result = json.loads(lines[-1])
    figures.append(Figure(
        GROUP, "first Train, nothing compiled", result["longest_gap_ms"], "ms", warm["longest_gap_ms"],
        "same, kernel cached", target_on="value", target_op="<", target=50.0,
        note=f"{cache_note}fresh process, empty NUMBA_CACHE_DIR: window shown after {shown:.2f} s, Train pressed "
             f"at once, {iterations:,} iterations done {result['train_s']:.2f} s later; longest gap of the 5 ms "
             f"probe from show to the end of the run {result['longest_gap_ms']:.0f} ms (99th percentile "
             f"{result['p99_gap_ms']:.0f} ms). With the cache: shown after {warm_shown:.2f} s, run took "
             f"{warm['train_s']:.2f} s, longest gap {warm['longest_gap_ms']:.0f} ms",
    ))
    return figures


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2], sys.argv[3:])
    else:
        group_main(measure)
