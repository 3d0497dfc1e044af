"""The examples table: a QAbstractTableModel over rows of floats, with every change undoable.

Edits are validated at :meth:`ExamplesModel.setData` with :func:`core.examples.parse_cell`: a bad value
is refused (the old one stays) and :attr:`ExamplesModel.rejected` says why. Every change goes through
the model's :class:`QUndoStack` as a command, so Edit > Undo walks back any kind of edit.

A change to the table replaces the run trained on it. Each command keeps the run that went with the
table it replaced (asked of :attr:`ExamplesModel.run_of_table`), and its undo offers that run back
(:attr:`ExamplesModel.restoring`, while ``examples_changed`` is emitted), so undoing an edit after a
long run brings the run back, not only the table; redo likewise brings back a run trained after it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QUndoCommand, QUndoStack

from ...core.examples import DataError, Examples, input_names, parse_cell
from ...core.lesson import MAX_INPUTS
from ..style.speech import HumanPace

Index = QModelIndex | QPersistentModelIndex
MAX_KEPT_RUNS = 4  # a long run's history is up to ~50 MB: the undo stack keeps the runs of the last few changes


def format_number(v: float) -> str:
    """Short for display, exact on edit: ``repr`` keeps every digit, ``:g`` hides the noise."""
    return f"{v:.10g}"


class ExamplesModel(QAbstractTableModel):
    rejected = Signal(str)  # a refused edit, with the reason for the user
    examples_changed = Signal()  # the data (not the live columns) changed

    LIVE_HEADERS = ("output", "error")

    def __init__(self, examples: Examples | None = None, parent=None):
        super().__init__(parent)
        examples = examples or Examples.lesson()
        self._rows: list[list[float]] = [
            [*map(float, x), float(t)] for x, t in zip(examples.X, examples.y, strict=True)
        ]
        self._m = examples.n_inputs
        self._names = list(examples.names)  # the input columns' names (a CSV's header keeps its own)
        self._locked = False
        self._live: np.ndarray | None = None  # (n, 2): output and error per example, or None
        self._live_pace = HumanPace(self._show_live, parent=self)
        self.undo_stack = QUndoStack(self)
        self.run_of_table: Callable[[], object] = lambda: None  # the run trained on the table now (the window's)
        self.restoring: object = None  # during an undo or redo: the run that went with the table it restores
        self.undoing = False  # during an undo
        self._keepers: deque[_TableCommand] = deque()  # commands holding runs, oldest first

    # -- shape --------------------------------------------------------------------------------------
    @property
    def n_inputs(self) -> int:
        return self._m

    @property
    def n_examples(self) -> int:
        return len(self._rows)

    @property
    def names(self) -> list[str]:
        """The input columns' names, as a file saved from the table will call them."""
        return list(self._names)

    @property
    def data_columns(self) -> int:
        return self._m + 1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        if parent.isValid():
            return 0
        return self._m + 1 + (len(self.LIVE_HEADERS) if self._live is not None else 0)

    def is_live_column(self, column: int) -> bool:
        return column > self._m

    # -- reading ------------------------------------------------------------------------------------
    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal:
            if role == Qt.DisplayRole:
                if section < self._m:
                    return self._names[section]
                if section == self._m:
                    return "y"
                return self.LIVE_HEADERS[section - self._m - 1]
            if role == Qt.ToolTipRole:
                if section < self._m:
                    return f"input {section + 1}: {self._names[section]}"
                if section == self._m:
                    return "target: the output the neuron should learn, between 0 and 1"
                return "live, read-only: the neuron's current " + self.LIVE_HEADERS[section - self._m - 1]
        elif role == Qt.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if self.is_live_column(c):
            if self._live is None:
                return None
            v = float(self._live[r, c - self._m - 1])
            if role == Qt.DisplayRole:
                return f"{v:.4f}"
            if role == Qt.TextAlignmentRole:
                return int(Qt.AlignRight | Qt.AlignVCenter)
            if role == Qt.BackgroundRole:
                return QBrush(QColor(127, 127, 127, 40))
            if role == Qt.FontRole:
                f = QFont()
                f.setItalic(True)
                return f
            if role == Qt.ToolTipRole:
                return f"{self.LIVE_HEADERS[c - self._m - 1]} = {v!r} (live, read-only)"
            if role == Qt.AccessibleDescriptionRole:  # Qt's table cells tell a screen reader no editability
                return f"read-only: the neuron's {self.LIVE_HEADERS[c - self._m - 1]} at the iteration on display"
            return None
        v = self._rows[r][c]
        if role == Qt.DisplayRole:
            return format_number(v)
        if role == Qt.EditRole:
            return repr(v)
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ToolTipRole:
            return repr(v)
        if role == Qt.AccessibleDescriptionRole:
            return "locked while a run is in progress" if self._locked else "editable: type a number"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.NoItemFlags
        base = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        if self.is_live_column(index.column()) or self._locked:
            return base
        return base | Qt.ItemIsEditable

    def value(self, row: int, column: int) -> float:
        return self._rows[row][column]

    def number(self, row: int, column: int) -> float:
        """Any cell's exact value, the live output and error columns included."""
        if self.is_live_column(column):
            return float(self._live[row, column - self._m - 1]) if self._live is not None else float("nan")
        return self._rows[row][column]

    def snapshot(self) -> Examples:
        """The table as validated :class:`Examples` (raises DataError if it cannot be trained on)."""
        if not self._rows:
            raise DataError("the table is empty: add at least one example")
        a = np.array(self._rows, dtype=np.float64).reshape(len(self._rows), self._m + 1)
        return Examples.create(a[:, : self._m], a[:, self._m], self._names)

    # -- live columns and locking -------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self._locked

    def set_locked(self, locked: bool) -> None:
        """While a run is in progress the data must not change under it."""
        self._locked = locked

    def live_values(self) -> np.ndarray | None:
        """A copy of the live (n, 2) output and error columns, or None while they are hidden."""
        return None if self._live is None else self._live.copy()

    def set_live(self, live: np.ndarray | None, paced: bool = False) -> None:
        """Show (or hide, with None) the read-only output and error columns; ``paced`` (a moving run):
        a few times a second, as every change of the table is an event a screen reader hears."""
        self._live_pace.set(live, now=not paced)

    def _show_live(self, live: np.ndarray | None) -> None:
        had = self._live is not None
        if live is not None and len(live) != len(self._rows):
            live = None
        if had != (live is not None):
            first = self._m + 1
            last = first + len(self.LIVE_HEADERS) - 1
            if live is None:
                self.beginRemoveColumns(QModelIndex(), first, last)
                self._live = None
                self.endRemoveColumns()
            else:
                self.beginInsertColumns(QModelIndex(), first, last)
                self._live = live
                self.endInsertColumns()
            return
        if live is not None:
            self._live = live
            self.dataChanged.emit(
                self.index(0, self._m + 1), self.index(len(self._rows) - 1, self.columnCount() - 1),
                [Qt.DisplayRole],
            )

    # -- editing: every change is an undoable command -----------------------------------------------
    def setData(self, index: Index, value, role: int = Qt.EditRole) -> bool:  # noqa: N802
        if role != Qt.EditRole or not index.isValid() or not (self.flags(index) & Qt.ItemIsEditable):
            return False
        r, c = index.row(), index.column()
        is_target = c == self._m
        try:
            v = parse_cell(value, is_target=is_target)
        except DataError as e:
            name = self._column_name(c)
            self.rejected.emit(f"Row {r + 1}, {name}: {e}. The old value {format_number(self._rows[r][c])} is kept.")
            return False
        if v == self._rows[r][c] and repr(v) == repr(self._rows[r][c]):
            return True
        self.undo_stack.push(_SetCells(self, [(r, c, v)], f"edit row {r + 1}, {self._column_name(c)}"))
        return True

    def set_cells(self, cells: list[tuple[int, int, float]], text: str = "paste") -> None:
        """Set several already-validated cells as one undoable step."""
        if cells:
            self.undo_stack.push(_SetCells(self, cells, text))

    def insert_rows(self, row: int, count: int = 1, values: list[list[float]] | None = None) -> None:
        if values is None:
            values = [[0.0] * (self._m + 1) for _ in range(count)]
        self.undo_stack.push(_InsertRows(self, row, values))

    def remove_rows(self, rows: list[int]) -> None:
        rows = sorted(set(r for r in rows if 0 <= r < len(self._rows)))
        if rows:
            self.undo_stack.push(_RemoveRows(self, rows))

    def insert_input_column(self, column: int | None = None) -> None:
        if self._m >= MAX_INPUTS:
            self.rejected.emit(f"A neuron here has at most {MAX_INPUTS} inputs.")
            return
        self.undo_stack.push(_InsertColumn(self, self._m if column is None else column))

    def remove_input_column(self, column: int | None = None) -> None:
        if self._m <= 1:
            self.rejected.emit("The neuron needs at least one input.")
            return
        self.undo_stack.push(_RemoveColumn(self, self._m - 1 if column is None else column))

    def replace_all(self, examples: Examples, text: str = "load examples") -> None:
        self.undo_stack.push(_ReplaceAll(self, examples, text))

    def paste_block(self, top: int, left: int, block: list[list[float]], text: str = "paste") -> None:
        """Set an already-validated block of cells as one undoable step, adding rows (zeros
        elsewhere) when it reaches past the last one. The block must fit left of the live columns."""
        if not block or not block[0]:
            return
        if left + len(block[0]) > self._m + 1:
            raise ValueError("the block reaches past the target column")
        if top + len(block) <= len(self._rows):
            cells = [(top + i, left + j, v) for i, row in enumerate(block) for j, v in enumerate(row)]
            self.undo_stack.push(_SetCells(self, cells, text))
        else:
            self.undo_stack.push(_PasteGrowing(self, top, left, block, text))

    def _column_name(self, c: int) -> str:
        return "y" if c == self._m else self._names[c]

    # -- primitive changes, used only by the commands -----------------------------------------------
    def _apply_cells(self, cells: list[tuple[int, int, float]]) -> None:
        for r, c, v in cells:
            self._rows[r][c] = v
        rows = [r for r, _, _ in cells]
        cols = [c for _, c, _ in cells]
        self.dataChanged.emit(self.index(min(rows), min(cols)), self.index(max(rows), max(cols)))
        self.examples_changed.emit()

    def _reset_to(self, rows: list[list[float]], names: list[str]) -> None:
        self.beginResetModel()
        self._rows = [list(r) for r in rows]
        self._m = len(names)
        self._names = list(names)
        self._live = None
        self.endResetModel()
        self.examples_changed.emit()

    def _state(self) -> tuple[list[list[float]], list[str]]:
        return [list(r) for r in self._rows], list(self._names)

    def _keep(self, command: _TableCommand) -> None:
        """``command`` holds a run now; the oldest holder beyond :data:`MAX_KEPT_RUNS` lets its runs go
        (undoing it then gives the table an untrained run)."""
        if command in self._keepers:
            self._keepers.remove(command)
        self._keepers.append(command)
        while len(self._keepers) > MAX_KEPT_RUNS:
            self._keepers.popleft().forget_runs()

    def _restore(self, run: object, apply: Callable[[], None], undoing: bool) -> None:
        """``apply`` a change back, offering ``run`` as the run that goes with the table it restores."""
        self.restoring, self.undoing = run, undoing
        try:
            apply()
        finally:
            self.restoring, self.undoing = None, False


