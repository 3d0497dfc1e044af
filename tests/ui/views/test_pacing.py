"""Views follow the session at their own pace: a view that cannot be seen does nothing and catches up when it
is shown; a view whose numbers did not change is not redrawn (views/pacing.py, window/feeds.py)."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QProgressBar

from tests.ui.views.test_insight_views import show_dock
from tests.ui.window_helpers import find


def count_calls(monkeypatch, obj, name):
    calls = []
    real = getattr(obj, name)

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(obj, name, counting)
    return calls


def test_the_diagram_behind_a_tab_idles_during_a_run_and_catches_up_when_shown(qtbot, window, monkeypatch):
    show_dock(qtbot, window, "updateDock")  # at 1280 x 800 the diagram shares its tabs with it
    diagram = window.diagram
    assert diagram.visibleRegion().isEmpty(), "the diagram is behind another tab"
    calls = count_calls(monkeypatch, diagram, "set_state")
    window.training_panel.iterations.setValue(3000)
    with qtbot.waitSignal(window.session.finished, timeout=20000):
        window.train()
    assert calls == [], "nothing computed or drawn for a view nobody can see"
    show_dock(qtbot, window, "diagramDock")
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=2000)
    assert np.array_equal(diagram.synapse_values(), window.run.weights), "caught up with the end of the run"


def test_an_unchanged_state_repaints_nothing(qtbot, window, monkeypatch):
    show_dock(qtbot, window, "diagramDock")
    window.training_panel.iterations.setValue(500)
    with qtbot.waitSignal(window.session.finished, timeout=20000):
        window.train()
    progress = find(window, QProgressBar, "trainingProgress")
    assert progress.value() == 500
    diagram_calls = count_calls(monkeypatch, window.diagram, "set_state")
    progress_calls = count_calls(monkeypatch, progress, "setValue")
    for _ in range(5):
        window.session.display_changed.emit()  # as a frame does
    window.refresh_views()
    assert diagram_calls == [] and progress_calls == [], "the same digits: no repaint (setValue paints at once)"
    window.query_panel.input.setText("0, 1, 0")  # what the diagram shows changed: it redraws, once
    assert len(diagram_calls) == 1 and progress_calls == []
