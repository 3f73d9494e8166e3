"""A cheap check that a text is English: the models are English-only, so anything else gets a warning."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# The most frequent English function words: in any English prose they make up a large share of tokens.
_ENGLISH_FUNCTION_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "a",
        "in",
        "is",
        "that",
        "for",
        "it",
        "was",
        "on",
        "with",
        "as",
        "he",
        "be",
        "by",
        "at",
        "this",
        "have",
        "from",
        "or",
        "had",
        "not",
        "are",
        "but",
        "his",
        "they",
        "her",
        "she",
        "which",
        "you",
        "were",
        "their",
        "has",
        "an",
        "been",
        "one",
        "we",
        "will",
        "would",
        "there",
        "all",
        "its",
        "who",
        "more",
        "said",
        "also",
        "than",
        "them",
        "can",
        "into",
        "after",
        "over",
        "when",
        "about",
        "could",
        "these",
        "some",
        "no",
        "our",
        "new",
        "other",
        "up",
        "only",
        "what",
        "if",
        "out",
        "so",
    ]
)


def english_share(text: str, sample_chars: int = 20_000) -> float:
    words = _WORD.findall(text[:sample_chars].lower())
    if not words:
        return 0.0
    return sum(word in _ENGLISH_FUNCTION_WORDS for word in words) / len(words)


def guess_language(text: str) -> str:
    """'en' when the text reads as English, 'und' (undetermined) otherwise."""
    words = _WORD.findall(text[:20_000])
    if len(words) < 5:
        return "en" if english_share(text) >= 0.1 else "und"
    return "en" if english_share(text) >= 0.15 else "und"
