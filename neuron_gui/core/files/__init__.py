"""Files: examples CSV, history CSV and session JSON (being split into modules by idea)."""

from .session import *  # noqa: F403
from .session import _decode, _read_text  # noqa: F401
