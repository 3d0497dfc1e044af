"""The numbers behind the insight views, for networks: backpropagation written out with its real numbers,
a prediction walked through the layers, and the error surface over any two weights of any layers.

Everything here does the kernel's arithmetic in the kernel's order (it calls :mod:`.network`'s
reference), so what a view shows is what the run recorded: an update's new weights are the next
recorded weights bit for bit, the surface at the run's weights is the recorded error. What the hidden
neurons learned is in :mod:`.hidden_functions`. Weights at any recorded iteration, of any shape:
:func:`.insight.weights_at`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import network, network_kernel
from .compiled import cached_njit, ensure_loaded
from .network import Shape


@dataclass(frozen=True)
class WeightUpdate:
    """One weight's ``old + adjustment = new``, and where the adjustment comes from: per example, the
    activation feeding the weight times the delta of the neuron it feeds."""

    layer: int  # weight layer l: W[l][row, column]
    row: int  # the feeding neuron (an input for layer 0)
    column: int  # the fed neuron
    name: str  # e.g. "x1→h2"
    old: float
    inputs: np.ndarray  # (examples,): a[l][:, row]
    deltas: np.ndarray  # (examples,): delta[l][:, column]
    terms: np.ndarray  # inputs * deltas
    adjustment: float  # the terms added in order (before the learning rate)
    learning_rate: float
    new: float


@dataclass(frozen=True)
class HiddenDelta:
    """Neuron ``neuron`` of hidden layer ``layer`` (1-based, as a[layer]) per example: its delta as the
    chain rule makes it, ``(Σ_k delta_up[k] * W[layer][neuron, k]) * a * (1 - a)``."""

    layer: int
    neuron: int
    name: str
    weights_up: np.ndarray  # (neurons above,): the weights from this neuron to the layer above (old)
    deltas_up: np.ndarray  # (examples, neurons above)
    back: np.ndarray  # (examples,): Σ_k deltas_up[:, k] * weights_up[k], summed in order
    activation: np.ndarray  # (examples,)
    slope: np.ndarray  # a (1 - a)
    delta: np.ndarray  # back * a * (1 - a), computed as the kernel does


@dataclass(frozen=True)
class BackpropBreakdown:
    """One iteration of backpropagation with every intermediate value (arrays per example)."""

    iteration: int  # the update takes the weights of this iteration to the next
    shape: Shape
    names: list[list[str]]  # neurons per layer: inputs, hidden layers, ["out"]
    layers: list[np.ndarray]  # W[l] before the update
    z: list[np.ndarray]  # z[l] = a[l] @ W[l], (examples, neurons of layer l+1)
    activations: list[np.ndarray]  # a[0] = X, ..., a[-1] = the outputs (examples, 1)
    error: np.ndarray  # y - out, (examples,)
    output_slope: np.ndarray  # out (1 - out)
    deltas: list[np.ndarray]  # deltas[l]: the delta of the neurons W[l] feeds, (examples, neurons)
    adjustments: list[np.ndarray]  # a[l].T @ deltas[l], examples added in order
    learning_rate: float
    new_layers: list[np.ndarray]

    @property
    def output_delta(self) -> np.ndarray:
        """``(y - out) * out * (1 - out)`` per example."""
        return self.deltas[-1][:, 0]

    @property
    def new_weights(self) -> np.ndarray:
        """The new weights flattened: the next record of the run, bit for bit."""
        return self.shape.join(self.new_layers)

    def hidden_delta(self, layer: int, neuron: int) -> HiddenDelta:
        """The chain-rule product behind hidden neuron ``neuron`` of hidden layer ``layer`` (1-based)."""
        if not 1 <= layer <= len(self.shape.hidden):
            raise IndexError(f"there is no hidden layer {layer}")
        W_up = self.layers[layer]
        d_up = self.deltas[layer]
        back = network.back_sums(d_up, W_up)[:, neuron]
        a = self.activations[layer][:, neuron]
        return HiddenDelta(layer, neuron, self.names[layer][neuron], W_up[neuron].copy(), d_up.copy(), back,
                           a, a * (1 - a), self.deltas[layer - 1][:, neuron])

    def weight_update(self, layer: int, row: int, column: int) -> WeightUpdate:
        """Weight ``W[layer][row, column]``: old, each example's term, the adjustment, new."""
        a = self.activations[layer][:, row]
        d = self.deltas[layer][:, column]
        name = f"{self.names[layer][row]}→{self.names[layer + 1][column]}"
        if self.shape.is_single_neuron:
            name = self.names[0][row]
        return WeightUpdate(layer, row, column, name, float(self.layers[layer][row, column]), a.copy(), d.copy(),
                            a * d, float(self.adjustments[layer][row, column]), self.learning_rate,
                            float(self.new_layers[layer][row, column]))

    def weight_update_at(self, index: int) -> WeightUpdate:
        """:meth:`weight_update` of flat weight ``index`` (as the history and the weight names number them)."""
        return self.weight_update(*locate(self.shape, index))


