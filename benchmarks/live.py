"""Figure 2, live training: 10^6 iterations in the real window (plots live, every iteration recorded)
against the lesson's numpy loop doing the same iterations."""

from __future__ import annotations

import time

from neuron_gui.core.lesson import LESSON_X, LESSON_Y, initial_weights, train_lesson

from .common import Figure, Size, best_of, group_main
from .gui import (
    PaintCounter,
    click,
    full_speed,
    is_training,
    open_window,
    plot_viewports,
    run_loop,
    run_of,
    set_iterations,
    worker_signals,
)

GROUP = "2 live"


def measure(size: Size) -> list[Figure]:
    iterations = size.pick(1_000_000, 1_000_000, 20_000)
    numpy_iterations = size.pick(100_000, 20_000, 2_000)
    repeat = size.pick(3, 2, 1)

    _app, window = open_window()
    paints = PaintCounter(plot_viewports(window))
    set_iterations(window, iterations)
    full_speed(window)
    times = []
    for _ in range(repeat):
        paints.reset()
        t0 = time.perf_counter()
        click(window, "trainButton")
        run_loop(120, until=lambda: not is_training(window), signal=worker_signals(window)[1])
        times.append(time.perf_counter() - t0)
        run = run_of(window)
        assert run.iteration == iterations and run.history.iteration == iterations, "the run did not complete"
    window_seconds = min(times)
    history = run_of(window).history
    numpy_seconds = best_of(
        lambda: train_lesson(LESSON_X, LESSON_Y, initial_weights(1, 3), numpy_iterations), repeat
    ) * iterations / numpy_iterations
    return [Figure(
        GROUP, f"{iterations:,} iterations in the window", window_seconds, "s", numpy_seconds,
        "lesson's numpy loop", target=0.1,
        note=(f"from the Train click until the worker's finished reaches the window, best of {repeat} "
              f"(each: {sorted(times)}); "
              f"{history.count:,} records kept in {history.buckets:,} buckets of width {history.width}; "
              f"plot paints in the last run: {paints.counts}; numpy loop timed on {numpy_iterations:,} "
              f"iterations and scaled x{iterations // numpy_iterations}"),
    )]


if __name__ == "__main__":
    group_main(measure)
