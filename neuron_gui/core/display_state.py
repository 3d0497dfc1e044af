"""The state on display: one immutable snapshot of everything any view shows, computed once per frame.

Every number a view prints or draws comes from one :class:`DisplayState`: the iteration on display (live
or chosen on the replay timeline), its exact weights, each example's output and error, the query with its
terms, weighted sum and prediction, the thinned history to draw, and the run's progress. The arithmetic is
the run's own (:meth:`Run.outputs`, :meth:`Run.predict`), so views agree to the last digit by
construction; the derived arrays are computed on first use only, so a state no visible view reads costs
nothing.

Weights are kept per layer, ``layers[l]`` of shape (inputs of layer l, neurons of layer l); the single
neuron is ``[W0]`` with shape (m, 1) and :attr:`DisplayState.weights` is its flat (m,) vector. For a
network :attr:`DisplayState.weights` is the run's flat vector of every weight (the history's order, named
by :attr:`DisplayState.weight_names`); the query's terms and ``z`` are then the output neuron's (its
inputs are the last hidden layer's outputs for the query), and :attr:`DisplayState.query_activations`
gives every layer's outputs for the query.

No Qt here: the session (QtCore) builds a state, widgets read it, and accessibility descriptions read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from .examples import DataError, parse_query
from .lesson import weighted_sum

if TYPE_CHECKING:
    from .history import Series
    from .training import Run


def as_layers(weights) -> tuple[np.ndarray, ...]:
    """Per-layer weight matrices from a run's weights: a flat vector is the single neuron, (m, 1)."""
    if isinstance(weights, np.ndarray) and weights.ndim == 1:
        return (weights.reshape(-1, 1),)
    if isinstance(weights, np.ndarray):
        return (weights,)
    return tuple(np.asarray(w, dtype=np.float64) for w in weights)


@dataclass(frozen=True)
class RunProgress:
    """Where the run itself is (not the iteration on display): for the progress bar and the status line."""

    iteration: int
    target: int
    error: float
    running: bool = False
    paused: bool = False
    elapsed: float | None = None  # seconds of training, None when no run is in progress
    iterations_per_second: float = 0.0


@dataclass(frozen=True)
class Query:
    """The query as typed: its inputs when valid, else why not (``problem``)."""

    text: str
    inputs: np.ndarray | None
    problem: str = ""

    @classmethod
    def parse(cls, text: str, n_inputs: int) -> Query:
        try:
            return cls(text, parse_query(text, n_inputs))
        except DataError as e:
            return cls(text, None, str(e))


@dataclass(frozen=True, eq=False)
class DisplayState:
    """What every view shows now. Immutable; arrays must not be written to."""

    run: Run
    iteration: int  # the iteration on display
    weights: np.ndarray  # (m,): the exact weights at ``iteration`` (the single neuron's; see ``layers``)
    error: float  # the mean squared error at ``iteration``
    live: bool  # following the run, not scrubbed back
    last: int  # the run's last recorded iteration
    next_rate: float  # the learning rate of the update that takes ``iteration`` to the next
    progress: RunProgress = field(default=None)  # type: ignore[assignment]
    query: Query | None = None
    series: tuple[Series, Series] | None = None  # the thinned weights and error history to draw

    @property
    def is_last(self) -> bool:
        """No recorded iteration after this one: the next update has not been made (yet)."""
        return self.iteration >= self.last

    @property
    def is_network(self) -> bool:
        """Hidden layers (not the lesson's single neuron)."""
        return bool(self.run.hidden)

    @cached_property
    def layers(self) -> tuple[np.ndarray, ...]:
        if not self.is_network:
            return as_layers(self.weights)
        return tuple(self.run.layer_weights(self.weights))

    @property
    def names(self) -> list[str]:
        """The table's input names."""
        return list(self.run.examples.names)

    @cached_property
    def weight_names(self) -> list[str]:
        """One name per flat weight: the input's for the single neuron, ``x1→h1`` ... ``h4→out`` for a network."""
        return list(self.run.weight_names)

    @cached_property
    def neuron_names(self) -> list[list[str]]:
        """Names per layer: the inputs, the hidden neurons (``h1``.. or ``h1.1``..), ``out``."""
        return self.run.shape.neuron_names(self.names)

    @cached_property
    def activations(self) -> list[np.ndarray]:
        """Every layer's outputs on every example, ``[X, h1, ..., out]``, each (examples, neurons)."""
        return self.run.activations(self.run.X, self.weights)

    @cached_property
    def query_activations(self) -> list[np.ndarray] | None:
        """Every layer's outputs for the query, ``[query, h1, ..., (prediction,)]``, each 1-D."""
        q = self.query_inputs
        return None if q is None else [a[0] for a in self.run.activations(q, self.weights)]

    @property
    def output_inputs(self) -> np.ndarray | None:
        """What the output neuron receives for the query: the query itself, or the last hidden layer's outputs."""
        if not self.is_network:
            return self.query_inputs
        acts = self.query_activations
        return None if acts is None else acts[-2]

    @property
    def output_weights(self) -> np.ndarray:
        """The output neuron's weights, (inputs of the last layer,)."""
        return self.weights if not self.is_network else self.layers[-1][:, 0]

    @property
    def output_input_names(self) -> list[str]:
        return self.names if not self.is_network else self.neuron_names[-2]

    # -- every example --------------------------------------------------------------------------------
    @cached_property
    def outputs(self) -> np.ndarray:
        """Each example's output at these weights (computed once, on first use)."""
        return self.run.outputs(self.weights)

    @cached_property
    def errors(self) -> np.ndarray:
        """Each example's ``y - output``."""
        return self.run.y - self.outputs

    # -- the query ------------------------------------------------------------------------------------
    @property
    def query_inputs(self) -> np.ndarray | None:
        return None if self.query is None else self.query.inputs

    @cached_property
    def query_terms(self) -> np.ndarray | None:
        """Each input's term ``w_j x_j`` of the (output neuron's) weighted sum for the query."""
        q = self.output_inputs
        return None if q is None else q * self.output_weights

    @cached_property
    def z(self) -> float | None:
        q = self.output_inputs
        return None if q is None else float(weighted_sum(q, self.output_weights))

    @cached_property
    def prediction(self) -> float | None:
        q = self.query_inputs
        return None if q is None else self.run.predict(q, self.weights)

    # -- what a view compares to know whether it must redraw ----------------------------------------------
    @cached_property
    def weights_key(self) -> tuple:
        """Changes exactly when the run, the iteration on display or its weights change."""
        return (id(self.run), self.iteration, self.live, self.weights.tobytes())

    @cached_property
    def query_key(self) -> tuple:
        return self.weights_key + (None if self.query_inputs is None else self.query_inputs.tobytes(),)

    def caption(self) -> str:
        """Which weights the prediction uses, in words."""
        it = self.iteration
        text = "untrained: the initial weights" if it == 0 else f"after {it:,} iteration{'s' if it != 1 else ''}"
        return text if self.live else f"{text} (replay; the run is at {self.last:,})"