def locate(shape: Shape, index: int) -> tuple[int, int, int]:
    """Flat weight ``index`` -> (layer, row, column)."""
    if not 0 <= index < shape.n_params:
        raise IndexError(f"there is no weight {index} in a {shape} network")
    layer = int(np.searchsorted(shape.offsets, index, side="right")) - 1
    row, column = divmod(index - shape.offsets[layer], shape.layer_shapes[layer][1])
    return layer, row, column


def backprop_breakdown(
    X: np.ndarray, y: np.ndarray, shape: Shape, weights: np.ndarray, learning_rate: float = 1.0,
    iteration: int = 0, input_names: list[str] | None = None,
) -> BackpropBreakdown:
    """Backpropagation from flat ``weights`` written out: forward, the output delta, each hidden delta
    from the layer above (old weights), each adjustment, the new weights."""
    layers = [w.copy() for w in shape.split(weights)]
    X = np.asarray(X, dtype=np.float64)
    a = network.forward(X, layers, quiet=True)
    z = []
    for k, W in enumerate(layers):
        with np.errstate(over="ignore", invalid="ignore"):
            z.append(network.layer_sums(a[k], W))
    d = network.deltas(a, y, layers)
    adjust = network.adjustments(a, d)
    out = a[-1][:, 0]
    return BackpropBreakdown(
        iteration, shape, shape.neuron_names(input_names), layers, z, a,
        np.asarray(y, dtype=np.float64).ravel() - out, out * (1 - out), d, adjust, float(learning_rate),
        network.apply(layers, adjust, learning_rate),
    )


@dataclass(frozen=True)
class LayerWalk:
    """Why this prediction, layer by layer: for each weight layer, the terms ``a_i W[i, j]`` feeding
    each neuron, their sum ``z_j`` and ``σ(z_j)``."""

    names: list[list[str]]
    activations: list[np.ndarray]  # a[0] = the query, ..., a[-1] = (1,) the prediction
    terms: list[np.ndarray]  # terms[l][i, j] = a[l][i] * W[l][i, j]
    z: list[np.ndarray]  # z[l][j]

    @property
    def prediction(self) -> float:
        return float(self.activations[-1][0])


def layer_walk(query: np.ndarray, shape: Shape, weights: np.ndarray, input_names: list[str] | None = None) -> LayerWalk:
    layers = shape.split(weights)
    a = [row[0] for row in network.forward(np.atleast_2d(np.asarray(query, dtype=np.float64)), layers, quiet=True)]
    with np.errstate(over="ignore", invalid="ignore"):
        terms = [a[k][:, None] * W for k, W in enumerate(layers)]
        z = [network.layer_sums(a[k][None, :], W)[0] for k, W in enumerate(layers)]
    return LayerWalk(shape.neuron_names(input_names), a, terms, z)


# -- the error surface over two weights of any layers ------------------------------------------------------

@cached_njit(nogil=True)
def _surface(X, y, w, sizes, i, j, a_values, b_values, out):  # pragma: no cover - compiled
    v = w.copy()
    for ia in range(a_values.shape[0]):
        for ib in range(b_values.shape[0]):
            v[i] = a_values[ia]
            v[j] = b_values[ib]
            out[ia, ib] = network_kernel._forward_error(X, y, v, sizes)  # the function that records the error


def error_surface(
    X: np.ndarray, y: np.ndarray, shape: Shape, weights: np.ndarray, i: int, j: int,
    a_values: np.ndarray, b_values: np.ndarray,
) -> np.ndarray:
    """Mean squared error over a grid of (flat weight ``i``, flat weight ``j``), of any layers, the other
    weights held at ``weights``; shape (len(a_values), len(b_values)). Releases the GIL: call it from a
    worker thread. Each value is computed exactly as the run records its error. For the single neuron
    use :func:`.insight.error_surface` (the same numbers, its own kernel)."""
    if i == j:
        raise ValueError("the surface needs two different weights")
    for k in (i, j):
        locate(shape, k)
    out = np.empty((len(a_values), len(b_values)))
    args = (
        np.ascontiguousarray(X, dtype=np.float64), np.ascontiguousarray(y, dtype=np.float64),
        np.ascontiguousarray(weights, dtype=np.float64), network_kernel.sizes_array(shape.sizes), i, j,
        np.ascontiguousarray(a_values, dtype=np.float64), np.ascontiguousarray(b_values, dtype=np.float64), out,
    )
    ensure_loaded(_surface, args)
    _surface(*args)
    return out
