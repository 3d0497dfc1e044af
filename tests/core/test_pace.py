"""The watching pace (core, no Qt): any run plays out in a few seconds, its first iterations slowest."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from neuron_gui.core.pace import PACE_SECONDS, WATCHING_PACE, pace_duration, paced_iterations, paced_time


def test_short_and_long_runs_both_take_the_pace_seconds():
    for count in (10_000, 1_000_000, 100_000_000):
        assert paced_iterations(0.0, count) == 0
        assert paced_iterations(PACE_SECONDS * 0.999, count) < count
        assert paced_iterations(PACE_SECONDS, count) == count
        assert 3.0 <= pace_duration(count) <= 6.0


def test_the_early_iterations_get_most_of_the_screen_time():
    for count in (10_000, 1_000_000):
        # iteration 10 is still on screen after the first fraction of a second
        assert paced_iterations(0.25, count) < 10
        assert paced_time(10, count) > 0.5
        # every decade gets the same time: the first tenth of the iterations take most of the run
        assert paced_time(count // 10, count) > 0.7 * PACE_SECONDS
        # half the time in, far fewer than half the iterations are done (exponential, not linear)
        assert paced_iterations(PACE_SECONDS / 2, count) < count ** 0.5 + 1


def test_a_handful_of_iterations_does_not_crawl():
    assert pace_duration(1) == 0.5 and paced_iterations(0.5, 1) == 1
    assert pace_duration(4) == 2.0
    assert paced_iterations(1.0, 0) == 0 and paced_time(3, 0) == 0.0


@settings(max_examples=200, deadline=None)
@given(count=st.integers(1, 100_000_000), fraction=st.floats(0, 1))
def test_time_and_iterations_are_inverse_and_never_decrease(count, fraction):
    done = min(count, int(fraction * count))
    t = paced_time(done, count)
    assert paced_iterations(t, count) >= done, "at the time an iteration is due, it is due"
    if done > 0:
        assert paced_iterations(paced_time(done, count) * (1 - 1e-6), count) <= done
    later = paced_time(min(count, done + 1), count)
    assert later >= t
    assert paced_iterations(later, count) >= paced_iterations(t, count)
    assert WATCHING_PACE.iterations(t, count) == paced_iterations(t, count)
