"""Figure 1, the kernel: the cost of one iteration, recorded in a history as the app records it.

Against the lesson's numpy loop on the lesson's table, and against the fastest plain numpy step found
on a 100,000 x 3 table (the same array, the same learning rate; numpy's step does not even compute
the error the kernel records).
"""

from __future__ import annotations

import numpy as np

from neuron_gui.core.examples import Examples
from neuron_gui.core.lesson import LESSON_X, LESSON_Y, initial_weights, train_lesson
from neuron_gui.core.training import Run, Settings

from .common import Figure, Size, best_of, group_main

GROUP = "1 kernel"
BIG_ROWS = 100_000


def kernel_seconds_per_iteration(examples: Examples, learning_rate: float, iterations: int, repeat: int) -> float:
    """Run.step as the worker calls it, from the seeded weights each time (buffers reused)."""
    run = Run(examples, Settings(iterations=iterations, learning_rate=learning_rate))
    run.step(1)  # load the compiled kernel before timing

    def once() -> None:
        run.reset()
        assert run.step(iterations) == iterations

    return best_of(once, repeat) / iterations


def big_table(rows: int = BIG_ROWS, seed: int = 0) -> Examples:
    """Two noisy inputs and a constant 1 (the lesson's third column), a target from the first two."""
    rng = np.random.default_rng(seed)
    X = np.column_stack([rng.uniform(-1, 1, rows), rng.uniform(-1, 1, rows), np.ones(rows)])
    y = ((X[:, 0] + 0.5 * X[:, 1] + rng.normal(0, 0.3, rows)) > 0).astype(np.float64)
    return Examples.create(X, y)


def numpy_steps(X: np.ndarray, y: np.ndarray, lr: float) -> dict[str, callable]:
    """Plain numpy formulations of one step (each returns a function doing ``k`` steps)."""
    n, m = X.shape
    Xc = np.ascontiguousarray(X)
    XT = np.ascontiguousarray(X.T)
    y_col = y.reshape(-1, 1)

    def lesson_columns(w0: np.ndarray, k: int) -> np.ndarray:
        w = w0.reshape(-1, 1).copy()
        for _ in range(k):
            out = 1 / (1 + np.exp(-np.dot(Xc, w)))
            w += lr * np.dot(Xc.T, (y_col - out) * out * (1 - out))
        return w

    def flat(w0: np.ndarray, k: int) -> np.ndarray:
        w = w0.copy()
        for _ in range(k):
            out = 1 / (1 + np.exp(-(Xc @ w)))
            w += lr * (((y - out) * out * (1 - out)) @ Xc)
        return w

    def in_place(w0: np.ndarray, k: int) -> np.ndarray:
        w = w0.copy()
        out = np.empty(n)
        d = np.empty(n)
        for _ in range(k):
            np.dot(Xc, w, out=out)
            np.negative(out, out=out)
            np.exp(out, out=out)
            out += 1.0
            np.divide(1.0, out, out=out)
            np.subtract(y, out, out=d)
            d *= out
            np.subtract(1.0, out, out=out)
            d *= out
            w += lr * np.dot(XT, d)
        return w

    return {"lesson's, (n,1) columns": lesson_columns, "1-D arrays": flat, "in place, buffers reused": in_place}


def measure(size: Size) -> list[Figure]:
    figures = []
    lesson = Examples.lesson()
    k_iterations = size.pick(1_000_000, 200_000, 1_000)
    n_iterations = size.pick(20_000, 5_000, 100)
    repeat = size.pick(5, 3, 1)
    kernel = kernel_seconds_per_iteration(lesson, 1.0, k_iterations, repeat)
    w0 = initial_weights(1, 3)
    numpy_loop = best_of(lambda: train_lesson(LESSON_X, LESSON_Y, w0, n_iterations), repeat) / n_iterations
    figures.append(Figure(
        GROUP, "lesson's 4x3 table", kernel * 1e9, "ns/it", numpy_loop * 1e9, "lesson's numpy loop",
        target=0.015, note=f"best of {repeat}: {k_iterations:,} kernel iterations (Run.step, every one recorded), "
                           f"{n_iterations:,} of lesson.train_lesson",
    ))

    big = big_table(size.pick(BIG_ROWS, BIG_ROWS, 2_000))
    steps = size.pick(40, 15, 2)
    for lr, label, why in (
        (1e-4, "learning rate 1e-4", "z stays moderate: every exp is computed"),
        (1.0, "learning rate 1", f"the lesson's rule: the sums over {big.n_examples:,} rows saturate the sigmoid "
                                 "at once, so most outputs are exactly 1 or nearly 0"),
    ):
        kernel = kernel_seconds_per_iteration(big, lr, steps, repeat)
        timings = {}
        with np.errstate(over="ignore"):  # exp(-z) overflows to inf for saturated rows: out = 0, as meant
            for name, step in numpy_steps(big.X, big.y, lr).items():
                step(w0, 1)
                timings[name] = best_of(lambda step=step: step(w0, steps), repeat) / steps
        best = min(timings, key=timings.get)
        others = ", ".join(f"{k} {v * 1e3:.3f} ms" for k, v in timings.items())
        figures.append(Figure(
            GROUP, f"{big.n_examples:,}x3 table, {label}", kernel * 1e9, "ns/it", timings[best] * 1e9,
            "best numpy step", target=1.0,
            note=f"{why}; numpy steps tried: {others}; best of {repeat} x {steps} iterations",
        ))
    return figures


if __name__ == "__main__":
    group_main(measure)
