"""What a screen reader hears from neuron-gui: an AT-SPI client, run by the system's ``/usr/bin/python3``
(``pyatspi`` comes from Debian's ``python3-pyatspi``; it is not installable into a virtual environment).

Run as ``python3 atspi_client.py SCENARIO [ARGS...]`` with ``DISPLAY`` and ``DBUS_SESSION_BUS_ADDRESS`` set
to the session the app runs in; it prints one JSON object on stdout and exits. It does what an Orca user
does: moves with Tab (keys sent through the registry, as typed on a keyboard), presses buttons through
their Action interface, types into the table, and records what the app sends to the bus: focus changes,
announcements and every change event with its source. ``test_atspi.py`` drives it and asserts.
"""

from __future__ import annotations

import json
import sys
import threading
import time

import pyatspi
from gi.repository import GLib

APP_NAME = "neuron-gui"
EVENTS = ("object:state-changed:focused", "object:announcement", "object:property-change:accessible-name",
          "object:property-change:accessible-description", "object:property-change:accessible-value",
          "object:value-changed", "object:text-changed", "object:children-changed",
          "object:state-changed:showing", "object:visible-data-changed")


def describe(obj) -> dict:
    """The few things a screen reader says about ``obj``: role, name, description, states, where."""
    try:
        states = obj.getState()
        info = {"role": obj.getRoleName(), "name": obj.name or "", "description": obj.description or "",
                "showing": states.contains(pyatspi.STATE_SHOWING),
                "focusable": states.contains(pyatspi.STATE_FOCUSABLE),
                "editable": states.contains(pyatspi.STATE_EDITABLE),
                "enabled": states.contains(pyatspi.STATE_ENABLED)}
    except Exception as e:  # the object went away
        return {"role": "gone", "name": str(e), "description": "", "showing": False, "focusable": False,
                "editable": False, "enabled": False}
    try:
        ext = obj.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        info["extents"] = [ext.x, ext.y, ext.width, ext.height]
    except Exception:
        info["extents"] = None
    try:
        parent = obj.parent
        info["parent"] = f"{parent.getRoleName()}:{parent.name}" if parent is not None else ""
    except Exception:
        info["parent"] = ""
    return info


def in_hidden_panel(obj) -> bool:
    """Whether an ancestor of ``obj`` (up to the window) is not showing: ``obj`` is in a panel that
    cannot be seen (its own state may be changing right now, so it is not asked)."""
    try:
        parent = obj.parent
        while parent is not None and parent.getRoleName() not in ("frame", "application"):
            if not parent.getState().contains(pyatspi.STATE_SHOWING):
                return True
            parent = parent.parent
    except Exception:
        return False
    return False


