"""The main window: it assembles the panels, the views, the menus and the features around one
:class:`~neuron_gui.session.session.Session`, and does nothing else.

Data flows one way: table model -> validated snapshot -> :class:`Run` -> worker thread -> history ->
:class:`~neuron_gui.core.display_state.DisplayState` (once per frame, in the session) -> views, each at its
own pace (:mod:`..views.pacing`). The window never trains and the worker never touches a widget.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence
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

from ...core.display_state import DisplayState
from ...core.examples import DataError, Examples, format_number, format_query_default
from ...core.sequel import SEQUEL_QUERY, sequel_examples, sequel_settings
from ...core.training import Run, Settings
from ...session.document import Document
from ...session.session import Session
from ..panels.clipboard import TableClipboard
from ..panels.examples_model import ExamplesModel
from ..panels.focus_guard import FocusGuard
from ..panels.key_guard import KeyGuard
from ..panels.panels import ExamplesPanel, QueryPanel, TrainingPanel, show_message
from ..panels.run_texts import RunTexts
from ..panels.training_controls import Steering, TrainingControls
from ..style.icons import app_icon
from ..views.diagram import NetworkDiagram
from ..views.hidden_view import HiddenNeuronsView
from ..views.pacing import FEW_HZ, Pace
from ..views.plots import ErrorPlot, SigmoidPlot, WeightsPlot
from .accessibility import DescribedViews
from .actions import ActionFactory
from .desktop import DesktopParts, install_desktop
from .feeds import FedViews, ViewFeeds
from .file_actions import FileActions
from .insight_views import InsightParts, InsightViews
from .preferences import Preferences


class MainWindow(QMainWindow):
    run_changed = Signal()  # the session's run was replaced (kept for callers that know only the window)
    views_refreshed = Signal()  # the views have been given the state on display (a few times a second at most)

    def __init__(self, examples: Examples | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("neuron-gui")
        self.model = ExamplesModel(examples)
        self._build_views()
        self.session = Session(self.model.snapshot, self.training_panel.settings, self)
        self.model.run_of_table = lambda: self.session.run  # a table change keeps the run it replaces, for undo
        self.actions_factory = ActionFactory(self)
        self._build_actions()
        self._wire()
        # replay, the update written out, the error surface, kept runs
        self.insight = InsightViews(self, InsightParts(
            self.session, self.actions_factory, self.add_dock, self.key_guard, self.menus, self.weights_plot,
            self.error_plot, self.log_check, self.steering.step_action, self.lesson_preset,
            self.sequel_preset))
        self.replay = self.insight.replay
        self._build_hidden_view()
        self.feeds = ViewFeeds(self.session, FedViews(
            self.weights_plot, self.error_plot, self.sigmoid_plot, self.model, self.examples_panel.table,
            self.diagram, self.query_panel, self.run_texts))
        self.session.display_changed.connect(self.views_refreshed)
        self.session.rebuild()
        self.resize(1280, 800)
        self._build_file_support()
        # toolbar, View and Help menus, themes, accessibility
        self.desktop = install_desktop(self, DesktopParts(
            self.session, self.actions_factory, self.menus, self.docks, self.plots_splitter, self.file_actions,
            self.document, self.about_action, self.undo_action, self.redo_action, self.model.undo_stack,
            self.steering,
            DescribedViews(self.weights_plot, self.error_plot, self.sigmoid_plot, self.diagram, self.query_panel,
                           self.log_check, self.examples_panel.table, self.status_label, self.insight.surface.plot,
                           self.insight.contributions, self)))
        self.insight.follow_theme(self.desktop.themes.style_changed)

    def _build_hidden_view(self) -> None:
        """What the hidden neurons learned: a dock among the explaining views, a few times a second while seen."""
        self.hidden_view = HiddenNeuronsView()
        self.hidden_dock = self.add_dock("hiddenNeuronsDock", "Hidden Neurons", self.hidden_view,
                                         Qt.BottomDockWidgetArea)  # (the layout puts it with the other views)
        self.hidden_pace = Pace(self.session, self.hidden_view, self.hidden_view.set_state, hz=FEW_HZ,
                                key=lambda st: st.weights_key)

    def _build_file_support(self) -> None:
        """File menu, copy/paste and preferences (see file_actions.py, clipboard.py, preferences.py)."""
        self.preferences = Preferences(self, self.plots_splitter, self.log_check, self.training_controls)
        self.clipboard = TableClipboard(self.examples_panel, self)
        edit = self.menus["Edit"]
        edit.insertActions(self.add_row_action, [self.clipboard.copy_action, self.clipboard.paste_action])
        edit.insertSeparator(self.add_row_action)
        self.document = Document(self.session, self.model, self.training_panel, self,
                                 self.preferences.add_recent, self.query_panel.input.setText)
        self.file_actions = FileActions(
            self, self.session, self.document, self.preferences, self.actions_factory, self.menus["File"],
            {"weights": self.weights_plot, "error": self.error_plot, "sigmoid": self.sigmoid_plot})

    def lesson_preset(self) -> None:
        """The lesson's table and settings (the table and shape change is one undoable step, like any
        load), and its query."""
        self._preset(Examples.lesson(), Settings(), format_query_default(Examples.lesson().n_inputs), "lesson preset")

    def sequel_preset(self) -> None:
        """The sequel's XOR table, its 3-4-1 network, 60,000 iterations, seed 1, learning rate 1 and its
        query 1, 1, 0 (one undoable step for the table and the shape)."""
        query = ", ".join(format_number(v) for v in SEQUEL_QUERY.tolist())
        self._preset(sequel_examples(), sequel_settings(), query, "sequel preset")

    def _preset(self, examples: Examples, settings: Settings, query: str, description: str) -> None:
        tp, stack = self.training_panel, self.model.undo_stack
        stack.beginMacro(description)
        tp.set_settings(settings.with_(hidden=tp.hidden_layers.sizes))  # the shape below, undoably
        tp.hidden_layers.change_to(settings.hidden)
        self.model.replace_all(examples, description)
        stack.endMacro()
        self.query_panel.input.setText(query)

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

    def _build_actions(self) -> None:
        undo = self.model.undo_stack
        act = self.actions_factory
        self.train_action = act("&Train", "Ctrl+Return", self.train, "Train from the initial weights", "trainAction")
        self.stop_action = act("&Stop", Qt.Key_Escape, self.stop, "Stop training", "stopAction")
        self.steering = Steering(self.session, self.training_controls, act)
        self.undo_action = undo.createUndoAction(self, "&Undo")
        self.undo_action.setObjectName("undoAction")
        self.undo_action.setShortcut(QKeySequence.Undo)
        self.redo_action = undo.createRedoAction(self, "&Redo")
        self.redo_action.setObjectName("redoAction")
        redo_keys = QKeySequence.keyBindings(QKeySequence.Redo) + [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]
        self.redo_action.setShortcuts(list(dict.fromkeys(redo_keys)))  # each key once, whatever the platform's
        self.quit_action = act("&Quit", QKeySequence.Quit, self.close, "Close the window", "quitAction")
        self.add_row_action = act("Add &row", "Ctrl+Shift+=", self.examples_panel._add_row,
                                  "Add an example", "addRowAction")
        self.remove_row_action = act("Remove rows", "Ctrl+Del", self.examples_panel._remove_rows,
                                     "Remove the selected examples", "removeRowAction")
        self.about_action = act("&About", None, self.show_about, "About neuron-gui", "aboutAction")

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
        tp, session = self.training_panel, self.session
        tp.train_requested.connect(self.train)
        tp.stop_requested.connect(self.stop)
        tp.seed.valueChanged.connect(session.settings_changed)
        tp.iterations.valueChanged.connect(session.settings_changed)
        tp.learning_rate.valueChanged.connect(session.set_learning_rate)
        tp.hidden_layers.undo_stack = self.model.undo_stack  # a new shape is undone like a table edit
        tp.hidden_layers.sizes_changed.connect(session.table_changed)  # a new run, like a new table
        self.model.examples_changed.connect(self._table_changed)
        self.query_panel.input.textChanged.connect(session.set_query_text)
        session.set_query_text(self.query_panel.input.text())
        self.log_check.toggled.connect(self.error_plot.set_log_scale)
        session.run_changed.connect(self._run_changed)
        session.restarted.connect(self._restarted)
        session.run_started.connect(self._run_started)
        session.running_changed.connect(self._update_controls)
        session.message_changed.connect(lambda text: show_message(self.training_panel.message, text))
        session.finished.connect(self._on_finished)
        session.failed.connect(self._on_failed)

    # -- the run (all of it is the session's; the window only shows what changed) ----------------------------
    @property
    def controller(self):
        return self.session.controller

    @property
    def run(self) -> Run | None:
        return self.session.run

    @property
    def is_training(self) -> bool:
        return self.session.is_running

    @Slot()
    def _run_changed(self) -> None:
        self._fit_query_to_inputs()
        self.run_changed.emit()

    @Slot()
    def _restarted(self) -> None:
        """A new run, a reset or a restored run: the status bar's old news goes, and every plot follows
        the run again."""
        self.run_texts.forget_finish()
        self.statusBar().clearMessage()
        self.follow_run()

    @Slot()
    def _run_started(self) -> None:
        self.run_texts.forget_finish()  # the run moves on from the state the message described
        self.statusBar().clearMessage()

    @Slot()
    def _table_changed(self) -> None:
        """An edit, an undo or an open changed the table: the session's run follows it. Undo (or redo)
        brings back the run that went with the table it restores; an edit says which run it replaced."""
        session = self.session
        if session.is_running:
            return
        replaced, kept = session.run, self.model.restoring
        if isinstance(kept, Run) and kept is not replaced and self._fits_table(kept):
            session.replace(kept)
            if kept.iteration:
                show_message(self.examples_panel.message,
                             f"The run of {kept.iteration:,} iterations on this table is back.", error=False)
            return
        session.rebuild()
        if replaced is not None and replaced.iteration and session.run is not replaced:
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
                and run.hidden == self.training_panel.hidden_layers.sizes
                and np.array_equal(run.X, examples.X) and np.array_equal(run.y, examples.y))

    def show_run(self, run: Run) -> None:
        """Make ``run`` (one restored from a session) the current run, shown as it is, untrained further."""
        self.session.replace(run)

    @Slot()
    def train(self) -> None:
        """Start a run from the seeded initial weights on a snapshot of the table."""
        self.session.start_new()

    def follow_run(self) -> None:
        """Every plot follows the run again (a new run, or a Reset)."""
        for plot in (self.weights_plot, self.error_plot, self.sigmoid_plot):
            plot.follow_again()

    @Slot()
    def stop(self) -> None:
        self.session.stop()

    @Slot(str)
    def _on_finished(self, _reason: str) -> None:
        self.refresh_views()
        run = self.session.run
        if self.session.last_finish and run is not None:
            self.run_texts.finished(run, self.session.last_finish)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        last = message.strip().splitlines()[-1] if message.strip() else "unknown error"
        show_message(self.training_panel.message, f"Training failed: {last}")
        self.statusBar().showMessage(f"Training failed: {last}")

    @Slot()
    def _update_controls(self) -> None:
        session = self.session
        running = session.is_running
        can_train = session.run is not None and not running
        tp = self.training_panel
        tp.train.setEnabled(can_train)
        self.train_action.setEnabled(can_train)
        tp.stop.setEnabled(running)
        self.stop_action.setEnabled(running)
        for w in (tp.iterations, tp.seed, tp.hidden_layers):
            w.setEnabled(not running)
        self.model.set_locked(running)
        self.undo_action.setEnabled(not running and self.model.undo_stack.canUndo())
        self.redo_action.setEnabled(not running and self.model.undo_stack.canRedo())
        self.model.undo_stack.setActive(not running)
        paused = session.is_paused
        self.examples_panel.set_editable(
            not running,
            "" if not running else "Paused: the table stays locked. Stop or Reset to edit it."
            if paused else "The table is locked while training runs: Stop to edit it.",
        )
        self.steering.update()

    # -- views --------------------------------------------------------------------------------------
    def display_state(self) -> DisplayState | None:
        """The state every view shows (the session's, computed once per change)."""
        return self.session.display_state()

    def current_weights(self) -> np.ndarray | None:
        """The weights on display: those of the iteration chosen on the replay timeline, else the latest
        published state of a live run, else the run's own."""
        state = self.session.display_state()
        return None if state is None else state.weights

    def current_iteration(self) -> int:
        """The iteration of :meth:`current_weights`."""
        state = self.session.display_state()
        return 0 if state is None else state.iteration

    @Slot()
    def refresh_views(self) -> None:
        """Every view shows the current state now, whatever its pace (after a run ends, and for tests)."""
        self.feeds.refresh()
        self.insight.refresh()
        self.views_refreshed.emit()

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
        self.session.shutdown()
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
