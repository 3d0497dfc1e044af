"""Qt widgets and models, split by role: window/ (assembly), views/, panels/, style/. Importing this package
imports Qt; the headless paths never do. The main window is ``neuron_gui.ui.window.main_window.MainWindow``."""
