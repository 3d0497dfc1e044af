"""Reading a file safely: only a regular file, at once, within a size limit, decoded as UTF-8.

Every refusal is one line naming the file, and the line and column (or JSON field) where it applies,
because it is shown as-is: in a dialog, a status bar, or on stderr.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from ..examples import DataError, short

MB = 1024 * 1024
PathLike = str | os.PathLike
# Called with the fraction done (0..1); a background job shows it and may cancel through it.
Progress = Callable[[float], None]


class FileFormatError(DataError):
    """A file that cannot be used; ``str()`` is one line: ``data.csv: line 3, column x2: reason``."""

    def __init__(
        self, path: PathLike, message: str, *, line: int | None = None, column: int | str | None = None,
        field: str | None = None,
    ):
        self.path, self.line, self.column, self.field = str(path), line, column, field
        where = [short(os.path.basename(self.path) or self.path, 80)]
        if line is not None:
            shown = short(str(column), 40) if column is not None else None
            where.append(f"line {line}" + (f", column {shown}" if column is not None else ""))
        if field is not None:
            where.append(field)
        super().__init__(": ".join([*where, message]))


class FileError(OSError):
    """A file the system would not let us read or write; ``str()`` is one line naming it."""


class Cancelled(Exception):
    """Raised through a reader when its progress callback asks to stop (see ``Progress``)."""


def check_path(path: PathLike | None, what: str = "the path") -> Path:
    """``path`` as a Path; an empty one is refused (``Path('')`` would quietly mean the current folder)."""
    if path is None or not os.fspath(path):
        raise FileError(f"{what} is empty: give a file name")
    return Path(path)


def file_kind(mode: int) -> str | None:
    """What a non-regular file is, for a message (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    return "not a regular file"


def read_bytes(path: PathLike, limit: int) -> bytes:
    """The file's bytes; refuses at once (never waits) anything but a regular file of at most ``limit``
    bytes. A FIFO or a device would block or never end, so it is not even opened for reading."""
    p = check_path(path)
    try:
        kind = file_kind(os.stat(p).st_mode)
        if kind is not None:
            raise FileError(f"cannot open {p}: it is {kind}")
        # O_NONBLOCK: should it have become a FIFO since, opening does not wait for a writer
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as f:
            info = os.fstat(f.fileno())
            if (kind := file_kind(info.st_mode)) is not None:
                raise FileError(f"cannot open {p}: it is {kind}")
            if info.st_size > limit:
                raise FileFormatError(p, f"is larger than {limit // MB} MB, the limit for this kind of file")
            data = f.read(info.st_size + 1)  # not limit + 1: that would allocate the limit every time
            if len(data) > info.st_size:  # it grew meanwhile
                data += f.read(limit + 1 - len(data))
    except FileError:
        raise
    except OSError as e:
        raise FileError(f"cannot open {p}: {e.strerror or e}") from e
    if len(data) > limit:
        raise FileFormatError(p, f"is larger than {limit // MB} MB, the limit for this kind of file")
    return data


def read_text(path: PathLike, limit: int) -> str:
    """The file's text (UTF-8, byte-order marks allowed); refuses folders, huge files and binary data."""
    return decode(read_bytes(path, limit), path)


_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe\x00\x00", "UTF-32"),  # before UTF-16: it starts alike
    (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"),
)


def decode(data: bytes, source: PathLike) -> str:
    """UTF-8 text without any leading byte-order marks (an editor may have added several)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            raise FileFormatError(source, f"is {name} text; save it as UTF-8")
    if b"\x00" in data:
        raise FileFormatError(source, "is a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise FileFormatError(
            source, f"byte 0x{data[e.start]:02x} is not UTF-8 text; save the file as UTF-8", line=line
        ) from None
    return text.lstrip("\ufeff")
