"""Calm under faults and abuse: many Train/Stop cycles, a closing window mid-run, a failing worker,
a diverging run, and a long run whose memory stays flat."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
import warnings

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QLabel

from neuron_gui.core import training


def plotted_values(window) -> list[np.ndarray]:
    values = []
    for name in ("weightsPlot", "errorPlot"):
        for item in window.findChild(pg.PlotWidget, name).plotItem.listDataItems():
            values.append(np.asarray(item.getOriginalDataset()[1], dtype=float))
    values.append(np.asarray(window.sigmoid_plot.shown_points()[2], dtype=float))
    return values


def test_a_hundred_train_stop_cycles(qtbot, window):
    window.training_panel.iterations.setValue(50_000_000)
    for _ in range(100):
        window.train()
        assert window.is_training
        window.stop()
        qtbot.waitUntil(lambda: not window.is_training, timeout=3000)
    assert window.training_panel.train.isEnabled()
    assert window.run.iteration < 50_000_000
    assert all(np.all(np.isfinite(v)) for v in plotted_values(window))


def test_an_exception_in_the_worker_reaches_the_user(qtbot, window, monkeypatch):
    def broken_step(self, n):
        raise RuntimeError("simulated fault in the kernel")

    monkeypatch.setattr(training.Run, "step", broken_step)
    window.train()
    qtbot.waitUntil(lambda: not window.is_training, timeout=3000)
    message = window.findChild(QLabel, "trainingMessage")
    assert message.isVisible() and "simulated fault in the kernel" in message.text()
    assert window.training_panel.train.isEnabled()


def test_a_diverging_run_stops_with_a_message_and_no_nan_is_plotted(qtbot, window, monkeypatch):
    """Within the table's limits the sigmoid saturates before a weight can overflow (tests/core covers the
    kernel's own check); here a run is made to diverge after its first chunk, to test what the user sees."""
    real_step = training.Run.step

    def diverging_step(self, n):
        done = real_step(self, min(n, 7))
        self.diverged = True
        return done

    monkeypatch.setattr(training.Run, "step", diverging_step)
    window.training_panel.iterations.setValue(1000)
    window.train()
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)
    run = window.run
    assert run.diverged and run.iteration == 7
    message = window.findChild(QLabel, "trainingMessage")
    assert message.isVisible() and "infinite" in message.text() and "7" in message.text()
    assert all(np.all(np.isfinite(v)) for v in plotted_values(window))


def test_huge_inputs_and_weights_never_warn_or_plot_nan(qtbot, window):
    window.model.set_cells([(0, 0, 1e6), (1, 0, -1e6), (0, 1, 1e6)], "huge inputs")
    window.run.weights[:] = [1e306, 1e306, -1e306]  # as a wild run might leave them
    window.query_panel.input.setText("1e6, 1e6, 1e6")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning would fail the test
        window.refresh_views()
        qtbot.wait(50)  # and paint
    assert all(np.all(np.isfinite(v)) for v in plotted_values(window))
    assert window.findChild(QLabel, "predictionLabel").text() not in ("nan", "—")


CLOSE_MID_RUN = textwrap.dedent(
    """
    import sys, time
    from PySide6.QtCore import QTimer
    from neuron_gui.ui.window.main_window import MainWindow, application
    app = application()
    w = MainWindow()
    w.show()
    w.training_panel.iterations.setValue(10_000_000)
    w.file_actions.close_without_asking()  # a run in an untitled window is unsaved work: no prompt here
    closed = {}
    def close():
        closed["at"] = time.perf_counter()
        w.close()
    def start():
        w.train()
        QTimer.singleShot(300, close)
    QTimer.singleShot(0, start)
    app.exec()
    print(f"{time.perf_counter() - closed['at']:.3f} {w.run.iteration}")
    """
)


def test_closing_the_window_mid_run_exits_cleanly_and_quickly(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", CLOSE_MID_RUN], capture_output=True, text=True, timeout=60,
                            env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    stderr = [line for line in result.stderr.splitlines() if "propagateSizeHints" not in line]
    assert stderr == [], "no warning, no traceback, no 'QThread: Destroyed while thread is still running'"
    close_seconds, iteration = result.stdout.split()
    assert int(iteration) < 10_000_000, "the run was really interrupted"
    assert float(close_seconds) < 1.0
    assert time.perf_counter() - started < 60


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc")
def test_a_long_run_keeps_memory_flat_once_the_history_is_full(qtbot, window):
    """10^7 iterations with the window open: the history fills, then thins itself; memory stays flat."""
    window.training_panel.iterations.setValue(10_000_000)
    window.train()
    readings = []
    while window.is_training:
        qtbot.wait(100)
        if window.run.history.width >= 4:  # full and thinning
            readings.append(rss_mb())
    assert window.run.iteration == 10_000_000
    assert len(readings) >= 3
    assert max(readings) - readings[0] < 30, f"memory grew after the history was full: {readings}"


def type_into_spin(qtbot, spin, text):
    """As a user does: focus the box, select all, type, press Return (keys go to the box itself)."""
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClick(spin, Qt.Key_Delete)
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key_Return)


@pytest.mark.parametrize(
    "name, text",
    [("iterationsSpin", "0"), ("iterationsSpin", "-5"), ("learningRateSpin", "0"), ("learningRateSpin", "nan"),
     ("learningRateSpin", "-1"), ("seedSpin", "abc")],
)
def test_a_setting_that_cannot_be_used_is_refused_with_a_reason(qtbot, window, name, text):
    spin = window.findChild(QAbstractSpinBox, name)
    before = spin.value()
    type_into_spin(qtbot, spin, text)
    assert spin.value() == before
    message = window.findChild(QLabel, "settingsMessage")
    assert message.isVisible() and "cannot be used" in message.text() and "between" in message.text()
    type_into_spin(qtbot, spin, str(before if name != "learningRateSpin" else 0.5))
    assert not message.isVisible()


def test_an_empty_table_disables_train_and_says_why(qtbot, window):
    window.model.remove_rows(list(range(window.model.n_examples)))
    assert not window.training_panel.train.isEnabled()
    message = window.findChild(QLabel, "trainingMessage")
    assert message.isVisible() and "no examples" in message.text().lower() or "empty" in message.text().lower()
    window.model.undo_stack.undo()
    assert window.training_panel.train.isEnabled() and not message.isVisible()


def test_an_overflowing_cell_is_refused(qtbot, window):
    from tests.ui.window_helpers import edit_cell

    edit_cell(qtbot, window, 0, 1, "1e400")
    assert window.model.value(0, 1) == 0.0
    assert "infinite" in window.findChild(QLabel, "examplesMessage").text()


def test_a_big_table_draws_a_spread_sample_on_the_sigmoid(qtbot, window):
    from neuron_gui.core.examples import Examples
    from neuron_gui.ui.views.plots import MAX_SHOWN_EXAMPLES

    rng = np.random.default_rng(0)
    X = rng.integers(0, 2, size=(100_000, 3)).astype(float)
    window.model.replace_all(Examples.create(X, X[:, 0]), "a big table")
    shown, z, out = window.sigmoid_plot.shown_points()
    assert len(shown) == MAX_SHOWN_EXAMPLES and shown[0] == 0 and shown[-1] == 99_999
    assert np.array_equal(z, X[shown] @ window.run.weights) and np.all(np.isfinite(out))
    assert "2,000 of 100,000 examples shown" in window.sigmoid_plot.plotItem.titleLabel.text
