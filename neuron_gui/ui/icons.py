"""Icons shipped in ``resources/icons`` (installed as ``neuron_gui.resources``), loaded by name."""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtGui import QIcon


@cache
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg``; an empty icon if there is none (never an error)."""
    try:
        path = resources.files("neuron_gui.resources") / "icons" / f"{name}.svg"
    except ModuleNotFoundError:  # running from a source tree that was never installed
        return QIcon()
    if not path.is_file():
        return QIcon()
    with resources.as_file(path) as real:
        return QIcon(str(real))


def app_icon() -> QIcon:
    return icon("neuron-gui")
