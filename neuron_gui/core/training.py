"""A training run: examples + settings + current weights + history, stepped by the compiled kernel.

A run trains the lesson's single neuron (``Settings.hidden == ()``, the default) or a network with hidden
layers. Its :attr:`Run.weights` are always the flat vector the history records (for the single neuron its
``m`` weights, as the lesson prints them); :meth:`Run.layer_weights` gives the per-layer matrices and
:meth:`Run.activations` every layer's outputs.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from . import kernel, network, network_kernel
from .examples import DataError, Examples
from .history import History, Records
from .lesson import (
    DEFAULT_ITERATIONS,
    DEFAULT_LEARNING_RATE,
    DEFAULT_SEED,
    MAX_ITERATIONS,
)

MAX_LEARNING_RATE = 1e6


@dataclass(frozen=True)
class Settings:
    iterations: int = DEFAULT_ITERATIONS
    seed: int = DEFAULT_SEED
    learning_rate: float = DEFAULT_LEARNING_RATE
    hidden: tuple[int, ...] = ()  # the hidden layers' sizes; () is the lesson's single neuron

    def __post_init__(self) -> None:
        if isinstance(self.hidden, list):  # keep the settings hashable and comparable
            object.__setattr__(self, "hidden", tuple(self.hidden))

    def validated(self) -> Settings:
        """Return self, or raise :class:`DataError` naming the setting that cannot be used."""
        check_iterations(self.iterations)
        check_seed(self.seed)
        check_learning_rate(self.learning_rate)
        if network.check_hidden(self.hidden) != self.hidden:  # (0,) means none: say it as ()
            return replace(self, hidden=network.check_hidden(self.hidden)).validated()
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
        shown = "nan" if math.isnan(lr) else repr(float(lr)).removesuffix(".0")  # as given, never rounded
        raise DataError(f"the learning rate must be above 0 and at most {MAX_LEARNING_RATE:,.0f}, not {shown}")
    return float(lr)


class Run:
    """One neuron, or a network, being trained on fixed examples.

    ``weights`` is always the exact state at :attr:`iteration`; :attr:`history` records every state
    since the start. A run is stepped from one thread at a time (the worker); other threads read
    :attr:`history` (under its lock) and whatever was published to them.
    """

    def __init__(self, examples: Examples, settings: Settings = Settings(), history: History | None = None):
        settings = settings.validated()
        self.examples = examples
        self.settings = settings
        self.shape = network.Shape(examples.n_inputs, settings.hidden)
        self.X = np.ascontiguousarray(examples.X)
        self.y = np.ascontiguousarray(examples.y)
        self._sizes = network_kernel.sizes_array(self.shape.sizes)
        self.initial_weights = self.shape.initial_weights(settings.seed)
        if history is None:
            history = History(examples.n_inputs, hidden=self.shape.hidden)
        elif history.shape != self.shape:
            raise ValueError(f"a history of a {history.shape} network cannot record a {self.shape} one")
        self.history = history
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
        shape = network.Shape(examples.n_inputs, settings.validated().hidden)
        if weights.shape != (shape.n_params,) or not np.all(np.isfinite(weights)):
            raise ValueError(f"need {shape.n_params} finite weights, got {weights!r}")
        if history is not None and history.iteration != iteration:
            raise ValueError(f"the history ends at iteration {history.iteration}, not {iteration}")
        run = cls(examples, settings, History(examples.n_inputs, capacity=2, hidden=shape.hidden))
        run.weights = weights
        if history is None:
            history = History(examples.n_inputs, hidden=shape.hidden)
            history.start(weights, run.error, origin=iteration)
        elif history.shape != shape:
            raise ValueError(f"a history of a {history.shape} network cannot continue a {shape} one")
        run.history = history
        return run

    def reset(self) -> None:
        """Back to the seeded initial weights, with an empty history."""
        self.weights = self.initial_weights.copy()
        self.diverged = False
        self.history.start(self.weights, self.error_of(self.weights))

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
        return self.error_of(self.weights)

    def error_of(self, weights: np.ndarray) -> float:
        """The mean squared error of flat ``weights`` on the examples, exactly as the run records it."""
        if self.shape.is_single_neuron:
            return kernel.forward_error(self.X, self.y, weights)
        return network_kernel.forward_error(self.X, self.y, weights, self._sizes)

    def outputs(self, weights: np.ndarray | None = None) -> np.ndarray:
        """Every example's output, in the one arithmetic of the app (:func:`.kernel.forward`; for a
        network :func:`.network.forward`, the same sums and sigmoid layer after layer)."""
        w = self.weights if weights is None else weights
        if self.shape.is_single_neuron:
            return kernel.forward(self.X, w)[1]
        return self.activations(self.X, w)[-1][:, 0]

    def predict(self, query: np.ndarray, weights: np.ndarray | None = None) -> float:
        w = self.weights if weights is None else weights
        if self.shape.is_single_neuron:
            return kernel.predict(query, w)[1]
        return float(self.activations(query, w)[-1][0, 0])

    # -- layers ------------------------------------------------------------------------------------------
    @property
    def hidden(self) -> tuple[int, ...]:
        return self.shape.hidden

    @property
    def layers(self) -> list[np.ndarray]:
        """The current weights per layer, ``W[l]`` of shape (inputs of layer l, its neurons) (copies)."""
        return self.layer_weights()

    def layer_weights(self, weights: np.ndarray | None = None) -> list[np.ndarray]:
        """Flat ``weights`` (default: the current ones) as per-layer matrices (copies)."""
        return [w.copy() for w in self.shape.split(self.weights if weights is None else weights)]

    def activations(self, x: np.ndarray, weights: np.ndarray | None = None) -> list[np.ndarray]:
        """Every layer's outputs for inputs ``x`` (one row (m,) or rows (k, m)): ``[x, h1, ..., out]``,
        each (rows, neurons), as the kernel computes them (finite for any finite weights)."""
        layers = self.shape.split(self.weights if weights is None else weights)
        return network.forward(np.atleast_2d(np.asarray(x, dtype=np.float64)), layers, quiet=True)

    @property
    def weight_names(self) -> list[str]:
        """One name per flat weight: the input's for the single neuron, else ``x1→h1`` ... ``h4→out``."""
        return self.shape.weight_names(self.examples.names)


def train(examples: Examples, settings: Settings = Settings()) -> Run:
    """Train to the end in the calling thread (the headless path)."""
    run = Run(examples, settings)
    run.step(run.remaining)
    return run
