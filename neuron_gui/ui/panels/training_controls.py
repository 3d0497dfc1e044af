"""Steering a run by hand: Pause/Resume, Step, Reset, Continue and the speed, as buttons and QActions.

:class:`TrainingControls` is only the widgets; :class:`Steering` is what they do, in terms of the
window's run and its :class:`~neuron_gui.session.controller.TrainingController`. Every control keeps the
trajectory exact: pausing, stepping and slow motion change when iterations happen, never what they
compute, so any mix of them ends at the weights of an uninterrupted run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QWidget,
)

from ...core.examples import DataError
from ...core.lesson import DEFAULT_ITERATIONS, MAX_ITERATIONS
from ...core.pace import WATCHING_PACE, Pace, Speed
from .panels import show_message

if TYPE_CHECKING:
    from ...core.training import Run
    from ...session.controller import Progress
    from ..window.main_window import MainWindow

# Slow motion (iterations a second: a few let a learner follow the first updates), then the watching
# pace (the default: any run plays out in a few seconds, its early iterations slowest), then full speed
# (None), one key (]) or one slider move from the default.
SPEEDS: tuple[Speed, ...] = (1, 2, 5, 10, 20, 50, 100, 1_000, 10_000, 100_000, WATCHING_PACE, None)
DEFAULT_SPEED: Speed = WATCHING_PACE
STEPS_PER_CLICK: tuple[int, ...] = (1, 10, 100, 1_000, 10_000)


def speed_text(speed: Speed) -> str:
    if isinstance(speed, Pace):
        return f"run in {speed.seconds:g} s"
    return "full speed" if speed is None else f"{speed:,.0f} it/s"


def speed_key(speed: Speed) -> str:
    """How a speed is remembered (in the preferences): "full", "paced" or the iterations a second."""
    if isinstance(speed, Pace):
        return "paced"
    return "full" if speed is None else f"{speed:g}"


def speed_from_key(key: object) -> Speed:
    """The speed remembered as ``key``, or the default for anything else (an old or hand-edited value)."""
    for speed in SPEEDS:
        if speed_key(speed) == str(key):
            return speed
    return DEFAULT_SPEED


def shortcut_text(action: QAction) -> str:
    return ", ".join(s.toString(QKeySequence.NativeText) for s in action.shortcuts())


class TrainingControls(QWidget):
    """Pause, Step (with steps per click), Reset, the speed slider and Continue (with how many more)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("trainingControls")
        self.pause = self._button("pauseButton", "Pause", checkable=True)
        self.step = self._button("stepButton", "Step")
        self.steps_per_click = QComboBox()
        self.steps_per_click.setObjectName("stepsPerClickCombo")
        for n in STEPS_PER_CLICK:
            self.steps_per_click.addItem(f"× {n:,}", n)
        self.steps_per_click.setToolTip("Iterations per Step")
        self.steps_per_click.setFocusPolicy(Qt.TabFocus)  # after a mouse pick, Space still pauses
        self.steps_per_click.setAccessibleName("Steps per click")
        self.reset = self._button("resetButton", "Reset")

        self.speed = QSlider(Qt.Horizontal)
        self.speed.setObjectName("speedSlider")
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setPageStep(1)
        self.speed.setTickPosition(QSlider.TicksBelow)
        self.speed.setValue(SPEEDS.index(DEFAULT_SPEED))
        self.speed.setToolTip(
            "Training speed: from slow motion (1 iteration a second) to full speed ( ] ). Next to full speed, "
            f"the default: any run plays out in about {WATCHING_PACE.seconds:g} seconds, the first iterations "
            "(where the weights move most) slowest. Only when iterations happen changes, never the result.")
        self.speed.setAccessibleName("Training speed")
        self.speed.setFocusPolicy(Qt.TabFocus)  # after a drag, Right still steps (Tab to it for arrows)
        self.speed_label = QLabel(speed_text(DEFAULT_SPEED))
        self.speed_label.setObjectName("speedLabel")
        self.speed_label.setMinimumWidth(self.speed_label.fontMetrics().horizontalAdvance("100,000 it/s "))

        self.continue_ = self._button("continueButton", "Continue")
        self.continue_iterations = QSpinBox()
        self.continue_iterations.setObjectName("continueSpin")
        self.continue_iterations.setRange(1, MAX_ITERATIONS)
        self.continue_iterations.setValue(DEFAULT_ITERATIONS)
        self.continue_iterations.setSingleStep(1000)
        self.continue_iterations.setGroupSeparatorShown(True)
        self.continue_iterations.setSuffix(" more")
        self.continue_iterations.setToolTip("How many more iterations Continue trains")
        self.continue_iterations.setAccessibleName("More iterations")

        steer = QHBoxLayout()
        for w in (self.pause, self.step, self.steps_per_click, self.reset):
            steer.addWidget(w)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addLayout(steer, 0, 0, 1, 3)
        speed_caption = QLabel("Spee&d")
        speed_caption.setBuddy(self.speed)
        grid.addWidget(speed_caption, 1, 0)
        grid.addWidget(self.speed, 1, 1)
        grid.addWidget(self.speed_label, 1, 2)
        grid.addWidget(self.continue_, 2, 0)
        grid.addWidget(self.continue_iterations, 2, 1, 1, 2)
        grid.setColumnStretch(1, 1)

    def _button(self, name: str, text: str, checkable: bool = False) -> QPushButton:
        b = QPushButton(text)
        b.setObjectName(name)
        b.setCheckable(checkable)
        b.setFocusPolicy(Qt.TabFocus)  # a click must not take the keyboard from the table or a field
        return b

    def steps(self) -> int:
        return int(self.steps_per_click.currentData())

    def selected_speed(self) -> Speed:
        return SPEEDS[self.speed.value()]

    def set_speed(self, speed: Speed) -> None:
        self.speed.setValue(SPEEDS.index(speed))


