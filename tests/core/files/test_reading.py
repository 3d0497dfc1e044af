"""Reading: only regular files, at once; encodings named right; names and numbers as strict as the
table's (no Qt)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from neuron_gui.core.examples import Examples
from neuron_gui.core.files import (
    FileError,
    FileFormatError,
    load_session,
    parse_examples_csv,
    read_examples_csv,
    write_examples_csv,
)
from tests.file_helpers import finishes

LESSON = "x1,x2,x3,y\n0,0,1,0\n1,1,1,1\n1,0,1,1\n0,1,1,0\n"


@pytest.mark.parametrize("reader", [read_examples_csv, load_session])
def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path: Path, reader):
    fifo = tmp_path / "f.csv"
    os.mkfifo(fifo)
    error = finishes(lambda: reader(fifo))
    assert isinstance(error, FileError)
    assert str(error) == f"cannot open {fifo}: it is a named pipe (FIFO), not a regular file"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused_at_once():
    error = finishes(lambda: read_examples_csv("/dev/zero"))
    assert isinstance(error, FileError) and "it is a device, not a regular file" in str(error)


def test_an_empty_path_is_refused_not_taken_for_the_current_folder():
    with pytest.raises(FileError, match="the path is empty"):
        read_examples_csv("")


@pytest.mark.parametrize(("data", "message"), [
    (LESSON.encode("utf-32"), "junk.csv: is UTF-32 text; save it as UTF-8"),
    (LESSON.encode("utf-32-be").join([b"\x00\x00\xfe\xff", b""]), "junk.csv: is UTF-32 text"),
    (LESSON.encode("utf-16"), "junk.csv: is UTF-16 text; save it as UTF-8"),
])
def test_utf32_and_utf16_are_named_right(tmp_path: Path, data: bytes, message: str):
    (tmp_path / "junk.csv").write_bytes(data)
    with pytest.raises(FileFormatError) as info:
        read_examples_csv(tmp_path / "junk.csv")
    assert str(info.value).startswith(message)


def test_any_number_of_byte_order_marks_is_skipped(tmp_path: Path):
    (tmp_path / "boms.csv").write_bytes(b"\xef\xbb\xbf" * 3 + LESSON.encode())
    examples = read_examples_csv(tmp_path / "boms.csv")
    assert examples.names == ["x1", "x2", "x3"] and examples == Examples.lesson()


@pytest.mark.parametrize(("text", "message"), [
    ("x1,x2,x3,y,\n0,0,1,0,\n", "data.csv: line 1: the header's column 5 has no name"),
    (",x2,y\n0,0,1\n", "data.csv: line 1: the header's column 1 has no name"),
    ('"x\n1",x2,y\n0,0,1\n', "data.csv: line 2: the header's column 1's name 'x\\n1' holds a line break"),
    ("x\x071,x2,y\n0,0,1\n", "data.csv: line 1: the header's column 1's name 'x\\x071' holds the control"),
    ("x1,\ufeffx2,y\n0,0,1\n", "data.csv: line 1: the header's column 2's name '\\ufeffx2' holds a byte-order"),
])
def test_header_names_that_break_files_or_output_are_refused(text: str, message: str):
    with pytest.raises(FileFormatError) as info:
        parse_examples_csv(text, "data.csv")
    assert str(info.value).startswith(message), str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(("cell", "shown"), [
    ("1_0", "'1_0' is not a number (write it without '_')"),
    ("\uff11", "'\uff11' is not a number (only the digits 0-9"),  # fullwidth 1
    ("\u0661", "'\u0661' is not a number (only the digits 0-9"),  # Arabic-Indic 1
    ("0x1", "'0x1' is not a number"),
])
@pytest.mark.parametrize("column", ["x2", "y"])
def test_numbers_are_ascii_only_in_every_cell(cell: str, shown: str, column: str):
    row = f"0,{cell},0" if column == "x2" else f"0,0,{cell}"
    with pytest.raises(FileFormatError) as info:
        parse_examples_csv(f"x1,x2,y\n{row}\n", "data.csv")
    assert str(info.value).startswith(f"data.csv: line 2, column {column}: {shown}"), str(info.value)


def test_a_target_just_above_one_is_shown_as_written():
    with pytest.raises(FileFormatError) as info:
        parse_examples_csv("x1,y\n0,1.0000000000000002\n", "data.csv")
    assert str(info.value) == ("data.csv: line 2, column y: target 1.0000000000000002 is outside [0, 1]: "
                               "a sigmoid output cannot reach it")


def test_a_name_with_a_lone_surrogate_is_refused_before_it_reaches_a_file(tmp_path: Path):
    with pytest.raises(Exception) as info:
        Examples.create([[0.0, 1.0]], [1.0], ["ok", "bad\udc80"])
    assert "lone surrogate" in str(info.value)
    str(info.value).encode("utf-8")  # the message itself can be printed
    assert not any(tmp_path.iterdir())
    write_examples_csv(tmp_path / "fine.csv", Examples.create([[0.0, 1.0]], [1.0], ["ok", "ünïcode ✓"]))
    assert read_examples_csv(tmp_path / "fine.csv").names == ["ok", "ünïcode ✓"]
