"""Files: CSV and session round trips, refusals that name file, line and column, atomic writes (no Qt)."""

from __future__ import annotations

import csv
import json
import os
import stat
from pathlib import Path

import numpy as np
import pytest

from neuron_gui.core import files
from neuron_gui.core.examples import DataError, Examples
from neuron_gui.core.files import (
    FileError,
    FileFormatError,
    atomic_write_bytes,
    atomic_write_text,
    format_examples_csv,
    format_session,
    load_session,
    parse_examples_csv,
    read_examples_csv,
    save_session,
    write_examples_csv,
    write_history_csv,
)
from neuron_gui.core.history import History
from neuron_gui.core.training import Run, Settings, train

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "examples"


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
    ("a,,y\n0,1,1\n", "data.csv: line 1: column 2 has no name"),
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


# -- atomic writes ---------------------------------------------------------------------------------

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

    monkeypatch.setattr(files.os, failing, fail)
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


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores folder permissions")
def test_writing_into_a_read_only_folder_leaves_the_old_file(tmp_path: Path):
    path = tmp_path / "data.csv"
    path.write_text("old\n")
    os.chmod(tmp_path, 0o555)
    try:
        with pytest.raises(FileError, match="Permission denied"):
            write_examples_csv(path, Examples.lesson())
    finally:
        os.chmod(tmp_path, 0o755)
    assert path.read_text() == "old\n" and listing(tmp_path) == ["data.csv"]


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


# -- session JSON ----------------------------------------------------------------------------------

def test_session_round_trips_exactly_and_resumes(tmp_path: Path, lesson_run: Run):
    path = tmp_path / "s.json"
    save_session(path, lesson_run.examples, lesson_run.settings, lesson_run.weights, 10_000, lesson_run.history)
    session = load_session(path)
    assert session.examples == lesson_run.examples
    assert session.settings == lesson_run.settings
    assert bits(session.weights) == bits(lesson_run.weights) and session.iteration == 10_000
    saved, original = session.history.exact_records(), lesson_run.history.exact_records()
    assert bits(saved.weights) == bits(original.weights) and bits(saved.errors) == bits(original.errors)
    assert session.history.last_error() == lesson_run.history.last_error()
    run = session.to_run()
    run.extend(500)
    run.step(run.remaining)
    assert bits(run.weights) == bits(train(Examples.lesson(), Settings(iterations=10_500)).weights)


def test_a_thinned_history_round_trips_and_keeps_its_extremes(tmp_path: Path, monkeypatch):
    run = Run(Examples.lesson(), Settings(iterations=3_000), History(3, capacity=4_096))
    run.step(3_000)
    monkeypatch.setattr(files, "MAX_SAVED_BUCKETS", 100)
    save_session(tmp_path / "s.json", run.examples, run.settings, run.weights, run.iteration, run.history)
    state = load_session(tmp_path / "s.json").history.state()
    exact = run.history.exact_records()
    assert state.width == 32 and len(state.e_first) == 94 and state.count == 3_001
    assert bits(state.w_min.min(axis=0)) == bits(exact.weights.min(axis=0))
    assert bits(state.w_max.max(axis=0)) == bits(exact.weights.max(axis=0))
    assert state.e_max.max() == exact.errors.max() and state.e_min.min() == exact.errors.min()
    assert bits(state.w_first[1]) == bits(exact.weights[32])
    assert bits(state.last_weights) == bits(run.weights)


def test_a_session_without_history_resumes_at_its_iteration(tmp_path: Path, lesson_run: Run):
    save_session(tmp_path / "s.json", lesson_run.examples, lesson_run.settings, lesson_run.weights, 10_000)
    session = load_session(tmp_path / "s.json")
    assert session.history is None
    run = session.to_run()
    assert run.iteration == 10_000 and run.remaining == 0
    assert bits(run.history.last_weights()) == bits(lesson_run.weights)


def test_session_json_is_strict_json(lesson_run: Run):
    text = format_session(lesson_run.examples, lesson_run.settings, lesson_run.weights, 10_000, lesson_run.history)

    def refuse(name):
        raise AssertionError(name)

    doc = json.loads(text, parse_constant=refuse)
    assert doc["format_version"] == 1
    assert doc["settings"] == {"iterations": 10_000, "seed": 1, "learning_rate": 1.0}
    assert doc["history"]["width"] == 1 and len(doc["history"]["errors"]) == 10_001


def good_session() -> dict:
    run = train(Examples.lesson(), Settings(iterations=20))
    return json.loads(format_session(run.examples, run.settings, run.weights, 20, run.history))


def mutate(path: str, value):
    def apply(doc: dict) -> None:
        *parents, last = path.split(".")
        for key in parents:
            doc = doc[key]
        if value is KeyError:
            del doc[last]
        else:
            doc[last] = value(doc[last]) if callable(value) else value
    return apply


