"""The core's import graph: no cycle, counting every import (also inside functions and under
``TYPE_CHECKING``), and nothing from Qt or the layers above (session, ui, cli). Read from the source with
``ast``, so an import that only runs on some path counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import neuron_gui.core

CORE = Path(neuron_gui.core.__file__).parent
FORBIDDEN = ("PySide6", "shiboken6", "pyqtgraph", "neuron_gui.session", "neuron_gui.ui", "neuron_gui.cli",
             "neuron_gui.controller", "neuron_gui.app")


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, as absolute dotted names (``from . import x`` gives ``...core.x``)."""
    package = "neuron_gui.core"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {f"neuron_gui.core.{p.stem}": p for p in CORE.glob("*.py") if p.stem != "__init__"}
    return {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}


def test_the_core_imports_no_qt_and_nothing_above_it():
    for path in CORE.glob("*.py"):
        bad = sorted(m for m in _imports(path) if m.startswith(FORBIDDEN))
        assert not bad, f"{path.name} imports {bad}"


def test_the_core_import_graph_has_no_cycle():
    graph = _graph()
    assert "neuron_gui.core.warm_up" in graph and graph["neuron_gui.core.warm_up"] >= {
        "neuron_gui.core.kernel", "neuron_gui.core.history", "neuron_gui.core.insight"}
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            assert state.get(nxt) != 1, "import cycle: " + " -> ".join(path[path.index(nxt):] + [node, nxt])
            if nxt not in state:
                visit(nxt, path + [node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])


def test_the_cycle_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from .kernel import run_chunk\n\nif False:\n    from . import history\n")
    assert {"neuron_gui.core.kernel", "neuron_gui.core.history"} <= _imports(module)
