"""Backpropagation written out for The Update, Written Out: the text of one iteration of a network.

From :func:`neuron_gui.core.network_insight.backprop_breakdown` (the kernel's arithmetic, so the "new"
weights are the next recorded ones bit for bit): the output delta per example, each hidden neuron's delta
as its chain-rule product with the real numbers, and the chosen weight's ``old + adjustment = new`` with
each example's term. Pure functions of the breakdown: the panel shows them, tests read them.
"""

from __future__ import annotations

import numpy as np

from ...core.network_insight import BackpropBreakdown
from ..style.math_text import MINUS, number

MAX_EXAMPLES = 8  # written out per example; more are summarised


def _n(v: float, digits: int = 5) -> str:
    return number(float(v), digits)


def _examples(n: int) -> range:
    return range(min(n, MAX_EXAMPLES))


def _more(n: int) -> str:
    return f"<br>… and {n - MAX_EXAMPLES:,} more examples" if n > MAX_EXAMPLES else ""


def output_delta_html(b: BackpropBreakdown) -> str:
    """δ<sub>out</sub> = (y − out)·out(1 − out) for each example, with its numbers."""
    n = len(b.error)
    rows = [
        f"example {r + 1}: δ<sub>out</sub> = ({_n(b.error[r])})·({_n(b.output_slope[r])}) = "
        f"<b>{_n(b.output_delta[r])}</b>"
        for r in _examples(n)
    ]
    return (f"<b>Output delta</b> δ<sub>out</sub> = (y {MINUS} out)·out(1 {MINUS} out)<br>"
            + "<br>".join(rows) + _more(n))


def hidden_deltas_html(b: BackpropBreakdown, example: int = 0) -> str:
    """Each hidden neuron's delta for ``example``: (Σ δ above · weight to it)·a(1 − a), from the old weights."""
    parts = [f"<b>Hidden deltas</b> (example {example + 1}; the chain rule, from the weights before the update)"]
    for layer in range(len(b.shape.hidden), 0, -1):
        above = b.names[layer + 1]
        for neuron in range(b.shape.hidden[layer - 1]):
            d = b.hidden_delta(layer, neuron)
            products = " + ".join(
                f"({_n(d.deltas_up[example, k], 4)})·({_n(d.weights_up[k], 4)})" for k in range(len(above)))
            parts.append(
                f"δ<sub>{d.name}</sub> = [{products}]·{_n(d.activation[example], 4)}(1 {MINUS} "
                f"{_n(d.activation[example], 4)}) = {_n(d.back[example])}·{_n(d.slope[example])} = "
                f"<b>{_n(d.delta[example])}</b>")
    return "<br>".join(parts)


def weight_update_html(b: BackpropBreakdown, index: int) -> str:
    """Flat weight ``index``: where its adjustment comes from and ``old + adjustment = new``."""
    u = b.weight_update_at(index)
    source, target = u.name.split("→") if "→" in u.name else (u.name, "out")
    n = len(u.terms)
    terms = [f"example {r + 1}: {source} = {_n(u.inputs[r], 4)} × δ<sub>{target}</sub> = {_n(u.deltas[r])} "
             f"→ {_n(u.terms[r])}" for r in _examples(n)]
    rate = "" if u.learning_rate == 1.0 else f"{u.learning_rate:g}·"
    return (f"<b>Weight {u.name}</b>: adjustment = Σ over the examples of (what {source} gives) × "
            f"(the delta of {target})<br>" + "<br>".join(terms) + _more(n)
            + f"<br>Σ = <b>{_n(u.adjustment)}</b><br>"
            f"{u.name}: {_n(u.old, 8)} + {rate}{_n(u.adjustment, 8)} = <b>{_n(u.new, 8)}</b>")


def all_weights_rows(b: BackpropBreakdown, names: list[str]) -> list[tuple[str, float, float, float]]:
    """(name, old, change, new) for every flat weight, in the history's order."""
    old = b.shape.join(b.layers)
    new = b.new_weights
    with np.errstate(over="ignore", invalid="ignore"):
        change = new - old
    return [(names[k], float(old[k]), float(change[k]), float(new[k])) for k in range(len(old))]
