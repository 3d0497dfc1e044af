"""Replay: the iteration on display, chosen on a timeline over the whole recorded run.

The window shows one state at a time, a :class:`DisplayState`: the latest one while following the run
("live"), or the exact state recorded at any earlier iteration ``k`` once the user scrubs back. That
state is computed here once per change of ``k`` (:func:`core.insight.weights_at`: exact even after the
history has thinned itself, at most ``history.width`` iterations re-simulated) and handed to every view,
so they all agree. The run keeps training and being recorded while the user looks at the past.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSlider, QStyle, QToolButton, QWidget

from ...core.insight import error_at, learning_rate_at, weights_at
from ...core.training import Run
from ..style.speech import HumanPace

if TYPE_CHECKING:
    from ..window.main_window import MainWindow

PLAY_SPEEDS = (1, 10, 100, 1_000, 10_000, 100_000, 1_000_000)  # iterations a second
DEFAULT_PLAY_SPEED = 100
PLAY_INTERVAL_MS = 33


def window_moving(window: MainWindow) -> bool:
    """Whether the window's run is training (not paused) now."""
    return window.is_training and not window.controller.is_paused


@dataclass(frozen=True)
class DisplayState:
    """What every view shows: the run at ``iteration``, with the exact weights and error recorded there."""

    run: Run
    iteration: int
    weights: np.ndarray
    error: float
    live: bool  # following the run, not scrubbed back
    last: int  # the run's last recorded iteration
    next_rate: float  # the learning rate of the update that takes ``iteration`` to the next

    @property
    def is_last(self) -> bool:
        """No recorded iteration after this one: the next update has not been made (yet)."""
        return self.iteration >= self.last


