"""Leaving as code: exported scripts import only numpy, run on their own, and print the app's prediction
to 8 decimals (no Qt)."""

from __future__ import annotations

import ast
import subprocess
import sys

import numpy as np
import pytest

from neuron_gui.core.examples import Examples
from neuron_gui.core.lesson import LESSON_QUERY
from neuron_gui.core.network import Shape
from neuron_gui.core.script_export import python_script, script_for_run
from neuron_gui.core.sequel import SEQUEL_QUERY, sequel_examples, sequel_settings
from neuron_gui.core.training import Run, Settings, train


def run_script(text: str, tmp_path) -> list[str]:
    path = tmp_path / "exported.py"
    path.write_text(text)
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout.splitlines()


def imports(text: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add((node.module or "").split(".")[0])
    return found


def test_the_lessons_script_prints_the_lessons_numbers(tmp_path):
    run = train(Examples.lesson())
    text = script_for_run(run, LESSON_QUERY)
    assert imports(text) == {"numpy"}
    assert "synapse_weights = 2 * random.random((3, 1)) - 1" in text and "for iteration in range(10000):" in text
    out = run_script(text, tmp_path)
    assert out[1:4] == ["[[-0.16595599]", " [ 0.44064899]", " [-0.99977125]]"]
    assert "[0.45860596]" in out
    assert out[-1] == "Considering new situation [1 0 0] -> ?: 0.99993704"


def test_the_sequels_script_prints_the_sequels_numbers(tmp_path):
    run = train(sequel_examples(), sequel_settings())
    text = script_for_run(run, SEQUEL_QUERY)
    assert imports(text) == {"numpy"} and "weights_1 += dot(training_set_inputs.T, delta_1)" in text
    out = run_script(text, tmp_path)
    assert out[-1] == "Considering new situation [1 1 0] -> ?: 0.00788760"
    assert out[-1].endswith(f"{run.predict(SEQUEL_QUERY):.8f}")
    assert "[[ -8.18850925]" in out


@pytest.mark.parametrize("seed", range(3))
def test_scripts_of_other_shapes_and_rate_changes_reproduce_the_run(seed: int, tmp_path):
    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 6))
    X = np.round(rng.uniform(-2, 2, (int(rng.integers(2, 9)), m)), 3)
    X[0, 0] = 1.25e-3
    examples = Examples.create(X, np.round(rng.uniform(0, 1, len(X)), 2))
    hidden = [(), (3,), (5, 2), (2, 3, 2)][int(rng.integers(0, 4))] if seed else (2, 2, 2, 2)
    run = Run(examples, Settings(iterations=3000, seed=seed + 5, learning_rate=0.5, hidden=hidden))
    run.step(1000)
    run.learning_rate = 2.5
    run.step(1200)
    run.learning_rate = 1.0
    run.step(800)
    query = np.round(rng.uniform(-1, 1, m), 2)
    text = script_for_run(run, query)
    assert "range(1000, 2200):  # learning rate 2.5" in text and "range(2200, 3000):" in text
    out = run_script(text, tmp_path)
    assert out[-1].endswith(f" {run.predict(query):.8f}"), (hidden, out[-1])


def test_a_script_without_rates_uses_the_rule_as_is():
    text = python_script(Examples.lesson(), Shape(3, (2,)), 1, 5, LESSON_QUERY)
    assert "weights_2 += dot(layer_1.T, delta_2)" in text and "for iteration in range(5):" in text
