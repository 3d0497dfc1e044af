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


def _module_name(path: Path) -> str:
    parts = path.relative_to(CORE.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, package: str = "neuron_gui.core", known: frozenset = frozenset()) -> set[str]:
    """Every module ``path`` (a module of ``package``) imports, as absolute dotted names (``from . import x``
    gives ``<package>.x``; ``from .m import name`` gives ``<package>.m``, and ``<package>.m.name`` too when
    that is one of the ``known`` modules)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            submodules = {f"{base}.{alias.name}" for alias in node.names}
            found.update(submodules)
            if not submodules <= known:  # a name from the module itself, not only its submodules
                found.add(base)
    return found


def _package_of(path: Path) -> str:
    name = _module_name(path)
    return name if path.name == "__init__.py" else name.rsplit(".", 1)[0]


def _graph() -> dict[str, set[str]]:
    """Core modules (a package counts as its ``__init__``) and the core modules each imports."""
    modules = {_module_name(p): p for p in CORE.rglob("*.py") if _module_name(p) != "neuron_gui.core"}
    known = frozenset(modules)
    return {name: {m for m in _imports(path, _package_of(path), known) if m in modules and m != name}
            for name, path in modules.items()}


def test_the_core_imports_no_qt_and_nothing_above_it():
    for path in CORE.rglob("*.py"):
        bad = sorted(m for m in _imports(path, _package_of(path)) if m.startswith(FORBIDDEN))
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
