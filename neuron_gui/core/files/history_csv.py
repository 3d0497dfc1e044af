"""The history CSV: ``iteration,<names>,error``, one row per record, the initial state first."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

from ..examples import format_number
from ..history import History, Records
from .atomic import atomic_open
from .reading import PathLike


def write_history_csv(
    path: PathLike | IO[str], names: Sequence[str], records: History | Records | Iterable[Records]
) -> int:
    """Write ``iteration,<names>,error`` and one row per record; return the number of rows.

    ``path`` may be an open text stream (standard output) instead of a file name. ``records`` may be
    a generator of chunks (see :meth:`Run.train_streamed`), written as they come, so a run of any
    length is written in bounded memory; the file is checked and opened before the first chunk is
    asked for, so a target that cannot be written costs no training. A :class:`History` must not be
    thinned yet.
    """
    if isinstance(records, History):
        records = [records.exact_records()]
    elif isinstance(records, Records):
        records = [records]
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(["iteration", *names, "error"])
    if hasattr(path, "write"):
        return _write(path, header.getvalue(), records)  # type: ignore[arg-type]
    with atomic_open(path) as f:  # type: ignore[arg-type]
        return _write(f, header.getvalue(), records)


def _write(f: IO[str], header: str, records: Iterable[Records]) -> int:
    f.write(header)
    rows = 0
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
