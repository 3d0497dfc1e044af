"""The first Train never compiles on the worker (a compile holds the GIL and would freeze the window):
while the app's warm-up runs, a run waits for it, off the GUI thread."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

from neuron_gui.core import warm_up as warming
from neuron_gui.core.examples import Examples
from neuron_gui.core.training import Run, Settings
from neuron_gui.session.controller import TrainingController


class _WatchedEvent(threading.Event):
    """The warm-up flag, telling the test when a thread waits on it."""

    def __init__(self):
        super().__init__()
        self.waited_on = threading.Event()

    def wait(self, timeout=None):
        self.waited_on.set()
        return super().wait(timeout)


def test_a_run_waits_for_the_warm_up_then_trains(qtbot, monkeypatch):
    controller = TrainingController()
    run = Run(Examples.lesson(), Settings(iterations=1000))
    flag = _WatchedEvent()  # cleared: a warm-up is running
    monkeypatch.setattr(warming, "warmed", flag)
    controller.start(run)
    try:
        # the worker reached the wait, which comes before any training (or compile): it is held there
        assert flag.waited_on.wait(10), "the worker never waited for the warm-up"
        assert run.iteration == 0 and controller.is_running
        flag.waited_on.clear()
        assert flag.waited_on.wait(10), "and it keeps waiting while the warm-up runs"
        assert run.iteration == 0
    finally:
        flag.set()
    with qtbot.waitSignal(controller.finished, timeout=10000) as blocker:
        pass
    assert blocker.args == ["completed"] and run.iteration == 1000


def test_stop_is_instant_while_waiting_for_the_warm_up(qtbot):
    controller = TrainingController()
    warming.warmed.clear()
    try:
        controller.start(Run(Examples.lesson(), Settings(iterations=1000)))
        with qtbot.waitSignal(controller.finished, timeout=2000) as blocker:
            controller.stop()
        assert blocker.args == ["stopped"]
    finally:
        warming.warmed.set()


def test_an_empty_cache_is_seen_as_cold(tmp_path):
    code = "from neuron_gui.core.warm_up import cache_present; print(cache_present())"
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path))
    cold = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert cold.stdout.strip() == "False", cold.stderr
    subprocess.run([sys.executable, "-c", "from neuron_gui.core.warm_up import warm_up; warm_up()"], env=env,
                   check=True, timeout=120)
    warm = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert warm.stdout.strip() == "True", warm.stderr
