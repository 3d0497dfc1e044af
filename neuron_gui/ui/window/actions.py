"""The one action factory: every command of the window is a QAction made here, with its objectName, shortcut,
tooltip (naming the shortcut) and status tip. Features are given the factory, never the window."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


class ActionFactory:
    """Makes actions owned by (and reachable through the shortcuts of) one widget, the main window."""

    def __init__(self, owner: QWidget):
        self.owner = owner

    def __call__(self, text: str, shortcut, slot: Callable, tip: str, name: str) -> QAction:
        action = QAction(text, self.owner)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        shown = action.shortcut().toString(QKeySequence.NativeText)
        action.setToolTip(f"{tip} ({shown})" if shown else tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.owner.addAction(action)
        return action
