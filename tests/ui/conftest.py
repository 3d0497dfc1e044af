from __future__ import annotations

import threading

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "default_speed: the window starts at the default speed (the watching pace)")


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch, request):
    """QSettings write to a temporary folder, never to the developer's own preferences.

    The window remembers the training speed; these folders start with full speed remembered, so a test
    that trains to the end does not wait the few seconds the default watching pace takes. A test of the
    default pace is marked ``default_speed`` and starts with nothing remembered, as a new user does."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))
    if request.node.get_closest_marker("default_speed") is None:
        from neuron_gui.ui.window.preferences import SPEED

        QSettings().setValue(SPEED, "full")
    yield


@pytest.fixture(autouse=True)
def _no_real_file_dialogs(monkeypatch):
    """A modal dialog would hang an offscreen test: on close, unsaved changes are discarded unless a
    test says otherwise, and a test that reaches a file dialog without replacing it fails."""
    from neuron_gui.ui.window.file_actions import Choice, FileActions

    def no_dialog(self, *args, **kwargs):
        raise AssertionError("a test opened a real file dialog: monkeypatch ask_open_path / ask_save_path")

    monkeypatch.setattr(FileActions, "ask_save_changes", lambda self, doing: Choice.DISCARD)
    monkeypatch.setattr(FileActions, "ask_open_path", no_dialog)
    monkeypatch.setattr(FileActions, "ask_save_path", no_dialog)


@pytest.fixture(autouse=True)
def _no_leaked_threads():
    """Fail a test that leaves a (non-daemon) thread running: a run must always be joined."""
    before = {t.ident for t in threading.enumerate()}
    yield
    leaked = [t for t in threading.enumerate() if t.ident not in before and t.is_alive() and not t.daemon]
    assert not leaked, f"threads left running: {leaked}"


@pytest.fixture
def window(qtbot):
    from tests.ui.window_helpers import new_window

    w = new_window(qtbot)
    yield w
    w.close()
    assert not w.controller.is_running
