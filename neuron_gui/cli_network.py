"""What ``neuron-gui train --hidden ...`` prints for a network (core only, never Qt).

JSON: the single neuron's keys, with ``initial_weights`` and ``weights`` as lists of per-layer matrices
(rows = a layer's inputs, columns = its neurons), ``hidden`` (the sizes), ``neurons`` (the names per
layer) and ``query_activations`` (each hidden layer's outputs for the query). Text: each layer's matrix
under its neurons' names, 8 decimals, then the hidden layers' outputs for the query and the prediction.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .core.examples import format_number
from .core.training import Run


def network_result(run: Run, query: np.ndarray) -> dict[str, Any]:
    """The network-specific values of a result, JSON-ready (a value that is not finite becomes None)."""
    activations = run.activations(query)
    return {
        "hidden": list(run.hidden),
        "neurons": run.shape.neuron_names(run.examples.names),
        "initial_weights": [_matrix(w) for w in run.layer_weights(run.initial_weights)],
        "weights": [_matrix(w) for w in run.layers],
        "query_activations": [[_finite(v) for v in a[0]] for a in activations[1:-1]],
    }


def format_network_result(r: dict[str, Any], line, number) -> list[str]:
    """The text lines of a network's result; ``line(name, value)`` and ``number(value)`` format as the
    single neuron's output does."""
    query = ", ".join(format_number(v) for v in r["query"])
    neurons = r["neurons"]
    sizes = "-".join(str(len(n)) for n in neurons)
    out = [
        line("examples", f"{r['examples']} ({r['n_examples']} examples, {len(r['names'])} inputs)"),
        line("network", f"{sizes} (hidden layers: {', '.join(map(str, r['hidden']))})"),
        line("iterations", f"{r['iterations']:,} (seed {r['seed']}, learning rate {r['learning_rate']:g})"),
        *_layers("initial weights", r["initial_weights"], neurons),
        line("untrained prediction", f"{number(r['untrained_prediction'])}  for query {query}"),
        *_layers("weights", r["weights"], neurons),
    ]
    for k, values in enumerate(r["query_activations"]):
        cells = "  ".join(f"{n}={_decimal(v)}" for n, v in zip(neurons[k + 1], values, strict=True))
        out.append(line(f"hidden layer {k + 1}", f"{cells}  for query {query}"))
    out += [
        line("prediction", f"{number(r['prediction'])}  for query {query}"),
        line("error", f"{number(r['final_error'])}  (mean squared; {_decimal(r['initial_error'])} before)"),
    ]
    return out


def _layers(title: str, layers: list[list[list[float | None]]], neurons: list[list[str]]) -> list[str]:
    lines = []
    for k, matrix in enumerate(layers):
        rows, cols = neurons[k], neurons[k + 1]
        cells = [[_decimal(v) for v in row] for row in matrix]
        width = max(len(c) for c in [*cols, *(c for row in cells for c in row)])
        label = max(len(n) for n in rows)
        lines.append(f"{title}, layer {k + 1} ({_span(rows)} → {_span(cols)})")
        lines.append(" " * (label + 2) + "  ".join(f"{c:>{width}}" for c in cols))
        lines += [f"  {n:<{label}}" + "".join(f"  {c:>{width}}" for c in row) for n, row in zip(rows, cells,
                                                                                                 strict=True)]
    return [line.rstrip() for line in lines]


def _span(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{names[0]}..{names[-1]}"


def _matrix(w: np.ndarray) -> list[list[float | None]]:
    return [[_finite(float(v)) for v in row] for row in w]


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _decimal(value: float | None) -> str:
    return "undefined (overflow)" if value is None else f"{value:.8f}"
