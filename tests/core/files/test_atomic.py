"""Saving: a complete old or new file, never a clobbered one; links, special files, permissions and
temporary files left by a kill (no Qt)."""

from __future__ import annotations

import fcntl
import os
import stat
import threading
from pathlib import Path

import pytest

from neuron_gui.core.examples import DataError, Examples
from neuron_gui.core.files import (
    FileError,
    atomic,
    atomic_write_bytes,
    atomic_write_text,
    format_examples_csv,
    write_examples_csv,
    write_history_csv,
)
from neuron_gui.core.training import Run
from tests.file_helpers import finishes, run_unprivileged

LESSON_CSV = format_examples_csv(Examples.lesson())


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def test_atomic_write_replaces_and_keeps_permissions(tmp_path: Path):
    path = tmp_path / "out.txt"
    atomic_write_text(path, "old\n")
    os.chmod(path, 0o640)
    atomic_write_text(path, "new ✓\n")
    assert path.read_text(encoding="utf-8") == "new ✓\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    atomic_write_bytes(path, b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"
    assert listing(tmp_path) == ["out.txt"]


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path, monkeypatch, failing: str):
    path = tmp_path / "data.csv"
    path.write_text("old contents\n")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, failing, fail)
    with pytest.raises(FileError) as info:
        write_examples_csv(path, Examples.lesson())
    assert str(info.value) == f"cannot save {path}: No space left on device"
    assert path.read_text() == "old contents\n"
    assert listing(tmp_path) == ["data.csv"]


def test_an_error_while_writing_leaves_the_old_file_and_no_temp(tmp_path: Path):
    path = tmp_path / "history.csv"
    path.write_text("old\n")

    def chunks():
        yield Run(Examples.lesson()).history.exact_records()
        raise DataError("the run was stopped")

    with pytest.raises(DataError, match="the run was stopped"):
        write_history_csv(path, ["x1", "x2", "x3"], chunks())
    assert path.read_text() == "old\n"
    assert listing(tmp_path) == ["history.csv"]


def test_writing_into_a_missing_folder_says_so(tmp_path: Path):
    folder = tmp_path / "no" / "such"
    with pytest.raises(FileError) as info:
        atomic_write_text(folder / "x.csv", "x")
    assert str(info.value) == f"cannot save {folder / 'x.csv'}: the folder {folder} does not exist"


def test_a_folder_or_an_empty_name_is_refused_before_anything_is_written(tmp_path: Path):
    (tmp_path / "out").mkdir()

    def never():
        raise AssertionError("the records were asked for: the target was not checked first")
        yield

    with pytest.raises(FileError, match="out: it is a folder"):
        write_history_csv(tmp_path / "out", ["x1"], never())
    with pytest.raises(FileError, match="the file name is empty"):
        write_history_csv("", ["x1"], never())
    assert listing(tmp_path) == ["out"]


def test_a_symbolic_link_is_written_through_and_stays_a_link(tmp_path: Path):
    real = tmp_path / "data" / "real.csv"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_examples_csv(link, Examples.lesson())
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == LESSON_CSV
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "data" / "new.csv")
    write_examples_csv(dangling, Examples.lesson())
    assert dangling.is_symlink() and (tmp_path / "data" / "new.csv").read_text() == LESSON_CSV
    assert listing(tmp_path / "data") == ["new.csv", "real.csv"]


def test_a_fifo_is_written_directly_and_stays_a_fifo(tmp_path: Path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    finishes(lambda: write_examples_csv(fifo, Examples.lesson()))
    reader.join(20)
    assert received == [LESSON_CSV.encode()]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and listing(tmp_path) == ["pipe"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_device_is_reported_not_replaced(tmp_path: Path):
    """``--history-csv /dev/full`` (here through a link, so the old code could only spoil the link)."""
    link = tmp_path / "full.csv"
    link.symlink_to("/dev/full")
    with pytest.raises(FileError, match="No space left on device"):
        write_examples_csv(link, Examples.lesson())
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert listing(tmp_path) == ["full.csv"]


def test_temporary_files_left_by_a_kill_are_removed_on_the_next_save(tmp_path: Path):
    target = tmp_path / "data.csv"
    stale = tmp_path / ".data.csv.0123abcd.tmp"  # a save killed half-way
    stale.write_text("half")
    living = tmp_path / ".data.csv.89abcdef.tmp"  # another save, in progress: it holds the lock
    living.write_text("being written")
    others = [".other.csv.0123abcd.tmp", ".data.csv.tmp", "data.csv.0123abcd.tmp"]  # not ours
    for name in others:
        (tmp_path / name).write_text("keep")
    fd = os.open(living, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        write_examples_csv(target, Examples.lesson())
    finally:
        os.close(fd)
    assert listing(tmp_path) == sorted([*others, ".data.csv.89abcdef.tmp", "data.csv"])
    assert target.read_text() == LESSON_CSV


def test_writing_into_a_read_only_folder_leaves_the_old_file(tmp_path: Path):
    """As an ordinary user (CI runs as root, which ignores permissions: the test drops them)."""
    code = """
import os
from neuron_gui.core.examples import Examples
from neuron_gui.core.files import FileError, write_examples_csv
os.mkdir("f"); open("f/data.csv", "w").write("old\\n"); os.chmod("f", 0o555)
try:
    write_examples_csv("f/data.csv", Examples.lesson())
except FileError as e:
    print("refused:", e)
print(open("f/data.csv").read().strip(), sorted(os.listdir("f")))
"""
    result = run_unprivileged(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["refused: cannot save f/data.csv: Permission denied",
                                          "old ['data.csv']"]


def test_a_write_protected_file_is_refused_as_the_shell_refuses_it(tmp_path: Path):
    code = """
import os, subprocess
from neuron_gui.core.examples import Examples
from neuron_gui.core.files import FileError, write_examples_csv
open("data.csv", "w").write("old\\n"); os.chmod("data.csv", 0o444)
shell = subprocess.run(["sh", "-c", "echo new > data.csv"], capture_output=True).returncode
try:
    write_examples_csv("data.csv", Examples.lesson())
except FileError as e:
    print("refused:", e)
print(shell != 0, open("data.csv").read().strip(), sorted(os.listdir(".")))
"""
    result = run_unprivileged(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "refused: cannot save data.csv: it is write-protected (Permission denied)", "True old ['data.csv']"]
