"""The background file reader: progress, one result handed over, cancel, refusals at once, and no
thread left running (QtCore only, no window)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from neuron_gui.core.examples import Examples
from neuron_gui.core.files import FileError, save_session
from neuron_gui.core.training import Run, Settings, train
from neuron_gui.session.file_loader import FileLoader, belongs_in_background, read_document
from tests.file_helpers import finishes

ROWS = 200_000


@pytest.fixture
def big_csv(tmp_path: Path) -> Path:
    path = tmp_path / "big.csv"
    path.write_text("a,b,y\n" + "".join(f"{i % 5},{i % 3},{i % 2}\n" for i in range(ROWS)))
    return path


def collect(loader: FileLoader) -> dict[str, list]:
    seen: dict[str, list] = {"progress": [], "opened": [], "failed": [], "cancelled": []}
    loader.progress.connect(seen["progress"].append)
    loader.opened.connect(seen["opened"].append)
    loader.failed.connect(seen["failed"].append)
    loader.cancelled.connect(lambda: seen["cancelled"].append(True))
    return seen


def done(seen: dict[str, list]) -> bool:
    return bool(seen["opened"] or seen["failed"] or seen["cancelled"])


def test_a_big_csv_is_read_in_the_background_with_progress(qtbot, big_csv: Path):
    assert belongs_in_background(big_csv)
    loader = FileLoader()
    seen = collect(loader)
    loader.open(big_csv)
    assert loader.busy
    qtbot.waitUntil(lambda: done(seen), timeout=60_000)
    assert not loader.busy and seen["failed"] == [] and seen["cancelled"] == []
    (opened,) = seen["opened"]
    assert opened.path == big_csv and opened.session is None
    assert opened.examples.X.shape == (ROWS, 2) and opened.examples.y[1] == 1.0
    assert len(seen["progress"]) > 1 and seen["progress"] == sorted(seen["progress"])


def test_cancel_stops_the_read_and_hands_nothing_over(qtbot, big_csv: Path):
    loader = FileLoader()
    seen = collect(loader)
    loader.open(big_csv)
    loader.cancel()
    qtbot.waitUntil(lambda: done(seen), timeout=60_000)
    assert seen["cancelled"] == [True] and seen["opened"] == [] and not loader.busy


def test_shutdown_joins_the_thread_and_drops_the_result(qtbot, big_csv: Path):
    loader = FileLoader()
    seen = collect(loader)
    loader.open(big_csv)
    loader.shutdown()
    assert not loader.busy
    qtbot.wait(50)
    assert not done(seen)


def test_a_long_session_is_recomputed_in_the_background_exactly(qtbot, tmp_path: Path):
    run = train(Examples.lesson(), Settings(iterations=2_000_000))
    path = tmp_path / "long.json"
    save_session(path, run.examples, run.settings, run.weights, run.iteration, run.history)
    assert belongs_in_background(path) and path.stat().st_size < 1_000
    loader = FileLoader()
    seen = collect(loader)
    loader.open(path)
    qtbot.waitUntil(lambda: done(seen), timeout=120_000)
    (opened,) = seen["opened"]
    assert opened.run.iteration == 2_000_000 and np.array_equal(opened.run.weights, run.weights)


def test_a_fifo_is_refused_at_once_in_both_ways(qtbot, tmp_path: Path):
    fifo = tmp_path / "f.csv"
    os.mkfifo(fifo)
    assert not belongs_in_background(fifo)
    error = finishes(lambda: read_document(fifo))
    assert isinstance(error, FileError) and "named pipe" in str(error)
    loader = FileLoader()
    seen = collect(loader)
    loader.open(fifo)
    qtbot.waitUntil(lambda: done(seen), timeout=20_000)
    assert seen["failed"] == [f"cannot open {fifo}: it is a named pipe (FIFO), not a regular file"]


def test_small_files_stay_on_the_quick_path(tmp_path: Path):
    small = tmp_path / "s.csv"
    small.write_text("a,y\n1,1\n")
    run = Run(Examples.lesson(), Settings(iterations=100))
    run.step(100)
    save_session(tmp_path / "s.json", run.examples, run.settings, run.weights, run.iteration, run.history)
    assert not belongs_in_background(small) and not belongs_in_background(tmp_path / "s.json")
