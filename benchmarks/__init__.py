"""neuron-gui's benchmark: ``python -m benchmarks [--quick]`` (see ``python -m benchmarks --help``).

Each figure of issue #7 is measured against a baseline measured in the same run, and printed as a ratio
with its target. One module per figure group; each group runs in a fresh process of its own, so that
memory, start-up and first-use costs are not hidden by an earlier group.
"""