class Steering(QObject):
    """Pause/Resume, Step, Reset, Continue and speed for the window's run, as actions and buttons.

    Step on a run that is not in progress starts (or continues) it paused and does exactly the steps;
    past a finished run's end it first extends the target by the Continue amount. Reset stops any run
    and goes back to the seeded initial weights with an empty history; the table is kept.
    """

    def __init__(self, window: MainWindow, controls: TrainingControls):
        super().__init__(window)
        self.window = window
        self.controls = controls
        self._reset_pending = False
        self._elapsed: tuple[Run, float] | None = None  # (run, seconds) of the last finished thread
        act = window._action
        self.pause_action = act("&Pause", Qt.Key_Space, self.toggle_pause, "Pause or resume training",
                                "pauseAction")
        self.pause_action.setCheckable(True)
        self.step_action = act("S&tep", None, self.step, "Train exactly the steps per click, then pause",
                               "stepAction")
        self.step_action.setShortcuts([QKeySequence(Qt.Key_Right), QKeySequence("Ctrl+.")])
        self.reset_action = act("&Reset", "Ctrl+R", self.reset,
                                "Back to the seeded initial weights, with an empty history", "resetAction")
        self.continue_action = act("&Continue", "Ctrl+Shift+Return", self.continue_training,
                                   "Train more iterations from the current weights", "continueAction")
        self.slower_action = act("&Slower", "[", self.slower, "Train more slowly", "slowerAction")
        self.faster_action = act("&Faster", "]", self.faster, "Train faster", "fasterAction")
        self.step_action.setToolTip(f"{self.step_action.statusTip()} ({shortcut_text(self.step_action)})")

        c = controls
        for button, action in ((c.pause, self.pause_action), (c.step, self.step_action),
                               (c.reset, self.reset_action), (c.continue_, self.continue_action)):
            button.setToolTip(action.toolTip())
            button.setAccessibleName(action.text().replace("&", ""))
        c.pause.clicked.connect(self.pause_action.trigger)
        c.step.clicked.connect(self.step_action.trigger)
        c.reset.clicked.connect(self.reset_action.trigger)
        c.continue_.clicked.connect(self.continue_action.trigger)
        c.speed.valueChanged.connect(self._speed_changed)
        c.steps_per_click.currentIndexChanged.connect(self._steps_changed)
        window.controller.progressed.connect(self._on_progress)
        window.controller.set_speed(c.selected_speed())
        self._steps_changed()

    def actions(self) -> list[QAction | None]:
        """For the Training menu, in order (None is a separator)."""
        return [self.pause_action, self.step_action, self.continue_action, self.reset_action, None,
                self.slower_action, self.faster_action]

    # -- the controls ----------------------------------------------------------------------------
    @Slot()
    def toggle_pause(self, *_) -> None:
        controller = self.window.controller
        if controller.is_running:
            controller.set_paused(not controller.is_paused)
        self.window._update_controls()

    @Slot()
    def step(self, *_) -> None:
        n = self.controls.steps()
        controller = self.window.controller
        if controller.is_running:
            if not controller.is_paused:
                controller.set_paused(True)
            controller.step(n)
            self.window._update_controls()
        else:
            self._start_idle_run(paused=True, steps=n)

    @Slot()
    def continue_training(self, *_) -> None:
        run = self.window.run
        if self.window.controller.is_running or run is None or run.iteration == 0 or run.diverged:
            return
        try:
            run.extend(self.controls.continue_iterations.value())
        except DataError as e:
            show_message(self.window.training_panel.message, f"Cannot continue: {e}")
            return
        self.window._start(run, elapsed=self._elapsed_of(run))

    @Slot()
    def reset(self, *_) -> None:
        controller = self.window.controller
        if controller.is_running:
            self._reset_pending = True  # completed in run_finished, within one chunk
            controller.stop()
            return
        self._reset_now()

    @Slot()
    def slower(self, *_) -> None:
        self.controls.speed.setValue(self.controls.speed.value() - 1)

    @Slot()
    def faster(self, *_) -> None:
        self.controls.speed.setValue(self.controls.speed.value() + 1)

    # -- helpers -----------------------------------------------------------------------------------
    def _start_idle_run(self, paused: bool, steps: int) -> None:
        window = self.window
        run = window.run
        if run is None:
            return
        if run.diverged:
            show_message(window.training_panel.message,
                         "The run has diverged: Reset (Ctrl+R) to start again from the initial weights.")
            return
        if run.iteration == 0:
            window.start_new_run(paused=paused, steps=steps)
            return
        if run.remaining == 0:
            try:
                run.extend(self.controls.continue_iterations.value())
            except DataError as e:
                show_message(window.training_panel.message, f"Cannot step: {e}")
                return
        window._start(run, paused=paused, steps=steps, elapsed=self._elapsed_of(run))

    def _reset_now(self) -> None:
        self._reset_pending = False
        self._elapsed = None
        window = self.window
        window.run_texts.forget_finish()
        window.follow_run()
        window._rebuild_run()

    def _elapsed_of(self, run: Run) -> float:
        if self._elapsed is not None and self._elapsed[0] is run:
            return self._elapsed[1]
        return 0.0

    def run_finished(self) -> None:
        """Called by the window once it has drawn the end of a run."""
        latest = self.window.controller.latest
        if latest is not None and self.window.run is not None:
            self._elapsed = (self.window.run, latest.elapsed)
        if self._reset_pending:
            self._reset_now()
        else:
            self.update()

    @Slot(object)
    def _on_progress(self, progress: Progress) -> None:
        if progress.paused:
            self.window.refresh_views()  # the exact state it paused (or stepped) to, without waiting

    @Slot(int)
    def _speed_changed(self, _index: int) -> None:
        speed = self.controls.selected_speed()
        self.controls.speed_label.setText(speed_text(speed))
        self.window.controller.set_speed(speed)
        self.update()

    @Slot()
    def _steps_changed(self, *_) -> None:
        n = self.controls.steps()
        self.controls.step.setText("Step" if n == 1 else f"Step {n:,}")
        self.update()

    def update(self) -> None:
        """Enable and label the controls for the run's state."""
        window, c = self.window, self.controls
        controller = window.controller
        run = window.run
        running, paused = controller.is_running, controller.is_paused
        idle_run = run is not None and not running
        c.pause.setEnabled(running)
        self.pause_action.setEnabled(running)
        for w in (c.pause, self.pause_action):
            w.setChecked(paused)
        c.pause.setText("Resume" if paused else "Pause")
        c.pause.setAccessibleName(c.pause.text())  # a screen reader says what a press will do
        self.pause_action.setText("&Resume" if paused else "&Pause")
        can_step = running or (idle_run and not run.diverged)
        c.step.setEnabled(can_step)
        self.step_action.setEnabled(can_step)
        can_reset = running or (run is not None and (run.iteration > 0 or run.diverged))
        c.reset.setEnabled(can_reset)
        self.reset_action.setEnabled(can_reset)
        can_continue = idle_run and run.iteration > 0 and not run.diverged
        c.continue_.setEnabled(can_continue)
        self.continue_action.setEnabled(can_continue)
        self.slower_action.setEnabled(c.speed.value() > 0)
        self.faster_action.setEnabled(c.speed.value() < len(SPEEDS) - 1)
        n = c.steps()
        tip = f"Train exactly {n:,} iteration{'s' if n != 1 else ''}, then pause ({shortcut_text(self.step_action)})"
        c.step.setToolTip(tip)
        self.step_action.setToolTip(tip)
        self.step_action.setStatusTip(tip.split(" (")[0])


def status_text(iteration: int, target: int, error: float, latest: Progress | None, paused: bool) -> str:
    """The status bar's one line: iteration of target · elapsed · speed (or paused) · error."""
    text = f"iteration {iteration:,} of {target:,}"
    if latest is not None:
        text += f" · {format_elapsed(latest.elapsed)}"
        if paused:
            text += " · paused"
        else:
            rate = latest.iterations_per_second
            text += f" · {rate:,.0f} it/s" if rate >= 10 or rate == 0 else f" · {rate:.1f} it/s"
    return text + f" · error {error:.4g}"


def format_elapsed(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, s = divmod(int(seconds), 60)
    return f"{minutes} min {s:02d} s" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"
