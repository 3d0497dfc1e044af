"""The benchmark (``python -m benchmarks``) runs: every figure group at its tiny ``smoke`` size, each in the
fresh process the real run gives it, so that the benchmark cannot rot unnoticed. No timing is asserted:
at these sizes the numbers mean nothing."""

from __future__ import annotations

import json
import math

import pytest

from benchmarks import __main__ as bench
from benchmarks.common import Figure, Size, format_table, run_group

EXPECTED = {
    "kernel": ["lesson's 4x3 table", "2,000x3 table, learning rate 1e-4", "2,000x3 table, learning rate 1"],
    "live": ["20,000 iterations in the window"],
    "responsiveness": [what for table in ("lesson", "big") for what in (
        "longest GUI gap", *(["99th-percentile GUI gap"] if table == "lesson" else []), "plot redraws",
        "weights plot: new states", "Pause: worker stops", "Pause: window knows", "Stop: worker stops",
        "Stop: window knows")],
    "headless": ["neuron-gui train --iterations 1,000", "Qt modules loaded by the headless path"],
    "scale": ["memory growth over 100,000 iterations", "1,000-row CSV opens in the window", "table scrolls a page",
              "an edit in the table", "window shown", "first Train, nothing compiled"],
    "network": ["neuron-gui train --hidden 4, 1,000 iterations"],
}


@pytest.mark.parametrize("group", ["live", "responsiveness", "headless", "scale", "network"])
def test_each_figure_group_runs_and_reports_every_figure(group: str):
    figures = run_group(group, Size("smoke"), timeout=300)
    assert [f.name for f in figures] == EXPECTED[group]
    for f in figures:
        assert math.isfinite(f.value) and f.value >= 0, f
        assert f.baseline is not None and math.isfinite(f.baseline) and f.baseline > 0, f  # every figure has one
        assert f.met is not None, f  # every figure has a target it can be judged against
    if group == "headless":
        assert figures[1].value == 0  # and the proof holds: the headless path loads no Qt
        assert "exit code 0" in figures[1].note


def test_the_command_prints_a_table_and_writes_json(tmp_path, capsys):
    out = tmp_path / "figures.json"
    assert bench.main(["--smoke", "--only", "kernel", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    saved = json.loads(out.read_text())
    assert [f["name"] for f in saved["figures"]] == EXPECTED["kernel"]
    for key in ("cores", "python", "numpy", "numba", "PySide6", "pyqtgraph"):
        assert saved["environment"][key] and key in printed
    for name in EXPECTED["kernel"]:
        assert name in printed


def test_the_table_shows_ratio_target_and_verdict():
    figures = [
        Figure("1 kernel", "a", 40.0, "ns/it", 4000.0, "numpy", target=0.015),
        Figure("3 responsive", "b", 60.0, "ms", 5.0, "idle", target_on="value", target_op="<", target=50.0),
    ]
    text = format_table(figures)
    assert "0.0100" in text and "ratio <= 0.015" in text and "yes" in text
    assert "< 50.0 ms" in text and "NO" in text
