"""The open document: which file the window shows, reading and writing it, and whether it has unsaved
changes (shown as ``*`` in the title).

A document is an examples CSV or a session JSON, chosen by the file name (``.json`` is a session).

"Unsaved changes" means: the table differs from the last open or save (the undo stack is not clean),
or, when the document is a session, what a session also holds differs from it: the settings, or the
run's iteration and weights (a finished run, a reset, a new seed). That is compared by value, so undoing
back to the saved table, or resetting to the saved untrained state, is clean again; a run in progress
on a session counts as a change. A CSV holds only the table, so training or changing a setting does
not make it unsaved. An untitled window has nowhere that holds anything yet: a run trained in it (or
training) is unsaved work, so closing after a long run offers to save it (Save As can write a session).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import shiboken6
from PySide6.QtCore import QObject

from ..core import files
from ..core.examples import DataError, Examples, format_number, parse_query
from ..core.training import Settings
from ..ui.window.preferences import Preferences
from .file_loader import OpenedFile, read_document

if TYPE_CHECKING:
    from ..ui.window.main_window import MainWindow

SESSION_SUFFIX = ".json"


def is_session(path: str | os.PathLike) -> bool:
    return Path(path).suffix.lower() == SESSION_SUFFIX


class Document(QObject):
    def __init__(self, window: MainWindow, preferences: Preferences):
        super().__init__(window)
        self.window = window
        self.preferences = preferences
        self.path: Path | None = None
        self._saved_state = self._session_state()  # what a session holds besides the table, at open/save
        w = window
        w.model.undo_stack.cleanChanged.connect(self.refresh_title)
        w.model.examples_changed.connect(self.refresh_title)
        for spin in (w.training_panel.iterations, w.training_panel.seed, w.training_panel.learning_rate):
            spin.valueChanged.connect(self.refresh_title)
        w.run_changed.connect(self.refresh_title)
        w.query_panel.input.textChanged.connect(self.refresh_title)  # a session saves the query
        w.controller.started.connect(self.refresh_title)
        w.controller.finished.connect(self.refresh_title)
        self.refresh_title()

    @property
    def kind(self) -> str:
        """``"session"``, ``"csv"`` or ``"untitled"``."""
        if self.path is None:
            return "untitled"
        return "session" if is_session(self.path) else "csv"

    @property
    def display_name(self) -> str:
        return self.path.name if self.path else "Untitled"

    # -- unsaved changes --------------------------------------------------------------------------
    def _session_state(self) -> tuple:
        run = self.window.run
        settings = self.window.training_panel.settings()
        query = self.window.query_panel.input.text()
        if run is None:
            return (settings, query, None, None)
        return (settings, query, run.iteration, run.weights.tobytes())

    def _query(self, n_inputs: int) -> np.ndarray | None:
        """The query as typed, if it is one (a session saves it; a half-typed one is not saved)."""
        try:
            return parse_query(self.window.query_panel.input.text(), n_inputs)
        except DataError:
            return None

    def is_modified(self) -> bool:
        if not self.window.model.undo_stack.isClean():
            return True
        if self.kind == "untitled":
            run = self.window.run
            return self.window.is_training or (run is not None and run.iteration > 0)
        if self.kind != "session":
            return False
        return self.window.is_training or self._session_state() != self._saved_state

    def refresh_title(self, *_) -> None:
        window = self.window
        if not (shiboken6.isValid(window) and shiboken6.isValid(window.model.undo_stack)):
            return  # the window is being torn down (the stack says it is clean as it goes)
        window.setWindowTitle(f"{self.display_name}[*] — neuron-gui")
        window.setWindowModified(self.is_modified())

    def _now_is(self, path: Path | None) -> None:
        """After a successful open, save or new: this is the document, and it has no unsaved changes."""
        self.path = path
        self.window.model.undo_stack.setClean()
        self._saved_state = self._session_state()
        if path is not None:
            self.preferences.add_recent(path)
        self.refresh_title()

    # -- reading and writing ----------------------------------------------------------------------
    def load(self, path: str | os.PathLike) -> None:
        """Open an examples CSV or a session; raises DataError/OSError naming the file, and then
        nothing has changed. A CSV replaces the table (undoable); a session also restores the settings,
        the query and the run (recomputed from its recipe: see :mod:`.file_loader`, which also does
        this in the background for big files)."""
        p = Path(path)
        if self.window.is_training:
            raise DataError(f"cannot open {p.name} while a run is in progress: stop it first")
        self.apply(read_document(p))

    def apply(self, opened: OpenedFile) -> None:
        """Show what :func:`read_document` read; raises DataError naming the file if the window
        cannot take it (a run in progress, settings its fields cannot show), and then nothing has
        changed."""
        w = self.window
        p = opened.path
        if w.is_training:
            raise DataError(f"cannot open {p.name} while a run is in progress: stop it first")
        session = opened.session
        if session is not None and opened.run is not None:
            self._check_settings_fit(p, session.settings)
            w.training_panel.set_settings(session.settings)
            w.model.replace_all(session.examples, f"open {p.name}")
            w.show_run(opened.run)
            if session.query is not None:
                w.query_panel.input.setText(", ".join(format_number(v) for v in session.query.tolist()))
        else:
            w.model.replace_all(opened.examples, f"open {p.name}")
        self._now_is(p)

    def _check_settings_fit(self, path: Path, settings: Settings) -> None:
        """Refuse settings the window's fields cannot show exactly (a hand-edited file), rather than
        show one value and train with another."""
        tp = self.window.training_panel
        for key, spin in (("iterations", tp.iterations), ("seed", tp.seed), ("learning_rate", tp.learning_rate)):
            value, field = getattr(settings, key), f"settings.{key}"
            if not spin.minimum() <= value <= spin.maximum():
                raise files.FileFormatError(
                    path, f"{value:g} is outside what this window takes ({spin.minimum():g} to {spin.maximum():g})",
                    field=field)
            decimals = spin.decimals() if hasattr(spin, "decimals") else 0
            if decimals and round(value, decimals) != value:
                raise files.FileFormatError(path, f"{value!r} has more than the {decimals} decimals this window shows",
                                            field=field)

    def save(self, path: str | os.PathLike) -> None:
        """Write the table (``.csv``) or the whole session (``.json``) atomically; raises
        DataError/OSError naming the file, and then nothing has changed (the old file included)."""
        w = self.window
        p = Path(path)
        if w.is_training:
            raise DataError(f"cannot save {p.name} while a run is in progress: stop it first")
        try:
            examples = w.model.snapshot()
            if is_session(p):
                run = w.run
                if run is None:
                    raise DataError("the settings cannot be used")
                # the settings shown, so the learning rate is the one in use now
                files.save_session(p, examples, w.training_panel.settings(), run.weights, run.iteration,
                                   run.history, self._query(examples.n_inputs))
            else:
                files.write_examples_csv(p, examples)
        except files.FileFormatError:
            raise
        except DataError as e:
            raise DataError(f"cannot save {p.name}: {e}") from None
        self._now_is(p)

    def new(self) -> None:
        """The lesson's table and the default settings, untitled (the table change is undoable)."""
        self.new_from(Examples.lesson(), "new table")

    def new_from(self, examples: Examples, description: str) -> None:
        """An untitled table holding ``examples`` (an example shipped with the app), with the default
        settings; the table change is undoable, and Save asks for a name."""
        w = self.window
        w.training_panel.set_settings(Settings())
        w.model.replace_all(examples, description)
        self._now_is(None)