class _TableCommand(QUndoCommand):
    """A table change that keeps the run of the table before it (and, once undone, the run of the
    table after it), and gives it back on undo (redo)."""

    def __init__(self, model: ExamplesModel, text: str):
        super().__init__(text)
        self.model = model
        self._run_before = model.run_of_table()
        self._run_after: object = None
        self._done = False
        self._note_runs()

    def redo(self) -> None:
        if self._done:
            self.model._restore(self._run_after, self.apply, undoing=False)
        else:
            self._done = True
            self.apply()

    def undo(self) -> None:
        self._run_after = self.model.run_of_table()
        self._note_runs()
        self.model._restore(self._run_before, self.apply_back, undoing=True)

    def _note_runs(self) -> None:
        if any(getattr(run, "iteration", 0) for run in (self._run_before, self._run_after)):
            self.model._keep(self)

    def forget_runs(self) -> None:
        self._run_before = self._run_after = None

    def apply(self) -> None:
        raise NotImplementedError

    def apply_back(self) -> None:
        raise NotImplementedError


def _names_after(names: list[str], insert: int | None = None, remove: int | None = None) -> list[str]:
    """Column names after adding or removing one: default names (x1..xm) stay numbered in order;
    a file's own names are kept, and a new column gets the first free ``x<k>``."""
    m = len(names) + (1 if insert is not None else -1)
    if names == input_names(len(names)):
        return input_names(m)
    if remove is not None:
        return names[:remove] + names[remove + 1 :]
    k = 1
    while f"x{k}" in names:
        k += 1
    return names[:insert] + [f"x{k}"] + names[insert:]


