"""The main toolbar, the actions' icons, and File > Open Example (the tables shipped with the app).

Icons come from ``resources/icons`` and follow the theme (see :mod:`.icons`); the toolbar holds the
actions a learner reaches for most, each labelled, since an icon alone says little the first time.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolBar

from ...core import files
from ...core.examples import DataError
from ..style.icons import icon

if TYPE_CHECKING:
    from .main_window import MainWindow

# action objectName -> icon name in resources/icons
ACTION_ICONS = {
    "newAction": "new", "openAction": "open", "saveAction": "save", "saveAsAction": "save",
    "undoAction": "undo", "redoAction": "redo", "trainAction": "train", "stopAction": "stop",
    "pauseAction": "pause", "stepAction": "step", "continueAction": "continue", "resetAction": "reset",
    "guideAction": "help", "aboutAction": "neuron-gui",
}
# what the toolbar shows, in order (None: a separator); names missing from the window are skipped
TOOLBAR = ("newAction", "openAction", "saveAction", None, "undoAction", "redoAction", None,
           "trainAction", "stopAction", "pauseAction", "stepAction", "continueAction", "resetAction", None,
           "guideAction")
# labels that would otherwise follow the action's text as it changes, and push the buttons after them
# sideways (and Guide into the overflow menu at 1280 px)
FIXED_LABELS = {"undoAction": "Undo", "redoAction": "Redo"}
EXAMPLE_TITLES = {
    "lesson": "The &Lesson: Output Follows x1",
    "and": "&AND of Two Inputs",
    "or": "&OR of Two Inputs",
}


def find_action(window: MainWindow, name: str) -> QAction | None:
    return window.findChild(QAction, name)


class MainToolBar(QToolBar):
    def __init__(self, window: MainWindow):
        super().__init__("Main Toolbar", window)
        self.window_ = window
        self.setObjectName("mainToolBar")
        self.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.setFloatable(False)
        self.toggleViewAction().setText("&Toolbar")
        self.toggleViewAction().setObjectName("toolbarToggleAction")
        self.toggleViewAction().setStatusTip("Show or hide the toolbar")
        self.toggleViewAction().setToolTip("Show or hide the toolbar")
        for name in TOOLBAR:
            if name is None:
                self.addSeparator()
            elif (action := find_action(window, name)) is not None:
                if name in FIXED_LABELS:  # the menu says "Undo add input column"; the button stays "Undo"
                    action.setIconText(FIXED_LABELS[name])
                self.addAction(action)
        window.addToolBar(Qt.TopToolBarArea, self)
        self.refresh_icons()

    def refresh_icons(self, *_) -> None:
        """Every action's icon, in the current theme's variant."""
        for name, icon_name in ACTION_ICONS.items():
            action = find_action(self.window_, name)
            if action is not None:
                action.setIcon(icon(icon_name))
                action.setIconVisibleInMenu(True)


def example_tables() -> list[tuple[str, str]]:
    """(menu title, file name) for every example CSV shipped in ``resources/examples``, the lesson first."""
    folder = resources.files("neuron_gui.resources") / "examples"
    names = sorted((p.name for p in folder.iterdir() if p.name.endswith(".csv")),
                   key=lambda n: (n != "lesson.csv", n))
    return [(EXAMPLE_TITLES.get(n[:-4], n[:-4]), n) for n in names]


class ExampleMenu(QMenu):
    """File > Open Example: each opens as a new untitled table, so Save never writes into the app."""

    def __init__(self, window: MainWindow):
        super().__init__("Open &Example", window)
        self.window_ = window
        self.setObjectName("exampleMenu")
        self.setToolTipsVisible(True)
        self.example_actions: dict[str, QAction] = {}
        for title, name in example_tables():
            action = self.addAction(title)
            action.setObjectName(f"openExample{name[:-4].title()}Action")
            tip = f"A new untitled table: the {name[:-4]} examples shipped with neuron-gui"
            action.setStatusTip(tip)
            action.setToolTip(tip)
            action.triggered.connect(lambda _=False, n=name: self.open_example(n))
            self.example_actions[name] = action
        file_menu = window.menus["File"]
        recent = window.file_actions.recent_menu.menuAction()
        actions = file_menu.actions()
        after = actions[actions.index(recent) + 1] if recent in actions and actions[-1] is not recent else None
        file_menu.insertMenu(after, self)
        window.controller.started.connect(self._running_changed)
        window.controller.finished.connect(self._running_changed)

    def _running_changed(self, *_) -> None:
        self.setEnabled(not self.window_.is_training)

    def open_example(self, name: str) -> bool:
        w = self.window_
        fa = w.file_actions
        if w.is_training or not fa.can_discard_changes("opening an example"):
            return False
        path = resources.files("neuron_gui.resources") / "examples" / name
        try:
            with resources.as_file(path) as real:
                examples = files.read_examples_csv(real)
        except (DataError, OSError) as e:
            fa.report_error(f"Cannot open the example {name}", str(e))
            return False
        w.document.new_from(examples, f"open example {name}")
        w.statusBar().showMessage(f"Opened the example {name} as a new table", 5000)
        return True
