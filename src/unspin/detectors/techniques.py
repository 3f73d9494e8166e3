"""Persuasion techniques (PTC / SemEval-2020 Task 11): multi-label character spans.

The model is a multi-label token tagger (one "any technique" channel and one channel per PTC label): a small
convolutional head over the last two layers of all-MiniLM-L6-v2, run with ONNX Runtime on int8 weights: no torch at inference. Articles of any length
are cut into overlapping token windows whose probabilities are averaged where they overlap. Token runs above
per-technique thresholds (chosen by cross-validation, see MODEL_CARD.md) become spans snapped to word
boundaries. Repetition is also an algorithm: every occurrence of a repeated phrase the model flags is
reported, each linked to the others as evidence.

The pure-numpy pieces (tokenising, windows, word features, decoding) are shared with training
(`unspin.training.techniques`) so that training and inference see exactly the same inputs.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import logging
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from unspin.analysis import TechniqueReliability, TechniqueSpan
from unspin.detectors.base import Findings, Parsed
from unspin.errors import ModelMissing
from unspin.models import model_dir
from unspin.taxonomy import LABELS

if TYPE_CHECKING:
    from numpy.typing import NDArray
    from tokenizers import Tokenizer

log = logging.getLogger(__name__)

MODEL_DIR = model_dir("techniques")
CHANNELS: tuple[str, ...] = ("ANY", *LABELS)  # channel 0: "some technique here" (span identification)
WINDOW = 256  # tokens per window, [CLS] and [SEP] included: short windows keep CPU time low
STRIDE = 192  # window starts this many tokens apart; the overlap gives every token some context both sides
N_FEATURES = 3
CLS_ID, SEP_ID, PAD_ID = 101, 102, 0

# Function words never count as repeated content: "the" recurring is not the Repetition technique.
_STOP_TEXT = """a about above after again against all am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here
    hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of
    off on once only or other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours yourself yourselves also said says say
    one two s t d ll m re ve"""
STOPWORDS = frozenset(_STOP_TEXT.split())
# The Repetition algorithm reports a repeated phrase when this many of its occurrences, and this share of them,
# lie in spans the model flags: repeated names and topics in plain reporting are not the technique.
# Settings picked on out-of-fold predictions (MODEL_CARD.md): single words repeat too often in plain reporting.
MIN_SPAN_CHARS = 2  # letters or digits in a span
REPEAT_MIN_FLAGGED = 2
REPEAT_MIN_SHARE = 1.0
REPEAT_MIN_WORDS = 2
_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass
class Encoded:
    """An article as the model sees it: word-piece ids, their character offsets and per-token features."""

    ids: NDArray[np.int64]
    offsets: NDArray[np.int64]  # (n, 2) character [start, end) of every token in the article text
    features: NDArray[np.float32]  # (n, N_FEATURES)


@dataclass
class Decoding:
    """How token probabilities become spans; chosen by cross-validation and shipped as thresholds.json."""

    thresholds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(CHANNELS, 0.5))
    gap: int = 1  # merge runs separated by at most this many tokens
    any_label: bool = True  # spans of the ANY channel are reported with their most likely technique
    repetition_links: bool = True  # add every occurrence of a flagged repeated phrase
    extend: float = 1.0  # hysteresis: a run seeded at the threshold grows over tokens down to extend * threshold
    repeated_phrases: bool = True  # the Repetition algorithm: repeated content phrases inside flagged spans
    identity_guard: bool = True  # a span that is only a neutral group name needs more (see guard_identity_spans)
    merge_overlaps: bool = True  # overlapping or touching spans of one technique are reported as one

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Decoding:
        return cls(
            thresholds={k: float(v) for k, v in data["thresholds"].items()},
            gap=int(data.get("gap", 1)),
            any_label=bool(data.get("any_label", True)),
            repetition_links=bool(data.get("repetition_links", True)),
            extend=float(data.get("extend", 1.0)),
            repeated_phrases=bool(data.get("repeated_phrases", True)),
            identity_guard=bool(data.get("identity_guard", True)),
            merge_overlaps=bool(data.get("merge_overlaps", True)),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "thresholds": self.thresholds,
            "gap": self.gap,
            "any_label": self.any_label,
            "repetition_links": self.repetition_links,
            "extend": self.extend,
            "repeated_phrases": self.repeated_phrases,
            "identity_guard": self.identity_guard,
            "merge_overlaps": self.merge_overlaps,
        }


def load_tokenizer(path: Path) -> Tokenizer:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    # Windows are cut by us over the whole article; the tokenizer must neither truncate nor pad nor add [CLS].
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def word_spans(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group().lower().replace("’", "'")) for m in _WORD.finditer(text)]


@dataclass
class Words:
    """The words of a text as arrays: word ids (into `vocab`), character starts and ends. Held as numpy arrays,
    not a tuple per word, so that a long text costs a few bytes a word."""

    ids: NDArray[np.int64]
    starts: NDArray[np.int64]
    ends: NDArray[np.int64]
    vocab: list[str]

    @classmethod
    def of(cls, text: str) -> Words:
        index: dict[str, int] = {}
        ids: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        for m in _WORD.finditer(text):
            ids.append(index.setdefault(m.group().lower().replace("’", "'"), len(index)))
            starts.append(m.start())
            ends.append(m.end())
        return cls(
            ids=np.array(ids, dtype=np.int64),
            starts=np.array(starts, dtype=np.int64),
            ends=np.array(ends, dtype=np.int64),
            vocab=list(index),
        )

    def flags(self, test: Callable[[str], bool]) -> NDArray[np.bool_]:
        """`test` of each distinct word, indexed by word id."""
        return np.fromiter((test(w) for w in self.vocab), dtype=bool, count=len(self.vocab))


def word_features(text: str, offsets: NDArray[np.int64]) -> NDArray[np.float32]:
    """Per-token repetition cues the encoder cannot see across windows: does this token's word (or the word
    pair it is part of) occur elsewhere in the article, and how often."""
    words = Words.of(text)
    n = len(offsets)
    feats = np.zeros((n, N_FEATURES), dtype=np.float32)
    if not len(words.ids) or n == 0:
        return feats
    ids = words.ids
    counts = np.bincount(ids, minlength=len(words.vocab))
    stop = words.flags(lambda w: w in STOPWORDS)
    content = ~stop & ~words.flags(str.isdigit)
    per_word = np.zeros((len(ids), N_FEATURES), dtype=np.float32)
    c = counts[ids]
    per_word[:, 0] = content[ids] & (c > 1)
    log_count = np.array([0.0] + [math.log1p(k - 1) / 3.0 for k in range(1, int(c.max()) + 1)])  # by count
    per_word[:, 1] = np.where(content[ids], log_count[c], 0.0)
    if len(ids) > 1:  # the word pair before and after each word: pairs coded as one integer
        codes = ids[:-1] * len(words.vocab) + ids[1:]
        _, inverse, pair_counts = np.unique(codes, return_inverse=True, return_counts=True)
        repeated = (pair_counts[inverse.reshape(-1)] > 1) & ~(stop[ids[:-1]] & stop[ids[1:]])
        per_word[:-1, 2] = repeated
        per_word[1:, 2] = np.maximum(per_word[1:, 2], repeated)
    starts, ends = words.starts, words.ends
    # The word containing each token: the last word starting at or before the token's start.
    idx = np.searchsorted(starts, offsets[:, 0], side="right") - 1
    ok = (idx >= 0) & (offsets[:, 0] < ends[np.clip(idx, 0, None)])
    feats[ok] = per_word[idx[ok]]
    return feats


def encode(tokenizer: Tokenizer, text: str) -> Encoded:
    """Word pieces of the whole text. A long text is tokenised in the pieces the spaCy pass cuts it into (after
    a line break, sentence end or blank, where word-piece tokenising splits anyway), so that the tokenizer's
    per-token objects exist for one piece at a time."""
    from unspin.nlp import pieces

    ids: list[NDArray[np.int64]] = []
    offsets: list[NDArray[np.int64]] = []
    for start, end in pieces(text):
        enc = tokenizer.encode(text[start:end], add_special_tokens=False)
        ids.append(np.asarray(enc.ids, dtype=np.int64))
        offsets.append(np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2) + start)
        del enc
    all_offsets = np.concatenate(offsets)
    return Encoded(ids=np.concatenate(ids), offsets=all_offsets, features=word_features(text, all_offsets))


def window_starts(n_tokens: int, window: int = WINDOW, stride: int = STRIDE) -> list[int]:
    """Token starts of the windows covering `n_tokens` (each holds `window - 2` article tokens)."""
    size = window - 2
    if n_tokens <= size:
        return [0]
    starts = list(range(0, n_tokens - size, stride))
    starts.append(n_tokens - size)  # the last window ends exactly at the article's end
    return sorted(set(starts))


def window_batch(
    enc: Encoded, starts: list[int], window: int = WINDOW
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float32]]:
    """Model inputs for the windows starting at `starts`: ids, attention mask, features.

    Always `window` wide, padded as in training: the tagging head reads the window in both directions
    (a recurrent layer), so a short article must reach it after the same padding it was trained with."""
    size = window - 2
    n = len(starts)
    ids = np.full((n, window), PAD_ID, dtype=np.int64)
    mask = np.zeros((n, window), dtype=np.int64)
    feats = np.zeros((n, window, N_FEATURES), dtype=np.float32)
    for row, s in enumerate(starts):
        piece = enc.ids[s : s + size]
        k = len(piece)
        ids[row, 0] = CLS_ID
        ids[row, 1 : k + 1] = piece
        ids[row, k + 1] = SEP_ID
        mask[row, : k + 2] = 1
        feats[row, 1 : k + 1] = enc.features[s : s + size]
    return ids, mask, feats


def merge_windows(n_tokens: int, starts: list[int], probs: NDArray[np.float32], window: int = WINDOW) -> NDArray[Any]:
    """Average the per-window token probabilities (batch, window, channels) back onto the article's tokens."""
    size = window - 2
    total = np.zeros((n_tokens, probs.shape[-1]), dtype=np.float32)
    weight = np.zeros((n_tokens, 1), dtype=np.float32)
    for row, s in enumerate(starts):
        k = min(size, n_tokens - s)
        total[s : s + k] += probs[row, 1 : k + 1]
        weight[s : s + k] += 1.0
    return total / np.maximum(weight, 1.0)


