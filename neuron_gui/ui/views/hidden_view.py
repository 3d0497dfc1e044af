"""What the hidden neurons learned: each hidden neuron's output on every example and, for up to 4 inputs
of 0/1, on every combination of inputs, with the logical function it is close to (within 0.1).

The arithmetic is the core's (:func:`neuron_gui.core.hidden_functions.hidden_neurons`); this view only
lays it out, at the iteration on display, a few times a second and not at all while it cannot be seen.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.display_state import DisplayState
from ...core.hidden_functions import TOLERANCE, HiddenNeuron, combinations, hidden_neurons

MAX_EXAMPLE_ROWS = 64  # a huge table: its first rows (the combinations are what names a function)

NO_NETWORK = ("The single neuron has no hidden neurons. Type sizes in Hidden layers (e.g. 4), or choose "
              "Training > Sequel Preset, and train.")


def _table(name: str, accessible: str) -> QTableWidget:
    t = QTableWidget()
    t.setObjectName(name)
    t.setAccessibleName(accessible)
    t.setEditTriggers(QAbstractItemView.NoEditTriggers)
    t.setSelectionMode(QAbstractItemView.SingleSelection)
    t.verticalHeader().setVisible(False)
    return t


def _cell(text: str, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
    if tip:
        item.setToolTip(tip)
    return item


class HiddenNeuronsView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("hiddenNeuronsView")
        self.setAccessibleName("What the hidden neurons learned")
        self.neurons: list[HiddenNeuron] = []
        self.summary = QLabel()
        self.summary.setObjectName("hiddenSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.combinations_title = QLabel()
        self.combinations_title.setObjectName("hiddenCombinationsTitle")
        self.combinations = _table("hiddenCombinationsTable", "Each hidden neuron on every input combination")
        self.examples_title = QLabel("On every example of the table:")
        self.examples = _table("hiddenExamplesTable", "Each hidden neuron on every example")
        body = QWidget()  # scrolls: the dock may be short (a 700-pixel window)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.summary)
        tables = QHBoxLayout()  # side by side: each is narrow (the inputs and a column per hidden neuron)
        for title, table in ((self.combinations_title, self.combinations), (self.examples_title, self.examples)):
            column = QVBoxLayout()
            column.addWidget(title)
            column.addWidget(table, 1)
            tables.addLayout(column, 1)
        layout.addLayout(tables, 1)
        for t in (self.combinations, self.examples):
            t.setMinimumHeight(4 * t.fontMetrics().height())
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def set_state(self, state: DisplayState | None) -> None:
        if state is None or not state.is_network:
            self.neurons = []
            self.summary.setText(NO_NETWORK if state is not None else "No run: the table cannot be trained on.")
            for w in (self.combinations_title, self.combinations, self.examples_title, self.examples):
                w.setVisible(False)
            return
        run = state.run
        with np.errstate(over="ignore", invalid="ignore"):
            self.neurons = hidden_neurons(run.X, run.shape, state.weights, state.names)
        at = "untrained" if state.iteration == 0 else f"after {state.iteration:,} iterations"
        self.summary.setText(f"<b>What the hidden neurons learned</b> ({at}; named where every output is "
                             f"within {TOLERANCE:g} of 0 or 1):<br>" + "<br>".join(n.summary for n in self.neurons))
        names = [n.name for n in self.neurons]
        inputs = state.names
        table = self.neurons[0].on_combinations is not None
        self.combinations_title.setVisible(table)
        self.combinations.setVisible(table)
        if table:
            rows = combinations(len(inputs))
            self.combinations_title.setText("On every combination of the inputs:")
            self._fill(self.combinations, inputs, names, rows, [n.on_combinations for n in self.neurons])
        self.examples_title.setVisible(True)
        self.examples.setVisible(True)
        shown = min(len(run.X), MAX_EXAMPLE_ROWS)
        self.examples_title.setText("On every example of the table:" if shown == len(run.X)
                                    else f"On the first {shown:,} of {len(run.X):,} examples:")
        self._fill(self.examples, inputs, names, run.X[:shown], [n.on_examples[:shown] for n in self.neurons])

    @staticmethod
    def _fill(t: QTableWidget, inputs: list[str], names: list[str], rows: np.ndarray, values: list[np.ndarray]):
        t.setRowCount(len(rows))
        t.setColumnCount(len(inputs) + len(names))
        t.setHorizontalHeaderLabels(list(inputs) + list(names))
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                t.setItem(r, c, _cell(f"{v:g}"))
            for k, column in enumerate(values):
                value = float(column[r])
                t.setItem(r, len(inputs) + k, _cell(f"{value:.4f}", repr(value)))
        t.resizeColumnsToContents()
