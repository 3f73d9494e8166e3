"""No control character from an article, page, URL or records file reaches a terminal."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from unspin.analysis import Analysis, RecordMatch
from unspin.render import render
from unspin.text.control import has_controls, safe_line, safe_text

# What a hostile page or CSV can carry: recolouring, clear screen, window title (OSC), 8-bit CSI and OSC,
# bell, backspace and carriage return that overwrite what was printed.
ESCAPES = [
    "\x1b[31mRED\x1b[0m",
    "\x1b[2J\x1b[H CLEARED",
    "\x1b]0;owned title\x07TITLE",
    "\x9b31mCSI8",
    "\x9d0;owned\x9cOSC8",
    "BELL\x07\x08\x08\rOVERWRITE",
    "\x1bP+q\x1b\\DCS",
]
SGR = re.compile(r"\x1b\[[0-9;]*m")


@pytest.mark.parametrize("payload", ESCAPES)
def test_safe_text_strips_c0_and_c1_but_keeps_the_words(payload: str) -> None:
    cleaned = safe_line(payload)
    assert not has_controls(cleaned, allowed="")
    word = re.findall(r"[A-Z0-9]{3,}", payload)[-1]
    assert cleaned.endswith(word)
    assert "[" not in cleaned and "owned" not in cleaned  # whole sequences go, not just their ESC


def test_safe_text_keeps_newlines_and_tabs_only_when_asked() -> None:
    assert safe_text("Line one\n\tLine\x85two\x1b") == "Line one\n Linetwo"
    assert safe_line("Shares fell [3%] on Monday") == "Shares fell [3%] on Monday"  # brackets alone are text
    assert safe_text("a\tb", tabs=True) == "a\tb"
    assert safe_line("Line one\nLine two\r\n") == "Line one Line two "
    assert safe_line("Café – “quoted” ½") == "Café – “quoted” ½"  # printable non-ASCII is left alone


@pytest.mark.parametrize("payload", ESCAPES)
def test_terminal_report_without_colour_has_no_control_characters(
    make_hostile: Callable[[str], Analysis], payload: str
) -> None:
    report = render(make_hostile(payload), "text", width=200)
    assert not has_controls(report), repr(payload)
    for word in ("RED", "TITLE", "CSI8", "OSC8", "OVERWRITE"):
        if word in payload:
            assert word in report  # the words stay, only the control characters go


@pytest.mark.parametrize("payload", ESCAPES)
def test_terminal_report_in_colour_has_only_its_own_colour_codes(
    make_hostile: Callable[[str], Analysis], payload: str
) -> None:
    report = render(make_hostile(payload), "text", color=True, width=200)
    without_colours = SGR.sub("", report)
    assert not has_controls(without_colours), repr(payload)


@pytest.mark.parametrize(
    "field",
    [
        "title",
        "author",
        "site",
        "url",
        "source",
        "warning",
        "technique",
        "claim",
        "quantity",
        "speaker",
        "verb",
        "quote",
        "source_name",
        "event_actor",
        "event_target",
        "event_place",
        "event_date",
        "record_id",
        "discrepancy",
    ],
)
def test_each_field_is_cleaned(make_sample: Callable[..., Analysis], field: str) -> None:
    analysis = make_sample()
    payload = f"\x1b]0;{field}\x07\x9b2J{field.upper()}"
    doc = analysis.document
    first_event = analysis.events[0] if analysis.events else None
    if field in ("title", "author", "site", "url", "source"):
        analysis.document = doc.model_copy(update={field: payload, "url": payload if field == "url" else None})
    elif field == "warning":
        analysis.warnings = [payload]
    elif field == "technique":
        analysis.techniques[0] = analysis.techniques[0].model_copy(update={"technique": payload})
    elif field == "claim":
        analysis.claims[0] = analysis.claims[0].model_copy(update={"text": payload})
    elif field == "quantity":
        claim = analysis.claims[0]
        quantity = claim.quantities[0].model_copy(update={"text": payload, "unit": payload})
        analysis.claims[0] = claim.model_copy(update={"quantities": [quantity]})
    elif field in ("speaker", "verb", "quote"):
        key = "text" if field == "quote" else field
        analysis.quotes[0] = analysis.quotes[0].model_copy(update={key: payload})
    elif field == "source_name":
        analysis.sources[0] = analysis.sources[0].model_copy(update={"name": payload})
    else:
        assert first_event is not None
        if field.startswith("event_"):
            event = first_event.model_copy(update={field.removeprefix("event_"): payload})
        else:
            match = RecordMatch(
                id=payload if field == "record_id" else "900001",
                score=0.7,
                discrepancies=[payload if field == "discrepancy" else "Deaths differ."],
            )
            event = first_event.model_copy(update={"matches": [match]})
        analysis.events[0] = event
    for color in (False, True):
        report = SGR.sub("", render(analysis, "text", color=color, width=250))
        assert not has_controls(report), (field, color)
    assert field.upper() in render(analysis, "text", width=250)
