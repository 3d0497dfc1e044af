"""Figure 4, headless: ``neuron-gui train --iterations 100000`` as a whole process, against a plain
script of the lesson's loop doing the same iterations (each a fresh process, median of several,
alternating), and proof that the headless path loads no Qt: the command must have succeeded (exit 0)
for its count to mean anything, and the same count taken after opening the window's module is the
baseline (it shows the check sees Qt where Qt is)."""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import ROOT, Figure, Size, child_env, group_main

GROUP = "4 headless"

# The lesson's program, word for word but for the iteration count and a last line printing the weights.
LESSON_SCRIPT = """\
from numpy import exp, array, random, dot
training_set_inputs = array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]])
training_set_outputs = array([[0, 1, 1, 0]]).T
random.seed(1)
synaptic_weights = 2 * random.random((3, 1)) - 1
for iteration in range({iterations}):
    output = 1 / (1 + exp(-(dot(training_set_inputs, synaptic_weights))))
    synaptic_weights += dot(training_set_inputs.T, (training_set_outputs - output) * output * (1 - output))
print(1 / (1 + exp(-(dot(array([1, 0, 0]), synaptic_weights)))))
print(" ".join(repr(float(w)) for w in synaptic_weights.ravel()))
"""

QT_CHECK = """\
import json, sys
from neuron_gui.cli import main
code = main(["train", "--iterations", "1000"])
if {window}:
    import neuron_gui.ui.window.main_window
loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')
                or m.startswith('neuron_gui.ui') or m.startswith('neuron_gui.session'))
print(json.dumps([code, loaded]), file=sys.stderr)
"""


def neuron_gui_command() -> list[str]:
    """The installed ``neuron-gui`` script next to this Python, else ``python -m neuron_gui``."""
    script = shutil.which("neuron-gui", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "neuron_gui"]


def timed_run(command: list[str], env: dict) -> tuple[float, str]:
    t0 = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    elapsed = time.perf_counter() - t0
    if result.returncode != 0:
        raise RuntimeError(f"{command} failed: {result.stderr[-2000:]}")
    return elapsed, result.stdout


def timed_pairs(cli: list[str], plain: list[str], env: dict, repeat: int) -> tuple[list[float], str, list[float], str]:
    """Both commands ``repeat`` times, alternating (so a change in the machine's load hits both alike), after
    one untimed run of ``cli`` that warms the numba cache and the file cache, as for any second run. Returns
    the times and the last output of each: ``(cli_times, cli_out, plain_times, plain_out)``."""
    timed_run(cli, env)
    cli_times, plain_times = [], []
    cli_out = plain_out = ""
    for _ in range(repeat):
        t, cli_out = timed_run(cli, env)
        cli_times.append(t)
        t, plain_out = timed_run(plain, env)
        plain_times.append(t)
    return cli_times, cli_out, plain_times, plain_out


def measure(size: Size) -> list[Figure]:
    iterations = size.pick(100_000, 100_000, 1_000)
    repeat = size.pick(9, 5, 1)
    env = child_env()
    cli = neuron_gui_command() + ["train", "--iterations", str(iterations)]
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "lesson.py"
        script.write_text(LESSON_SCRIPT.format(iterations=iterations))
        plain = [sys.executable, str(script)]
        cli_times, cli_out, plain_times, plain_out = timed_pairs(cli, plain, env, repeat)
    plain_weights = [float(v) for v in plain_out.split("\n")[1].split()]
    weights_line = next(line for line in cli_out.splitlines() if line.startswith("weights"))

    code, loaded = _qt_modules(env, window=False)
    _, window_loaded = _qt_modules(env, window=True)
    return [
        Figure(GROUP, f"neuron-gui train --iterations {iterations:,}", statistics.median(cli_times), "s",
               statistics.median(plain_times), "plain lesson script", target=0.5,
               note=f"whole processes, median of {repeat} each (neuron-gui: "
                    f"{', '.join(f'{t:.3f}' for t in sorted(cli_times))} s; plain: "
                    f"{', '.join(f'{t:.3f}' for t in sorted(plain_times))} s); command: {' '.join(cli[-4:])}; "
                    f"weights: neuron-gui '{weights_line.split(None, 1)[1].strip()}', "
                    f"plain {[round(w, 8) for w in plain_weights]}"),
        Figure(GROUP, "Qt modules loaded by the headless path", float(len(loaded)), "modules",
               float(len(window_loaded)), "after importing the window", target_on="value", target_op="<=", target=0,
               note=f"the train command's exit code {code} (checked: 0); PySide6, shiboken6, pyqtgraph, "
                    f"neuron_gui.ui, neuron_gui.session in sys.modules after cli.main(['train', ...]): "
                    f"{loaded or 'none'}"),
    ]


def _qt_modules(env: dict, window: bool) -> tuple[int, list[str]]:
    """(the train command's exit code, the Qt and ui modules loaded after it); raises unless both the
    process and the command succeeded: a failed command loads nothing and would prove nothing."""
    check = subprocess.run([sys.executable, "-c", QT_CHECK.format(window=window)], capture_output=True, text=True,
                           env=env, cwd=ROOT, timeout=120)
    try:
        code, loaded = json.loads(check.stderr.strip().splitlines()[-1])
    except (IndexError, ValueError):
        code, loaded = None, []
    if check.returncode != 0 or code != 0:
        raise RuntimeError(f"the headless check failed (process exit {check.returncode}, train exit {code}): "
                           f"{check.stderr[-2000:]}")
    return code, loaded


if __name__ == "__main__":
    group_main(measure)
