"""What makes the window a desktop application: the toolbar and icons, the View menu (panels, layout,
theme, presentation mode, full screen), the Help menu (guide, shortcuts, About), File > Open Example,
and the views' descriptions for screen readers.

:func:`install_desktop` is called once, at the end of the window's construction, when every dock and
action exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QMenu, QToolBar

from ..style.themes import ThemeManager
from .accessibility import ViewDescriptions
from .accessible_names import CellEditing, install_accessible_factory, name_controls, name_dock_buttons
from .help import HelpActions
from .layout import DockLayout
from .panel_visibility import PanelVisibility
from .run_announcements import RunAnnouncements
from .tab_order import TabOrder, name_unnamed_views
from .toolbar import ExampleMenu, MainToolBar

if TYPE_CHECKING:
    from .main_window import MainWindow


@dataclass
class Desktop:
    themes: ThemeManager
    help: HelpActions
    toolbar: MainToolBar
    examples_menu: ExampleMenu
    layout: DockLayout
    descriptions: ViewDescriptions
    tab_order: TabOrder
    panels: PanelVisibility | None = None
    announcements: RunAnnouncements | None = None
    cell_editing: CellEditing | None = None
    view_menu: _ViewMenu | None = None
    first_show: _FirstShow | None = None


class _ViewMenu(QObject):
    """Rebuilds View each time it opens, so a dock added by any part of the app has its toggle."""

    def __init__(self, desktop: Desktop, window: MainWindow):
        super().__init__(window)
        self.desktop = desktop
        self.window = window
        self.menu = window.menus["View"]
        self.menu.setToolTipsVisible(True)
        self.menu.aboutToShow.connect(self.rebuild)
        self._contents: tuple | None = None
        self.rebuild()

    def rebuild(self) -> None:
        d, menu, w = self.desktop, self.menu, self.window
        bars = [bar for bar in w.findChildren(QToolBar) if bar.parentWidget() is w]
        contents = (tuple(w.docks), tuple(bar.objectName() for bar in bars))
        if contents == self._contents:
            return
        self._contents = contents
        for action in menu.actions():
            # removed one by one: QMenu.clear() in PySide also voids the Python side of actions it does
            # not own (a dock's toggle), which their owners may still hold
            menu.removeAction(action)
            if action.parent() is menu:  # a section or separator the menu made
                action.deleteLater()
        menu.addSection("Panels")
        menu.addActions(d.layout.panel_actions())
        for bar in bars:
            toggle = bar.toggleViewAction()
            if not toggle.statusTip():
                toggle.setStatusTip(toggle.toolTip() if toggle.toolTip() != toggle.text().replace("&", "")
                                    else f"Show or hide the {bar.windowTitle()} toolbar")
            menu.addAction(toggle)
        menu.addSeparator()
        menu.addAction(d.layout.reset_action)
        menu.addSeparator()
        menu.addMenu(d.themes.theme_menu)
        menu.addAction(d.themes.presentation_action)
        menu.addAction(d.themes.full_screen_action)


class _FirstShow(QObject):
    """Lays the docks out for the window's size just before it first shows (and before the saved
    layout, if any, is restored over it), then puts Tab in reading order."""

    def __init__(self, window: MainWindow, desktop: Desktop):
        super().__init__(window)
        self.window = window
        self.desktop = desktop
        self.done = False
        window.installEventFilter(self)  # installed after Preferences': sees Show first

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Show and not self.done:
            self.done = True
            self.desktop.layout.reset()
            name_unnamed_views(self.window)
            self.desktop.panels.schedule()
            self.desktop.tab_order.schedule()
            # the keyboard to the new window even where no window manager hands it over (a bare X
            # session, a kiosk): otherwise keys reach no one until a click
            QTimer.singleShot(0, self.window.activateWindow)  # once the saved layout, if any, is in place too
        return False


SUBMENU_TIPS = {
    "recentMenu": "Open one of the last files used",
    "exportMenu": "Save the training history as CSV, or a plot or the window as an image",
    "themeMenu": "Follow the system's light or dark setting, or choose one",
    "exampleMenu": "Open one of the example tables that come with neuron-gui, as a new table",
}


def _explain_menus(window: MainWindow) -> None:
    """Status tips for the submenus and for undo and redo (their text changes with the last edit)."""
    for menu in window.findChildren(QMenu):
        action = menu.menuAction()
        tip = SUBMENU_TIPS.get(menu.objectName()) or action.statusTip() or \
            f"The {menu.title().replace('&', '')} commands"
        action.setStatusTip(tip)
        action.setToolTip(tip)
    window.undo_action.setStatusTip("Take back the last change to the table")
    window.redo_action.setStatusTip("Make the change taken back again")


def install_desktop(window: MainWindow) -> Desktop:
    install_accessible_factory()  # before any interface below is asked for (see accessible_names)
    themes = ThemeManager(window)
    help_actions = HelpActions(window)
    examples_menu = ExampleMenu(window)
    toolbar = MainToolBar(window)
    themes.style_changed.connect(toolbar.refresh_icons)
    layout = DockLayout(window)
    descriptions = ViewDescriptions(window)
    desktop = Desktop(themes, help_actions, toolbar, examples_menu, layout, descriptions, TabOrder(window))
    layout.reset_action.triggered.connect(desktop.tab_order.schedule)
    desktop.panels = PanelVisibility(window)  # a panel behind a tab leaves the Tab chain and the bus
    desktop.panels.changed.connect(desktop.tab_order.schedule)
    desktop.panels.changed.connect(lambda: name_dock_buttons(window))
    # a panel just shown: its labels' names caught up at once (they were not followed while hidden)
    desktop.panels.changed.connect(lambda: descriptions.labels.refresh(descriptions.moving(), shown=True))
    desktop.announcements = RunAnnouncements(window)
    desktop.cell_editing = CellEditing(window.examples_panel.table)
    name_controls(window)
    desktop.view_menu = _ViewMenu(desktop, window)
    desktop.first_show = _FirstShow(window, desktop)
    _explain_menus(window)
    return desktop
