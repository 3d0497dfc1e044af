"""The command line. ``neuron-gui train ...`` trains without a window (it imports only ``core``, never Qt);
anything else opens the window, importing the UI only then.

Exit codes: 0 done; 1 training stopped early because the weights stopped being finite (the results are
the last finite weights); 2 bad arguments, a bad file, or output that cannot be written, said in one line
on stderr (nothing on stdout); 128 + N when stopped by signal N (SIGINT, SIGTERM, SIGHUP), after removing
any half-written file. The code is the same when even stderr cannot be written.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, NoReturn

import numpy as np

from . import __version__
from .core.examples import DataError, Examples, parse_decimal, parse_query, parse_whole, short
from .core.history import History
from .core.lesson import DEFAULT_ITERATIONS, DEFAULT_LEARNING_RATE, DEFAULT_SEED, default_query
from .core.network import parse_hidden
from .core.script_export import script_for_run
from .core.training import Run, Settings, check_iterations, check_learning_rate, check_seed
from .train_output import format_result, result

PROG = "neuron-gui"
EXIT_OK, EXIT_DIVERGED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
STDOUT_NAMES = ("-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")  # --history-csv to standard output
SCREENSHOT_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")
STREAM_HISTORY_BYTES = 4 * 1024 * 1024
# Without --history-csv only the final state is printed: a small history (thinned as it fills, the
# weights unaffected) spares writing, and first touching, up to 48 MB of records.
SUMMARY_HISTORY_BYTES = 64 * 1024


class UsageError(Exception):
    """Arguments that cannot be used; the message is the whole explanation."""


class _Parser(argparse.ArgumentParser):
    """argparse whose errors are one line (the reason), not a usage block followed by the reason."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(short(message, 200))


class _Stopped(BaseException):
    """SIGTERM or SIGHUP: unwinds like Ctrl+C, so that a half-written file is removed on the way out."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command in ``argv`` (default: this process's arguments) and return its exit code.

    Run as the process itself (``argv`` None), ``train`` and every refusal end the process at once when
    done: everything is written and needs no clean-up, and unloading numba and LLVM would take longer
    than the training itself (about 0.15 s of a 0.35 s run).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    code = _headless(args)
    if code is None:
        from .ui.window.app import run_app  # only now: the train path must never load Qt

        options = _gui_parser().parse_args(args)
        return run_app(path=options.file, train=options.train, screenshot=options.screenshot)
    if argv is None:
        _exit_now(code)
    return code


def _headless(args: list[str]) -> int | None:
    """The exit code of everything that needs no window, or None when the window is to open."""
    try:
        with _signals_stop():
            if args[:1] == ["train"]:
                return train_command(_checked(_train_parser().parse_args(args[1:])))
            options = _parse_gui(args)
            if options.install_desktop:
                return install_desktop_command()
            _check_gui_paths(options)
            _check_display(options)
            return None
    except (UsageError, DataError, OSError) as e:
        _say(f"{PROG}: {e}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _say(f"{PROG}: interrupted")
        return EXIT_INTERRUPTED
    except _Stopped as e:
        _say(f"{PROG}: stopped by {signal.Signals(e.signum).name}")
        return 128 + e.signum


def _say(line: str) -> None:
    """One line on stderr; if even that cannot be written (a full disk, a closed stream), the exit
    code still tells what happened."""
    try:
        if sys.stderr is not None:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
    except (OSError, ValueError):
        pass


@contextmanager
def _signals_stop() -> Iterator[None]:
    """SIGTERM and SIGHUP stop the command as Ctrl+C does (files cleaned up), in the main thread only.
    SIGINT keeps raising KeyboardInterrupt, but through the same handler, so that it is remembered too."""
    wanted = [getattr(signal, n) for n in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, n)]
    try:
        old = {s: signal.signal(s, _raise_stopped) for s in wanted}
    except ValueError:  # not the main thread: leave signals alone
        old = {}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        _signalled.clear()


# The signals whose _Stopped was raised. Python runs a handler wherever the main thread is, also inside a
# C callback (numba's compiler calls some while it loads code) that swallows the exception: the command
# would then carry on to the end. Training checks this between chunks and raises it again.
_signalled: list[int] = []
TRAIN_CHUNK = 1_000_000  # iterations between those checks without --history-csv (a few ms to 100 ms)


def _raise_stopped(signum: int, frame: object) -> None:
    _signalled.append(signum)
    _stop_if_signalled()


def _stop_if_signalled() -> None:
    if _signalled:
        if _signalled[-1] == signal.SIGINT:
            raise KeyboardInterrupt
        raise _Stopped(_signalled[-1])


def _watched(chunks: Iterator[Any]) -> Iterator[Any]:
    """``chunks``, stopping (before the next) if a signal's exception was swallowed meanwhile."""
    for chunk in chunks:
        _stop_if_signalled()
        yield chunk
    _stop_if_signalled()


