from __future__ import annotations

import threading

import pytest


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    """QSettings write to a temporary folder, never to the developer's own preferences."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))
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
