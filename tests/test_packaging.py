"""The wheel built from pyproject.toml carries everything the app needs: installed on its own (only the
test environment's dependencies besides), it starts, trains and draws its window with every icon."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ICONS = ["train", "stop", "pause", "step", "reset", "continue", "open", "save", "new", "help", "undo", "redo",
         "neuron-gui"]


LEFTOVERS = ("build", "dist", ".venv", ".git", ".numba_cache", ".pytest_cache", ".ruff_cache", ".hypothesis")


def _source_files() -> list[Path]:
    """The files a fresh checkout has (build/ and other leftovers of this tree must not leak in)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
        return [ROOT / p for p in listed if p and (ROOT / p).is_file()]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: everything but the leftovers
        return [p for p in ROOT.rglob("*") if p.is_file() and not set(p.relative_to(ROOT).parts[:1]) & set(LEFTOVERS)
                and "__pycache__" not in p.parts and not p.name.endswith(".egg-info")]


def _build_backend_available() -> bool:
    try:
        import setuptools
        import wheel  # noqa: F401  (bdist_wheel for setuptools before 70.1)
    except ImportError:
        return False
    return int(setuptools.__version__.split(".")[0]) >= 68


@pytest.fixture(scope="module")
def wheel_file(tmp_path_factory) -> Path:
    """``pip wheel --no-deps`` of a copy of the tree (offline: the test environment's setuptools)."""
    if not _build_backend_available():
        pytest.fail('building the wheel needs setuptools>=68 and wheel: pip install -e ".[test]"')
    src = tmp_path_factory.mktemp("src")
    for f in _source_files():
        target = src / f.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, target)
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", str(out), str(src)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    (found,) = out.glob("neuron_gui-*.whl")
    return found


def test_the_wheel_carries_the_icons_desktop_file_and_examples(wheel_file):
    names = set(zipfile.ZipFile(wheel_file).namelist())
    for icon in ICONS:
        assert f"neuron_gui/resources/icons/{icon}.svg" in names, icon
    assert "neuron_gui/resources/neuron-gui.desktop" in names
    for table in ("lesson", "and", "or"):
        assert f"neuron_gui/resources/examples/{table}.csv" in names
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "build/"))]
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "neuron-gui = neuron_gui.cli:main" in zipfile.ZipFile(wheel_file).read(entry_points).decode()


def test_the_installed_wheel_starts_trains_and_draws_its_window(wheel_file, tmp_path):
    target = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(target),
         str(wheel_file)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    env = dict(os.environ, PYTHONPATH=str(target), QT_QPA_PLATFORM="offscreen")
    run = tmp_path / "run"  # not the source tree: nothing may come from it
    run.mkdir()
    where = subprocess.run([sys.executable, "-c", "import neuron_gui.resources as r; print(r.__file__)"],
                           cwd=run, env=env, capture_output=True, text=True, timeout=60)
    assert Path(where.stdout.strip()).is_relative_to(target), where.stdout + where.stderr

    shot = tmp_path / "window.png"
    started = subprocess.run([sys.executable, "-m", "neuron_gui", "--train", "--screenshot", str(shot)],
                             cwd=run, env=env, capture_output=True, text=True, timeout=120)
    assert started.returncode == 0, started.stderr
    assert "Traceback" not in started.stderr
    assert shot.stat().st_size > 20_000

    icons = subprocess.run(
        [sys.executable, "-c",
         "from PySide6.QtWidgets import QApplication; app = QApplication([]);"
         "from neuron_gui.ui.style.icons import icon;"
         f"print(sum(icon(n, dark=d).isNull() for n in {ICONS!r} for d in (False, True)))"],
        cwd=run, env=env, capture_output=True, text=True, timeout=60)
    assert icons.stdout.strip() == "0", icons.stdout + icons.stderr


def test_python_m_neuron_gui_help_works():
    result = subprocess.run([sys.executable, "-m", "neuron_gui", "--help"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0
    assert "usage: neuron-gui" in result.stdout and "--install-desktop" in result.stdout


def test_install_desktop_puts_a_valid_entry_and_the_icon_in_the_users_menu(tmp_path):
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "share"))
    result = subprocess.run([sys.executable, "-m", "neuron_gui", "--install-desktop"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    entry = tmp_path / "share" / "applications" / "neuron-gui.desktop"
    icon = tmp_path / "share" / "icons" / "hicolor" / "scalable" / "apps" / "neuron-gui.svg"
    assert icon.read_text().startswith("<svg")
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(entry)
    desktop = parser["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Name"] == "neuron-gui"
    assert desktop["Icon"] == icon.stem
    command = desktop["Exec"].rsplit(" %f", 1)[0].strip('"')
    assert Path(command.split(" -m ")[0].strip('"')).exists()
    assert desktop["Categories"].endswith(";")
    qt = subprocess.run([sys.executable, "-c", "import sys; from neuron_gui.cli import main; "
                         "main(['--install-desktop']); print('PySide6' in sys.modules)"],
                        env=env, capture_output=True, text=True, timeout=60)
    assert qt.stdout.strip().endswith("False"), "installing the desktop entry must not start Qt"
