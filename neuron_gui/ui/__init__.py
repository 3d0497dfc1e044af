"""Qt widgets and models. Importing this package imports Qt; the headless paths never do."""

from .window.main_window import MainWindow

__all__ = ["MainWindow"]
