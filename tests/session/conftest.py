"""The session's tests share the window tests' isolation: temporary settings and no thread left running."""

from tests.ui.conftest import _isolated_settings, _no_leaked_threads  # noqa: F401 (autouse fixtures)
