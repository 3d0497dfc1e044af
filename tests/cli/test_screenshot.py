"""``neuron-gui --screenshot``: works without a display by itself, and a bad name is a bad argument
(issue 11 §1). Real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.file_helpers import ENV, ROOT

NO_DISPLAY = {k: v for k, v in ENV.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
PNG = b"\x89PNG\r\n\x1a\n"


def neuron_gui(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "neuron_gui", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=180)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="displays are an X11/Wayland matter")
def test_a_screenshot_without_a_display_is_drawn_offscreen(tmp_path: Path):
    shot = tmp_path / "out.png"
    result = neuron_gui("--screenshot", str(shot), env={**NO_DISPLAY, "XDG_CONFIG_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Aborted" not in result.stderr
    assert shot.read_bytes()[:8] == PNG and shot.stat().st_size > 10_000


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="displays are an X11/Wayland matter")
def test_a_window_without_a_display_says_what_is_missing_in_one_line():
    result = neuron_gui(env=NO_DISPLAY)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("neuron-gui: no display to open the window on")
    assert "neuron-gui train" in result.stderr


@pytest.mark.parametrize(("name", "message"), [
    ("x.txt", "--screenshot: x.txt: the picture is saved as PNG, JPEG or BMP; give a name ending in .png"),
    ("noext", "--screenshot: noext: the picture is saved as PNG"),
    ("folder.png", "--screenshot: cannot save"),
    ("", "--screenshot: the file name is empty"),
])
def test_a_bad_screenshot_name_is_a_bad_argument(tmp_path: Path, name: str, message: str):
    (tmp_path / "folder.png").mkdir()
    result = neuron_gui("--screenshot", str(tmp_path / name) if name else "", env=ENV)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert os.listdir(tmp_path) == ["folder.png"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="displays are an X11/Wayland matter")
def test_a_display_whose_server_is_not_running_is_said_or_drawn_around(tmp_path: Path):
    number = next(n for n in range(917, 999) if not os.path.exists(f"/tmp/.X11-unix/X{n}"))
    env = {**NO_DISPLAY, "DISPLAY": f":{number}", "XDG_CONFIG_HOME": str(tmp_path)}
    result = neuron_gui(env=env)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr == (f"neuron-gui: no display to open the window on (the X server of DISPLAY=:{number} is "
                             "not running); to train without a window: neuron-gui train; for a picture: "
                             "neuron-gui --screenshot out.png\n")
    shot = tmp_path / "out.png"
    drawn = neuron_gui("--screenshot", str(shot), env=env)
    assert drawn.returncode == 0 and drawn.stderr == "", drawn.stderr
    assert shot.read_bytes()[:8] == PNG
