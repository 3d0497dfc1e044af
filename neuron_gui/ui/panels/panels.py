"""The window's side panels: the examples table, the training settings and controls, the query."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.lesson import DEFAULT_ITERATIONS, DEFAULT_LEARNING_RATE, DEFAULT_SEED, MAX_ITERATIONS
from ...core.training import MAX_LEARNING_RATE, Settings
from ..style.plot_style import message_colour
from ..style.speech import announce_message
from .examples_model import ExamplesModel
from .spin_guard import SpinGuard


def message_label(name: str) -> QLabel:
    """A label for a refusal or hint, shown where the user is looking, never a modal dialog."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    label.hide()
    return label


def show_message(label: QLabel, text: str, error: bool = True, heard: bool | None = None) -> None:
    """``text`` under the control, red for a refusal and grey for a hint, in the theme's shade of each
    (the theme manager recolours labels marked ``messageKind`` when the theme changes)."""
    kind = "error" if error else "hint"
    style = f"color: {message_colour(error)};"
    if label.text() == text and label.property("messageKind") == kind and label.styleSheet() == style:
        return  # called on every redraw: an unchanged style sheet must not be re-parsed
    label.setProperty("messageKind", kind)
    label.setStyleSheet(style)
    changed = text != label.text()
    label.setText(text)
    label.setVisible(bool(text))
    if changed and (error if heard is None else heard):
        announce_message(label)  # a refusal is heard too, not only seen (a hint only when ``heard``)


class ExamplesPanel(QWidget):
    def __init__(self, model: ExamplesModel, parent=None):
        super().__init__(parent)
        self.model = model
        self.table = QTableView()
        self.table.setObjectName("examplesTable")
        self.table.setModel(model)
        self.table.setAccessibleName("Training examples")
        self.table.setAccessibleDescription("One row per example: inputs x1 to xm, then the target y")
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed | QAbstractItemView.AnyKeyPressed
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        # Tab leaves the table for the next control (arrows move between cells; while editing a cell,
        # Tab still commits it and edits the next one): a keyboard user is never held in the table.
        self.table.setTabKeyNavigation(False)
        self._size_rows()

        self.add_row = self._button("addRowButton", "+ row", "Add an example (Ctrl+Shift+=)")
        self.remove_row = self._button("removeRowButton", "− row", "Remove the selected examples (Ctrl+Del)")
        self.add_column = self._button("addColumnButton", "+ input", "Add an input column")
        self.remove_column = self._button("removeColumnButton", "− input", "Remove the last input column")
        buttons = QHBoxLayout()
        for b in (self.add_row, self.remove_row, self.add_column, self.remove_column):
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.message = message_label("examplesMessage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

        self.add_row.clicked.connect(self._add_row)
        self.remove_row.clicked.connect(self._remove_rows)
        self.add_column.clicked.connect(lambda: model.insert_input_column())
        self.remove_column.clicked.connect(lambda: model.remove_input_column())
        model.rejected.connect(lambda text: show_message(self.message, text))
        model.columnsInserted.connect(self._size_columns)
        model.modelReset.connect(self._size_columns)
        model.examples_changed.connect(lambda: show_message(self.message, ""))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.FontChange:  # presentation mode: taller rows, wider live columns
            self._size_rows()
            self._size_columns()
        super().changeEvent(event)

    def _size_rows(self) -> None:
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)

    def _size_columns(self, *_) -> None:
        """Data columns share the width; the live columns keep a fixed width that fits their values
        (ResizeToContents would re-measure every row on every redraw)."""
        header = self.table.horizontalHeader()
        fm = self.table.fontMetrics()
        live_width = max(fm.horizontalAdvance("-0.00000"), fm.horizontalAdvance("output")) + 14
        for c in range(self.model.columnCount()):
            if self.model.is_live_column(c):
                header.setSectionResizeMode(c, QHeaderView.Fixed)
                header.resizeSection(c, live_width)
            else:
                header.setSectionResizeMode(c, QHeaderView.Stretch)

    def _button(self, name: str, text: str, tip: str) -> QToolButton:
        b = QToolButton()
        b.setObjectName(name)
        b.setText(text)
        b.setToolTip(tip)
        b.setAccessibleName(tip.split(" (")[0])
        return b

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.table.selectionModel().selectedIndexes()})

    def _add_row(self) -> None:
        rows = self.selected_rows()
        self.model.insert_rows(rows[-1] + 1 if rows else self.model.n_examples)

    def _remove_rows(self) -> None:
        rows = self.selected_rows()
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        if not rows:
            show_message(self.message, "Select the rows to remove first.", error=False, heard=True)
            return
        self.model.remove_rows(rows)

    def set_editable(self, editable: bool, reason: str = "") -> None:
        for b in (self.add_row, self.remove_row, self.add_column, self.remove_column):
            b.setEnabled(editable)
        if not editable:
            self.table.closePersistentEditor(self.table.currentIndex())
        show_message(self.message, reason, error=False)