def _runs(mask: NDArray[np.bool_], gap: int) -> list[tuple[int, int]]:
    """Maximal runs of True tokens, bridging holes of up to `gap` tokens."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return []
    runs: list[tuple[int, int]] = []
    start = prev = int(idx[0])
    for i in idx[1:]:
        i = int(i)
        if i - prev > gap + 1:
            runs.append((start, prev + 1))
            start = i
        prev = i
    runs.append((start, prev + 1))
    return runs


def _seeded_runs(p: NDArray[Any], threshold: float, extend: float, gap: int) -> list[tuple[int, int]]:
    """Runs of tokens at or above `extend * threshold` that hold at least one token at or above `threshold`:
    a confident core decides that there is a span, its less confident neighbours where it ends."""
    if extend >= 1.0:
        return _runs(p >= threshold, gap)
    return [(a, b) for a, b in _runs(p >= threshold * extend, gap) if float(p[a:b].max()) >= threshold]


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend a span to whole words: a technique never starts in the middle of a word."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


_RUN = re.compile(r"\w+")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what `\w` matches in a str pattern


def _anchor(phrase: str) -> tuple[int, str, str | None] | None:
    """Where a phrase's first run of word characters starts in it, that run, and the run after it (if any)."""
    runs = list(itertools.islice(_RUN.finditer(phrase), 2))
    if not runs:
        return None
    return runs[0].start(), runs[0].group(), runs[1].group() if len(runs) > 1 else None


