"""The examples CSV: a header naming the columns, the target last, then one row per example.

Read in pieces, so a file of 10^6 rows needs memory near the size of its numbers (not a Python object
per cell) and can report progress to a background job, which may cancel it. Every refusal names the
file, line and column.
"""

from __future__ import annotations

import array
import csv
import io
from collections.abc import Iterator
from itertools import repeat

import numpy as np

from ..examples import DataError, Examples, bad_inputs, bad_targets, check_column_names, format_number, parse_cell
from ..lesson import MAX_INPUTS
from .atomic import atomic_write_text
from .reading import MB, FileFormatError, PathLike, Progress, read_text

MAX_CSV_BYTES = 50 * MB
TARGET_NAME = "y"
# Characters a body of plain numbers is made of; anything else (quotes, tabs, letters, '_', other
# digits) goes the careful way, cell by cell, which also finds the first bad cell to name it.
_PLAIN = frozenset(b"0123456789+-.eE, \r\n")
_DELETE_PLAIN = bytes(sorted(_PLAIN))
PIECE_CHARS = 1 << 18


def read_examples_csv(path: PathLike, progress: Progress | None = None) -> Examples:
    """Examples from a CSV file; ``progress(fraction)`` is called as it goes (it may raise to stop)."""
    return parse_examples_csv(read_text(path, MAX_CSV_BYTES), source=str(path), progress=progress)


def parse_examples_csv(text: str, source: str = "<text>", progress: Progress | None = None) -> Examples:
    text = text.lstrip("\ufeff")
    header_line, header, body_start = _header(text, source)
    names = _header_names(header, header_line, source)
    values = _plain_values(text, body_start, len(names), progress)
    if values is None:  # not plain numbers throughout, or some cell is refused: cell by cell
        values = _careful_values(text, header_line, names, source, progress)
    if len(values) == 0:
        raise FileFormatError(source, "has a header but no examples")
    X, y = np.array(values[:, :-1]), np.array(values[:, -1])
    del values  # from here on the numbers are held once
    try:
        return Examples.create(X, y, names[:-1], copy=False)
    except DataError as e:
        raise FileFormatError(source, str(e)) from None


def _header(text: str, source: str) -> tuple[int, list[str], int]:
    """(line number, cells, offset where the body starts) of the first row that is not blank."""
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, strict=True, skipinitialspace=True)
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                return reader.line_num, cells, stream.tell()
    except csv.Error as e:
        raise FileFormatError(source, f"is not valid CSV ({e})", line=reader.line_num) from None
    raise FileFormatError(source, "is empty: expected a header row such as x1,x2,y, then the examples")


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
        check_column_names(names, "the header's column")
    except DataError as e:
        raise FileFormatError(source, str(e), line=line) from None
    return names


def _plain_values(text: str, start: int, width: int, progress: Progress | None) -> np.ndarray | None:
    """The body's values when it is plain numbers, every row ``width`` of them and every value one a
    cell may hold; otherwise None (then :func:`_careful_values` says what is wrong, and where).

    One array, sized by the line count and filled piece by piece: the memory is the numbers' own."""
    total = max(1, len(text) - start)
    values = np.empty((text.count("\n", start) + text.count("\r", start) + 1, width))
    rows_done = 0
    for done, piece in _pieces(text, start):
        if not piece.isascii() or piece.encode("ascii").translate(None, _DELETE_PLAIN):
            return None
        rows = [r for r in piece.replace("\r", "\n").split("\n") if r.strip()]
        if rows and set(map(str.count, rows, repeat(",", len(rows)))) != {width - 1}:
            return None
        try:
            cells = np.fromiter(map(float, ",".join(rows).split(",")), np.float64) if rows else []
        except ValueError:
            return None
        block = np.reshape(cells, (len(rows), width))
        if bad_inputs(block[:, :-1]).any() or bad_targets(block[:, -1]).any():
            return None
        values[rows_done : rows_done + len(rows)] = block
        rows_done += len(rows)
        if progress is not None:
            progress(done / total)
    return values[:rows_done]


def _pieces(text: str, start: int) -> Iterator[tuple[int, str]]:
    """(characters done, text) in pieces of about :data:`PIECE_CHARS`, each cut after a line end."""
    first = start
    while start < len(text):
        end = text.find("\n", min(start + PIECE_CHARS, len(text)) - 1)
        end = len(text) if end < 0 else end + 1
        yield end - first, text[start:end]
        start = end


def _careful_values(
    text: str, header_line: int, names: list[str], source: str, progress: Progress | None
) -> np.ndarray:
    """Row by row through the csv module and :func:`parse_cell`, values kept as packed doubles."""
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, strict=True, skipinitialspace=True)
    out = array.array("d")
    total, rows = max(1, len(text)), 0
    try:
        for cells in reader:
            if reader.line_num <= header_line or not any(c.strip() for c in cells):
                continue
            out.extend(_row_values(cells, names, reader.line_num, source))
            rows += 1
            if progress is not None and rows % 65536 == 0:
                progress(stream.tell() / total)
    except csv.Error as e:
        raise FileFormatError(source, f"is not valid CSV ({e})", line=reader.line_num) from None
    return np.frombuffer(out, dtype=np.float64).reshape(rows, len(names)).copy()


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
        parse_cell(text, is_target=False)
    except DataError:
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
