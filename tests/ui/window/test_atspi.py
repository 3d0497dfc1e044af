"""The window as a screen reader hears it, through AT-SPI, the bus Orca and every Linux screen reader use.

The window runs on its own virtual display (Xvfb) with a session D-Bus and the accessibility bus
(``at-spi-bus-launcher``); ``atspi_client.py`` (run by the system's python3, which has Debian's
``pyatspi``) walks it as a user would: Tab round the window, arrows on the dock tab bar, Train pressed
through its Action interface, a bad value typed into a cell, the run's commands; it reports every focus
change, announcement and change event. Skipped where any of that is missing (``.ci/run`` installs it).
"""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
CLIENT = Path(__file__).with_name("atspi_client.py")
HUMAN_PACE = 3.0  # change events a second, at most, from any one thing while a run moves


def _missing() -> str:
    for tool in ("Xvfb", "dbus-daemon"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if not os.path.exists(BUS_LAUNCHER):
        return "at-spi2-core is not installed"
    if not os.path.exists(SYSTEM_PYTHON) or subprocess.run(
            [SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True).returncode != 0:
        return "python3-pyatspi is not installed"
    return ""


pytestmark = pytest.mark.skipif(bool(_missing()), reason=_missing() or "AT-SPI available")


def _start(args, env, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(args, env=env, start_new_session=True, **kwargs)


def _end(process: subprocess.Popen) -> None:
    """End ``process`` and whatever it started (its own session), by its id."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(5)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


@pytest.fixture(scope="module")
def desktop(tmp_path_factory):
    """A virtual display with a session bus and the accessibility bus; the environment to run in."""
    started: list[subprocess.Popen] = []
    try:
        read, write = os.pipe()
        xvfb = _start(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                      os.environ.copy(), pass_fds=(write,), stderr=subprocess.DEVNULL)
        started.append(xvfb)
        os.close(write)
        with os.fdopen(read) as f:
            display = f":{f.readline().strip()}"
        dbus = _start(["dbus-daemon", "--session", "--nofork", "--print-address=1"], os.environ.copy(),
                      stdout=subprocess.PIPE, text=True)
        started.append(dbus)
        address = dbus.stdout.readline().strip()
        env = dict(os.environ, DISPLAY=display, DBUS_SESSION_BUS_ADDRESS=address, QT_QPA_PLATFORM="xcb",
                   QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", NO_AT_BRIDGE="0")
        started.append(_start([BUS_LAUNCHER, "--launch-immediately"], env, stderr=subprocess.DEVNULL))
        time.sleep(1.0)
        yield env
    finally:
        for process in reversed(started):
            _end(process)


@pytest.fixture(scope="module")
def app(desktop, tmp_path_factory):
    """neuron-gui on that display, as a user starts it (fresh preferences)."""
    env = dict(desktop, XDG_CONFIG_HOME=str(tmp_path_factory.mktemp("config")))
    log = tmp_path_factory.mktemp("log") / "app.log"
    with open(log, "w") as out:
        process = _start([sys.executable, "-m", "neuron_gui"], env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield env
    finally:
        _end(process)


def hear(env, scenario: str, *args: str) -> dict:
    """Run one of ``atspi_client.py``'s scenarios against the app; what it reported."""
    done = subprocess.run([SYSTEM_PYTHON, str(CLIENT), scenario, *args], env=env, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert "error" not in result, result["error"]
    return result


def said(result_events: list[dict]) -> list[str]:
    return [e["any"] for e in result_events if e["type"].startswith("object:announcement")]


# -- the tests, in the order a user would meet them (they share one window) ------------------------------

def test_every_control_says_what_it_is_for(app):
    objects = hear(app, "tree")["objects"]
    by_name = {(o["role"], o["name"]) for o in objects}
    for combo in ("Steps per click", "Replay speed", "Surface weight across", "Surface weight up"):
        assert ("combo box", combo) in by_name, f"no combo box named {combo!r}"
    for panel in ("Examples", "Training", "Error Surface", "Update, Written Out"):
        assert ("push button", f"Close the {panel} panel") in by_name
        assert ("push button", f"Float the {panel} panel") in by_name
    assert not [o for o in objects if o["role"] == "push button" and o["name"] in ("Close", "Float")]
    charts = {o["name"] for o in objects if o["role"] == "chart"}
    assert {"Weights plot", "Error plot", "Sigmoid plot", "Error surface", "Why this prediction: bar chart"} <= charts
    unnamed = [o for o in objects if o["showing"] and o["focusable"] and not o["name"]
               and o["role"] not in ("list", "table cell")]
    assert not unnamed, unnamed


def test_tab_never_lands_in_a_panel_nobody_can_see_and_right_switches_dock_tabs(app):
    chain = hear(app, "tab_chain")["chain"]
    names = [(s["role"], s["name"]) for s in chain]
    assert len(chain) > 15, names
    for stop in chain:
        assert stop["showing"] and stop["name"], stop
        x, y, w, h = stop["extents"]
        assert x >= 0 and y >= 0 and w > 0 and h > 0, f"{stop['name']} is off screen at {stop['extents']}"
    assert ("page tab list", "Network") in names  # the stacked panels' tabs, once, on screen
    assert [r for r, _ in names].count("page tab list") == 1, names
    assert ("combo box", "Surface weight across") not in names  # the Error Surface is behind a tab

    visits = hear(app, "dock_tabs")
    tabs = [v["after"] for v in visits["visits"]]
    assert tabs[:4] == ["The Update, Written Out", "Error Surface", "Why This Prediction", "Kept Runs"], tabs
    assert visits["trained"] == 0, "Right on the tab bar ran Step"
    for visit in visits["visits"][:4]:
        stop = visit["next_stop"]
        assert stop is not None and stop["showing"] and min(stop["extents"][:2]) >= 0, visit
    assert visits["visits"][1]["next_stop"]["name"] == "Surface weight across"


def test_a_refused_cell_value_is_heard_and_focus_returns_to_the_cell(app):
    heard = hear(app, "bad_cell")
    assert heard["on_cell"]["role"] == "table cell"
    assert heard["editor"]["name"] == "Edit x1, example 1"
    assert any("'abc' is not a number" in s and "kept" in s for s in heard["said"]), heard["said"]
    assert heard["focus_after"]["role"] == "table cell", heard["focus_after"]
    descriptions = heard["cell_descriptions"]
    assert descriptions["output"].startswith("read-only") and descriptions["error"].startswith("read-only")
    assert descriptions["x1"].startswith("editable")


def test_each_command_says_what_happened_once(app):
    heard = hear(app, "commands")["said"]
    expected = {"step": "Stepped to iteration 1. Prediction 0.53002734", "resume": "Resumed at iteration 1.",
                "pause": "Paused at iteration", "reset": "Reset to the initial weights. Prediction 0.45860596",
                "undo": "Undid edit row 1, x1.", "redo": "Redid edit row 1, x1."}
    for command, words in expected.items():
        matching = [s for s in heard[command] if s.startswith(words)]
        assert len(matching) == 1, f"{command}: heard {heard[command]}"
        assert len(heard[command]) == 1, f"{command}: said more than once: {heard[command]}"


def test_a_run_is_heard_at_a_human_pace_with_its_result(app):
    run = hear(app, "train", "20000", "8")  # 20,000 iterations at 10,000 a second: two seconds to listen
    events, start, end = run["events"], run["start"], run["end"]
    assert any(re.fullmatch(r"Trained 20,000 iterations\. Prediction 0\.\d{8}, error [-+.e\d]+\.", s)
               for s in said(events)), said(events)
    moving = [e for e in events if e["t"] < end and not e["type"].startswith(("object:announcement",
                                                                                "object:state-changed:focused"))]
    seconds = max(end - start, 1.0)
    rates = collections.Counter((e["object"], e["role"], e["type"]) for e in moving)
    too_fast = {k: n / seconds for k, n in rates.items() if n / seconds > HUMAN_PACE}
    assert len(moving) / seconds < 6 * HUMAN_PACE, f"{len(moving) / seconds:.0f} events a second in all"
    assert not too_fast, f"events a second: {too_fast}"
    hidden = [e for e in moving if e["in_hidden_panel"]]
    assert not hidden, f"events from panels that cannot be seen: {hidden[:5]}"

    assert any(label.startswith("Update from iteration 20,000") for label in run["update_panel"]), \
        f"a panel shown after the run reads out of date: {run['update_panel'][:3]}"

    chain = [(s["role"], s["name"]) for s in run["chain"]]
    replay = [i for i, (_role, name) in enumerate(chain)
              if name in ("Previous Iteration", "Play Replay", "Iteration on display", "Replay speed")]
    assert [chain[i][1] for i in replay] == ["Previous Iteration", "Play Replay", "Iteration on display",
                                             "Replay speed"], chain
    assert replay == list(range(replay[0], replay[0] + 4)), f"the replay bar is split in the Tab chain: {chain}"
