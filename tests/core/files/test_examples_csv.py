"""The examples and history CSV files: round trips, refusals that name file, line and column (no Qt)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pytest

from neuron_gui.core import files
from neuron_gui.core.examples import DataError, Examples
from neuron_gui.core.files import (
    FileError,
    FileFormatError,
    format_examples_csv,
    parse_examples_csv,
    read_examples_csv,
    write_examples_csv,
    write_history_csv,
)
from neuron_gui.core.history import History
from neuron_gui.core.training import Run, train

RESOURCES = Path(__file__).resolve().parents[3] / "resources" / "examples"


@pytest.fixture(scope="module")
def lesson_run() -> Run:
    return train(Examples.lesson())


def odd_examples() -> Examples:
    """Numbers whose text is not obvious: repr must bring every bit back."""
    X = [[0.1 + 0.2, -0.0, 1 / 3], [1e-300, -1e6, 5e-324], [123456.789123456789, 2.0**-40, -7.0]]
    return Examples.create(X, [0.0, 1 / 7, 1.0], ["alpha", "with, comma", 'quote "q"'])


def bits(a: np.ndarray) -> bytes:
    return np.ascontiguousarray(a, dtype=np.float64).tobytes()


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


# -- examples CSV ------------------------------------------------------------------------------------

def test_examples_csv_round_trips_exactly(tmp_path: Path):
    examples = odd_examples()
    write_examples_csv(tmp_path / "odd.csv", examples)
    back = read_examples_csv(tmp_path / "odd.csv")
    assert back == examples
    assert bits(back.X) == bits(examples.X) and bits(back.y) == bits(examples.y)  # -0.0 keeps its sign


def test_examples_csv_format():
    assert format_examples_csv(Examples.lesson()) == "x1,x2,x3,y\n0,0,1,0\n1,1,1,1\n1,0,1,1\n0,1,1,0\n"


@pytest.mark.parametrize("name", ["lesson.csv", "and.csv", "or.csv"])
def test_the_bundled_examples_read_and_round_trip(name: str):
    text = (RESOURCES / name).read_text(encoding="utf-8")
    examples = read_examples_csv(RESOURCES / name)
    assert examples.n_inputs == 3 and examples.n_examples == 4
    assert format_examples_csv(examples) == text
    if name == "lesson.csv":
        assert examples == Examples.lesson()


@pytest.mark.parametrize(
    "text",
    [
        "x1,x2,x3,y\n0,0,1,0\n1,1,1,1\n1,0,1,1\n0,1,1,0\n",
        "\ufeffx1,x2,x3,y\n0,0,1,0\n1,1,1,1\n1,0,1,1\n0,1,1,0\n",  # a UTF-8 BOM
        "x1,x2,x3,y\r\n0,0,1,0\r\n1,1,1,1\r\n1,0,1,1\r\n0,1,1,0\r\n",  # Windows line ends
        "x1,x2,x3,y\r0,0,1,0\r1,1,1,1\r1,0,1,1\r0,1,1,0",  # old Mac line ends, no final newline
        "x1,x2,x3,target\n0,0,1,0\n1,1,1,1\n\n1,0,1,1\n0,1,1,0\n\n\n   \n",  # any target name; blank lines
        ' x1 , "x2",x3 ,y\n 0, 0 ,1,0.0\n1,1,1,1\n1.0,0,1e0,1\n0,1,1,0\n',  # spaces and quotes
    ],
)
def test_examples_csv_variants_read_as_the_lesson(text: str):
    assert parse_examples_csv(text) == Examples.lesson()


BAD_CSV = [
    ("", "data.csv: is empty"),
    ("\n\n  \n", "data.csv: is empty"),
    ("x1,x2,y\n", "data.csv: has a header but no examples"),
    ("x1,x2,y\n0,1,1\n1,0\n", "data.csv: line 3: 2 values, but the header names 3 columns"),
    ("x1,x2,y\n0,1,1\n1,0,1,1\n", "data.csv: line 3: 4 values, but the header names 3 columns"),
    ("x1,x2,y\n0,1,1\n\n1,abc,0\n", "data.csv: line 4, column x2: 'abc' is not a number"),
    ("x1,x2,y\n0,,1\n", "data.csv: line 2, column x2: a cell cannot be empty"),
    ("x1,x2,y\n0,nan,1\n", "data.csv: line 2, column x2: NaN is not a number"),
    ("x1,x2,y\n0,inf,1\n", "data.csv: line 2, column x2: 'inf' is too large (infinite)"),
    ("x1,x2,y\n0,1e400,1\n", "data.csv: line 2, column x2: '1e400' is too large (infinite)"),
    ("a,b,out\n0,1,2\n", "data.csv: line 2, column out: target 2 is outside [0, 1]"),
    ("a,b,out\n0,1,-0.5\n", "data.csv: line 2, column out: target -0.5 is outside [0, 1]"),
    ("x1\n1\n", "data.csv: line 1: needs at least 2 columns"),
    ("x1;x2;y\n0;1;1\n", "data.csv: line 1: uses ';' as separator; use ','"),
    ("x1;x2;y\n0,5;1;1\n", "data.csv: line 1: uses ';' as separator; use ','"),
    ("x1\tx2\ty\n0\t1\t1\n", "data.csv: line 1: uses tabs as separator; use ','"),
    ("x1,x2,y\n0;1;1\n", "data.csv: line 2: uses ';' as separator; use ','"),
    (",".join(f"x{j}" for j in range(17)) + ",y\n" + ",".join(["0"] * 18) + "\n",
     "data.csv: line 1: 17 input columns is too many (at most 16)"),
    ("0,1,1\n1,0,0\n", "data.csv: line 1: should name the columns"),
    ("a,a,y\n0,1,1\n", "data.csv: line 1: column name 'a' appears twice"),
    ("a,,y\n0,1,1\n", "data.csv: line 1: the header's column 2 has no name"),
    ('a,"b\n0,1\n', "data.csv: line 2: is not valid CSV (unexpected end of data)"),  # a quote left open
    ('a,"b"x,y\n0,1,1\n', "data.csv: line 1: is not valid CSV"),
]


@pytest.mark.parametrize(("text", "message"), BAD_CSV)
def test_bad_examples_csv_is_refused_naming_file_and_line(tmp_path: Path, text: str, message: str):
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileFormatError) as info:
        read_examples_csv(path)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)
    assert isinstance(info.value, DataError)


def test_sixteen_inputs_are_accepted():
    text = ",".join(f"x{j}" for j in range(16)) + ",y\n" + ",".join(["1"] * 17) + "\n"
    assert parse_examples_csv(text).n_inputs == 16


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "junk.csv: is a binary file, not text"),
        (b"x1,y\n" + "gr\u00f6\u00dfe,1\n".encode("latin-1"), "junk.csv: line 2: byte 0xf6 is not UTF-8"),
        ("x1,y\n1,1\n".encode("utf-16"), "junk.csv: is UTF-16 text; save it as UTF-8"),
    ],
)
def test_binary_or_undecodable_files_are_refused(tmp_path: Path, data: bytes, message: str):
    (tmp_path / "junk.csv").write_bytes(data)
    with pytest.raises(FileFormatError) as info:
        read_examples_csv(tmp_path / "junk.csv")
    assert str(info.value).startswith(message)


def test_a_huge_file_is_refused_without_reading_it(tmp_path: Path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as f:
        f.truncate(files.MAX_CSV_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(FileFormatError) as info:
        read_examples_csv(path)
    assert str(info.value).startswith("huge.csv: is larger than 50 MB")


def test_missing_files_and_folders_are_refused_in_one_line(tmp_path: Path):
    with pytest.raises(FileError) as info:
        read_examples_csv(tmp_path / "nope.csv")
    assert "nope.csv" in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(FileError) as info:
        read_examples_csv(tmp_path)
    assert "it is a folder" in str(info.value)


def test_names_a_csv_cannot_give_back_are_refused_on_write(tmp_path: Path):
    for names in (["a", "a"], ["", "b"], [" a", "b"]):
        with pytest.raises(DataError):
            write_examples_csv(tmp_path / "x.csv", Examples.create([[0, 1]], [1], names))
    assert listing(tmp_path) == []


# -- history CSV -----------------------------------------------------------------------------------

def read_rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_history_csv_has_every_iteration_exactly(tmp_path: Path, lesson_run: Run):
    path = tmp_path / "history.csv"
    assert write_history_csv(path, ["x1", "x2", "x3"], lesson_run.history) == 10_001
    rows = read_rows(path)
    assert rows[0] == ["iteration", "x1", "x2", "x3", "error"]
    assert len(rows) == 10_002
    records = lesson_run.history.exact_records()
    values = np.array([[float(v) for v in row] for row in rows[1:]])
    assert values[:, 0].tolist() == list(range(10_001))
    assert bits(values[:, 1:4]) == bits(records.weights)
    assert bits(values[:, 4]) == bits(records.errors)


def test_history_csv_from_streamed_chunks_is_the_same_file(tmp_path: Path, lesson_run: Run):
    write_history_csv(tmp_path / "whole.csv", ["x1", "x2", "x3"], lesson_run.history)
    run = Run(Examples.lesson(), history=History(3, capacity=300))
    write_history_csv(tmp_path / "streamed.csv", ["x1", "x2", "x3"], run.train_streamed())
    assert (tmp_path / "streamed.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()


def test_a_thinned_history_cannot_be_written_row_by_row(tmp_path: Path):
    run = Run(Examples.lesson(), history=History(3, capacity=16))
    run.step(100)
    with pytest.raises(LookupError, match="thinned"):
        write_history_csv(tmp_path / "h.csv", ["x1", "x2", "x3"], run.history)
    assert listing(tmp_path) == []




def test_a_big_csv_is_read_in_memory_near_the_size_of_its_numbers(tmp_path: Path):
    """The 10^6-row file held 498 MB for 8 MB of text (a Python object per cell)."""
    import tracemalloc

    path = tmp_path / "big.csv"
    path.write_text("x1,x2,x3,y\n" + "".join(f"{i % 7},{i % 3},1,{i % 2}\n" for i in range(200_000)))
    seen: list[float] = []
    tracemalloc.start()
    try:
        examples = read_examples_csv(path, progress=seen.append)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    numbers = examples.X.nbytes + examples.y.nbytes
    assert examples.X.shape == (200_000, 3) and examples.X[4, 0] == 4.0 and examples.y[3] == 1.0
    assert peak < 2.5 * numbers + path.stat().st_size * 2  # the text (bytes, then str) and twice the numbers
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 1
