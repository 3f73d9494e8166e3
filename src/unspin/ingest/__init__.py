"""Ingest: any source (text file, HTML file, URL, stdin) to one normalised `Document`.

Bad input is rejected here, at the door, with an `UnspinError` naming the reason.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import stat
import sys
from pathlib import Path

from unspin.analysis import Document, SourceKind
from unspin.errors import EmptyInput, InputNotFound, InputTooLarge
from unspin.ingest import html, language, text, url
from unspin.options import EARLIEST_PUBLISHED, LATEST_PUBLISHED, Options
from unspin.render.safe_text import safe_line

__all__ = ["document_from_bytes", "load", "open_regular", "read_file", "read_limited"]

log = logging.getLogger(__name__)


def load(source: str | Path, options: Options | None = None) -> tuple[Document, list[str]]:
    """Read and normalise `source`; returns the document and any warnings about it."""
    options = options or Options()
    source_str = str(source)
    if isinstance(source, str) and url.is_url(source):
        body, final_url, content_type = url.fetch(
            source, max_bytes=options.max_bytes, timeout=options.timeout, allow_private=options.allow_private
        )
        is_html = content_type is None or "html" in content_type or html.looks_like_html(body)
        return document_from_bytes(body, source_str, "url", options, is_html=is_html, page_url=final_url)
    if source_str == "-":
        data = read_limited(sys.stdin.buffer, options.max_bytes, "standard input")
        return document_from_bytes(data, "-", "stdin", options)
    path = Path(source)
    data = read_file(path, options.max_bytes)
    is_html = path.suffix.lower() in (".html", ".htm", ".xhtml") or html.looks_like_html(data)
    return document_from_bytes(data, str(path), "html" if is_html else "text", options, is_html=is_html)


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


def document_from_bytes(
    data: bytes,
    name: str,
    kind: SourceKind,
    options: Options,
    *,
    is_html: bool | None = None,
    page_url: str | None = None,
) -> tuple[Document, list[str]]:
    decoded, encoding, warnings = text.decode(data, name)
    if is_html is None:
        is_html = html.looks_like_html(data)
    title = author = site = published = None
    doc_url = page_url
    if is_html:
        extracted = html.extract(decoded, name, url=page_url)
        body = extracted.text
        title, author, site, published = extracted.title, extracted.author, extracted.site, extracted.published
        doc_url = extracted.url or page_url
        if kind == "text":
            kind = "html"
    else:
        body = decoded
    body = text.normalise(body)
    if not body:
        raise EmptyInput(f"{name} has no text once blank space is removed")
    if not is_html:
        title, author = _plain_text_heading(body)
    published_source = "metadata" if published else None
    if options.published is not None:
        published, published_source = options.published.isoformat(), "option"
    elif published:
        published = _iso_date(published)
    lang = language.guess_language(body)
    if lang != "en":
        warnings.append(
            f"{name} does not look like English; unspin's models are English-only, so findings may be wrong"
        )
    document = Document(
        text=body,
        title=_clean(title),
        url=doc_url,
        site=_clean(site),
        author=_clean(author),
        published=published,
        published_source=published_source if published else None,
        language=lang,
        source=name,
        source_kind=kind,
        encoding=encoding,
    )
    return document, warnings


_BYLINE = re.compile(r"^(?:by|written by)\s+([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})\s*$", re.IGNORECASE)


def _plain_text_heading(body: str) -> tuple[str | None, str | None]:
    """A plain-text article often opens with its headline and a byline; take them as metadata.

    The text itself is left whole, so offsets are unaffected.
    """
    paragraphs = body.split("\n\n", 3)
    if len(paragraphs) < 2:
        return None, None
    first = paragraphs[0].strip()
    title = None
    if "\n" not in first and len(first.split()) <= 25 and not first.endswith((".", "?", "!", ":", ";", ",", '"', "”")):
        title = first
    author = None
    for paragraph in paragraphs[1:3] if title else paragraphs[:2]:
        match = _BYLINE.match(paragraph.strip())
        if match:
            author = match.group(1)
            break
    return title, author


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(safe_line(value).split())
    return value or None


def _iso_date(value: str) -> str | None:
    try:
        date = dt.date.fromisoformat(value[:10])
    except ValueError:
        log.info("ignoring unparseable publication date %r", value)
        return None
    if not EARLIEST_PUBLISHED <= date <= LATEST_PUBLISHED:
        log.info("ignoring implausible publication date %r", value)
        return None
    return date.isoformat()
