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
# Western code pages (cp1252, Latin-1) were tried first and found implausible; these are the next likeliest.
_COMMON_ENCODINGS = ("cp1250", "cp1251", "iso8859_2")
_RARE_ENCODINGS = frozenset(
    {"cp037", "cp500", "cp1026", "cp273", "cp437", "cp850", "cp858", "hp_roman8", "kz1048", "ptcp154"}
)


def decode(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Decode `data`; returns (text, encoding, warnings). UTF-8 (with or without BOM) is silent."""
    if not data.strip():
        raise EmptyInput(f"{name} is empty")
    if is_pdf(data):
        raise BinaryInput(f"{name} is a PDF document; unspin reads text and HTML (extract its text first)")
    utf16 = utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace"), utf16, [f"{name} is UTF-16 without a byte-order mark; decoded it"]
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
    western = western_encoding(data)
    if western:
        warning = f"{name} is not UTF-8; decoded it as {western} (detected, may be wrong)"
        log.info(warning)
        return data.decode(western), western, [warning]
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise BinaryInput(f"{name} is neither UTF-8 nor any text encoding unspin can detect")
    # A symbol inside a word ("Rz¹d", "og³osi³") is the mark of a wrong code page: take the first candidate
    # without one.
    best = next((m for m in matches if not _symbols_inside_words(str(m))), matches[0])
    # On short texts the detector's first pick is often an exotic code page; the common Windows/ISO Latin
    # encodings are far likelier for news text when they also fit.
    if best.encoding.startswith("mac_") or best.encoding in _RARE_ENCODINGS:
        by_encoding = {m.encoding: m for m in matches}
        best = next((by_encoding[e] for e in _COMMON_ENCODINGS if e in by_encoding), best)
    encoding = best.encoding
    warning = f"{name} is not UTF-8; decoded it as {encoding} (detected, may be wrong)"
    log.info(warning)
    return str(best), encoding, [warning]


def is_pdf(data: bytes) -> bool:
    """PDF files start with `%PDF-` (readers accept it anywhere in the first kilobyte)."""
    return b"%PDF-" in data[:1024]


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when `data` reads as UTF-16 text that lacks a byte-order mark.

    Text in Latin scripts written as UTF-16 has a zero byte in every other position (the high byte); binary
    data has zeros scattered. Both halves must fit, and the decoded text must be printable.
    """
    head = data[:8192]
    if len(head) < 8:
        return None
    head = head[: len(head) // 2 * 2]
    even_zeros = head[0::2].count(0) / (len(head) / 2)
    odd_zeros = head[1::2].count(0) / (len(head) / 2)
    if odd_zeros >= 0.4 and even_zeros <= 0.05:
        codec = "utf-16-le"
    elif even_zeros >= 0.4 and odd_zeros <= 0.05:
        codec = "utf-16-be"
    else:
        return None
    try:
        sample = head.decode(codec)
    except UnicodeDecodeError:
        return None
    printable = sum(1 for char in sample if char.isprintable() or char in "\n\r\t")
    return codec if printable >= 0.95 * len(sample) else None


# What a Western European article in Windows-1252 holds besides letters: typographic punctuation and symbols.
_WESTERN_PUNCTUATION = frozenset("‘’‚“”„–—…•·«»‹›¡¿\u00a0\u00ad")
# Symbols stand next to words, never inside one: "Rz¹d" is Polish "Rząd" read with the wrong code page.
_WESTERN_SYMBOLS = frozenset("°±×÷£€¥¢§©®™¶†‡½¼¾¹²³ºª")


def western_encoding(data: bytes) -> str | None:
    """'cp1252' (a superset of Latin-1's printable characters) when the text plausibly is Western European.

    Detectors guess exotic code pages for short texts ("Café" as cp775 "Cafķ"); news text that is not UTF-8 is
    far likelier Windows-1252 or Latin-1. Plausible means: it decodes, and every non-ASCII character is a
    letter or common punctuation, with accented letters a minority of all letters (as in French, Spanish,
    German ...). Cyrillic or Greek bytes read as cp1252 give runs of accented letters and fail this.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = accented = 0
    for index, char in enumerate(text):
        if char.isascii():
            letters += char.isalpha()
            continue
        if char.isalpha():
            letters += 1
            accented += 1
        elif char in _WESTERN_SYMBOLS:
            if 0 < index < len(text) - 1 and text[index - 1].isalpha() and text[index + 1].isalpha():
                return None
        elif char not in _WESTERN_PUNCTUATION:
            return None
    return "cp1252" if letters and accented <= 0.3 * letters else None


def _symbols_inside_words(text: str) -> bool:
    for index in range(1, len(text) - 1):
        char = text[index]
        if char.isascii() or char.isalpha() or char in _WESTERN_PUNCTUATION or unicodedata.category(char) == "Mn":
            continue
        if text[index - 1].isalpha() and text[index + 1].isalpha():
            return True
    return False


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