class ReplayBar(QWidget):
    """The timeline: previous / play / next, the slider over every recorded iteration, speed, Live."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("replayBar")
        style = self.style()
        self.previous = self._tool("replayPreviousButton", style.standardIcon(QStyle.SP_MediaSeekBackward))
        self.play = QPushButton("Play")
        self.play.setObjectName("replayPlayButton")
        self.play.setCheckable(True)
        self.play.setIcon(style.standardIcon(QStyle.SP_MediaPlay))
        self.play.setFocusPolicy(Qt.TabFocus)
        self.next = self._tool("replayNextButton", style.standardIcon(QStyle.SP_MediaSeekForward))
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setObjectName("replaySlider")
        self.slider.setAccessibleName("Iteration on display")
        self.slider.setToolTip("The iteration every view shows: drag back through the whole run "
                               "(after a click, the arrow keys move one iteration)")
        self.slider.setRange(0, 0)
        self.label = QLabel()
        self.label.setObjectName("replayLabel")
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance("iteration 100,000,000 of 100,000,000"))
        self.speed = QComboBox()
        self.speed.setObjectName("replaySpeedCombo")
        for s in PLAY_SPEEDS:
            self.speed.addItem(f"{s:,} it/s", s)
        self.speed.setCurrentIndex(PLAY_SPEEDS.index(DEFAULT_PLAY_SPEED))
        self.speed.setToolTip("Replay speed, in recorded iterations a second")
        self.speed.setAccessibleName("Replay speed")
        self.speed.setFocusPolicy(Qt.TabFocus)
        self.live = QPushButton("Live")
        self.live.setObjectName("replayLiveButton")
        self.live.setCheckable(True)
        self.live.setChecked(True)
        self.live.setFocusPolicy(Qt.TabFocus)
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        for w in (self.previous, self.play, self.next):
            row.addWidget(w)
        row.addWidget(self.slider, 1)
        row.addWidget(self.label)
        row.addWidget(self.speed)
        row.addWidget(self.live)

    def _tool(self, name: str, icon) -> QToolButton:
        b = QToolButton()
        b.setObjectName(name)
        b.setIcon(icon)
        b.setAutoRepeat(True)  # held down, it walks through the iterations
        b.setFocusPolicy(Qt.TabFocus)
        return b

    def play_speed(self) -> int:
        return int(self.speed.currentData())


class Replay(QObject):
    """The window's iteration on display (``None``: live) and the timeline that chooses it."""

    changed = Signal()  # the iteration on display was chosen (not emitted for a live run moving on)

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.bar = ReplayBar()
        self.iteration: int | None = None
        self._run_key: tuple | None = None
        self._cache: dict[tuple, tuple[np.ndarray, float]] = {}
        self._play_timer = QTimer(self)
        self._play_timer.setInterval(PLAY_INTERVAL_MS)
        self._play_timer.timeout.connect(self._play_tick)
        self._play_position = 0.0
        self._play_clock = 0.0
        act = window._action
        self.play_action = act("&Play Replay", "Shift+Space", self.toggle_play,
                               "Play the recorded run back from the iteration on display", "replayPlayAction")
        self.previous_action = act("P&revious Iteration", "Shift+Left", self.previous,
                                   "Show the iteration before the one on display", "replayPreviousAction")
        self.next_action = act("&Next Iteration", "Shift+Right", self.next,
                               "Show the iteration after the one on display", "replayNextAction")
        self.live_action = act("Back to &Live", QKeySequence("Ctrl+L"), self.go_live,
                               "Follow the run again: show its latest iteration", "replayLiveAction")
        b = self.bar
        for button, action in ((b.previous, self.previous_action), (b.next, self.next_action),
                               (b.play, self.play_action), (b.live, self.live_action)):
            button.setToolTip(action.toolTip())
            button.setAccessibleName(action.text().replace("&", ""))
        b.previous.clicked.connect(self.previous)
        b.next.clicked.connect(self.next)
        b.play.clicked.connect(self._play_clicked)
        b.live.clicked.connect(self._live_clicked)
        b.slider.valueChanged.connect(self._slider_moved)
        self._slider_pace = HumanPace(self._apply_slider, parent=self)
        window.controller.started.connect(self.go_live)  # Train or Continue: watch the run
        self.sync()

    def actions(self) -> list:
        return [self.play_action, self.previous_action, self.next_action, self.live_action]

    # -- the state on display -------------------------------------------------------------------------
    def display_state(self) -> DisplayState | None:
        """The state every view shows now (computed at most once per iteration chosen)."""
        window = self.window
        run = window.run
        if run is None:
            return None
        self._follow(run)
        history = run.history
        last = history.iteration
        if self.iteration is None or self.iteration >= last:
            latest = window.controller.latest if window.is_training else None
            if latest is not None:
                weights, iteration, error = latest.weights, latest.iteration, latest.error
            else:
                weights, iteration, error = run.weights, run.iteration, history.last_error()
            return DisplayState(run, iteration, weights, error, True, max(last, iteration),
                                self._rate_after(run, iteration))
        k = self.iteration
        weights, error = self._exact(run, k)
        return DisplayState(run, k, weights, error, False, last, self._rate_after(run, k))

    def _apply_slider(self, shown: tuple[int, int, int]) -> None:
        origin, last, iteration = shown
        b = self.bar
        syncing, self._syncing = self._syncing, True
        try:
            b.slider.setRange(origin, last)
            b.slider.setPageStep(max(1, (last - origin) // 20))  # Page Up/Down: a twentieth of the run
            b.slider.setValue(iteration)
        finally:
            self._syncing = syncing

    def _rate_after(self, run: Run, k: int) -> float:
        if k < run.history.iteration and run.history.learning_rates:
            return learning_rate_at(run.history, k)
        return float(self.window.training_panel.learning_rate.value())  # the rate the next update will use

    def _exact(self, run: Run, k: int) -> tuple[np.ndarray, float]:
        h = run.history
        key = (id(run), id(h), h.epoch, k)
        found = self._cache.get(key)
        if found is None:
            w = weights_at(h, k, run.X, run.y)
            found = (w, error_at(run.X, run.y, w))
            if len(self._cache) > 16:
                self._cache.clear()
            self._cache[key] = found
        return found

    def _follow(self, run: Run) -> None:
        """A different run, or the same one reset: its past is gone, so follow it live."""
        key = (id(run), id(run.history), run.history.epoch)
        if key != self._run_key:
            self._run_key = key
            self._cache.clear()
            self.iteration = None
            self._play_timer.stop()

    # -- choosing the iteration -------------------------------------------------------------------------
    def show_iteration(self, k: int | None) -> None:
        """Show iteration ``k`` in every view (clamped to what is recorded); ``None`` or the last
        recorded iteration follows the run live."""
        run = self.window.run
        if run is None:
            return
        if k is not None:
            h = run.history
            k = int(min(max(k, h.origin), h.iteration))
            if k >= h.iteration:
                k = None
        if k != self.iteration:
            self.iteration = k
            self.window.refresh_views()
            self.changed.emit()
        else:
            self.sync()

    @Slot()
    def go_live(self, *_) -> None:
        self.stop_playing()
        self.show_iteration(None)

    @Slot()
    def previous(self, *_) -> None:
        state = self.display_state()
        if state is not None:
            self.show_iteration(state.iteration - 1)

    @Slot()
    def next(self, *_) -> None:
        state = self.display_state()
        if state is not None and not state.live:
            self.show_iteration(state.iteration + 1)

    @Slot(int)
    def _slider_moved(self, value: int) -> None:
        if self._syncing:
            return
        self._play_position = float(value)
        self.show_iteration(value)

    @Slot()
    def _live_clicked(self, *_) -> None:
        self.go_live()

    # -- playing back --------------------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self._play_timer.isActive()

    @Slot()
    def toggle_play(self, *_) -> None:
        if self.playing:
            self.stop_playing()
            return
        run = self.window.run
        if run is None or run.history.iteration <= run.history.origin:
            self.sync()
            return
        state = self.display_state()
        start = state.iteration if not state.live else run.history.origin  # from the end: play it all again
        self._play_position = float(start)
        self._play_clock = time.perf_counter()
        self._play_timer.start()
        self.show_iteration(start)
        self.sync()

    @Slot()
    def _play_clicked(self, *_) -> None:
        self.toggle_play()

    def advance_playback(self, seconds: float) -> None:
        """Move the replay on by ``seconds`` at the chosen speed (what each tick of the timer does)."""
        run = self.window.run
        if run is None:
            self.stop_playing()
            return
        self._play_position += seconds * self.bar.play_speed()
        k = int(self._play_position)
        if k >= run.history.iteration:
            self.stop_playing()
            k = None  # caught up with the run: follow it
        self.show_iteration(k)

    @Slot()
    def _play_tick(self) -> None:
        now = time.perf_counter()
        seconds, self._play_clock = min(now - self._play_clock, 0.25), now  # a stalled frame never jumps far
        self.advance_playback(seconds)

    def stop_playing(self) -> None:
        if self._play_timer.isActive():
            self._play_timer.stop()
        self.sync()

    # -- the timeline's widgets ---------------------------------------------------------------------------
    _syncing = False

    def sync(self) -> None:
        """Show the recorded range, the iteration on display and the playing state on the bar (called by
        the window on every redraw, so the range follows a live run)."""
        b = self.bar
        run = self.window.run
        state = self.display_state() if run is not None else None
        self._syncing = True
        try:
            if state is None:
                self._slider_pace.set((0, 0, 0), now=True)
                b.label.setText("no run")
            else:
                origin = run.history.origin
                # following a moving run: a few times a second (each move is an event a screen reader hears)
                moving = state.live and window_moving(self.window)
                self._slider_pace.set((origin, max(origin, state.last), state.iteration), now=not moving)
                where = f"iteration {state.iteration:,}"
                b.label.setText(f"{where} (latest)" if state.live else f"{where} of {state.last:,}")
        finally:
            self._syncing = False
        recorded = state is not None and state.last > run.history.origin
        b.slider.setEnabled(recorded)
        b.play.setEnabled(recorded)
        self.play_action.setEnabled(recorded)
        b.play.setChecked(self.playing)
        b.play.setText("Pause" if self.playing else "Play")
        b.play.setAccessibleName("Pause Replay" if self.playing else "Play Replay")
        b.play.setIcon(b.style().standardIcon(QStyle.SP_MediaPause if self.playing else QStyle.SP_MediaPlay))
        self.play_action.setText("&Pause Replay" if self.playing else "&Play Replay")
        live = state is None or state.live
        for w in (b.previous, self.previous_action):
            w.setEnabled(recorded and state.iteration > run.history.origin)
        for w in (b.next, self.next_action):
            w.setEnabled(recorded and not live)
        b.live.setChecked(live)
        b.live.setEnabled(not live)
        self.live_action.setEnabled(not live)
