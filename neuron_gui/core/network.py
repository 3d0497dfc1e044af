"""The network model: a stack of sigmoid layers, its weights, and the readable numpy reference of one
iteration of backpropagation.

Weights are a list of matrices, ``W[l]`` of shape (inputs of layer l, neurons of layer l): rows are a
layer's inputs, columns its neurons. The lesson's single neuron is ``[W0]`` of shape (m, 1); the sequel's
network with a hidden layer of 4 is ``[W0 (m, 4), W1 (4, 1)]``. The output layer is always one neuron
(the table has one target column).

Everything that records or stores weights (the history, the kernels, the files) sees them *flattened*:
the layers in order, input side first, each matrix row by row (``W[l][i, j]`` before ``W[l][i, j+1]``).
For the single neuron that is exactly the lesson's weight vector, so nothing about it changes.

:func:`train_reference` is the readable definition of an iteration, in plain numpy with every sum in a
fixed order and the C library's ``exp``; the compiled kernel (:mod:`.network_kernel`) must equal it bit
for bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .examples import DataError, input_names
from .lesson import sigmoid

MAX_HIDDEN_LAYERS = 4
MAX_HIDDEN_SIZE = 16


def check_hidden(hidden: Sequence[int]) -> tuple[int, ...]:
    """The hidden layers' sizes as a tuple, or :class:`DataError` saying why they cannot be used.

    ``()`` is the lesson's single neuron. ``(0,)`` is accepted as another way to say so (a "0" typed
    in the field or given to ``--hidden``).
    """
    try:
        sizes = tuple(hidden)
    except TypeError:
        raise DataError(f"the hidden layers must be a list of sizes, not {hidden!r}") from None
    if sizes == (0,):
        return ()
    for s in sizes:
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)):
            raise DataError(f"a hidden layer's size must be a whole number, not {s!r}")
        if not 1 <= s <= MAX_HIDDEN_SIZE:
            raise DataError(f"a hidden layer has 1 to {MAX_HIDDEN_SIZE} neurons, not {s}")
    if len(sizes) > MAX_HIDDEN_LAYERS:
        raise DataError(f"at most {MAX_HIDDEN_LAYERS} hidden layers, not {len(sizes)}")
    return tuple(int(s) for s in sizes)


def parse_hidden(text: str) -> tuple[int, ...]:
    """``"4"``, ``"4,3"``, ``"4, 3"`` -> sizes; ``""`` or ``"0"`` -> ``()`` (the single neuron).

    Raises :class:`DataError` with a message meant for the user.
    """
    text = text.strip()
    if not text or text == "0":
        return ()
    sizes = []
    for part in text.split(","):
        part = part.strip()
        try:
            sizes.append(int(part))
        except ValueError:
            shown = part if len(part) <= 12 else part[:11] + "…"
            raise DataError(f"a hidden layer's size must be a whole number, not '{shown}'") from None
    if 0 in sizes:
        raise DataError(f"a hidden layer has 1 to {MAX_HIDDEN_SIZE} neurons, not 0 (use 0 alone for none)")
    return check_hidden(sizes)


def format_hidden(hidden: Sequence[int]) -> str:
    """The text :func:`parse_hidden` reads back: ``"4,3"``, or ``"0"`` for the single neuron."""
    return ",".join(str(s) for s in hidden) if hidden else "0"


@dataclass(frozen=True)
class Shape:
    """The shape of a network: ``n_inputs`` inputs, the ``hidden`` layers' sizes, one output neuron.

    Converts between the flat parameter vector (what is recorded) and the per-layer matrices (what a
    learner reads), and names every neuron and weight.
    """

    n_inputs: int
    hidden: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "hidden", check_hidden(self.hidden))
        if self.n_inputs < 1:
            raise DataError("a network needs at least one input")

    @property
    def is_single_neuron(self) -> bool:
        return not self.hidden

    @property
    def sizes(self) -> tuple[int, ...]:
        """Neurons per layer, the inputs first: ``(m, *hidden, 1)``."""
        return (self.n_inputs, *self.hidden, 1)

    @property
    def n_layers(self) -> int:
        """Weight layers (hidden layers + the output)."""
        return len(self.hidden) + 1

    @property
    def layer_shapes(self) -> list[tuple[int, int]]:
        s = self.sizes
        return [(s[k], s[k + 1]) for k in range(len(s) - 1)]

    @cached_property
    def offsets(self) -> tuple[int, ...]:
        """Where each layer's weights start in the flat vector, and (last) the vector's length."""
        out = [0]
        for rows, cols in self.layer_shapes:
            out.append(out[-1] + rows * cols)
        return tuple(out)

    @property
    def n_params(self) -> int:
        return self.offsets[-1]

    @classmethod
    def from_n_params(cls, n_params: int, hidden: Sequence[int] = ()) -> Shape:
        """The shape with ``hidden`` layers whose flat vector has ``n_params`` weights (for a stored
        history, which keeps the width and the hidden sizes only)."""
        hidden = check_hidden(hidden)
        if not hidden:
            return cls(n_params)
        inner = sum(a * b for a, b in zip(hidden[:-1], hidden[1:], strict=True)) + hidden[-1]
        m, rest = divmod(n_params - inner, hidden[0])
        if rest or m < 1:
            raise DataError(f"{n_params} weights do not fit hidden layers {format_hidden(hidden)}")
        return cls(m, hidden)

    # -- weights -------------------------------------------------------------------------------------
    def split(self, params: np.ndarray) -> list[np.ndarray]:
        """The per-layer matrices of a flat vector (views: writing them writes ``params``)."""
        params = np.asarray(params, dtype=np.float64)
        if params.shape != (self.n_params,):
            raise ValueError(f"need {self.n_params} weights for {self}, got shape {params.shape}")
        o = self.offsets
        return [params[o[k] : o[k + 1]].reshape(shape) for k, shape in enumerate(self.layer_shapes)]

    def join(self, layers: Sequence[np.ndarray]) -> np.ndarray:
        """The flat vector of per-layer matrices (a new array)."""
        if len(layers) != self.n_layers:
            raise ValueError(f"need {self.n_layers} layers for {self}, got {len(layers)}")
        parts = []
        for w, shape in zip(layers, self.layer_shapes, strict=True):
            w = np.asarray(w, dtype=np.float64)
            if w.shape != shape:
                raise ValueError(f"a layer of shape {shape} cannot hold weights of shape {w.shape}")
            parts.append(w.ravel())
        return np.concatenate(parts)

    def initial_layers(self, seed: int) -> list[np.ndarray]:
        """``np.random.seed(seed)``, then ``2*random(shape)-1`` for each layer in order, input side
        first: the lesson's draw for the single neuron, the sequel's for a hidden layer."""
        np.random.seed(seed)
        return [2 * np.random.random(shape) - 1 for shape in self.layer_shapes]

    def initial_weights(self, seed: int) -> np.ndarray:
        """:meth:`initial_layers`, flattened."""
        return self.join(self.initial_layers(seed))

    # -- names ---------------------------------------------------------------------------------------
    def neuron_names(self, inputs: Sequence[str] | None = None) -> list[list[str]]:
        """Names per layer: the inputs (``x1``.. or the table's), the hidden neurons, ``out``.

        One hidden layer: ``h1, h2, ...``; several: ``h1.1, h1.2, ..., h2.1, ...`` (layer.neuron).
        """
        names = [list(inputs) if inputs is not None else input_names(self.n_inputs)]
        if len(names[0]) != self.n_inputs:
            raise ValueError(f"need {self.n_inputs} input names, got {len(names[0])}")
        for k, size in enumerate(self.hidden):
            prefix = "h" if len(self.hidden) == 1 else f"h{k + 1}."
            names.append([f"{prefix}{j + 1}" for j in range(size)])
        names.append(["out"])
        return names

    def weight_names(self, inputs: Sequence[str] | None = None) -> list[str]:
        """One name per flat weight, saying which neurons it joins: ``x1→h1``, ``h1→out``.

        For the single neuron these are the input names alone, as the lesson names its weights.
        """
        names = self.neuron_names(inputs)
        if self.is_single_neuron:
            return list(names[0])
        return [f"{a}→{b}" for k in range(self.n_layers) for a in names[k] for b in names[k + 1]]

    def __str__(self) -> str:
        return "-".join(str(s) for s in self.sizes)


# -- the readable reference ------------------------------------------------------------------------------

def layer_sums(a: np.ndarray, W: np.ndarray) -> np.ndarray:
    """``a @ W`` added in a fixed order: from 0.0, inputs ascending (as the kernel adds them)."""
    z = np.zeros((a.shape[0], W.shape[1]))
    for i in range(W.shape[0]):
        z = z + a[:, i : i + 1] * W[i]
    return z


def _sum_over_examples(a: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """``a.T @ delta`` with the examples added one after another from 0.0, as the kernel adds them."""
    total = np.zeros((a.shape[1], delta.shape[1]))
    for r in range(a.shape[0]):
        total = total + a[r][:, None] * delta[r][None, :]
    return total


def back_sums(delta: np.ndarray, W: np.ndarray) -> np.ndarray:
    """``delta @ W.T`` in a fixed order: from 0.0, the upper layer's neurons ascending."""
    s = np.zeros((delta.shape[0], W.shape[0]))
    for k in range(W.shape[1]):
        s = s + delta[:, k : k + 1] * W[:, k]
    return s


def forward(X: np.ndarray, layers: Sequence[np.ndarray], quiet: bool = False) -> list[np.ndarray]:
    """Every layer's activations: ``[a0 = X, a1 = σ(a0 @ W0), ..., out]``, each (examples, neurons),
    computed exactly as the kernel computes them.

    ``quiet`` (for display): no overflow warnings, and a weighted sum that overflows to ±inf or NaN
    (absurd weights times large inputs) is taken as the largest finite number (NaN: 0), as
    :func:`.lesson.weighted_sum` does, so that no NaN reaches the screen. Finite sums are unchanged.
    """
    a = [np.asarray(X, dtype=np.float64).reshape(-1, layers[0].shape[0])]
    for W in layers:
        with np.errstate(over="ignore", invalid="ignore"):
            z = layer_sums(a[-1], np.asarray(W, dtype=np.float64))
        if quiet:
            big = np.finfo(np.float64).max
            z = np.nan_to_num(z, nan=0.0, posinf=big, neginf=-big)
        a.append(sigmoid(z))
    return a


def deltas(activations: Sequence[np.ndarray], y: np.ndarray, layers: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Each weight layer's delta, ``deltas[l]`` (examples, neurons of layer l), from the weights
    ``layers`` (the old ones): the output's ``(y - out) * out * (1 - out)``, then downwards
    ``(delta @ W[l+1].T) * a * (1 - a)``."""
    out = activations[-1]
    d = [(np.asarray(y, dtype=np.float64).reshape(-1, 1) - out) * out * (1 - out)]
    for k in range(len(layers) - 1, 0, -1):
        a = activations[k]
        d.insert(0, back_sums(d[0], layers[k]) * a * (1 - a))
    return d


def adjustments(activations: Sequence[np.ndarray], layer_deltas: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Each layer's adjustment ``a[l].T @ delta[l]`` (before the learning rate)."""
    return [_sum_over_examples(a, d) for a, d in zip(activations[:-1], layer_deltas, strict=True)]


def apply(layers: Sequence[np.ndarray], adjust: Sequence[np.ndarray], learning_rate: float) -> list[np.ndarray]:
    """New weights ``W + adjustment`` (``W + lr * adjustment`` when lr is not 1): new arrays."""
    if learning_rate == 1.0:
        return [W + A for W, A in zip(layers, adjust, strict=True)]
    return [W + learning_rate * A for W, A in zip(layers, adjust, strict=True)]


def iteration_reference(
    X: np.ndarray, y: np.ndarray, layers: Sequence[np.ndarray], learning_rate: float = 1.0
) -> tuple[list[np.ndarray], float]:
    """One iteration of backpropagation: (the new layers, the mean squared error of the old ones)."""
    layers = [np.asarray(W, dtype=np.float64) for W in layers]
    a = forward(X, layers)
    miss = np.asarray(y, dtype=np.float64).ravel() - a[-1][:, 0]
    error = float(np.cumsum(np.concatenate([[0.0], miss * miss]))[-1]) / len(miss)
    return apply(layers, adjustments(a, deltas(a, y, layers)), learning_rate), error


def train_reference(
    X: np.ndarray, y: np.ndarray, layers: Sequence[np.ndarray], iterations: int, learning_rate: float = 1.0
) -> list[np.ndarray]:
    """``iterations`` full-batch iterations of backpropagation in plain numpy, every sum in the
    kernel's order, the C library's ``exp``: the readable definition the compiled kernel must equal
    bit for bit. For the sequel (hidden 4) it is the sequel's loop; for ``[W0]`` the lesson's."""
    layers = [np.array(W, dtype=np.float64) for W in layers]
    for _ in range(iterations):
        layers, _error = iteration_reference(X, y, layers, learning_rate)
    return layers


def error_reference(X: np.ndarray, y: np.ndarray, layers: Sequence[np.ndarray]) -> float:
    """The mean squared error exactly as the kernel records it."""
    out = forward(X, layers)[-1][:, 0]
    miss = np.asarray(y, dtype=np.float64).ravel() - out
    return float(np.cumsum(np.concatenate([[0.0], miss * miss]))[-1]) / len(miss)
