"""What the hidden neurons learned: each hidden neuron's output on every example and, when the table's
inputs are 0/1 and at most 4, on every combination of inputs, with the logical function it is close to.

Each output is read as the bit it is nearer to (above 0.5: 1), and the neuron is close to the logical
function with those bits where its output is within :data:`TOLERANCE` of the bit. Where it is not (the
sequel's table has no bias, so on all-zero inputs every hidden neuron says exactly 0.5), those
combinations are named as exceptions; when fewer than half of the combinations are within the tolerance
the neuron gets no name at all. The function is named as a reader would write it, the shortest form
first: a constant, one input (``x1``, ``NOT x2``), two joined (``x1 AND NOT x2``, ``x1 OR x2``,
``x1 XOR x2``), and otherwise the shortest OR of ANDs (prime implicants, exact for 4 inputs).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from . import network
from .network import Shape

TOLERANCE = 0.1
MAX_TRUTH_TABLE_INPUTS = 4


@dataclass(frozen=True)
class HiddenNeuron:
    layer: int  # hidden layer, 1-based (a[layer])
    index: int  # neuron in the layer, 0-based
    name: str  # "h2", or "h1.2" with several hidden layers
    on_examples: np.ndarray  # (examples,)
    on_combinations: np.ndarray | None  # (2**m,), in the order of :func:`combinations`; None: not 0/1
    function: str | None  # e.g. "x1 AND NOT x2"; None: no truth table, or mostly undecided
    exceptions: tuple[int, ...] = ()  # combinations (rows of :func:`combinations`) not within TOLERANCE
    input_names: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        """``h2 ≈ x1 AND NOT x2``, with the combinations where it is not close, or why there is no name."""
        if self.on_combinations is None:
            return f"{self.name}: no truth table (the inputs are not all 0 or 1, or there are more than 4)"
        if self.function is None:
            lo, hi = float(np.min(self.on_combinations)), float(np.max(self.on_combinations))
            return f"{self.name}: not close to a logical function (outputs {lo:.2f} to {hi:.2f})"
        if not self.exceptions:
            return f"{self.name} ≈ {self.function}"
        rows = combinations(len(self.input_names))
        shown = "; ".join(
            " ".join(f"{n}={int(v)}" for n, v in zip(self.input_names, rows[k], strict=True))
            + f": {self.on_combinations[k]:.2f}" for k in self.exceptions
        )
        return f"{self.name} ≈ {self.function}, except {shown}"


def combinations(m: int) -> np.ndarray:
    """Every 0/1 input combination, (2**m, m), in counting order with x1 the most significant."""
    return np.array(list(itertools.product((0.0, 1.0), repeat=m)))


def has_truth_table(X: np.ndarray) -> bool:
    X = np.asarray(X)
    return X.shape[1] <= MAX_TRUTH_TABLE_INPUTS and bool(np.all((X == 0) | (X == 1)))


def hidden_neurons(
    X: np.ndarray, shape: Shape, weights: np.ndarray, input_names: list[str] | None = None,
) -> list[HiddenNeuron]:
    """Every hidden neuron, layer by layer, with its outputs and the function it is close to."""
    names = shape.neuron_names(input_names)
    layers = shape.split(weights)
    on_examples = network.forward(X, layers, quiet=True)
    table = has_truth_table(X)
    on_all = network.forward(combinations(shape.n_inputs), layers, quiet=True) if table else None
    out = []
    for k in range(1, len(shape.hidden) + 1):
        for j, name in enumerate(names[k]):
            values = on_all[k][:, j].copy() if on_all is not None else None
            function, exceptions = logical_function(values, names[0]) if values is not None else (None, ())
            out.append(HiddenNeuron(k, j, name, on_examples[k][:, j].copy(), values, function, exceptions,
                                    tuple(names[0])))
    return out


def logical_function(
    values: np.ndarray, names: list[str], tolerance: float = TOLERANCE
) -> tuple[str | None, tuple[int, ...]]:
    """(the name of the logical function ``values`` (outputs on :func:`combinations`) is close to, the
    combinations not within ``tolerance`` of it); the name is None when most are not."""
    values = np.asarray(values, dtype=np.float64)
    bits = values > 0.5
    exceptions = tuple(int(k) for k in np.flatnonzero(np.abs(values - bits) > tolerance))
    if 2 * len(exceptions) > len(values):
        return None, exceptions
    return name_function(tuple(int(b) for b in bits), list(names)), exceptions


def name_function(truth: tuple[int, ...], names: list[str]) -> str:
    """A readable name for the boolean function with this truth table (over :func:`combinations`)."""
    m = len(names)
    rows = combinations(m).astype(bool)
    truth_arr = np.array(truth, dtype=bool)
    if truth_arr.all():
        return "always 1"
    if not truth_arr.any():
        return "always 0"
    literals = [(f"{n}", rows[:, i]) for i, n in enumerate(names)] + [
        (f"NOT {n}", ~rows[:, i]) for i, n in enumerate(names)
    ]
    for text, value in literals:
        if np.array_equal(value, truth_arr):
            return text
    for (ta, va), (tb, vb) in itertools.combinations(literals, 2):
        if ta.removeprefix("NOT ") == tb.removeprefix("NOT "):
            continue
        if np.array_equal(va & vb, truth_arr):
            return f"{ta} AND {tb}"
        if np.array_equal(va | vb, truth_arr):
            return f"{ta} OR {tb}"
    for (i, a), (j, b) in itertools.combinations(enumerate(names), 2):
        if np.array_equal(rows[:, i] ^ rows[:, j], truth_arr):
            return f"{a} XOR {b}"
        if np.array_equal(~(rows[:, i] ^ rows[:, j]), truth_arr):
            return f"NOT ({a} XOR {b})"
    return _sum_of_products(truth_arr, rows, names)


def _sum_of_products(truth: np.ndarray, rows: np.ndarray, names: list[str]) -> str:
    """The shortest OR of ANDs (prime implicants, the smallest cover found by trying covers by size)."""
    m = len(names)
    minterms = [int(k) for k in np.flatnonzero(truth)]
    # an implicant is a tuple per input: 1, 0, or None (not used)
    implicants = {tuple(int(b) for b in rows[k]) for k in minterms}
    primes: set[tuple] = set()
    while implicants:
        merged, used = set(), set()
        for a, b in itertools.combinations(sorted(implicants, key=str), 2):
            diff = [i for i in range(m) if a[i] != b[i]]
            if len(diff) == 1 and a[diff[0]] is not None and b[diff[0]] is not None:
                merged.add(tuple(None if i == diff[0] else a[i] for i in range(m)))
                used.update((a, b))
        primes |= implicants - used
        implicants = merged

    def covers(imp: tuple, k: int) -> bool:
        return all(v is None or rows[k, i] == v for i, v in enumerate(imp))

    ordered = sorted(primes, key=lambda p: (sum(v is not None for v in p), str(p)))
    for size in range(1, len(ordered) + 1):
        for choice in itertools.combinations(ordered, size):
            if all(any(covers(p, k) for p in choice) for k in minterms):
                return " OR ".join(_term(p, names, len(choice) > 1) for p in choice)
    raise AssertionError("the primes always cover the function")  # pragma: no cover


def _term(implicant: tuple, names: list[str], bracket: bool) -> str:
    parts = [n if v == 1 else f"NOT {n}" for n, v in zip(names, implicant, strict=True) if v is not None]
    text = " AND ".join(parts)
    return f"({text})" if bracket and len(parts) > 1 else text
