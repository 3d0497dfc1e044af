"""The watching pace: when each iteration of a run should happen so that a learner can follow it.

At full speed the lesson's 10,000 iterations end within one frame: there is nothing to watch. At the
watching pace a run plays out in a few seconds whatever its length, on a logarithmic clock: the number
of iterations done grows exponentially with the time played, ``done(t) = (count + 1) ** (t / d) - 1``,
so every decade of iterations gets the same screen time. The first iterations, where the weights move
most, are seen one by one; the last ninety per cent of a long run pass in the last fraction of a second.
For 10,000 iterations over 4 s, iteration 10 is on screen about one second in and iteration 1,000 three
seconds in; 1,000,000 iterations take the same 4 s.

This only says *when*: the worker trains whole iterations of the same kernel, so a paced run ends on
exactly the weights of an uninterrupted one. Qt-free, so the pace is testable on its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

PACE_SECONDS = 4.0  # the whole run, whatever its length
MAX_SECONDS_PER_ITERATION = 0.5  # a run of a handful of iterations does not crawl (1 iteration: 0.5 s)


def pace_duration(count: int, seconds: float = PACE_SECONDS) -> float:
    """How long ``count`` iterations take at the watching pace: ``seconds``, or less for a very short
    run (at most :data:`MAX_SECONDS_PER_ITERATION` an iteration)."""
    return min(seconds, MAX_SECONDS_PER_ITERATION * max(count, 0))


def paced_iterations(played: float, count: int, seconds: float = PACE_SECONDS) -> int:
    """How many of ``count`` iterations are due after ``played`` seconds of playing (pauses excluded):
    0 at the start, ``count`` at :func:`pace_duration`, exponential in between (never decreasing)."""
    if count <= 0 or played <= 0:
        return 0
    d = pace_duration(count, seconds)
    if played >= d:
        return count
    done = math.exp(played / d * math.log1p(count)) - 1.0
    # the tolerance (relative, as exp's rounding is): paced_time's round trip lands on its iteration
    return min(count, int(math.floor(done * (1 + 1e-12) + 1e-9)))


def paced_time(done: int, count: int, seconds: float = PACE_SECONDS) -> float:
    """The inverse: the time played at which iteration ``done`` of ``count`` is due. The worker uses it
    to wait for the next iteration, and to pick the pace up again at the iteration a pause or a step
    left the run at."""
    if count <= 0 or done <= 0:
        return 0.0
    d = pace_duration(count, seconds)
    if done >= count:
        return d
    return d * math.log1p(done) / math.log1p(count)


@dataclass(frozen=True)
class Pace:
    """The watching pace as a speed setting (beside a number of iterations a second, or full speed)."""

    seconds: float = PACE_SECONDS

    def iterations(self, played: float, count: int) -> int:
        return paced_iterations(played, count, self.seconds)

    def time(self, done: int, count: int) -> float:
        return paced_time(done, count, self.seconds)


WATCHING_PACE = Pace()

Speed = float | Pace | None  # iterations a second (slow motion), the watching pace, or None: full speed
