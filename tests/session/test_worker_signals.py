"""A worker thread emitting thousands of signals: a bad PySide6 (6.12.0 on Python 3.11) aborts here."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot


class Emitter(QObject):
    item = Signal(object)
    number = Signal(int)
    flag = Signal(bool)
    done = Signal()

    @Slot()
    def work(self):
        for i in range(5000):
            self.item.emit(np.full(3, float(i)))
            self.number.emit(i)
            self.flag.emit(i % 2 == 0)
        self.done.emit()


class Receiver(QObject):
    def __init__(self):
        super().__init__()
        self.items, self.numbers, self.flags = 0, 0, 0
        self.last = None

    @Slot(object)
    def on_item(self, a):
        self.items += 1
        self.last = a

    @Slot(int)
    def on_number(self, _):
        self.numbers += 1

    @Slot(bool)
    def on_flag(self, _):
        self.flags += 1


def test_thousands_of_signals_from_a_worker_thread(qtbot):
    thread = QThread()
    emitter, receiver = Emitter(), Receiver()
    emitter.moveToThread(thread)
    thread.started.connect(emitter.work)
    emitter.item.connect(receiver.on_item)
    emitter.number.connect(receiver.on_number)
    emitter.flag.connect(receiver.on_flag)
    emitter.done.connect(thread.quit)
    with qtbot.waitSignal(thread.finished, timeout=30000):
        thread.start()
    qtbot.waitUntil(lambda: receiver.flags == 5000, timeout=10000)
    thread.wait()
    assert (receiver.items, receiver.numbers, receiver.flags) == (5000, 5000, 5000)
    assert np.array_equal(receiver.last, np.full(3, 4999.0))


def test_the_training_worker_publishes_many_progress_updates(qtbot):
    from neuron_gui.core.examples import Examples
    from neuron_gui.core.training import Run, Settings
    from neuron_gui.session.controller import TrainingController

    controller = TrainingController()
    seen = []
    controller.progressed.connect(lambda p: seen.append(p.iteration))
    controller.set_speed(50_000)  # many small chunks, each published
    run = Run(Examples.lesson(), Settings(iterations=20_000))
    with qtbot.waitSignal(controller.finished, timeout=30000) as blocker:
        controller.start(run)
    assert blocker.args == ["completed"]
    # 20 chunks of 1,000, each published unless the GUI has not yet taken the one before (on a busy
    # machine a few are coalesced: the GUI always takes the latest state)
    assert len(seen) >= 10 and seen == sorted(seen) and seen[-1] == 20_000
