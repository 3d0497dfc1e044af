"""What ``neuron-gui train`` prints: the result as JSON-ready values, and as aligned text (no Qt).

For the single neuron the keys are the lesson's (``initial_weights`` and ``weights`` flat lists, ...) and
``hidden`` is ``[]``. For a network ``initial_weights`` and ``weights`` are lists of per-layer matrices
(rows = a layer's inputs, columns = its neurons), with ``neurons`` (the names per layer) and
``query_activations`` (each hidden layer's outputs for the query); the text shows each layer's matrix
under its neurons' names, 8 decimals, then the hidden layers' outputs for the query and the prediction.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .core.examples import format_number
from .core.training import Run


def result(
    run: Run, source: str, query: np.ndarray, history_csv: str | None, rows: int | None, script: str | None = None,
) -> dict[str, Any]:
    """What a run learned, as JSON-ready values (a value that is not finite becomes None)."""
    out = {
        "examples": source,
        "names": list(run.examples.names),
        "n_examples": run.examples.n_examples,
        "iterations": run.iteration,
        "requested_iterations": run.settings.iterations,
        "seed": run.settings.seed,
        "learning_rate": run.settings.learning_rate,
        "query": query.tolist(),
        "initial_weights": run.initial_weights.tolist(),
        "untrained_prediction": _finite(run.predict(query, run.initial_weights)),
        "initial_error": _finite(run.error_of(run.initial_weights)),
        "weights": run.weights.tolist(),
        "prediction": _finite(run.predict(query)),
        "final_error": _finite(run.error),
        "diverged": run.diverged,
        "history_csv": history_csv,
        "history_rows": rows,
        "hidden": list(run.hidden),
        "script": script,
    }
    if run.hidden:
        out.update(network_result(run, query))
    return out


def _finite(value: float) -> float | None:
    """Huge (but finite) weights can overflow a weighted sum; such a result is undefined, not NaN."""
    return value if math.isfinite(value) else None


def format_result(r: dict[str, Any]) -> str:
    """The result as aligned, readable text (8 decimals)."""
    names = r["names"]
    if r["hidden"]:
        table = [[""] + names]
    else:
        table = [[""] + names, ["initial weights"] + _decimals(r["initial_weights"]),
                 ["weights"] + _decimals(r["weights"])]
    widths = [max(len(row[j]) for row in table) for j in range(len(table[0]))]
    label = max(widths[0], len("untrained prediction"))
    query = ", ".join(format_number(v) for v in r["query"])

    def line(name: str, value: str) -> str:
        return f"{name:<{label}}  {value}".rstrip()

    def weights(row: list[str]) -> str:
        return line(row[0], "  ".join(f"{c:>{w}}" for c, w in zip(row[1:], widths[1:], strict=True)))

    def number(value: float | None) -> str:  # aligned with the first weight
        return f"{_decimal(value):>{widths[1]}}"

    history = []
    if r["history_csv"]:
        history = [line("history", f"{r['history_rows']:,} rows written to {r['history_csv']}")]
    if r["script"]:
        history.append(line("script", f"written to {r['script']} (run it: python {r['script']})"))
    if r["hidden"]:
        return "\n".join([*format_network_result(r, line, number), *history])
    return "\n".join([
        line("examples", f"{r['examples']} ({r['n_examples']} examples, {len(names)} inputs)"),
        line("iterations", f"{r['iterations']:,} (seed {r['seed']}, learning rate {r['learning_rate']:g})"),
        weights(table[0]),
        weights(table[1]),
        line("untrained prediction", f"{number(r['untrained_prediction'])}  for query {query}"),
        weights(table[2]),
        line("prediction", f"{number(r['prediction'])}  for query {query}"),
        line("error", f"{number(r['final_error'])}  (mean squared; {_decimal(r['initial_error'])} before)"),
        *history,
    ])


def _decimals(values: list[float]) -> list[str]:
    return [_decimal(v) for v in values]


def _decimal(value: float | None) -> str:
    return "undefined (overflow)" if value is None else f"{value:.8f}"


# -- networks ---------------------------------------------------------------------------------------

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
