"""Corpus readers: many articles from folders, globs, JSON Lines, CSV and WARC files, one at a time.

Reading is split in two so that a process pool can spread the costly half:
- `iter_items(sources, options)` walks the sources in the parent, streaming: it yields one `RawItem` (the raw
  bytes of one article and the metadata its container gave) or one `Failure` per article. It never holds more
  than one record, and no record larger than `options.max_bytes`.
- `RawItem.ingest(options)` decodes, extracts and normalises it into an `Ingested`, in whichever process runs it.
`read_corpus` chains both for callers that want `(source id, Ingested)` directly.

Every item is named by a stable source id: the file's path, or the container's path with `#` and the record's
place in it (`news.jsonl#line12`, `news.csv#row3`, `crawl.warc.gz#offset8812`), so that a run can be resumed
and a failure traced back.
"""

from __future__ import annotations

import csv
import glob
import gzip
import io
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, cast

from unspin.analysis import SourceKind
from unspin.errors import InputNotFound, InputTooLarge, UnspinError
from unspin.ingest import Ingested, document_from_bytes, html
from unspin.options import Options
from unspin.reading import read_file, read_limited

__all__ = [
    "ARTICLE_SUFFIXES",
    "CONTAINER_SUFFIXES",
    "Failure",
    "RawItem",
    "expand_sources",
    "iter_items",
    "read_corpus",
]

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
ARTICLE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + tuple(s + ".gz" for s in TEXT_SUFFIXES + HTML_SUFFIXES)
CONTAINER_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".warc", ".warc.gz")
# The metadata fields a JSON Lines or CSV record may carry besides its text or HTML.
METADATA_FIELDS = ("url", "title", "site", "author", "published")


@dataclass(frozen=True)
class RawItem:
    """One article as its container holds it: bytes not yet decoded, and the metadata the container gave."""

    source: str
    data: bytes
    is_html: bool | None
    kind: SourceKind = "text"
    metadata: Mapping[str, str] = field(default_factory=dict)

    def ingest(self, options: Options) -> Ingested:
        """Decode and normalise; metadata from the container wins over what the page says of itself."""
        ingested = document_from_bytes(
            self.data, self.source, self.kind, options, is_html=self.is_html, page_url=self.metadata.get("url")
        )
        update: dict[str, object] = {}
        for name in ("url", "title", "site"):
            if self.metadata.get(name):
                update[name] = self.metadata[name]
        if self.metadata.get("author"):
            update["author"] = self.metadata["author"]
            update["authors"] = [a.strip() for a in self.metadata["author"].split(",") if a.strip()]
        published = self.metadata.get("published")
        if published and options.published is None:
            day = _iso_day(published)
            if day is None:
                ingested.warnings.append(f"{self.source}: ignored publication date {published[:40]!r} (not a date)")
            else:
                update["published"] = day
                update["published_source"] = "metadata"
        if update:
            ingested.document = ingested.document.model_copy(update=update)
        return ingested


@dataclass(frozen=True)
class Failure:
    """An article that could not be read, and why (one line a person can act on)."""

    source: str
    reason: str


def read_corpus(
    sources: Iterable[str | Path], options: Options | None = None
) -> Iterator[tuple[str, Ingested] | Failure]:
    """Every article of `sources` as `(source id, Ingested)`, or a `Failure` naming why it could not be read."""
    options = options or Options()
    for item in iter_items(sources, options):
        if isinstance(item, Failure):
            yield item
            continue
        try:
            yield item.source, item.ingest(options)
        except UnspinError as exc:
            yield Failure(item.source, str(exc))


def expand_sources(sources: Iterable[str | Path]) -> Iterator[Path]:
    """The files `sources` name: files as given, folders walked (sorted, articles and containers only), glob
    patterns expanded. A source that names nothing raises `InputNotFound` before any work is done."""
    for source in sources:
        text = str(source)
        path = Path(text)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _known_suffix(p))
            yield from found
        elif path.exists():
            yield path
        elif glob.has_magic(text):
            matches = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
            if not matches:
                raise InputNotFound(f"{text}: the pattern matches no file")
            yield from matches
        else:
            raise InputNotFound(f"{text}: no such file or folder")


def iter_items(sources: Iterable[str | Path], options: Options | None = None) -> Iterator[RawItem | Failure]:
    """Stream the articles of `sources` (see `expand_sources`), one `RawItem` or `Failure` at a time."""
    options = options or Options()
    paths = list(expand_sources(sources))  # fail on a missing source now, before the first article is read
    return _items_of(paths, options)


def _items_of(paths: list[Path], options: Options) -> Iterator[RawItem | Failure]:
    for path in paths:
        name = path.name.lower()
        try:
            if name.endswith((".jsonl", ".ndjson")):
                yield from _jsonl(path, options.max_bytes)
            elif name.endswith(".csv"):
                yield from _csv(path, options.max_bytes)
            elif name.endswith((".warc", ".warc.gz")):
                yield from _warc(path, options.max_bytes)
            else:
                yield _article_file(path, options.max_bytes)
        except UnspinError as exc:
            yield Failure(str(path), str(exc))
        except OSError as exc:
            yield Failure(str(path), f"cannot read it ({exc.strerror or exc})")


def _known_suffix(path: Path) -> bool:
    return path.name.lower().endswith(ARTICLE_SUFFIXES + CONTAINER_SUFFIXES)


