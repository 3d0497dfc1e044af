"""The insight views, wired into the window: replay (the timeline and the cursors on the plots), the update
written out, why this prediction, the error surface, kept runs, and the lesson preset.

Every view here shows the session's one :class:`~neuron_gui.core.display_state.DisplayState`
(:meth:`show_state`, each frame), so they agree exactly. A view hidden behind another tab is brought up to
date when it is shown, not at every frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QToolBar, QWidget

from ...core.display_state import DisplayState
from ...core.training import Run
from ..style.plot_style import PlotStyle, current_style
from ..views.contributions import ContributionsPanel
from ..views.error_surface import ErrorSurfaceView
from ..views.iteration_cursor import IterationCursor
from ..views.pacing import FEW_HZ, Pace
from ..views.replay import Replay
from ..views.runs_panel import RunsPanel
from ..views.update_panel import UpdatePanel

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import SignalInstance
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QAbstractButton, QDockWidget, QMainWindow, QMenu

    from ...session.session import Session
    from ..views.plots import ErrorPlot, WeightsPlot


@dataclass(frozen=True)
class InsightParts:
    """What the insight views are given of the window."""

    session: Session
    act: Callable[..., QAction]
    add_dock: Callable[[str, str, QWidget, Qt.DockWidgetArea], QDockWidget]
    key_guard: QObject
    menus: dict[str, QMenu]
    weights_plot: WeightsPlot
    error_plot: ErrorPlot
    log_check: QAbstractButton
    step_action: QAction
    lesson_preset: Callable[[], None]  # the lesson's table, settings and query in the panels
    sequel_preset: Callable[[], None]  # the sequel's table, network, settings and query in the panels

INSIGHT_DOCK_WIDTH = 390


class InsightViews(QObject):
    def __init__(self, window: QMainWindow, parts: InsightParts):
        super().__init__(window)
        self.window = window
        self.parts = parts
        self.session = parts.session
        self.replay = Replay(parts.session, parts.act, self)
        self.weights_cursor = IterationCursor(parts.weights_plot)
        self.error_cursor = IterationCursor(parts.error_plot, log_y=lambda: parts.error_plot.log_scale)
        for cursor in (self.weights_cursor, self.error_cursor):
            cursor.moved.connect(self._cursor_moved)
        parts.log_check.toggled.connect(self._log_scale_toggled)
        self.update_panel = UpdatePanel()
        self.contributions = ContributionsPanel()
        self.surface = ErrorSurfaceView()
        self.runs = RunsPanel(parts.weights_plot, parts.error_plot)
        self._state: DisplayState | None = None
        self._query: np.ndarray | None = None
        self._history: tuple | None = None
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
        parts.step_action.triggered.connect(self.replay.go_live)  # Step: watch the run move on
        self.session.running_changed.connect(self.update_actions)
        self.session.run_changed.connect(self.update_actions)
        # the cursors and the surface every frame (each redraws only what changed), the timeline a few
        # times a second, the written-out views when they can be seen (see _visibility_changed)
        # the cursors every frame; the surface and the written-out views a few times a second while a run
        # moves (each also idles while it cannot be seen: see _visibility_changed); the timeline likewise
        self.paces = [Pace(self.session, parts.weights_plot, self._place_cursors, always=True),
                      Pace(self.session, self.surface, self.show_state, hz=FEW_HZ, always=True),
                      Pace(self.session, self.replay.bar, lambda _state: self.replay.sync(), hz=FEW_HZ)]
        self.session.run_changed.connect(self._history_changed)

    # -- construction -------------------------------------------------------------------------------------
    def _build_docks(self) -> None:
        w, add_dock = self.window, self.parts.add_dock
        right = Qt.RightDockWidgetArea
        self.update_dock = add_dock("updateDock", "The Update, Written Out", self.update_panel, right)
        self.surface_dock = add_dock("errorSurfaceDock", "Error Surface", self.surface, right)
        self.contributions_dock = add_dock("contributionsDock", "Why This Prediction", self.contributions, right)
        self.runs_dock = add_dock("runsDock", "Kept Runs", self.runs, right)
        # the timeline is a transport bar along the bottom, like a media player's: a toolbar, not a dock,
        # so that no arrangement of the docks can hide it behind a tab
        self.replay_toolbar = QToolBar("Replay", w)
        self.replay_toolbar.setObjectName("replayToolBar")
        self.replay_toolbar.setMovable(False)
        self.replay_toolbar.addWidget(self.replay.bar)
        self.replay_toolbar.toggleViewAction().setToolTip("Show or hide the replay timeline")
        w.addToolBar(Qt.BottomToolBarArea, self.replay_toolbar)
        self.replay_toolbar.installEventFilter(self.parts.key_guard)
        w.splitDockWidget(self.update_dock, self.surface_dock, Qt.Vertical)
        w.tabifyDockWidget(self.update_dock, self.contributions_dock)
        w.tabifyDockWidget(self.surface_dock, self.runs_dock)
        self.update_dock.raise_()
        self.surface_dock.raise_()
        w.resizeDocks([self.update_dock], [INSIGHT_DOCK_WIDTH], Qt.Horizontal)

    def _build_actions(self) -> None:
        act, menus = self.parts.act, self.parts.menus
        self.keep_action = act("&Keep Run", "Ctrl+K", self.keep_run,
                                     "Keep this run, drawn faintly, to compare the next ones with it", "keepRunAction")
        self.lesson_action = act(
            "&Lesson Preset", None, self.lesson_preset,
            "The lesson's exact table (4 examples, 3 inputs), 10,000 iterations, seed 1, learning rate 1 and "
            "the query 1, 0, 0", "lessonPresetAction")
        self.sequel_action = act(
            "&Sequel Preset", None, self.sequel_preset,
            "The sequel's table (y is x1 XOR x2, which one neuron cannot learn), a hidden layer of 4 neurons, "
            "60,000 iterations, seed 1, learning rate 1 and the query 1, 1, 0", "sequelPresetAction")
        self.runs.keep.setToolTip(self.keep_action.toolTip())
        self.runs.keep_requested.connect(self.keep_action.trigger)
        training = menus["Training"]
        training.addSeparator()
        replay = training.addMenu("Re&play")
        replay.setObjectName("replayMenu")
        replay.setToolTipsVisible(True)
        replay.addActions(self.replay.actions())
        training.addActions([self.keep_action, self.lesson_action, self.sequel_action])
        view = menus["View"]
        for dock in (self.update_dock, self.contributions_dock, self.surface_dock, self.runs_dock):
            view.addAction(dock.toggleViewAction())
        view.addAction(self.replay_toolbar.toggleViewAction())
        self.update_actions()

    # -- the state on display --------------------------------------------------------------------------------
    def show_state(self, state: DisplayState | None) -> None:
        """The session's state on display, for the surface and the written-out views."""
        query = None if state is None else state.query_inputs
        history = None if state is None else (id(state.run), state.run.history.count, state.run.history.generation)
        if history != self._history:
            self._history = history
            self.surface.history_changed(None if state is None else state.run)
        if state is self._state and query is self._query:
            return
        self._state, self._query = state, query
        self.surface.set_state(state)
        for view in (self.update_panel, self.contributions):
            if self._on_screen.get(view, False):
                self._bring_up_to_date(view)
            else:
                self._stale.add(view)

    def refresh(self) -> None:
        """Show the current state now (after a run ends, and for tests)."""
        state = self.session.display_state()
        self._place_cursors(state)
        self.show_state(state)
        self.replay.sync()

    @Slot()
    def _history_changed(self) -> None:
        self._history = None

    def _place_cursors(self, state: DisplayState | None) -> None:
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

    def follow_theme(self, style_changed: SignalInstance) -> None:
        """The cursors are not widgets, so the theme's restyling of the window does not reach them: they
        follow ``style_changed`` (the theme manager's, once it exists)."""
        style_changed.connect(self.apply_style)
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
        run = self.session.run
        idle = not self.session.is_running
        can_keep = (idle and run is not None and run.iteration > run.history.origin
                    and self._keep_key(run) not in self._kept)
        self.keep_action.setEnabled(can_keep)
        self.runs.keep.setEnabled(can_keep)
        self.lesson_action.setEnabled(idle)
        self.sequel_action.setEnabled(idle)

    @Slot()
    def keep_run(self, *_) -> None:
        run = self.session.run
        if run is None or self.session.is_running or run.iteration <= run.history.origin:
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
        if not self.session.is_running:
            self.parts.lesson_preset()

    @Slot()
    def sequel_preset(self, *_) -> None:
        """The sequel's table, network and settings (one undoable step for the table and the shape)."""
        if not self.session.is_running:
            self.parts.sequel_preset()

    def shutdown(self) -> None:
        """The window is closing: stop playing back and join the surface's thread."""
        self.replay.stop_playing()
        self.surface.shutdown()
