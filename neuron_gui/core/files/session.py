"""Files: examples CSV, history CSV and session JSON, written atomically. No Qt.

Every refusal is one line naming the file, and the line and column (or JSON field) where it applies,
because it is shown as-is: in a dialog, a status bar, or on stderr.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import math
import os
import secrets
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np

from .examples import DataError, Examples, bad_inputs, bad_targets, format_number, parse_cell
from .history import History, HistoryState, Records
from .kernel import forward_error
from .lesson import MAX_INPUTS, MAX_ITERATIONS
from .training import Run, Settings, check_iterations, check_learning_rate, check_seed

MB = 1024 * 1024
MAX_CSV_BYTES = 50 * MB
MAX_SESSION_BYTES = 256 * MB
SESSION_FORMAT = 1
# A saved history is thinned (extremes kept) to at most this many buckets, so a session file stays a
# few MB for any run length; runs up to this many iterations are saved exactly.
MAX_SAVED_BUCKETS = 65_536
TARGET_NAME = "y"

PathLike = str | os.PathLike


class FileFormatError(DataError):
    """A file that cannot be used; ``str()`` is one line: ``data.csv: line 3, column x2: reason``."""

    def __init__(
        self, path: PathLike, message: str, *, line: int | None = None, column: int | str | None = None,
        field: str | None = None,
    ):
        self.path, self.line, self.column, self.field = str(path), line, column, field
        where = [os.path.basename(self.path) or self.path]
        if line is not None:
            where.append(f"line {line}" + (f", column {column}" if column is not None else ""))
        if field is not None:
            where.append(field)
        super().__init__(": ".join([*where, message]))


class FileError(OSError):
    """A file the system would not let us read or write; ``str()`` is one line naming it."""


# -- atomic writes -----------------------------------------------------------------------------------

@contextmanager
def atomic_open(path: PathLike, binary: bool = False) -> Iterator[IO[Any]]:
    """A file that replaces ``path`` only once it is completely written and on disk.

    It is a temporary file in the same folder, synced and then renamed over ``path``; on any failure
    it is removed and ``path`` keeps its old contents. Text is UTF-8, written without newline
    translation. System errors are raised as :class:`FileError`; others pass through unchanged.
    """
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as e:
        raise _write_error(target, e) from e
    try:
        with open(fd, "wb") if binary else open(fd, "w", encoding="utf-8", newline="") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        _copy_mode(target, tmp)
        os.replace(tmp, target)
    except BaseException as e:
        with suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError) and not isinstance(e, FileError):
            raise _write_error(target, e) from e
        raise
    _sync_folder(target.parent)


def atomic_write_text(path: PathLike, text: str) -> None:
    with atomic_open(path) as f:
        f.write(text)


def atomic_write_bytes(path: PathLike, data: bytes) -> None:
    with atomic_open(path, binary=True) as f:
        f.write(data)


def _write_error(target: Path, e: OSError) -> FileError:
    if isinstance(e, FileNotFoundError) and not target.parent.is_dir():
        return FileError(f"cannot save {target}: the folder {target.parent} does not exist")
    return FileError(f"cannot save {target}: {e.strerror or e}")


def _copy_mode(target: Path, tmp: Path) -> None:
    """Keep an overwritten file's permissions (a new file gets the umask's, as with ``open``)."""
    with suppress(FileNotFoundError):
        os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows it (not on Windows)."""
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -- reading -----------------------------------------------------------------------------------------

def _read_text(path: PathLike, limit: int) -> str:
    """The file's text (UTF-8, a BOM allowed); refuses folders, huge files and binary data."""
    p = Path(path)
    try:
        if os.stat(p).st_size > limit:
            raise FileFormatError(p, f"is larger than {limit // MB} MB, the limit for this kind of file")
        with open(p, "rb") as f:
            data = f.read(limit + 1)
    except OSError as e:
        reason = "it is a folder" if isinstance(e, IsADirectoryError) else e.strerror or str(e)
        raise FileError(f"cannot open {p}: {reason}") from e
    if len(data) > limit:
        raise FileFormatError(p, f"is larger than {limit // MB} MB, the limit for this kind of file")
    return _decode(data, p)


