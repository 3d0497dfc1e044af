"""neuron-gui: see a single sigmoid neuron learn."""

__version__ = "0.1.0"
