"""Qt widgets and models, split by role: window/ (the main window and what it assembles), views/, panels/,
style/. Importing this package imports nothing; the headless paths never load Qt.

``from neuron_gui.ui import MainWindow`` still works: the window is imported on first use, not with the
package (so importing a view or a panel never drags the whole window in)."""


def __getattr__(name: str):
    if name == "MainWindow":
        from .window.main_window import MainWindow

        return MainWindow
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
