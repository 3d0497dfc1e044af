"""The insight views, wired into the window: replay (the timeline and the cursors on the plots), the update
written out, why this prediction, the error surface, kept runs, and the lesson preset.

The window computes one :class:`~.replay.DisplayState` per redraw and hands it here (:meth:`show_state`);
every view shows that same state, so they agree exactly. A view hidden behind another tab is brought up
to date when it is shown, not at every redraw.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QToolBar, QWidget

from ...core.examples import Examples, format_query_default
from ...core.training import Run, Settings
from ..style.plot_style import PlotStyle, current_style
from ..views.contributions import ContributionsPanel
from ..views.error_surface import ErrorSurfaceView
from ..views.iteration_cursor import IterationCursor
from ..views.replay import DisplayState, Replay
from ..views.runs_panel import RunsPanel
from ..views.update_panel import UpdatePanel

if TYPE_CHECKING:
    from .main_window import MainWindow

INSIGHT_DOCK_WIDTH = 390


class InsightViews(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.replay = Replay(window)
        self.weights_cursor = IterationCursor(window.weights_plot)
        self.error_cursor = IterationCursor(window.error_plot, log_y=lambda: window.error_plot.log_scale)
        for cursor in (self.weights_cursor, self.error_cursor):
            cursor.moved.connect(self._cursor_moved)
        window.log_check.toggled.connect(self._log_scale_toggled)
        self.update_panel = UpdatePanel()
        self.contributions = ContributionsPanel()
        self.surface = ErrorSurfaceView()
        self.runs = RunsPanel(window.weights_plot, window.error_plot)
        self._state: DisplayState | None = None
        self._query: np.ndarray | None = None
        self._stale: set[QObject] = set()  # views off screen, to bring up to date when they are shown
        self._kept: set[tuple] = set()
        self._build_docks()
        self._build_actions()
        # A dock behind another tab stays "visible" to Qt (isVisible); its visibilityChanged signal says
        # whether it can be seen, and a view being painted certainly can.
        self._on_screen: dict[QObject, bool] = {}
        # (A container covered by its children is never painted itself: a label of each view stands for it.)
        self._painted_by: dict[QObject, QWidget] = {}
        for dock, view, probe in ((self.update_dock, self.update_panel, self.update_panel.title),
                                  (self.contributions_dock, self.contributions, self.contributions.equation),
                                  (self.surface_dock, self.surface, self.surface.caption)):
            dock.visibilityChanged.connect(partial(self._visibility_changed, view))
            self._painted_by[probe] = view
            probe.installEventFilter(self)
        window.steering.step_action.triggered.connect(self.replay.go_live)  # Step: watch the run move on
        QTimer.singleShot(0, self._follow_theme)  # once the window's theme manager exists
        window.controller.started.connect(self.update_actions)
        window.controller.finished.connect(self.update_actions)
        window.run_changed.connect(self.update_actions)

    # -- construction -------------------------------------------------------------------------------------
    def _build_docks(self) -> None:
        w = self.window
        right = Qt.RightDockWidgetArea
        self.update_dock = w.add_dock("updateDock", "The Update, Written Out", self.update_panel, right)
        self.surface_dock = w.add_dock("errorSurfaceDock", "Error Surface", self.surface, right)
        self.contributions_dock = w.add_dock("contributionsDock", "Why This Prediction", self.contributions, right)
        self.runs_dock = w.add_dock("runsDock", "Kept Runs", self.runs, right)
        # the timeline is a transport bar along the bottom, like a media player's: a toolbar, not a dock,
        # so that no arrangement of the docks can hide it behind a tab
        self.replay_toolbar = QToolBar("Replay", w)
        self.replay_toolbar.setObjectName("replayToolBar")
        self.replay_toolbar.setMovable(False)
        self.replay_toolbar.addWidget(self.replay.bar)
        self.replay_toolbar.toggleViewAction().setToolTip("Show or hide the replay timeline")
        w.addToolBar(Qt.BottomToolBarArea, self.replay_toolbar)
        self.replay_toolbar.installEventFilter(w.key_guard)
        w.splitDockWidget(self.update_dock, self.surface_dock, Qt.Vertical)
        w.tabifyDockWidget(self.update_dock, self.contributions_dock)
        w.tabifyDockWidget(self.surface_dock, self.runs_dock)
        self.update_dock.raise_()
        self.surface_dock.raise_()
        w.resizeDocks([self.update_dock], [INSIGHT_DOCK_WIDTH], Qt.Horizontal)

    def _build_actions(self) -> None:
        w = self.window
        self.keep_action = w._action("&Keep Run", "Ctrl+K", self.keep_run,
                                     "Keep this run, drawn faintly, to compare the next ones with it", "keepRunAction")
        self.lesson_action = w._action(
            "&Lesson Preset", None, self.lesson_preset,
            "The lesson's exact table (4 examples, 3 inputs), 10,000 iterations, seed 1, learning rate 1 and "
            "the query 1, 0, 0", "lessonPresetAction")
        self.runs.keep.setToolTip(self.keep_action.toolTip())
        self.runs.keep_requested.connect(self.keep_action.trigger)
        training = w.menus["Training"]
        training.addSeparator()
        replay = training.addMenu("Re&play")
        replay.setObjectName("replayMenu")
        replay.setToolTipsVisible(True)
        replay.addActions(self.replay.actions())
        training.addActions([self.keep_action, self.lesson_action])
        view = w.menus["View"]
        for dock in (self.update_dock, self.contributions_dock, self.surface_dock, self.runs_dock):
            view.addAction(dock.toggleViewAction())
        view.addAction(self.replay_toolbar.toggleViewAction())
        self.update_actions()

    # -- the state on display --------------------------------------------------------------------------------
    def show_state(self, state: DisplayState | None, query: np.ndarray | None) -> None:
        """Called by the window whenever the state on display (or the query) changes."""
        self._state, self._query = state, query
        self._place_cursors()
        self.surface.set_state(state)
        for view in (self.update_panel, self.contributions):
            if self._on_screen.get(view, False):
                self._bring_up_to_date(view)
            else:
                self._stale.add(view)
        self.replay.sync()

    def history_changed(self, run: Run | None) -> None:
        """Called by the window when the run recorded more (its range and path grew)."""
        self.surface.history_changed(run)
        self._place_cursors()
        self.replay.sync()

    def _place_cursors(self) -> None:
        state = self._state
        scrubbed = state is not None and not state.live
        origin = state.run.history.origin if state is not None else 0
        last = state.last if state is not None else 0
        self.weights_cursor.set_state(state.iteration if scrubbed else None,
                                      state.weights if scrubbed else None, origin, last)
        self.error_cursor.set_state(state.iteration if scrubbed else None,
                                    np.array([state.error]) if scrubbed else None, origin, last)

    def _bring_up_to_date(self, view: QObject) -> None:
        self._stale.discard(view)
        if view is self.update_panel:
            self.update_panel.set_state(self._state)
        elif view is self.contributions:
            self.contributions.set_state(self._state, self._query)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        view = self._painted_by.get(watched)
        if view is not None and event.type() == QEvent.Paint and not self._on_screen.get(view, False):
            QTimer.singleShot(0, partial(self._painted, view))  # (never change a view inside its paint)
        return False

    def _painted(self, view: QWidget) -> None:
        if shiboken6.isValid(view) and view.isVisible():
            self._visibility_changed(view, True)

    def is_on_screen(self, view: QWidget) -> bool:
        """Whether ``view`` can be seen, as far as the views know (they compute only then)."""
        return self._on_screen.get(view, False)

    def _visibility_changed(self, view: QObject, visible: bool) -> None:
        if self._on_screen.get(view) == visible:
            return
        self._on_screen[view] = visible
        if view is self.surface:
            self.surface.set_on_screen(visible)
        elif visible and view in self._stale:
            self._bring_up_to_date(view)

    def _follow_theme(self) -> None:
        """The cursors are not widgets, so the theme's restyling of the window does not reach them."""
        desktop = getattr(self.window, "desktop", None)
        if desktop is not None and shiboken6.isValid(self.window):
            desktop.themes.style_changed.connect(self.apply_style)
            self.apply_style(current_style())

    @Slot(object)
    def apply_style(self, style: PlotStyle) -> None:
        for cursor in (self.weights_cursor, self.error_cursor):
            cursor.apply_style(style)

    @Slot(int)
    def _cursor_moved(self, iteration: int) -> None:
        self.replay.show_iteration(iteration)

    @Slot(bool)
    def _log_scale_toggled(self, _on: bool) -> None:
        self.error_cursor.redraw()

    # -- kept runs and the lesson preset ------------------------------------------------------------------------
    def _keep_key(self, run: Run) -> tuple:
        return (id(run), run.history.epoch, run.iteration)

    def update_actions(self, *_) -> None:
        w = self.window
        run = w.run
        idle = not w.is_training
        can_keep = (idle and run is not None and run.iteration > run.history.origin
                    and self._keep_key(run) not in self._kept)
        self.keep_action.setEnabled(can_keep)
        self.runs.keep.setEnabled(can_keep)
        self.lesson_action.setEnabled(idle)

    @Slot()
    def keep_run(self, *_) -> None:
        run = self.window.run
        if run is None or self.window.is_training or run.iteration <= run.history.origin:
            return
        key = self._keep_key(run)
        if key in self._kept:
            return
        self._kept.add(key)
        kept = self.runs.keep_run(run)
        self.window.statusBar().showMessage(f"Kept {kept.name}: it is drawn faintly on the Weights and Error "
                                            "plots (see Kept Runs).", 5000)
        self.update_actions()

    @Slot()
    def lesson_preset(self, *_) -> None:
        """The lesson's table and settings (the table change is undoable, like any load)."""
        w = self.window
        if w.is_training:
            return
        w.training_panel.set_settings(Settings())
        w.model.replace_all(Examples.lesson(), "lesson preset")
        w.query_panel.input.setText(format_query_default(Examples.lesson().n_inputs))

    def shutdown(self) -> None:
        """The window is closing: stop playing back and join the surface's thread."""
        self.replay.stop_playing()
        self.surface.shutdown()
