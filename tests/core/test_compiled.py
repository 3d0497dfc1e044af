"""Every compiled function of the core caches in the per-user folder (or not at all), never beside its
source, i.e. never inside an installed package (issue 11 section 1); the warm-up loads them all."""

from __future__ import annotations

import importlib
import os
import pkgutil

import numba.core.registry

import neuron_gui.core
from neuron_gui.core import compiled, warm_up


def _core_dispatchers() -> dict[str, object]:
    found = {}
    for info in pkgutil.walk_packages(neuron_gui.core.__path__, "neuron_gui.core."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, numba.core.registry.CPUDispatcher) and value.py_func.__module__ == info.name:
                found[f"{info.name}.{name}"] = value
    return found


def test_every_compiled_function_caches_in_the_users_folder():
    dispatchers = _core_dispatchers()
    assert "neuron_gui.core.kernel.run_chunk" in dispatchers
    package = os.path.dirname(neuron_gui.core.__file__)
    for name, dispatcher in dispatchers.items():
        path = compiled.cache_path(dispatcher)
        if path is None:  # caching off (an unwritable folder), fine
            continue
        folder = compiled.CACHE_DIR
        assert folder is not None and os.path.commonpath([path, folder]) == folder, (
            f"{name} caches in {path}: decorate it with compiled.cached_njit, not numba.njit(cache=True)")
        assert os.path.commonpath([path, package]) != package, name


def test_the_warm_up_knows_every_entry_point():
    """Functions called from Python (not only inlined into others) are in warm_up.COMPILED, so the window
    never compiles one on first use."""
    warmed = {id(d) for d in warm_up.COMPILED}
    for name, dispatcher in _core_dispatchers().items():
        if dispatcher.targetoptions.get("inline") == "always":
            continue
        assert id(dispatcher) in warmed, f"{name} is not warmed up (warm_up.COMPILED)"


def test_the_warm_up_loads_every_compiled_function_it_lists():
    warm_up.warm_up()
    assert [compiled.is_loaded(d) for d in warm_up.COMPILED] == [True] * len(warm_up.COMPILED)
