"""Text from an article, page, URL or records file, made safe to print on a terminal.

A terminal obeys control characters: ESC (C0) and CSI/OSC (C1, U+0080-U+009F) sequences recolour,
clear the screen, retitle the window or write hyperlinks. Untrusted strings lose every control character
here before a terminal renderer sees them; newline (and tab, where a layout keeps it) are the only ones kept.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, and C1 controls.
_CONTROLS_BUT_LAYOUT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROLS_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_ALL_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


# Whole escape sequences go, so their parameters ("[31m", a window title) do not linger as text:
# CSI (ESC [ or 8-bit CSI) with its parameters, and OSC/DCS/SOS/PM/APC strings up to their terminator.
_CSI = re.compile(r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]")
_CONTROL_STRING = re.compile(r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]{0,4096}(?:\x07|\x1b\\|\x9c)")


def safe_text(value: object, *, newlines: bool = True, tabs: bool = False) -> str:
    """`value` as a string without escape sequences or control characters (carriage return included)."""
    text = value if isinstance(value, str) else str(value)
    if "\x1b" in text or any("\x80" <= char <= "\x9f" for char in text):
        text = _CONTROL_STRING.sub("", _CSI.sub("", text))
    if any("\ud800" <= char <= "\udfff" for char in text):  # lone surrogates cannot even be written out
        text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if newlines and tabs:
        return _CONTROLS_BUT_LAYOUT.sub("", text)
    if newlines:
        return _CONTROLS_BUT_NEWLINE.sub("", text.replace("\t", " "))
    return _ALL_CONTROLS.sub("", text.replace("\n", " ").replace("\t", " "))


def safe_line(value: object) -> str:
    """One line for a table cell or a message: every control character gone, newlines and tabs as spaces."""
    return safe_text(value, newlines=False)


def has_controls(text: str, *, allowed: str = "\n") -> bool:
    """True if `text` holds a control character other than those `allowed`."""
    return any(char not in allowed for char in _ALL_CONTROLS.findall(text))