def _article_file(path: Path, max_bytes: int) -> RawItem | Failure:
    name = path.name.lower()
    try:
        if name.endswith(".gz"):
            with gzip.open(path, "rb") as stream:
                data = read_limited(stream, max_bytes, str(path))
            name = name[: -len(".gz")]
        else:
            data = read_file(path, max_bytes)
    except UnspinError as exc:
        return Failure(str(path), str(exc))
    except (OSError, EOFError) as exc:  # a gzip file that is cut short or not gzip at all
        return Failure(str(path), f"cannot decompress it ({exc})")
    is_html = name.endswith(HTML_SUFFIXES) or html.looks_like_html(data)
    return RawItem(str(path), data, is_html, "html" if is_html else "text")


def _record(source: str, record: Mapping[str, object], max_bytes: int) -> RawItem | Failure:
    """A JSON Lines or CSV record: `text` or `html`, and any of the metadata fields."""
    body = record.get("html")
    is_html = True
    if not isinstance(body, str) or not body.strip():
        body, is_html = record.get("text"), False
    if not isinstance(body, str) or not body.strip():
        return Failure(source, "the record has no 'text' or 'html' (or they are empty)")
    data = body.encode("utf-8", errors="replace")
    if len(data) > max_bytes:
        return Failure(source, f"the record's text is over the limit of {max_bytes:,} bytes (see --max-bytes)")
    metadata = {k: str(record[k]).strip() for k in METADATA_FIELDS if record.get(k) not in (None, "")}
    return RawItem(source, data, is_html, "html" if is_html else "text", metadata)


def _record_id(path: Path, record: Mapping[str, object], place: str) -> str:
    given = record.get("id")
    return f"{path}#{given}" if isinstance(given, (str, int)) and str(given).strip() else f"{path}#{place}"


def _jsonl(path: Path, max_bytes: int) -> Iterator[RawItem | Failure]:
    with _open_maybe_gzip(path) as stream:
        number = 0
        while True:
            number += 1
            line = stream.readline(max_bytes + 1)
            if not line:
                return
            place = f"line{number}"
            if len(line) > max_bytes and not line.endswith(b"\n"):
                _skip_rest_of_line(stream)
                yield Failure(f"{path}#{place}", f"the line is over the limit of {max_bytes:,} bytes (see --max-bytes)")
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield Failure(f"{path}#{place}", f"not a JSON object ({exc})")
                continue
            if not isinstance(record, dict):
                yield Failure(f"{path}#{place}", f"not a JSON object but a {type(record).__name__}")
                continue
            yield _record(_record_id(path, record, place), record, max_bytes)


def _skip_rest_of_line(stream: IO[bytes]) -> None:
    while True:
        piece = stream.readline(1 << 20)
        if not piece or piece.endswith(b"\n"):
            return


def _csv(path: Path, max_bytes: int) -> Iterator[RawItem | Failure]:
    # The field limit bounds one record's size; csv keeps it per process, so set it for this read only.
    previous = csv.field_size_limit(max_bytes)
    try:
        with _open_maybe_gzip(path) as binary:
            stream = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="replace", newline="")
            reader = csv.DictReader(stream)
            if reader.fieldnames is None or not {"text", "html"} & {f.strip() for f in reader.fieldnames}:
                raise InputNotFound(f"{path}: a corpus CSV needs a 'text' or 'html' column (header row)")
            number = 0
            while True:
                number += 1
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield Failure(f"{path}#row{number}", f"unreadable CSV row ({exc})")
                    continue
                clean = {(k or "").strip(): v for k, v in row.items() if isinstance(v, str)}
                yield _record(_record_id(path, clean, f"row{number}"), clean, max_bytes)
    finally:
        csv.field_size_limit(previous)


def _open_maybe_gzip(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return cast("IO[bytes]", gzip.open(path, "rb"))
    return open(path, "rb")


def _warc(path: Path, max_bytes: int) -> Iterator[RawItem | Failure]:
    """Response records whose payload is HTML (or plain text); other records (requests, metadata, images) are
    passed over silently: a crawl holds many of them and none is an article."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with open(path, "rb") as stream:
        records = ArchiveIterator(stream)
        try:
            for record in records:
                if record.rec_type not in ("response", "resource"):
                    continue
                content_type = ""
                if record.http_headers is not None:
                    content_type = record.http_headers.get_header("Content-Type") or ""
                    status = record.http_headers.get_statuscode()
                    if status and not status.startswith("2"):
                        continue
                else:
                    content_type = record.rec_headers.get_header("Content-Type") or ""
                if content_type and not ("html" in content_type or content_type.startswith("text/plain")):
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                try:
                    data: bytes | None = read_limited(record.content_stream(), max_bytes, url or "a record")
                    problem = ""
                except InputTooLarge as exc:
                    data, problem = None, str(exc)
                # The offset is known once the record is read (warcio reads to its end to tell it).
                source = f"{path}#offset{records.get_record_offset()}"
                if data is None:
                    yield Failure(source, problem)
                    continue
                is_html = "html" in content_type or html.looks_like_html(data)
                yield RawItem(source, data, is_html, "html" if is_html else "text", {"url": url} if url else {})
        except ArchiveLoadFailed as exc:
            yield Failure(str(path), f"not a readable WARC file ({exc})")


def _iso_day(value: str) -> str | None:
    import datetime as dt

    from unspin.options import EARLIEST_PUBLISHED, LATEST_PUBLISHED

    try:
        day = dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
    return day.isoformat() if EARLIEST_PUBLISHED <= day <= LATEST_PUBLISHED else None
