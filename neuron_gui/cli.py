"""The command line. ``neuron-gui train ...`` trains without a window (it imports only ``core``, never Qt);
anything else opens the window, importing the UI only then.

Exit codes: 0 done; 1 training stopped early because the weights stopped being finite (the results are
the last finite weights); 2 bad arguments or a bad file, said in one line on stderr, nothing on stdout.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from . import __version__
from .core.examples import DataError, Examples, format_number, parse_query
from .core.history import History
from .core.kernel import forward_error
from .core.lesson import DEFAULT_ITERATIONS, DEFAULT_LEARNING_RATE, DEFAULT_SEED, default_query
from .core.training import Run, Settings

PROG = "neuron-gui"
EXIT_OK, EXIT_DIVERGED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
STREAM_HISTORY_BYTES = 4 * 1024 * 1024
# Without --history-csv only the final state is printed: a small history (thinned as it fills, the
# weights unaffected) spares writing, and first touching, up to 48 MB of records.
SUMMARY_HISTORY_BYTES = 64 * 1024


class UsageError(Exception):
    """Arguments that cannot be used; the message is the whole explanation."""


class _Parser(argparse.ArgumentParser):
    """argparse whose errors are one line (the reason), not a usage block followed by the reason."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command in ``argv`` (default: this process's arguments) and return its exit code.

    Run as the process itself (``argv`` None), ``train`` ends the process at once when done: it has
    written everything and needs no clean-up, and unloading numba and LLVM would take longer than the
    training itself (about 0.15 s of a 0.35 s run).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args[:1] == ["train"]:
            code = train_command(_train_parser().parse_args(args[1:]))
            if argv is None:
                _exit_now(code)
            return code
        options = _gui_parser().parse_args(args)
        if options.install_desktop:
            return install_desktop_command()
        _check_gui_paths(options)
    except (UsageError, DataError, OSError) as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    from .ui.window.app import run_app  # only now: the train path must never load Qt

    return run_app(path=options.file, train=options.train, screenshot=options.screenshot)


