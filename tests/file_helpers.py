"""Helpers for the file tests: running a command without root's power over permissions (CI runs as
root, which ignores them), and telling a hang from a refusal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
# Root without these capabilities is held to a file's permission bits like any user (setpriv drops them
# for the child only; its files stay root's, so the test's folders need no change of owner).
DROP = ["--bounding-set=-dac_override,-dac_read_search,-fowner,-linux_immutable", "--inh-caps=-all", "--"]


def unprivileged(argv: Sequence[str]) -> list[str]:
    """``argv`` run as an ordinary user would run it."""
    if os.name != "posix" or os.geteuid() != 0:
        return list(argv)
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot drop the power to ignore permissions")
    return [setpriv, *DROP, *argv]


def run_unprivileged(code: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run Python ``code`` in ``cwd`` as an ordinary user would."""
    return subprocess.run(unprivileged([sys.executable, "-c", code]), cwd=cwd, env=ENV, capture_output=True,
                          text=True, timeout=120)


def finishes(call: Callable[[], object], seconds: float = 30.0) -> object:
    """``call()``'s result or the exception it raised; the test fails if it has not returned in
    ``seconds`` (it hangs: a refusal is immediate, so the bound is generous)."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = call()
        except BaseException as e:  # noqa: BLE001 (handed to the test)
            outcome["error"] = e

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "it hangs"
    return outcome.get("error", outcome.get("value"))