def _occurrences_of(text_lower: str, phrases: list[str]) -> dict[str, list[tuple[int, int]]]:
    r"""Word-bounded occurrences of each phrase (already lower-cased) in the text (already lower-cased), as
    `re.finditer(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)")` finds them, in one pass over the text.

    An occurrence starts where the phrase's first run of word characters (and the run after it) stand as
    whole runs in the text, so the text's runs are indexed once by those keys instead of being searched once
    per phrase."""
    anchors = {phrase: _anchor(phrase) for phrase in phrases}
    singles = {a[1] for a in anchors.values() if a is not None and a[2] is None}
    pairs = {(a[1], a[2]) for a in anchors.values() if a is not None and a[2] is not None}
    at_single: dict[str, list[int]] = {}
    at_pair: dict[tuple[str, str], list[int]] = {}
    previous: tuple[int, str] | None = None
    for match in _RUN.finditer(text_lower):
        run = match.group()
        if run in singles:
            at_single.setdefault(run, []).append(match.start())
        if previous is not None and (previous[1], run) in pairs:
            at_pair.setdefault((previous[1], run), []).append(previous[0])
        previous = (match.start(), run)
    out: dict[str, list[tuple[int, int]]] = {}
    for phrase, anchor in anchors.items():
        if anchor is None:  # no word in it at all: rare enough to search for
            pattern = re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)")
            out[phrase] = [(m.start(), m.end()) for m in pattern.finditer(text_lower)]
            continue
        offset, first, second = anchor
        starts = at_single.get(first, []) if second is None else at_pair.get((first, second), [])
        found: list[tuple[int, int]] = []
        size = len(phrase)
        for run_start in starts:
            p = run_start - offset
            if p < 0 or (found and p < found[-1][1]):  # matches never overlap, as with finditer
                continue
            if p > 0 and _is_word_char(text_lower[p - 1]):
                continue
            if not text_lower.startswith(phrase, p):
                continue
            if p + size < len(text_lower) and _is_word_char(text_lower[p + size]):
                continue
            found.append((p, p + size))
        out[phrase] = found
    return out


