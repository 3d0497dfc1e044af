"""What a screen reader hears when a command changes the run: once, briefly, with the result.

Train, Pause, Resume, Step, Reset, Undo and Redo each say what happened ("Paused at iteration 3,120.",
"Trained 10,000 iterations. Prediction 0.99993704, error 0.0000257."), and every message the status bar
shows (a file opened or saved, a file refused, a run kept) is said as well. Nothing is said at the frame
rate: a command is announced when its effect is known (a pause or a step once the worker has stopped
at its exact iteration), a run's end once the window has drawn it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Slot

from ..style.speech import announce

if TYPE_CHECKING:
    from ...session.controller import Progress
    from .main_window import MainWindow

SETTLE_MS = 150  # a step or pause is said once the worker has reported its exact state for this long


class RunAnnouncements(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self._pending = ""  # "pause" or "step": said when the worker reports the state it stopped at
        self._paused_at: Progress | None = None
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._say_paused)
        self._reset_pending = False
        steering = window.steering
        steering.pause_action.triggered.connect(self._pause_toggled)
        steering.step_action.triggered.connect(self._stepping)
        steering.reset_action.triggered.connect(self._reset)
        window.controller.started.connect(self._started)
        window.controller.progressed.connect(self._progressed)
        window.controller.finished.connect(self._finished)  # after the window's own slot: the end is drawn
        window.undo_action.triggered.connect(lambda: self._undo_redo("Undid", window.model.undo_stack.redoText()))
        window.redo_action.triggered.connect(lambda: self._undo_redo("Redid", window.model.undo_stack.undoText()))
        self._tip = ""  # the last status tip (a menu item's or a button's, shown while it is pointed at)
        window.installEventFilter(self)
        window.statusBar().messageChanged.connect(self._status_message)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.StatusTip:
            self._tip = event.tip()  # shown in the status bar next: not news (a screen reader reads menus)
        return False

    # -- what the run is now ------------------------------------------------------------------------------
    def _result(self) -> str:
        """The prediction and error on display, as the window shows them."""
        w = self.window
        prediction = w.query_panel.prediction.text()
        run = w.run
        valid = prediction and prediction != "—"
        text = f"Prediction {prediction}" if valid else "No prediction (the query is not valid)"
        if run is not None:
            latest = w.controller.latest if w.is_training else None
            error = latest.error if latest is not None else run.history.last_error()
            text += f", error {error:.4g}"
        return text + "."

    # -- commands ---------------------------------------------------------------------------------------------
    @Slot()
    def _started(self) -> None:
        if self._pending == "step" or self.window.controller.is_paused:
            return  # a Step (which starts a run paused): said once its steps are done
        run = self.window.run
        if run is not None:
            announce(self.window, f"Training to iteration {run.target_iterations:,}.")

    @Slot()
    def _pause_toggled(self, *_) -> None:
        controller = self.window.controller
        if not controller.is_running:
            return
        if controller.is_paused:
            self._pending = "pause"
        else:
            self._pending = ""
            latest = controller.latest
            where = f" at iteration {latest.iteration:,}" if latest is not None else ""
            announce(self.window, f"Resumed{where}.")

    @Slot()
    def _stepping(self, *_) -> None:
        self._pending = "step"

    @Slot(object)
    def _progressed(self, progress: Progress) -> None:
        if progress.paused and self._pending:
            self._paused_at = progress
            self._settle.start()  # (a step may report the pause before its iterations, then after them)

    @Slot()
    def _say_paused(self) -> None:
        progress, kind = self._paused_at, self._pending
        self._pending, self._paused_at = "", None
        if progress is None or not kind or not self.window.controller.is_running:
            return
        self.window.refresh_views()  # the prediction at exactly that iteration
        verb = "Paused at" if kind == "pause" else "Stepped to"
        announce(self.window, f"{verb} iteration {progress.iteration:,}. {self._result()}")

    @Slot()
    def _reset(self, *_) -> None:
        if self.window.controller.is_running:
            self._reset_pending = True  # done when the run has stopped: said then
            return
        self._say_reset()

    def _say_reset(self) -> None:
        self._reset_pending = False
        announce(self.window, f"Reset to the initial weights. {self._result()}")

    @Slot(str)
    def _finished(self, reason: str) -> None:
        self._pending = ""
        self._settle.stop()
        if self._reset_pending:
            self._say_reset()
            return
        w = self.window
        run = w.run
        if run is None or reason == "diverged":  # (the refusal under the settings is said already)
            return
        if reason == "completed":
            text = f"Trained {run.iteration:,} iterations."
        elif reason == "stopped":
            text = f"Stopped at iteration {run.iteration:,} of {run.target_iterations:,}."
        else:
            return
        announce(w, f"{text} {self._result()}")

    def _undo_redo(self, verb: str, what: str) -> None:
        if what:
            announce(self.window, f"{verb} {what}.")

    @Slot(str)
    def _status_message(self, text: str) -> None:
        if text and text != self._tip and text != self.window.run_texts.finish_text:  # (a run's end: said above)
            announce(self.window, text)
