"""The File menu: New, Open, Open Recent, Save, Save As and the exports; dropping a file on the window;
asking to save before anything is lost. What is open, and whether it changed, is :mod:`.document`'s.

Dialogs go through :meth:`FileActions.ask_open_path`, :meth:`ask_save_path` and
:meth:`ask_save_changes`, which tests replace; a failure is reported by :meth:`report_error`.
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox, QProgressDialog

from ...core.examples import DataError
from ...session.document import SESSION_SUFFIX, Document, is_session
from ...session.file_loader import FileLoader, OpenedFile, belongs_in_background
from . import exports
from .preferences import Preferences

if TYPE_CHECKING:
    from .main_window import MainWindow

OPEN_FILTERS = "Examples or sessions (*.csv *.json);;Examples CSV (*.csv);;neuron-gui session (*.json);;All files (*)"
SAVE_FILTERS = "neuron-gui session (*.json);;Examples CSV (*.csv)"
IMAGE_FILTERS = "PNG image (*.png);;SVG image (*.svg)"
OPENABLE = (".csv", SESSION_SUFFIX)


class Choice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class FileActions(QObject):
    def __init__(self, window: MainWindow, document: Document, preferences: Preferences):
        super().__init__(window)
        self.window = window
        self.document = document
        self.preferences = preferences
        self.last_error = ""
        self._ask_on_close = True
        self._error_box: QMessageBox | None = None
        self._progress_dialog: QProgressDialog | None = None
        self._opening: Path | None = None
        self.loader = FileLoader(self)  # big files are read off the GUI thread
        self.loader.progress.connect(self._loading_progress)
        self.loader.opened.connect(self._loaded)
        self.loader.failed.connect(self._load_failed)
        self.loader.cancelled.connect(self._load_cancelled)
        self._build_actions()
        window.controller.started.connect(self._running_changed)
        window.controller.finished.connect(self._running_changed)
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    # -- actions and menus ------------------------------------------------------------------------
    def _build_actions(self) -> None:
        w = self.window
        act = w._action
        self.new_action = act("&New", QKeySequence.New, self.new_document,
                              "Start again from the lesson's table and default settings", "newAction")
        self.open_action = act("&Open…", QKeySequence.Open, self.open_dialog,
                               "Open examples (CSV) or a saved session (JSON)", "openAction")
        self.save_action = act("&Save", QKeySequence.Save, self.save_document,
                               "Save the session (.json: table, settings, run) or the table (.csv) under "
                               "its file name; asks for a name the first time", "saveAction")
        self.save_as_action = act("Save &As…", QKeySequence.SaveAs, self.save_as,
                                  "Save under a new name: .json keeps the whole session, .csv the table",
                                  "saveAsAction")
        self.export_history_action = act("&History as CSV…", None, self.export_history,
                                         "Write iteration, each weight and the error, one row per iteration",
                                         "exportHistoryAction")
        plots = [("weights", "&Weights plot", w.weights_plot), ("error", "&Error plot", w.error_plot),
                 ("sigmoid", "&Sigmoid plot", w.sigmoid_plot)]
        self.export_plot_actions = {
            key: act(f"{label} as PNG or SVG…", None, lambda _=False, k=key, p=plot: self.export_plot(k, p),
                     f"Save the {key} plot as an image", f"export{key.title()}PlotAction")
            for key, label, plot in plots
        }
        for key, _, plot in plots:
            # a plot's right-click "Export..." is ours too: pyqtgraph's dialog offers an SVG export that
            # fails on this Qt (pyqtgraph#3485)
            plot.scene().contextMenu = [self.export_plot_actions[key]]
        self.export_window_action = act("Whole &window as PNG or SVG…", None, self.export_window,
                                        "Save a picture of the whole window", "exportWindowAction")
        self.clear_recent_action = act("&Clear Recent", None, self.clear_recent, "Forget the recent files",
                                       "clearRecentAction")

        file_menu = w.menus["File"]
        first = file_menu.actions()[0] if file_menu.actions() else None
        self.recent_menu = QMenu("Open &Recent", file_menu)
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self.rebuild_recent_menu)
        self.export_menu = QMenu("&Export", file_menu)
        self.export_menu.setObjectName("exportMenu")
        self.export_menu.setToolTipsVisible(True)
        self.export_menu.addAction(self.export_history_action)
        self.export_menu.addSeparator()
        self.export_menu.addActions([*self.export_plot_actions.values(), self.export_window_action])
        file_menu.insertActions(first, [self.new_action, self.open_action])
        file_menu.insertMenu(first, self.recent_menu)
        file_menu.insertSeparator(first)
        file_menu.insertActions(first, [self.save_action, self.save_as_action])
        file_menu.insertSeparator(first)
        file_menu.insertMenu(first, self.export_menu)
        file_menu.insertSeparator(first)
        self.rebuild_recent_menu()

    def _running_changed(self, *_) -> None:
        idle = not self.window.is_training
        tip = "" if idle else " (stop the run first)"
        for a in (self.new_action, self.open_action, self.save_action, self.save_as_action,
                  self.export_history_action):
            a.setEnabled(idle)
            a.setStatusTip(a.toolTip().split(" (")[0] + tip)
        self.recent_menu.setEnabled(idle)

    def rebuild_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        recent = self.preferences.recent_files()
        for i, path in enumerate(recent, start=1):
            action = menu.addAction(f"&{i} {Path(path).name}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.setData(path)
            action.triggered.connect(lambda _=False, p=path: self.open_recent(p))
        if not recent:
            menu.addAction("No recent files").setEnabled(False)
        menu.addSeparator()
        menu.addAction(self.clear_recent_action)
        self.clear_recent_action.setEnabled(bool(recent))

    # -- what the menus do ------------------------------------------------------------------------
    def new_document(self) -> bool:
        if self.window.is_training or not self.can_discard_changes("starting a new table"):
            return False
        self.document.new()
        return True

    def open_dialog(self) -> bool:
        if self.window.is_training or not self.can_discard_changes("opening another file"):
            return False
        path = self.ask_open_path()
        return self.open_path(path, ask=False) if path else False

    def open_path(self, path: str | os.PathLike, ask: bool = True) -> bool:
        """Open ``path`` as File > Open does once a file is chosen; a failure is reported, not raised.

        A big file (or a long session to recompute) is read in the background with a progress dialog
        that can cancel it; then this returns True once the read has started, and the window stays
        usable meanwhile. Anything but a regular file is refused at once."""
        name = Path(path).name
        if self.window.is_training:
            self.report_error(f"Cannot open {name}", "Stop the run before opening a file.")
            return False
        if ask and not self.can_discard_changes("opening another file"):
            return False
        if belongs_in_background(path):  # asked above: the progress dialog keeps edits out meanwhile
            self._open_in_background(Path(path))
            return True
        try:
            self.document.load(path)
        except (DataError, OSError) as e:
            self.report_error(f"Cannot open {name}", str(e))
            return False
        self.window.statusBar().showMessage(f"Opened {path}", 5000)
        return True

    def _open_in_background(self, path: Path) -> None:
        dialog = self._progress_dialog
        if dialog is None:
            dialog = self._progress_dialog = QProgressDialog(self.window)
            dialog.setObjectName("openProgress")
            dialog.setWindowModality(Qt.WindowModal)  # the window keeps painting; edits wait for the file
            dialog.setRange(0, 1000)
            dialog.setMinimumDuration(300)
            dialog.setAutoReset(False)
            dialog.setAutoClose(False)
            dialog.canceled.connect(self.loader.cancel)
        dialog.setWindowTitle("Opening")
        dialog.setLabelText(f"Opening {path.name}…")
        dialog.setValue(0)
        self._opening = path
        self.window.statusBar().showMessage(f"Opening {path}…")
        self.loader.open(path)

    def _loading_progress(self, fraction: float) -> None:
        if self._progress_dialog is not None:
            self._progress_dialog.setValue(int(fraction * 1000))

    def _loading_done(self) -> None:
        if self._progress_dialog is not None:
            self._progress_dialog.reset()

    def _loaded(self, opened: OpenedFile) -> None:
        self._loading_done()
        try:
            self.document.apply(opened)
        except (DataError, OSError) as e:
            self.report_error(f"Cannot open {opened.path.name}", str(e))
            return
        self.window.statusBar().showMessage(f"Opened {opened.path}", 5000)

    def _load_failed(self, message: str) -> None:
        self._loading_done()
        path = self._opening
        self.report_error(f"Cannot open {path.name if path else 'the file'}", message)

    def _load_cancelled(self) -> None:
        self._loading_done()
        self.window.statusBar().showMessage(f"Cancelled opening {self._opening}; nothing changed.", 5000)

    def shutdown(self) -> None:
        """Stop a file being read in the background (the window is closing)."""
        self.loader.shutdown()
        self._loading_done()

    def open_recent(self, path: str) -> bool:
        if not os.path.isfile(path):
            self.preferences.remove_recent(path)
            self.rebuild_recent_menu()
            self.report_error(f"Cannot open {Path(path).name}",
                              f"{path} no longer exists; it has been removed from the recent files.")
            return False
        return self.open_path(path)

    def clear_recent(self) -> None:
        self.preferences.clear_recent()
        self.rebuild_recent_menu()

    def save_document(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._save_reporting(self.document.path)

    def save_as(self) -> bool:
        path = self.document.path
        suggested = path.name if path else f"untitled{SESSION_SUFFIX}"
        path = self.ask_save_path("Save as", suggested, SAVE_FILTERS, self._filter_for(suggested))
        return self._save_reporting(path) if path else False

    def _save_reporting(self, path: str | os.PathLike) -> bool:
        try:
            self.document.save(path)
        except (DataError, OSError) as e:
            self.report_error(f"Cannot save {Path(path).name}", str(e))
            return False
        self.window.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def export_history(self) -> bool:
        run = self.window.run
        if run is None or self.window.is_training:
            self.report_error("Cannot export the history", "There is no finished run to export: fix the table.")
            return False
        path = self.ask_save_path("Export history", f"{self._stem()}-history.csv",
                                  "CSV (*.csv)")
        if not path:
            return False
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            rows = exports.export_history_csv(path, run)
        except (DataError, OSError) as e:
            self.report_error(f"Cannot export {Path(path).name}", str(e))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.preferences.remember_folder(path)
        self.window.statusBar().showMessage(f"Wrote {rows:,} rows to {path}", 5000)
        return True

    def export_plot(self, key: str, plot) -> bool:
        name = f"{self._stem()}-{key}.png"
        return self._export_image(f"Export the {key} plot", name, lambda fmt: exports.plot_image(plot, fmt))

    def export_window(self) -> bool:
        name = f"{self._stem()}-window.png"
        return self._export_image("Export the window", name, lambda fmt: exports.widget_image(self.window, fmt))

    def _stem(self) -> str:
        return Path(self.document.display_name).stem

    def _export_image(self, title: str, suggested: str, render) -> bool:
        path = self.ask_save_path(title, suggested, IMAGE_FILTERS)
        if not path:
            return False
        try:
            exports.save_image(path, render)
        except (DataError, OSError) as e:
            self.report_error(f"Cannot export {Path(path).name}", str(e))
            return False
        self.preferences.remember_folder(path)
        self.window.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    # -- unsaved changes ---------------------------------------------------------------------------
    def can_discard_changes(self, doing: str) -> bool:
        """True when it is fine to replace the document: no unsaved changes, or the user saved them or
        chose to discard them."""
        if not self.document.is_modified():
            return True
        choice = self.ask_save_changes(doing)
        if choice is Choice.SAVE:
            return self.save_document()
        return choice is Choice.DISCARD

    def confirm_close(self) -> bool:
        """Called by the window's closeEvent: False keeps the window open; True also drops a file
        still being read in the background, its thread joined."""
        if self._may_close():
            self.shutdown()
            return True
        return False

    def _may_close(self) -> bool:
        if not self._ask_on_close or not self.document.is_modified():
            return True
        choice = self.ask_save_changes("closing")
        if choice is Choice.SAVE:
            self.window.controller.shutdown()  # a session is saved with the weights the run stopped at
            return self.save_document()
        return choice is Choice.DISCARD

    def close_without_asking(self) -> None:
        """For scripted runs (``--screenshot``): the next close discards unsaved changes."""
        self._ask_on_close = False

    # -- dialogs (replaced in tests) ---------------------------------------------------------------
    def ask_save_changes(self, doing: str) -> Choice:
        box = QMessageBox(QMessageBox.Warning, "Unsaved changes",
                          f"Save the changes to {self.document.display_name} before {doing}?",
                          QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, self.window)
        box.setObjectName("saveChangesBox")
        box.setInformativeText("Your changes will be lost if you don't save them.")
        box.setDefaultButton(QMessageBox.Save)
        answer = box.exec()
        return {QMessageBox.Save: Choice.SAVE, QMessageBox.Discard: Choice.DISCARD}.get(answer, Choice.CANCEL)

    def ask_open_path(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open", self.preferences.last_folder(), OPEN_FILTERS)
        return path or None

    def ask_save_path(self, title: str, suggested: str, filters: str, selected: str = "") -> str | None:
        current = self.document.path
        start = os.path.join(str(current.parent) if current else self.preferences.last_folder(), suggested)
        path, chosen = QFileDialog.getSaveFileName(self.window, title, start, filters, selected)
        if not path:
            return None
        if not Path(path).suffix and "*." in chosen:  # the filter says which kind; the name did not
            path += chosen.split("*", 1)[1].split(")")[0].split()[0]
        return path

    @staticmethod
    def _filter_for(name: str) -> str:
        return next(f for f in SAVE_FILTERS.split(";;") if (SESSION_SUFFIX in f) == is_session(name))

    def report_error(self, title: str, message: str) -> None:
        """A refused open or save: said in a warning beside the window (not blocking) and the status bar."""
        self.last_error = message
        self.window.statusBar().showMessage(message, 15000)
        if self._error_box is None:
            self._error_box = QMessageBox(QMessageBox.Warning, title, "", QMessageBox.Ok, self.window)
            self._error_box.setObjectName("fileErrorBox")
            self._error_box.setTextFormat(Qt.PlainText)  # a file name is never taken for markup
        self._error_box.setWindowTitle(title)
        self._error_box.setText(f"{title}\n\n{message}")
        self._error_box.open()

    # -- drag and drop -----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.window:
            if event.type() in (QEvent.DragEnter, QEvent.DragMove) and self._dropped_path(event):
                event.acceptProposedAction()
                return True
            if event.type() == QEvent.Drop and (path := self._dropped_path(event)):
                event.acceptProposedAction()
                self.window.activateWindow()
                self.open_path(path)
                return True
        return False

    @staticmethod
    def _dropped_path(event: QDragEnterEvent | QDropEvent) -> str | None:
        mime = event.mimeData()
        for url in mime.urls() if mime.hasUrls() else []:
            if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in OPENABLE:
                return url.toLocalFile()
        return None
