"""Leaving as code: a run written out as a standalone Python script that imports only numpy, in the
lesson's style (the table, the seed, the loop, the prints).

``python FILE`` retrains the run from the seed and prints, last, a line ending with the prediction for
the query to 8 decimals: the app's prediction, to those decimals. (The script sums with numpy's ``dot``,
as the lesson does, so its last bits may differ from the app's fixed-order sums; 8 decimals agree for
any ordinary run, and the tests run exported scripts of several shapes to check it.)

For the single neuron the script is, in effect, the lesson's own: ``training_set_inputs``,
``synapse_weights``, ``1 / (1 + exp(-(dot(...))))``. A network gets one weight matrix per layer, the
forward pass, every layer's delta from the weights before the update, then the updates.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .examples import Examples, format_number
from .network import Shape, format_hidden

Rates = Sequence[tuple[int, float]]


def python_script(
    examples: Examples, shape: Shape, seed: int, iterations: int, query: np.ndarray,
    learning_rates: Rates = (), source: str = "",
) -> str:
    """The script that reproduces ``iterations`` iterations of the run and predicts for ``query``.

    ``learning_rates``: ``(first iteration, rate)`` pairs, as :attr:`.history.History.learning_rates`
    records them; empty means a rate of 1 throughout (the lesson's rule, no multiplication). ``source``
    names where the table came from, for the header comment.
    """
    segments = _segments(learning_rates, iterations)
    names = list(examples.names)
    lines = [
        "#!/usr/bin/env python3",
        f'"""{_title(shape)}, exported from neuron-gui.',
        "",
        f"Inputs {', '.join(names)}; {examples.n_examples} examples{f' from {source}' if source else ''};"
        f" seed {seed}; {iterations:,} iterations.",
        "Run it with: python THIS_FILE (needs only numpy). The last line printed is the prediction.",
        '"""',
        "",
        "from numpy import array, dot, exp, random",
        "",
        f"# The training set: one row per example, the inputs {', '.join(names)} in this order.",
        f"training_set_inputs = array({_matrix(examples.X)})",
        f"training_set_outputs = array([[{_row(examples.y)}]]).T",
        f"query = array([{_row(query)}])",
        "",
    ]
    if shape.is_single_neuron:
        lines += _single_neuron(shape, seed, segments)
    else:
        lines += _network(shape, seed, segments, names)
    return "\n".join(lines) + "\n"


def _title(shape: Shape) -> str:
    if shape.is_single_neuron:
        return "The single neuron of the lesson"
    layers = "one hidden layer" if len(shape.hidden) == 1 else f"{len(shape.hidden)} hidden layers"
    return f"A network with {layers} ({format_hidden(shape.hidden)} neurons)"


def _single_neuron(shape: Shape, seed: int, segments: list[tuple[int, int, float]]) -> list[str]:
    lines = [
        f"random.seed({seed})",
        f"synapse_weights = 2 * random.random(({shape.n_inputs}, 1)) - 1",
        'print("Random starting synaptic weights:")',
        "print(synapse_weights)",
        'print("Before training, the prediction for", query, "is:")',
        "print(1 / (1 + exp(-(dot(query, synapse_weights)))))",
        "",
    ]
    for start, stop, rate in segments:
        scale = "" if rate == 1.0 else f"{format_number(rate)} * "
        lines += [
            f"for iteration in range({_range(start, stop)}):" + (f"  # learning rate {format_number(rate)}"
                                                                   if scale else ""),
            "    output = 1 / (1 + exp(-(dot(training_set_inputs, synapse_weights))))",
            f"    synapse_weights += {scale}dot(training_set_inputs.T, "
            "(training_set_outputs - output) * output * (1 - output))",
            "",
        ]
    lines += [
        'print("New synaptic weights after training:")',
        "print(synapse_weights)",
        "prediction = 1 / (1 + exp(-(dot(query, synapse_weights))))",
        'print("Considering new situation", query, "-> ?:", "%.8f" % prediction[0])',
    ]
    return lines


