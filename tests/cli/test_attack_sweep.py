"""The command line attacked wholesale, in one process (the figures in the README's Robustness section).

Every option with hostile values (both ``--opt value`` and ``--opt=value``), hostile example files and
sessions, and hostile output targets. For each case: no exception escapes (a traceback), nothing waits
(a hang: special files are refused or written at once), the exit code is 0 or 2 and a refusal is one line
on stderr with nothing on stdout, and no file but the intended output changes (clobbered), with no
temporary file left behind.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from neuron_gui import cli
from neuron_gui.core.examples import Examples
from neuron_gui.core.files import format_examples_csv, format_session
from neuron_gui.core.training import Settings, train

BAD_NUMBERS = ["", " ", "--", "x", "1_0", "\uff11", "\u0661", "\u0967", "0x10", "+-1", "1e", ".", "nan", "inf",
               "-inf", "1e999", "-1", "0", "1" * 5_000, "1.5", "1,0", "1,0000", "\udc80", "10\n"]
BAD_QUERIES = ["", "--", "1", "1,0", "1,0,0,0", "1_0,0,0", "\uff11,0,0", "nan,0,0", "1e999,0,0", "2e6,0,0",
               "a,b,c", ",,", "1;0;0;0", "\udc80,0,0"]
LESSON = format_examples_csv(Examples.lesson())

BAD_CSV = {
    "empty": "", "blank": "\n \n", "header only": "x1,y\n", "ragged": "x1,x2,y\n0,1\n",
    "long row": "x1,y\n0,1,1\n", "text": "x1,y\nabc,1\n", "empty cell": "x1,y\n,1\n", "nan": "x1,y\nnan,1\n",
    "inf": "x1,y\ninf,1\n", "1e400": "x1,y\n1e400,1\n", "target 2": "x1,y\n0,2\n",
    "target just above 1": "x1,y\n0,1.0000000000000002\n", "underscore": "x1,y\n1_0,1\n",
    "fullwidth": "x1,y\n\uff11,1\n", "arabic-indic": "x1,y\n\u0661,1\n", "semicolons": "x1;y\n0;1\n",
    "tabs": "x1\ty\n0\t1\n", "one column": "x1\n1\n", "17 inputs": ",".join(f"x{j}" for j in range(17)) + ",y\n"
    + ",".join(["0"] * 18) + "\n", "numbers as header": "0,1\n1,0\n", "duplicate names": "a,a,y\n0,1,1\n",
    "empty name": "a,,y\n0,1,1\n", "trailing comma header": "x1,x2,y,\n0,1,1,\n", "padded quoted name":
    '" a",y\n0,1\n', "quoted newline in header": '"x\n1",y\n0,1\n', "control character": "x\x07,y\n0,1\n",
    "open quote": 'a,"b\n0,1\n', "bad quote": 'a,"b"x,y\n0,1,1\n', "bom in name": "x1,\ufeffx2,y\n0,0,1\n",
}
BAD_BYTES = {
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00", "latin-1": b"x1,y\n\xf6,1\n", "utf-16": LESSON.encode("utf-16"),
    "utf-32": LESSON.encode("utf-32"), "triple bom": b"\xef\xbb\xbf" * 3 + LESSON.encode(),
    "lone surrogate bytes": b"x\xed\xa0\x80,y\n0,1\n",
}


def session_doc() -> dict:
    run = train(Examples.lesson(), Settings(iterations=20))
    return json.loads(format_session(run.examples, run.settings, run.weights, 20, run.history))


def bad_sessions() -> dict[str, str]:
    out: dict[str, str] = {"not json": "{", "a list": "[1]", "no version": "{}", "newer": '{"format_version": 9}',
                           "nan": '{"format_version": 2, "x": NaN}', "huge int": '{"format_version": '
                           + "1" * 5_000 + "}", "deep": "[" * 100_000}

    def change(name: str, edit) -> None:
        doc = session_doc()
        edit(doc)
        out[name] = json.dumps(doc)

    change("names duplicate", lambda d: d["examples"].update(names=["a", "a", "b"]))
    change("names empty", lambda d: d["examples"].update(names=["a", "", "b"]))
    change("names padded", lambda d: d["examples"].update(names=["a", " b", "c"]))
    change("names surrogate", lambda d: d["examples"].update(names=["a", "b\udc80", "c"]))
    change("names newline", lambda d: d["examples"].update(names=["a", "b\nc", "d"]))
    change("target 2", lambda d: d["examples"].update(y=[0, 1, 2, 0]))
    change("X ragged", lambda d: d["examples"]["X"].__setitem__(1, [0, 1]))
    change("X text", lambda d: d["examples"]["X"].__setitem__(1, ["a", 0, 1]))
    change("X huge int", lambda d: d["examples"]["X"].__setitem__(1, [10**30, 0, 1]))
    change("settings text", lambda d: d["settings"].update(seed="one"))
    change("settings float iterations", lambda d: d["settings"].update(iterations=20.0))
    change("hidden layers", lambda d: d["settings"].update(hidden=[4]))
    return out


def special_paths(folder: Path) -> dict[str, str]:
    os.mkfifo(folder / "fifo.csv")
    (folder / "dir.csv").mkdir()
    (folder / "loop.csv").symlink_to(folder / "loop.csv")
    (folder / "dangling.csv").symlink_to(folder / "nowhere.csv")
    paths = {"fifo": "fifo.csv", "folder": "dir.csv", "link loop": "loop.csv", "dangling link": "dangling.csv",
             "missing": "missing.csv", "empty name": "", "--": "--"}
    if os.path.exists("/dev/zero"):
        paths["device"] = "/dev/zero"
    return paths


def state(folder: Path) -> dict[str, str]:
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_symlink():
            out[p.name] = "link:" + os.readlink(p)
        elif p.is_file():
            out[p.name] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            out[p.name] = "other"
    return out


def run(folder: Path, args: list[str]) -> tuple[int | None, str, str, BaseException | None]:
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = cli.main(args)
        error = None
    except BaseException as e:  # noqa: BLE001 (a traceback, counted)
        code, error = None, e
    finally:
        os.chdir(cwd)
    return code, out.getvalue(), err.getvalue(), error


def cases(folder: Path) -> list[tuple[str, list[str], str | None]]:
    """(kind, arguments, the one file it may write)."""
    (folder / "lesson.csv").write_text(LESSON)
    out: list[tuple[str, list[str], str | None]] = []
    base = ["train", "--iterations", "30"]
    for option in ("--iterations", "--seed", "--learning-rate"):
        for value in BAD_NUMBERS:
            out.append(("option values", ["train", option, value], None))
            out.append(("option values", ["train", f"{option}={value}"], None))
    for value in BAD_QUERIES:
        out.append(("option values", [*base, "--query", value], None))
        out.append(("option values", [*base, f"--query={value}"], None))
    for option in ("--json", "--iterations", "--examples", "--bogus"):
        out.append(("window options", [option, "5"], None))
    for text in BAD_CSV.values():
        (folder / f"bad-{len(out)}.csv").write_text(text, encoding="utf-8")
        out.append(("example files", [*base, "--examples", f"bad-{len(out)}.csv"], None))
    for data in BAD_BYTES.values():
        (folder / f"bytes-{len(out)}.csv").write_bytes(data)
        out.append(("example files", [*base, "--examples", f"bytes-{len(out)}.csv"], None))
    for text in bad_sessions().values():
        (folder / f"s-{len(out)}.json").write_text(text, encoding="utf-8", errors="surrogatepass")
        out.append(("sessions as examples", [*base, "--examples", f"s-{len(out)}.json"], None))
    for name, path in special_paths(folder).items():
        out.append(("special input paths", [*base, "--examples", path], None))
        if name != "--":  # (``neuron-gui --`` is the window with no file: it would open)
            out.append(("special input paths", [path], None))  # the window's FILE, refused before Qt
    for name, target in {"folder": "dir.csv", "missing folder": "no/such/h.csv", "empty name": "",
                         "the examples": "lesson.csv", "the examples, another way": "./lesson.csv",
                         "dangling link": "dangling.csv", "link loop": "loop.csv", "device": "/dev/null",
                         "full device": "/dev/full", "stdout": "-", "stdout device": "/dev/stdout"}.items():
        expected = "nowhere.csv" if name == "dangling link" else None
        out.append(("output targets", [*base, "--examples", "lesson.csv", "--history-csv", target], expected))
    return out


@pytest.mark.slow
def test_the_command_line_under_attack(tmp_path: Path):
    tried, clean, accepted, tracebacks, clobbered, bad_refusals = Counter(), Counter(), Counter(), [], [], []
    for kind, args, may_write in cases(tmp_path):
        before = state(tmp_path)
        code, out, err, error = run(tmp_path, args)
        after = state(tmp_path)
        tried[kind] += 1
        if error is not None:
            tracebacks.append((args[:4], repr(error)[:200]))
            continue
        changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)} - {may_write}
        if changed:
            clobbered.append((args[:4], sorted(changed)))
        if code == 2:
            if out == "" and err.count("\n") == 1 and err.startswith("neuron-gui: ") and len(err) < 400:
                clean[kind] += 1
            else:
                bad_refusals.append((args[:4], err[:200]))
        elif code == 0:
            accepted[kind] += 1
        else:
            bad_refusals.append((args[:4], code))
    print("\nkind | tried | refused cleanly | accepted")
    for kind in tried:
        print(f"{kind} | {tried[kind]} | {clean[kind]} | {accepted[kind]}")
    assert tracebacks == [] and clobbered == [] and bad_refusals == []
    assert sum(tried.values()) > 250
