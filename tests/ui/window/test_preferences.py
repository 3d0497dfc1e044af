"""What the next window remembers of this one (preferences.py): here, how the plots are split."""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter

from tests.ui.window_helpers import find, new_window


def top_share(window) -> float:
    sizes = find(window, QSplitter, "plotsSplitter").sizes()
    return sizes[0] / sum(sizes)


def test_the_plot_split_is_restored_in_the_next_window(qtbot):
    first = new_window(qtbot)
    default = top_share(first)
    splitter = find(first, QSplitter, "plotsSplitter")
    total = sum(splitter.sizes())
    splitter.setSizes([total // 4, total - total // 4])  # the user gives the sigmoid plot three quarters
    chosen = top_share(first)
    assert abs(chosen - default) > 0.15, "a split a broken restore could not match by chance"
    first.close()

    second = new_window(qtbot)
    assert abs(top_share(second) - chosen) < 0.03, (top_share(second), chosen, default)
    second.close()
