"""Icons, the .desktop file and example tables, installed as the package ``neuron_gui.resources``."""