def _checked(options: argparse.Namespace) -> argparse.Namespace:
    """argparse gives ``--query=--`` as an empty list and ``--examples ''`` as an empty text: refuse
    both, naming the option."""
    for dest, value in vars(options).items():
        option = "FILE" if dest == "file" else "--" + dest.replace("_", "-")
        if isinstance(value, list):
            raise UsageError(f"{option}: expected a value after '=', not '--'")
        if value == "" and dest in ("file", "examples", "history_csv", "screenshot"):
            raise UsageError(f"{option}: the file name is empty")
    return options


def _exit_now(code: int) -> NoReturn:
    """End the process with ``code`` once the output is out (see :func:`main`)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass
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
                   help="save a picture of the window (after training, with --train), then quit; "
                        "without a display it is drawn offscreen")
    p.add_argument("--install-desktop", action="store_true",
                   help="add neuron-gui to the desktop's application menu (for this user), then quit")
    p.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return p


def _parse_gui(args: list[str]) -> argparse.Namespace:
    """The window's options; an option of ``train`` given here is refused with where it belongs."""
    try:
        return _checked(_gui_parser().parse_args(args))
    except UsageError as e:
        train_only = {o for a in _train_parser()._actions for o in a.option_strings} - {"-h", "--help"}
        misplaced = next((a.split("=")[0] for a in args if a.split("=")[0] in train_only), None)
        if misplaced is None:
            raise
        raise UsageError(f"{e} ({misplaced} is an option of the train command: {PROG} train {misplaced} ...)") from None


def install_desktop_command() -> int:
    from .desktop_entry import install  # no Qt

    for path in install():
        print(f"wrote {path}")
    return EXIT_OK


def _check_gui_paths(options: argparse.Namespace) -> None:
    """Refuse a file the window could not open, and a screenshot it could not write, before Qt starts,
    so the mistake costs no window (and a FIFO never blocks it)."""
    from .core.files.reading import file_kind  # no Qt; small

    if options.file is not None:
        try:
            kind = file_kind(os.stat(options.file).st_mode)
        except FileNotFoundError:
            raise UsageError(f"{options.file}: no such file") from None
        except OSError as e:
            raise UsageError(f"{options.file}: {e.strerror or e}") from None
        if kind is not None:
            raise UsageError(f"{options.file}: it is {kind}")
    if options.screenshot is not None:
        shot = Path(options.screenshot)
        if shot.suffix.lower() not in SCREENSHOT_SUFFIXES:
            raise UsageError(f"--screenshot: {short(shot.name, 60)}: the picture is saved as PNG, JPEG or BMP; "
                             "give a name ending in .png, .jpg or .bmp")
        from .core.files.atomic import resolve_target

        try:
            resolve_target(shot)
        except OSError as e:
            raise UsageError(f"--screenshot: {e}") from None