# A repeated phrase cites at most this many of its other occurrences as evidence, those nearest to it: a phrase
# repeated a thousand times would otherwise carry a million links.
MAX_EVIDENCE = 10


def _nearest(others: list[tuple[int, int]], own: tuple[int, int], limit: int = MAX_EVIDENCE) -> list[tuple[int, int]]:
    """Up to `limit` of `others` (sorted, without `own`) nearest to `own` in the text: as many before it as after
    it where both sides have enough, sorted."""
    if len(others) <= limit:
        return others
    at = bisect.bisect_left(others, own)
    before = min(at, max(limit // 2, limit - (len(others) - at)))
    return others[at - before : at - before + limit]


RawSpan = tuple[int, int, str, float]  # start, end, technique, score


def _char_span(text: str, enc: Encoded, a: int, b: int) -> tuple[int, int]:
    return _snap(text, int(enc.offsets[a, 0]), int(enc.offsets[b - 1, 1]))


def channel_spans(
    text: str, enc: Encoded, probs: NDArray[Any], channel: int, threshold: float, gap: int, extend: float = 1.0
) -> list[RawSpan]:
    """Spans of one technique channel: token runs at or above its threshold."""
    label = CHANNELS[channel]
    out: list[RawSpan] = []
    for a, b in _seeded_runs(probs[:, channel], threshold, extend, gap):
        s, e = _char_span(text, enc, a, b)
        if text[s:e].strip():
            out.append((s, e, label, float(probs[a:b, channel].mean())))
    return out


def any_spans(
    text: str, enc: Encoded, probs: NDArray[Any], threshold: float, gap: int, extend: float = 1.0
) -> list[RawSpan]:
    """Span identification: the ANY channel finds the span, the likeliest technique inside it names it.

    This keeps recall on spans that no single technique channel is sure about."""
    out: list[RawSpan] = []
    for a, b in _seeded_runs(probs[:, 0], threshold, extend, gap):
        s, e = _char_span(text, enc, a, b)
        if text[s:e].strip():
            best = int(np.argmax(probs[a:b, 1:].mean(axis=0)))
            out.append((s, e, CHANNELS[best + 1], float(probs[a:b, 0].mean())))
    return out


Evidence = dict[tuple[int, int], list[tuple[int, int]]]

# Neutral identity guard. The PTC articles call groups names often enough that the model learnt group words
# themselves ("black", "transgender", "of color") as Name Calling or Flag-Waving, and flags them in plain reporting.
# A span whose every content word is a neutral group name, a neutral word for people or a place needs a far higher
# score; a span holding any other content word ("thugs", "invaders", "flooding") keeps the ordinary threshold, so
# real name-calling of a group is still reported. These lists hold neutral words only: nothing here hides a slur.
_IDENTITY_TEXT = """african asian black white latino latina latinos latinas latinx hispanic hispanics caucasian
    arab arabs jewish jew jews muslim muslims islamic christian christians catholic catholics evangelical
    evangelicals protestant protestants mormon mormons hindu hindus sikh sikhs buddhist buddhists
    gay gays lesbian lesbians bisexual transgender trans queer lgbt lgbtq lgbtqi nonbinary
    native indigenous aboriginal tribal tribe tribes roma romani
    somali somalis somalia mexican mexicans mexico haitian haitians haiti syrian syrians syria chinese china
    korean koreans korea vietnamese vietnam japanese filipino filipinos filipina pakistani pakistanis pakistan
    indian indians nigerian nigerians nigeria ukrainian ukrainians ukraine cuban cubans cuba puerto rican ricans
    rico palestinian palestinians israeli israelis iraqi iraqis iranian iranians afghan afghans ethiopian
    eritrean sudanese congolese kenyan ghanaian jamaican dominican salvadoran guatemalan honduran venezuelan
    colombian brazilian polish irish italian greek turkish kurdish kurds armenian russian russians
    central south latin caribbean middle eastern east
    undocumented immigrant immigrants migrant migrants refugee refugees asylum seekers newcomers
    color colour descent origin heritage ancestry background"""
_NEUTRAL_PEOPLE_TEXT = """people persons person voters voter families family community communities leaders leader
    residents resident students student workers worker owners owner business businesses shop store couples couple
    parents parent mothers mother fathers father children child kids youth young teenagers teens men man women
    woman girls boys athletes athlete players member members citizens citizen employees employee nurses doctors
    engineers fishermen farmers veterans worshippers congregation parishioners volunteers exiles population
    groups group americans neighbours neighbors county state city town region area neighbourhood neighborhood
    district country village"""
IDENTITY_WORDS = frozenset(_IDENTITY_TEXT.split())
NEUTRAL_PEOPLE_WORDS = frozenset(_NEUTRAL_PEOPLE_TEXT.split())
# Guarded spans need this score (mean probability over the span): above every false alarm of the shipped model in
# tests/fixtures/identity_sentences.jsonl (0.61-0.79; chosen looking at them, held-out check in BENCHMARKS.md).
IDENTITY_THRESHOLD = 0.9
_AMERICA = re.compile(r"\b([a-z]+)\s+(americans?|america)\b")
_COMPOUND = re.compile(r"[\w'’]+(?:-[\w'’]+)*")


def is_neutral_identity(text: str, start: int, end: int) -> bool:
    """Does the span consist only of neutral identity vocabulary (group names, people, places), holding at least
    one group name? Hyphenated compounds are read whole: "Somali-American" names a group, "American" alone does
    not (in PTC a bare "American" is often Flag-Waving and stays so)."""
    while start > 0 and (
        text[start - 1].isalnum() or (text[start - 1] == "-" and start > 1 and text[start - 2].isalnum())
    ):
        start -= 1
    while end < len(text) and (
        text[end].isalnum() or (text[end] == "-" and end + 1 < len(text) and text[end + 1].isalnum())
    ):
        end += 1
    # "Native American", "Central America": a group word before "America(n)" makes one compound of the two.
    piece = _AMERICA.sub(lambda m: m.group(1) + "-" + m.group(2), text[start:end].lower())
    named = False
    for match in _COMPOUND.finditer(piece):
        compound = match.group().lower()
        parts = [w for w in re.split(r"[-'’]", compound) if w]
        if compound in IDENTITY_WORDS or (len(parts) > 1 and any(w in IDENTITY_WORDS for w in parts)):
            named = True
        elif all(w in STOPWORDS for w in parts):
            continue
        elif not all(w in IDENTITY_WORDS or w in NEUTRAL_PEOPLE_WORDS or w in STOPWORDS for w in parts):
            return False
        else:
            named = named or any(w in IDENTITY_WORDS for w in parts)
    return named


def guard_identity_spans(text: str, spans: list[RawSpan], threshold: float = IDENTITY_THRESHOLD) -> list[RawSpan]:
    """Drop spans that only name a group in neutral words unless the model is very sure of them."""
    return [sp for sp in spans if sp[3] >= threshold or not is_neutral_identity(text, sp[0], sp[1])]


def merge_same_technique(text: str, spans: list[RawSpan], evidence: Evidence) -> tuple[list[RawSpan], Evidence]:
    """One span per technique per stretch of text: overlapping or touching (only whitespace between) spans of
    one technique become one, with the highest score among them; Repetition evidence is pooled."""
    by_technique: dict[str, list[RawSpan]] = {}
    for sp in spans:
        by_technique.setdefault(sp[2], []).append(sp)
    out: list[RawSpan] = []
    merged_evidence: Evidence = {}
    for technique, group in by_technique.items():
        group.sort()
        current: list[RawSpan] = []
        runs: list[list[RawSpan]] = []
        end = -1
        for sp in group:
            if current and (sp[0] <= end or not text[end : sp[0]].strip()):
                current.append(sp)
                end = max(end, sp[1])
            else:
                current = [sp]
                runs.append(current)
                end = sp[1]
        for run in runs:
            start, stop = run[0][0], max(sp[1] for sp in run)
            out.append((start, stop, technique, max(sp[3] for sp in run)))
            cited = {x for sp in run for x in evidence.get((sp[0], sp[1]), [])}
            cited = {(a, b) for a, b in cited if not (start <= a and b <= stop)}  # not itself
            if cited:
                merged_evidence[(start, stop)] = _nearest(sorted(cited - {(start, stop)}), (start, stop))
    return out, merged_evidence


def link_repetitions(text: str, spans: list[RawSpan]) -> tuple[list[RawSpan], Evidence]:
    """Repetition by algorithm: every occurrence of a phrase flagged as Repetition becomes a Repetition span,
    each carrying the other occurrences (the nearest `MAX_EVIDENCE`) as evidence. Returns the Repetition spans
    and their evidence."""
    lower = text.lower()
    out: dict[tuple[int, int], float] = {}
    best: dict[str, float] = {}  # each phrase flagged, with its best score
    for start, end, technique, score in spans:
        if technique != "Repetition":
            continue
        out[(start, end)] = max(out.get((start, end), 0.0), score)
        phrase = text[start:end].strip()
        if len(phrase) >= 3:
            best[phrase.lower()] = max(best.get(phrase.lower(), 0.0), score)
    found = _occurrences_of(lower, list(best))
    evidence: Evidence = {}
    for phrase, score in best.items():
        occ = found[phrase]
        if len(occ) < 2:
            continue
        for i, o in enumerate(occ):
            out[o] = max(out.get(o, 0.0), score)
            evidence.setdefault(o, _nearest(_around(occ, i), o))
    reps = [(s, e, "Repetition", score) for (s, e), score in out.items()]
    return reps, evidence


def _around(occ: list[tuple[int, int]], i: int) -> list[tuple[int, int]]:
    """The occurrences near occ[i] (enough for `_nearest` to choose from), without copying the whole list."""
    return occ[max(0, i - MAX_EVIDENCE) : i] + occ[i + 1 : i + 1 + MAX_EVIDENCE]


def repeated_phrase_spans(text: str, flagged: list[tuple[int, int]], max_n: int = 4) -> tuple[list[RawSpan], Evidence]:
    """Repetition by algorithm: a content phrase (1-4 words, no function word at either end) that occurs more
    than once in the article, at least once inside a span the model flags as persuasive, is Repetition at
    every occurrence; each occurrence cites the others (the nearest `MAX_EVIDENCE`) as evidence. Longer phrases
    win over their parts.

    The model alone cannot do this: a window of 256 word pieces rarely holds both occurrences. Phrases are
    grouped with numpy (sorting word-id rows), so time and memory grow with the article, not with its square."""
    words = Words.of(text)
    if not len(words.ids):
        return [], {}
    ids, word_starts, word_ends = words.ids, words.starts, words.ends
    stop = words.flags(lambda w: w in STOPWORDS)
    digit = words.flags(str.isdigit)
    short = words.flags(lambda w: len(w) < 4)
    flagged = sorted(flagged)
    flag_starts = np.array([a for a, _ in flagged], dtype=np.int64)
    flag_ends = np.array([b for _, b in flagged], dtype=np.int64)

    def is_flagged(s: NDArray[np.int64], e: NDArray[np.int64]) -> NDArray[np.bool_]:
        """Whether [s, e) overlaps one of the 8 flagged spans starting last before e."""
        hit = np.zeros(len(s), dtype=bool)
        if not len(flag_ends):
            return hit
        i = np.searchsorted(flag_starts, e, side="left")
        for back in range(1, 9):
            j = i - back
            hit |= (j >= 0) & (flag_ends[np.clip(j, 0, None)] > s)
        return hit

    # candidate phrases in the order a scan by length (longest first), then by first occurrence, meets them
    phrases: list[tuple[int, NDArray[np.int64], float]] = []  # words, first word of each occurrence, share flagged
    for n in range(max_n, 0, -1):
        count = len(ids) - n + 1
        if n < REPEAT_MIN_WORDS or count <= 0:
            continue
        valid = ~stop[ids[:count]] & ~stop[ids[n - 1 : n - 1 + count]]
        for k in range(n):
            valid &= ~digit[ids[k : k + count]]
        if n == 1:
            valid &= ~short[ids[:count]]
        pos = np.flatnonzero(valid)
        if pos.size == 0:
            continue
        rows = np.stack([ids[pos + k] for k in range(n)], axis=1)
        _, first, inverse, counts = np.unique(rows, axis=0, return_index=True, return_inverse=True, return_counts=True)
        inverse = inverse.reshape(-1)
        hits = np.bincount(inverse, weights=is_flagged(word_starts[pos], word_ends[pos + n - 1]), minlength=len(counts))
        keep = (counts >= 2) & (hits >= REPEAT_MIN_FLAGGED) & (hits >= REPEAT_MIN_SHARE * counts)
        if not keep.any():
            continue
        by_group = np.argsort(inverse, kind="stable")  # occurrences grouped by phrase, each group in text order
        bounds = np.concatenate([[0], np.cumsum(counts)])
        for group in sorted(np.flatnonzero(keep), key=lambda g: first[g]):
            occurrence_words = pos[by_group[bounds[group] : bounds[group + 1]]]
            phrases.append((n, occurrence_words, float(hits[group] / counts[group])))
        del rows, inverse

    out: list[RawSpan] = []
    evidence: Evidence = {}
    widest: dict[int, int] = {}  # word position -> end of the longest phrase taken starting there
    for n_words, occurrence_words, share in phrases:
        occ = [(int(word_starts[w]), int(word_ends[w + n_words - 1])) for w in occurrence_words]
        covered = all(
            any(widest.get(int(w) - back, -1) >= e for back in range(max_n) if w - back >= 0)
            for w, (_, e) in zip(occurrence_words, occ, strict=True)
        )
        if covered:
            continue  # every occurrence is already part of a longer repeated phrase
        for i, o in enumerate(occ):
            out.append((o[0], o[1], "Repetition", share))
            evidence[o] = _nearest(_around(occ, i), o)
        for w, (_, e) in zip(occurrence_words, occ, strict=True):
            widest[int(w)] = max(widest.get(int(w), -1), e)
    return out, evidence


def decode_raw(text: str, enc: Encoded, probs: NDArray[Any], decoding: Decoding) -> tuple[list[RawSpan], Evidence]:
    """All spans (multi-label: spans of different techniques may overlap; of one technique, once merged, never)
    and the evidence of Repetition spans."""
    spans: list[RawSpan] = []
    if len(enc.ids) == 0:
        return spans, {}
    for c in range(1, len(CHANNELS)):
        spans += channel_spans(text, enc, probs, c, decoding.thresholds[CHANNELS[c]], decoding.gap, decoding.extend)
    if decoding.any_label:
        spans += any_spans(text, enc, probs, decoding.thresholds["ANY"], decoding.gap, decoding.extend)
    reps, evidence = link_repetitions(text, spans)
    if decoding.repetition_links:  # report every occurrence; otherwise they are only cited as evidence
        spans = [sp for sp in spans if sp[2] != "Repetition"] + reps
    if decoding.repeated_phrases:
        reps, more = repeated_phrase_spans(text, [(s, e) for s, e, t, _ in spans if t != "Repetition"])
        spans += reps
        for key, value in more.items():
            evidence[key] = _nearest(sorted({*evidence.get(key, []), *value}), key)
    if decoding.identity_guard:
        spans = guard_identity_spans(text, spans)
    # a span of one letter ("T" of "T cells", "a") is a piece of a word or a name, never a technique
    spans = [sp for sp in spans if sum(ch.isalnum() for ch in text[sp[0] : sp[1]]) >= MIN_SPAN_CHARS]
    if decoding.merge_overlaps:
        return merge_same_technique(text, spans, evidence)
    best: dict[tuple[int, int, str], float] = {}
    for s, e, t, score in spans:  # one span per (offsets, technique), keeping the highest score
        best[(s, e, t)] = max(best.get((s, e, t), 0.0), score)
    return [(s, e, t, sc) for (s, e, t), sc in best.items()], evidence


def reliability_from_report(report: dict[str, Any]) -> dict[str, Any]:
    """reliability.json from a training report: each technique's cross-validated precision, recall and F1, which
    travel with the model so every span can say how far its label is to be trusted."""
    cv = report["cv"]
    folds = report.get("config", {}).get("folds", 5)
    return {
        "measured": f"{folds}-fold cross-validation on the {cv['articles']} PTC training articles (training_report.json); "
        "precision and recall credit partial overlap by length (SemEval-2020 Task 11); decoded before the "
        "neutral-identity guard and the merging of same-technique spans",
        "techniques": {
            t: {"precision": v["precision"], "recall": v["recall"], "f1": v["f1"], "gold_spans": v["gold_spans"]}
            for t, v in sorted(cv["per_technique"].items())
        },
    }


def load_reliability(path: Path) -> dict[str, TechniqueReliability]:
    """Per-technique reliability shipped with the model; empty when the file is missing (an older model)."""
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        t: TechniqueReliability(precision=v["precision"], recall=v["recall"], f1=v["f1"])
        for t, v in data["techniques"].items()
    }


def decode(
    text: str,
    enc: Encoded,
    probs: NDArray[Any],
    decoding: Decoding,
    reliability: dict[str, TechniqueReliability] | None = None,
) -> list[TechniqueSpan]:
    """Token probabilities (n_tokens, channels) to technique spans, multi-label, sorted by offset."""
    raw, evidence = decode_raw(text, enc, probs, decoding)
    reliability = reliability or {}
    spans = [
        TechniqueSpan(
            start=s,
            end=e,
            technique=t,
            score=round(min(max(score, 0.0), 1.0), 4),
            text=text[s:e],
            evidence=evidence.get((s, e), []) if t == "Repetition" else [],
            reliability=reliability.get(t),
        )
        for s, e, t, score in raw
    ]
    spans.sort(key=lambda sp: (sp.start, sp.end, sp.technique))
    return spans


class TechniquesModel:
    """The shipped ONNX tagger plus its tokenizer and decoding settings; load once per process."""

    def __init__(self, model_dir: Path = MODEL_DIR, threads: int | None = None) -> None:
        onnx_path = model_dir / "model.int8.onnx"
        if not onnx_path.exists():
            raise ModelMissing(f"techniques model not found at {onnx_path}; run `unspin train techniques`")
        import onnxruntime as ort

        opts = ort.SessionOptions()
        if threads:
            opts.intra_op_num_threads = threads
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(onnx_path), opts, providers=["CPUExecutionProvider"])
        self.tokenizer = load_tokenizer(model_dir / "tokenizer.json")
        self.decoding = Decoding.from_json(json.loads((model_dir / "thresholds.json").read_text(encoding="utf-8")))
        self.reliability = load_reliability(model_dir / "reliability.json")

    def probabilities(self, enc: Encoded, batch_size: int = 8, stride: int = STRIDE) -> NDArray[Any]:
        n = len(enc.ids)
        starts = window_starts(n, stride=stride)
        size = WINDOW - 2
        total = np.zeros((n, len(CHANNELS)), dtype=np.float32)
        weight = np.zeros((n, 1), dtype=np.float32)
        # merged batch by batch (as `merge_windows` does, in the same order), so that memory holds the article's
        # tokens once and one batch of windows, never every window of a long text
        for i in range(0, len(starts), batch_size):
            batch = starts[i : i + batch_size]
            ids, mask, feats = window_batch(enc, batch)
            (logits,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "features": feats})
            probs = 1.0 / (1.0 + np.exp(-logits))
            for row, s in enumerate(batch):
                k = min(size, n - s)
                total[s : s + k] += probs[row, 1 : k + 1]
                weight[s : s + k] += 1.0
        return total / np.maximum(weight, 1.0)

    def predict(self, text: str) -> list[TechniqueSpan]:
        enc = encode(self.tokenizer, text)
        if len(enc.ids) == 0:
            return []
        return decode(text, enc, self.probabilities(enc), self.decoding, self.reliability)


@functools.cache
def load_model(threads: int | None = None) -> TechniquesModel:
    return TechniquesModel(threads=threads)


def detect(text: str) -> list[TechniqueSpan]:
    """Technique spans of `text` (offsets into `text`); the model loads on first use."""
    return load_model().predict(text)


class TechniquesDetector:
    name = "techniques"
    # v3: same model as v2, decoded with the neutral-identity guard and same-technique merging, spans carry the
    # technique's reliability; v2: GRU tagging head (v1: convolutional)
    id = "unspin.techniques.v4"
    requires: tuple[str, ...] = ()
    assigns = ("techniques",)
    reads_parse = False  # it tokenises for itself, so it runs beside the spaCy parse
    languages = ("en",)  # English models and word lists

    def __call__(self, parsed: Parsed) -> Findings:
        # Beside the parse the pipeline gives it one thread, one core each, which beats two inference threads
        # fighting the parse for both cores (0.43 s against 0.58 s per 1,000 words); alone, all it has.
        return {"techniques": load_model(threads=parsed.threads).predict(parsed.text)}
