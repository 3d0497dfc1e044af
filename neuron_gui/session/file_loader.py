"""Opening a file off the GUI thread: reading, checking and (for a session) recomputing its run in a
background thread, with progress and cancel. QtCore only, no widgets.

:func:`read_document` is the whole job, also called directly for small files (and by
``MainWindow.load``). :class:`FileLoader` runs it in a thread for big ones: a 10^6-row CSV or a long
session would otherwise hold the window for seconds. The result is handed over once, through a
signal, and the thread keeps no reference to it (the table's arrays are made in the thread and
owned by the receiver from then on).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ..core import files
from ..core.examples import DataError, Examples
from ..core.training import Run

SESSION_SUFFIX = ".json"
# Above these, opening goes to the background: reading a CSV takes ~1.5 us a row; recomputing a
# session ~1 ns per iteration and example.
BACKGROUND_BYTES = 256 * 1024
BACKGROUND_WORK = 20_000_000


def is_session(path: str | os.PathLike) -> bool:
    return Path(path).suffix.lower() == SESSION_SUFFIX


@dataclass(frozen=True, eq=False)
class OpenedFile:
    """What a file holds, checked: a table, or a session with its run recomputed."""

    path: Path
    examples: Examples
    session: files.Session | None = None
    run: Run | None = None


def read_document(path: str | os.PathLike, progress: files.Progress | None = None) -> OpenedFile:
    """Read ``path`` (a ``.json`` session or an examples CSV); raises DataError/OSError naming it, or
    :class:`files.Cancelled` when ``progress`` asks to stop."""
    p = Path(path)
    if not is_session(p):
        return OpenedFile(p, files.read_examples_csv(p, progress))
    session = files.load_session(p)
    return OpenedFile(p, session.examples, session, session.to_run(progress))


def belongs_in_background(path: str | os.PathLike) -> bool:
    """Whether opening ``path`` may take long enough to freeze the window (a guess from its size and,
    for a small session, the iterations it must recompute); errors are left to the reading."""
    try:
        size = os.stat(path).st_size
    except OSError:
        return False
    if size > BACKGROUND_BYTES:
        return True
    if not is_session(path):
        return False
    try:
        session = files.load_session(path)
    except (DataError, OSError):
        return False
    first = session.start[0] if session.start else 0
    return (session.iteration - first) * session.examples.n_examples * session.examples.n_inputs > BACKGROUND_WORK


class _Reader(QThread):
    progressed = Signal(float)
    opened = Signal(object)  # OpenedFile
    refused = Signal(str)
    cancelled = Signal()

    def __init__(self, path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.setObjectName("ng-file-loader")
        self.path = path
        self.stop = threading.Event()
        self._shown = -1

    def run(self) -> None:
        try:
            opened = read_document(self.path, self._progress)
        except files.Cancelled:
            self.cancelled.emit()
        except (DataError, OSError) as e:
            self.refused.emit(str(e))
        except MemoryError:
            self.refused.emit(f"{self.path.name}: not enough memory to open it")
        else:
            self.opened.emit(opened)

    def _progress(self, fraction: float) -> None:
        if self.stop.is_set():
            raise files.Cancelled
        permille = int(fraction * 1000)
        if permille != self._shown:  # at most a thousand signals, whatever the file
            self._shown = permille
            self.progressed.emit(fraction)


class FileLoader(QObject):
    """Opens one file at a time in a background thread. Signals come on the GUI thread: ``progress``
    (0..1), then exactly one of ``opened(OpenedFile)``, ``failed(message)`` or ``cancelled()``."""

    progress = Signal(float)
    opened = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._reader: _Reader | None = None

    @property
    def busy(self) -> bool:
        return self._reader is not None

    def open(self, path: str | os.PathLike) -> None:
        """Start reading ``path``; a read already running is cancelled first."""
        self.shutdown()
        reader = _Reader(Path(path), self)
        reader.progressed.connect(self._progressed)
        reader.opened.connect(self._opened)
        reader.refused.connect(self._failed)
        reader.cancelled.connect(self._cancelled)
        self._reader = reader
        reader.start()

    def cancel(self) -> None:
        """Ask the read to stop; ``cancelled`` follows (or its result, if it had just finished)."""
        if self._reader is not None:
            self._reader.stop.set()

    def shutdown(self) -> None:
        """Stop and join the thread (on close, or before another open): no thread is left running.
        A result it had not delivered yet is dropped (its signals no longer come from the current
        reader: see :meth:`_current`)."""
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.stop.set()
            reader.wait()
            reader.deleteLater()

    def _finish(self) -> None:
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.wait()  # it emits as its last act: this returns at once
            reader.deleteLater()

    def _current(self) -> bool:
        """Whether the signal being handled comes from the read in progress (not a replaced one)."""
        return self._reader is not None and self.sender() is self._reader

    @Slot(float)
    def _progressed(self, fraction: float) -> None:
        if self._current():
            self.progress.emit(fraction)

    @Slot(object)
    def _opened(self, opened: OpenedFile) -> None:
        if self._current():
            self._finish()
            self.opened.emit(opened)

    @Slot(str)
    def _failed(self, message: str) -> None:
        if self._current():
            self._finish()
            self.failed.emit(message)

    @Slot()
    def _cancelled(self) -> None:
        if self._current():
            self._finish()
            self.cancelled.emit()
