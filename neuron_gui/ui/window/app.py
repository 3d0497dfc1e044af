"""Starting the window from the command line: ``neuron-gui [FILE] [--train] [--screenshot OUT.png]``."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QTimer, QtMsgType, qInstallMessageHandler

from ...core import warm_up as warming
from ...core.examples import DataError
from ...core.files import atomic_write_bytes
from .main_window import MainWindow, application


def warm_kernel_in_background() -> threading.Thread:
    """Have the kernel ready before the first Train without ever stalling the window.

    Loading it from numba's cache takes a moment; compiling it takes about a second and holds the GIL
    (the window would freeze for that long even from a background thread). So on a cold cache the
    compile runs in a separate process, which fills the cache; this process then only loads it. Until
    then a training worker waits (see ``core.warm_up.wait_until_warm``), the window stays fluid.
    """
    warming.warmed.clear()
    thread = threading.Thread(target=_warm_up, name="kernel-warm-up", daemon=True)
    thread.start()
    return thread


def _warm_up() -> None:
    try:
        if not warming.cache_present():
            subprocess.run(
                [sys.executable, "-c", "from neuron_gui.core.warm_up import warm_up; warm_up()"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                timeout=300, check=False,
            )
        warming.warm_up()
    finally:
        warming.warmed.set()


# What the offscreen platform (a --screenshot without a display) says about window-manager requests it
# cannot honour: nothing a user can act on.
_OFFSCREEN_NOTES = ("does not support propagateSizeHints", "does not support raise")


def _quiet_offscreen_notes() -> None:
    def handler(mode: QtMsgType, context: object, message: str) -> None:
        if not any(note in message for note in _OFFSCREEN_NOTES):
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def run_app(path: str | None = None, train: bool = False, screenshot: str | None = None) -> int:
    """Open the window, with ``path`` (an examples CSV or a ``.json`` session) if given; a file that
    cannot be read is refused before the window shows, on stderr, with exit code 2."""
    app = application()
    if app.platformName() == "offscreen":
        _quiet_offscreen_notes()
    warm_kernel_in_background()
    window = MainWindow()
    if screenshot:
        window.preferences.remember_layout = False  # the same picture whatever the user's saved layout
    if path:
        try:
            window.load(path)
        except (DataError, OSError) as e:
            print(f"neuron-gui: {e}", file=sys.stderr)
            return 2
    window.show()
    result = {"code": 0}

    def save_and_quit() -> None:
        if screenshot:  # rendered in memory, then saved as every file is (links, devices, no half file)
            target = Path(screenshot)
            data = QByteArray()
            buffer = QBuffer(data)
            buffer.open(QIODevice.WriteOnly)
            try:
                if not window.grab().save(buffer, target.suffix.lstrip(".").upper() or "PNG"):
                    raise DataError("the picture could not be encoded")
                atomic_write_bytes(target, bytes(data))
            except (DataError, OSError) as e:
                print(f"neuron-gui: --screenshot: {e}", file=sys.stderr)
                result["code"] = 2
        window.file_actions.close_without_asking()  # a scripted run: never wait on a "save changes?" prompt
        window.close()
        app.quit()

    if train:
        window.controller.finished.connect(lambda _reason: QTimer.singleShot(100, save_and_quit))
        QTimer.singleShot(0, window.train)
    elif screenshot:
        QTimer.singleShot(300, save_and_quit)
    app.exec()
    return result["code"]
