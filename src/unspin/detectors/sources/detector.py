"""Quotes, their speakers, the sources an article cites, and its attribution verbs and hedges.

Rule-based over the shared spaCy parse (no model of its own):

- **Direct quotes** come from the quotation marks (`unspin.detectors.sources.quoting`); `start`/`end` cover the
  quoted words without the marks. A quote is tied to the speech verb that governs it in the parse
  ("Zelensky called the attack “a war crime”"), else to one right after it (“…,” he said), else to one
  before it in the same sentence (He said: “…”), else to a verb ending the previous paragraph with a
  colon, else to the speaker of the quote it continues, else to the nearest preceding speaker within two
  paragraphs (the convention that an unattributed quote paragraph continues the last speaker).
  Quotes of one or two words that no verb governs are scare quotes and are left out.
- **Reported speech**: the content clause (`ccomp`) of a speech verb ("X said (that) …", "X claimed …")
  and the clause an "according to X" phrase attaches to. Clauses that are mostly a direct quote are left
  to the direct quote.
- **Block quotes**: the rest of the sentence after "X said:" when no quote mark follows, and the whole
  next paragraph after a paragraph ending "He wrote:".
- **Speakers**: the subject of the verb (or the object of "according to"), taken as its named entity,
  or as its noun phrase ("a spokesman for the ministry"); "he"/"she" resolve to the most recent person
  named, "they"/"it" to the most recent organisation; "the ministry" to an earlier source whose name ends
  with "ministry". `speaker_start`/`speaker_end` point at the name's mention (the antecedent for a
  pronoun). Names shortened later ("Shoigu" after "Sergei Shoigu") are the same source.
- **Sources**: every speaker, every "according to" object and every known outlet, with all mentions.
- **Attributions**: speech verbs used as attributions and hedges, each with a stance.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from unspin.analysis import Attribution, Quote
from unspin.detectors.base import Findings, Parsed
from unspin.detectors.sources.lexicon import (
    ALWAYS_ATTRIBUTION,
    HEDGE_PATTERN,
    HEDGES,
    QUOTE_VERBS,
    SENTENCE_END,
    VERB_STANCE,
    Stance,
)
from unspin.detectors.sources.quoting import OPENING_MARKS, QUOTE_MARKS, RawQuote
from unspin.detectors.sources.speakers import Article, Speaker, is_speech_verb

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SCARE_QUOTE_WORDS = 2  # quotes this short need a verb governing them
# Verbs that take the very words said as their object, with no comma ("shouted “Allahu Akbar”").
UTTERANCE_VERBS = frozenset({"shout", "scream", "yell", "chant", "cry", "exclaim", "whisper", "holler", "shriek"})
DETERMINER_BEFORE = re.compile(r"\b(?:the|this|its|their)\s+$", re.IGNORECASE)  # "a “bigot”" is a label someone used
# Quotes up to this long that start in lower case and that no speech verb claims are scare quotes
LOWER_SCARE_WORDS = 4
# Quotes up to this long between an article and a noun ("the “this is great” zone") are labels
STANCE_LABEL_WORDS = 5
TITLE_MAX_WORDS = 9  # a title-cased quotation longer than this is a headline-style quote, not a name
# Small words a title leaves in lower case ("Once Upon a Time in Hollywood").
TITLE_MINOR_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "nor",
        "but",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "after",
        "before",
        "over",
        "as",
        "into",
        "up",
        "via",
        "vs",
        "per",
    ]
)
# Nouns that say the quoted words are a name of a work, show or campaign ("the film “…”", "the slogan “…”").
TITLE_CUES = frozenset(
    [
        "film",
        "movie",
        "show",
        "series",
        "sitcom",
        "drama",
        "documentary",
        "programme",
        "program",
        "podcast",
        "episode",
        "song",
        "single",
        "album",
        "track",
        "record",
        "hit",
        "book",
        "novel",
        "memoir",
        "play",
        "musical",
        "opera",
        "painting",
        "poem",
        "campaign",
        "slogan",
        "tagline",
        "motto",
        "titled",
        "entitled",
        "called",
        "dubbed",
        "named",
        "tour",
        "exhibition",
        "festival",
        "game",
        "app",
        "newsletter",
        "column",
        "exposé",
        "expose",
        "biography",
        "essay",
        "headline",
    ]
)


# A quotation followed by ", by Name": the headline of a cited article or a book's title with its author.
CITED_BY = re.compile(r"[,.]?[”\"’]?,?\s+by\s+[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+)*\s*,")


def title_cased(quoted: str) -> bool:
    """Every word but the small ones starts with a capital or a digit ("Takin’ It To the Streets", "Fleabag")."""
    words = re.findall(r"[\w’'-]+", quoted)
    if words and words[0].isdigit() and len(words) > 1:
        words = words[1:]  # "2018 Welcome Festival": a year or an edition's number starts many names
    if len(words) > 1 and words[0] == "the" and words[1][:1].isupper():
        words = words[1:]  # “the People of the Book”: a name with its article
    if not 1 <= len(words) <= TITLE_MAX_WORDS or not words[0][:1].isupper():
        return False
    content = [w for w in words if w.lower() not in TITLE_MINOR_WORDS]
    return all(w[:1].isupper() or w[:1].isdigit() for w in content)


def _overlap(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> int:
    """Characters of [start, end) covered by `spans` (sorted, not overlapping each other)."""
    total = 0
    for a, b in spans[max(0, bisect.bisect_left(starts, start) - 1) : bisect.bisect_left(starts, end)]:
        if a < end and b > start:
            total += min(end, b) - max(start, a)
    return total


def plain_words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


# Words that introduce a name or a term in quotation marks, not someone's words: "the nickname of “bird
# fancier's lung”", "known as “the Squad”", "the slogan “Meth. We're on it”", "what's called “duvet lung”",
# "the term often used is “bird fancier's lung”" (not "he called it “a disgrace”", where "called" is said).
NAMING = re.compile(
    r"(?:so-called|so called|self-styled|nicknamed?|nicknames? of|known as|dubbed|termed|branded|labell?ed|"
    r"(?:is|are|was|were|be|been|being|what[’']s|what is|what are|what was|often|sometimes|also|commonly) called|"
    r",\s*(?:named|titled|entitled)|"
    r"the (?:term|phrase|word|name|slogan|motto|hashtag|label|tagline|catchphrase)s?(?: of)?|"
    r"the (?:term|phrase|word|name)s?(?: \w+){0,3} (?:is|was)|"
    r"(?:campaign|slogan|motto|tagline|hashtag|theme)(?: called)?)\s*$",
    re.I,
)


# A name or term introduced that way is at most this long; a longer passage after "called" is a quotation.
NAMED_TERM_WORDS = 8


def _after_so_called(text: str, mark: int) -> bool:
    """The quotation marks hold a name or a term the sentence introduces (see NAMING)."""
    return bool(NAMING.search(text[max(0, mark - 30) : mark].rstrip()))


def _words_of(doc: Doc, segment: set[int]) -> Token | None:
    """Whose words a colon introduces: "in the words of the patient", "in her own words" (not resolved here)."""
    for i in sorted(segment):
        token = doc[i]
        if token.lower_ != "words" or token.head.lower_ != "in":
            continue
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                owner = next((c for c in child.children if c.dep_ == "pobj" and c.i in segment), None)
                if owner is not None:
                    return owner
            if child.dep_ == "poss" and child.i in segment and child.pos_ in ("NOUN", "PROPN"):
                return child  # "in the minister's words"
    return None


def _verb_span(token: Token) -> tuple[int, int]:
    if token.lower_ == "according":
        to = token.nbor()
        return token.idx, to.idx + len(to.text)
    return token.idx, token.idx + len(token.text)


def _trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    strip = " \t\n,;:—–-" + QUOTE_MARKS
    while start < end and text[start] in strip:
        start += 1
    while end > start and (text[end - 1] in strip or text[end - 1] in ".!?"):
        end -= 1
    return start, end


class SourcesDetector:
    name = "sources"
    # v3: a term "called" so ("what's called", "the term used is") is no quote; "the patient described" and "in the
    # words of X:" name their speakers; v2: "the statement said" speaks for
    # its issuer, named terms are no quotes
    # v6: a word or two after "the" is a scare quote, a quotation followed by ", by Name," a cited headline, "the
    # People of the Book" a name; common given names are evidence of gender for "he"/"she"; words a verb says right
    # before the marks ("shouting, “Allahu Akbar”") are a quote, not a title, and a name met only inside
    # quotation marks is no source
    id = "unspin.sources.v6"
    languages = ("en",)  # English models and word lists
    requires: tuple[str, ...] = ()
    assigns = ("quotes", "sources", "attributions")

    def __call__(self, parsed: Parsed) -> Findings:
        if not parsed.text.strip() or len(parsed.doc) == 0:
            return {"quotes": [], "sources": [], "attributions": []}
        art = Article(parsed)
        text = art.text
        doc = art.doc
        speech_tokens = [t for t in doc if is_speech_verb(t, QUOTE_VERBS)]
        for token in speech_tokens:  # speakers in text order, so pronouns see the people named before
            if not art.in_quote(token):
                art.speaker_for_verb(token)
        used_verbs: set[int] = set()
        quotes: list[Quote] = []
        covered: list[tuple[int, int]] = []

        # direct quotes: first the verb of each, then speakers, sharing them within a group
        found = [self._verb_for_quote(art, qi, raw) for qi, raw in enumerate(art.raw_quotes)]
        group_verb: dict[int, Token] = {}
        for raw, (verb, _) in zip(art.raw_quotes, found, strict=True):
            if verb is not None and raw.group is not None:
                group_verb.setdefault(raw.group, verb)
        next_group = max((q.group for q in art.raw_quotes if q.group is not None), default=-1) + 1
        groups_of_verb: dict[int, int] = {}
        last_in_para: dict[int, Speaker | None] = {}
        raw_results: list[tuple[RawQuote, Speaker | None, Token | None, int | None]] = []
        titles: list[Quote] = []
        for raw, (verb, steps) in zip(art.raw_quotes, found, strict=True):
            words = len(re.findall(r"\w+", text[raw.start : raw.end]))
            named = _after_so_called(text, raw.mark_start)  # "dubbed “feather duvet lung”": a term, not words said
            # a few words in lower case that no verb claims ("put yourself out there", "yes.") are the writer's
            # scare quotes
            lower_phrase = words <= LOWER_SCARE_WORDS and verb is None and text[raw.start : raw.start + 1].islower()
            # "came to the “rescue”": a word or two after an article is the writer's, whatever verb is near
            lower_phrase = lower_phrase or (
                words <= SCARE_QUOTE_WORDS
                and text[raw.start : raw.start + 1].islower()
                and bool(DETERMINER_BEFORE.search(text, max(0, raw.mark_start - 8), raw.mark_start))
            )
            if (
                (named and words <= NAMED_TERM_WORDS)
                or lower_phrase
                or (
                    words <= SCARE_QUOTE_WORDS
                    and (verb is None or steps > 2 or verb.lower_ == "according" or self._modifier_quote(art, raw))
                )
            ):
                if raw.group is None and self._is_title(art, raw, verb, needs_cue=True):
                    titles.append(self._quote(text, raw.start, raw.end, "title", None, None, None, raw.closed))
                    covered.append((raw.mark_start, raw.mark_end))
                continue  # a scare quote, not a quotation
            if raw.group is None and words <= STANCE_LABEL_WORDS and self._stance_label(art, raw):
                continue  # "the “this is great” zone": a label, not a quotation
            if verb is None and raw.group is not None:
                verb = group_verb.get(raw.group)
            if raw.group is None and self._is_title(art, raw, verb):
                titles.append(self._quote(text, raw.start, raw.end, "title", None, None, None, raw.closed))
                covered.append((raw.mark_start, raw.mark_end))
                continue
            speaker = art.speaker_for_verb(verb) if verb is not None else self._colon_speaker(art, raw)
            # a verb whose subject cannot speak ("Fifty-one percent say") leaves the quote unattributed rather
            # than handing it to whoever spoke last
            unattributable = verb is not None and speaker is None and verb.i in art.cannot_speak
            if speaker is None and raw.paragraph in last_in_para and not unattributable:
                speaker = last_in_para[raw.paragraph]
            if speaker is None and not unattributable:
                speaker = self._recent_speaker(art, raw)
            group = raw.group
            if verb is not None and group is None:
                # split quotes: "We will win," he said, "whatever it takes." share the verb
                if verb.i in groups_of_verb:
                    group = groups_of_verb[verb.i]
                else:
                    groups_of_verb[verb.i] = group = next_group
                    next_group += 1
            last_in_para[raw.paragraph] = speaker
            raw_results.append((raw, speaker, verb, group))
        # the parts of one quotation share a speaker
        group_speaker: dict[int, Speaker] = {}
        for raw, speaker, _, _ in raw_results:
            if speaker is not None and raw.group is not None:
                group_speaker.setdefault(raw.group, speaker)
        raw_results = [
            (raw, speaker or (group_speaker.get(raw.group) if raw.group is not None else None), verb, group)
            for raw, speaker, verb, group in raw_results
        ]
        # a headline quote repeated in the body takes the body's speaker
        said_by: dict[str, Speaker] = {}
        for raw, speaker, _, _ in raw_results:
            if speaker is not None:
                said_by.setdefault(plain_words(text[raw.start : raw.end]), speaker)
        raw_results = [
            (raw, speaker if speaker is not None else said_by.get(plain_words(text[raw.start : raw.end])), verb, group)
            for raw, speaker, verb, group in raw_results
        ]
        group_sizes: dict[int, int] = {}
        for _, _, _, group in raw_results:
            if group is not None:
                group_sizes[group] = group_sizes.get(group, 0) + 1
        for raw, speaker, verb, group in raw_results:
            if verb is not None:
                used_verbs.add(verb.i)
            if group is not None and group_sizes[group] < 2:
                group = None
            quotes.append(self._quote(text, raw.start, raw.end, "direct", speaker, verb, group, raw.closed))
            covered.append((raw.mark_start, raw.mark_end))

        covered.sort()
        covered_starts = [a for a, _ in covered]
        # reported speech, "according to" and block quotes
        for token in speech_tokens:
            if art.in_quote(token):
                continue
            span = self._reported_span(art, token)
            if span is None:
                continue
            start, end, kind = span
            if start >= end or not any(ch.isalnum() for ch in text[start:end]):
                continue
            inside = _overlap(covered, covered_starts, start, end)
            if inside >= 0.8 * (end - start):
                continue  # "He said that “…”": the direct quote carries it
            used_verbs.add(token.i)
            quotes.append(self._quote(text, start, end, kind, art.speaker_for_verb(token), token, None, True))
        for block in self._block_paragraphs(art):
            quotes.append(block)
            if block.verb_start is not None:
                used_verbs.update(t.i for t in speech_tokens if t.idx == block.verb_start)

        quotes += titles
        quotes.sort(key=lambda q: (q.start, q.end))
        attributions = self._attributions(art, speech_tokens, used_verbs)
        return {"quotes": quotes, "sources": art.finish_sources(), "attributions": attributions}

    # -- direct quotes -------------------------------------------------------------------------------
    def _verb_for_quote(self, art: Article, qi: int, raw: RawQuote) -> tuple[Token | None, int]:
        """The speech verb a quote belongs to, and how far it is in the parse (0 when found by position)."""
        doc, text = art.doc, art.text
        first = bisect.bisect_left(art.token_starts, raw.mark_start)
        last = bisect.bisect_left(art.token_starts, raw.mark_end)
        if first >= last:
            return None, 0
        para_start, para_end = art.paras[raw.paragraph]
        # 1. a speech verb that governs the quote in the parse
        best: tuple[int, Token] | None = None
        for i in range(first, last):
            token = doc[i]
            head = token.head
            if art.quote_of_token[head.i] == qi:
                continue
            steps = 0
            while steps < 6 and para_start <= head.idx < para_end and art.quote_of_token[head.i] == -1:
                if is_speech_verb(head, QUOTE_VERBS) and not any(c.dep_ == "auxpass" for c in head.children):
                    if best is None or steps < best[0]:
                        best = (steps, head)
                    break
                if head.head.i == head.i:
                    break
                head = head.head
                steps += 1
        if best is not None:
            return best[1], best[0]
        # 1b. a speech verb hanging off a word of the quote ("We will win, he said, whatever it takes")
        for i in range(first, last):
            for child in doc[i].children:
                if (
                    art.quote_of_token[child.i] == -1
                    and is_speech_verb(child, QUOTE_VERBS)
                    and (para_start <= child.idx < para_end)
                ):
                    return child, 0
        # 2. right after the quote: “…,” he said / “…,” said the minister
        quoted = text[raw.start : raw.end].rstrip()
        after = last
        if after < len(doc) and art.quote_of_token[after] == -1 and doc[after].idx < para_end:
            opener = doc[after]
            if (
                quoted.endswith((",", "—", "–", "-"))
                or opener.text in (",", "—", "–")
                or opener.text[:1].islower()
                or (not quoted.endswith((".", "!", "?")) and opener.text[:1].isupper())
                or quoted.endswith(("!", "?"))
            ):
                for j in range(after, min(len(doc), after + 10)):
                    token = doc[j]
                    if token.idx >= para_end or art.quote_of_token[j] != -1:
                        break
                    if is_speech_verb(token, QUOTE_VERBS):
                        return token, 0
                    if token.text in SENTENCE_END:
                        break
        # 3. before the quote, in the same sentence: He said: “…” / Smith told reporters “…”
        for j in range(first - 1, max(-1, first - 26), -1):
            token = doc[j]
            if token.idx < para_start or art.quote_of_token[j] != -1 or token.text in SENTENCE_END:
                break
            if is_speech_verb(token, QUOTE_VERBS):
                return token, 0
        # 4. a colon ending the previous paragraph: He wrote:\n“…”
        if raw.paragraph > 0 and raw.mark_start == para_start:
            prev_start, prev_end = art.paras[raw.paragraph - 1]
            if text[prev_end - 1] == ":":
                return self._verb_before_colon(art, prev_start, prev_end - 1), 0
        return None, 0

    def _is_title(self, art: Article, raw: RawQuote, verb: Token | None, needs_cue: bool = False) -> bool:
        """Words in quotation marks that name a work, a show or a campaign rather than quote anyone: title-cased
        and short, and either no speech verb claims them, or they sit in a list of such names, follow a cue noun
        ("the film", "the slogan") or a preposition ("starred in", "appeared on"), unless a verb right after
        them attributes them (“Stop The Count,” he shouted). A quote of one or two words (`needs_cue`) is a title
        only after a cue or in a list: alone it is more often a scare quote."""
        text = art.text
        quoted = text[raw.start : raw.end].strip()
        if CITED_BY.match(text, raw.mark_end):
            return True  # “UK ambassador conveys concerns over ...,” by Rowena Mason, Guardian: an article's headline
        if not title_cased(quoted.rstrip(",.;:!?")):
            return False
        before = text[max(0, raw.mark_start - 40) : raw.mark_start]
        after = text[raw.mark_end : raw.mark_end + 40]
        if before.rstrip().endswith(":"):
            return False  # Kharkiv mayor: “…” introduces a quotation
        last_words = re.findall(r"[\w’'-]+", before.lower())[-2:]
        cue = any(w in TITLE_CUES for w in last_words) or bool(re.search(r"\b(?:in|on|of|for|from|at)\s*$", before))
        in_list = bool(re.match(r"\s*(?:,|and|or)?\s*(?:and\s+|or\s+)?[“\"‘]", after)) or bool(
            re.search(r"[”\"’]\s*(?:,|and|or)\s*(?:and\s+)?$", before)
        )
        if needs_cue:
            return cue or in_list
        attributed_after = verb is not None and verb.idx >= raw.mark_end and verb.idx - raw.mark_end < 30
        if attributed_after and not (cue or in_list):
            return False
        # the verb says it right before the marks ("while shouting, “Allahu Akbar”", "he said: “Stop The Count”"),
        # not "told “CBS This Morning”" (the show is whom he told)
        between = text[verb.idx + len(verb.text) : raw.mark_start] if verb is not None else "x"
        introduced = (
            verb is not None
            and not between.strip(" ,:—–-\n")
            and (bool(between.strip()) or verb.lemma_.lower() in UTTERANCE_VERBS)
        )
        if introduced and not (cue or in_list):
            return False
        return verb is None or cue or in_list or verb.idx < raw.mark_start

    def _modifier_quote(self, art: Article, raw: RawQuote) -> bool:
        """A short quote that modifies a noun ('the “Black Death” plague') is a name or a scare quote."""
        first = bisect.bisect_left(art.token_starts, raw.start)
        last = bisect.bisect_left(art.token_starts, raw.end)
        inside = range(first, last)
        roots = [art.doc[i] for i in inside if art.doc[i].head.i not in inside or art.doc[i].head.i == i]
        return bool(roots) and all(r.dep_ in ("compound", "amod", "nmod", "poss") for r in roots)

    def _stance_label(self, art: Article, raw: RawQuote) -> bool:
        """Short words quoted as a label (see STANCE_LABEL_WORDS)."""
        # "in the “this is great” zone", "from the “it'll do” to the ...": words quoted between an article and
        # a noun, or a range's first end, label a stance; nobody is quoted
        before = art.text[max(0, raw.mark_start - 8) : raw.mark_start].lower()
        after = art.text[raw.mark_end : raw.mark_end + 40]
        if not re.search(r"(?:\b(?:the|a|an)|[”\"’]\s+to)\s*$", before):
            return False
        if re.match(r"\s+to\s+(?:the\s+)?[“\"‘]", after):
            return True
        k = bisect.bisect_left(art.token_starts, raw.mark_end)
        while k < len(art.doc) and (art.doc[k].is_punct or art.doc[k].is_space) and art.doc[k].idx < raw.mark_end + 2:
            k += 1
        return k < len(art.doc) and art.doc[k].pos_ == "NOUN" and art.doc[k].idx - raw.mark_end <= 2

    def _colon_speaker(self, art: Article, raw: RawQuote) -> Speaker | None:
        """The subject before a colon that introduces a quote with no speech verb:
        'Egeland was less hopeful: “…”', a headline 'Kharkiv mayor: “…”'."""
        doc = art.doc
        k = bisect.bisect_left(art.token_starts, raw.mark_start) - 1
        while k >= 0 and doc[k].is_space:
            k -= 1
        if k < 0 or doc[k].text != ":" or art.in_quote(doc[k]):
            return self._speaker_after_colon(art, raw)
        para_start = art.paras[raw.paragraph][0]
        first = k
        while first > 0 and doc[first - 1].idx >= para_start and doc[first - 1].text not in SENTENCE_END:
            if art.in_quote(doc[first - 1]):
                break
            first -= 1
        segment = {i for i in range(first, k)}
        owner = _words_of(doc, segment)  # "Here is how it felt, in the words of the patient: “…”"
        if owner is not None and (speaker := art.describe(owner)) is not None:
            art.remember(doc[k].idx, speaker)
            return speaker
        roots = [doc[i] for i in sorted(segment) if doc[i].head.i not in segment or doc[i].head.i == i]
        speaker = None
        for root in roots:
            if root.pos_ in ("VERB", "AUX"):
                subject = next((c for c in root.children if c.dep_ == "nsubj" and c.i in segment), None)
                speaker = art.describe(subject) if subject is not None else None
            elif root.pos_ in ("NOUN", "PROPN"):
                speaker = art.describe(root)
            if speaker is not None:
                art.remember(doc[k].idx, speaker)
                return speaker
        return None

    def _speaker_after_colon(self, art: Article, raw: RawQuote) -> Speaker | None:
        """A headline '“It's gotta be a set-up”: Neighbor of shooter claims …' names its speaker after."""
        doc = art.doc
        k = bisect.bisect_left(art.token_starts, raw.mark_end)
        if k >= len(doc) or doc[k].text != ":" or art.in_quote(doc[k]):
            return None
        para_end = art.paras[raw.paragraph][1]
        for j in range(k + 1, min(len(doc), k + 12)):
            if doc[j].idx >= para_end or art.in_quote(doc[j]):
                break
            if doc[j].dep_ in ("nsubj", "nsubjpass"):
                speaker = art.describe(doc[j])
                if speaker is not None:
                    art.remember(doc[k].idx, speaker)
                return speaker
        return None

    def _verb_before_colon(self, art: Article, para_start: int, colon: int) -> Token | None:
        j = bisect.bisect_left(art.token_starts, colon) - 1
        doc = art.doc
        for k in range(j, max(-1, j - 15), -1):
            token = doc[k]
            if token.idx < para_start or token.text in SENTENCE_END or art.quote_of_token[k] != -1:
                break
            if is_speech_verb(token, QUOTE_VERBS):
                return token
        return None

    def _recent_speaker(self, art: Article, raw: RawQuote) -> Speaker | None:
        k = bisect.bisect_left(art.history_offsets, raw.mark_start) - 1  # the last speaker before the quote
        if k >= 0 and raw.paragraph - art.paragraph_of(art.history_offsets[k]) <= 2:
            # a quote paragraph with no verb continues the last speaker: a convention, not a certainty
            speaker = art.history[k][1]
            return replace(speaker, confidence=min(speaker.confidence, 0.6))
        return None

    # -- reported speech and block quotes --------------------------------------------------------
    def _reported_span(self, art: Article, token: Token) -> tuple[int, int, Literal["reported", "block"]] | None:
        text, doc = art.text, art.doc
        para = art.paras[art.paragraph_of(token.idx)]
        if token.lower_ == "according":
            head = token.head
            if head.i == token.i:
                return None
            skip = {t.i for t in token.subtree}
            sent = token.sent
            rest = [t for t in head.subtree if t.i not in skip and sent.start <= t.i < sent.end]
            rest = rest or [t for t in sent if t.i not in skip]
            before = [t for t in rest if t.i < min(skip) and not t.is_punct]
            after = [t for t in rest if t.i > max(skip) and not t.is_punct]
            if before and not after:
                rest = before
            elif after and not before:
                rest = after
            if not rest:
                return None
            start, end = rest[0].idx, rest[-1].idx + len(rest[-1].text)
            start, end = max(start, para[0]), min(end, para[1])
            start, end = _trim_span(text, start, end)
            return start, end, "reported"
        lemma = token.lemma_.lower()
        if (lemma not in VERB_STANCE and lemma not in ("read", "put")) or lemma in ("ask", "question", "wonder"):
            return None
        subject = art.subject_of(token)
        if subject is None or subject.lower_ in ("i", "we", "you"):
            return None  # the author's own voice, an imperative or "it is said": no one is reported
        # a colon right after the verb (and its adjuncts): block quote up to the sentence end
        clause_tokens = {t.i for c in token.children if c.dep_ == "ccomp" and c.i > token.i for t in c.subtree}
        j = token.i + 1
        while (
            j < len(doc)
            and j < token.i + 8
            and j not in clause_tokens
            and doc[j].text not in (":",)
            and doc[j].text not in SENTENCE_END
            and art.quote_of_token[j] == -1
            and doc[j].text not in ","
        ):
            j += 1
        if j < len(doc) and doc[j].text == ":" and doc[j].idx < para[1]:
            k = j + 1
            if k < len(doc) and doc[k].idx < para[1] and doc[k].text[:1] not in OPENING_MARKS:
                end_tok = doc[k].sent[-1]
                end = min(end_tok.idx + len(end_tok.text), para[1])
                start, end = _trim_span(text, doc[k].idx, end)
                return start, end, "block"
            return None
        clauses = sorted((c for c in token.children if c.dep_ == "ccomp"), key=lambda c: c.i < token.i)
        if not clauses:  # "said in a statement that …", parsed as a clause of "statement"
            clauses = [
                c
                for prep in token.children
                if prep.dep_ == "prep" and prep.i > token.i
                for obj in prep.children
                if obj.dep_ == "pobj"
                for c in obj.children
                if c.dep_ in ("acl", "ccomp", "relcl")
                and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
            ]
        last_word = token.i + 1 >= len(doc) or doc[token.i + 1].text in SENTENCE_END or doc[token.i + 1].is_space
        trailing = (
            token.dep_ == "conj" and last_word and token.left_edge.i > 0 and doc[token.left_edge.i - 1].text == ","
        )
        if not clauses and (token.dep_ == "parataxis" or trailing) and token.head.i != token.i:
            # "A blast killed dozens, the ministry said, blaming …", "…, The Washington Post reports."
            head = token.head
            skip = {t.i for t in token.subtree}
            rest = [t for t in head.subtree if t.i not in skip and t.i < token.left_edge.i and not t.is_space]
            rest = [t for t in rest if para[0] <= t.idx < para[1]]
            if rest and not any(art.in_quote(t) for t in rest):
                start, end = _trim_span(text, rest[0].idx, rest[-1].idx + len(rest[-1].text))
                return start, end, "reported"
        for child in clauses:
            # "X admitted the strike took place but insisted …": the second verb is not part of the content
            cut = {
                t.i for c in child.children if c.dep_ == "conj" and is_speech_verb(c, QUOTE_VERBS) for t in c.subtree
            }
            cut |= {c.i for c in child.children if c.dep_ == "cc" and any(c.i == t - 1 for t in cut)}
            sub = [
                t
                for t in child.subtree
                if t.i not in cut and not (t.dep_ == "mark" and t.head.i == child.i and t.i < child.i)
            ]
            if subject.i in {t.i for t in sub}:
                # the speaker parsed into the content: "…, killing 27 civilians, the head of …, X, said"
                top = subject
                while top.head.i != top.i and top.dep_ != "appos" and top.head.i != child.i:
                    top = top.head
                if top.dep_ == "appos":
                    cut_off = {t.i for t in top.subtree}
                    sub = [t for t in sub if t.i not in cut_off and t.i < top.left_edge.i]
            if not sub:
                continue
            if child.i < token.i and any(
                t.text in (":", ";", "—") or t.text in SENTENCE_END for t in doc[sub[-1].i + 1 : token.i]
            ):
                continue  # "The cost is staggering: the Bank estimated …" is not what the Bank estimated
            start, end = sub[0].idx, sub[-1].idx + len(sub[-1].text)
            start, end = max(start, para[0]), min(end, para[1])
            start, end = _trim_span(text, start, end)
            return start, end, "reported"
        return None

    def _block_paragraphs(self, art: Article) -> list[Quote]:
        text = art.text
        blocks = []
        for index in range(len(art.paras) - 1):
            p_start, p_end = art.paras[index]
            if text[p_end - 1] != ":":
                continue
            n_start, n_end = art.paras[index + 1]
            if text[n_start] in OPENING_MARKS:
                continue  # a direct quote; it finds this verb itself
            verb = self._verb_before_colon(art, p_start, p_end - 1)
            if verb is None:
                continue
            start, end = _trim_span(text, n_start, n_end)
            if start < end:
                blocks.append(self._quote(text, start, end, "block", art.speaker_for_verb(verb), verb, None, True))
        return blocks

    def _quote(
        self,
        text: str,
        start: int,
        end: int,
        kind: Literal["direct", "reported", "block", "title"],
        speaker: Speaker | None,
        verb: Token | None,
        group: int | None,
        closed: bool,
    ) -> Quote:
        verb_start, verb_end = _verb_span(verb) if verb is not None else (None, None)
        return Quote(
            start=start,
            end=end,
            text=text[start:end],
            speaker=speaker.name if speaker else None,
            speaker_start=speaker.start if speaker else None,
            speaker_end=speaker.end if speaker else None,
            speaker_confidence=round(speaker.confidence, 2) if speaker else None,
            verb=text[verb_start:verb_end] if verb_start is not None else None,
            verb_start=verb_start,
            verb_end=verb_end,
            kind=kind,
            group=group,
            closed=closed,
        )

    # -- attributions --------------------------------------------------------------------------------
    def _attributions(self, art: Article, speech_tokens: list[Token], used: set[int]) -> list[Attribution]:
        text = art.text
        found: dict[tuple[int, int], Attribution] = {}
        for token in speech_tokens:
            lemma = token.lemma_.lower()
            if token.lower_ == "according":
                stance: Stance = "neutral"
            elif lemma in VERB_STANCE:
                stance = VERB_STANCE[lemma]
                has_clause = any(c.dep_ == "ccomp" for c in token.children)
                if not (token.i in used or has_clause or lemma in ALWAYS_ATTRIBUTION):
                    continue
            else:
                continue
            start, end = _verb_span(token)
            found[(start, end)] = Attribution(start=start, end=end, text=text[start:end], kind="verb", stance=stance)
        for match in HEDGE_PATTERN.finditer(text):
            group = match.lastgroup
            stance = HEDGES[int(group[1:])][1] if group else "doubt"
            start, end = match.span()
            found[(start, end)] = Attribution(start=start, end=end, text=text[start:end], kind="hedge", stance=stance)
        return [found[k] for k in sorted(found)]
