"""Cell parsing, example validation and the query field: the rules every way data enters the app shares."""

from __future__ import annotations

import numpy as np
import pytest

from neuron_gui.core.examples import (
    MAX_ABS_INPUT,
    DataError,
    Examples,
    parse_cell,
    parse_decimal,
    parse_query,
    parse_whole,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [("0", 0.0), ("1", 1.0), (" 0.5 ", 0.5), ("-2.5e3", -2500.0), ("1e6", 1e6), ("-1e6", -1e6), (3, 3.0),
     (0.25, 0.25), ("0.1", 0.1)],
)
def test_parse_cell_accepts_inputs(text, value):
    assert parse_cell(text, is_target=False) == value


@pytest.mark.parametrize(("text", "value"), [("0", 0.0), ("1", 1.0), ("0.73", 0.73), (" 1.0", 1.0)])
def test_parse_cell_accepts_targets_in_0_1(text, value):
    assert parse_cell(text, is_target=True) == value


@pytest.mark.parametrize(
    ("text", "is_target", "message"),
    [
        ("", False, "cannot be empty"),
        ("   ", True, "cannot be empty"),
        ("abc", False, "'abc' is not a number"),
        ("1,5", False, "'1,5' is not a number"),
        (True, False, "'True' is not a number"),
        ("nan", False, "NaN is not a number"),
        (float("nan"), True, "NaN is not a number"),
        ("inf", False, "too large (infinite)"),
        ("-inf", False, "too large (infinite)"),
        ("1e999", False, "too large (infinite)"),
        ("1.0000001", True, "outside [0, 1]"),
        ("-0.1", True, "outside [0, 1]"),
        ("2", True, "target 2 is outside [0, 1]"),
        ("1e6000", True, "infinite"),
        (str(2 * MAX_ABS_INPUT), False, "too large (the limit is ±1e+06)"),
    ],
)
def test_parse_cell_refuses_with_the_reason(text, is_target, message):
    with pytest.raises(DataError) as info:
        parse_cell(text, is_target=is_target)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_a_long_bad_cell_is_shortened_in_the_message():
    with pytest.raises(DataError) as info:
        parse_cell("x" * 200, is_target=False)
    assert len(str(info.value)) < 60 and "…" in str(info.value)


def test_examples_create_validates_and_freezes():
    examples = Examples.create([[0, 1], [1, 0]], [0, 1])
    assert examples.names == ["x1", "x2"]
    assert (examples.n_examples, examples.n_inputs) == (2, 2)
    assert examples.X.dtype == np.float64 and examples.X.flags.c_contiguous
    with pytest.raises(ValueError):
        examples.X[0, 0] = 5
    assert examples == Examples.create([[0.0, 1.0], [1.0, 0.0]], [0.0, 1.0])
    assert examples != Examples.create([[0, 1], [1, 0]], [0, 1], ["a", "b"])
    assert Examples.lesson().n_inputs == 3


@pytest.mark.parametrize(
    ("X", "y", "names", "message"),
    [
        (np.empty((0, 2)), [], None, "there are no examples"),
        (np.empty((2, 0)), [0, 1], None, "there are no inputs"),
        (np.zeros((1, 17)), [0], None, "17 inputs is too many (at most 16)"),
        ([[0, 1], [1, 0]], [0], None, "2 rows of inputs but 1 targets"),
        ([[0, 1], [1, np.nan]], [0, 1], None, "row 2, x2: NaN"),
        ([[0, 1], [1, np.inf]], [0, 1], None, "row 2, x2:"),
        ([[0, 1], [1, 2e6]], [0, 1], None, "row 2, x2: input 2000000 is too large"),
        ([[0, 1], [1, 0]], [0, 1.5], None, "row 2, y: target 1.5 is outside [0, 1]"),
        ([[0, 1], [1, 0]], [0, 1], ["a"], "1 column names for 2 inputs"),
    ],
)
def test_examples_create_refuses_with_the_row_and_column(X, y, names, message):
    with pytest.raises(DataError) as info:
        Examples.create(X, y, names)
    assert message in str(info.value)


def test_sixteen_inputs_and_one_input_are_allowed():
    assert Examples.create(np.zeros((2, 16)), [0, 1]).n_inputs == 16
    assert Examples.create([[1], [2]], [0, 1]).n_inputs == 1


@pytest.mark.parametrize(
    ("text", "n", "expected"),
    [("1,0,0", 3, [1, 0, 0]), (" 1 , 0 , 0 ", 3, [1, 0, 0]), ("1;0;0", 3, [1, 0, 0]), ("-1.5,2e3", 2, [-1.5, 2000]),
     ("7", 1, [7])],
)
def test_parse_query(text, n, expected):
    assert parse_query(text, n).tolist() == expected


@pytest.mark.parametrize(
    ("text", "n", "message"),
    [
        ("", 3, "type 3 comma-separated numbers, e.g. 1, 0, 0"),
        ("  ", 2, "type 2 comma-separated numbers, e.g. 1, 0"),
        ("1,0", 3, "2 values given, the neuron has 3 inputs"),
        ("1", 2, "1 value given, the neuron has 2 inputs"),
        ("1,0,0", 1, "3 values given, the neuron has 1 input"),
        ("1,x,0", 3, "x2: 'x' is not a number"),
        ("1,,0", 3, "x2: a cell cannot be empty"),
        ("1,nan,0", 3, "x2: NaN"),
        ("1,0,inf", 3, "x3: 'inf' is too large (infinite)"),
    ],
)
def test_parse_query_refuses_with_the_reason(text, n, message):
    with pytest.raises(DataError) as info:
        parse_query(text, n)
    assert message in str(info.value)


@pytest.mark.parametrize("text", ["1_0", "0_1", "\uff11", "\u0661", "\u0967", "1\u00a0000", "0x10", "1e", ".", "+"])
def test_a_number_is_ascii_digits_sign_point_and_exponent_only(text: str):
    for is_target in (False, True):
        with pytest.raises(DataError, match="is not a number"):
            parse_cell(text, is_target=is_target)
    with pytest.raises(DataError):
        parse_decimal(text)


@pytest.mark.parametrize(("text", "value"), [("10000", 10_000), ("1,000", 1_000), ("1,000,000", 1_000_000),
                                             ("+7", 7), (" 42 ", 42)])
def test_whole_numbers_may_be_grouped_as_the_window_writes_them(text: str, value: int):
    assert parse_whole(text) == value


@pytest.mark.parametrize("text", ["1_000", "10,00", "1,0000", "\uff15", "1e4", "1.0", "", "--", "1" * 100_000])
def test_whole_numbers_refuse_everything_else_and_never_echo_a_huge_value(text: str):
    with pytest.raises(DataError) as info:
        parse_whole(text)
    assert len(str(info.value)) < 120


def test_a_value_is_shown_as_given_not_rounded():
    with pytest.raises(DataError, match=r"target 1\.0000000000000002 is outside"):
        parse_cell(1.0000000000000002, is_target=True)
    with pytest.raises(DataError, match=r"input 1000000\.0000001 is too large"):
        parse_cell("1000000.0000001", is_target=False)
