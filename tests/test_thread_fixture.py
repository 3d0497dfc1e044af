"""The leak check itself: a QThread left running is seen (so the autouse fixture can fail a test)."""

from PySide6.QtCore import QThread

from tests.conftest import _qt_threads


def test_a_running_qthread_is_seen_and_a_joined_one_is_not(qtbot):
    thread = QThread()
    thread.setObjectName("ng-probe")
    thread.start()
    qtbot.waitUntil(lambda: "ng-probe" in _qt_threads(), timeout=2000)
    thread.quit()
    thread.wait()
    qtbot.waitUntil(lambda: "ng-probe" not in _qt_threads(), timeout=2000)  # the OS thread ends just after
