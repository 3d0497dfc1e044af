"""Shared test set-up: Qt runs offscreen, settings are isolated, Qt warnings fail the test."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("NUMBA_CACHE_DIR", os.path.join(os.path.dirname(__file__), "..", ".numba_cache"))


@pytest.fixture(autouse=True)
def _isolated_config_home(tmp_path, monkeypatch):
    """A window started in a subprocess keeps its preferences (QSettings) in the test's folder, never in
    the developer's own ~/.config."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
