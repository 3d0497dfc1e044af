"""A training run: examples + settings + current weights + history, stepped by the compiled kernel."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from . import kernel
from .examples import DataError, Examples
from .history import History, Records
from .lesson import (
    DEFAULT_ITERATIONS,
    DEFAULT_LEARNING_RATE,
    DEFAULT_SEED,
    MAX_ITERATIONS,
    initial_weights,
)

MAX_LEARNING_RATE = 1e6


@dataclass(frozen=True)
class Settings:
    iterations: int = DEFAULT_ITERATIONS
    seed: int = DEFAULT_SEED
    learning_rate: float = DEFAULT_LEARNING_RATE

    def validated(self) -> Settings:
        """Return self, or raise :class:`DataError` naming the setting that cannot be used."""
        check_iterations(self.iterations)
        check_seed(self.seed)
        check_learning_rate(self.learning_rate)
        return self

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)


def check_iterations(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise DataError(f"iterations must be a whole number, not {n!r}")
    if not 1 <= n <= MAX_ITERATIONS:
        raise DataError(f"iterations must be between 1 and {MAX_ITERATIONS:,}, not {n:,}")
    return int(n)


def check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise DataError(f"the seed must be a whole number, not {seed!r}")
    if not 0 <= seed <= 2**32 - 1:
        raise DataError(f"the seed must be between 0 and {2**32 - 1}, not {seed}")
    return int(seed)


def check_learning_rate(lr: float) -> float:
    if not isinstance(lr, (int, float, np.floating)) or isinstance(lr, bool):
        raise DataError(f"the learning rate must be a number, not {lr!r}")
    if math.isnan(lr) or lr <= 0 or lr > MAX_LEARNING_RATE:
        raise DataError(f"the learning rate must be above 0 and at most {MAX_LEARNING_RATE:g}, not {lr:g}")
    return float(lr)


class Run:
    """One neuron being trained on fixed examples.

    ``weights`` is always the exact state at :attr:`iteration`; :attr:`history` records every state
    since the start. A run is stepped from one thread at a time (the worker); other threads read
    :attr:`history` (under its lock) and whatever was published to them.
    """

    def __init__(self, examples: Examples, settings: Settings = Settings(), history: History | None = None):
        settings.validated()
        self.examples = examples
        self.settings = settings
        self.X = np.ascontiguousarray(examples.X)
        self.y = np.ascontiguousarray(examples.y)
        self.initial_weights = initial_weights(settings.seed, examples.n_inputs)
        self.history = history if history is not None else History(examples.n_inputs)
        self.learning_rate = settings.learning_rate
        self.diverged = False
        self.reset()

    @classmethod
    def resume(
        cls, examples: Examples, settings: Settings, weights: np.ndarray, iteration: int,
        history: History | None = None,
    ) -> Run:
        """A run continuing from saved state: ``weights`` after ``iteration`` iterations, recorded in
        ``history`` (which must end at ``iteration``), or in a fresh history starting there."""
        weights = np.array(weights, dtype=np.float64)
        if weights.shape != (examples.n_inputs,) or not np.all(np.isfinite(weights)):
            raise ValueError(f"need {examples.n_inputs} finite weights, got {weights!r}")
        if history is not None and history.iteration != iteration:
            raise ValueError(f"the history ends at iteration {history.iteration}, not {iteration}")
        run = cls(examples, settings, History(examples.n_inputs, capacity=2))
        run.weights = weights
        if history is None:
            history = History(examples.n_inputs)
            history.start(weights, run.error, origin=iteration)
        run.history = history
        return run

    def reset(self) -> None:
        """Back to the seeded initial weights, with an empty history."""
        self.weights = self.initial_weights.copy()
        self.diverged = False
        self.history.start(self.weights, kernel.forward_error(self.X, self.y, self.weights))

    @property
    def iteration(self) -> int:
        return self.history.iteration

    @property
    def target_iterations(self) -> int:
        return self.settings.iterations

    @property
    def remaining(self) -> int:
        return max(0, self.settings.iterations - self.iteration)

    def step(self, n: int) -> int:
        """Train up to ``n`` iterations; return how many were done.

        Stops early, with :attr:`diverged` set and the last finite weights kept, when an update would
        make a weight infinite or NaN.
        """
        if self.diverged or n <= 0:
            return 0
        done, status = self.history.train(self.X, self.y, self.learning_rate, n, self.weights)
        if status == kernel.NON_FINITE:
            self.diverged = True
        return done

    def train_streamed(self) -> Iterator[Records]:
        """Train to the target, yielding every record exactly, one chunk at a time.

        For writing long runs to a file: the history restarts at the current state before each chunk
        (keeping the iteration numbers), so memory stays bounded by its capacity and no record is ever
        thinned. The first chunk is the records so far (just record 0 on a new run), which must not
        have been thinned yet. Afterwards the history holds only the last chunk.
        """
        history = self.history
        yield history.exact_records()
        while self.remaining and not self.diverged:
            history.start(self.weights, self.error, origin=self.iteration)
            self.step(min(history.capacity - 1, self.remaining))
            yield history.exact_records(first=history.origin + 1)

    def extend(self, more_iterations: int) -> None:
        """Raise the target so that training can continue from the current weights."""
        self.settings = self.settings.with_(iterations=check_iterations(self.iteration + more_iterations))

    @property
    def error(self) -> float:
        return kernel.forward_error(self.X, self.y, self.weights)

    def outputs(self, weights: np.ndarray | None = None) -> np.ndarray:
        """Every example's output, in the one arithmetic of the app (:func:`.kernel.forward`)."""
        return kernel.forward(self.X, self.weights if weights is None else weights)[1]

    def predict(self, query: np.ndarray, weights: np.ndarray | None = None) -> float:
        return kernel.predict(query, self.weights if weights is None else weights)[1]


def train(examples: Examples, settings: Settings = Settings()) -> Run:
    """Train to the end in the calling thread (the headless path)."""
    run = Run(examples, settings)
    run.step(run.remaining)
    return run