def _exit_now(code: int) -> None:
    """End the process with ``code`` once the output is out; if it cannot be written, return instead,
    so that Python reports it as usual."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)


# -- the window --------------------------------------------------------------------------------------

def _gui_parser() -> _Parser:
    p = _Parser(
        prog=PROG,
        description="See a single sigmoid neuron learn. To train without a window: neuron-gui train --help",
    )
    p.add_argument("file", nargs="?", metavar="FILE", help="an examples CSV or a saved session to open")
    p.add_argument("--train", action="store_true", help="start training as soon as the window opens")
    p.add_argument("--screenshot", metavar="OUT.png",
                   help="save a picture of the window (after training, with --train), then quit")
    p.add_argument("--install-desktop", action="store_true",
                   help="add neuron-gui to the desktop's application menu (for this user), then quit")
    p.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return p


def install_desktop_command() -> int:
    from .desktop_entry import install  # no Qt

    for path in install():
        print(f"wrote {path}")
    return EXIT_OK


def _check_gui_paths(options: argparse.Namespace) -> None:
    """Refuse a missing file before Qt starts, so the mistake costs no window."""
    if options.file is not None and not Path(options.file).is_file():
        reason = "is a folder" if Path(options.file).is_dir() else "no such file"
        raise UsageError(f"{options.file}: {reason}")
    if options.screenshot is not None:
        folder = Path(options.screenshot).parent
        if not folder.is_dir():
            raise UsageError(f"--screenshot: the folder {folder} does not exist")


# -- headless training -------------------------------------------------------------------------------

def _train_parser() -> _Parser:
    p = _Parser(
        prog=f"{PROG} train",
        description="Train the neuron without a window and print what it learned.",
        epilog="Exit codes: 0 done; 1 the weights stopped being finite (the last finite ones are shown); "
               "2 bad arguments or file.",
    )
    p.add_argument("--examples", metavar="FILE.csv",
                   help="examples: a header naming the inputs, the target column last (default: the lesson's)")
    p.add_argument("--iterations", type=int, default=DEFAULT_ITERATIONS, metavar="N",
                   help=f"training iterations (default {DEFAULT_ITERATIONS:,})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S",
                   help=f"seed for the initial weights (default {DEFAULT_SEED})")
    p.add_argument("--learning-rate", type=float, default=DEFAULT_LEARNING_RATE, metavar="LR",
                   help=f"multiplies each adjustment (default {DEFAULT_LEARNING_RATE:g}, the lesson's rule)")
    p.add_argument("--query", metavar='"1,0,0"',
                   help="inputs to predict for (default 1,0,...,0); a negative first value: --query=-1,0")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    p.add_argument("--history-csv", metavar="FILE",
                   help="also write every iteration's weights and error (the initial state first)")
    return p


def train_command(args: argparse.Namespace) -> int:
    """Everything is checked before training starts; output is printed only once all is done."""
    if args.examples or args.history_csv:
        from .core.files import read_examples_csv, write_history_csv  # only then: csv, json, io, ...

    examples = read_examples_csv(args.examples) if args.examples else Examples.lesson()
    settings = Settings(args.iterations, args.seed, args.learning_rate).validated()
    query = _query(args.query, examples.n_inputs)
    rows = None
    if args.history_csv:  # records are streamed out in chunks, so a small history is enough
        run = Run(examples, settings, History(examples.n_inputs, max_bytes=STREAM_HISTORY_BYTES))
        rows = write_history_csv(args.history_csv, examples.names, run.train_streamed())
    else:
        run = Run(examples, settings, History(examples.n_inputs, max_bytes=SUMMARY_HISTORY_BYTES))
        run.step(run.remaining)
    result = _result(run, args.examples or "lesson", query, args.history_csv, rows)
    print(json.dumps(result, allow_nan=False) if args.json else format_result(result))
    if run.diverged:
        print(
            f"{PROG}: stopped at iteration {run.iteration:,} of {settings.iterations:,}: the next update "
            "would make the weights infinite; the results are the last finite weights",
            file=sys.stderr,
        )
        return EXIT_DIVERGED
    return EXIT_OK


def _query(text: str | None, n_inputs: int) -> np.ndarray:
    if text is None:
        return default_query(n_inputs)
    try:
        return parse_query(text, n_inputs)
    except DataError as e:
        raise UsageError(f"--query: {e}") from None


def _result(
    run: Run, source: str, query: np.ndarray, history_csv: str | None, rows: int | None
) -> dict[str, Any]:
    """What a run learned, as JSON-ready values (a value that is not finite becomes None)."""
    return {
        "examples": source,
        "names": list(run.examples.names),
        "n_examples": run.examples.n_examples,
        "iterations": run.iteration,
        "requested_iterations": run.settings.iterations,
        "seed": run.settings.seed,
        "learning_rate": run.settings.learning_rate,
        "query": query.tolist(),
        "initial_weights": run.initial_weights.tolist(),
        "untrained_prediction": _finite(run.predict(query, run.initial_weights)),
        "initial_error": _finite(forward_error(run.X, run.y, run.initial_weights)),
        "weights": run.weights.tolist(),
        "prediction": _finite(run.predict(query)),
        "final_error": _finite(run.error),
        "diverged": run.diverged,
        "history_csv": history_csv,
        "history_rows": rows,
    }


def _finite(value: float) -> float | None:
    """Huge (but finite) weights can overflow a weighted sum; such a result is undefined, not NaN."""
    return value if math.isfinite(value) else None


def format_result(r: dict[str, Any]) -> str:
    """The result as aligned, readable text (8 decimals)."""
    names = r["names"]
    table = [[""] + names, ["initial weights"] + _decimals(r["initial_weights"]),
             ["weights"] + _decimals(r["weights"])]
    widths = [max(len(row[j]) for row in table) for j in range(len(table[0]))]
    label = max(widths[0], len("untrained prediction"))
    query = ", ".join(format_number(v) for v in r["query"])

    def line(name: str, value: str) -> str:
        return f"{name:<{label}}  {value}".rstrip()

    def weights(row: list[str]) -> str:
        return line(row[0], "  ".join(f"{c:>{w}}" for c, w in zip(row[1:], widths[1:], strict=True)))

    def number(value: float | None) -> str:  # aligned with the first weight
        return f"{_decimal(value):>{widths[1]}}"

    history = []
    if r["history_csv"]:
        history = [line("history", f"{r['history_rows']:,} rows written to {r['history_csv']}")]
    return "\n".join([
        line("examples", f"{r['examples']} ({r['n_examples']} examples, {len(names)} inputs)"),
        line("iterations", f"{r['iterations']:,} (seed {r['seed']}, learning rate {r['learning_rate']:g})"),
        weights(table[0]),
        weights(table[1]),
        line("untrained prediction", f"{number(r['untrained_prediction'])}  for query {query}"),
        weights(table[2]),
        line("prediction", f"{number(r['prediction'])}  for query {query}"),
        line("error", f"{number(r['final_error'])}  (mean squared; {_decimal(r['initial_error'])} before)"),
        *history,
    ])


def _decimals(values: list[float]) -> list[str]:
    return [_decimal(v) for v in values]


def _decimal(value: float | None) -> str:
    return "undefined (overflow)" if value is None else f"{value:.8f}"
