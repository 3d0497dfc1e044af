"""Files: examples CSV, history CSV and session JSON; read safely and written atomically. No Qt.

- :mod:`.reading`: only regular files, at once, within a size limit, decoded as UTF-8; the errors;
- :mod:`.atomic`: saving without ever clobbering (links, special files, permissions, stale temps);
- :mod:`.examples_csv`, :mod:`.history_csv`: the two CSV files;
- :mod:`.session` (format 2: the recipe and the final state), :mod:`.session_v1` (format 1's history),
  :mod:`.fields` (JSON field checks).

Every refusal is one line naming the file, and the line and column (or JSON field) where it applies.
"""

from ..examples import format_number  # re-exported: callers wrote files.format_number
from .atomic import atomic_open, atomic_write_bytes, atomic_write_text, remove_stale_temps, resolve_target
from .examples_csv import (
    MAX_CSV_BYTES,
    TARGET_NAME,
    format_examples_csv,
    parse_examples_csv,
    read_examples_csv,
    write_examples_csv,
)
from .history_csv import write_history_csv
from .reading import MB, Cancelled, FileError, FileFormatError, PathLike, Progress, check_path, read_text
from .session import (
    MAX_SAVED_BUCKETS,
    MAX_SESSION_BYTES,
    SESSION_FORMAT,
    Session,
    format_session,
    load_session,
    looks_like_session,
    parse_session,
    save_session,
)

__all__ = [
    "MAX_CSV_BYTES", "MAX_SAVED_BUCKETS", "MAX_SESSION_BYTES", "MB", "SESSION_FORMAT", "TARGET_NAME",
    "Cancelled", "FileError", "FileFormatError", "PathLike", "Progress", "Session", "atomic_open",
    "atomic_write_bytes", "atomic_write_text", "check_path", "format_examples_csv", "format_number", "format_session",
    "load_session", "looks_like_session", "parse_examples_csv", "parse_session", "read_examples_csv",
    "read_text", "remove_stale_temps", "resolve_target", "save_session", "write_examples_csv",
    "write_history_csv",
]
