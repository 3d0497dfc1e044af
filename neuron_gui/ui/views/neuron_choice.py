"""Which neuron the sigmoid view shows, for a network: the output or any hidden one.

A small combo box in the sigmoid plot's corner, shown only while the run has hidden layers. The neuron's
inputs on every example are the layer below's outputs, so each example sits at that neuron's own ``z``;
:func:`neuron_view` gives exactly what the plot needs from the state on display.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from ...core.display_state import DisplayState


@dataclass(frozen=True)
class NeuronView:
    name: str
    inputs: np.ndarray  # (examples, inputs of the neuron): what it receives on every example
    weights: np.ndarray  # (inputs of the neuron,)
    query: np.ndarray | None  # what it receives for the query


def neuron_view(state: DisplayState, layer: int, neuron: int) -> NeuronView:
    """Neuron ``neuron`` of layer ``layer`` (1 = the first hidden layer, the last = the output)."""
    W = state.layers[layer - 1]
    acts = state.query_activations
    return NeuronView(state.neuron_names[layer][neuron], state.activations[layer - 1], W[:, neuron],
                      None if acts is None else acts[layer - 1])


class NeuronChoice(QComboBox):
    """The neurons of a network, the output first; ``chosen`` after the user picks another."""

    chosen = Signal()

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("sigmoidNeuronCombo")
        self.setAccessibleName("Neuron shown on the sigmoid")
        self.setToolTip("Which neuron's sigmoid to show: the output, or a hidden neuron (each example at "
                        "that neuron's weighted sum z)")
        self._neurons: list[tuple[int, int]] = []
        self.setVisible(False)
        self.move(6, 4)
        self.currentIndexChanged.connect(lambda _i: self.chosen.emit())

    def show_network(self, names: list[list[str]] | None) -> None:
        """The neurons of a network (names per layer, inputs first), or None for the single neuron."""
        if names is None:
            self.setVisible(False)
            return
        neurons = [(len(names) - 1, 0)] + [(k, j) for k in range(1, len(names) - 1) for j in range(len(names[k]))]
        labels = ["output neuron"] + [f"hidden {names[k][j]}" for k, j in neurons[1:]]
        if neurons != self._neurons or [self.itemText(i) for i in range(self.count())] != labels:
            keep = self.current()
            self.blockSignals(True)
            self.clear()
            self.addItems(labels)
            self._neurons = neurons
            self.setCurrentIndex(neurons.index(keep) if keep in neurons else 0)
            self.blockSignals(False)
            self.adjustSize()
        self.setVisible(True)
        self.raise_()

    def current(self) -> tuple[int, int] | None:
        """(layer, neuron) chosen; layer counts the inputs as 0."""
        i = self.currentIndex()
        return self._neurons[i] if 0 <= i < len(self._neurons) else None
