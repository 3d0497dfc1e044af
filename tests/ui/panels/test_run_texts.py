"""Text that describes the current run: the progress bar agrees with the status line at every moment,
changes at most a few times a second, and how a run ended goes when that run does."""

from __future__ import annotations

import re
import time

import pytest
from PySide6.QtWidgets import QLabel, QProgressBar, QSpinBox

from neuron_gui.ui.panels.run_texts import TEXT_INTERVAL
from tests.ui.window_helpers import click, edit_cell, find, train_to_end, trigger


def texts(window) -> tuple[str, str, int]:
    return (find(window, QLabel, "statusLabel").text(), find(window, QProgressBar, "trainingProgress").text(),
            find(window, QProgressBar, "trainingProgress").value())


def status_iteration(text: str) -> tuple[int, int]:
    m = re.match(r"iteration ([\d,]+) of ([\d,]+)", text)
    assert m, text
    return int(m[1].replace(",", "")), int(m[2].replace(",", ""))


def bar_iteration(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"([\d,]+) of ([\d,]+) iterations", text)
    assert m, text
    return int(m[1].replace(",", "")), int(m[2].replace(",", ""))


@pytest.mark.default_speed  # the watching pace: a million iterations over a few seconds
def test_the_progress_bar_agrees_with_the_status_at_every_moment_a_few_times_a_second(qtbot, window):
    find(window, QSpinBox, "iterationsSpin").setValue(1_000_000)
    seen: list[tuple[float, str, str, int, bool]] = []

    def look():
        status, bar, value = texts(window)
        moving = window.is_training and not window.controller.is_paused
        if not seen or seen[-1][1:4] != (status, bar, value):
            seen.append((time.monotonic(), status, bar, value, moving))

    window.views_refreshed.connect(look)
    click(qtbot, window, "trainButton")
    qtbot.waitUntil(lambda: not window.is_training, timeout=60_000)
    assert len(seen) > 5
    for _, status, bar, value, _ in seen:
        assert status_iteration(status) == bar_iteration(bar), (status, bar)
        assert bar_iteration(bar)[0] == value
    assert any(0 < status_iteration(s)[0] < 1000 for _, s, *_ in seen), "the bar moves below 1,000 too"
    # seen when the views were next drawn (a frame late at most); the first is the start (shown at once)
    changes = [t for t, *_, moving in seen if moving][1:]
    gaps = [b - a for a, b in zip(changes, changes[1:], strict=False)]
    assert min(gaps) >= TEXT_INTERVAL * 0.75, "text changes at most a few times a second"
    assert texts(window)[1] == "1,000,000 of 1,000,000 iterations"


@pytest.mark.parametrize("trained", [False, True])
def test_after_new_the_bar_shows_the_new_untrained_run(qtbot, window, trained):
    find(window, QSpinBox, "iterationsSpin").setValue(3_000)
    if trained:
        train_to_end(qtbot, window)
    assert texts(window)[1] == ("3,000 of 3,000 iterations" if trained else "0 of 3,000 iterations")
    trigger(window, "newAction")
    assert find(window, QSpinBox, "iterationsSpin").value() == 10_000
    status, bar, value = texts(window)
    assert bar == "0 of 10,000 iterations" and value == 0
    assert status.startswith("iteration 0 of 10,000")


def test_how_a_run_ended_is_said_only_while_it_is_the_run_shown(qtbot, window):
    bar = window.statusBar()
    train_to_end(qtbot, window)
    assert bar.currentMessage() == "Trained 10,000 iterations."
    bar.showMessage("a menu item's status tip")  # hovering a menu replaces it for a moment
    bar.clearMessage()
    assert bar.currentMessage() == "Trained 10,000 iterations.", "it comes back after a passing message"
    edit_cell(qtbot, window, 0, 0, "0.5")  # the run is replaced by an untrained one
    assert bar.currentMessage() == ""
    assert status_iteration(texts(window)[0]) == (0, 10_000)

    find(window, QSpinBox, "iterationsSpin").setValue(50_000_000)
    click(qtbot, window, "trainButton")
    qtbot.waitUntil(lambda: window.controller.latest.iteration > 1000, timeout=60_000)
    click(qtbot, window, "stopButton")
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)
    stopped = window.run.iteration
    assert bar.currentMessage() == f"Stopped at iteration {stopped:,} of 50,000,000."
    click(qtbot, window, "stepButton")  # the run moves on: the message no longer describes it
    qtbot.waitUntil(lambda: window.controller.is_paused and window.controller.latest.iteration == stopped + 1,
                    timeout=5000)
    qtbot.wait(50)
    assert bar.currentMessage() == ""
    click(qtbot, window, "stopButton")
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)
    assert bar.currentMessage().startswith(f"Stopped at iteration {stopped + 1:,}")
    click(qtbot, window, "resetButton")
    assert bar.currentMessage() == ""
    assert status_iteration(texts(window)[0]) == (0, 50_000_000) and texts(window)[1].startswith("0 of ")