def _check_display(options: argparse.Namespace) -> None:
    """Without a display (a server, a container, ssh without -X), or with a DISPLAY whose X server is
    not running, Qt would abort with a message about plugins that points at the wrong fix: a screenshot
    is drawn offscreen instead, and a window is refused in one line saying what is missing."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM") or os.environ.get("WAYLAND_DISPLAY"):
        return
    display = os.environ.get("DISPLAY", "")
    if display and _x_server_running(display):
        return
    if options.screenshot is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return
    missing = (f"the X server of DISPLAY={short(display, 40)} is not running" if display
               else "neither DISPLAY nor WAYLAND_DISPLAY is set")
    raise UsageError(f"no display to open the window on ({missing}); to train without a window: {PROG} train; "
                     f"for a picture: {PROG} --screenshot out.png")


def _x_server_running(display: str) -> bool:
    """Whether a local X display (``:N`` or ``unix:N``) has a server listening; a remote one (ssh -X's
    ``localhost:10``) is assumed to, as it cannot be checked without connecting."""
    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if host not in ("", "unix") or not number.isdigit():
        return True
    socket = f"/tmp/.X11-unix/X{number}"
    if os.path.exists(socket):
        return True
    try:  # the abstract socket, where /tmp is not shared with the server (a sandbox, a container)
        with open("/proc/net/unix", encoding="ascii", errors="replace") as f:
            return any(line.rstrip().endswith("@" + socket) for line in f)
    except OSError:
        return True


# -- headless training -------------------------------------------------------------------------------

def _train_parser() -> _Parser:
    p = _Parser(
        prog=f"{PROG} train",
        description="Train the neuron (with --hidden, a network) without a window and print what it learned.",
        epilog="Exit codes: 0 done; 1 the weights stopped being finite (the last finite ones are shown); "
               "2 bad arguments or file, or output that cannot be written.",
    )
    p.add_argument("--examples", metavar="FILE.csv",
                   help="examples: a header naming the inputs, the target column last (default: the lesson's); "
                        "a saved session (.json) gives its table")
    p.add_argument("--iterations", type=_option(parse_whole, check_iterations), default=DEFAULT_ITERATIONS,
                   metavar="N", help=f"training iterations (default {DEFAULT_ITERATIONS:,}; 1,000 or 1000)")
    p.add_argument("--seed", type=_option(parse_whole, check_seed), default=DEFAULT_SEED, metavar="S",
                   help=f"seed for the initial weights (default {DEFAULT_SEED})")
    p.add_argument("--learning-rate", type=_option(parse_decimal, check_learning_rate),
                   default=DEFAULT_LEARNING_RATE, metavar="LR",
                   help=f"multiplies each adjustment (default {DEFAULT_LEARNING_RATE:g}, the lesson's rule)")
    p.add_argument("--hidden", type=_option(parse_hidden, lambda sizes: sizes), default=(), metavar="SIZES",
                   help="hidden layers trained by backpropagation: 4, or 4,3 for two (1 to 16 neurons, at most "
                        "4 layers); 0 or none: the lesson's single neuron")
    p.add_argument("--query", metavar='"1,0,0"',
                   help="inputs to predict for (default 1,0,...,0); a negative first value: --query=-1,0")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    p.add_argument("--history-csv", metavar="FILE",
                   help="also write every iteration's weights and error (the initial state first); "
                        "'-' writes them to standard output, and the summary then goes to stderr")
    p.add_argument("--export-script", metavar="FILE.py",
                   help="also write the run as a standalone Python script (numpy only, the lesson's style); "
                        "python FILE.py prints the same prediction")
    return p


def _option(parse, check):
    """An argparse type: ASCII digits only (``parse``), then the range (``check``); the reason is
    said with the value as given, cut if it is huge."""
    def convert(text: str):
        try:
            return check(parse(text))
        except DataError as e:
            raise argparse.ArgumentTypeError(str(e)) from None

    return convert


def train_command(args: argparse.Namespace) -> int:
    """Everything is checked before training starts (the output file too); the summary is printed
    only once all is done."""
    if args.examples or args.history_csv or args.export_script:
        from .core import files  # only then: csv, json, io, ...

    to_stdout = args.history_csv in STDOUT_NAMES
    examples, source = _read_examples(files, args.examples) if args.examples else (Examples.lesson(), "lesson")
    settings = Settings(args.iterations, args.seed, args.learning_rate, args.hidden).validated()
    query = _query(args.query, examples.n_inputs)
    if args.history_csv and not to_stdout:
        target, _ = files.resolve_target(args.history_csv)
        if args.examples and os.path.realpath(args.examples) == str(target):
            raise UsageError(f"--history-csv: {args.history_csv} is the examples file; "
                             "writing the history there would replace the examples")
    if args.export_script:
        try:
            files.resolve_target(args.export_script)
        except files.FileError as e:
            raise UsageError(f"--export-script: {e}") from None
    if to_stdout and sys.stdout is None:
        raise UsageError("--history-csv -: standard output is closed")
    rows = None
    if args.history_csv:  # records are streamed out in chunks, so a small history is enough
        history = History(examples.n_inputs, max_bytes=STREAM_HISTORY_BYTES, hidden=settings.hidden)
        run = Run(examples, settings, history)
        names = run.weight_names  # the inputs' names, or for a network the neurons each weight joins
        if to_stdout:
            rows = _to_stdout(lambda: files.write_history_csv(sys.stdout, names, _watched(run.train_streamed())))
        else:
            rows = files.write_history_csv(args.history_csv, names, _watched(run.train_streamed()))
    else:
        run = Run(examples, settings,
                  History(examples.n_inputs, max_bytes=SUMMARY_HISTORY_BYTES, hidden=settings.hidden))
        while run.remaining and not run.diverged:
            run.step(min(run.remaining, TRAIN_CHUNK))
            _stop_if_signalled()
    if args.export_script:
        files.atomic_write_text(args.export_script, script_for_run(run, query, source))
    out = result(run, source, query, args.history_csv, rows, args.export_script)
    summary = json.dumps(out, allow_nan=False) if args.json else format_result(out)
    if to_stdout:
        _say(summary)
    else:
        _to_stdout(lambda: _print(summary, sys.stdout))
    if run.diverged:
        _say(f"{PROG}: stopped at iteration {run.iteration:,} of {settings.iterations:,}: the next update "
             "would make the weights infinite; the results are the last finite weights")
        return EXIT_DIVERGED
    return EXIT_OK


def _read_examples(files: Any, path: str) -> tuple[Examples, str]:
    """(the examples, how to name their source): a CSV, or the table of a saved session (a JSON
    object), whatever the file is called."""
    text = files.read_text(path, files.MAX_SESSION_BYTES if path.lower().endswith(".json") else files.MAX_CSV_BYTES)
    if files.looks_like_session(text):
        return files.parse_session(text, source=path).examples, f"{path} (the session's table)"
    return files.parse_examples_csv(text, source=path), path


def _print(text: str, stream: IO[str] | None) -> None:
    if stream is None:
        raise OSError("standard output is closed")
    stream.write(text + "\n")
    stream.flush()


def _to_stdout(write: Any) -> Any:
    """Run ``write`` (which writes to standard output), saying so if the system refuses."""
    try:
        return write()
    except OSError as e:
        raise UsageError(f"cannot write to standard output: {e.strerror or e}") from None


def _query(text: str | None, n_inputs: int) -> np.ndarray:
    if text is None:
        return default_query(n_inputs)
    try:
        return parse_query(text, n_inputs)
    except DataError as e:
        raise UsageError(f"--query: {e}") from None
