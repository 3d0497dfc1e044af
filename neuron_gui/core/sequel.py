"""The sequel lesson: the table one neuron cannot learn (y is x1 XOR x2) and the network that can.

Its printed numbers are the acceptance test of the network model (``tests/core/test_network.py``); the
window's Training > Sequel Preset loads exactly these.
"""

from __future__ import annotations

import numpy as np

from .examples import Examples
from .training import Settings

SEQUEL_X = np.array(
    [[0, 0, 1], [0, 1, 1], [1, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 1], [0, 0, 0]], dtype=np.float64
)
SEQUEL_Y = np.array([0, 1, 1, 1, 1, 0, 0], dtype=np.float64)
SEQUEL_QUERY = np.array([1, 1, 0], dtype=np.float64)
SEQUEL_HIDDEN = (4,)
SEQUEL_ITERATIONS = 60_000
SEQUEL_SEED = 1
SEQUEL_LEARNING_RATE = 1.0


def sequel_examples() -> Examples:
    return Examples.create(SEQUEL_X, SEQUEL_Y)


def sequel_settings() -> Settings:
    return Settings(SEQUEL_ITERATIONS, SEQUEL_SEED, SEQUEL_LEARNING_RATE, SEQUEL_HIDDEN)
