"""Icons shipped in ``resources/icons`` (installed as ``neuron_gui.resources``), loaded by name.

An icon drawn in a dark grey or deep blue has a ``<name>-dark.svg`` twin in lighter colours, used while
the theme is dark, so every toolbar icon stands out from its background in both themes.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtGui import QIcon

from .plot_style import current_style


def icon(name: str, dark: bool | None = None) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` (its ``-dark`` twin in a dark theme, if there is one);
    an empty icon if there is none (never an error). ``dark`` None means the current theme's."""
    if dark is None:
        dark = current_style().dark
    if dark:
        found = _load(f"{name}-dark")
        if not found.isNull():
            return found
    return _load(name)


@cache
def _load(name: str) -> QIcon:
    try:
        path = resources.files("neuron_gui.resources") / "icons" / f"{name}.svg"
    except ModuleNotFoundError:  # running from a source tree that was never installed
        return QIcon()
    if not path.is_file():
        return QIcon()
    with resources.as_file(path) as real:
        return QIcon(str(real))


def app_icon() -> QIcon:
    return icon("neuron-gui", dark=False)
