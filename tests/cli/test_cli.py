"""``neuron-gui train`` as a user runs it: a real process, its output, its exit code (no Qt)."""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from neuron_gui import cli
from neuron_gui.core import training
from neuron_gui.core.examples import Examples
from neuron_gui.core.lesson import initial_weights, sigmoid, train_reference, weighted_sums

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
LESSON_NUMBERS = ["-0.16595599", "0.44064899", "-0.99977125", "0.45860596", "9.67299303", "-0.20784350",
                  "-4.62963669", "0.99993704"]


def neuron_gui(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "neuron_gui", *args], capture_output=True, text=True, env=ENV, cwd=cwd or ROOT,
        timeout=120,
    )


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_train_prints_the_lessons_numbers():
    result = neuron_gui("train")
    assert result.returncode == 0 and result.stderr == ""
    for number in LESSON_NUMBERS:
        assert number in result.stdout
    assert "10,000" in result.stdout and "nan" not in result.stdout.lower()


def test_train_json_has_the_lessons_numbers():
    result = neuron_gui("train", "--json")
    assert result.returncode == 0 and result.stderr == ""
    out = json.loads(result.stdout)
    for key in ("initial_weights", "untrained_prediction", "weights", "prediction", "final_error", "iterations"):
        assert key in out
    assert [f"{w:.8f}" for w in out["initial_weights"]] == LESSON_NUMBERS[:3]
    assert f"{out['untrained_prediction']:.8f}" == "0.45860596"
    assert [f"{w:.8f}" for w in out["weights"]] == LESSON_NUMBERS[4:7]
    assert f"{out['prediction']:.8f}" == "0.99993704"
    assert 0 < out["final_error"] < 1e-4 and out["iterations"] == 10_000 and out["diverged"] is False
    assert out["query"] == [1.0, 0.0, 0.0]


