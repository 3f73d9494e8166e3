"""Direct quotes found from the quotation marks alone: no parse needed, linear in the text.

A quote's `start`/`end` cover the quoted words *without* the quotation marks; `mark_start`/`mark_end`
cover the marks too (`mark_end` is `end` when the closing mark is missing).

Rules, in the order a reader applies them:
- A paragraph is a run of text between line breaks; no quote crosses one.
- Double quotes (straight `"` or curly “ ” and « ») are the main quotes; single quotes (‘ ’ or ') inside
  them are nested quotes and stay part of the outer quote. Single quotes outside any double quote are
  quotes too (British style), and double quotes inside them are nested.
- An apostrophe is not a quote mark: `don’t`, `soldiers’`, `’90s`, `rock ’n’ roll` are skipped, because a
  closing single mark must not be followed by a letter and an opening one must not follow a letter.
- A quote that is still open at a paragraph's end continues when the next paragraph opens with a quote
  mark (the newspaper convention for a quotation over several paragraphs): each paragraph is one part,
  all parts share a `group`.
- A quote left open otherwise is capped at the paragraph end and marked `closed=False`; it never runs on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_OPEN = "“«„‟"
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘‹‚"
SINGLE_CLOSE = "’›"
QUOTE_MARKS = '"' + "'" + DOUBLE_OPEN + DOUBLE_CLOSE + SINGLE_OPEN + SINGLE_CLOSE
OPENING_MARKS = '"' + "'" + DOUBLE_OPEN + SINGLE_OPEN

_PARAGRAPH = re.compile(r"[^\n]+")
MAX_CONTINUED_LINES = 6  # how far an open quote may look ahead for its continuation
_DOUBLE_MARK = re.compile(r'["“”«»„‟]')
_SINGLE_MARK = re.compile(r"['‘’‹›‚]")
# Elisions that open with an apostrophe: ’90s, ’em, ’til, ’cause, ’tis, ’twas, ’n’.
_ELISION = re.compile(r"(?:\d\d?s?\b|em\b|til\b|cause\b|tis\b|twas\b|n\b|bout\b|round\b)", re.IGNORECASE)


@dataclass
class RawQuote:
    start: int
    end: int
    mark_start: int
    mark_end: int
    paragraph: int
    closed: bool = True
    group: int | None = None
    continues: bool = False  # open at the paragraph end, continued in the next paragraph


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the non-empty lines of `text`, stripped of surrounding whitespace."""
    spans = []
    for match in _PARAGRAPH.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _has_word(text: str, start: int, end: int) -> bool:
    return any(ch.isalnum() for ch in text[start:end])


def _double_spans(
    text: str, p_start: int, p_end: int, start_open: bool = False
) -> tuple[list[tuple[int, int, bool]], int | None]:
    """Pairs of double marks in one paragraph: (open mark, close mark, closed); and the still-open mark.
    `start_open`: a quote from the line before is still open (its opening 'mark' is then `p_start - 1`)."""
    spans: list[tuple[int, int, bool]] = []
    open_at: int | None = p_start - 1 if start_open else None
    for match in _DOUBLE_MARK.finditer(text, p_start, p_end):
        i = match.start()
        ch = text[i]
        before = text[i - 1] if i > p_start else " "
        after = text[i + 1] if i + 1 < p_end else " "
        if open_at is None:
            # A straight or misused closing mark opens only when it does not end a word.
            if ch in DOUBLE_OPEN or (not after.isspace() and (ch == '"' or not before.isalnum())):
                open_at = i
        elif ch in DOUBLE_OPEN and text[open_at] in DOUBLE_OPEN:
            # A second curly opener before any closer: the first quote was never closed.
            spans.append((open_at, i, False))
            open_at = i
        else:
            spans.append((open_at, i, True))
            open_at = None
    return spans, open_at


