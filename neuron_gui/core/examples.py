"""Training examples: validated inputs ``X`` (n, m) and targets ``y`` (n,), and cell parsing.

Every way data enters the app (a table edit, a paste, a file) goes through :func:`parse_cell`, so the
same rules and the same messages apply everywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .lesson import LESSON_X, LESSON_Y, MAX_INPUTS

# Inputs beyond this size make every sigmoid saturate at once; far below float overflow, so a
# product with a weight cannot overflow on its own either.
MAX_ABS_INPUT = 1e6


class DataError(ValueError):
    """Data that cannot be used, with a message meant for the user."""


def input_names(m: int) -> list[str]:
    return [f"x{j + 1}" for j in range(m)]


def parse_cell(text: str | float, *, is_target: bool) -> float:
    """Parse one cell; raise :class:`DataError` with the reason when it cannot be used."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
    else:
        s = str(text).strip()
        if not s:
            raise DataError("a cell cannot be empty")
        try:
            value = float(s)
        except ValueError:
            raise DataError(f"'{_short(s)}' is not a number") from None
    if math.isnan(value):
        raise DataError("NaN is not a number the neuron can learn from")
    if math.isinf(value):
        raise DataError(f"'{_short(str(text))}' is too large (infinite)")
    if is_target and not 0.0 <= value <= 1.0:
        raise DataError(f"target {value:g} is outside [0, 1]: a sigmoid output cannot reach it")
    if not is_target and abs(value) > MAX_ABS_INPUT:
        raise DataError(f"input {value:g} is too large (the limit is ±{MAX_ABS_INPUT:g})")
    return value


def format_number(value: float, digits: int | None = None) -> str:
    """The one number formatter for files, the clipboard, the command line and the table.

    Without ``digits``: the shortest text that reads back as exactly ``value`` (``repr``), without a
    trailing ``.0`` (what files and the clipboard write). With ``digits``: at most that many significant
    digits, the noise of binary fractions hidden (what the table shows; editing a cell shows it exactly).
    """
    if digits is not None:
        return f"{float(value):.{digits}g}"
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _short(s: str, n: int = 24) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


@dataclass(frozen=True)
class Examples:
    """An immutable, validated set of examples. Construct with :meth:`create` to validate."""

    X: np.ndarray
    y: np.ndarray
    names: list[str] = field(default_factory=list)

    @classmethod
    def create(cls, X, y, names: list[str] | None = None) -> Examples:
        X = np.array(X, dtype=np.float64, ndmin=2, order="C")
        y = np.array(y, dtype=np.float64).ravel()
        if X.shape[0] == 0:
            raise DataError("there are no examples: add at least one row")
        if X.shape[1] == 0:
            raise DataError("there are no inputs: add at least one input column")
        if X.shape[1] > MAX_INPUTS:
            raise DataError(f"{X.shape[1]} inputs is too many (at most {MAX_INPUTS})")
        if len(y) != X.shape[0]:
            raise DataError(f"{X.shape[0]} rows of inputs but {len(y)} targets")
        _refuse_first_bad_value(X, y)
        names = list(names) if names else input_names(X.shape[1])
        if len(names) != X.shape[1]:
            raise DataError(f"{len(names)} column names for {X.shape[1]} inputs")
        X.setflags(write=False)
        y.setflags(write=False)
        return cls(X, y, names)

    @classmethod
    def lesson(cls) -> Examples:
        return cls.create(LESSON_X, LESSON_Y)

    @property
    def n_examples(self) -> int:
        return self.X.shape[0]

    @property
    def n_inputs(self) -> int:
        return self.X.shape[1]

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Examples)
            and self.names == other.names
            and np.array_equal(self.X, other.X)
            and np.array_equal(self.y, other.y)
        )

    __hash__ = None  # type: ignore[assignment]


def bad_inputs(X: np.ndarray) -> np.ndarray:
    """Where :func:`parse_cell` refuses an input value (NaN, infinite, or beyond the limit)."""
    with np.errstate(invalid="ignore"):
        return ~(np.abs(X) <= MAX_ABS_INPUT)  # NaN compares False


def bad_targets(y: np.ndarray) -> np.ndarray:
    """Where :func:`parse_cell` refuses a target value (NaN, infinite, or outside [0, 1])."""
    with np.errstate(invalid="ignore"):
        return ~((y >= 0.0) & (y <= 1.0))


def _refuse_first_bad_value(X: np.ndarray, y: np.ndarray) -> None:
    """Raise :func:`parse_cell`'s message for the first value it refuses (inputs row by row, then the
    targets), prefixed by where it is. Checked as whole arrays: a 100,000-row table in milliseconds."""
    bad = np.flatnonzero(bad_inputs(X))
    if len(bad):
        r, j = divmod(int(bad[0]), X.shape[1])
        try:
            parse_cell(float(X[r, j]), is_target=False)
        except DataError as e:
            raise DataError(f"row {r + 1}, x{j + 1}: {e}") from None
    bad = np.flatnonzero(bad_targets(y))
    if len(bad):
        r = int(bad[0])
        try:
            parse_cell(float(y[r]), is_target=True)
        except DataError as e:
            raise DataError(f"row {r + 1}, y: {e}") from None


def parse_query(text: str, n_inputs: int) -> np.ndarray:
    """Parse the query field (``"1, 0, 0"``); raise :class:`DataError` with the reason."""
    parts = [p for p in text.replace(";", ",").split(",")]
    if len(parts) == 1 and not parts[0].strip():
        raise DataError(f"type {n_inputs} comma-separated numbers, e.g. {format_query_default(n_inputs)}")
    if len(parts) != n_inputs:
        raise DataError(
            f"{len(parts)} value{'s' if len(parts) != 1 else ''} given, the neuron has "
            f"{n_inputs} input{'s' if n_inputs != 1 else ''}"
        )
    values = []
    for j, p in enumerate(parts):
        try:
            values.append(parse_cell(p, is_target=False))
        except DataError as e:
            raise DataError(f"x{j + 1}: {e}") from None
    return np.array(values)


def format_query_default(n_inputs: int) -> str:
    return ", ".join(["1"] + ["0"] * (n_inputs - 1))