def _network(shape: Shape, seed: int, segments: list[tuple[int, int, float]], names: list[str]) -> list[str]:
    n = shape.n_layers
    neuron_names = shape.neuron_names(names)
    lines = [
        "",
        "def sigmoid(x):",
        "    return 1 / (1 + exp(-x))",
        "",
        "",
        "# One weight matrix per layer: rows are the layer's inputs, columns its neurons, drawn in order.",
        f"random.seed({seed})",
    ]
    for k, (rows, cols) in enumerate(shape.layer_shapes):
        joins = f"{_span(neuron_names[k])} -> {_span(neuron_names[k + 1])}"
        lines.append(f"weights_{k + 1} = 2 * random.random(({rows}, {cols})) - 1  # {joins}")
    lines += [
        'print("Random starting weights:")',
        *[f"print(weights_{k + 1})" for k in range(n)],
        "",
    ]
    for start, stop, rate in segments:
        scale = "" if rate == 1.0 else f"{format_number(rate)} * "
        lines.append(f"for iteration in range({_range(start, stop)}):"
                     + (f"  # learning rate {format_number(rate)}" if scale else ""))
        lines.append("    # forward: each layer's outputs")
        previous = "training_set_inputs"
        for k in range(n):
            target = "output" if k == n - 1 else f"layer_{k + 1}"
            lines.append(f"    {target} = sigmoid(dot({previous}, weights_{k + 1}))")
            previous = target
        lines.append("    # backward: each layer's delta, from the layer above, with the weights before this update")
        lines.append(f"    delta_{n} = (training_set_outputs - output) * output * (1 - output)")
        for k in range(n - 1, 0, -1):
            lines.append(f"    delta_{k} = dot(delta_{k + 1}, weights_{k + 1}.T) * layer_{k} * (1 - layer_{k})")
        lines.append("    # the updates")
        for k in range(n, 0, -1):
            feeding = "training_set_inputs" if k == 1 else f"layer_{k - 1}"
            lines.append(f"    weights_{k} += {scale}dot({feeding}.T, delta_{k})")
        lines.append("")
    lines += ['print("New weights after training:")', *[f"print(weights_{k + 1})" for k in range(n)]]
    previous = "query"
    for k in range(n - 1):
        lines.append(f"hidden_{k + 1} = sigmoid(dot({previous}, weights_{k + 1}))")
        lines.append(f'print("Hidden layer {k + 1} for the query:", hidden_{k + 1})')
        previous = f"hidden_{k + 1}"
    lines += [
        f"prediction = sigmoid(dot({previous}, weights_{n}))",
        'print("Considering new situation", query, "-> ?:", "%.8f" % prediction[0])',
    ]
    return lines


def _segments(learning_rates: Rates, iterations: int) -> list[tuple[int, int, float]]:
    """``[(first, stop, rate)]`` covering ``0 .. iterations`` (rate 1 where none is given)."""
    changes = sorted((int(k), float(r)) for k, r in learning_rates if int(k) < iterations)
    if not changes or changes[0][0] > 0:
        changes.insert(0, (0, changes[0][1] if changes else 1.0))
    out = []
    for i, (start, rate) in enumerate(changes):
        stop = changes[i + 1][0] if i + 1 < len(changes) else iterations
        if stop > start:
            if out and out[-1][2] == rate:
                out[-1] = (out[-1][0], stop, rate)
            else:
                out.append((start, stop, rate))
    return out or [(0, 0, 1.0)]


def _range(start: int, stop: int) -> str:
    return f"{stop}" if start == 0 else f"{start}, {stop}"


def _span(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{names[0]}..{names[-1]}"


def _row(values: np.ndarray) -> str:
    return ", ".join(format_number(v) for v in np.asarray(values, dtype=np.float64).ravel())


def _matrix(X: np.ndarray) -> str:
    return "[" + ", ".join(f"[{_row(r)}]" for r in np.asarray(X)) + "]"


def script_for_run(run, query: np.ndarray, source: str = "") -> str:
    """:func:`python_script` of a :class:`.training.Run` as trained so far (its iterations and the
    learning rates its history recorded)."""
    return python_script(run.examples, run.shape, run.settings.seed, run.iteration, query,
                         run.history.learning_rates, source)
