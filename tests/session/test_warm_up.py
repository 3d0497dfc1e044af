"""The first Train never compiles on the worker (a compile holds the GIL and would freeze the window):
while the app's warm-up runs, a run waits for it, off the GUI thread."""

from __future__ import annotations

import os
import subprocess
import sys

from neuron_gui.core import kernel
from neuron_gui.core.examples import Examples
from neuron_gui.core.training import Run, Settings
from neuron_gui.session.controller import TrainingController


def test_a_run_waits_for_the_warm_up_then_trains(qtbot):
    controller = TrainingController()
    run = Run(Examples.lesson(), Settings(iterations=1000))
    kernel.warmed.clear()
    try:
        controller.start(run)
        qtbot.wait(200)
        assert run.iteration == 0, "no training (and no compile) while the warm-up runs"
    finally:
        kernel.warmed.set()
    with qtbot.waitSignal(controller.finished, timeout=10000) as blocker:
        pass
    assert blocker.args == ["completed"] and run.iteration == 1000


def test_stop_is_instant_while_waiting_for_the_warm_up(qtbot):
    controller = TrainingController()
    kernel.warmed.clear()
    try:
        controller.start(Run(Examples.lesson(), Settings(iterations=1000)))
        with qtbot.waitSignal(controller.finished, timeout=2000) as blocker:
            controller.stop()
        assert blocker.args == ["stopped"]
    finally:
        kernel.warmed.set()


def test_an_empty_cache_is_seen_as_cold(tmp_path):
    code = "from neuron_gui.core import kernel; print(kernel.cache_present())"
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path))
    cold = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert cold.stdout.strip() == "False", cold.stderr
    subprocess.run([sys.executable, "-c", "from neuron_gui.core import kernel; kernel.warm_up()"], env=env,
                   check=True, timeout=120)
    warm = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert warm.stdout.strip() == "True", warm.stderr
