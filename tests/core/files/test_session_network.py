"""Sessions of networks: the shape and every layer saved, the run recomputed bit for bit on open, a bad
shape refused naming the field (no Qt)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from neuron_gui.core.examples import Examples
from neuron_gui.core.files import FileFormatError, format_session, load_session, parse_session, save_session
from neuron_gui.core.sequel import SEQUEL_QUERY, sequel_examples
from neuron_gui.core.training import Run, Settings, train


def network_run() -> Run:
    """The sequel's table, two hidden layers, a learning-rate change mid-run."""
    run = Run(sequel_examples(), Settings(iterations=900, hidden=(4, 2)))
    run.step(600)
    run.learning_rate = 0.5
    run.step(300)
    return run


def test_a_network_session_saves_its_shape_and_reopens_to_the_same_run(tmp_path: Path):
    run = network_run()
    path = tmp_path / "net.json"
    save_session(path, run.examples, run.settings, run.weights, run.iteration, run.history, query=SEQUEL_QUERY)
    doc = json.loads(path.read_text())
    assert doc["format_version"] == 2 and doc["settings"]["hidden"] == [4, 2]
    assert [np.shape(w) for w in doc["run"]["weights"]] == [(3, 4), (4, 2), (2, 1)]
    assert doc["run"]["weights"][1] == run.layers[1].tolist()
    session = load_session(path)
    assert session.settings == run.settings and session.settings.hidden == (4, 2)
    back = session.to_run()
    assert back.hidden == (4, 2) and back.iteration == 900
    assert back.weights.tobytes() == run.weights.tobytes()
    assert back.history.learning_rates == [(0, 1.0), (600, 0.5)]
    assert back.history.exact_records().weights.tobytes() == run.history.exact_records().weights.tobytes()


def test_the_single_neurons_session_is_unchanged_by_networks():
    run = train(Examples.lesson(), Settings(iterations=20))
    doc = json.loads(format_session(run.examples, run.settings, run.weights, 20, run.history))
    assert "hidden" not in doc["settings"] and np.shape(doc["run"]["weights"]) == (1, 3, 1)


def test_a_resumed_network_saves_where_it_started():
    shape_run = Run(sequel_examples(), Settings(iterations=50, hidden=(2,)))
    start = np.linspace(-1, 1, shape_run.shape.n_params)
    run = Run.resume(sequel_examples(), Settings(iterations=80, hidden=(2,)), start, 50)
    run.step(30)
    text = format_session(run.examples, run.settings, run.weights, run.iteration, run.history)
    assert json.loads(text)["run"]["start"]["weights"] == [w.tolist() for w in run.shape.split(start)]
    back = parse_session(text).to_run()
    assert back.iteration == 80 and back.weights.tobytes() == run.weights.tobytes()


def good_network_session() -> dict:
    run = train(sequel_examples(), Settings(iterations=20, hidden=(2,)))
    return json.loads(format_session(run.examples, run.settings, run.weights, 20, run.history))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("hidden", [17], "s.json: settings.hidden: a hidden layer has 1 to 16 neurons, not 17"),
    ("hidden", [1, 1, 1, 1, 1], "s.json: settings.hidden: at most 4 hidden layers, not 5"),
    ("hidden", "4", "s.json: settings.hidden: expected a list of sizes, found"),
    ("hidden", [2.5], "s.json: settings.hidden: a hidden layer's size must be a whole number"),
    ("hidden", [3], "s.json: run.weights[0][0]: 2 values, expected 3"),
    ("hidden", [2, 2], "s.json: run.weights: expected a list of 3 layers (a 3-2-2-1 network), found 2 layers"),
])
def test_a_bad_shape_is_refused_naming_the_field(field: str, value, message: str):
    doc = good_network_session()
    doc["settings"][field] = value
    with pytest.raises(FileFormatError) as info:
        parse_session(json.dumps(doc), "s.json")
    assert str(info.value).startswith(message), str(info.value)


def test_a_network_file_whose_weights_were_changed_is_refused():
    doc = good_network_session()
    doc["run"]["weights"][1][0][0] += 1e-12
    with pytest.raises(FileFormatError, match="run.weights: the saved weights are not what"):
        parse_session(json.dumps(doc), "s.json").to_run()
