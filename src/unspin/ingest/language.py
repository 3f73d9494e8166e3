"""Which language a text is in (ISO 639-1), so that English-only detectors can stand aside for others.

English is recognised by its function words (in any English prose they make up a large share of the words),
which stays right on short texts; anything else is named by py3langid (offline, bundled profiles of 97
languages). Too little prose to tell gives "und" (undetermined), never a guess.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")

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


MIN_WORDS = 5
# py3langid's normalised probability below which a language is not named.
MIN_PROBABILITY = 0.8
# Fewer words of prose than this (words in lines of 8+ words) and no language is named but English.
MIN_PROSE_WORDS = 12
_PROSE_LINE_WORDS = 8


def english_share(text: str, sample_chars: int = 20_000) -> float:
    words = _WORD.findall(text[:sample_chars].lower())
    if not words:
        return 0.0
    return sum(word in _ENGLISH_FUNCTION_WORDS for word in words) / len(words)


def word_count(text: str) -> int:
    """Words, with Chinese, Japanese and Korean script (written without spaces) counted two characters a word."""
    return len(_WORD.findall(text)) + len(_CJK.findall(text)) // 2


def prose(text: str, sample_chars: int = 20_000) -> str:
    """The lines of `text` that read as running text (8+ words), not menus, tables or field lists."""
    lines = text[:sample_chars].split("\n")
    return "\n".join(line for line in lines if word_count(line) >= _PROSE_LINE_WORDS)


def guess_language(text: str) -> str:
    """ISO 639-1 code of the text's language; 'und' when there is too little prose to tell."""
    words = _WORD.findall(text[:20_000])
    if len(words) < MIN_WORDS:
        return "en" if english_share(text) >= 0.1 else "und"
    running = prose(text)
    sample = running if word_count(running) >= MIN_PROSE_WORDS else text
    if english_share(sample) >= 0.15:
        return "en"
    if word_count(running) < MIN_PROSE_WORDS:
        return "und"
    code, probability = _identifier().classify(running[:20_000])
    if probability < MIN_PROBABILITY:
        return "und"
    return str(code)


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's model, loaded once per process (about 0.3 s), with probabilities normalised to 0..1."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


_NAMES = {
    "ar": "Arabic",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "es": "Spanish",
    "fa": "Persian",
    "fi": "Finnish",
    "fr": "French",
    "he": "Hebrew",
    "hi": "Hindi",
    "hu": "Hungarian",
    "id": "Indonesian",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sv": "Swedish",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "zh": "Chinese",
}


def name_of(code: str) -> str:
    """The English name of a language code ('de' -> 'German'); the code itself for rarer languages."""
    return _NAMES.get(code, code)
