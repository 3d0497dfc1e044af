"""Reading a parsed JSON document field by field: every refusal names the field (``run.weights[0][2]``)."""

from __future__ import annotations

import json
import math
import sys
from typing import Any

import numpy as np

from ..examples import DataError
from ..training import check_learning_rate
from .reading import FileFormatError


class FieldReader:
    def __init__(self, source: str):
        self.source = source

    def fail(self, field: str, message: str) -> FileFormatError:
        return FileFormatError(self.source, message, field=field)

    def get(self, obj: dict, key: str, prefix: str = "", kind: type | None = None) -> Any:
        field = prefix + key
        if key not in obj:
            raise self.fail(field, "missing")
        value = obj[key]
        if kind is not None and not isinstance(value, kind):
            expected = "an object" if kind is dict else "a list"
            raise self.fail(field, f"expected {expected}, found {describe(value)}")
        return value

    def whole(self, value: Any, field: str, lo: int, hi: int) -> int:
        if type(value) is not int or not lo <= value <= hi:
            raise self.fail(field, f"expected a whole number from {lo:,} to {hi:,}, found {describe(value)}")
        return value

    def array(self, value: Any, field: str, shape: tuple[int | None, ...]) -> np.ndarray:
        """A float array of ``shape`` ((n,) or (n, m); None is any size) from JSON lists of numbers."""
        if len(shape) == 1:
            self.numbers(value, field, shape[0])
            return np.array(value, dtype=np.float64)
        n, m = shape
        if not isinstance(value, list):
            raise self.fail(field, f"expected a list, found {describe(value)}")
        if n is not None and len(value) != n:
            raise self.fail(field, f"{len(value)} rows, expected {n}")
        if m is None:
            m = len(value[0]) if value and isinstance(value[0], list) else 0
        for i, row in enumerate(value):
            self.numbers(row, f"{field}[{i}]", m)
        return np.array(value, dtype=np.float64).reshape(len(value), m)

    def numbers(self, row: Any, field: str, n: int | None) -> None:
        if not isinstance(row, list):
            raise self.fail(field, f"expected a list, found {describe(row)}")
        if n is not None and len(row) != n:
            raise self.fail(field, f"{len(row)} values, expected {n}")
        for j, v in enumerate(row):
            if not is_finite_number(v):
                raise self.fail(f"{field}[{j}]", f"expected a number, found {describe(v)}")

    def learning_rates(self, value: list, field: str, first: int, last: int) -> tuple[tuple[int, float], ...]:
        """A schedule ``[[iteration, rate], ...]``: not empty, starting at ``first``, strictly increasing
        iterations up to ``last``, every rate one the settings accept."""
        if not value:
            raise self.fail(field, f"is empty: expected at least the rate from iteration {first:,}")
        rates: list[tuple[int, float]] = []
        for i, pair in enumerate(value):
            where = f"{field}[{i}]"
            if not (isinstance(pair, list) and len(pair) == 2 and type(pair[0]) is int):
                raise self.fail(where, f"expected [iteration, rate], found {describe(pair)}")
            at = pair[0]
            if i == 0 and at != first:
                raise self.fail(where, f"the first rate must start at iteration {first:,}, not {at:,}")
            if rates and at <= rates[-1][0]:
                raise self.fail(where, f"iteration {at:,} does not come after {rates[-1][0]:,}")
            if at > last:
                raise self.fail(where, f"iteration {at:,} is after the run's last, {last:,}")
            try:
                rates.append((at, check_learning_rate(pair[1])))
            except DataError as e:
                raise self.fail(where, str(e)) from None
        return tuple(rates)


def is_finite_number(v: Any) -> bool:
    if type(v) is float:
        return math.isfinite(v)
    return type(v) is int and abs(v) <= sys.float_info.max  # exact comparison: no overflow


def describe(value: Any) -> str:
    """A short description of a JSON value for a message (a long list is not printed)."""
    if isinstance(value, (list, dict)) and len(value) > 8:
        return f"a list of {len(value)} values" if isinstance(value, list) else "an object"
    text = json.dumps(value) if not isinstance(value, float) or math.isfinite(value) else repr(value)
    return text if len(text) <= 24 else text[:23] + "…"
