"""What the app remembers between sessions, in :class:`QSettings`: window geometry and dock layout,
the last folder used, the recent files and the plot options.

Geometry and layout are restored when the window is first shown (so every dock, whoever added it, exists
by then) and saved when it closes; the other preferences are written as they change, so a second window
or a crash keeps them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings

from ..panels.training_controls import DEFAULT_SPEED, speed_from_key, speed_key

if TYPE_CHECKING:
    from .main_window import MainWindow

MAX_RECENT = 8
LAYOUT_VERSION = 2  # bump when the docks change so much that an old saved layout would mislead (2: issue 8)

GEOMETRY, STATE, SPLITTER = "window/geometry", "window/state", "window/plotsSplitter"
RECENT, LAST_FOLDER, LOG_SCALE = "files/recent", "files/lastFolder", "plots/errorLogScale"
SPEED = "training/speed"  # "paced", "full" or iterations a second (see training_controls.speed_key)


def _strings(value) -> list[str]:
    """A list of strings from QSettings, whose INI backend returns one string for a one-item list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value if v]


class Preferences(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.remember_layout = True  # False for a scripted run (--screenshot): the default layout, kept as is
        self._restored = False
        s = QSettings()
        window.log_check.setChecked(s.value(LOG_SCALE, True, type=bool))
        window.log_check.toggled.connect(self._log_scale_toggled)
        controls = window.training_controls
        controls.set_speed(speed_from_key(s.value(SPEED, speed_key(DEFAULT_SPEED))))
        controls.speed.valueChanged.connect(self._speed_changed)
        window.installEventFilter(self)

    # -- window geometry and layout -------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.window and event.type() == QEvent.Show and not self._restored:
            self._restored = True
            if self.remember_layout:
                self.restore_window()
        return False

    def restore_window(self) -> None:
        s = QSettings()
        geometry, state, splitter = s.value(GEOMETRY), s.value(STATE), s.value(SPLITTER)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.window.restoreGeometry(geometry)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.window.restoreState(state, LAYOUT_VERSION)
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.window.plots_splitter.restoreState(splitter)

    def save_window(self) -> None:
        if not self.remember_layout:
            return
        s = QSettings()
        s.setValue(GEOMETRY, self.window.saveGeometry())
        s.setValue(STATE, self.window.saveState(LAYOUT_VERSION))
        s.setValue(SPLITTER, self.window.plots_splitter.saveState())
        s.sync()

    # -- plot options and the training speed ---------------------------------------------------
    def _log_scale_toggled(self, checked: bool) -> None:
        QSettings().setValue(LOG_SCALE, bool(checked))

    def _speed_changed(self, *_) -> None:
        QSettings().setValue(SPEED, speed_key(self.window.training_controls.selected_speed()))

    # -- files ----------------------------------------------------------------------------------
    def last_folder(self) -> str:
        folder = str(QSettings().value(LAST_FOLDER, "") or "")
        return folder if folder and os.path.isdir(folder) else str(Path.home())

    def remember_folder(self, path: str | os.PathLike) -> None:
        QSettings().setValue(LAST_FOLDER, str(Path(path).resolve().parent))

    def recent_files(self) -> list[str]:
        """Most recent first."""
        return _strings(QSettings().value(RECENT))[:MAX_RECENT]

    def add_recent(self, path: str | os.PathLike) -> None:
        full = str(Path(path).resolve())
        self._set_recent([full] + [p for p in self.recent_files() if p != full])
        self.remember_folder(full)

    def remove_recent(self, path: str) -> None:
        self._set_recent([p for p in self.recent_files() if p != path])

    def clear_recent(self) -> None:
        self._set_recent([])

    def _set_recent(self, paths: list[str]) -> None:
        s = QSettings()
        s.setValue(RECENT, paths[:MAX_RECENT])
        s.sync()