class _SetCells(_TableCommand):
    def __init__(self, model: ExamplesModel, cells: list[tuple[int, int, float]], text: str):
        super().__init__(model, text)
        self.new = cells
        self.old = [(r, c, model.value(r, c)) for r, c, _ in cells]

    def apply(self) -> None:
        self.model._apply_cells(self.new)

    def apply_back(self) -> None:
        self.model._apply_cells(self.old)


class _StateCommand(_TableCommand):
    """A structural change, undone by restoring the whole table (tables here are small enough)."""

    def __init__(self, model: ExamplesModel, text: str):
        super().__init__(model, text)
        self.before = model._state()
        self.after = self.compute(*self.before)

    def compute(self, rows: list[list[float]], names: list[str]) -> tuple[list[list[float]], list[str]]:
        raise NotImplementedError

    def apply(self) -> None:
        self.model._reset_to(*self.after)

    def apply_back(self) -> None:
        self.model._reset_to(*self.before)


class _InsertRows(_StateCommand):
    def __init__(self, model: ExamplesModel, row: int, values: list[list[float]]):
        self.row, self.values = row, values
        super().__init__(model, f"add {len(values)} row{'s' if len(values) != 1 else ''}")

    def compute(self, rows, names):
        return rows[: self.row] + [list(v) for v in self.values] + rows[self.row :], names


