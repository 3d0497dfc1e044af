"""Run comparison: finished runs kept, listed, and drawn faintly under the current one.

Keeping a run copies its thinned weights and error series (a few thousand points, whatever the run's
length) and its settings; the run itself is let go. Each kept run is drawn on the Weights and Error plots
in the weights' own colours, faint, with a dash pattern of its own and a legend entry, so runs with
different seeds or learning rates on the same data can be told apart at a glance. The list shows each
one's seed, learning rate, iterations, final error and data; a run can be shown or hidden (checkbox),
renamed (edit its name) and removed (Delete).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from itertools import count

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.display import Decimator
from ...core.examples import Examples
from ...core.history import Series
from ...core.training import Run
from ..style.math_text import number
from ..style.plot_style import PlotStyle, current_style
from .plots import ErrorPlot, WeightsPlot

Index = QModelIndex | QPersistentModelIndex
KEPT_DASHES = ([6, 4], [1.5, 3], [8, 3, 2, 3], [3, 3], [10, 3, 2, 3, 2, 3], [2, 6])  # one pattern per kept run
OVERLAY_ALPHA = 110
KEPT_BUCKETS = 1024
COLUMNS = ("Run", "Seed", "η", "Iterations", "Final error", "Data")


@dataclass
class KeptRun:
    """A finished run, as far as comparing it needs: its settings and its thinned curves."""

    number: int
    name: str
    seed: int
    rates: tuple[tuple[int, float], ...]
    iterations: int
    final_error: float
    data: str
    data_tip: str
    names: list[str]
    weights: Series
    errors: Series
    dashes: list[float] = field(default_factory=list)
    shown: bool = True

    @property
    def rate_text(self) -> str:
        rates = [r for _, r in self.rates] or [1.0]
        return " → ".join(f"{r:g}" for r in rates)


def describe_data(examples: Examples) -> tuple[str, str, str]:
    """A short name for the table (the lesson's is "lesson"), a fingerprint and a tooltip with its rows."""
    digest = hashlib.sha1(examples.X.tobytes() + examples.y.tobytes() + ",".join(examples.names).encode())
    lesson = Examples.lesson()
    is_lesson = (examples.X.shape == lesson.X.shape and np.array_equal(examples.X, lesson.X)
                 and np.array_equal(examples.y, lesson.y))
    n, m = examples.X.shape
    shape = f"{n:,} × {m}"
    rows = [", ".join(f"{v:g}" for v in (*x, t)) for x, t in zip(examples.X[:8], examples.y[:8], strict=True)]
    tip = f"{', '.join(examples.names)}, y\n" + "\n".join(rows) + ("\n…" if n > 8 else "")
    return ("lesson" if is_lesson else shape), digest.hexdigest(), tip


class KeptRunsModel(QAbstractTableModel):
    changed = Signal()  # a run was added, removed, renamed, shown or hidden

    def __init__(self, parent=None):
        super().__init__(parent)
        self.runs: list[KeptRun] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.runs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section]
        if orientation == Qt.Horizontal and role == Qt.ToolTipRole:
            return ("Name (double-click to rename); the box shows or hides it on the plots", "Random seed",
                    "Learning rate (→: changed during the run)", "Iterations trained",
                    "Mean squared error at the end", "The examples it was trained on")[section]
        return None

    def data(self, index: Index, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        run, c = self.runs[index.row()], index.column()
        if role in (Qt.DisplayRole, Qt.EditRole):
            return (run.name, str(run.seed), run.rate_text, f"{run.iterations:,}", number(run.final_error, 4),
                    run.data)[c]
        if role == Qt.CheckStateRole and c == 0:
            return Qt.Checked if run.shown else Qt.Unchecked
        if role == Qt.DecorationRole and c == 0:
            return dash_icon(run.dashes)
        if role == Qt.ToolTipRole:
            if c == 5:
                return run.data_tip
            if c == 4:
                return repr(run.final_error)
            return f"{run.name}: seed {run.seed}, learning rate {run.rate_text}, {run.iterations:,} iterations"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        if index.isValid() and index.column() == 0:
            return base | Qt.ItemIsEditable | Qt.ItemIsUserCheckable
        return base

    def setData(self, index: Index, value, role: int = Qt.EditRole) -> bool:  # noqa: N802 (Qt API)
        if not index.isValid() or index.column() != 0:
            return False
        run = self.runs[index.row()]
        if role == Qt.CheckStateRole:
            run.shown = Qt.CheckState(value) == Qt.Checked
        elif role == Qt.EditRole:
            name = str(value).strip()
            if not name:
                return False  # an empty name is refused; the old one stays
            run.name = name
        else:
            return False
        self.dataChanged.emit(index, index)
        self.changed.emit()
        return True

    def add(self, run: KeptRun) -> None:
        row = len(self.runs)
        self.beginInsertRows(QModelIndex(), row, row)
        self.runs.append(run)
        self.endInsertRows()
        self.changed.emit()

    def remove(self, rows: list[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self.runs):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.runs[row]
                self.endRemoveRows()
        self.changed.emit()


def dash_icon(dashes: list[float]) -> QIcon:
    """A short sample of a kept run's line, as in the plots' legends."""
    pixmap = QPixmap(28, 12)
    pixmap.fill(Qt.transparent)
    p = QPainter(pixmap)
    pen = pg.mkPen(current_style().muted, width=2)
    pen.setDashPattern(dashes)
    p.setPen(pen)
    p.drawLine(1, 6, 27, 6)
    p.end()
    return QIcon(pixmap)


class RunOverlays:
    """The kept runs' faint curves on the weights and error plots: items created once per kept run."""

    def __init__(self, weights_plot: WeightsPlot, error_plot: ErrorPlot):
        self.weights_plot, self.error_plot = weights_plot, error_plot
        self.items: dict[int, tuple[list[pg.PlotDataItem], pg.PlotDataItem, pg.PlotDataItem]] = {}

    def sync(self, runs: list[KeptRun]) -> None:
        wanted = {r.number: r for r in runs}
        for key in [k for k in self.items if k not in wanted]:
            self._remove(key)
        for run in runs:
            if run.number not in self.items:
                self._add(run)
            curves, error, sample = self.items[run.number]
            for item in (*curves, error):
                item.setVisible(run.shown)
            for plot, legend_item in ((self.weights_plot, sample), (self.error_plot, error)):
                plot.legend.removeItem(legend_item)
                if run.shown:
                    plot.legend.addItem(legend_item, f"{run.name} (kept)")

    def _pen(self, colour: str, dashes: list[float]):
        c = QColor(colour)
        c.setAlpha(OVERLAY_ALPHA)
        pen = current_style().pen(c, width=1.5)
        pen.setDashPattern(dashes)
        return pen

    def apply_style(self, style: PlotStyle, runs: list[KeptRun]) -> None:
        """A new theme: each kept curve in its weight's colour there (the error's in the muted one)."""
        for run in runs:
            if run.number in self.items:
                curves, error, sample = self.items[run.number]
                for j, item in enumerate(curves):
                    item.setPen(self._pen(style.series_colour(j), run.dashes))
                for item in (error, sample):
                    item.setPen(self._pen(style.muted, run.dashes))

    def _add(self, run: KeptRun) -> None:
        curves = []
        for j in range(run.weights.y.shape[1]):
            item = pg.PlotDataItem(run.weights.x, run.weights.y[:, j],
                                   pen=self._pen(current_style().series_colour(j), run.dashes))
            item.setZValue(-5)
            self.weights_plot.addItem(item)
            item.setClipToView(True)  # (only once in a view box)
            curves.append(item)
        errors = np.maximum(run.errors.y[:, 0], ErrorPlot.y_floor)
        error = pg.PlotDataItem(run.errors.x, errors, pen=self._pen(current_style().muted, run.dashes))
        error.setZValue(-5)
        self.error_plot.addItem(error)
        error.setClipToView(True)
        sample = pg.PlotDataItem([], [], pen=self._pen(current_style().muted, run.dashes))  # its legend line only
        self.items[run.number] = (curves, error, sample)

    def _remove(self, key: int) -> None:
        curves, error, sample = self.items.pop(key)
        for item in curves:
            self.weights_plot.removeItem(item)
        self.weights_plot.legend.removeItem(sample)
        self.error_plot.legend.removeItem(error)
        self.error_plot.removeItem(error)


class _RoomyDelegate(QStyledItemDelegate):
    """Cells measured with room to spare: "6.461×10⁻⁵" draws its superscripts from a fallback font that
    the measure underestimates, and ResizeToContents then elided it to "6.461×1…"."""

    def sizeHint(self, option, index):  # noqa: N802 (Qt API)
        hint = super().sizeHint(option, index)
        return QSize(hint.width() + option.fontMetrics.horizontalAdvance("00"), hint.height())


class RunsPanel(QWidget):
    """The list of kept runs, Keep and Remove; :attr:`model` holds them and the overlays follow it."""

    keep_requested = Signal()

    def __init__(self, weights_plot: WeightsPlot, error_plot: ErrorPlot, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("runsPanel")
        self.setAccessibleName("Kept runs")
        self._numbers = count(1)
        self._tables: dict[str, str] = {}  # fingerprint of a table -> its letter
        self.model = KeptRunsModel(self)
        self.overlays = RunOverlays(weights_plot, error_plot)
        self.model.changed.connect(lambda: self.overlays.sync(self.model.runs))
        self.caption = QLabel("Keep a finished run to compare the next ones with it: kept runs are drawn "
                              "faintly on the Weights and Error plots, each with its own dashes.")
        self.caption.setWordWrap(True)
        self.caption.setObjectName("runsCaption")
        self.keep = QPushButton("Keep run")
        self.keep.setObjectName("keepRunButton")
        self.keep.setFocusPolicy(Qt.TabFocus)
        self.remove = QPushButton("Remove")
        self.remove.setObjectName("removeRunButton")
        self.remove.setToolTip("Remove the selected kept runs (Delete)")
        self.remove.setFocusPolicy(Qt.TabFocus)
        self.table = QTableView()
        self.table.setObjectName("keptRunsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)  # every number whole (fitted on each change) ...
        header.setStretchLastSection(True)  # ... and the spare width to the data's description, not the name
        self.table.setItemDelegate(_RoomyDelegate(self.table))
        self.model.changed.connect(self._fit_columns)
        self.model.modelReset.connect(self._fit_columns)
        self.model.rowsInserted.connect(self._fit_columns)
        self.model.dataChanged.connect(self._fit_columns)
        self.table.setAccessibleName("Kept runs")
        self.delete_action = QAction("Remove kept run", self.table)
        self.delete_action.setObjectName("removeKeptRunAction")
        self.delete_action.setShortcut(QKeySequence.Delete)
        self.delete_action.setShortcutContext(Qt.WidgetShortcut)
        self.delete_action.triggered.connect(self.remove_selected)
        self.table.addAction(self.delete_action)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.caption)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.keep.clicked.connect(self.keep_requested)
        self.remove.clicked.connect(self.remove_selected)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._selection_changed()

    def _fit_columns(self, *_) -> None:
        self.table.resizeColumnsToContents()

    def apply_style(self, style: PlotStyle) -> None:
        self.overlays.apply_style(style, self.model.runs)
        self._fit_columns()

    def keep_run(self, run: Run) -> KeptRun:
        """Copy what comparing needs of ``run`` (its curves thinned to a few thousand points)."""
        n = next(self._numbers)
        weights, errors = Decimator(KEPT_BUCKETS).update(run.history)
        data, digest, tip = describe_data(run.examples)
        if data != "lesson":  # tables told apart by a letter, so runs on the same data read as such
            letter = self._tables.setdefault(digest, chr(ord("A") + len(self._tables) % 26))
            data = f"table {letter} ({data})"
        kept = KeptRun(
            number=n, name=f"Run {n}", seed=run.settings.seed, rates=tuple(run.history.learning_rates),
            iterations=run.iteration, final_error=run.history.last_error(), data=data, data_tip=tip,
            names=list(run.examples.names), weights=weights, errors=errors,
            dashes=KEPT_DASHES[(n - 1) % len(KEPT_DASHES)],
        )
        self.model.add(kept)
        return kept

    def remove_selected(self, *_) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        self.model.remove(rows)

    def _selection_changed(self, *_) -> None:
        self.remove.setEnabled(bool(self.table.selectionModel().selectedRows()) or self.table.currentIndex().isValid())