class Client:
    def __init__(self):
        self.events: list[dict] = []
        self.t0 = time.monotonic()
        self._lock = threading.Lock()
        self.focus: dict | None = None
        self.app = self._find_app()
        pyatspi.Registry.registerEventListener(self._on_event, *EVENTS)
        self._bring_keyboard_here()

    def _bring_keyboard_here(self) -> None:
        """Give the window the keyboard, as clicking on it would (a virtual display may have no window
        manager to do it): the pointer over it (X gives keys to the window under the pointer then) and
        the window asked to take the focus."""
        frame = self.app[0]
        try:
            x, y, w, h = frame.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
            pyatspi.Registry.generateMouseEvent(x + w // 2, y + h // 2, pyatspi.MOUSE_ABS)
            frame.queryComponent().grabFocus()
        except Exception:
            pass
        self.pump(0.3)

    def _find_app(self, timeout: float = 90.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            desktop = pyatspi.Registry.getDesktop(0)
            for app in desktop:
                if app is not None and app.name == APP_NAME and app.childCount:
                    return app
            time.sleep(0.2)
        raise SystemExit(json.dumps({"error": f"{APP_NAME} never appeared on the accessibility bus"}))

    # -- events ------------------------------------------------------------------------------------------
    def _on_event(self, event) -> None:
        try:
            if event.host_application is not None and event.host_application.name != APP_NAME:
                return
        except Exception:
            pass
        kind = event.type if isinstance(event.type, str) else str(event.type)
        if kind.startswith("object:state-changed:focused") and not event.detail1:
            return
        record = {"t": time.monotonic() - self.t0, "type": kind, "detail1": event.detail1,
                  "any": event.any_data if isinstance(event.any_data, (str, int, float)) else None}
        src = event.source
        record.update(describe(src) if src is not None else {"role": "", "name": ""})
        record["in_hidden_panel"] = src is not None and in_hidden_panel(src)
        record["object"] = getattr(src, "path", "") if src is not None else ""  # which object, whatever its name
        with self._lock:
            self.events.append(record)
            if kind.startswith("object:state-changed:focused"):
                self.focus = record

    def pump(self, seconds: float) -> None:
        """Let events arrive for ``seconds`` (the GLib main loop delivers them)."""
        ctx = GLib.MainContext.default()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            while ctx.pending():
                ctx.iteration(False)
            time.sleep(0.005)

    def mark(self) -> float:
        self.pump(0.05)
        return time.monotonic() - self.t0

    def since(self, t: float) -> list[dict]:
        with self._lock:
            return [e for e in self.events if e["t"] >= t]

    # -- finding and doing ----------------------------------------------------------------------------------
    def find(self, role: str, name: str):
        def match(o):
            try:
                return o.getRoleName() == role and o.name == name
            except Exception:
                return False
        return pyatspi.findDescendant(self.app, match, True)

    def find_all(self, predicate):
        return pyatspi.findAllDescendants(self.app, predicate)

    def press(self, obj, action_name: str = "Press") -> None:
        action = obj.queryAction()
        for i in range(action.nActions):
            if action.getName(i).lower() in (action_name.lower(), "press", "click"):
                action.doAction(i)
                return
        action.doAction(0)

    def key(self, keysym: str, count: int = 1, wait: float = 0.15) -> None:
        sym = KEYSYMS[keysym]
        for _ in range(count):
            pyatspi.Registry.generateKeyboardEvent(sym, None, pyatspi.KEY_SYM)
            self.pump(wait)

    def type_text(self, text: str) -> None:
        for ch in text:
            pyatspi.Registry.generateKeyboardEvent(ord(ch), None, pyatspi.KEY_SYM)
            self.pump(0.05)


KEYSYMS = {"Tab": 0xFF09, "ISO_Left_Tab": 0xFE20, "Return": 0xFF0D, "Right": 0xFF53, "Left": 0xFF51, "Escape": 0xFF1B,
           "space": 0x20, "Shift_L": 0xFFE1, "Down": 0xFF54, "Up": 0xFF52, "Home": 0xFF50}


# -- scenarios ------------------------------------------------------------------------------------------------

def scenario_tree(c: Client) -> dict:
    """Every object with role, name, description and states (what a screen reader can find)."""
    out = []

    def walk(o, depth):
        if depth > 40:
            return
        info = describe(o)
        info["depth"] = depth
        out.append(info)
        for child in o:
            if child is not None:
                walk(child, depth + 1)
    walk(c.app, 0)
    return {"objects": out}


def tab_until(c: Client, wanted, limit: int = 60) -> dict | None:
    """Press Tab until the focus is on what ``wanted(stop)`` accepts; that stop, or None."""
    for _ in range(limit):
        c.focus = None
        c.key("Tab", wait=0.12)
        if c.focus is not None and wanted(c.focus):
            return c.focus
    return None


def selected_tab(c: Client) -> str:
    tabs = c.find_all(lambda o: o.getRoleName() == "page tab" and o.getState().contains(pyatspi.STATE_SELECTED))
    return ", ".join(t.name for t in tabs)


def scenario_tab_chain(c: Client, stops: str = "60") -> dict:
    """Tab round the window: each stop as a screen reader hears it, as far as the first one again."""
    c.pump(0.5)
    chain = []
    for _ in range(int(stops)):
        c.focus = None
        c.key("Tab", wait=0.12)
        stop = c.focus
        key = stop and (stop["role"], stop["name"], tuple(stop["extents"] or ()))
        if chain and key == chain[0]["key"]:
            break
        chain.append({"key": key, **(stop or {"role": "none", "name": "(focus went nowhere)"})})
    for stop in chain:
        stop.pop("key")
    return {"chain": chain}


def scenario_dock_tabs(c: Client) -> dict:
    """Tab to the tab bar of the stacked panels, then Right through its tabs: after each, which tab is
    chosen, where Tab goes next (the panel shown), and whether anything trained (Right must not Step)."""
    progress = c.find("progress bar", "Training progress")
    bar = tab_until(c, lambda f: f["role"] == "page tab list")
    if bar is None:
        return {"error": "Tab never reached a tab bar"}
    visits = []
    count = len([t for t in c.find_all(lambda o: o.getRoleName() == "page tab")])
    for _ in range(count):
        before = selected_tab(c)
        c.key("Right", wait=0.4)
        after = selected_tab(c)
        c.focus = None
        c.key("Tab", wait=0.3)
        visits.append({"before": before, "after": after, "next_stop": c.focus})
        c.focus = None
        c.key("ISO_Left_Tab", wait=0.3)  # Shift+Tab: back to the tab bar
        if c.focus is None or c.focus["role"] != "page tab list":
            return {"visits": visits, "error": f"Shift+Tab went to {c.focus} instead of the tab bar"}
    return {"visits": visits, "trained": progress.queryValue().currentValue if progress else None}


def announcements(events: list[dict]) -> list[str]:
    return [e["any"] for e in events if e["type"].startswith("object:announcement")]


def wait_for_announcement(c: Client, t: float, words: str, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if any(words in a for a in announcements(c.since(t))):
            return
        c.pump(0.1)


def scenario_train(c: Client, iterations: str = "20000", speed_index: str = "8") -> dict:
    """Set the iterations and a speed a person can watch, press Train through its Action interface, and
    record everything the app sends while the run moves and when it ends."""
    c.find("spin button", "Iterations").queryValue().currentValue = float(iterations)
    c.find("slider", "Training speed").queryValue().currentValue = float(speed_index)
    c.pump(0.5)
    t0 = c.mark()
    c.press(c.find("push button", "Train"))
    wait_for_announcement(c, t0, "Trained", timeout=90)
    t_end = c.mark()
    c.pump(1.0)
    events = c.since(t0)
    chain = scenario_tab_chain(c)["chain"]
    c.press(c.find("page tab", "The Update, Written Out"))  # a panel that was behind a tab during the run
    c.pump(1.0)
    panel = c.find("panel", "The Update, Written Out")
    labels = [o.name for o in pyatspi.findAllDescendants(panel, lambda o: o.getRoleName() == "label")]
    return {"events": events, "start": t0, "end": t_end, "chain": chain, "update_panel": labels}


def scenario_commands(c: Client) -> dict:
    """Step, Pause, Resume, Reset, Undo and Redo through the window's buttons and keys: what is said."""
    said = {}

    def do(label, action, words, wait=10.0):
        t = c.mark()
        try:
            action()
        except AttributeError as e:  # the control was not there under that name
            said[label] = [f"could not: {e}"]
            return
        wait_for_announcement(c, t, words, timeout=wait)
        c.pump(0.3)
        said[label] = announcements(c.since(t))

    c.find("slider", "Training speed").queryValue().currentValue = 3.0  # 10 it/s: time to pause
    c.find("spin button", "Iterations").queryValue().currentValue = 100000.0
    c.pump(0.3)
    do("step", lambda: c.press(c.find("push button", "Step")), "Stepped")
    do("resume", lambda: c.press(c.find("check box", "Resume")), "Resumed")
    do("pause", lambda: c.press(c.find("check box", "Pause")), "Paused")
    do("reset", lambda: c.press(c.find("push button", "Reset")), "Reset")
    table = tab_until(c, lambda f: f["role"] == "table" and f["name"] == "Training examples")
    c.key("Down", wait=0.2)
    c.key("Up", wait=0.2)
    c.type_text("1")
    c.key("Return", wait=0.5)
    cells = c.find("table", "Training examples").queryTable()
    edited = cells.getAccessibleAt(0, 0).name
    do("undo", lambda: c.press(menu_item(c, "Undo")), "Undid")
    do("redo", lambda: c.press(menu_item(c, "Redo")), "Redid")
    undone = cells.getAccessibleAt(0, 0).name
    return {"said": said, "edited": edited, "table": table, "undone": undone}


def menu_item(c: Client, starts: str):
    found = c.find_all(lambda o: o.getRoleName() == "menu item" and o.name.startswith(starts))
    return found[0] if found else None


def scenario_bad_cell(c: Client) -> dict:
    """Tab to the examples table, move to its first cell, type ``abc`` and Enter: what is heard, and
    where the focus is afterwards."""
    table = tab_until(c, lambda f: f["role"] == "table" and f["name"] == "Training examples")
    if table is None:
        return {"error": "Tab never reached the examples table"}
    c.key("Down", wait=0.3)
    c.key("Up", wait=0.3)
    on_cell = c.focus
    t = c.mark()
    c.type_text("abc")
    editor = c.focus
    c.key("Return", wait=0.3)
    wait_for_announcement(c, t, "not a number", timeout=10)
    c.pump(1.0)
    focus_events = [e for e in c.since(t) if e["type"].startswith("object:state-changed:focused")]
    cells = c.find("table", "Training examples").queryTable()
    columns = {cells.getColumnDescription(j): cells.getAccessibleAt(0, j).description for j in range(cells.nColumns)}
    return {"on_cell": on_cell, "editor": editor, "said": announcements(c.since(t)),
            "focus_after": focus_events[-1] if focus_events else None, "cell_descriptions": columns}


def main() -> None:
    scenario = sys.argv[1]
    c = Client()
    c.pump(0.3)
    result = globals()[f"scenario_{scenario}"](c, *sys.argv[2:])
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
