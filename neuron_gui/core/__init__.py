"""Pure numpy + stdlib: the neuron, its training, its data and files. Never imports Qt."""
