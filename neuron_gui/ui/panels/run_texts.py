"""The run's texts: the progress bar, the status line and the message saying how a run ended.

They describe the current run, at one moment, and agree with each other: the bar and the status line
are written together from one iteration (the bar once said "1 of 1,000,000" while the status said 926,
because it moved only every 1,000 iterations), at most a few times a second while a run moves (the pace
a screen reader can follow) and only when the text changes (a progress bar repaints synchronously).
The "Trained 10,000 iterations." message is tied to the run and iteration it describes: it goes when
that run is replaced, reset, trained further or stepped, and comes back when a passing message (a
menu's status tip, "Saved ...") is gone.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QLabel, QStatusBar

from ..style.speech import PACE_MS
from .panels import TrainingPanel
from .training_controls import status_text

if TYPE_CHECKING:
    from ...core.training import Run
    from ...session.controller import Progress

# seconds between text changes while a run moves: a few a second, at the pace a screen reader can follow
# (each new value of the progress bar is an event it hears)
TEXT_INTERVAL = PACE_MS / 1000


class RunTexts(QObject):
    def __init__(self, panel: TrainingPanel, label: QLabel, status_bar: QStatusBar):
        super().__init__(label)
        self.panel, self.label, self.status_bar = panel, label, status_bar
        self._shown: tuple | None = None
        self._at = -math.inf
        self._finish: tuple[Run, int, str] | None = None  # (run, iteration, text) the message describes
        status_bar.messageChanged.connect(self._message_changed)

    def show(self, run: Run | None, iteration: int, error: float, latest: Progress | None, paused: bool,
             moving: bool) -> None:
        """The state of ``run`` at ``iteration``; while ``moving`` (a run training, not paused) at most
        every :data:`TEXT_INTERVAL`, otherwise at once."""
        self._drop_stale_finish(run, iteration)
        if run is None:
            key: tuple = ("",)
        else:
            key = (status_text(iteration, run.target_iterations, error, latest, paused),
                   iteration, run.target_iterations)
        if key == self._shown:
            return
        now = time.monotonic()
        if moving and now - self._at < TEXT_INTERVAL:
            return
        self._shown, self._at = key, now
        self.label.setText(key[0])
        if run is not None:
            self.panel.show_progress(iteration, run.target_iterations)

    def finished(self, run: Run, text: str) -> None:
        """How ``run`` ended (at its current iteration), shown until that is no longer the state."""
        self._finish = (run, run.iteration, text)
        self.status_bar.showMessage(text)

    def forget_finish(self) -> None:
        """The run the message describes is gone (a new run, a reset, another file)."""
        finish, self._finish = self._finish, None
        if finish is not None and self.status_bar.currentMessage() == finish[2]:
            self.status_bar.clearMessage()

    @property
    def finish_text(self) -> str:
        return self._finish[2] if self._finish else ""

    def _drop_stale_finish(self, run: Run | None, iteration: int) -> None:
        if self._finish is not None and (self._finish[0] is not run or self._finish[1] != iteration):
            self.forget_finish()

    @Slot(str)
    def _message_changed(self, text: str) -> None:
        if not text and self._finish is not None and shiboken6.isValid(self.status_bar):
            self.status_bar.showMessage(self._finish[2])  # a passing message is gone: how the run ended