BAD_SESSIONS = [
    (mutate("format_version", 2), "s.json: made by a newer neuron-gui (format 2); this version reads format 1"),
    (mutate("format_version", "1"), 's.json: format_version: expected 1, found "1"'),
    (mutate("format_version", KeyError), "s.json: is not a neuron-gui session (it has no format_version)"),
    (mutate("examples", KeyError), "s.json: examples: missing"),
    (mutate("examples", [1, 2]), "s.json: examples: expected an object, found [1, 2]"),
    (mutate("examples.X", lambda X: X[:3]), "s.json: examples.y: 4 values, expected 3"),
    (mutate("examples.X", lambda X: [X[0], ["a", 0, 1], *X[2:]]),
     's.json: examples.X[1][0]: expected a number, found "a"'),
    (mutate("examples.X", lambda X: [X[0], [0, 1], *X[2:]]), "s.json: examples.X[1]: 2 values, expected 3"),
    (mutate("examples.y", [0, 1, 2, 0]), "s.json: examples: row 3, y: target 2 is outside [0, 1]"),
    (mutate("examples.names", ["a", "b"]), "s.json: examples: 2 column names for 3 inputs"),
    (mutate("settings.iterations", 0), "s.json: settings.iterations: iterations must be between 1 and"),
    (mutate("settings.iterations", 20.0), "s.json: settings.iterations: iterations must be a whole number"),
    (mutate("settings.seed", KeyError), "s.json: settings.seed: missing"),
    (mutate("settings.learning_rate", "fast"), "s.json: settings.learning_rate: the learning rate must be a number"),
    (mutate("weights", [1, 2]), "s.json: weights: 2 values, expected 3"),
    (mutate("weights", [1, True, 2]), "s.json: weights[1]: expected a number, found true"),
    (mutate("weights", [1, None, 2]), "s.json: weights[1]: expected a number, found null"),
    (mutate("iteration", -1), "s.json: iteration: expected a whole number from 0 to 100,000,000, found -1"),
    (mutate("history.count", 5), "s.json: history.count: the history ends at iteration 4, but the session is at"),
    (mutate("history.weights", lambda w: w[:-1]), "s.json: history.weights: 20 rows, expected 21"),
    (mutate("history.errors", lambda e: e[:-1] + [None]), "s.json: history.errors[20]: expected a number"),
    (mutate("history.weights", lambda w: w[:-1] + [[0, 0, 0]]), "s.json: history.weights: its last record differs"),
    (mutate("history.width", 0), "s.json: history.width: expected a whole number from 1"),
    (mutate("history.learning_rates", [[0, -1]]), "s.json: history.learning_rates[0]: the learning rate must"),
]


@pytest.mark.parametrize(("change", "message"), BAD_SESSIONS)
def test_bad_sessions_are_refused_naming_the_field(tmp_path: Path, change, message: str):
    doc = good_session()
    change(doc)
    (tmp_path / "s.json").write_text(json.dumps(doc))
    with pytest.raises(FileFormatError) as info:
        load_session(tmp_path / "s.json")
    assert str(info.value).startswith(message), str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "s.json: line 1, column 1: is not valid JSON (Expecting value)"),
        ('{\n  "format_version": 1,\n  "examples": {,\n}', "s.json: line 3, column 16: is not valid JSON"),
        ("[1, 2]", "s.json: is not a neuron-gui session (expected a JSON object)"),
        ('{"format_version": 1, "weights": [NaN]}', "s.json: NaN is not a number a session can hold"),
        ('{"format_version": 1, "weights": [-Infinity]}', "s.json: -Infinity is not a number"),
        ("[" * 100_000, "s.json: is not valid JSON"),
    ],
)
def test_files_that_are_not_sessions_are_refused(tmp_path: Path, text: str, message: str):
    (tmp_path / "s.json").write_text(text)
    with pytest.raises(FileFormatError) as info:
        load_session(tmp_path / "s.json")
    assert str(info.value).startswith(message), str(info.value)


def test_a_huge_number_in_a_session_is_refused(tmp_path: Path):
    doc = good_session()
    text = json.dumps(doc).replace('"weights": [', '"weights": [1e999, ', 1)
    (tmp_path / "s.json").write_text(text)
    with pytest.raises(FileFormatError, match=r"s\.json: weights"):
        load_session(tmp_path / "s.json")


def test_saving_refuses_an_inconsistent_session(tmp_path: Path, lesson_run: Run):
    with pytest.raises(DataError, match="the history ends at iteration 10000, not 5"):
        save_session(tmp_path / "s.json", lesson_run.examples, lesson_run.settings, lesson_run.weights, 5,
                     lesson_run.history)
    with pytest.raises(DataError, match="2 weights for 3 inputs"):
        save_session(tmp_path / "s.json", lesson_run.examples, lesson_run.settings, [1.0, 2.0], 5)
    assert listing(tmp_path) == []
