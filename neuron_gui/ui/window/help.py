"""Help: the built-in guide (F1), the keyboard shortcuts, About (with every version a bug report needs)
and About Qt.

Both dialogs are modeless and reused: the guide can stay open beside the window while the neuron
trains, and a second F1 brings the same guide to the front.
"""

from __future__ import annotations

import platform
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, qVersion
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ... import __version__
from ..style.icons import app_icon
from .guide import guide_html

if TYPE_CHECKING:
    from .main_window import MainWindow


def versions() -> list[tuple[str, str]]:
    """(component, version) for About and for bug reports."""
    import numba
    import numpy
    import pyqtgraph
    import PySide6

    screen = QGuiApplication.primaryScreen()
    ratio = f"{screen.devicePixelRatio():g}" if screen is not None else "?"
    return [
        ("neuron-gui", __version__),
        ("Python", platform.python_version()),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("pyqtgraph", pyqtgraph.__version__),
        ("numpy", numpy.__version__),
        ("numba", numba.__version__),
        ("System", f"{platform.system()} {platform.release()} ({platform.machine()})"),
        ("Display", f"{QGuiApplication.platformName()}, {QApplication.style().name()} style, scale {ratio}"),
    ]


def menu_shortcuts(menus: list[QMenu]) -> list[tuple[str, str, str]]:
    """(menu item, its keys, its status tip) for every item with a shortcut, menu by menu."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()

    def walk(menu: QMenu) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu())
                continue
            # each key once: Redo's standard key is Ctrl+Shift+Z on Linux, which it also has by name
            keys = ", ".join(dict.fromkeys(k.toString(QKeySequence.NativeText) for k in action.shortcuts()
                                           if not k.isEmpty()))
            if keys and id(action) not in seen:
                seen.add(id(action))
                rows.append((action.text().replace("&", ""), keys, action.statusTip()))

    for menu in menus:
        walk(menu)
    return rows


class GuideDialog(QDialog):
    """The guide in a browser with working links between its sections."""

    def __init__(self, window: MainWindow):
        super().__init__(window, Qt.Window)
        self.setObjectName("guideDialog")
        self.setWindowTitle("neuron-gui guide")
        self.browser = QTextBrowser()
        self.browser.setObjectName("guideBrowser")
        self.browser.setAccessibleName("Guide")
        self.browser.setOpenExternalLinks(True)
        core = ("examplesDock", "trainingDock", "queryDock", "diagramDock")
        more = [d.windowTitle().replace("&", "") for name, d in window.docks.items() if name not in core]
        more += [f"{bar.windowTitle()} bar" for bar in window.findChildren(QToolBar)
                 if bar.objectName() != "mainToolBar" and bar.parentWidget() is window]
        self.browser.setHtml(guide_html(menu_shortcuts(list(window.menus.values())), more))
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        font_height = self.fontMetrics().height()
        self.resize(QSize(font_height * 46, font_height * 44))

    def show_section(self, anchor: str = "") -> None:
        if anchor:
            self.browser.scrollToAnchor(anchor)
        else:
            self.browser.verticalScrollBar().setValue(0)
        self.show()
        self.raise_()
        self.activateWindow()

    @property
    def text(self) -> str:
        return self.browser.toPlainText()


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About neuron-gui")
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(QSize(64, 64)))
        icon.setAlignment(Qt.AlignTop)
        title = QLabel(
            f"<h2>neuron-gui {__version__}</h2>"
            "<p>See a single sigmoid neuron learn: edit the examples, train, and watch the weights, the "
            "error and the examples on the sigmoid move live.</p>"
            "<p>Free software under the MIT licence.</p>"
        )
        title.setWordWrap(True)
        title.setTextFormat(Qt.RichText)
        rows = "".join(f"<tr><td>{name}&nbsp;&nbsp;</td><td>{v}</td></tr>" for name, v in versions())
        self.versions = QLabel(f"<table>{rows}</table>")
        self.versions.setObjectName("aboutVersions")
        self.versions.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.versions.setAccessibleName("Versions")
        copy = QPushButton("&Copy Versions")
        copy.setObjectName("copyVersionsButton")
        copy.setToolTip("Copy these versions as text, to paste into a bug report")
        copy.clicked.connect(self.copy_versions)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.addButton(copy, QDialogButtonBox.ActionRole)
        buttons.rejected.connect(self.close)
        top = QHBoxLayout()
        top.addWidget(icon)
        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(self.versions)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 60)

    def version_text(self) -> str:
        return "\n".join(f"{name}: {v}" for name, v in versions())

    def copy_versions(self) -> None:
        QApplication.clipboard().setText(self.version_text())


class HelpActions:
    """The Help menu: Guide, Keyboard Shortcuts, About, About Qt."""

    def __init__(self, window: MainWindow):
        self.window = window
        self.guide: GuideDialog | None = None
        self.about: AboutDialog | None = None
        act = window._action
        self.guide_action = act("&Guide", QKeySequence.HelpContents, lambda: self.show_guide(),
                                "What a neuron, a weight, the sigmoid and the delta rule are, on the lesson's "
                                "example", "guideAction")
        self.shortcuts_action = act("&Keyboard Shortcuts", "Ctrl+F1", lambda: self.show_guide("keyboard"),
                                    "Every key the window answers to", "shortcutsAction")
        self.about_qt_action = act("About &Qt", None, QApplication.aboutQt, "The Qt toolkit's version and licence",
                                   "aboutQtAction")
        self.about_qt_action.setMenuRole(QAction.AboutQtRole)
        window.about_action.setMenuRole(QAction.AboutRole)
        window.about_action.setStatusTip("neuron-gui's version, and those of everything it runs on")
        menu = window.menus["Help"]
        first = menu.actions()[0] if menu.actions() else None
        menu.insertActions(first, [self.guide_action, self.shortcuts_action])
        menu.insertSeparator(first)
        menu.addAction(self.about_qt_action)

    def show_guide(self, anchor: str = "") -> GuideDialog:
        if self.guide is None:
            QApplication.setOverrideCursor(Qt.WaitCursor)  # the lesson's numbers take a tenth of a second
            try:
                self.guide = GuideDialog(self.window)
            finally:
                QApplication.restoreOverrideCursor()
        self.guide.show_section(anchor)
        return self.guide

    def show_about(self) -> AboutDialog:
        if self.about is None:
            self.about = AboutDialog(self.window)
        self.about.show()
        self.about.raise_()
        return self.about