class TrainingPanel(QWidget):
    train_requested = Signal()
    stop_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.iterations = QSpinBox()
        self.iterations.setObjectName("iterationsSpin")
        self.iterations.setRange(1, MAX_ITERATIONS)
        self.iterations.setValue(DEFAULT_ITERATIONS)
        self.iterations.setGroupSeparatorShown(True)
        self.iterations.setSingleStep(1000)
        self.iterations.setToolTip("How many full-batch updates (epochs) to train for")
        self.iterations.setAccessibleName("Iterations")

        self.seed = QSpinBox()
        self.seed.setObjectName("seedSpin")
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(DEFAULT_SEED)
        self.seed.setToolTip("Random seed for the initial weights: np.random.seed(seed); 2*random((m,1))-1")
        self.seed.setAccessibleName("Random seed")

        self.learning_rate = QDoubleSpinBox()
        self.learning_rate.setObjectName("learningRateSpin")
        self.learning_rate.setDecimals(4)
        self.learning_rate.setRange(0.0001, MAX_LEARNING_RATE)
        self.learning_rate.setValue(DEFAULT_LEARNING_RATE)
        self.learning_rate.setSingleStep(0.1)
        self.learning_rate.setToolTip("Scales each adjustment; 1.0 is the lesson's rule exactly")
        self.learning_rate.setAccessibleName("Learning rate")
        self.learning_rate.setKeyboardTracking(False)  # a live run gets 2.5, not 2 and then 2.5 as it is typed
        self.guards = [
            SpinGuard(spin, name, self.show_setting_message)
            for spin, name in ((self.iterations, "Iterations"), (self.seed, "Seed"),
                               (self.learning_rate, "Learning rate"))
        ]

        self.train = QPushButton("Train")
        self.train.setObjectName("trainButton")
        self.train.setToolTip("Train from the initial weights (Ctrl+Return)")
        self.stop = QPushButton("Stop")
        self.stop.setObjectName("stopButton")
        self.stop.setToolTip("Stop training, keeping the weights reached (Esc)")
        self.stop.setEnabled(False)
        for b in (self.train, self.stop):  # a click must not take the keyboard (Space, Right) elsewhere
            b.setFocusPolicy(Qt.TabFocus)
        self.progress = QProgressBar()
        self.progress.setObjectName("trainingProgress")
        self.progress.setAccessibleName("Training progress")
        self.progress.setTextVisible(True)
        self._progress_shown: tuple[int, int] | None = None
        self.show_progress(0, DEFAULT_ITERATIONS)

        form = QFormLayout()
        form.addRow("&Iterations", self.iterations)
        form.addRow("&Seed", self.seed)
        form.addRow("&Learning rate", self.learning_rate)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.train)
        self.buttons.addWidget(self.stop)
        self.settings_message = message_label("settingsMessage")  # a refused setting, by the settings
        self.message = message_label("trainingMessage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(form)
        layout.addWidget(self.settings_message)
        layout.addLayout(self.buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.train.clicked.connect(self.train_requested)
        self.stop.clicked.connect(self.stop_requested)

    def show_progress(self, iteration: int, target: int) -> None:
        """The bar and its text at ``iteration`` of ``target``, always together (the caller paces it:
        ``setValue`` repaints at once; see run_texts.py)."""
        value = min(iteration, target)
        if (value, target) == self._progress_shown:
            return
        self._progress_shown = (value, target)
        if self.progress.maximum() != target:
            self.progress.setRange(0, target)
        self.progress.setFormat(f"{value:,} of {target:,} iterations")
        self.progress.setValue(value)

    def show_setting_message(self, text: str) -> None:
        show_message(self.settings_message, text)

    def settings(self) -> Settings:
        return Settings(
            iterations=self.iterations.value(),
            seed=self.seed.value(),
            learning_rate=self.learning_rate.value(),
        )

    def set_settings(self, settings: Settings) -> None:
        self.iterations.setValue(settings.iterations)
        self.seed.setValue(settings.seed)
        self.learning_rate.setValue(settings.learning_rate)


class QueryPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.input = QLineEdit("1, 0, 0")
        self.input.setObjectName("queryInput")
        self.input.setToolTip("Comma-separated inputs to ask the neuron about, e.g. 1, 0, 0")
        self.input.setAccessibleName("Query inputs")
        self.prediction = QLabel("—")
        self.prediction.setObjectName("predictionLabel")
        self.prediction.setAccessibleName("Prediction")
        self.prediction.setTextInteractionFlags(Qt.TextSelectableByMouse)
        f = self.prediction.font()
        f.setPointSizeF(f.pointSizeF() * 1.6)
        f.setBold(True)
        self.prediction.setFont(f)
        self.prediction.setProperty("fontScale", 1.6)  # kept 1.6 times the text size as that changes
        self.caption = QLabel()
        self.caption.setObjectName("predictionCaption")
        self.caption.setWordWrap(True)
        self.message = message_label("queryMessage")
        form = QFormLayout()
        form.addRow("&Inputs", self.input)
        form.addRow("Prediction", self.prediction)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(form)
        layout.addWidget(self.caption)
        layout.addWidget(self.message)
        layout.addStretch(1)