class _RemoveRows(_StateCommand):
    def __init__(self, model: ExamplesModel, rows: list[int]):
        self.rows = set(rows)
        super().__init__(model, f"remove {len(rows)} row{'s' if len(rows) != 1 else ''}")

    def compute(self, rows, names):
        return [r for i, r in enumerate(rows) if i not in self.rows], names


class _InsertColumn(_StateCommand):
    def __init__(self, model: ExamplesModel, column: int):
        self.column = column
        super().__init__(model, "add input column")

    def compute(self, rows, names):
        return [r[: self.column] + [0.0] + r[self.column :] for r in rows], _names_after(names, insert=self.column)


class _RemoveColumn(_StateCommand):
    def __init__(self, model: ExamplesModel, column: int):
        self.column = column
        super().__init__(model, f"remove input column {model.names[column]}")

    def compute(self, rows, names):
        return [r[: self.column] + r[self.column + 1 :] for r in rows], _names_after(names, remove=self.column)


class _ReplaceAll(_StateCommand):
    def __init__(self, model: ExamplesModel, examples: Examples, text: str):
        self.examples = examples
        super().__init__(model, text)

    def compute(self, rows, names):
        ex = self.examples
        return [[*map(float, x), float(t)] for x, t in zip(ex.X, ex.y, strict=True)], list(ex.names)


class _PasteGrowing(_StateCommand):
    """A paste reaching past the last row: the new rows are zeros where the block does not cover them."""

    def __init__(self, model: ExamplesModel, top: int, left: int, block: list[list[float]], text: str):
        self.top, self.left, self.block = top, left, block
        super().__init__(model, text)

    def compute(self, rows, names):
        width = len(names) + 1
        rows = [list(r) for r in rows] + [[0.0] * width for _ in range(self.top + len(self.block) - len(rows))]
        for i, values in enumerate(self.block):
            rows[self.top + i][self.left : self.left + len(values)] = values
        return rows, names
