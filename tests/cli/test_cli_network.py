"""``neuron-gui train --hidden ...`` and ``--export-script`` as a user runs them: a real process, its output,
its exit code (no Qt)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from neuron_gui import cli

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
SEQUEL_CSV = "x1,x2,x3,y\n0,0,1,0\n0,1,1,1\n1,0,1,1\n0,1,0,1\n1,0,0,1\n1,1,1,0\n0,0,0,0\n"
SEQUEL = ["--hidden", "4", "--iterations", "60000", "--query", "1,1,0"]


def neuron_gui(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "neuron_gui", *args], capture_output=True, text=True, env=ENV,
                          cwd=cwd or ROOT, timeout=300)


@pytest.fixture(scope="module")
def sequel_csv(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("sequel") / "sequel.csv"
    path.write_text(SEQUEL_CSV)
    return str(path)


@pytest.fixture(scope="module")
def sequel_json(sequel_csv: str) -> dict:
    result = neuron_gui("train", "--examples", sequel_csv, *SEQUEL, "--json")
    assert result.returncode == 0 and result.stderr == ""
    return json.loads(result.stdout)


def rounded(matrix) -> list:
    return [[round(v, 8) for v in row] for row in matrix]


def test_the_sequels_table_through_the_command_line(sequel_json: dict):
    out = sequel_json
    assert out["hidden"] == [4] and out["iterations"] == 60_000 and out["query"] == [1.0, 1.0, 0.0]
    w1, w2 = out["initial_weights"]
    assert rounded(w1) == [[-0.16595599, 0.44064899, -0.99977125, -0.39533485],
                           [-0.70648822, -0.81532281, -0.62747958, -0.30887855],
                           [-0.20646505, 0.07763347, -0.16161097, 0.370439]]
    assert rounded(w2) == [[-0.5910955], [0.75623487], [-0.94522481], [0.34093502]]
    w1, w2 = out["weights"]
    assert rounded(w1) == [[0.3122465, 4.57704063, -6.15329916, -8.75834924],
                           [0.19676933, -8.74975548, -6.1638187, 4.40720501],
                           [-0.03327074, -0.58272995, 0.08319184, -0.39787635]]
    assert rounded(w2) == [[-8.18850925], [10.13210706], [-21.33532796], [9.90935111]]
    assert [f"{v:.6g}" for v in out["query_activations"][0]] == ["0.624576", "0.0151765", "4.47447e-06", "0.012728"]
    assert f"{out['prediction']:.7f}" == "0.0078876" and out["diverged"] is False
    assert out["neurons"] == [["x1", "x2", "x3"], ["h1", "h2", "h3", "h4"], ["out"]]


def test_the_sequels_table_as_text(sequel_csv: str):
    result = neuron_gui("train", "--examples", sequel_csv, *SEQUEL)
    assert result.returncode == 0 and result.stderr == ""
    text = result.stdout
    for number in ("-0.16595599", "-0.59109550", "4.57704063", "-21.33532796", "0.62457573", "0.00788760"):
        assert number in text
    assert "3-4-1" in text and "layer 2 (h1..h4 → out)" in text and "nan" not in text.lower()
    assert text.splitlines()[-2].startswith("prediction") and "0.00788760" in text.splitlines()[-2]


def test_one_neuron_on_the_sequels_table_keeps_todays_keys(sequel_csv: str):
    result = neuron_gui("train", "--examples", sequel_csv, "--iterations", "60000", "--query", "1,1,0", "--json",
                        "--hidden", "0")
    out = json.loads(result.stdout)
    assert out["hidden"] == [] and len(out["weights"]) == 3 and isinstance(out["weights"][0], float)
    assert f"{out['prediction']:.12f}"[:10] == "0.99999999" and "query_activations" not in out
    lesson = json.loads(neuron_gui("train", "--json").stdout)
    assert lesson["hidden"] == [] and f"{lesson['prediction']:.8f}" == "0.99993704"


@pytest.mark.parametrize("value, message", [
    ("-1", "1 to 16 neurons, not -1"), ("17", "1 to 16 neurons, not 17"), ("1,2,3,4,5", "at most 4 hidden layers"),
    ("two", "whole number, not 'two'"), ("2.5", "whole number, not '2.5'"), ("4,", "whole number, not ''"),
])
def test_bad_hidden_sizes_exit_2_with_one_line(value: str, message: str):
    result = neuron_gui("train", f"--hidden={value}")
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "--hidden" in result.stderr and message in result.stderr


def test_the_history_csv_names_each_weight_by_the_neurons_it_joins(sequel_csv: str, tmp_path: Path):
    history = tmp_path / "history.csv"
    result = neuron_gui("train", "--examples", sequel_csv, "--hidden", "2,2", "--iterations", "50",
                        "--history-csv", str(history), "--json")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(history.open()))
    assert rows[0][:3] == ["iteration", "x1→h1.1", "x1→h1.2"] and rows[0][-3:] == ["h2.1→out", "h2.2→out", "error"]
    assert len(rows[0]) == 1 + 3 * 2 + 2 * 2 + 2 + 1 and len(rows) == 52
    out = json.loads(result.stdout)
    last = [float(v) for v in rows[-1][1:-1]]
    flat = [v for layer in out["weights"] for row in layer for v in row]
    assert last == flat


def test_export_script_reproduces_the_prediction(sequel_csv: str, tmp_path: Path):
    script = tmp_path / "sequel.py"
    result = neuron_gui("train", "--examples", sequel_csv, *SEQUEL, "--export-script", str(script))
    assert result.returncode == 0 and result.stderr == "" and str(script) in result.stdout
    ran = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0 and ran.stdout.splitlines()[-1].endswith(" 0.00788760")
    lesson = tmp_path / "lesson.py"
    assert neuron_gui("train", "--export-script", str(lesson)).returncode == 0
    ran = subprocess.run([sys.executable, str(lesson)], capture_output=True, text=True, timeout=300)
    assert ran.stdout.splitlines()[-1].endswith(" 0.99993704") and "synapse_weights" in lesson.read_text()


def test_export_script_to_a_missing_folder_exits_2_before_training(tmp_path: Path):
    result = neuron_gui("train", "--iterations", "100000000", "--export-script", str(tmp_path / "no" / "x.py"))
    assert result.returncode == 2 and result.stdout == "" and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("history", [True, False])
def test_a_signal_whose_exception_a_c_callback_swallowed_still_stops_training(tmp_path: Path, history: bool):
    """Python runs a signal handler wherever the main thread is, also inside a C callback of numba's
    compiler, which swallows the exception: training must still stop at its next chunk, files removed."""
    with pytest.raises(cli._Stopped):
        cli._raise_stopped(15, None)  # the handler ran; pretend its exception was lost
    args = ["train", "--iterations", "100,000,000"] + (["--history-csv", str(tmp_path / "h.csv")] if history else [])
    assert cli.main(args) == 143 and os.listdir(tmp_path) == []
    assert cli._signalled == [] and cli.main(["train", "--iterations", "10", "--json"]) == 0
