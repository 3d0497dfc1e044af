"""The wheel built from pyproject.toml carries everything the app needs: installed on its own (only the
test environment's dependencies besides), it starts, trains and draws its window with every icon."""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

import neuron_gui

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


def _copy_tree(to: Path) -> Path:
    """A fresh clone's files, copied to ``to``."""
    for f in _source_files():
        target = to / f.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, target)
    return to


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
    src = _copy_tree(tmp_path_factory.mktemp("src"))
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
    # exactly this environment's neuron-gui (the test runs in the environment the README installs), and it
    # starts: a desktop entry naming anything else, even a command that exists, fails here
    command = shlex.split(desktop["Exec"])
    assert command[-1] == "%f" and desktop["Exec"].endswith(" %f")
    script = Path(sys.executable).parent / "neuron-gui"
    assert command[:-1] == [str(script)], desktop["Exec"]
    version = subprocess.run([*command[:-1], "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.split() == ["neuron-gui", neuron_gui.__version__]
    assert desktop["Categories"].endswith(";")
    qt = subprocess.run([sys.executable, "-c", "import sys; from neuron_gui.cli import main; "
                         "main(['--install-desktop']); print('PySide6' in sys.modules)"],
                        env=env, capture_output=True, text=True, timeout=60)
    assert qt.stdout.strip().endswith("False"), "installing the desktop entry must not start Qt"


def _venv_on_these_packages(venv: Path) -> Path:
    """``python3 -m venv V`` whose interpreter also sees this test environment's packages (numpy, numba,
    PySide6, setuptools, pytest...) after its own, so that pip can install offline into it: a ``.pth``
    in V's site-packages naming ours (whose own ``.pth`` files, this checkout's editable install among
    them, are not run from there). Returns V's python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "zz_test_environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


@pytest.mark.slow
def test_the_readmes_two_commands_one_after_the_other_in_one_clone(tmp_path):
    """Issue 11 section 1, exactly: ``pip install .`` and a run of the app, then ``pip install -e ".[test]"``
    into the same venv; the app and ``import neuron_gui`` must then work, from the clone. (Numba used to
    cache into site-packages; the uninstall left that folder, which shadowed the editable install.)"""
    if not _build_backend_available():
        pytest.fail('building needs setuptools>=68 and wheel: pip install -e ".[test]"')
    clone = _copy_tree(tmp_path / "clone")
    python = _venv_on_these_packages(clone / ".venv")
    cache_home = tmp_path / "cache"
    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CACHE_DIR", "PYTHONPATH")}
    env["XDG_CACHE_HOME"] = str(cache_home)
    pip = [str(python), "-m", "pip", "install", "-q", "--no-build-isolation", "--no-index"]

    def run(*args: str | Path, cwd: Path = clone) -> subprocess.CompletedProcess:
        return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=300)

    installed = run(*pip, ".")
    assert installed.returncode == 0, installed.stderr
    app = clone / ".venv" / "bin" / "neuron-gui"
    trained = run(app, "train", "--iterations", "100")
    assert trained.returncode == 0, trained.stderr
    assert "-0.16595599" in trained.stdout
    package = Path(run(python, "-c", "import neuron_gui; print(neuron_gui.__file__)", cwd=tmp_path).stdout.strip())
    assert ".venv" in package.parts, package
    # numba compiled (nothing was cached yet) and cached outside the installed package
    assert not [*package.parent.rglob("*.nbi"), *package.parent.rglob("*.nbc")]
    assert list((cache_home / "neuron-gui" / "numba").rglob("*.nbi"))

    editable = run(*pip, "-e", ".[test]")
    assert editable.returncode == 0, editable.stderr
    for cwd in (clone, tmp_path):
        where = run(python, "-c", "import neuron_gui; print(neuron_gui.__file__, neuron_gui.__version__)", cwd=cwd)
        assert where.returncode == 0, where.stderr
        path, version = where.stdout.split()
        assert Path(path) == clone / "neuron_gui" / "__init__.py" and version == neuron_gui.__version__
    trained = run(app, "train", "--iterations", "100", cwd=tmp_path)
    assert trained.returncode == 0, trained.stderr
    assert "-0.16595599" in trained.stdout
    assert run(app, "--version").stdout.split() == ["neuron-gui", neuron_gui.__version__]
    assert not [*(clone / "neuron_gui").rglob("*.nbi"), *(clone / "neuron_gui").rglob("*.nbc")]

    # and back again: installing the non-editable package over the editable one works too
    again = run(*pip, ".")
    assert again.returncode == 0, again.stderr
    trained = run(app, "train", "--iterations", "100", cwd=tmp_path)
    assert trained.returncode == 0 and "-0.16595599" in trained.stdout, trained.stderr


def test_the_cache_folder_is_per_user_and_per_version_and_honours_numba_cache_dir(tmp_path):
    import numba

    from neuron_gui.core.compiled import cache_folder

    folder = Path(cache_folder({"XDG_CACHE_HOME": str(tmp_path)}))
    assert folder.parent == tmp_path / "neuron-gui" / "numba"
    assert neuron_gui.__version__ in folder.name and numba.__version__ in folder.name
    assert cache_folder({"XDG_CACHE_HOME": str(tmp_path), "NUMBA_CACHE_DIR": "/elsewhere"}) == "/elsewhere"
    assert Path(cache_folder({"HOME": str(tmp_path)})) == tmp_path / ".cache" / "neuron-gui" / "numba" / folder.name
    assert cache_folder({"HOME": "/h", "XDG_CACHE_HOME": "", "NUMBA_CACHE_DIR": ""}).startswith("/h/.cache/")
    assert cache_folder({"HOME": "/h", "XDG_CACHE_HOME": "relative/x"}).startswith("/h/.cache/neuron-gui/")


def test_an_unwritable_cache_folder_means_no_cache_never_the_package_folder(tmp_path):
    """The headless command works without any cache, and writes nothing next to the package."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(blocker)
    code = ("from neuron_gui.core import compiled, kernel; print(compiled.CACHE_DIR, "
            "compiled.cache_path(kernel.run_chunk))")
    probe = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert probe.stdout.split() == ["None", "None"], probe.stdout + probe.stderr
    package = Path(neuron_gui.__file__).parent
    before = set(package.rglob("*.nb[ic]"))
    trained = subprocess.run([sys.executable, "-m", "neuron_gui", "train", "--iterations", "10"], env=env,
                             capture_output=True, text=True, timeout=120)
    assert trained.returncode == 0 and "-0.16595599" in trained.stdout, trained.stderr
    assert set(package.rglob("*.nb[ic]")) == before
