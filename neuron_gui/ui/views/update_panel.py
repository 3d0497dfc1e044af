"""The update, written out: the delta rule for the iteration on display, with its real numbers.

For iteration ``k`` it shows the update that takes ``k`` to ``k + 1``: each example's ``z = x·w``,
``out = σ(z)``, ``error = y − out``, ``slope = out(1 − out)`` and ``error·slope``, then each weight's
adjustment ``Σᵢ xⱼᵢ·errorᵢ·slopeᵢ`` and its new value. The numbers are :func:`core.insight.update_breakdown`'s,
which does the kernel's arithmetic: the new weights are the next recorded weights, bit for bit.
Shown with a few significant digits; every full value is in a tooltip.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.insight import UpdateBreakdown, error_at, update_breakdown
from ..style.adaptive import SideBySide
from ..style.math_text import MINUS, compact, decimals_to_show, factor, fixed, number, sub
from .replay import DisplayState

Index = QModelIndex | QPersistentModelIndex
QUANTITIES = (  # the table's rows: name, formula, tooltip
    ("z", "x·w", "the weighted sum of the example's inputs"),
    ("out", "σ(z)", "the neuron's output, sigmoid(z) = 1/(1 + e^−z)"),
    ("y", "", "the example's target"),
    ("error", "y − out", "how far the output is from the target"),
    ("slope", "out(1 − out)", "the sigmoid's gradient at z"),
    ("error·slope", "", "how much this example pushes each weight, per unit of its input"),
)
SIDE_BY_SIDE_MIN = 820  # pixels: narrower, the examples' table and the weights' rows do not fit side by side
MAX_WRITTEN_TERMS = 8  # a sum written out term by term up to this many terms; longer ones end in "…"


class UpdateExamplesModel(QAbstractTableModel):
    """One column per example (as in the formulas, ``i`` counts examples), one row per quantity: z, out,
    y, error, slope and error·slope of the update on display."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._b: UpdateBreakdown | None = None
        self._y = np.zeros(0)
        self.formulas_in_header = False  # side by side (a short dock): each row names its formula

    def set_formulas_in_header(self, on: bool) -> None:
        if on != self.formulas_in_header:
            self.formulas_in_header = on
            if self.rowCount():
                self.headerDataChanged.emit(Qt.Vertical, 0, self.rowCount() - 1)

    def set_breakdown(self, b: UpdateBreakdown | None, y: np.ndarray) -> None:
        before = self.columnCount()
        after = 0 if b is None else len(b.z)
        if before != after or (self._b is None) != (b is None):
            self.beginResetModel()
            self._b, self._y = b, y
            self.endResetModel()
        else:
            self._b, self._y = b, y
            if after:
                self.dataChanged.emit(self.index(0, 0), self.index(len(QUANTITIES) - 1, after - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() or self._b is None else len(QUANTITIES)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() or self._b is None else len(self._b.z)

    def value(self, quantity: int, example: int) -> float:
        b = self._b
        return float((b.z, b.out, self._y, b.error, b.slope, b.delta)[quantity][example])

    def data(self, index: Index, role: int = Qt.DisplayRole):
        if not index.isValid() or self._b is None:
            return None
        v = self.value(index.row(), index.column())
        if role == Qt.DisplayRole:
            return compact(v) if index.row() == 2 else number(v, 3)  # a target of 1 is written 1
        if role == Qt.ToolTipRole:
            return f"{QUANTITIES[index.row()][0]}{sub(index.column() + 1)} = {v!r}"
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Vertical:
            name, formula, tip = QUANTITIES[section]
            if role == Qt.DisplayRole:
                # side by side there is no height for the rule's line above the table: row by row instead
                return f"{name} = {formula}" if formula and self.formulas_in_header else name
            if role == Qt.ToolTipRole:
                return f"{name} = {formula}: {tip}" if formula else f"{name}: {tip}"
        elif role == Qt.DisplayRole:
            return f"i = {section + 1}"
        elif role == Qt.ToolTipRole:
            return f"example {section + 1} (click for its numbers written out)"
        return None


class UpdatePanel(QWidget):
    """Shows :attr:`breakdown`, the update from the iteration on display to the next."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("updatePanel")
        self.setAccessibleName("The update, written out")
        self.setAccessibleDescription("The delta rule's update from the iteration on display to the next, "
                                      "with each example's numbers and each weight's adjustment")
        self.breakdown: UpdateBreakdown | None = None
        self._state: DisplayState | None = None
        self.title = self._label("updateTitle")
        self.rule = self._label("updateRule")
        self.rule.setText(
            "For each example i: z<sub>i</sub> = x<sub>i</sub>·w, out<sub>i</sub> = σ(z<sub>i</sub>), "
            f"error<sub>i</sub> = y<sub>i</sub> {MINUS} out<sub>i</sub>, "
            f"slope<sub>i</sub> = out<sub>i</sub>(1 {MINUS} out<sub>i</sub>)"
        )
        self.rule.setProperty("messageKind", "hint")  # the theme colours it as a hint, readable in both
        self.model = UpdateExamplesModel(self)
        self.table = QTableView()
        self.table.setObjectName("updateExamplesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectColumns)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setFocusPolicy(Qt.ClickFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Stretch)
        small = self.table.font()
        small.setPointSizeF(small.pointSizeF() * 0.92)
        self.table.setFont(small)
        header.setMinimumSectionSize(self.table.fontMetrics().horizontalAdvance("−9.99×10⁻⁹") + 10)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.table.setAccessibleName("Each example's part of the update")
        self.table.selectionModel().currentColumnChanged.connect(self._example_chosen)
        self.detail = self._label("updateExampleDetail")
        self.weights_title = self._label("updateWeightsTitle")
        self.weights_grid = QGridLayout()
        self.weights_grid.setHorizontalSpacing(6)
        self.weights_grid.setVerticalSpacing(2)
        self.weight_rows: list[list[QLabel]] = []
        self.errors = self._label("updateErrors")

        examples = QWidget()  # each example's part ...
        left = QVBoxLayout(examples)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.title)
        left.addWidget(self.rule)
        left.addWidget(self.table)
        left.addStretch(1)
        self.weights_part = weights = QWidget()  # ... then the weights' update, and one example written out
        right = QVBoxLayout(weights)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.weights_title)
        right.addLayout(self.weights_grid)
        right.addWidget(self.errors)
        line = QFrame()
        line.setFrameShape(QFrame.HLine)
        line.setFrameShadow(QFrame.Sunken)
        right.addWidget(line)
        right.addWidget(self.detail)
        right.addStretch(1)
        self.body = SideBySide(examples, weights, tall=(0, 1), wide=(1, 1), measure=self,
                               changed=self._arrangement_changed)
        self.body.wide_min = SIDE_BY_SIDE_MIN
        self.body.setContentsMargins(6, 4, 6, 4)
        self.body.box.setSpacing(12)
        scroll = QScrollArea()
        scroll.setWidget(self.body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _arrangement_changed(self, side_by_side: bool) -> None:
        self.rule.setVisible(not side_by_side)
        self.model.set_formulas_in_header(side_by_side)
        self._fit_table_height()

    def _label(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setTextFormat(Qt.RichText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        return label

    # -- state -------------------------------------------------------------------------------------------
    def set_state(self, state: DisplayState | None) -> None:
        """Show the update from ``state.iteration`` to the next (None: no run to show)."""
        self._state = state
        if state is None:
            self.breakdown = None
            self.model.set_breakdown(None, np.zeros(0))
            self.title.setText("No run: the table cannot be trained on.")
            self.detail.clear()
            self.weights_title.clear()
            self.errors.clear()
            self._set_weight_rows(0)
            return
        with np.errstate(over="ignore", invalid="ignore"):  # a wild run's huge weights: shown as ∞ or —, quietly
            self._show(state)

    def _show(self, state: DisplayState) -> None:
        run = state.run
        b = update_breakdown(run.X, run.y, state.weights, state.next_rate, state.iteration)
        self.breakdown = b
        self.model.set_breakdown(b, run.y)
        self._fit_table_height()
        k = state.iteration
        when = (" — the next update, not made yet" if state.is_last
                else " — as recorded" if not state.live else "")
        rate = f"η = {b.learning_rate:g}"
        self.title.setText(f"<b>Update from iteration {k:,} to {k + 1:,}</b>{when} · {rate}")
        self.title.setToolTip(f"The learning rate η = {b.learning_rate!r} scales every weight's adjustment")
        self._show_weights(b, run.examples.names, run.X)
        after = error_at(run.X, run.y, b.new_weights)
        self.errors.setText(
            f"Mean squared error: {number(state.error, 5)} at iteration {k:,} → {number(after, 5)} at {k + 1:,}"
        )
        self.errors.setToolTip(f"error at {k:,} = {state.error!r}\nerror at {k + 1:,} = {after!r}")
        example = self.table.currentIndex().column()
        self._show_example(example if 0 <= example < len(b.z) else 0)

    def _fit_table_height(self) -> None:
        """Every quantity's row visible, with room for a horizontal scroll bar when the examples need it."""
        t = self.table
        rows = sum(t.rowHeight(r) for r in range(self.model.rowCount()))
        height = t.horizontalHeader().sizeHint().height() + rows + 2 * t.frameWidth()
        if self.model.columnCount() * t.horizontalHeader().minimumSectionSize() > t.viewport().width():
            height += t.horizontalScrollBar().sizeHint().height()
        t.setFixedHeight(height)
        # wide enough for every example's column while they fit the panel; beyond that, the table scrolls
        header = t.verticalHeader().sizeHint().width()
        content = header + self.model.columnCount() * t.horizontalHeader().minimumSectionSize() + 2 * t.frameWidth()
        beside = self.weights_part.minimumSizeHint().width() + self.body.box.spacing() if self.body.side_by_side else 0
        t.setMinimumWidth(max(0, min(content, self.width() - 24 - beside)))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.body.adapt()
        self._fit_table_height()

    def _example_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._show_example(current.column())

    def _show_example(self, r: int) -> None:
        """Example ``r``'s part of the update, written out with its numbers."""
        b, state = self.breakdown, self._state
        if b is None or state is None or not 0 <= r < len(b.z):
            self.detail.clear()
            return
        x = state.run.X[r]
        i = sub(r + 1)
        terms = [f"{factor(compact(xj, 4))}·{factor(number(wj, 4))}" for xj, wj in zip(x, b.weights, strict=True)]
        if len(terms) > MAX_WRITTEN_TERMS:
            terms = terms[: MAX_WRITTEN_TERMS - 1] + ["…"]
        y = float(state.run.y[r])
        out = number(b.out[r], 5)  # an output is in [0, 1]: never negative
        self.detail.setText(
            f"<b>Example {r + 1}</b>, written out (click another column for another):<br>"
            f"z{i} = {' + '.join(terms)} = {number(b.z[r], 5)}<br>"
            f"out{i} = σ({number(b.z[r], 5)}) = {out}<br>"
            f"error{i} = {compact(y, 4)} {MINUS} {out} = {number(b.error[r], 4)}<br>"
            f"slope{i} = {out}·(1 {MINUS} {out}) = {number(b.slope[r], 4)}<br>"
            f"error{i}·slope{i} = {number(b.error[r], 4)}·{number(b.slope[r], 4)} = {number(b.delta[r], 4)}"
        )

    def _set_weight_rows(self, m: int) -> None:
        while len(self.weight_rows) > m:
            for label in self.weight_rows.pop():
                self.weights_grid.removeWidget(label)
                label.deleteLater()
        while len(self.weight_rows) < m:
            j = len(self.weight_rows)
            row = []
            for c in range(6):
                label = QLabel()
                label.setObjectName(f"updateWeight{j}" if c == 0 else f"updateWeight{j}_{c}")
                label.setTextInteractionFlags(Qt.TextSelectableByMouse)
                numeric = c in (1, 3, 5)
                label.setAlignment((Qt.AlignRight if numeric else Qt.AlignLeft) | Qt.AlignVCenter)
                self.weights_grid.addWidget(label, j, c)
                row.append(label)
            self.weight_rows.append(row)
        self.weights_grid.setColumnStretch(6, 1)

    def _show_weights(self, b: UpdateBreakdown, names: list[str], X: np.ndarray) -> None:
        m = len(b.weights)
        self._set_weight_rows(m)
        rate = b.learning_rate
        eta = "" if rate == 1.0 else "η·"
        self.weights_title.setText(
            f"Each weight: <b>w<sub>j</sub> ← w<sub>j</sub> + {eta}Σ<sub>i</sub> x<sub>ji</sub>·error<sub>i</sub>"
            f"·slope<sub>i</sub></b> (the sum over every example)"
        )
        steps = b.new_weights - b.weights
        decimals = max(decimals_to_show(s) for s in steps) if m else 4
        tiny = all(abs(s) < 10.0 ** -decimals for s in steps)
        for j, labels in enumerate(self.weight_rows):
            adjust = float(b.adjustment[j])
            change = adjust if rate == 1.0 else rate * adjust
            shown_change = number(change, 3) if tiny else fixed(change, decimals)
            if rate == 1.0:
                sign, change_text = (MINUS if shown_change.startswith(MINUS) else "+"), shown_change.lstrip(MINUS)
            else:  # η·Σ as the product, its value in the tooltip: "= value" here read as the new weight
                sign, change_text = "+", f"{number(rate, 4)}·{factor(number(adjust, 3))}"
            texts = [
                f"w{sub(j + 1)} ←", fixed(b.weights[j], decimals), sign, change_text, "=",
                fixed(b.new_weights[j], decimals),
            ]
            tip = f"w{sub(j + 1)}: the weight of {names[j]}; η·Σ = {shown_change}\n" + self._weight_tip(b, j, X)
            for label, text in zip(labels, texts, strict=True):
                label.setText(text)
                label.setToolTip(tip)
            labels[5].setStyleSheet("font-weight: bold;")

    def _weight_tip(self, b: UpdateBreakdown, j: int, X: np.ndarray) -> str:
        n = len(b.delta)
        shown = min(n, MAX_WRITTEN_TERMS)
        terms = [f"x{sub(j + 1)}{sub(i + 1)}·(error·slope){sub(i + 1)} = {number(X[i, j], 4)}·"
                 f"{factor(number(b.delta[i], 4))}" for i in range(shown)]
        more = [f"… and {n - shown:,} more examples"] if n > shown else []
        rate = "" if b.learning_rate == 1.0 else f"\nlearning rate η = {b.learning_rate!r}"
        return "\n".join(
            [f"w{sub(j + 1)} = {float(b.weights[j])!r}", f"Σ = {float(b.adjustment[j])!r}", *terms, *more]
        ) + rate + f"\nnew w{sub(j + 1)} = {float(b.new_weights[j])!r}"
