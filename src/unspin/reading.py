"""Capped reading: every file and stream unspin reads goes through here, whatever size it reports.

Shared by ingest (articles) and cross-checking (records files); it depends on nothing but the errors.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from unspin.errors import InputNotFound, InputTooLarge


def read_file(path: Path, max_bytes: int) -> bytes:
    """A regular file's bytes, at most `max_bytes` of them, whatever size the file system reports.

    FIFOs, devices, sockets and folders are refused before any read: a FIFO would block, /dev/zero never
    ends, and both report a size of 0. Opening without blocking, then checking what was opened, leaves no
    gap between the check and the read.
    """
    fd = open_regular(path)
    try:
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return read_limited(stream, max_bytes, str(path))
    except OSError as exc:
        raise InputNotFound(f"{path}: cannot read it ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def open_regular(path: Path) -> int:
    """A blocking file descriptor open on `path`, refused (`InputNotFound`) unless it is a regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InputNotFound(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputNotFound(f"{path} is a folder, not a file") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte or a lone surrogate in the name
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        shown = str(path).encode("utf-8", "backslashreplace").decode("utf-8")
        raise InputNotFound(f"{shown!r}: cannot read it ({reason})") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputNotFound(f"{path} is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise InputNotFound(f"{path} is {_file_kind(mode)}, not a regular file")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_limited(stream: object, max_bytes: int, name: str) -> bytes:
    """At most `max_bytes` from a binary stream; one byte more means the input is over the limit."""
    read = getattr(stream, "read")  # noqa: B009 - any binary stream
    parts: list[bytes] = []
    received = 0
    while received <= max_bytes:
        part: bytes = read(min(1 << 20, max_bytes + 1 - received))
        if not part:
            break
        parts.append(part)
        received += len(part)
    if received > max_bytes:
        raise InputTooLarge(f"{name} is over the limit of {max_bytes:,} bytes (see --max-bytes)")
    return b"".join(parts)
