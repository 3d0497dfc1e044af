"""Training examples: validated inputs ``X`` (n, m) and targets ``y`` (n,), and cell parsing.

Every way data enters the app (a table edit, a paste, a file) goes through :func:`parse_cell`, so the
same rules and the same messages apply everywhere.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .lesson import LESSON_X, LESSON_Y, MAX_INPUTS

# Inputs beyond this size make every sigmoid saturate at once; far below float overflow, so a
# product with a weight cannot overflow on its own either.
MAX_ABS_INPUT = 1e6
# A number is ASCII digits, a sign, a point and an exponent, nothing else: Python's ``float`` and ``int``
# would also take ``1_0`` (as 10) and fullwidth or Arabic-Indic digits, which no other program reading
# the file would agree on.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# A whole number: plain digits, or grouped by commas in threes as the window writes them (1,000,000).
_WHOLE = re.compile(r"[+-]?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)")
_NAN_WORDS = {"nan", "+nan", "-nan"}
_INF_WORDS = {"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}
# Longer texts are cut when echoed in a message (a 100,000-digit argument is not printed back whole).
ECHO_LIMIT = 24


class DataError(ValueError):
    """Data that cannot be used, with a message meant for the user."""


def input_names(m: int) -> list[str]:
    return [f"x{j + 1}" for j in range(m)]


def parse_cell(text: str | float, *, is_target: bool) -> float:
    """Parse one cell; raise :class:`DataError` with the reason when it cannot be used.

    Messages show the value as it was given (``1.0000000000000002``, not a rounded ``1``)."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value, shown = float(text), format_number(float(text))
    else:
        shown = str(text).strip()
        if not shown:
            raise DataError("a cell cannot be empty")
        value = parse_decimal(shown)
    if math.isnan(value):
        raise DataError("NaN is not a number the neuron can learn from")
    if math.isinf(value):
        raise DataError(f"'{short(shown)}' is too large (infinite)")
    if is_target and not 0.0 <= value <= 1.0:
        raise DataError(f"target {short(shown)} is outside [0, 1]: a sigmoid output cannot reach it")
    if not is_target and abs(value) > MAX_ABS_INPUT:
        raise DataError(f"input {short(shown)} is too large (the limit is ±{MAX_ABS_INPUT:g})")
    return value


def parse_decimal(text: str) -> float:
    """A number written in ASCII (``-1.5e3``; also ``nan`` and ``inf``, which callers refuse with their
    own reason); raise :class:`DataError` for anything else, ``1_0`` and non-ASCII digits included."""
    s = text.strip()
    if _DECIMAL.fullmatch(s):
        return float(s)
    if s.lower() in _NAN_WORDS:
        return math.nan
    if s.lower() in _INF_WORDS:
        return -math.inf if s.startswith("-") else math.inf
    raise DataError(f"'{short(s)}' is not a number" + _hint(s))


def parse_whole(text: str) -> int:
    """A whole number written in ASCII digits, optionally grouped by commas (``1,000``); raise
    :class:`DataError` for anything else (no ``1_000``, no other digits, no ``1e4``)."""
    s = text.strip()
    if not _WHOLE.fullmatch(s):
        raise DataError(f"'{short(s)}' is not a whole number" + _hint(s))
    digits = s.replace(",", "")
    if len(digits.lstrip("+-")) > 30:  # far beyond every limit; int() would refuse past 4,300 digits
        raise DataError(f"{short(s)} is far too large")
    return int(digits)


def _hint(s: str) -> str:
    if "_" in s:
        return " (write it without '_')"
    if any(not c.isascii() for c in s):
        return " (only the digits 0-9, a sign, '.' and an exponent such as e-3)"
    return ""


def short(s: str, n: int = ECHO_LIMIT) -> str:
    """``s`` cut to ``n`` characters for a message; a character that is not text is escaped."""
    s = s if len(s) <= n else s[: n - 1] + "…"
    return "".join(c if _printable(c) else ascii(c)[1:-1] for c in s)


def _printable(c: str) -> bool:
    return unicodedata.category(c) not in ("Cc", "Cs", "Cf") or c == "\u200d"


def check_column_names(names: Sequence[str], what: str = "column") -> None:
    """Names a file can hold and give back unchanged: not empty, not padded, all different, and plain
    text (no line break, control character, byte-order mark or lone surrogate, any of which breaks a
    file or the printed output). Every way names enter (CSV header, session, table) is checked here."""
    seen = set()
    for j, name in enumerate(names):
        if not isinstance(name, str):
            raise DataError(f"{what} {j + 1}'s name is not text")
        if not name.strip():
            raise DataError(f"{what} {j + 1} has no name")
        bad = next((c for c in name if not _printable(c)), None)
        if bad is not None:
            raise DataError(f"{what} {j + 1}'s name '{short(name)}' holds {_character(bad)}")
        if name != name.strip():
            raise DataError(f"column name '{short(name)}' starts or ends with a space")
        if name in seen:
            raise DataError(f"column name '{short(name)}' appears twice")
        seen.add(name)


def _character(c: str) -> str:
    if c in "\r\n":
        return "a line break"
    if unicodedata.category(c) == "Cs":
        return f"a lone surrogate ({ascii(c)[1:-1]}), which is not text"
    if c == "\ufeff":
        return "a byte-order mark"
    return f"the control character {ascii(c)[1:-1]}"


def format_number(value: float) -> str:
    """Shortest text that reads back as exactly ``value`` (``repr``), without a trailing ``.0``."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


@dataclass(frozen=True)
class Examples:
    """An immutable, validated set of examples. Construct with :meth:`create` to validate."""

    X: np.ndarray
    y: np.ndarray
    names: list[str] = field(default_factory=list)

    @classmethod
    def create(cls, X, y, names: list[str] | None = None, *, copy: bool = True) -> Examples:
        """Validated examples; with ``copy=False`` float64 C-ordered arrays are taken over as they are
        (and made read-only): a file reader's own arrays, so that 10^6 rows are not held twice."""
        make = np.array if copy else np.asarray
        X = make(X, dtype=np.float64, order="C")
        X = X.reshape(1, -1) if X.ndim == 1 else X
        y = make(y, dtype=np.float64).ravel()
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
        check_column_names(names)
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
    with np.errstate(invalid="ignore"):  # boolean temporaries only: an eighth of X's size each
        bad = np.isnan(X)
        bad |= X > MAX_ABS_INPUT
        bad |= X < -MAX_ABS_INPUT
        return bad


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