def _decode(data: bytes, source: PathLike) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise FileFormatError(source, "is UTF-16 text; save it as UTF-8")
    if b"\x00" in data:
        raise FileFormatError(source, "is a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise FileFormatError(
            source, f"byte 0x{data[e.start]:02x} is not UTF-8 text; save the file as UTF-8", line=line
        ) from None


# -- examples CSV ------------------------------------------------------------------------------------

def read_examples_csv(path: PathLike) -> Examples:
    return parse_examples_csv(_read_text(path, MAX_CSV_BYTES), source=str(path))


def parse_examples_csv(text: str, source: str = "<text>") -> Examples:
    """Examples from CSV text: a header naming the columns, the target last, then one row per example."""
    with _cyclic_gc_paused():
        rows = _csv_rows(text.removeprefix("\ufeff"), source)
    if not rows:
        raise FileFormatError(source, "is empty: expected a header row such as x1,x2,y, then the examples")
    (header_line, header), body = rows[0], rows[1:]
    names = _header_names(header, header_line, source)
    if not body:
        raise FileFormatError(source, "has a header but no examples")
    values = _all_values(body, len(names))
    if values is None:  # some cell is refused: find the first, cell by cell, to say which and why
        values = np.array([_row_values(cells, names, line, source) for line, cells in body])
    try:
        return Examples.create(values[:, :-1], values[:, -1], names[:-1])
    except DataError as e:
        raise FileFormatError(source, str(e)) from None


