"""Saving: a complete old or new file, whatever happens, and never a clobbered one.

A regular file is written to a temporary file beside it (``.NAME.<8 hex>.tmp``), synced, and renamed
over it. What the rename would break is handled first, before a byte is written (so a long run is
never trained only to find it cannot be saved):

- a symbolic link is followed: the file it points to is replaced, the link stays a link;
- a special file (a device such as ``/dev/null`` or ``/dev/full``, a FIFO, a terminal) is written
  directly, as a shell's ``>`` would, so a full disk or a closed pipe is seen;
- a folder, a missing folder, and a file the user may not write (opened as the shell opens it, so
  root may, as root may with ``>``) are refused;
- temporary files of our own naming that no living writer holds (the writer locks its file) are
  removed: left by a kill in the middle of an earlier save.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from .reading import FileError, PathLike, check_path, file_kind

try:
    import fcntl
except ImportError:  # Windows: no locks; stale temporary files are then left alone
    fcntl = None  # type: ignore[assignment]

_TEMP = re.compile(r"\.(?P<name>.+)\.[0-9a-f]{8}\.tmp")


def temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")


def resolve_target(path: PathLike) -> tuple[Path, bool]:
    """(the file to write, whether it is special), or :class:`FileError` if it cannot be written.

    Checks everything a save can know before writing: the name, the folder, a symbolic link, a folder
    in the way, write permission."""
    given = check_path(path, "the file name")
    target = Path(os.path.realpath(given))  # through symbolic links (also a dangling one)
    try:
        info = os.stat(target)
    except FileNotFoundError:
        folder = target.parent
        if not folder.is_dir():
            raise FileError(f"cannot save {given}: the folder {given.parent} does not exist") from None
        return target, False
    except OSError as e:
        raise FileError(f"cannot save {given}: {e.strerror or e}") from e
    kind = file_kind(info.st_mode)
    if kind == "a folder":
        raise FileError(f"cannot save {given}: it is a folder")
    if kind is not None:
        return target, True
    try:  # opened for writing as the shell's `>` opens it (not truncated): the same permission rules
        os.close(os.open(target, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0)))
    except PermissionError:
        raise FileError(f"cannot save {given}: it is write-protected (Permission denied)") from None
    except OSError as e:
        raise FileError(f"cannot save {given}: {e.strerror or e}") from e
    return target, False


@contextmanager
def atomic_open(path: PathLike, binary: bool = False) -> Iterator[IO[Any]]:
    """A file that replaces ``path`` only once it is completely written and on disk (see the module).

    On any failure the temporary file is removed and ``path`` keeps its old contents. Text is UTF-8,
    written without newline translation. System errors are raised as :class:`FileError`; others
    pass through unchanged."""
    target, special = resolve_target(path)
    if special:
        with _direct(target, path, binary) as f:
            yield f
        return
    remove_stale_temps(target)
    tmp = temp_name(target)
    refused: FileError | None = None
    try:  # from before the file exists: a signal right after it is created must still remove it
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except OSError as e:
            refused = FileError(f"cannot save {path}: {e.strerror or e}")
            raise refused from e
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # "a living writer": see remove_stale_temps
        with open(fd, "wb") if binary else open(fd, "w", encoding="utf-8", newline="") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
            _copy_mode(target, tmp)
            os.replace(tmp, target)  # still locked and open: nobody takes it for stale meanwhile
    except BaseException as e:
        if e is refused:  # nothing was created (or the name was someone else's)
            raise
        with suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError) and not isinstance(e, FileError):
            raise FileError(f"cannot save {path}: {e.strerror or e}") from e
        raise
    _sync_folder(target.parent)


@contextmanager
def _direct(target: Path, given: PathLike, binary: bool) -> Iterator[IO[Any]]:
    """Write a special file in place (a FIFO waits here for its reader, as with a shell)."""
    try:
        f = open(target, "wb") if binary else open(target, "w", encoding="utf-8", newline="")
    except OSError as e:
        raise FileError(f"cannot save {given}: {e.strerror or e}") from e
    try:
        with f:
            yield f
    except OSError as e:
        if isinstance(e, FileError):
            raise
        raise FileError(f"cannot save {given}: {e.strerror or e}") from e


def remove_stale_temps(target: Path) -> list[Path]:
    """Remove ``.NAME.<8 hex>.tmp`` files of ``target`` that no writer holds; return them.

    A writer keeps an exclusive lock on its temporary file until it is renamed; a kill releases it.
    So a file we can lock is one nobody is writing (without locks, on Windows, nothing is removed)."""
    if fcntl is None:
        return []
    removed = []
    with suppress(OSError):
        for entry in os.scandir(target.parent):
            m = _TEMP.fullmatch(entry.name)
            if not m or m["name"] != target.name or not entry.is_file(follow_symlinks=False):
                continue
            with suppress(OSError):
                fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
                finally:
                    os.close(fd)
    return removed


def atomic_write_text(path: PathLike, text: str) -> None:
    with atomic_open(path) as f:
        f.write(text)


def atomic_write_bytes(path: PathLike, data: bytes) -> None:
    with atomic_open(path, binary=True) as f:
        f.write(data)


def _copy_mode(target: Path, tmp: Path) -> None:
    """Keep an overwritten file's permissions (a new file gets the umask's, as with ``open``)."""
    with suppress(FileNotFoundError):
        os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows it (not on Windows)."""
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
