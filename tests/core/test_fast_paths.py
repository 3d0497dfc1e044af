"""The fast paths added for speed give exactly what the plain ones give (no Qt)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from neuron_gui.core import kernel
from neuron_gui.core.display import _fold
from neuron_gui.core.files import FileFormatError, parse_examples_csv


@pytest.mark.parametrize("seed", range(6))
def test_the_numpy_error_equals_the_compiled_one_bit_for_bit(seed: int):
    """Before the compiled error is loaded, small tables get it from numpy: it must be the same number."""
    rng = np.random.default_rng(seed)
    for _ in range(200):
        n, m = int(rng.integers(1, 40)), int(rng.integers(1, 17))
        X = rng.uniform(-1, 1, (n, m)) * 10 ** rng.uniform(-3, 6)  # up to saturated sums, both ways
        y = rng.uniform(0, 1, n) if rng.random() < 0.5 else rng.integers(0, 2, n).astype(float)
        w = rng.uniform(-1, 1, m) * 10 ** rng.uniform(-3, 4)
        if rng.random() < 0.1:
            w[:] = 0.0
        compiled = float(kernel._forward_error(X, y, w))
        numpy = kernel.forward_error_numpy(X, y, w)
        assert math.copysign(1, numpy) == math.copysign(1, compiled) and numpy == compiled


def test_folding_buckets_keeps_each_groups_extremes_for_every_width():
    rng = np.random.default_rng(1)
    for _ in range(300):
        n, ratio = int(rng.integers(1, 600)), 2 ** int(rng.integers(0, 9))
        src = rng.normal(size=(n, int(rng.integers(1, 5)))) if rng.random() < 0.5 else rng.normal(size=n)
        groups = -(-n // ratio)
        for op in (np.minimum, np.maximum):
            out = np.full((groups, *src.shape[1:]), np.nan)
            _fold(src, ratio, op, out)
            expected = [op.reduce(src[i * ratio : (i + 1) * ratio], axis=0) for i in range(groups)]
            assert np.array_equal(out, np.array(expected))


def test_a_bad_cell_deep_in_a_big_csv_is_named_by_line_and_column():
    rows = [f"{i % 7},{i % 3},1,{i % 2}" for i in range(20_000)]
    rows[12_345] = "1,two,1,0"
    with pytest.raises(FileFormatError) as e:
        parse_examples_csv("x1,x2,x3,y\n" + "\n".join(rows) + "\n", "big.csv")
    assert str(e.value) == "big.csv: line 12347, column x2: 'two' is not a number"
    rows[12_345] = "1,0,1,1.5"
    with pytest.raises(FileFormatError) as e:
        parse_examples_csv("x1,x2,x3,y\n" + "\n".join(rows) + "\n", "big.csv")
    assert "line 12347, column y: target 1.5 is outside [0, 1]" in str(e.value)
    rows[12_345] = "1,0,1,1"
    examples = parse_examples_csv("x1,x2,x3,y\n" + "\n".join(rows) + "\n", "big.csv")
    assert examples.X.shape == (20_000, 3) and examples.y[12_345] == 1.0 and examples.X[4, 0] == 4.0
