"""What every figure group shares: sizes, timing, the figure record, the process a group runs in."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = ("full", "quick", "smoke")
RESULT_MARK = "BENCHMARK-RESULT "


@dataclass(frozen=True)
class Size:
    """How long a run takes: ``full`` (the README's numbers), ``quick``, or ``smoke`` (tiny, for the
    test that keeps this code from rotting: its numbers mean nothing)."""

    name: str = "full"

    def pick(self, full, quick, smoke):
        return {"full": full, "quick": quick, "smoke": smoke}[self.name]


@dataclass
class Figure:
    """One measured figure, its baseline from the same run, and its target.

    ``target_on`` says what the target constrains: the ``ratio`` (value / baseline) or the ``value``.
    """

    group: str
    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    target_on: str = "ratio"
    target_op: str = "<="
    target: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        x = self.ratio if self.target_on == "ratio" else self.value
        if x is None:
            return None
        return {"<=": x <= self.target, "<": x < self.target, ">=": x >= self.target}[self.target_op]

    def to_json(self) -> dict:
        return asdict(self)


# -- timing ------------------------------------------------------------------------------------------

def best_of(fn: Callable[[], object], repeat: int) -> float:
    """The shortest of ``repeat`` timings of ``fn()``, in seconds (the least disturbed run)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def median_of(fn: Callable[[], float], repeat: int) -> float:
    return statistics.median(fn() for _ in range(repeat))


def rss_mb() -> float:
    """This process's resident memory now, in MB (VmRSS)."""
    return _status_kb("VmRSS") / 1024


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (VmHWM)."""
    return _status_kb("VmHWM") / 1024


def _status_kb(key: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return float(line.split()[1])
    raise LookupError(key)


# -- the environment ---------------------------------------------------------------------------------

def environment() -> dict[str, str]:
    """Cores, CPU and versions, read without importing Qt or numba."""
    versions = {}
    for name, dist in (("numpy", "numpy"), ("numba", "numba"), ("PySide6", "PySide6-Essentials"),
                       ("pyqtgraph", "pyqtgraph")):
        try:
            versions[name] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            try:
                versions[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                versions[name] = "not installed"
    blas = {k: v for k, v in os.environ.items() if k.startswith("OPENBLAS_")}
    return {
        "cores": f"{len(os.sched_getaffinity(0))} usable of {os.cpu_count()}",
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        **versions,
        "OPENBLAS env": ", ".join(f"{k}={v}" for k, v in sorted(blas.items())) or "none set",
    }


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


# -- processes ---------------------------------------------------------------------------------------

CONFIG_ENV = "NEURON_GUI_BENCH_CONFIG"  # the throw-away preferences folder of this benchmark run


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a measured process: Qt offscreen, preferences in this run's throw-away
    folder (a developer's saved window state must not change what is measured, nor be changed by it)."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if CONFIG_ENV in env:
        env["XDG_CONFIG_HOME"] = env[CONFIG_ENV]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def run_group(module: str, size: Size, timeout: float = 900) -> list[Figure]:
    """Run ``benchmarks.<module>`` in a fresh process and return its figures."""
    with tempfile.TemporaryDirectory(prefix="neuron-gui-bench-") as config:
        env = child_env(**{CONFIG_ENV: config, "XDG_CONFIG_HOME": config})
        result = subprocess.run(
            [sys.executable, "-m", f"benchmarks.{module}", "--size", size.name],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout,
        )
    lines = [line for line in result.stdout.splitlines() if line.startswith(RESULT_MARK)]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"benchmarks.{module} failed (exit {result.returncode}):\n{result.stderr[-4000:]}")
    return [Figure(**f) for f in json.loads(lines[-1][len(RESULT_MARK):])]


def group_main(measure: Callable[[Size], list[Figure]], argv: Sequence[str] | None = None) -> None:
    """``python -m benchmarks.<group> [--size full|quick|smoke]``: measure, print, and end the process
    at once (a window left open must not ask about unsaved changes, nor Qt tear down slowly)."""
    p = argparse.ArgumentParser()
    p.add_argument("--size", choices=SIZES, default="full")
    args = p.parse_args(argv)
    own_config = None
    if CONFIG_ENV not in os.environ:  # run on its own, not by run_group: isolate the preferences here
        own_config = tempfile.mkdtemp(prefix="neuron-gui-bench-")
        os.environ[CONFIG_ENV] = os.environ["XDG_CONFIG_HOME"] = own_config
    figures = measure(Size(args.size))
    sys.stdout.write(RESULT_MARK + json.dumps([f.to_json() for f in figures]) + "\n")
    sys.stdout.flush()
    sys.stderr.flush()
    if own_config:
        shutil.rmtree(own_config, ignore_errors=True)
    os._exit(0)


# -- printing ----------------------------------------------------------------------------------------

def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "ns/it":
        if value >= 100_000:
            return f"{value / 1e6:.3f} ms/it"
        return f"{value / 1e3:.2f} us/it" if value >= 1000 else f"{value:.1f} ns/it"
    if unit == "us/it":
        return f"{value:,.1f} us/it"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "/s":
        return f"{value:.0f} /s"
    return f"{value:.4g} {unit}".strip()


def format_target(f: Figure) -> str:
    if f.target is None:
        return "-"
    what = "ratio" if f.target_on == "ratio" else ""
    target = f"{f.target:g}" if f.target_on == "ratio" else format_value(f.target, f.unit)
    return f"{what} {f.target_op} {target}".strip()


def format_table(figures: Sequence[Figure]) -> str:
    rows = [("figure", "measured", "baseline (same run)", "ratio", "target", "met")]
    for f in figures:
        baseline = f"{format_value(f.baseline, f.unit)} {f.baseline_name}".strip() if f.baseline else "-"
        ratio = "-" if f.ratio is None else f"{f.ratio:.4f}" if f.ratio < 0.1 else f"{f.ratio:.3f}"
        met = {True: "yes", False: "NO", None: "-"}[f.met]
        rows.append((f"{f.group} {f.name}", format_value(f.value, f.unit), baseline, ratio, format_target(f), met))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"  [{f.group} {f.name}] {f.note}" for f in figures if f.note]
    return "\n".join(lines + (["", "notes:"] + notes if notes else []))
