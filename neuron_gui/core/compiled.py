"""How this package compiles with numba: where the machine code is cached, and loading it quickly.

The lowest of the compiled modules: :mod:`.kernel` and :mod:`.insight` take their decorator from here,
and :mod:`.warm_up` (above them all) loads what they define. It imports nothing of this package.

Where the cache goes, and why not numba's default: numba writes ``*.nbi``/``*.nbc`` next to the module,
i.e. into ``site-packages/neuron_gui/core/__pycache__``. Uninstalling leaves that folder behind, and it
then shadows a later editable install as a namespace package (``cannot import name '__version__'``);
an installed package's folder may also be read-only. So the cache lives in a per-user folder:

- ``$NUMBA_CACHE_DIR`` when the user set it (numba's own meaning, honoured as is);
- else ``$XDG_CACHE_HOME/neuron-gui/numba/<package>-numba<numba>-py<python>`` (``~/.cache`` without
  ``XDG_CACHE_HOME``), one folder per version of this package, numba and Python, so two environments
  never overwrite each other's entries (numba keys each file by the source's path inside it too);
- and when that folder cannot be created or written, no cache at all: every process compiles, slower
  but correct. Numba would otherwise fall back to the package's own folder, which is what we avoid.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Sequence

import numba
from numba.core import config as numba_config
from numba.core.caching import NullCache
from numba.core.compiler_lock import global_compiler_lock
from numba.core.runtime import rtsys

from .. import __version__

APP_NAME = "neuron-gui"


def cache_folder(environ: os._Environ | dict | None = None) -> str:
    """The folder numba's cache of this package goes to (see the module's docstring). Not created here."""
    env = os.environ if environ is None else environ
    if env.get("NUMBA_CACHE_DIR"):
        return env["NUMBA_CACHE_DIR"]
    base = env.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, empty or relative: the XDG specification says to ignore it
        base = os.path.join(env.get("HOME") or os.path.expanduser("~"), ".cache")
    key = f"{__version__}-numba{numba.__version__}-py{sys.version_info[0]}{sys.version_info[1]}"
    return os.path.join(base, APP_NAME, "numba", key)


def _writable(folder: str) -> bool:
    try:
        os.makedirs(folder, exist_ok=True)
        tempfile.TemporaryFile(dir=folder).close()
    except OSError:
        return False
    return True


def _choose_cache() -> str | None:
    folder = os.path.abspath(cache_folder())
    return folder if _writable(folder) else None


#: Where this process caches compiled code, or None when it cannot cache (then it compiles every time).
CACHE_DIR = _choose_cache()


def cached_njit(**options) -> Callable:
    """``numba.njit(**options)`` that caches in :data:`CACHE_DIR`, never beside the source.

    Numba picks a function's cache folder when the decorator runs, from its global config, so that is
    set to our folder for the decoration only (a user's ``NUMBA_CACHE_DIR`` is the same folder). If
    numba still chose another place (a folder that stopped being writable meanwhile), caching is
    switched off for the function rather than letting it write into the package.
    """

    def decorate(py_func):
        if CACHE_DIR is None:
            return numba.njit(cache=False, **options)(py_func)
        saved = numba_config.CACHE_DIR
        numba_config.CACHE_DIR = CACHE_DIR
        try:
            dispatcher = numba.njit(cache=True, **options)(py_func)
        finally:
            numba_config.CACHE_DIR = saved
        if not _inside(cache_path(dispatcher), CACHE_DIR):
            dispatcher._cache = NullCache()
        return dispatcher

    return decorate


def cache_path(dispatcher) -> str | None:
    """The folder ``dispatcher`` caches in (None: not cached, or another numba's internals)."""
    try:
        return dispatcher._cache._cache_path
    except AttributeError:
        return None


def index_path(dispatcher) -> str | None:
    """The path of ``dispatcher``'s cache index (``*.nbi``), which exists once it has been cached."""
    try:
        return dispatcher._cache._cache_file._index_path
    except AttributeError:
        return None


def _inside(path: str | None, folder: str) -> bool:
    return path is not None and os.path.commonpath([os.path.abspath(path), folder]) == folder


# Numba versions whose cache load was checked to need, of the compiler's set-up, only the runtime (the
# whole test suite passes with the shortcut below on both); any other version takes numba's own path.
_QUICK_LOAD = (0, 59) <= tuple(int(p) for p in numba.__version__.split(".")[:2]) <= (0, 68)


def ensure_loaded(dispatcher, args: Sequence) -> None:
    """Before a compiled function's first call: load its machine code for ``args`` from numba's
    on-disk cache, or compile it. Cheap once anything is loaded.

    Why not just call it: before a cache load numba sets up its whole compiler (the implementations
    of all of Python and numpy it supports), 0.1 s, a third of a headless ``neuron-gui train``,
    though reading back machine code needs only its runtime. So the load's own call to ``refresh``
    initialises the runtime and skips the rest, once; a compile (a cache miss), and anything later,
    gets the real one: numba refreshes again on every compile and on any lookup it cannot satisfy.
    Done under numba's compiler lock, so no other thread compiles meanwhile.
    """
    if not _QUICK_LOAD or getattr(dispatcher, "overloads", True):  # (no overloads: NUMBA_DISABLE_JIT)
        return
    signature = tuple(numba.typeof(a) for a in args)
    with global_compiler_lock:
        context = dispatcher.targetctx
        context.refresh = _RuntimeOnlyRefresh(context)
        try:
            dispatcher.compile(signature)
        finally:
            context.__dict__.pop("refresh", None)


def is_loaded(dispatcher) -> bool:
    """Whether ``dispatcher`` has machine code in this process (or runs as Python: NUMBA_DISABLE_JIT)."""
    return bool(getattr(dispatcher, "overloads", True))


class _RuntimeOnlyRefresh:
    """Stands in for ``context.refresh`` for one call: initialises numba's runtime (whose symbols the
    loaded code calls), then gives the context its real method back."""

    def __init__(self, context):
        self.context = context

    def __call__(self) -> None:
        self.context.__dict__.pop("refresh", None)
        rtsys.initialize(self.context)
