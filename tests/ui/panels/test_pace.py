"""The watching pace in the real window: by default a run plays out over a few seconds, its first
iterations slowest; full speed is one key away; the choice is remembered; the result is exact."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSlider, QSpinBox

from neuron_gui.core.examples import Examples
from neuron_gui.core.lesson import LESSON_X, LESSON_Y, initial_weights, reference_weights
from neuron_gui.core.pace import PACE_SECONDS, WATCHING_PACE, paced_iterations, paced_time
from neuron_gui.core.training import Settings, train
from neuron_gui.ui.panels.training_controls import SPEEDS
from tests.ui.window_helpers import click, find, new_window

pytestmark = pytest.mark.default_speed  # these windows start as a new user's does


def uninterrupted(iterations: int) -> np.ndarray:
    """The lesson's weights after ``iterations`` of a run never paced or paused: by the readable reference
    up to 100,000 iterations; beyond, by an uninterrupted run of the kernel (equal to the reference bit
    for bit, tested in tests/core; the reference would take 20 s for a million)."""
    if iterations <= 100_000:
        return reference_weights(LESSON_X, LESSON_Y, initial_weights(1, 3), iterations)[-1]
    return train(Examples.lesson(), Settings(iterations=iterations)).weights


def record_progress(window) -> list:
    seen = []
    window.controller.progressed.connect(lambda p: seen.append(p))
    return seen


@pytest.mark.parametrize("iterations", [10_000, 1_000_000])
def test_by_default_any_run_plays_out_over_a_few_seconds_its_first_iterations_slowest(qtbot, window, iterations):
    assert find(window, QLabel, "speedLabel").text() == f"run in {PACE_SECONDS:g} s"
    find(window, QSpinBox, "iterationsSpin").setValue(iterations)
    seen = record_progress(window)
    shown = set()
    window.views_refreshed.connect(lambda: shown.add(window.current_iteration()))
    qtbot.keyClick(window, Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: not window.is_training, timeout=60_000)
    assert np.array_equal(window.run.weights, uninterrupted(iterations)), "pacing never changes the result"
    for p in seen:  # the worker is never ahead of the pace (on a busy machine it may fall behind)
        assert p.iteration <= paced_iterations(p.elapsed, iterations), (p.elapsed, p.iteration)
    assert seen[-1].elapsed >= PACE_SECONDS * 0.99, "the whole run takes the pace's seconds"
    early = [p for p in seen if p.elapsed >= 0.25]
    assert early and early[0].iteration < 10, "iteration 10 is still ahead after the first quarter second"
    assert len([k for k in shown if 0 < k < iterations]) >= 20, "the views showed the run as it happened"
    assert any(0 < k <= 10 for k in shown), "the first iterations were on screen"


def test_pausing_stepping_and_resuming_at_the_pace_are_exact_and_the_pace_goes_on(qtbot, window):
    seen = record_progress(window)
    click(qtbot, window, "trainButton")
    qtbot.waitUntil(lambda: window.controller.latest.iteration >= 5, timeout=60_000)
    click(qtbot, window, "pauseButton")
    qtbot.waitUntil(lambda: window.controller.latest.paused, timeout=5_000)
    for _ in range(3):
        click(qtbot, window, "stepButton")
    at = window.controller.latest.iteration
    qtbot.waitUntil(lambda: window.controller.latest.paused and window.controller.latest.iteration == at + 3,
                    timeout=5_000)
    k, resumed_elapsed = window.controller.latest.iteration, window.controller.latest.elapsed
    del seen[:]
    click(qtbot, window, "pauseButton")  # Resume
    qtbot.waitUntil(lambda: not window.is_training, timeout=30_000)
    assert np.array_equal(window.run.weights, uninterrupted(10_000))
    for p in seen:  # the pace goes on from where the steps left the run, it does not jump ahead
        assert p.iteration <= paced_iterations(paced_time(k, 10_000) + p.elapsed - resumed_elapsed, 10_000)


def test_full_speed_is_one_key_away_and_the_pace_is_remembered(qtbot, window):
    slider = find(window, QSlider, "speedSlider")
    assert SPEEDS[slider.value()] == WATCHING_PACE and window.controller.speed == WATCHING_PACE
    plot = find(window, pg.PlotWidget, "weightsPlot")
    plot.setFocus()
    qtbot.keyClicks(plot, "]")
    assert window.controller.speed is None and find(window, QLabel, "speedLabel").text() == "full speed"
    click(qtbot, window, "trainButton")
    qtbot.waitUntil(lambda: not window.is_training, timeout=60_000)
    assert window.controller.latest.elapsed < PACE_SECONDS / 2, "full speed does not wait"
    window.close()
    again = new_window(qtbot)
    try:
        assert again.controller.speed is None, "the chosen speed is remembered"
        assert SPEEDS[find(again, QSlider, "speedSlider").value()] is None
        find(again, QSlider, "speedSlider").setValue(SPEEDS.index(100))
    finally:
        again.close()
    third = new_window(qtbot)
    try:
        assert third.controller.speed == 100
    finally:
        third.close()
