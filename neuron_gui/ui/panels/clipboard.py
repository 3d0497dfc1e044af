"""Copy and paste blocks of cells between the examples table and a spreadsheet, as tab-separated text.

A paste is all or nothing and one undoable step: the whole block is checked with the same rules as a
typed cell (:func:`core.examples.parse_cell`) before anything changes, and a ragged or non-numeric
block is refused with a message naming the line or the table cell, the table left as it was. A block
reaching past the last row adds rows; one reaching past the target column is refused (add inputs
first). A single copied value pasted over a larger selection fills every selected cell.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence

from ...core.examples import DataError, parse_cell
from ...core.files import format_number
from .examples_model import ExamplesModel
from .panels import ExamplesPanel

MAX_PASTE_ROWS = 1_000_000  # a table, not a data set: beyond this a paste is surely a mistake


def format_block(values: list[list[float]]) -> str:
    """Cells as a spreadsheet expects them: tabs between cells, a newline between rows; every value
    with the shortest text that reads back exactly."""
    return "\n".join("\t".join(format_number(v) for v in row) for row in values)


def split_block(text: str) -> list[list[str]]:
    """The pasted text as rows of cell texts; raises :class:`DataError` unless it is a rectangle."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # spreadsheets end the last row with a newline too
    if not any(line.strip() for line in lines):
        raise DataError("The clipboard holds no cells to paste.")
    rows = [line.split("\t") for line in lines]
    width = len(rows[0])
    for i, row in enumerate(rows[1:], start=2):
        if len(row) != width:
            raise DataError(
                f"Line {i} of the pasted text has {len(row)} cell{'s' if len(row) != 1 else ''}, line 1 has "
                f"{width}: paste a rectangular block of cells. Nothing was pasted."
            )
    return rows


def parse_block(model: ExamplesModel, top: int, left: int, rows: list[list[str]]) -> list[list[float]]:
    """The block's values where it would land at (``top``, ``left``); raises :class:`DataError`
    naming the table cell of the first value that cannot be used, or the reason the block does not fit."""
    m = model.n_inputs
    width = len(rows[0])
    if model.is_live_column(left):
        raise DataError("The output and error columns are read-only: paste into the inputs or y. Nothing was pasted.")
    if left + width > m + 1:
        names = [*model.names, "y"][left:]
        raise DataError(
            f"The pasted block is {width} columns wide, but from {names[0]} the table has only {len(names)} "
            f"({', '.join(names)}): add input columns first. Nothing was pasted."
        )
    if top + len(rows) > MAX_PASTE_ROWS:
        raise DataError(f"The pasted block would make more than {MAX_PASTE_ROWS:,} rows. Nothing was pasted.")
    column_names = [*model.names, "y"]
    values = []
    for i, row in enumerate(rows):
        out = []
        for j, text in enumerate(row):
            c = left + j
            try:
                out.append(parse_cell(text, is_target=c == m))
            except DataError as e:
                raise DataError(f"Row {top + i + 1}, {column_names[c]}: {e}. Nothing was pasted.") from None
        values.append(out)
    return values


class TableClipboard(QObject):
    """Edit > Copy and Edit > Paste for the examples table (Ctrl+C / Ctrl+V while it has the focus)."""

    def __init__(self, panel: ExamplesPanel, parent: QObject | None = None):
        super().__init__(parent)
        self.panel = panel
        self.table = panel.table
        self.model: ExamplesModel = panel.model
        self.copy_action = self._action(
            "&Copy", QKeySequence.Copy, self.copy, "Copy the selected cells as tab-separated text", "copyAction"
        )
        self.paste_action = self._action(
            "&Paste", QKeySequence.Paste, self.paste,
            "Paste tab-separated cells (e.g. from a spreadsheet) at the selected cell", "pasteAction",
        )

    def _action(self, text: str, key: QKeySequence.StandardKey, slot, tip: str, name: str) -> QAction:
        action = QAction(text, self.panel)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(key))
        # only while the table's panel has the focus: elsewhere Ctrl+C/V belong to that widget
        action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        action.setToolTip(f"{tip} ({action.shortcut().toString(QKeySequence.NativeText)})")
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.panel.addAction(action)
        return action

    # -- copy ---------------------------------------------------------------------------------------
    def selected_block(self) -> tuple[int, int, int, int] | None:
        """(top, left, bottom, right) around the selected cells (or the current cell), or None."""
        indexes = self.table.selectionModel().selectedIndexes()
        if not indexes and self.table.currentIndex().isValid():
            indexes = [self.table.currentIndex()]
        if not indexes:
            return None
        rows = [i.row() for i in indexes]
        cols = [i.column() for i in indexes]
        return min(rows), min(cols), max(rows), max(cols)

    def copy(self) -> str | None:
        """Put the selected block on the clipboard; return its text (None when nothing is selected)."""
        block = self.selected_block()
        if block is None:
            self._refuse("Select the cells to copy first.")
            return None
        top, left, bottom, right = block
        text = format_block(
            [[self.model.number(r, c) for c in range(left, right + 1)] for r in range(top, bottom + 1)]
        )
        QGuiApplication.clipboard().setText(text)
        return text

    # -- paste --------------------------------------------------------------------------------------
    def paste(self) -> bool:
        return self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> bool:
        """Paste ``text`` at the selected cell as one undoable step; False (with the reason shown
        under the table, nothing changed) when it cannot be used."""
        if self.model.locked:
            self._refuse("The table is locked while training runs: Stop to paste.")
            return False
        block = self.selected_block()
        if block is None and self.model.n_examples:
            self._refuse("Click the cell where the pasted block should start, then paste.")
            return False
        top, left, bottom, right = block or (0, 0, 0, 0)
        try:
            rows = split_block(text)
            if len(rows) == 1 and len(rows[0]) == 1 and (bottom > top or right > left):
                return self._fill(top, left, bottom, right, rows[0][0])
            values = parse_block(self.model, top, left, rows)
        except DataError as e:
            self._refuse(str(e))
            return False
        self.model.paste_block(top, left, values, f"paste {len(values)} × {len(values[0])} cells")
        self._select(top, left, top + len(values) - 1, left + len(values[0]) - 1)
        return True

    def _fill(self, top: int, left: int, bottom: int, right: int, text: str) -> bool:
        """One value over a larger selection: every selected cell gets it."""
        selected = self.table.selectionModel().selectedIndexes()
        cells = []
        for index in selected or [self.model.index(top, left)]:
            r, c = index.row(), index.column()
            values = parse_block(self.model, r, c, [[text]])
            cells.append((r, c, values[0][0]))
        self.model.set_cells(cells, f"paste into {len(cells)} cells")
        return True

    def _select(self, top: int, left: int, bottom: int, right: int) -> None:
        selection_model = self.table.selectionModel()
        selection_model.setCurrentIndex(self.model.index(top, left), QItemSelectionModel.NoUpdate)
        selection_model.select(
            QItemSelection(self.model.index(top, left), self.model.index(bottom, right)),
            QItemSelectionModel.ClearAndSelect,
        )

    def _refuse(self, text: str) -> None:
        self.model.rejected.emit(text)
