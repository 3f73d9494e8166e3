"""Content-Encoding decoding that never inflates past a byte limit.

httpx decodes each network chunk in one call, so a few kilobytes of nested gzip can expand to gigabytes
before any size check runs. Here every layer inflates at most `PIECE` bytes per step and counts as it goes:
no layer ever holds more than the limit plus one piece.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

from unspin.errors import FetchFailed, InputTooLarge

# Inflate in pieces of this size, so a layer's output is checked against the limit at least this often.
PIECE = 64 * 1024
# More layers than this is no real server's doing (`gzip, gzip` is already odd).
MAX_LAYERS = 3


class BoundedInflater:
    """One gzip or deflate layer, yielding its output in pieces and refusing output past `limit` bytes."""

    def __init__(self, encoding: str, limit: int, name: str) -> None:
        self.encoding = encoding
        self.limit = limit
        self.name = name
        self.produced = 0
        # deflate is meant to be zlib-wrapped, but some servers send raw deflate; the first bytes tell.
        self._decoder: zlib._Decompress | None = (
            zlib.decompressobj(zlib.MAX_WBITS | 16) if encoding in ("gzip", "x-gzip") else None
        )

    def _start_deflate(self, data: bytes) -> zlib._Decompress:
        wrapped = len(data) >= 2 and (data[0] & 0x0F) == 8 and ((data[0] << 8) | data[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._decoder is None:
            if not data:
                return
            self._decoder = self._start_deflate(data)
        decoder = self._decoder
        pending = data
        while not decoder.eof:
            try:
                piece = decoder.decompress(pending, PIECE)
            except zlib.error as exc:
                raise FetchFailed(f"{self.name}: corrupt {self.encoding} content ({exc})") from None
            pending = decoder.unconsumed_tail
            if piece:
                yield self._count(piece)
            # A full piece may leave output waiting inside zlib even when all input is taken: ask again.
            if not pending and len(piece) < PIECE:
                return

    def finish(self) -> Iterator[bytes]:
        if self._decoder is None:
            return
        try:
            while True:
                piece = self._decoder.flush(PIECE) if not self._decoder.eof else b""
                if not piece:
                    return
                yield self._count(piece)
        except zlib.error as exc:
            raise FetchFailed(f"{self.name}: corrupt {self.encoding} content ({exc})") from None

    def _count(self, piece: bytes) -> bytes:
        self.produced += len(piece)
        if self.produced > self.limit:
            raise InputTooLarge(
                f"{self.name} inflates to more than the limit of {self.limit:,} bytes ({self.encoding} layer)"
            )
        return piece


def content_layers(header: str | None, name: str) -> list[str]:
    """The encodings applied, in the order they must be undone (last applied first)."""
    if not header:
        return []
    layers = [part.strip().lower() for part in header.split(",") if part.strip()]
    layers = [layer for layer in layers if layer != "identity"]
    unknown = [layer for layer in layers if layer not in ("gzip", "x-gzip", "deflate")]
    if unknown:
        raise FetchFailed(f"{name}: unsupported content encoding {', '.join(unknown)!r}")
    if len(layers) > MAX_LAYERS:
        raise FetchFailed(f"{name}: {len(layers)} nested content encodings; refusing (a decompression bomb?)")
    return list(reversed(layers))


def decode_stream(chunks: Iterable[bytes], layers: list[str], limit: int, name: str) -> Iterator[bytes]:
    """Undo `layers` over raw `chunks` as they arrive; every layer is capped at `limit` bytes of output."""
    inflaters = [BoundedInflater(layer, limit, name) for layer in layers]

    def push(data: bytes, depth: int) -> Iterator[bytes]:
        if depth == len(inflaters):
            yield data
            return
        for piece in inflaters[depth].feed(data):
            yield from push(piece, depth + 1)

    def drain(depth: int) -> Iterator[bytes]:
        if depth == len(inflaters):
            return
        for piece in inflaters[depth].finish():
            yield from push(piece, depth + 1)
        yield from drain(depth + 1)

    for chunk in chunks:
        yield from push(chunk, 0)
    yield from drain(0)
