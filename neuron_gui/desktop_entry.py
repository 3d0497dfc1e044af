"""``neuron-gui --install-desktop``: put neuron-gui in the desktop's application menu (any freedesktop.org
desktop: GNOME, KDE, Xfce, ...) with its icon, for this user, without Qt.

The ``.desktop`` file shipped in ``resources/`` says ``Exec=neuron-gui``; installed here, it names the
command of the Python environment neuron-gui is installed in, so it starts even when that environment
is not on the desktop's ``PATH`` (a virtual environment, usually).
"""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

DESKTOP_FILE = "neuron-gui.desktop"
ICON_FILE = "neuron-gui.svg"


def data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share``."""
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def launch_command() -> str:
    """How the desktop should start neuron-gui: this environment's ``neuron-gui`` script if there is one,
    else this Python with ``-m neuron_gui``; quoted as the Desktop Entry specification asks."""
    script = Path(sys.executable).parent / ("neuron-gui.exe" if os.name == "nt" else "neuron-gui")
    parts = [str(script)] if script.is_file() else [sys.executable, "-m", "neuron_gui"]
    return " ".join(_quote(p) for p in parts)


def _quote(arg: str) -> str:
    if not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`'):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'


def desktop_entry(command: str) -> str:
    """The shipped ``.desktop`` file with ``Exec`` (and ``TryExec``) naming ``command``."""
    text = (resources.files("neuron_gui.resources") / DESKTOP_FILE).read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        if line.startswith("Exec="):
            line = f"Exec={command} %f"
        lines.append(line)
    return "\n".join(lines) + "\n"


def install(home: Path | None = None) -> list[Path]:
    """Write the desktop entry and the icon under ``home`` (default :func:`data_home`); returns both paths."""
    home = data_home() if home is None else home
    entry = home / "applications" / DESKTOP_FILE
    icon = home / "icons" / "hicolor" / "scalable" / "apps" / ICON_FILE
    entry.parent.mkdir(parents=True, exist_ok=True)
    icon.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(desktop_entry(launch_command()), encoding="utf-8")
    icon.write_bytes((resources.files("neuron_gui.resources") / "icons" / ICON_FILE).read_bytes())
    return [entry, icon]
