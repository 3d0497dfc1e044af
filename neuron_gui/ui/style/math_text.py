"""Numbers and symbols written as a reader expects them in a formula, not as Python prints them.

A few significant digits (the full value goes in a tooltip), a real minus sign, ``×10⁻⁵`` instead of
``e-05``, subscripts for indices (``w₁``, ``errorᵢ``), and negative factors in parentheses.
"""

from __future__ import annotations

import math

MINUS = "\u2212"
_SUPERSCRIPT = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sub(index: int | str) -> str:
    """``1`` -> ``₁`` (digits only; other text is returned as it is)."""
    return str(index).translate(_SUBSCRIPT)


def sup(text: int | str) -> str:
    return str(text).translate(_SUPERSCRIPT)


def number(v: float, sig: int = 4) -> str:
    """``v`` to ``sig`` significant digits: fixed-point for 0.001 <= |v| < 10⁶, else ``m×10ⁿ``."""
    v = float(v)
    if v == 0 or not math.isfinite(v):
        return "0" if v == 0 else ("∞" if v > 0 else f"{MINUS}∞") if math.isinf(v) else "—"
    e = math.floor(math.log10(abs(v)))
    if -3 <= e < 6:
        text = f"{v:.{max(0, sig - 1 - e)}f}"
        rounded = float(text)
        if rounded != 0 and math.floor(math.log10(abs(rounded))) > e:  # 9.9996 -> 10.000: one digit too many
            text = f"{v:.{max(0, sig - 2 - e)}f}"
        return text.replace("-", MINUS)
    mantissa, exponent = f"{v:.{sig - 1}e}".split("e")
    return f"{mantissa.replace('-', MINUS)}×10{sup(int(exponent))}"


def compact(v: float, sig: int = 4) -> str:
    """:func:`number` without trailing zeros: an input of 1 is written 1, not 1.000."""
    text = number(v, sig)
    if "." in text and "×" not in text:
        text = text.rstrip("0").rstrip(".")
    return text


def fixed(v: float, decimals: int) -> str:
    """``v`` with exactly ``decimals`` decimals (so a column of them lines up), real minus sign."""
    text = f"{float(v):.{decimals}f}"
    if float(text) == 0:
        text = text.lstrip("-")  # never "-0.000"
    return text.replace("-", MINUS)


def factor(text: str) -> str:
    """A number as a factor in a product: negative ones in parentheses, ``1·(−0.21)``."""
    return f"({text})" if text.startswith(MINUS) else text


def signed(text: str) -> str:
    """A number after a binary + or −: ``a + −b`` is written ``a − b``."""
    return f"{MINUS} {text[1:]}" if text.startswith(MINUS) else f"+ {text}"


def decimals_to_show(change: float, at_least: int = 4, at_most: int = 8) -> int:
    """Decimals that show ``change`` with three significant digits, within [at_least, at_most]: then
    ``w + change = new`` visibly adds up."""
    change = abs(float(change))
    if change == 0 or not math.isfinite(change):
        return at_least
    return int(min(at_most, max(at_least, 2 - math.floor(math.log10(change)))))
