"""The main window: wires the examples table, the settings, the plots and the query to the controller.

Data flows one way: table model -> validated snapshot -> :class:`Run` -> worker thread -> progress ->
refresh timer -> views. The window never trains and the worker never touches a widget.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDockWidget,
    QLabel,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.display import Decimator
from ...core.examples import DataError, Examples, format_query_default, parse_query
from ...core.training import Run
from ...session.controller import TrainingController
from ...session.document import Document
from ..panels.clipboard import TableClipboard
from ..panels.examples_model import ExamplesModel
from ..panels.focus_guard import FocusGuard
from ..panels.key_guard import KeyGuard
from ..panels.panels import ExamplesPanel, QueryPanel, TrainingPanel, show_message
from ..panels.run_texts import RunTexts
from ..panels.training_controls import Steering, TrainingControls
from ..style.icons import app_icon
from ..views.diagram import NetworkDiagram
from ..views.plots import ErrorPlot, SigmoidPlot, WeightsPlot
from ..views.replay import DisplayState
from .desktop import install_desktop
from .file_actions import FileActions
from .insight_views import InsightViews
from .preferences import Preferences

REFRESH_MS = 16  # ~60 redraws a second while a run is live; never once per iteration
MAX_PLOT_BUCKETS = 4096  # per curve; beyond it, min/max thinning keeps the extremes


class MainWindow(QMainWindow):
    run_changed = Signal()  # self.run was replaced (a rebuild, or a run restored from a session)
    views_refreshed = Signal()  # refresh_views() has drawn the state on display (up to ~30 times a second)

    def __init__(self, examples: Examples | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("neuron-gui")
        self.model = ExamplesModel(examples)
        self.model.run_of_table = lambda: self.run  # a table change keeps the run it replaces, for undo
        self.controller = TrainingController(self)
        self.run: Run | None = None
        self._drawn: tuple[int, int, int] | None = None  # (id(run), history count, generation)
        self._shown: tuple | None = None  # what the per-state views (sigmoid, table, diagram) show
        self.decimator = Decimator(MAX_PLOT_BUCKETS)

        self._build_views()
        self._build_actions()
        self._wire()
        self.insight = InsightViews(self)  # replay, the update written out, the error surface, kept runs
        self.replay = self.insight.replay
        self._rebuild_run()
        self.resize(1280, 800)
        self._build_file_support()
        self.desktop = install_desktop(self)  # toolbar, View and Help menus, themes, accessibility

    def _build_file_support(self) -> None:
        """File menu, copy/paste and preferences (see file_actions.py, clipboard.py, preferences.py)."""
        self.preferences = Preferences(self)
        self.clipboard = TableClipboard(self.examples_panel, self)
        edit = self.menus["Edit"]
        edit.insertActions(self.add_row_action, [self.clipboard.copy_action, self.clipboard.paste_action])
        edit.insertSeparator(self.add_row_action)
        self.document = Document(self, self.preferences)
        self.file_actions = FileActions(self, self.document, self.preferences)

    # -- construction -------------------------------------------------------------------------------
    def _build_views(self) -> None:
        self.examples_panel = ExamplesPanel(self.model)
        self.training_panel = TrainingPanel()
        self.training_controls = TrainingControls()
        self.training_panel.layout().insertWidget(2, self.training_controls)
        self.diagram = NetworkDiagram()
        self.query_panel = QueryPanel()
        self.weights_plot = WeightsPlot()
        self.error_plot = ErrorPlot()
        self.sigmoid_plot = SigmoidPlot()
        self.log_check = QCheckBox("log scale")
        self.log_check.setObjectName("errorLogScaleCheck")
        self.log_check.setToolTip("Show the error on a logarithmic axis (it falls by orders of magnitude)")
        self.log_check.setChecked(True)
        self.log_check.setFocusPolicy(Qt.TabFocus)  # clicking it must not turn Space into a toggle of it
        self.error_plot.set_log_scale(True)

        error_box = QWidget()
        lay = QVBoxLayout(error_box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.error_plot, 1)
        lay.addWidget(self.log_check, 0, Qt.AlignRight)

        top = QSplitter(Qt.Horizontal)
        top.addWidget(self.weights_plot)
        top.addWidget(error_box)
        self.plots_splitter = QSplitter(Qt.Vertical)
        self.plots_splitter.setObjectName("plotsSplitter")
        self.plots_splitter.addWidget(top)
        self.plots_splitter.addWidget(self.sigmoid_plot)
        self.setCentralWidget(self.plots_splitter)

        self.docks: dict[str, QDockWidget] = {}
        self.key_guard = KeyGuard(self)  # Space and Right never steal keys from the table or a field
        self.installEventFilter(self.key_guard)
        self.focus_guard = FocusGuard(self, self.weights_plot)  # focus never falls into a field on its own
        self.add_dock("examplesDock", "Examples", self.examples_panel, Qt.LeftDockWidgetArea)
        self.add_dock("trainingDock", "Training", self.training_panel, Qt.LeftDockWidgetArea)
        self.add_dock("queryDock", "Query", self.query_panel, Qt.LeftDockWidgetArea)
        self.add_dock("diagramDock", "Network", self.diagram, Qt.LeftDockWidgetArea)
        self.resizeDocks([self.docks["examplesDock"]], [400], Qt.Horizontal)

        self.status_label = QLabel()
        self.status_label.setObjectName("statusLabel")
        self.status_label.setMinimumWidth(420)
        self.status_label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.statusBar().addPermanentWidget(self.status_label)
        self.run_texts = RunTexts(self.training_panel, self.status_label, self.statusBar())

    def add_dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.docks[name] = dock
        dock.installEventFilter(self.key_guard)  # a floated dock is a window of its own
        return dock

    def _action(self, text: str, shortcut, slot, tip: str, name: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        shown = action.shortcut().toString(QKeySequence.NativeText)
        action.setToolTip(f"{tip} ({shown})" if shown else tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        undo = self.model.undo_stack
        self.train_action = self._action("&Train", "Ctrl+Return", self.train, "Train from the initial weights",
                                         "trainAction")
        self.stop_action = self._action("&Stop", Qt.Key_Escape, self.stop, "Stop training", "stopAction")
        self.steering = Steering(self, self.training_controls)
        self.undo_action = undo.createUndoAction(self, "&Undo")
        self.undo_action.setObjectName("undoAction")
        self.undo_action.setShortcut(QKeySequence.Undo)
        self.redo_action = undo.createRedoAction(self, "&Redo")
        self.redo_action.setObjectName("redoAction")
        redo_keys = QKeySequence.keyBindings(QKeySequence.Redo) + [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]
        self.redo_action.setShortcuts(list(dict.fromkeys(redo_keys)))  # each key once, whatever the platform's
        self.quit_action = self._action("&Quit", QKeySequence.Quit, self.close, "Close the window", "quitAction")
        self.add_row_action = self._action("Add &row", "Ctrl+Shift+=", self.examples_panel._add_row,
                                           "Add an example", "addRowAction")
        self.remove_row_action = self._action("Remove rows", "Ctrl+Del", self.examples_panel._remove_rows,
                                              "Remove the selected examples", "removeRowAction")
        self.about_action = self._action("&About", None, self.show_about, "About neuron-gui", "aboutAction")

        bar = self.menuBar()
        self.menus = {name: bar.addMenu(f"&{name}") for name in ("File", "Edit", "Training", "View", "Help")}
        self.menus["File"].addAction(self.quit_action)
        for a in (self.undo_action, self.redo_action, None, self.add_row_action, self.remove_row_action):
            self.menus["Edit"].addSeparator() if a is None else self.menus["Edit"].addAction(a)
        self.menus["Training"].addActions([self.train_action, self.stop_action])
        for a in self.steering.actions():
            self.menus["Training"].addSeparator() if a is None else self.menus["Training"].addAction(a)
        for dock in self.docks.values():
            self.menus["View"].addAction(dock.toggleViewAction())
        self.menus["Help"].addAction(self.about_action)

    def _wire(self) -> None:
        tp = self.training_panel
        tp.train_requested.connect(self.train)
        tp.stop_requested.connect(self.stop)
        tp.seed.valueChanged.connect(self._settings_changed)
        tp.iterations.valueChanged.connect(self._settings_changed)
        tp.learning_rate.valueChanged.connect(self._learning_rate_changed)
        self.model.examples_changed.connect(self._examples_changed)
        self.query_panel.input.textChanged.connect(self.refresh_views)
        self.log_check.toggled.connect(self.error_plot.set_log_scale)
        self.controller.finished.connect(self._on_finished)
        self.controller.failed.connect(self._on_failed)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(REFRESH_MS)
        self.refresh_timer.timeout.connect(self.refresh_views)

    # -- the run ------------------------------------------------------------------------------------
    @property
    def is_training(self) -> bool:
        return self.controller.is_running

    def _rebuild_run(self) -> None:
        """A fresh, untrained run for the current table and seed (or none, with the reason shown)."""
        try:
            examples = self.model.snapshot()
            self.run = Run(examples, self.training_panel.settings())
            reason = ""
        except DataError as e:
            self.run = None
            reason = f"Cannot train: {e}"
        show_message(self.training_panel.message, reason)
        self._fit_query_to_inputs()
        self._update_controls()
        self.refresh_views()
        self.run_changed.emit()

    def show_run(self, run: Run) -> None:
        """Make ``run`` (one restored from a session) the current run, shown as it is, untrained further."""
        self.run = run
        self.run_texts.forget_finish()
        self.follow_run()
        show_message(self.training_panel.message, "")
        self._fit_query_to_inputs()
        self._update_controls()
        self.refresh_views()
        self.run_changed.emit()

    @Slot()
    def _examples_changed(self) -> None:
        if self.is_training:
            return
        replaced, kept = self.run, self.model.restoring
        if isinstance(kept, Run) and kept is not replaced and self._fits_table(kept):
            self.show_run(kept)  # undo (or redo) brings back the run that went with this table
            if kept.iteration:
                show_message(self.examples_panel.message,
                             f"The run of {kept.iteration:,} iterations on this table is back.", error=False)
            return
        self._rebuild_run()
        if replaced is not None and replaced.iteration and self.run is not replaced:
            show_message(self.examples_panel.message,
                         f"The run of {replaced.iteration:,} iterations was trained on the table before this "
                         f"change: {'Redo' if self.model.undoing else 'Undo'} brings it back.", error=False)

    def _fits_table(self, run: Run) -> bool:
        """Whether ``run`` was trained on the table and the seed shown now (an undone edit's run was;
        after a new seed it would contradict the field)."""
        try:
            examples = self.model.snapshot()
        except DataError:
            return False
        return (run.settings.seed == self.training_panel.seed.value() and run.examples.names == examples.names
                and np.array_equal(run.X, examples.X) and np.array_equal(run.y, examples.y))

    @Slot()
    def _settings_changed(self) -> None:
        if self.is_training:
            return
        if self.run is not None and self.run.iteration == 0:
            self._rebuild_run()  # a new seed gives new initial weights, shown at once
        else:
            self._update_controls()

    @Slot(float)
    def _learning_rate_changed(self, value: float) -> None:
        self.controller.set_learning_rate(value)

    @Slot()
    def train(self) -> None:
        """Start a run from the seeded initial weights on a snapshot of the table."""
        self.start_new_run()

    def start_new_run(self, paused: bool = False, steps: int = 0) -> None:
        """A new run from the seeded initial weights on a snapshot of the table; ``paused`` starts it
        paused after exactly ``steps`` iterations (Step on an untrained neuron)."""
        if self.is_training:
            return
        try:
            run = Run(self.model.snapshot(), self.training_panel.settings().validated())
        except DataError as e:
            show_message(self.training_panel.message, f"Cannot train: {e}")
            return
        self.run = run
        self.follow_run()
        self._start(run, paused=paused, steps=steps)

    def follow_run(self) -> None:
        """Every plot follows the run again (a new run, or a Reset)."""
        for plot in (self.weights_plot, self.error_plot, self.sigmoid_plot):
            plot.follow_again()

    def _start(self, run: Run, **kwargs) -> None:
        """Train ``run`` from its current weights (kwargs: paused, steps, elapsed for the controller)."""
        show_message(self.training_panel.message, "")
        self.run_texts.forget_finish()  # the run moves on from the state the message described
        self.statusBar().clearMessage()
        run.learning_rate = self.training_panel.learning_rate.value()  # the rate shown is the rate used
        self.controller.start(run, **kwargs)
        self._update_controls()
        self.refresh_timer.start()

    @Slot()
    def stop(self) -> None:
        self.controller.stop()

    @Slot(str)
    def _on_finished(self, reason: str) -> None:
        self.refresh_timer.stop()
        run = self.run
        if run is not None:
            text = ""
            if reason == "diverged":
                text = (
                    f"Stopped at iteration {run.iteration:,}: the next update would make a weight "
                    "infinite (is the learning rate too large?). The last finite weights are kept."
                )
                show_message(self.training_panel.message, text)
            elif reason == "stopped":
                text = f"Stopped at iteration {run.iteration:,} of {run.target_iterations:,}."
            elif reason == "completed":
                text = f"Trained {run.iteration:,} iterations."
            if text:
                self.run_texts.finished(run, text)
        self._update_controls()
        self.refresh_views()
        self.steering.run_finished()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        last = message.strip().splitlines()[-1] if message.strip() else "unknown error"
        show_message(self.training_panel.message, f"Training failed: {last}")
        self.statusBar().showMessage(f"Training failed: {last}")

    def _update_controls(self) -> None:
        running = self.is_training
        can_train = self.run is not None and not running
        tp = self.training_panel
        tp.train.setEnabled(can_train)
        self.train_action.setEnabled(can_train)
        tp.stop.setEnabled(running)
        self.stop_action.setEnabled(running)
        for w in (tp.iterations, tp.seed):
            w.setEnabled(not running)
        self.model.set_locked(running)
        self.undo_action.setEnabled(not running and self.model.undo_stack.canUndo())
        self.redo_action.setEnabled(not running and self.model.undo_stack.canRedo())
        self.model.undo_stack.setActive(not running)
        paused = self.controller.is_paused
        self.examples_panel.set_editable(
            not running,
            "" if not running else "Paused: the table stays locked. Stop or Reset to edit it."
            if paused else "The table is locked while training runs: Stop to edit it.",
        )
        self.steering.update()

    # -- views --------------------------------------------------------------------------------------
    def current_weights(self) -> np.ndarray | None:
        """The weights on display: those of the iteration chosen on the replay timeline, else the latest
        published state of a live run, else the run's own."""
        state = self.replay.display_state()
        return None if state is None else state.weights

    def current_iteration(self) -> int:
        """The iteration of :meth:`current_weights`."""
        state = self.replay.display_state()
        return 0 if state is None else state.iteration

    @Slot()
    def refresh_views(self) -> None:
        run = self.run
        state = self.replay.display_state()  # computed once, shown by every view
        if run is None or state is None:
            self._show_prediction(None)
            self.run_texts.show(None, 0, math.nan, None, False, False)
            self.model.set_live(None)
            self.diagram.set_state([], np.zeros(0), None, 0)
            self.insight.show_state(None, None)
            self._shown = None
            self.views_refreshed.emit()
            return
        h = run.history
        key = (id(run), h.count, h.generation)
        if key != self._drawn:
            self._drawn = key
            self.weights_plot.set_target(run.target_iterations)
            self.error_plot.set_target(run.target_iterations)
            ws, es = self.decimator.update(h)
            self.weights_plot.set_series(ws, run.examples.names)
            self.error_plot.set_series(es, ["error"])
            self.insight.history_changed(run)
        query = self._query()
        weights = state.weights
        shown = (id(run), state.iteration, state.live, weights.tobytes(), None if query is None else query.tobytes())
        if shown != self._shown:
            self._shown = shown
            self.sigmoid_plot.set_state(run.X, run.y, weights, query)
            outputs = run.outputs(weights)
            self.model.set_live(np.column_stack([outputs, run.y - outputs]),
                                paced=self.is_training and not self.controller.is_paused)
            self.diagram.set_state(run.examples.names, weights, query, state.iteration)
            self.insight.show_state(state, query)
        self._show_prediction(query, state)
        latest = self.controller.latest if self.is_training else None
        iteration = latest.iteration if latest else run.iteration
        error = latest.error if latest else run.history.last_error()
        paused = self.controller.is_paused
        self.run_texts.show(run, iteration, error, latest, paused, moving=self.is_training and not paused)
        self.views_refreshed.emit()

    def _query(self) -> np.ndarray | None:
        if self.run is None:
            return None
        try:
            q = parse_query(self.query_panel.input.text(), self.run.examples.n_inputs)
        except DataError as e:
            show_message(self.query_panel.message, str(e))
            return None
        show_message(self.query_panel.message, "")
        return q

    def _show_prediction(self, query: np.ndarray | None, state: DisplayState | None = None) -> None:
        qp = self.query_panel
        if query is None or state is None or self.run is None:
            qp.prediction.setText("—")
            qp.caption.setText("")
            return
        qp.prediction.setText(f"{self.run.predict(query, state.weights):.8f}")
        it = state.iteration
        text = "untrained: the initial weights" if it == 0 else f"after {it:,} iteration{'s' if it != 1 else ''}"
        qp.caption.setText(text if state.live else f"{text} (replay; the run is at {state.last:,})")

    def _fit_query_to_inputs(self) -> None:
        m = self.model.n_inputs
        field = self.query_panel.input
        if len([p for p in field.text().split(",")]) != m:
            field.setText(format_query_default(m))

    # -- files --------------------------------------------------------------------------------------
    def load(self, path: str | Path) -> None:
        """What File > Open does once a file is chosen: an examples CSV (an undoable table change) or,
        for ``.json``, a session (table, settings, weights, iteration and history). Raises DataError or
        OSError with a message naming the file (and line or field); then nothing has changed."""
        self.document.load(path)

    def save(self, path: str | Path) -> None:
        """What File > Save does: the table as CSV or, for ``.json``, the whole session, written
        atomically. Raises DataError or OSError naming the file; then nothing has changed."""
        self.document.save(path)

    # -- misc ---------------------------------------------------------------------------------------
    def show_about(self) -> None:
        """Help > About: the version of neuron-gui and of everything it runs on (see help.py)."""
        self.desktop.help.show_about()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if not self.file_actions.confirm_close():  # unsaved changes: Save, Discard or Cancel
            event.ignore()
            return
        self.refresh_timer.stop()
        self.controller.shutdown()
        self.insight.shutdown()  # joins the error surface's thread
        self.preferences.save_window()
        self.desktop.themes.release()  # the application's own palette and font back
        QSettings().sync()
        super().closeEvent(event)


def application() -> QApplication:
    app = QApplication.instance() or QApplication([])
    app.setApplicationName("neuron-gui")
    app.setOrganizationName("neuron-gui")
    app.setDesktopFileName("neuron-gui")
    app.setWindowIcon(app_icon())
    return app