@pytest.mark.parametrize("m", [1, 5])
def test_the_default_query_is_one_then_zeros(tmp_path: Path, m: int):
    header = ",".join(f"in{j}" for j in range(m)) + ",out\n"
    rows = "".join(",".join(str((r + j) % 2) for j in range(m)) + f",{r % 2}\n" for r in range(4))
    result = neuron_gui("train", "--examples", write(tmp_path / "ex.csv", header + rows), "--iterations", "50",
                        "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["query"] == [1.0] + [0.0] * (m - 1)
    assert out["names"] == [f"in{j}" for j in range(m)]
    assert out["prediction"] == pytest.approx(1 / (1 + math.exp(-out["weights"][0])), rel=1e-12)


def test_query_seed_and_learning_rate_are_used():
    """Compared with the lesson's readable reference, not with the code the command itself runs."""
    out = json.loads(neuron_gui("train", "--json", "--query", "0, 1, 1", "--seed", "2", "--learning-rate", "0.5",
                                "--iterations", "100").stdout)
    assert (out["query"], out["seed"], out["learning_rate"], out["iterations"]) == ([0, 1, 1], 2, 0.5, 100)
    lesson = Examples.lesson()
    reference = train_reference(lesson.X, lesson.y, initial_weights(2, 3), 100, 0.5)
    assert out["weights"] == reference.tolist()
    assert out["initial_weights"] == initial_weights(2, 3).tolist()
    assert out["prediction"] == float(sigmoid(weighted_sums(np.array([[0.0, 1.0, 1.0]]), reference))[0])


def test_history_csv_has_a_row_for_the_start_and_each_iteration(tmp_path: Path):
    path = tmp_path / "history.csv"
    result = neuron_gui("train", "--iterations", "250", "--json", "--history-csv", str(path))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["iteration", "x1", "x2", "x3", "error"]
    assert len(rows) == 1 + 251 and out["history_rows"] == 251
    assert [float(v) for v in rows[1][1:4]] == out["initial_weights"]
    assert float(rows[1][4]) == out["initial_error"]
    assert rows[-1][0] == "250"
    assert [float(v) for v in rows[-1][1:4]] == out["weights"] and float(rows[-1][4]) == out["final_error"]
    assert sorted(os.listdir(tmp_path)) == ["history.csv"]


BAD_CSV = "x1,x2,y\n0,1,1\n1,abc,0\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--iterations", "0"], "iterations must be between 1 and 100,000,000, not 0"),
        (["--iterations", "ten"], "argument --iterations: 'ten' is not a whole number"),
        (["--learning-rate", "0"], "the learning rate must be above 0"),
        (["--learning-rate", "nan"], "the learning rate must be above 0 and at most 1,000,000, not nan"),
        (["--learning-rate", "inf"], "the learning rate must be above 0"),
        (["--seed", "-1"], "the seed must be between 0 and"),
        (["--query", "1,0"], "--query: 2 values given, the neuron has 3 inputs"),
        (["--query", "1,x,0"], "--query: x2: 'x' is not a number"),
        (["--query", "1,nan,0"], "--query: x2: NaN"),
        (["--examples", "missing.csv"], "cannot open missing.csv: No such file or directory"),
        (["--examples", "{bad}"], "bad.csv: line 3, column x2: 'abc' is not a number"),
        (["--examples", "{tmp}"], "cannot open"),
        (["--history-csv", "{tmp}/no/such/h.csv"], "does not exist"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--json", "extra"], "unrecognized arguments: extra"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str):
    bad = write(tmp_path / "bad.csv", BAD_CSV)
    args = [a.format(bad=bad, tmp=tmp_path) for a in args]
    result = neuron_gui("train", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("neuron-gui: ")
    assert message in result.stderr
    assert sorted(os.listdir(tmp_path)) == ["bad.csv"]


def test_help_still_works():
    for args in (["train", "--help"], ["--help"]):
        result = neuron_gui(*args)
        assert result.returncode == 0 and result.stdout.startswith("usage: neuron-gui")
    assert "--history-csv" in neuron_gui("train", "--help").stdout


def test_a_missing_file_for_the_window_is_refused_before_qt_starts():
    result = neuron_gui("no-such-file.csv")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "neuron-gui: no-such-file.csv: no such file\n"


QT_CHECK = """
import json, sys
from neuron_gui.cli import main
code = main({args!r})
loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')
                or m.startswith('neuron_gui.ui') or m.startswith('neuron_gui.session'))
print(json.dumps([code, loaded]), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["train", "--iterations", "10"], ["train", "--iterations", "0"],
                                  ["no-such-file.csv"]])
def test_qt_is_never_imported_on_the_headless_paths(args: list[str]):
    result = subprocess.run([sys.executable, "-c", QT_CHECK.format(args=args)], capture_output=True, text=True,
                            env=ENV, cwd=ROOT, timeout=120)
    code, loaded = json.loads(result.stderr.splitlines()[-1])
    assert loaded == []
    assert code == (0 if args[1:] == ["--iterations", "10"] else 2)


def test_weights_that_stop_being_finite_are_reported_not_printed_as_nan(tmp_path: Path, monkeypatch, capsys):
    """A validated run cannot diverge; a learning rate past the limit shows what the user would see."""
    monkeypatch.setattr(training, "MAX_LEARNING_RATE", float("inf"))
    examples = write(tmp_path / "ones.csv", "x,y\n" + "1,1\n" * 16)
    code = cli.main(["train", "--examples", examples, "--learning-rate", "1e308", "--json"])
    out, err = capsys.readouterr()
    assert code == 1
    result = json.loads(out)
    assert result["diverged"] is True and result["iterations"] == 0
    assert result["weights"] == result["initial_weights"]
    assert "NaN" not in out and "Infinity" not in out
    assert err.startswith("neuron-gui: stopped at iteration 0 of 10,000: the next update would make the weights")
    assert err.count("\n") == 1

    code = cli.main(["train", "--examples", examples, "--learning-rate", "1e308"])
    out, err = capsys.readouterr()
    assert code == 1 and "nan" not in out.lower() and "stopped at iteration 0" in err
