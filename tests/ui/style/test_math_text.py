"""Numbers as the insight panels write them: a few significant digits, a real minus, ×10ⁿ."""

from __future__ import annotations

import math

import pytest

from neuron_gui.ui.style.math_text import MINUS, compact, decimals_to_show, factor, fixed, number, signed, sub, sup


@pytest.mark.parametrize(("value", "sig", "text"), [
    (9.67299303, 4, "9.673"),
    (-0.2078435, 4, f"{MINUS}0.2078"),
    (0.0000612345, 3, "6.12×10⁻⁵"),
    (-1234567.0, 3, f"{MINUS}1.23×10⁶"),
    (9.99996, 4, "10.00"),  # rounding up a digit does not add one
    (0.0, 4, "0"),
    (math.inf, 4, "∞"),
    (math.nan, 4, "—"),
])
def test_number(value, sig, text):
    assert number(value, sig) == text


def test_helpers():
    assert compact(1.0) == "1" and compact(0.5) == "0.5" and compact(-2.5e-7) == f"{MINUS}2.500×10⁻⁷"
    assert fixed(-0.0000001, 4) == "0.0000" and fixed(-1.5, 2) == f"{MINUS}1.50"
    assert factor(f"{MINUS}0.2") == f"({MINUS}0.2)" and factor("3") == "3"
    assert signed(f"{MINUS}0.2") == f"{MINUS} 0.2" and signed("0.2") == "+ 0.2"
    assert sub(12) == "₁₂" and sup(-5) == "⁻⁵"
    assert decimals_to_show(0.000103) == 6 and decimals_to_show(2.5) == 4 and decimals_to_show(1e-12) == 8
