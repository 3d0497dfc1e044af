"""Figure 6, a network: the sequel's 3-4-1 network trained 600,000 iterations by
``neuron-gui train --hidden 4`` as a whole process, against the sequel's numpy loop doing the same
iterations (each a fresh process, median of several, alternating). Both must print the same prediction
to 8 decimals for the figure to count."""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from .common import Figure, Size, child_env, group_main
from .headless import neuron_gui_command, timed_pairs

GROUP = "6 network"

SEQUEL_CSV = "x1,x2,x3,y\n0,0,1,0\n0,1,1,1\n1,0,1,1\n0,1,0,1\n1,0,0,1\n1,1,1,0\n0,0,0,0\n"

# The sequel's program: its loop, its seed, its table; the last line prints the prediction for [1,1,0].
SEQUEL_SCRIPT = """\
from numpy import exp, array, random, dot
X = array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 1], [0, 0, 0]])
y = array([[0, 1, 1, 1, 1, 0, 0]]).T
random.seed(1)
W1 = 2 * random.random((3, 4)) - 1
W2 = 2 * random.random((4, 1)) - 1
for iteration in range({iterations}):
    h = 1 / (1 + exp(-dot(X, W1)))
    out = 1 / (1 + exp(-dot(h, W2)))
    d2 = (y - out) * out * (1 - out)
    d1 = dot(d2, W2.T) * h * (1 - h)
    W1 += dot(X.T, d1)
    W2 += dot(h.T, d2)
print("%.8f" % (1 / (1 + exp(-dot(1 / (1 + exp(-dot(array([1, 1, 0]), W1))), W2))))[0])
"""


def measure(size: Size) -> list[Figure]:
    iterations = size.pick(600_000, 300_000, 1_000)
    repeat = size.pick(5, 3, 1)
    env = child_env()
    with tempfile.TemporaryDirectory() as folder:
        table = Path(folder) / "sequel.csv"
        table.write_text(SEQUEL_CSV)
        script = Path(folder) / "sequel.py"
        script.write_text(SEQUEL_SCRIPT.format(iterations=iterations))
        cli = neuron_gui_command() + ["train", "--examples", str(table), "--hidden", "4", "--iterations",
                                      str(iterations), "--query", "1,1,0"]
        plain = [sys.executable, str(script)]
        cli_times, cli_out, plain_times, plain_out = timed_pairs(cli, plain, env, repeat)
    prediction = next(line for line in cli_out.splitlines() if line.startswith("prediction")).split()[1]
    plain_prediction = plain_out.strip().splitlines()[-1]
    if prediction != plain_prediction:
        raise RuntimeError(f"neuron-gui predicts {prediction}, the sequel's loop {plain_prediction}")
    return [
        Figure(GROUP, f"neuron-gui train --hidden 4, {iterations:,} iterations", statistics.median(cli_times), "s",
               statistics.median(plain_times), "the sequel's numpy loop", target=0.1,
               note=f"whole processes, median of {repeat} each (neuron-gui: "
                    f"{', '.join(f'{t:.3f}' for t in sorted(cli_times))} s; numpy loop: "
                    f"{', '.join(f'{t:.3f}' for t in sorted(plain_times))} s); both predict {prediction} "
                    f"for [1, 1, 0]"),
    ]


if __name__ == "__main__":
    group_main(measure)
