"""Shared test set-up: Qt runs offscreen, settings are isolated, Qt warnings fail the test."""

from __future__ import annotations

import os
import time

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("NUMBA_CACHE_DIR", os.path.join(os.path.dirname(__file__), "..", ".numba_cache"))


@pytest.fixture(autouse=True)
def _isolated_config_home(tmp_path, monkeypatch):
    """A window started in a subprocess keeps its preferences (QSettings) in the test's folder, never in
    the developer's own ~/.config."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def _qt_threads() -> list[str]:
    """Names of this process's threads that Qt started for us: our own are named "ng-...", and an
    unnamed QThread is "QThread" (Qt's internal threads have other names)."""
    names = []
    try:
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/comm") as f:
                names.append(f.read().strip())
    except OSError:
        return []
    return [n for n in names if n.startswith("ng-") or n == "QThread"]


@pytest.fixture(autouse=True)
def _no_leaked_qthreads():
    """Fail a test that leaves a QThread running (a window must stop and join its threads on close)."""
    yield
    deadline = time.monotonic() + 2.0
    while _qt_threads() and time.monotonic() < deadline:
        time.sleep(0.02)
    leaked = _qt_threads()
    assert not leaked, f"threads left running after the test: {leaked}"
