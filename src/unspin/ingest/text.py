"""Bytes to text: decoding, refusing binary data, and the one normalisation before offsets exist."""

from __future__ import annotations

import logging
import re
import unicodedata

from unspin.errors import BinaryInput, EmptyInput

log = logging.getLogger(__name__)

# C0 controls but tab/newline/CR, DEL and C1 controls: never article text, and a terminal obeys them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_COMMON_ENCODINGS = ("cp1252", "latin_1", "iso8859_15", "cp1250", "cp1251", "iso8859_2")
_RARE_ENCODINGS = frozenset(
    {"cp037", "cp500", "cp1026", "cp273", "cp437", "cp850", "cp858", "hp_roman8", "kz1048", "ptcp154"}
)


def decode(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Decode `data`; returns (text, encoding, warnings). UTF-8 (with or without BOM) is silent."""
    if not data.strip():
        raise EmptyInput(f"{name} is empty")
    if looks_binary(data):
        raise BinaryInput(f"{name} looks like a binary file, not text or HTML")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig", []
    for bom, codec in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codec, [f"{name} is UTF-16; decoded it"]
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise BinaryInput(f"{name} is neither UTF-8 nor any text encoding unspin can detect")
    best = matches[0]
    # On short texts the detector's first pick is often an exotic code page; the common Windows/ISO Latin
    # encodings are far likelier for news text when they also fit.
    if best.encoding.startswith("mac_") or best.encoding in _RARE_ENCODINGS:
        by_encoding = {m.encoding: m for m in matches}
        best = next((by_encoding[e] for e in _COMMON_ENCODINGS if e in by_encoding), best)
    encoding = best.encoding
    warning = f"{name} is not UTF-8; decoded it as {encoding} (detected, may be wrong)"
    log.info(warning)
    return str(best), encoding, [warning]


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KB mean a binary file (UTF-16 aside)."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > max(8, len(head) // 100)


def normalise(text: str) -> str:
    """The single normalisation: NFC, Unix newlines, no control characters or trailing spaces.

    Every offset after ingest indexes the result, so this runs exactly once per document.
    """
    text = unicodedata.normalize("NFC", text.replace("\ufeff", ""))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", text)
    text = _TRAILING_SPACE.sub("\n", text)
    text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip()