def _all_values(body: list[tuple[int, list[str]]], width: int) -> np.ndarray | None:
    """Every row's values, or None if any row or cell would be refused.

    The fast path: ``float`` on each cell (what :func:`parse_cell` does after its checks) and the
    range checks on whole arrays, about 10x faster than :func:`parse_cell` on each cell. It accepts
    exactly what :func:`_row_values` accepts, so it never changes a result, only how fast it comes.
    """
    if any(len(cells) != width for _, cells in body):
        return None
    try:
        values = np.array([float(c) for _, cells in body for c in cells]).reshape(len(body), width)
    except ValueError:
        return None
    if bad_inputs(values[:, :-1]).any() or bad_targets(values[:, -1]).any():
        return None
    return values


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """A 100,000-row file makes 100,000 lists of strings; the cycle collector, set off by every few
    hundred of them, would spend three times as long as the parsing looking for cycles they cannot
    form."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _csv_rows(text: str, source: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every row that is not blank."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, skipinitialspace=True)
    rows = []
    try:
        for cells in reader:
            if (cells and cells[0].strip()) or any(c.strip() for c in cells):  # the first cell mostly decides
                rows.append((reader.line_num, cells))
    except csv.Error as e:
        raise FileFormatError(source, f"is not valid CSV ({e})", line=reader.line_num) from None
    return rows


def _header_names(cells: list[str], line: int, source: str) -> list[str]:
    names = [c.strip() for c in cells]
    if len(names) < 2:
        _refuse_separator(names[0], line, source)
        raise FileFormatError(source, "needs at least 2 columns: the inputs, then the target", line=line)
    if len(names) - 1 > MAX_INPUTS:
        raise FileFormatError(
            source, f"{len(names) - 1} input columns is too many (at most {MAX_INPUTS})", line=line
        )
    if all(_is_number(n) for n in names):
        example = ",".join(["x1", "x2", TARGET_NAME])
        raise FileFormatError(source, f"should name the columns (such as {example}), not hold numbers", line=line)
    try:
        check_column_names(names[:-1])
    except DataError as e:
        raise FileFormatError(source, str(e), line=line) from None
    return names


def check_column_names(names: Sequence[str]) -> None:
    """Input names a CSV file can hold and give back unchanged: not empty, not padded, all different."""
    seen = set()
    for j, name in enumerate(names):
        if not name.strip():
            raise DataError(f"column {j + 1} has no name")
        if name != name.strip():
            raise DataError(f"column name '{name}' starts or ends with a space")
        if name in seen:
            raise DataError(f"column name '{name}' appears twice")
        seen.add(name)


def _row_values(cells: list[str], names: list[str], line: int, source: str) -> list[float]:
    if len(cells) != len(names):
        if len(cells) == 1:
            _refuse_separator(cells[0], line, source)
        raise FileFormatError(
            source, f"{len(cells)} values, but the header names {len(names)} columns", line=line
        )
    values = []
    for j, (cell, name) in enumerate(zip(cells, names, strict=True)):
        try:
            values.append(parse_cell(cell, is_target=j == len(names) - 1))
        except DataError as e:
            raise FileFormatError(source, str(e), line=line, column=name) from None
    return values


def _refuse_separator(cell: str, line: int, source: str) -> None:
    for separator, label in ((";", "';'"), ("\t", "tabs")):
        if separator in cell:
            raise FileFormatError(source, f"uses {label} as separator; use ','", line=line)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def format_examples_csv(examples: Examples) -> str:
    check_column_names(examples.names)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*examples.names, TARGET_NAME])
    for inputs, target in zip(examples.X.tolist(), examples.y.tolist(), strict=True):
        writer.writerow([format_number(v) for v in inputs] + [format_number(target)])
    return out.getvalue()


def write_examples_csv(path: PathLike, examples: Examples) -> None:
    atomic_write_text(path, format_examples_csv(examples))


# -- history CSV -------------------------------------------------------------------------------------

def write_history_csv(
    path: PathLike, names: Sequence[str], records: History | Records | Iterable[Records]
) -> int:
    """Write ``iteration,<names>,error`` and one row per record; return the number of rows.

    ``records`` may be a generator of chunks (see :meth:`Run.train_streamed`), written as they come,
    so a run of any length is written in bounded memory. A :class:`History` must not be thinned yet.
    """
    if isinstance(records, History):
        records = [records.exact_records()]
    elif isinstance(records, Records):
        records = [records]
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(["iteration", *names, "error"])
    rows = 0
    with atomic_open(path) as f:
        f.write(header.getvalue())
        for chunk in records:
            f.writelines(_history_lines(chunk))
            rows += len(chunk)
    return rows


def _history_lines(records: Records, block: int = 4096) -> Iterator[str]:
    """The rows, converted to Python numbers a block at a time (a chunk can be 10^5 records)."""
    for s in range(0, len(records), block):
        rows = zip(
            records.iterations[s : s + block].tolist(), records.weights[s : s + block].tolist(),
            records.errors[s : s + block].tolist(), strict=True,
        )
        for it, weights, error in rows:
            yield f"{it},{','.join(map(format_number, weights))},{format_number(error)}\n"


# -- session JSON ------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)  # arrays inside: compare fields, not sessions
class Session:
    examples: Examples
    settings: Settings
    weights: np.ndarray
    iteration: int
    history: History | None = None

    def to_run(self) -> Run:
        """A run that continues where the saved one stopped."""
        return Run.resume(self.examples, self.settings, self.weights, self.iteration, self.history)


def save_session(
    path: PathLike, examples: Examples, settings: Settings, weights: np.ndarray, iteration: int,
    history: History | None = None,
) -> None:
    atomic_write_text(path, format_session(examples, settings, weights, iteration, history))


def format_session(
    examples: Examples, settings: Settings, weights: np.ndarray, iteration: int,
    history: History | None = None,
) -> str:
    """The session as JSON text: one top-level field a line (numbers exact, never NaN)."""
    settings.validated()
    weights = np.asarray(weights, dtype=np.float64)
    if weights.shape != (examples.n_inputs,):
        raise DataError(f"{weights.size} weights for {examples.n_inputs} inputs")
    if history is not None and history.iteration != iteration:
        raise DataError(f"the history ends at iteration {history.iteration}, not {iteration}")
    session: dict[str, Any] = {
        "format_version": SESSION_FORMAT,
        "app": "neuron-gui",
        "examples": {"names": list(examples.names), "X": examples.X.tolist(), "y": examples.y.tolist()},
        "settings": {
            "iterations": settings.iterations, "seed": settings.seed, "learning_rate": settings.learning_rate,
        },
        "weights": weights.tolist(),
        "iteration": int(iteration),
    }
    if history is not None:
        session["history"] = _history_json(history.state(MAX_SAVED_BUCKETS))
    try:
        fields = [f"{json.dumps(k)}: {json.dumps(v, allow_nan=False)}" for k, v in session.items()]
    except ValueError:
        raise DataError("cannot save: a value is not a finite number") from None
    return "{\n  " + ",\n  ".join(fields) + "\n}\n"


def _history_json(state: HistoryState) -> dict[str, Any]:
    out: dict[str, Any] = {
        "width": state.width,
        "first_iteration": state.origin,
        "count": state.count,
        "learning_rates": [[i, lr] for i, lr in state.learning_rates],
    }
    if state.width == 1:
        out["weights"], out["errors"] = state.w_first.tolist(), state.e_first.tolist()
    else:
        out["weights"] = _first_min_max(state.w_first, state.w_min, state.w_max)
        out["errors"] = _first_min_max(state.e_first, state.e_min, state.e_max)
    return out


def _first_min_max(first: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> dict[str, list]:
    return {"first": first.tolist(), "min": lo.tolist(), "max": hi.tolist()}


def load_session(path: PathLike) -> Session:
    return parse_session(_read_text(path, MAX_SESSION_BYTES), source=str(path))


def parse_session(text: str, source: str = "<text>") -> Session:
    return _SessionReader(source).session(_parse_json(text, source))


def _parse_json(text: str, source: str) -> Any:
    def refuse_constant(name: str) -> None:
        raise FileFormatError(source, f"{name} is not a number a session can hold")

    try:
        return json.loads(text, parse_constant=refuse_constant)
    except json.JSONDecodeError as e:
        raise FileFormatError(source, f"is not valid JSON ({e.msg})", line=e.lineno, column=e.colno) from None
    except RecursionError:
        raise FileFormatError(source, "is not valid JSON (nested too deeply)") from None


class _SessionReader:
    """Checks a parsed session field by field; every refusal names the field."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, field: str, message: str) -> FileFormatError:
        return FileFormatError(self.source, message, field=field)

    def session(self, doc: Any) -> Session:
        if not isinstance(doc, dict):
            raise FileFormatError(self.source, "is not a neuron-gui session (expected a JSON object)")
        self._check_version(doc)
        examples = self._examples(self.get(doc, "examples", kind=dict))
        settings = self._settings(self.get(doc, "settings", kind=dict))
        weights = self.array(self.get(doc, "weights"), "weights", (examples.n_inputs,))
        iteration = self.whole(self.get(doc, "iteration"), "iteration", 0, MAX_ITERATIONS)
        history = None
        if doc.get("history") is not None:
            history = self._history(self.get(doc, "history", kind=dict), examples, weights, iteration)
        return Session(examples, settings, weights, iteration, history)

    def _check_version(self, doc: dict) -> None:
        if "format_version" not in doc:
            raise FileFormatError(self.source, "is not a neuron-gui session (it has no format_version)")
        version = doc["format_version"]
        if type(version) is int and version > SESSION_FORMAT:
            raise FileFormatError(
                self.source,
                f"made by a newer neuron-gui (format {version}); this version reads format {SESSION_FORMAT}",
            )
        if version != SESSION_FORMAT or type(version) is not int:
            raise self.fail("format_version", f"expected {SESSION_FORMAT}, found {_describe(version)}")

    def get(self, obj: dict, key: str, prefix: str = "", kind: type | None = None) -> Any:
        field = prefix + key
        if key not in obj:
            raise self.fail(field, "missing")
        value = obj[key]
        if kind is not None and not isinstance(value, kind):
            expected = "an object" if kind is dict else "a list"
            raise self.fail(field, f"expected {expected}, found {_describe(value)}")
        return value

    def whole(self, value: Any, field: str, lo: int, hi: int) -> int:
        if type(value) is not int or not lo <= value <= hi:
            raise self.fail(field, f"expected a whole number from {lo} to {hi:,}, found {_describe(value)}")
        return value

    def array(self, value: Any, field: str, shape: tuple[int | None, ...]) -> np.ndarray:
        """A float array of ``shape`` ((n,) or (n, m); None is any size) from JSON lists of numbers."""
        if len(shape) == 1:
            self._numbers(value, field, shape[0])
            return np.array(value, dtype=np.float64)
        n, m = shape
        if not isinstance(value, list):
            raise self.fail(field, f"expected a list, found {_describe(value)}")
        if n is not None and len(value) != n:
            raise self.fail(field, f"{len(value)} rows, expected {n}")
        if m is None:
            m = len(value[0]) if value and isinstance(value[0], list) else 0
        for i, row in enumerate(value):
            self._numbers(row, f"{field}[{i}]", m)
        return np.array(value, dtype=np.float64).reshape(len(value), m)

    def _numbers(self, row: Any, field: str, n: int | None) -> None:
        if not isinstance(row, list):
            raise self.fail(field, f"expected a list, found {_describe(row)}")
        if n is not None and len(row) != n:
            raise self.fail(field, f"{len(row)} values, expected {n}")
        for j, v in enumerate(row):
            if not _is_finite_number(v):
                raise self.fail(f"{field}[{j}]", f"expected a number, found {_describe(v)}")

    def _examples(self, obj: dict) -> Examples:
        names = self.get(obj, "names", "examples.", list)
        if not all(isinstance(n, str) for n in names):
            raise self.fail("examples.names", "expected a list of column names")
        X = self.array(self.get(obj, "X", "examples."), "examples.X", (None, None))
        y = self.array(self.get(obj, "y", "examples."), "examples.y", (len(X),))
        try:
            return Examples.create(X, y, names)
        except DataError as e:
            raise self.fail("examples", str(e)) from None

    def _settings(self, obj: dict) -> Settings:
        values = {}
        checks = {"iterations": check_iterations, "seed": check_seed, "learning_rate": check_learning_rate}
        for key, check in checks.items():
            value = self.get(obj, key, "settings.")
            try:
                values[key] = check(value)
            except DataError as e:
                raise self.fail(f"settings.{key}", str(e)) from None
        return Settings(**values)

    def _history(self, obj: dict, examples: Examples, weights: np.ndarray, iteration: int) -> History:
        p = "history."
        width = self.whole(self.get(obj, "width", p), p + "width", 1, MAX_ITERATIONS)
        origin = self.whole(self.get(obj, "first_iteration", p), p + "first_iteration", 0, iteration)
        count = self.whole(self.get(obj, "count", p), p + "count", 1, MAX_ITERATIONS + 1)
        if origin + count - 1 != iteration:
            raise self.fail(p + "count", f"the history ends at iteration {origin + count - 1}, "
                                         f"but the session is at iteration {iteration}")
        n, m = -(-count // width), len(weights)
        rates = self._learning_rates(self.get(obj, "learning_rates", p, list))
        if width == 1:
            w = self.array(self.get(obj, "weights", p), p + "weights", (n, m))
            e = self.array(self.get(obj, "errors", p), p + "errors", (n,))
            parts = (w, w, w, e, e, e)
        else:
            w_obj, e_obj = self.get(obj, "weights", p, dict), self.get(obj, "errors", p, dict)
            parts = tuple(
                self.array(self.get(o, k, f"{p}{name}."), f"{p}{name}.{k}", shape)
                for o, name, shape in ((w_obj, "weights", (n, m)), (e_obj, "errors", (n,)))
                for k in ("first", "min", "max")
            )
        if (count - 1) % width == 0 and not np.array_equal(parts[0][-1], weights):
            raise self.fail(p + "weights", "its last record differs from the session's weights")
        error = forward_error(examples.X, examples.y, weights)  # what the kernel recorded for it
        return History.from_state(HistoryState(width, origin, count, *parts, weights, error, rates))

    def _learning_rates(self, value: list) -> tuple[tuple[int, float], ...]:
        rates = []
        for i, pair in enumerate(value):
            field = f"history.learning_rates[{i}]"
            if not (isinstance(pair, list) and len(pair) == 2 and type(pair[0]) is int):
                raise self.fail(field, f"expected [iteration, rate], found {_describe(pair)}")
            try:
                rates.append((pair[0], check_learning_rate(pair[1])))
            except DataError as e:
                raise self.fail(field, str(e)) from None
        return tuple(rates)


def _is_finite_number(v: Any) -> bool:
    if type(v) is float:
        return math.isfinite(v)
    return type(v) is int and abs(v) <= sys.float_info.max  # exact comparison: no overflow


def _describe(value: Any) -> str:
    """A short description of a JSON value for a message (a long list is not printed)."""
    if isinstance(value, (list, dict)) and len(value) > 8:
        return f"a list of {len(value)} values" if isinstance(value, list) else "an object"
    text = json.dumps(value) if not isinstance(value, float) or math.isfinite(value) else repr(value)
    return text if len(text) <= 24 else text[:23] + "…"