def _single_spans(text: str, p_start: int, p_end: int) -> tuple[list[tuple[int, int]], int | None]:
    """Pairs of single marks in one paragraph, skipping apostrophes; and the opener still open at the end."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for match in _SINGLE_MARK.finditer(text, p_start, p_end):
        i = match.start()
        ch = text[i]
        before = text[i - 1] if i > p_start else " "
        after = text[i + 1] if i + 1 < p_end else " "
        can_close = ch in "'’›" and not before.isspace() and i > p_start and not after.isalnum()
        opener_shape = not before.isalnum() and (after.isalnum() or after in '"“…(')
        can_open = (
            opener_shape
            and (ch in "'‘‹‚" or (ch == "’" and before in "([ —–-"))
            and not _ELISION.match(text, i + 1, p_end)
        )
        if open_at is not None and can_close:
            spans.append((open_at, i))
            open_at = None
        elif can_open:
            open_at = i
    return spans, open_at


def _continuation(text: str, paras: list[tuple[int, int]], index: int) -> tuple[str, int] | None:
    """How a double quote left open at the end of line `index` goes on, if it does.

    ("opening", j): line j opens with a quote mark, the convention for a quotation over paragraphs;
    ("closing", j): line j closes it, for texts with a line per sentence. The lines between must carry no
    double quote mark and, for a closing line, no blank line may come between.
    """
    for j in range(index + 1, min(len(paras), index + MAX_CONTINUED_LINES + 1)):
        start, end = paras[j]
        if text[start] in DOUBLE_OPEN or text[start] == '"':
            return "opening", j
        if text.count("\n", paras[j - 1][1], start) > 1:
            return None
        mark = _DOUBLE_MARK.search(text, start, end)
        if mark is None:
            continue
        i = mark.start()
        if text[i] in DOUBLE_CLOSE + '"' and not text[i - 1].isspace():
            return "closing", j
        return None
    return None


def find_quotes(text: str) -> list[RawQuote]:
    """All direct quotes of `text`, in order; a quote over several lines comes as one part per line, the
    parts sharing a `group`."""
    paras = paragraphs(text)
    quotes: list[RawQuote] = []
    next_group = 0
    plan: dict[int, tuple[str, int]] = {}  # line -> (role in a quote begun above: middle|closing|opening, group)
    for index, (p_start, p_end) in enumerate(paras):
        role = plan.pop(index, None)
        if role is not None and role[0] == "middle":
            quotes.append(RawQuote(p_start, p_end, p_start, p_end, index, group=role[1], continues=True))
            continue
        closing = role is not None and role[0] == "closing"
        doubles, open_at = _double_spans(text, p_start, p_end, start_open=closing)
        singles, single_open = _single_spans(text, p_start, p_end)
        outer = [(a, b) for a, b, _ in doubles] + ([(open_at, p_end)] if open_at is not None else [])
        # Single quotes inside a double quote are nested; ones crossing a double quote are apostrophes.
        kept_singles = [
            (a, b) for a, b in singles if not any(oa < b and a < ob and not a < oa < ob <= b for oa, ob in outer)
        ]
        # Double quotes nested in a kept single quote belong to it.
        found: list[RawQuote] = []
        for a, b, closed in doubles:
            if any(sa < b and a < sb for sa, sb in kept_singles):
                continue
            start, end = _trim(text, a + 1, b)
            found.append(RawQuote(start, end, max(a, p_start), b + 1 if closed else b, index, closed=closed))
        for a, b in kept_singles:
            start, end = _trim(text, a + 1, b)
            found.append(RawQuote(start, end, a, b + 1, index))
        if open_at is not None and not any(sa < open_at < sb for sa, sb in kept_singles):
            start, end = _trim(text, open_at + 1, p_end)
            quote = RawQuote(start, end, max(open_at, p_start), end, index, closed=False)
            going_on = _continuation(text, paras, index) if _has_word(text, start, end) else None
            if going_on is not None:
                quote.closed = quote.continues = True
                quote.group = role[1] if role is not None and open_at <= p_start else next_group
                next_group += quote.group == next_group
                kind, j = going_on
                for middle in range(index + 1, j):
                    plan[middle] = ("middle", quote.group)
                plan[j] = (kind, quote.group)
            found.append(quote)
        if open_at is None and single_open is not None and not any(a < single_open for a, _, _ in doubles):
            # British style over paragraphs: 'We heard a roar … / 'My neighbour shouted …'
            nxt = paras[index + 1] if index + 1 < len(paras) else None
            opens_next = nxt is not None and text[nxt[0]] in "'‘" and nxt[0] + 1 < nxt[1]
            if nxt is not None and opens_next and (text[nxt[0] + 1].isalnum() or text[nxt[0] + 1] in '"“'):
                kept_open = not any(sa <= single_open < sb for sa, sb in kept_singles)
                if kept_open and not any(oa < single_open < ob for oa, ob in outer):
                    start, end = _trim(text, single_open + 1, p_end)
                    group = role[1] if role is not None and single_open == p_start else next_group
                    next_group += group == next_group
                    found.append(RawQuote(start, end, single_open, end, index, group=group, continues=True))
                    plan[index + 1] = ("opening", group)
        found.sort(key=lambda q: q.mark_start)
        for quote in found:
            if role is not None and quote.mark_start == p_start and quote.group is None:
                quote.group = role[1]  # the part that opens (or closes) this line
            if _has_word(text, quote.start, quote.end):
                quotes.append(quote)
    return quotes
