"""``neuron-gui`` under hostile arguments, files and streams: one line on stderr and exit 2, never a
traceback, a hang or a clobbered file (issue 12). Real processes, no Qt."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from neuron_gui import cli
from neuron_gui.core import training
from neuron_gui.core.examples import Examples
from neuron_gui.core.files import format_examples_csv, save_session
from tests.file_helpers import ENV, ROOT, unprivileged

LESSON_CSV = format_examples_csv(Examples.lesson())


def neuron_gui(*args: str, cwd: Path | None = None, **kwargs) -> subprocess.CompletedProcess:
    options = {"capture_output": True, "timeout": 120, "env": ENV, **kwargs}
    return subprocess.run([sys.executable, "-m", "neuron_gui", *args], text=True, cwd=cwd or ROOT, **options)


def refused(result: subprocess.CompletedProcess, message: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout in ("", None)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("neuron-gui: "), result.stderr
    assert "Traceback" not in result.stderr
    assert message in result.stderr, result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--query=--"], "--query: expected a value after '=', not '--'"),
    (["--iterations=--"], "--iterations: expected a value after '=', not '--'"),
    (["--seed=--"], "--seed: expected a value after '=', not '--'"),
    (["--examples=--"], "--examples: expected a value after '=', not '--'"),
    (["--history-csv=--"], "--history-csv: expected a value after '=', not '--'"),
    (["--examples", ""], "--examples: the file name is empty"),
    (["--history-csv", ""], "--history-csv: the file name is empty"),
    (["--iterations", "1_000"], "'1_000' is not a whole number (write it without '_')"),
    (["--iterations", "\uff11\uff10"], "is not a whole number (only the digits 0-9"),
    (["--seed", "\u0661"], "is not a whole number (only the digits 0-9"),
    (["--learning-rate", "0_5"], "'0_5' is not a number (write it without '_')"),
    (["--learning-rate", "\uff10.5"], "is not a number (only the digits 0-9"),
    (["--learning-rate", "1000000.0000001"], "at most 1,000,000, not 1000000.0000001"),
    (["--query", "1_0,0,0"], "--query: x1: '1_0' is not a number"),
    (["--query", "\uff11,0,0"], "--query: x1: '\uff11' is not a number"),
    (["--iterations", "1" * 100_000], "is far too large"),
])
def test_hostile_options_are_refused_in_one_short_line(args: list[str], message: str):
    result = neuron_gui("train", *args)
    refused(result, message)
    assert len(result.stderr) < 300, "a huge value is not echoed back whole"


def test_iterations_may_be_written_as_the_window_writes_them():
    out = json.loads(neuron_gui("train", "--iterations", "1,000", "--json").stdout)
    assert out["iterations"] == 1_000


def test_an_option_of_train_given_to_the_window_says_where_it_belongs():
    refused(neuron_gui("--iterations", "5"), "--iterations is an option of the train command: neuron-gui train")
    refused(neuron_gui("--json"), "--json is an option of the train command")


def test_a_fifo_is_refused_at_once(tmp_path: Path):
    fifo = tmp_path / "f.csv"
    os.mkfifo(fifo)
    refused(neuron_gui("train", "--examples", str(fifo), timeout=60), "it is a named pipe (FIFO), not a regular file")
    refused(neuron_gui(str(fifo), timeout=60), "f.csv: it is a named pipe (FIFO), not a regular file")


def test_every_output_is_checked_before_training(tmp_path: Path, monkeypatch, capsys):
    """A folder as --history-csv trained 10^6 iterations for 9 s before saying so."""
    def never(self):
        raise AssertionError("training started before the output was checked")

    monkeypatch.setattr(training.Run, "train_streamed", never)
    monkeypatch.setattr(training.Run, "step", never)
    (tmp_path / "folder").mkdir()
    for target, message in ((tmp_path / "folder", "folder: it is a folder"),
                            (tmp_path / "no" / "h.csv", "does not exist")):
        assert cli.main(["train", "--iterations", "1000000", "--history-csv", str(target)]) == 2
        out, err = capsys.readouterr()
        assert out == "" and message in err and err.count("\n") == 1
    assert sorted(os.listdir(tmp_path)) == ["folder"]


def test_the_examples_file_is_never_overwritten_by_the_history(tmp_path: Path):
    data = tmp_path / "d.csv"
    data.write_text(LESSON_CSV)
    (tmp_path / "link.csv").symlink_to(data)
    for target in ("d.csv", "./d.csv", "link.csv"):
        refused(neuron_gui("train", "--examples", "d.csv", "--history-csv", target, cwd=tmp_path),
                "is the examples file; writing the history there would replace the examples")
    assert data.read_text() == LESSON_CSV and sorted(os.listdir(tmp_path)) == ["d.csv", "link.csv"]


@pytest.mark.parametrize("target", ["-", "/dev/stdout"])
def test_the_history_can_go_to_standard_output(target: str):
    result = neuron_gui("train", "--iterations", "3", "--history-csv", target, "--json")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "iteration,x1,x2,x3,error" and len(lines) == 5 and lines[-1].startswith("3,")
    summary = json.loads(result.stderr)
    assert summary["history_rows"] == 4 and summary["iterations"] == 3


def test_the_history_is_written_through_a_link_and_into_a_pipe(tmp_path: Path):
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    (tmp_path / "link.csv").symlink_to(real)
    assert neuron_gui("train", "--iterations", "3", "--history-csv", "link.csv", cwd=tmp_path).returncode == 0
    assert (tmp_path / "link.csv").is_symlink() and real.read_text().startswith("iteration,")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    process = subprocess.Popen([sys.executable, "-m", "neuron_gui", "train", "--iterations", "3", "--history-csv",
                                str(fifo)], env=ENV, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    rows = fifo.read_text().splitlines()
    assert process.wait(120) == 0 and len(rows) == 5
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_is_reported_naming_what_was_being_written(tmp_path: Path):
    with open("/dev/full", "w") as full:
        refused(neuron_gui("train", stdout=full, capture_output=False, stderr=subprocess.PIPE),
                "cannot write to standard output: No space left on device")
    refused(neuron_gui("train", "--iterations", "3", "--history-csv", "/dev/full"),
            "cannot save /dev/full: No space left on device")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_closed_standard_output_is_said_not_a_traceback():
    result = neuron_gui("train", capture_output=False, stdout=None, stderr=subprocess.PIPE,
                        preexec_fn=lambda: os.close(1))
    refused(result, "cannot write to standard output: standard output is closed")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_refusal_exits_2_even_when_stderr_cannot_be_written():
    with open("/dev/full", "w") as full:
        result = neuron_gui("train", "--iterations", "0", capture_output=False, stdout=subprocess.PIPE, stderr=full)
    assert result.returncode == 2 and result.stdout == ""


def test_a_write_protected_history_file_is_refused_as_the_shell_refuses_it(tmp_path: Path):
    target = tmp_path / "h.csv"
    target.write_text("keep\n")
    os.chmod(target, 0o444)
    result = subprocess.run(unprivileged([sys.executable, "-m", "neuron_gui", "train", "--iterations", "3",
                                          "--history-csv", str(target)]),
                            capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=120)
    refused(result, "h.csv: it is write-protected (Permission denied)")
    assert target.read_text() == "keep\n" and os.listdir(tmp_path) == ["h.csv"]


def wait_for_temp(folder: Path, name: str, size: int = 64 * 1024) -> None:
    """Until the temporary file holds more than the first record: training is under way, the compiled
    code loaded (a signal that arrives while numba loads or writes its cache is a separate matter)."""
    for _ in range(1200):
        temps = [p for p in folder.iterdir() if p.name.startswith(f".{name}.")]
        try:
            if temps and temps[0].stat().st_size > size:
                return
        except FileNotFoundError:
            pass
        time.sleep(0.05)
    raise AssertionError("the history never started")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_in_the_middle_of_a_history_leaves_no_file_behind(tmp_path: Path, sig: signal.Signals):
    process = subprocess.Popen([sys.executable, "-m", "neuron_gui", "train", "--iterations", "100,000,000",
                                "--history-csv", "h.csv"], env=ENV, cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    wait_for_temp(tmp_path, "h.csv")
    process.send_signal(sig)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 128 + sig and out == "" and "Traceback" not in err
    assert os.listdir(tmp_path) == []


def test_a_kill_in_the_middle_of_a_history_is_cleaned_up_by_the_next_save(tmp_path: Path):
    process = subprocess.Popen([sys.executable, "-m", "neuron_gui", "train", "--iterations", "100,000,000",
                                "--history-csv", "h.csv"], env=ENV, cwd=tmp_path, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    wait_for_temp(tmp_path, "h.csv")
    process.kill()
    process.wait(60)
    assert len(os.listdir(tmp_path)) == 1, "SIGKILL cannot be caught: the temporary file stays for now"
    assert neuron_gui("train", "--iterations", "3", "--history-csv", "h.csv", cwd=tmp_path).returncode == 0
    assert os.listdir(tmp_path) == ["h.csv"]


def test_a_session_given_as_examples_gives_its_table(tmp_path: Path):
    run = training.train(Examples.create([[0, 1], [1, 0], [1, 1]], [1, 0, 1], ["a", "b"]), training.Settings(50))
    save_session(tmp_path / "s.json", run.examples, run.settings, run.weights, run.iteration, run.history)
    result = neuron_gui("train", "--examples", str(tmp_path / "s.json"), "--iterations", "20", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["names"] == ["a", "b"] and out["n_examples"] == 3 and out["iterations"] == 20
    assert out["examples"].endswith("s.json (the session's table)")
    (tmp_path / "broken.json").write_text('{"format_version": 2, "examples": []}')
    refused(neuron_gui("train", "--examples", str(tmp_path / "broken.json")),
            "broken.json: examples: expected an object")


def test_an_empty_name_for_the_window_is_refused():
    refused(neuron_gui(""), "FILE: the file name is empty")


def test_a_session_with_a_huge_integer_is_refused_not_a_traceback(tmp_path: Path):
    path = tmp_path / "huge.json"
    path.write_text('{"format_version": 2, "examples": {"names": ["a"], "X": [[' + "1" * 5_000 + "]]}}")
    refused(neuron_gui("train", "--examples", str(path)), "huge.json: holds a whole number of 5,000 digits")
    refused(neuron_gui(str(path)), "huge.json: holds a whole number of 5,000 digits")
