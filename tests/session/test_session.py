"""The session without a window: the one owner of the run, driven through its public API."""

from __future__ import annotations

import numpy as np
import pytest

from neuron_gui.core.examples import DataError, Examples
from neuron_gui.core.lesson import LESSON_X, LESSON_Y, initial_weights, train_reference
from neuron_gui.core.training import Run, Settings
from neuron_gui.session.session import Session


class Form:
    """What a window gives the session: the table's snapshot and the settings shown."""

    def __init__(self, examples: Examples | None = None, settings: Settings | None = None):
        self.examples = examples or Examples.lesson()
        self.settings = settings or Settings()
        self.refuse = ""

    def snapshot(self) -> Examples:
        if self.refuse:
            raise DataError(self.refuse)
        return self.examples


@pytest.fixture
def session(qtbot):
    form = Form()
    s = Session(form.snapshot, lambda: form.settings)
    s.form = form
    s.rebuild()
    yield s
    s.shutdown()
    assert not s.is_running


def test_a_rebuilt_session_shows_the_seeded_weights_and_the_lesson_query(session):
    session.set_query_text("1, 0, 0")
    state = session.display_state()
    assert state.iteration == 0 and state.live
    assert np.array_equal(state.weights, initial_weights(1, 3))
    assert [w.shape for w in state.layers] == [(3, 1)], "the single neuron is one layer of shape (m, 1)"
    assert f"{state.prediction:.8f}" == "0.45860596"
    assert session.display_state() is state, "computed once until something changes"


def test_a_table_that_cannot_be_trained_leaves_no_run_and_says_why(session):
    messages = []
    session.message_changed.connect(messages.append)
    session.form.refuse = "there are no examples"
    session.rebuild()
    assert session.run is None and session.display_state() is None
    assert messages == ["Cannot train: there are no examples"]
    assert not session.start_new()


def test_train_reaches_the_lessons_weights_and_says_so(qtbot, session):
    with qtbot.waitSignal(session.finished, timeout=20000) as finished:
        assert session.start_new()
    assert finished.args == ["completed"] and session.last_finish == "Trained 10,000 iterations."
    assert np.array_equal(session.run.weights, train_reference(LESSON_X, LESSON_Y, initial_weights(1, 3), 10_000))
    session.set_query_text("1, 0, 0")
    assert f"{session.display_state().prediction:.8f}" == "0.99993704"


def test_replay_shows_the_exact_recorded_state_and_live_follows_the_run(qtbot, session):
    session.form.settings = Settings(iterations=300)
    session.rebuild()
    with qtbot.waitSignal(session.finished, timeout=20000):
        session.start_new()
    assert session.show_iteration(123)
    state = session.display_state()
    assert not state.live and state.iteration == 123 and state.last == 300
    assert np.array_equal(state.weights, train_reference(LESSON_X, LESSON_Y, initial_weights(1, 3), 123))
    assert session.go_live() and session.display_state().iteration == 300


def test_reset_during_a_run_completes_when_its_thread_ends(qtbot, session):
    session.form.settings = Settings(iterations=50_000_000)
    session.rebuild()
    with qtbot.waitSignal(session.run_started, timeout=5000):
        session.start_new()
    with qtbot.waitSignal(session.restarted, timeout=10000):
        session.reset()
    assert not session.is_running and session.run.iteration == 0
    assert np.array_equal(session.run.weights, initial_weights(1, 3))


def test_the_kernels_non_finite_status_ends_the_run_as_diverged(qtbot, session):
    """A real non-finite update, not a stub: weights this large make x·w = inf - inf for the first example.
    (From the seeded weights a run saturates long before; such weights come only from a restored run.)"""
    examples = Examples.create([[10.0, 10.0], [1.0, 0.0]], [1.0, 0.0])
    session.form.examples = examples
    with np.errstate(over="ignore", invalid="ignore"):
        run = Run.resume(examples, Settings(iterations=1000), np.array([1e308, -1e308]), 7)
        session.replace(run)
        with qtbot.waitSignal(session.finished, timeout=10000) as done:
            assert session.continue_(100)
    assert done.args == ["diverged"] and run.diverged and run.iteration == 7
    assert "Stopped at iteration 7" in session.message and "infinite" in session.message
    assert np.array_equal(run.weights, [1e308, -1e308]), "the last finite weights are kept"
    assert not session.continue_(100) and not session.step(1, 100), "only Reset goes on from here"
