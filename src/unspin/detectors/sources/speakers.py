"""Who speaks: the people an article names, and the speaker behind a speech verb or an "according to".

`Article` holds what one run of the quotes-and-sources detector works out about one article: its lines,
its direct quotes, the people it names (spaCy's PERSON entities and the capitalised names spaCy missed,
with their titles), the speakers met so far in text order, and the sources they add up to. `describe`
turns a subject token into a `Speaker`: a name (the entity, or the person a "he"/"she" refers to), an
organisation, or a description ("a spokesman for the ministry"), with the offsets of the name's mention.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from unspin.analysis import Source
from unspin.detectors.base import Parsed
from unspin.detectors.sources import outlets
from unspin.detectors.sources.lexicon import (
    CALENDAR_WORDS,
    DETERMINERS,
    DOCUMENT_WORDS,
    ENTITY_LABELS,
    EVENT_HEADS,
    FEMININE_GIVEN_NAMES,
    FEMININE_WORDS,
    GENERIC_ORG_HEADS,
    GOVERNMENT_NAMES,
    GOVERNMENT_WORDS,
    HE_SHE,
    HONORIFICS,
    MASCULINE_GIVEN_NAMES,
    MASCULINE_WORDS,
    MEASURE_NOUNS,
    NAME_PARTICLES,
    NAMING_WORDS,
    NOT_SPEAKER_LABELS,
    OFFICE_WORDS,
    OFFICIAL_HEADS,
    PERSON_WORDS,
    QUOTE_VERBS,
    ROLE_WORDS,
    THEY_IT,
    TITLE_WORDS,
    SourceKind,
    name_words,
    title_word,
)
from unspin.detectors.sources.quoting import DOUBLE_CLOSE, find_quotes, paragraphs

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


# Looking back for the speaker a pronoun or "the ministry" refers to reads at most this many speakers, from
# the verbs before it (and up to HISTORY_LOOKAHEAD characters after it): far more than an article holds.
# People named before a pronoun that its look-back reads at most (an article names far fewer).
MENTIONS_LOOKBACK = 400
HISTORY_LOOKBACK = 400
HISTORY_LOOKAHEAD = 2000


@dataclass
class Speaker:
    name: str
    start: int
    end: int
    kind: SourceKind
    key: str
    mention: tuple[int, int] | None = None  # the text's own mention (a description), when not a name
    confidence: float = 1.0  # 1: named at the verb; lower when resolved from a pronoun or a description


@dataclass
class _SourceAcc:
    name: str
    kind: SourceKind
    first: int
    mentions: set[tuple[int, int]] = field(default_factory=set)


_KIND_RANK: dict[str, int] = {
    "other": 0,
    "person": 1,
    "organisation": 2,
    "document": 3,
    "government": 3,
    "official": 4,
    "agency": 5,
    "newspaper": 5,
    "broadcaster": 5,
}


def clean_name(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of a name without a leading 'the', a trailing possessive or surrounding punctuation."""
    while start < end and not text[start].isalnum():
        start += 1
    if text[start : start + 4].lower() == "the " and end - start > 4:
        start += 4
    for suffix in ("'s", "’s", "'", "’"):
        if text.endswith(suffix, start, end) and end - start > len(suffix):
            end -= len(suffix)
            break
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in ".)"):
        end -= 1
    return start, end


# Documents that speak for whoever issued them ("the statement said"), and the verbs that issue them.
ISSUED_WORDS = frozenset({"statement", "letter", "memo", "communique", "communiqué", "release", "post", "email"})
ISSUE_VERBS = frozenset({"issue", "release", "send", "publish", "post", "write", "put", "share", "sign"})


class Article:
    """Everything one run works out about one article."""

    def __init__(self, parsed: Parsed) -> None:
        self.text = parsed.text
        self.doc: Doc = parsed.doc
        self.paras = paragraphs(self.text)
        self.para_starts = [p[0] for p in self.paras]
        self.raw_quotes = find_quotes(self.text)
        self.token_starts = [t.idx for t in self.doc]
        self.quote_of_token = [-1] * len(self.doc)
        for qi, quote in enumerate(self.raw_quotes):
            first = bisect.bisect_left(self.token_starts, quote.mark_start)
            last = bisect.bisect_left(self.token_starts, quote.mark_end)
            for i in range(first, last):
                self.quote_of_token[i] = qi
        # doc.ents builds every entity afresh on each access: read it once, and index the ones looked back for
        self.ents: list[Span] = list(self.doc.ents)
        self.ent_ends = [ent.end_char for ent in self.ents]  # sorted: spaCy's entities never overlap
        self._index_bodies()
        self.entity_of_token: list[Span | None] = [None] * len(self.doc)
        for ent in self.ents:
            if ent.label_ in ENTITY_LABELS:
                for i in range(ent.start, ent.end):
                    self.entity_of_token[i] = ent
        self.person_at: dict[int, tuple[int, int, str]] = {}  # token index -> (start, end, key) of its name
        self.person_names: dict[str, str] = {}
        self.person_mentions: list[tuple[int, int, str]] = []  # (start, end, key), outside quotes
        self.person_words: list[tuple[str, set[str]]] = []
        self.keys_with_word: dict[str, list[int]] = {}  # word -> positions in person_words of names holding it
        self.mentions_of: dict[str, list[tuple[int, int, str]]] = {}  # person key -> its mentions, in text order
        self._titled: dict[str, list[tuple[int, int, str]]] = {}  # title -> mentions of people with it, by end
        self.mention_ends: list[int] = []
        self.titles: dict[str, set[str]] = {}
        self._index_people()
        self.speaker_of_verb: dict[int, Speaker | None] = {}
        self.cannot_speak: set[int] = set()  # verbs whose subject is a number, a date, an event ...
        self.history: list[tuple[int, Speaker]] = []  # (char offset of the verb, speaker), in text order
        self.history_offsets: list[int] = []
        self.sources: dict[str, _SourceAcc] = {}
        self._issued: list[tuple[int, str, Token]] | None = None  # (offset, document word, issuer), on first need

    # -- positions ---------------------------------------------------------------------------------
    def paragraph_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, offset) - 1)

    def in_quote(self, token: Token) -> bool:
        return self.quote_of_token[token.i] != -1

    def _index_bodies(self) -> None:
        """Organisations (and places) outside quotes, for looking back from a pronoun or "the group" to the
        body named last: a bisection instead of a walk back over every entity."""
        in_quote = [False] * len(self.doc)
        for quote in self.raw_quotes:
            first = bisect.bisect_left(self.token_starts, quote.mark_start)
            last = bisect.bisect_left(self.token_starts, quote.mark_end)
            in_quote[first:last] = [True] * (last - first)
        self.bodies = [e for e in self.ents if e.label_ in ("ORG", "GPE") and not in_quote[e.start]]
        self.body_ends = [e.end_char for e in self.bodies]
        self.orgs = [
            e
            for e in self.ents
            if e.label_ == "ORG" and "\n" not in e.text and not in_quote[e.start] and outlets.lookup(e.text) is None
        ]
        self.org_ends = [e.end_char for e in self.orgs]
        self.last_subject_org: list[int] = []  # per org: the last org up to it that is the subject of its clause
        last = -1
        for k, ent in enumerate(self.orgs):
            if ent.root.dep_ in ("nsubj", "nsubjpass"):
                last = k
            self.last_subject_org.append(last)
        self.orgs_by_head: dict[str, list[Span]] = {}  # "ministry" -> the ORG entities ending in it
        for ent in self.ents:
            if ent.label_ == "ORG" and "\n" not in ent.text:
                self.orgs_by_head.setdefault(ent[-1].lower_, []).append(ent)

    # -- people --------------------------------------------------------------------------------------
    def _index_people(self) -> None:
        """Every person named: spaCy's PERSON entities, and runs of capitalised proper nouns of two words
        or more that spaCy missed ("Kharkiv Mayor Ihor Terekhov" -> Ihor Terekhov, a mayor)."""
        doc = self.doc
        found: list[tuple[int, int, set[str]]] = []  # token ranges of names, with the titles before them
        # "the Gateway" (a space station), "the Rock" (a fortress): one word spaCy calls a person that the
        # article always writes after "the" is a thing's name; people are not "the Smith"
        after_the: dict[str, bool] = {}
        for ent in doc.ents:
            if ent.label_ == "PERSON" and len(ent) == 1:
                before_the = ent.start > 0 and doc[ent.start - 1].lower_ == "the"
                after_the[ent.text] = after_the.get(ent.text, True) and before_the
        for ent in doc.ents:
            if ent.label_ == "PERSON" and not after_the.get(ent.text, False):
                first, last = self._name_tokens(ent.start, ent.end)
                if first < last:
                    found.append((first, last, self._titles_of(first, last)))
        taken = {i for first, last, _ in found for i in range(first, last)}
        from_entities = {(first, last) for first, last, _ in found}  # names spaCy itself calls PERSON
        i = 0
        while i < len(doc):
            j = i
            while j < len(doc) and self._name_like(doc[j]) and j not in taken:
                j += 1
            if j > i:
                first, last = self._name_tokens(i, j)
                name = doc[first:last].text
                honorific = first > i and doc[first - 1].lower_.strip(".") in HONORIFICS  # "Ms Geller"
                long_enough = last - first >= 2 or (honorific and last - first == 1)
                if long_enough and outlets.lookup(name) is None and not self._institutional(name):
                    found.append((first, last, self._titles_of(first, last) | self._run_titles(i, first)))
                i = j
            i += 1
        organisations = {e.text for e in doc.ents if e.label_ in ("ORG", "FAC", "PRODUCT", "GPE", "NORP")}
        found = [
            f
            for f in found
            if self._plausible_name(f[0], f[1])
            # a capitalised run spaCy calls an organisation elsewhere in the article ("Big Machine") is one
            and not (self.entity_of_token[f[0]] is None and doc[f[0] : f[1]].text in organisations)
        ]
        found.sort()
        keys: list[tuple[str, set[str]]] = []
        with_word: dict[str, set[int]] = {}
        wordless: list[int] = []  # names with no words match every name
        entity_keys: set[str] = set()
        for first, last, titles in found:
            start, end = clean_name(self.text, doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text))
            if start >= end:
                continue
            name = self.text[start:end]
            words = name_words(name)
            # the first name known whose words hold these words or are held by them: it shares a word with
            # them (or has none), so only the names holding one of these words need comparing
            if words:
                near = sorted({*wordless, *(n for w in words for n in with_word.get(w, ()))})
            else:
                near = list(range(len(keys)))
            index = next((n for n in near if words <= keys[n][1] or keys[n][1] <= words), None)
            if index is None:
                key = "person:" + name.lower()
                index = len(keys)
                keys.append((key, words))
                if not words:
                    wordless.append(index)
            else:
                key = keys[index][0]
                keys[index] = (key, keys[index][1] | words)
            for w in words:
                with_word.setdefault(w, set()).add(index)
            if (first, last) in from_entities:
                entity_keys.add(key)
            if len(name) > len(self.person_names.get(key, "")):
                self.person_names[key] = name
            if titles:
                self.titles.setdefault(key, set()).update(titles)
            for t in range(first, last):
                self.person_at[t] = (start, end, key)
            if self.quote_of_token[first] == -1:
                self.person_mentions.append((start, end, key))
        self.person_words = keys
        self.keys_with_word = {w: sorted(positions) for w, positions in with_word.items()}
        # a surname alone after the full name ("Sondland" after "Gordon Sondland"), however spaCy labelled it,
        # is a mention of that person, so that "he" and "the ambassador" can find it
        words_of_key = dict(keys)
        for token in doc:
            if token.i in self.person_at or token.pos_ != "PROPN" or not token.is_title or not token.is_alpha:
                continue
            owner = self._person_by_words(token)
            if owner is None or owner not in entity_keys or len(words_of_key[owner]) < 2:
                continue  # only people spaCy named in full
            if self.person_names[owner].split()[-1].lower().strip(".,") != token.lower_:
                continue  # the surname only: "Virginia" is not "Virginia Democrats"
            start, end = clean_name(self.text, token.idx, token.idx + len(token.text))
            if start < end:
                self.person_at[token.i] = (start, end, owner)
                if self.quote_of_token[token.i] == -1:
                    self.person_mentions.append((start, end, owner))
        self.person_mentions.sort(key=lambda m: m[1])
        self.mention_ends = [m[1] for m in self.person_mentions]
        for mention in self.person_mentions:
            self.mentions_of.setdefault(mention[2], []).append(mention)
        self.gender = self._genders()

    def _genders(self) -> dict[str, str]:
        """'m' or 'f' per person key, from the text itself: an honorific or a gendered title ("Ms Geller",
        "spokeswoman Ann Lee"), else the pronouns of the sentences where that person is the only one named and the
        subject of the main clause, counting the subject pronouns after the name ("Omar asked for compassion ...,
        saying she ..."). Persons with no evidence,
        or mixed evidence, stay unknown."""
        votes: dict[str, list[int]] = {}
        for key, titles in self.titles.items():
            for title in titles:
                if title in FEMININE_WORDS:
                    votes.setdefault(key, [0, 0])[1] += 3
                elif title in MASCULINE_WORDS:
                    votes.setdefault(key, [0, 0])[0] += 3
        for key, name in self.person_names.items():
            words = name.split()
            given = words[0].lower().strip(".,") if len(words) >= 2 else ""
            if given in FEMININE_GIVEN_NAMES:  # "Sarah Halimi": weak evidence, a title or the pronouns outweigh it
                votes.setdefault(key, [0, 0])[1] += 2
            elif given in MASCULINE_GIVEN_NAMES:
                votes.setdefault(key, [0, 0])[0] += 2
        for token_i, (_, _, key) in self.person_at.items():
            prev = self.doc[token_i - 1] if token_i > 0 else None
            if prev is not None and prev.lower_.strip(".") in ("mr", "sir", "lord"):
                votes.setdefault(key, [0, 0])[0] += 3
            elif prev is not None and prev.lower_.strip(".") in ("mrs", "ms", "miss", "dame", "lady", "madam"):
                votes.setdefault(key, [0, 0])[1] += 3
        for sent in self.doc.sents:
            named = [self.person_at[t.i] for t in sent if t.i in self.person_at and not self.in_quote(t)]
            keys = {m[2] for m in named}
            # only where that person is the subject of the main clause: "he" elsewhere may be someone unnamed
            if len(keys) != 1 or not any(self._is_subject_at(m[0]) for m in named):
                continue
            key = next(iter(keys))
            first_mention = min(m[0] for m in named)
            for t in sent:
                # subject pronouns after the name only: "His deputy, Olena Dmytrenko" is someone else's "his"
                if self.in_quote(t) or t.idx < first_mention or t.dep_ not in ("nsubj", "nsubjpass"):
                    continue
                if t.lower_ == "he":
                    votes.setdefault(key, [0, 0])[0] += 1
                elif t.lower_ == "she":
                    votes.setdefault(key, [0, 0])[1] += 1
        return {k: ("m" if m > f else "f") for k, (m, f) in votes.items() if m != f and min(m, f) * 3 <= max(m, f)}

    def _agrees(self, key: str, pronoun: str) -> bool:
        """Whether a person may be what 'he'/'she' refers to (unknown gender agrees with both)."""
        want = (
            "m"
            if pronoun in ("he", "him", "his", "himself")
            else "f"
            if pronoun in ("she", "her", "hers", "herself")
            else None
        )
        known = self.gender.get(key)
        return want is None or known is None or known == want

    def _plausible_name(self, first: int, last: int) -> bool:
        """A person's name is capitalised words, not a verb phrase ("Meghan cry", "Taking Archie"), a date or
        an event ("Super Tuesday", "Twitter Tuesday")."""
        tokens = [t for t in self.doc[first:last] if t.is_alpha]
        if not tokens:
            return True
        if tokens[0].tag_ in ("VBG", "VB", "VBD", "VBZ", "VBP") and tokens[0].pos_ == "VERB":
            return False
        for t in tokens:
            low = t.lower_
            if low in CALENDAR_WORDS or (t is tokens[-1] and low in EVENT_HEADS):
                return False
            if not t.text[:1].isupper() and low not in NAME_PARTICLES:
                return False
        return True

    def plausible_speaker(self, token: Token, speaker: Speaker | None) -> Speaker | None:
        """A speaker is a person, an organisation, a document or a described person: never a number, a date, an
        event, a work or a verb phrase ("Fifty-one percent say", "eating avocados lowers ...")."""
        if speaker is None:
            return None
        ent = self.entity_of_token[token.i] if token.i < len(self.entity_of_token) else None
        label = token.ent_type_
        if speaker.key.startswith("person:") or (ent is not None and ent.label_ in ENTITY_LABELS):
            words = speaker.name.lower().split()
            if words and (words[-1] in EVENT_HEADS or any(w in CALENDAR_WORDS for w in words)):
                return None
            return speaker
        if label in NOT_SPEAKER_LABELS or token.like_num:
            return None
        if token.tag_ == "VBG" or token.pos_ == "VERB":
            return None  # a gerund or a verb phrase
        first = self.doc[token.left_edge.i]
        lemma = token.lemma_.lower()
        speaking_head = token.pos_ == "PROPN" or any(
            lemma in words or token.lower_ in words
            for words in (PERSON_WORDS, OFFICIAL_HEADS, GOVERNMENT_WORDS, DOCUMENT_WORDS, GENERIC_ORG_HEADS)
        )
        if first.tag_ == "VBG" and first.pos_ == "VERB" and first.i < token.i and not speaking_head:
            return None  # "Eating avocados suggests ..." (but "Leading experts said" speaks)
        if token.lemma_.lower() in MEASURE_NOUNS or token.lower_ in MEASURE_NOUNS:
            return None  # "the death toll from the coronavirus suggests ..."
        words = speaker.name.lower().split()
        if words and (words[-1] in EVENT_HEADS or words[-1] in CALENDAR_WORDS):
            return None
        return speaker

    def _name_like(self, token: Token) -> bool:
        if token.pos_ != "PROPN" or "\n" in token.text or not token.text[:1].isupper():
            return False
        if not (token.is_alpha or "-" in token.text):
            return False
        ent = self.entity_of_token[token.i]
        return ent is None or ent.label_ == "PERSON"

    def _institutional(self, name: str) -> bool:
        words = {w.lower() for w in name.split()}
        return bool(words & GOVERNMENT_WORDS) or name in GOVERNMENT_NAMES or bool(words & DOCUMENT_WORDS)

    def _name_tokens(self, first: int, last: int) -> tuple[int, int]:
        """A name's tokens without the titles before it ('President Putin', 'Kharkiv Mayor Ihor Terekhov'),
        extended to a first name spaCy left out ('Iryna Melnyk' tagged as 'Melnyk')."""
        doc = self.doc
        while first > 0:
            prev = doc[first - 1]
            if not (prev.pos_ == "PROPN" and prev.dep_ == "compound" and prev.is_title and prev.is_alpha):
                break
            if prev.lower_ in TITLE_WORDS or prev.ent_type_ not in ("", "PERSON"):
                break
            first -= 1
        titled = [
            k for k in range(first, last) if title_word(doc[k]) in TITLE_WORDS or title_word(doc[k]) in HONORIFICS
        ]
        if titled and titled[-1] < last - 1:
            first = titled[-1] + 1
        while first < last and not (doc[first].is_alpha or "-" in doc[first].text):
            first += 1
        while last > first and not (doc[last - 1].is_alpha or "-" in doc[last - 1].text or doc[last - 1].text == "."):
            last -= 1
        return first, last

    def _run_titles(self, run_start: int, name_start: int) -> set[str]:
        return {title_word(t) for t in self.doc[run_start:name_start] if title_word(t) in TITLE_WORDS}

    def _titles_of(self, first: int, last: int) -> set[str]:
        """Title words before the name in its noun phrase ('Defence Minister Sergei Shoigu'), in an
        apposition ('Dmitry Peskov, the Kremlin spokesman') or the noun it is in apposition to
        ('His deputy, Olena Dmytrenko')."""
        doc = self.doc
        head = doc[last - 1]
        words = {title_word(t) for t in doc[max(head.left_edge.i, first - 4) : first] if title_word(t) in NAMING_WORDS}
        for child in head.children:
            if child.dep_ == "appos":
                words |= {title_word(t) for t in child.subtree if title_word(t) in NAMING_WORDS and t.i < child.i + 1}
        if head.dep_ == "appos" and (head.head.lower_ in NAMING_WORDS or head.head.lower_ in OFFICIAL_HEADS):
            words.add(head.head.lower_)
        return words

    def _person_named_fully(self, word: str) -> bool:
        """Whether the article names a person with a first name and this surname ("Michael Bloomberg"): then the
        bare surname is that person, not the outlet that shares it."""
        words = name_words(word)
        return bool(words) and any(words <= kw and len(kw) > 1 for _, kw in self.person_words)

    def _person_by_words(self, token: Token) -> str | None:
        """The key of a person named before or after whose name contains this single word ('Terekhov')."""
        word = name_words(token.text)
        if not word:
            return None
        # a name holding all these words holds the first of them: only those names need comparing
        near = self.keys_with_word.get(min(word), [])
        matches = [self.person_words[n][0] for n in near if word <= self.person_words[n][1]]
        return matches[0] if len(matches) == 1 else None

    def _person_withtitle_word(self, title: str, offset: int) -> tuple[int, int, str] | None:
        """The person last named with this title before `offset`, else the first one named after it."""
        if title not in self._titled:  # built once per title, then kept up to date by add_title
            self._titled[title] = [m for m in self.person_mentions if title in self.titles.get(m[2], ())]
        titled = self._titled[title]
        # names never overlap, so the mentions sorted by end are sorted by start too
        k = bisect.bisect_left(titled, offset, key=lambda m: m[0])
        if k > 0:
            return titled[k - 1]
        return titled[0] if titled else None

    def add_title(self, key: str, title: str) -> None:
        """A title learnt while reading ("His deputy, Olena Dmytrenko"): the person is found by it from now on."""
        titles = self.titles.setdefault(key, set())
        if title in titles:
            return
        titles.add(title)
        if title in self._titled:
            for mention in self.mentions_of.get(key, []):
                bisect.insort(self._titled[title], mention, key=lambda m: m[1])

    # -- speakers ------------------------------------------------------------------------------------
    def subject_of(self, verb: Token) -> Token | None:
        para = self.paragraph_of(verb.idx)
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and self.paragraph_of(c.idx) == para]
        if subjects:
            before = [c for c in subjects if c.i < verb.i]
            child = before[-1] if before else subjects[0]
            if child.lower_ in ("who", "that", "which") and verb.dep_ == "relcl" and verb.head.i != verb.i:
                head = verb.head  # "a caller to the radio show who says he was …": the caller
                while child.lower_ == "who" and head.dep_ == "pobj" and head.head.dep_ == "prep":
                    above = head.head.head
                    if above.pos_ not in ("NOUN", "PROPN") or self.paragraph_of(above.idx) != para:
                        break
                    head = above
                return head if self.paragraph_of(head.idx) == para else None
            if child.dep_ == "nsubjpass" and (
                child.lower_ in ("it", "there") or verb.lemma_.lower() in ("tell", "ask", "inform", "urge", "warn")
            ):
                return None  # "it is said that": a hedge; "they were told": the listener, not the speaker
            return child
        if verb.head.lower_ == "as" and verb.head.i != verb.i:  # "SANA quoted a military source as saying"
            holder = verb.head.head
            if holder.lemma_.lower() == "quote":
                return next((c for c in holder.children if c.dep_ == "dobj"), None)
            if holder.pos_ in ("NOUN", "PROPN"):
                return holder
        if verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.head.i != verb.i:
            # "The opposition refused …, saying the vote had been stolen"
            return self.subject_of(verb.head)
        if (
            verb.dep_ == "acl"
            and verb.tag_ in ("VBD", "VBN")
            and verb.head.pos_ in ("NOUN", "PROPN")
            and verb.head.i < verb.i
            and self.paragraph_of(verb.head.idx) == para
            and not any(c.dep_ in ("agent", "auxpass", "oprd", "dobj", "attr", "ccomp") for c in verb.children)
            and self._right_after_a_quote(verb.head)
        ):
            # “…,” the patient described in the case report: spaCy reads the verb as a clause on its subject.
            # Only right after a quotation: "a chemical called IL-25" names a chemical, it does not speak.
            return verb.head
        if verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i:
            # "X admitted the strike took place but insisted …": the subject of the speech verb above
            head = verb.head
            if (
                not is_speech_verb(head, QUOTE_VERBS)
                and head.dep_ == "ccomp"
                and is_speech_verb(head.head, QUOTE_VERBS)
            ):
                head = head.head
            for child in head.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.i < verb.i:
                    return child
        k = verb.i - 1  # "…, the head of the republic, Denis Pushilin, said": a name right before the verb
        while k >= 0 and self.doc[k].text == ",":
            k -= 1
        if k >= 0 and k < verb.i - 1 and k in self.person_at:
            return self.doc[k]
        # "…," said Shoigu; "…," continued the shooter's neighbor: after a quote, the noun after the verb
        inverted = any(c.dep_ == "ccomp" and c.i < verb.i for c in verb.children) or (
            verb.i > 0 and self.doc[verb.i - 1].text in ("," + DOUBLE_CLOSE + "\"'’")
        )
        for child in verb.children:
            nominal = (
                child.pos_ == "PROPN"
                or self.entity_of_token[child.i] is not None
                or child.lower_ in OFFICIAL_HEADS
                or (inverted and child.pos_ == "NOUN")
            )
            if nominal and child.i > verb.i and child.dep_ in ("dobj", "attr", "npadvmod", "appos", "dep", "nsubj"):
                return child
        return None

    def _right_after_a_quote(self, noun: Token) -> bool:
        """The noun phrase opens just after a closing quotation mark (a comma or dash may come between; spaCy may
        hang the mark on the noun itself)."""
        first_word = next(t.i for t in noun.subtree if t.is_alpha or t.i == noun.i)
        k = first_word - 1
        while k >= 0 and self.doc[k].text in {",", "—", "–"}:
            k -= 1
        return k >= 0 and len(self.doc[k].text) == 1 and self.doc[k].text in DOUBLE_CLOSE + "\"'’"

    def speaker_for_verb(self, verb: Token) -> Speaker | None:
        if verb.i in self.speaker_of_verb:
            return self.speaker_of_verb[verb.i]
        if verb.lower_ == "according":
            to = next((c for c in verb.children if c.lower_ == "to"), None)
            obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        else:
            obj = self.subject_of(verb)
        if obj is not None and self.in_quote(obj) and not self.in_quote(verb):
            obj = None  # "by shouting, “Allahu Akbar,” and throwing ...": the words said are not who said them
        described = self.describe(obj) if obj is not None else None
        speaker = self.plausible_speaker(obj, described) if obj is not None else None
        if described is not None and speaker is None:
            self.cannot_speak.add(verb.i)
        self.speaker_of_verb[verb.i] = speaker
        if speaker is not None:
            self.remember(verb.idx, speaker)
        return speaker

    def remember(self, offset: int, speaker: Speaker) -> None:
        at = bisect.bisect_right(self.history_offsets, offset)
        self.history.insert(at, (offset, speaker))
        self.history_offsets.insert(at, offset)
        self.add_source(speaker)

    def recent_history(self, before: int) -> list[tuple[int, Speaker]]:
        """The speakers of the verbs before `before` (and a little after it), latest first, at most
        HISTORY_LOOKBACK of them: looking back for an antecedent never walks the whole article."""
        end = bisect.bisect_left(self.history_offsets, before + HISTORY_LOOKAHEAD)
        return self.history[max(0, end - HISTORY_LOOKBACK) : end][::-1]

    def _person_speaker(
        self, start: int, end: int, key: str, mention: tuple[int, int] | None = None, confidence: float = 1.0
    ) -> Speaker:
        return Speaker(
            self.person_names[key], start, end, self._person_kind(key), key, mention=mention, confidence=confidence
        )

    def describe(self, token: Token) -> Speaker | None:
        lower = token.lower_
        if token.pos_ == "PRON" or lower in HE_SHE or lower in THEY_IT:
            if lower in HE_SHE:
                return self._antecedent_person(token.idx, lower)
            if lower in THEY_IT:
                return self._antecedent_org(token.idx)
            return None
        if token.i in self.person_at:
            return self._person_speaker(*self.person_at[token.i])
        appositions = [c for c in token.subtree if self._apposition_of(c, token)]
        for child in appositions:  # "His deputy, Olena Dmytrenko, said"; "Russia's envoy to the UN, Vitaly Churkin,"
            if child.i in self.person_at:
                start, end, key = self.person_at[child.i]
                if token.lower_ in TITLE_WORDS or token.lower_ in OFFICIAL_HEADS:
                    self.add_title(key, token.lower_)
                return self._person_speaker(start, end, key)
        for child in appositions:  # "The UN refugee agency, UNHCR, said"
            app_ent = self.entity_of_token[child.i]
            if token.pos_ == "NOUN" and app_ent is not None and app_ent.label_ == "ORG" and child.head.i == token.i:
                return self._entity_speaker(child, app_ent)
        if token.pos_ == "NOUN" and token.i not in self.person_at:
            # "Christine South, head of IFRC's emergency operations, said": the name before the title
            for k in range(token.left_edge.i - 1, max(token.sent.start, token.i - 16) - 1, -1):
                if k in self.person_at:
                    between = self.doc[k + 1 : token.i + 1]
                    titled = any(title_word(t) in TITLE_WORDS or t.lower_ in OFFICIAL_HEADS for t in between)
                    if between[0].text == "," and titled and not any(t.pos_ == "VERB" for t in between):
                        start, end, key = self.person_at[k]
                        return self._person_speaker(start, end, key)
                    break
        if token.pos_ == "NOUN":  # a name set off by commas inside the subject, however it was parsed
            for t in token.subtree:
                if (
                    t.i in self.person_at
                    and t.i > token.i > -1 < t.left_edge.i - 1
                    and self.doc[t.left_edge.i - 1].text == ","
                ):
                    start, end, key = self.person_at[t.i]
                    if token.lower_ in TITLE_WORDS or token.lower_ in OFFICIAL_HEADS:
                        self.add_title(key, token.lower_)
                    return self._person_speaker(start, end, key)
        ent = self.entity_of_token[token.i]
        single = (
            ent is not None
            and ent.label_ in ("GPE", "ORG", "NORP", "PERSON")
            and (
                len(ent) == 1 or (len(ent) == 2 and ent[0].lower_.strip(".") in HONORIFICS)  # "Ms Geller" as ORG
            )
        )
        if (
            (token.pos_ == "PROPN" or single)
            and (ent is None or token.i == ent.end - 1)
            and (not outlets.lookup(token.text) or self._person_named_fully(token.text))
        ):
            person = self._person_by_words(token)  # "Terekhov" after "Ihor Terekhov"; "Egeland" tagged as ORG
            if person is not None and (ent is None or single):
                return self._person_speaker(token.idx, token.idx + len(token.text), person)
        if (
            ent is not None
            and ent.label_ in ENTITY_LABELS
            and not (ent.label_ in ("NORP", "GPE") and token.pos_ == "NOUN")
            and "\n" not in ent.text
        ):
            return self._entity_speaker(token, ent)
        return self._phrase_speaker(token)

    def _apposition_of(self, child: Token, token: Token) -> bool:
        """Whether `child` is set off by commas as another name for `token` ("The agency, UNHCR, said"),
        however the parser labelled it."""
        if child.dep_ == "appos":
            return child.head.i == token.i or child.head.dep_ == "pobj"
        if child.dep_ in ("npadvmod", "dep") and child.head.i == token.i and child.i > token.i:
            return child.left_edge.i > 0 and self.doc[child.left_edge.i - 1].text == ","
        return False

    def _antecedent_person(self, offset: int, pronoun: str = "") -> Speaker | None:
        """The person a 'he'/'she' at `offset` refers to, among those whose gender (as the text shows it) agrees:
        the last one named as a subject in the same paragraph, else the last one named there; else, within the
        two paragraphs before, the later of the last person who spoke and the last one named as the subject of a
        clause; else the last one named within five paragraphs. Nothing further back: unresolved stays None."""
        paragraph = self.paragraph_of(offset)
        count = bisect.bisect_right(self.mention_ends, offset)  # the names ending by `offset`, never copied
        # the names of this paragraph before `offset`, read back from the last one (bounded by the paragraph)
        same: list[tuple[int, int, str]] = []
        for n in range(count - 1, max(-1, count - 1 - MENTIONS_LOOKBACK), -1):
            mention = self.person_mentions[n]
            if self.paragraph_of(mention[0]) != paragraph:
                break
            if self._agrees(mention[2], pronoun):
                same.append(mention)
        same.reverse()
        if same:
            subjects = [m for m in same if self._is_subject_at(m[0])]
            chosen = subjects[-1] if subjects and len({m[2] for m in same}) > 1 else same[-1]
            return self._person_speaker(*chosen, confidence=0.8)
        candidates: list[tuple[int, Speaker]] = []
        for n in range(count - 1, -1, -1):
            start, end, key = self.person_mentions[n]
            if paragraph - self.paragraph_of(start) > 2:
                break
            if self._is_subject_at(start):
                candidates.append((start, self._person_speaker(start, end, key, confidence=0.7)))
                break
        for n in range(bisect.bisect_left(self.history_offsets, offset) - 1, -1, -1):
            at, speaker = self.history[n]
            if paragraph - self.paragraph_of(at) > 2:
                break  # earlier verbs lie further back still
            if speaker.kind in ("person", "official") and self._agrees(speaker.key, pronoun):
                candidates.append((at, Speaker(**{**speaker.__dict__, "confidence": 0.7})))
                break
        if candidates:
            return max(candidates, key=lambda c: c[0])[1]
        # the last agreeing name within five paragraphs, read back from the last one
        for n in range(count - 1, max(-1, count - 1 - MENTIONS_LOOKBACK), -1):
            mention = self.person_mentions[n]
            if paragraph - self.paragraph_of(mention[0]) > 5:
                break
            if self._agrees(mention[2], pronoun):
                return self._person_speaker(*mention, confidence=0.5)
        return None

    def _is_subject_at(self, start: int) -> bool:
        """Whether the name starting at `start` is the subject of a main clause (or in apposition to one)."""
        i = bisect.bisect_left(self.token_starts, start)
        if i >= len(self.doc) or i not in self.person_at:
            return False
        end = self.person_at[i][1]
        root = self.doc[i]
        while root.head.i != root.i and start <= root.head.idx < end:
            root = root.head
        if root.dep_ == "appos" and root.head.dep_ == "nsubj":
            root = root.head
        # the subject of a main clause: not "… the place where Drummer Rigby died"
        return root.dep_ in ("nsubj", "nsubjpass") and root.head.dep_ in ("ROOT", "conj")

    def _antecedent_org(self, offset: int) -> Speaker | None:
        for _, speaker in self.recent_history(offset):
            if speaker.kind not in ("person", "official") and speaker.start < offset:
                return speaker
        paragraph = self.paragraph_of(offset)
        # the bodies named before `offset`, read back from the last one within two paragraphs (bisection, so
        # a long text is never walked whole): the last one named as a subject first, else the last one named
        nearby: list[Span] = []
        for k in range(
            bisect.bisect_right(self.body_ends, offset) - 1,
            max(-1, bisect.bisect_right(self.body_ends, offset) - 1 - MENTIONS_LOOKBACK),
            -1,
        ):
            ent = self.bodies[k]
            if ent[-1].lower_ in EVENT_HEADS or ent[-1].lower_ in CALENDAR_WORDS:
                continue  # "the American Music Awards" does not speak
            nearby.append(ent)
            if paragraph - self.paragraph_of(ent.start_char) > 2:
                break  # only the last body named counts from further back
            if ent.root.dep_ in ("nsubj", "nsubjpass"):
                found = self._entity_speaker(ent[-1], ent)
                if found is not None:
                    found.confidence = 0.7
                return found
        if nearby:
            found = self._entity_speaker(nearby[0][-1], nearby[0])
            if found is not None:
                found.confidence = 0.5
            return found
        return None

    def _person_kind(self, key: str) -> SourceKind:
        return "official" if self.titles.get(key, set()) & OFFICE_WORDS else "person"

    def _entity_speaker(self, token: Token, ent: Span) -> Speaker | None:
        text = self.text
        if ent.label_ == "PERSON":
            return self._phrase_speaker(token)  # a PERSON entity that is not a name (see _index_people)
        start, end = clean_name(text, ent.start_char, ent.end_char)
        if start >= end:
            return None
        name = text[start:end]
        outlet = outlets.lookup(name)
        if outlet is not None:
            return Speaker(outlet[0], start, end, outlet[1], "outlet:" + outlet[0])
        kind: SourceKind
        words = {w.lower() for w in name.split()}
        if ent.label_ == "GPE" or name in GOVERNMENT_NAMES or words & GOVERNMENT_WORDS:
            kind = "government"
        elif ent.label_ == "NORP":
            kind = "other"
        else:
            kind = "organisation"
        return Speaker(name, start, end, kind, "name:" + name.lower())

    def _phrase_tokens(self, token: Token) -> list[Token]:
        """The noun phrase of `token`: its left modifiers and following prepositional phrases, up to a comma."""
        para_start, para_end = self.paras[self.paragraph_of(token.idx)] if self.paras else (0, len(self.text))
        tokens = list(self.doc[token.left_edge.i : token.i + 1])
        for child in token.rights:
            if child.dep_ not in ("prep", "compound", "amod", "nummod"):
                break
            stop = False
            for t in child.subtree:
                if t.text in ",;:()—–" or self.in_quote(t) or t.dep_ == "relcl" or t.tag_ in ("WP", "WDT", "WP$"):
                    stop = True
                    break
                tokens.append(t)
            if stop:
                break
        tokens = [t for t in tokens if para_start <= t.idx < para_end and not t.is_space]
        while tokens and (
            tokens[0].lower_ in DETERMINERS
            or tokens[0].is_punct
            or (tokens[0].dep_ == "poss" and tokens[0].pos_ == "PRON")
        ):
            tokens = tokens[1:]
        while tokens and (tokens[-1].is_punct or tokens[-1].dep_ in ("prep", "det", "cc")):
            tokens = tokens[:-1]
        return tokens

    def _phrase_speaker(self, token: Token) -> Speaker | None:
        indefinite = token.left_edge.lower_ in ("a", "an", "one", "some")
        tokens = self._phrase_tokens(token)
        if not tokens or token.i not in {t.i for t in tokens}:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        name = self.text[start:end]
        head = token.lower_
        outlet = outlets.lookup(name)
        if outlet is not None:
            return Speaker(outlet[0], start, end, outlet[1], "outlet:" + outlet[0])
        if not indefinite and len(tokens) <= 3 and tokens[-1].i == token.i:
            # "the minister", "Kharkiv mayor": the person with that title
            if head in NAMING_WORDS:
                titled = self._person_withtitle_word(head, start)
                if titled is not None:
                    return self._person_speaker(titled[0], titled[1], titled[2], mention=(start, end), confidence=0.8)
            # "said the actor" where no one was named so: the person the paragraphs before are about, as a
            # reader takes it ("he" without the gender)
            if head in ROLE_WORDS and token.left_edge.lower_ == "the" and len(tokens) == 1:
                person = self._antecedent_person(start)
                if person is not None:
                    return Speaker(**{**person.__dict__, "mention": (start, end), "confidence": 0.6})
            # "the group", "the paramilitary group": the organisation last named as a subject
            if head in GENERIC_ORG_HEADS or token.lemma_.lower() in GENERIC_ORG_HEADS:
                body = self._recent_organisation(start)
                if body is not None:
                    return Speaker(body.name, start, end, body.kind, body.key, mention=(start, end))
            # "the statement said": whoever issued the statement named before ("X issued a statement")
            if head in ISSUED_WORDS or token.lemma_.lower() in ISSUED_WORDS:
                issuer = self._issuer_of(token.lemma_.lower(), start)
                if issuer is not None:
                    return Speaker(issuer.name, start, end, issuer.kind, issuer.key, mention=(start, end))
            # "the ministry": an earlier source whose name ends with that word
            earlier = self._earlier_source(head, start)
            if earlier is not None:
                return Speaker(earlier.name, start, end, earlier.kind, earlier.key, mention=(start, end))
        kind: SourceKind
        lemma = token.lemma_.lower()
        if head in DOCUMENT_WORDS or lemma in DOCUMENT_WORDS:
            kind = "document"
        elif head in OFFICIAL_HEADS or lemma in OFFICIAL_HEADS:
            kind = "official"
        elif head in GOVERNMENT_WORDS or lemma in GOVERNMENT_WORDS or name in GOVERNMENT_NAMES:
            kind = "government"
        elif head in PERSON_WORDS or lemma in PERSON_WORDS:
            kind = "other" if lemma == "source" else "person"
        elif token.pos_ == "PROPN":
            kind = "organisation"
        else:
            kind = "other"
        return Speaker(name, start, end, kind, "name:" + name.lower())

    def _issuer_of(self, lemma: str, before: int) -> Speaker | None:
        """The speaker of the nearest earlier "X issued / released / sent a <lemma>" (or "a <lemma> released by X")."""
        if self._issued is None:
            self._issued = []
            for tok in self.doc:  # one pass over the article, on first need
                if tok.lemma_.lower() not in ISSUE_VERBS:
                    continue
                if tok.dep_ == "acl" and tok.head.lemma_.lower() in ISSUED_WORDS:
                    by = next((c for c in tok.children if c.dep_ == "agent"), None)
                    agent = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
                    if agent is not None:
                        self._issued.append((tok.head.idx, tok.head.lemma_.lower(), agent))
                    continue
                for child in tok.children:
                    if child.dep_ == "dobj" and child.lemma_.lower() in ISSUED_WORDS:
                        subject = self.subject_of(tok)
                        if subject is not None:
                            self._issued.append((child.idx, child.lemma_.lower(), subject))
        for offset, issued, who in reversed(self._issued):
            if offset >= before or issued != lemma or self.in_quote(who):
                continue
            return self.plausible_speaker(who, self.describe(who))
        return None

    def _recent_organisation(self, before: int) -> Speaker | None:
        """The organisation named last before `before`, preferring one that was the subject of its clause."""
        k = bisect.bisect_right(self.org_ends, before) - 1
        if k < 0:
            return None
        subject = self.last_subject_org[k]
        ent = self.orgs[subject] if subject >= 0 else self.orgs[k]
        return self._entity_speaker(ent.root, ent)

    def _earlier_source(self, head: str, before: int) -> Speaker | None:
        for _, speaker in self.recent_history(before):
            if speaker.start >= before:
                continue
            words = speaker.name.split()
            if (words and words[-1].lower() == head) or head in self.titles.get(speaker.key, ()):
                return speaker
        bodies = self.orgs_by_head.get(head, [])  # a body named before without speaking
        for k in range(bisect.bisect_right(bodies, before, key=lambda e: e.end_char) - 1, -1, -1):
            found = self._entity_speaker(bodies[k][-1], bodies[k])
            if found is not None:
                return found
        return None

    # -- sources -------------------------------------------------------------------------------------
    def add_source(self, speaker: Speaker, mention: tuple[int, int] | None = None) -> None:
        acc = self.sources.get(speaker.key)
        if acc is None:
            acc = self.sources[speaker.key] = _SourceAcc(speaker.name, speaker.kind, speaker.start)
        elif _KIND_RANK[speaker.kind] > _KIND_RANK[acc.kind]:
            acc.kind = speaker.kind
        if len(speaker.name) > len(acc.name) and not speaker.key.startswith("outlet:"):
            acc.name = speaker.name
        acc.first = min(acc.first, speaker.start)
        acc.mentions.add((speaker.start, speaker.end))
        if speaker.mention is not None:
            acc.mentions.add(speaker.mention)
        if mention is not None:
            acc.mentions.add(mention)

    def finish_sources(self) -> list[Source]:
        text = self.text
        person_spans = sorted({(start, end) for start, end, _ in self.person_at.values()})
        for match in outlets.outlet_pattern().finditer(text):
            hit = outlets.lookup(match.group())
            inside_person = any(a <= match.start() and match.end() <= b for a, b in person_spans)
            if inside_person or (hit is not None and match.group() == hit[0] and self._person_named_fully(hit[0])):
                continue  # "Michael Bloomberg", and "Bloomberg" after him: the person, not the agency
            if hit is not None:
                start, end = clean_name(text, *match.span())
                self.add_source(Speaker(hit[0], start, end, hit[1], "outlet:" + hit[0]))
        for start, end, key in set(self.person_at.values()):
            if key in self.sources:
                self.sources[key].mentions.add((start, end))
        for token in self.doc:  # "Khweis" alone, however spaCy labelled it
            if token.i in self.person_at or not token.text[:1].isupper() or token.pos_ not in ("PROPN", "NOUN"):
                continue
            person = self._person_by_words(token)
            if person is not None and person in self.sources:
                start, end = clean_name(text, token.idx, token.idx + len(token.text))
                if start < end:
                    self.sources[person].mentions.add((start, end))
        names = {key[5:]: key for key in self.sources if key.startswith("name:")}
        if names:
            for ent in self.ents:
                if ent.label_ in ("ORG", "GPE", "NORP"):
                    start, end = clean_name(text, ent.start_char, ent.end_char)
                    name_key = names.get(text[start:end].lower())
                    if name_key is not None:
                        self.sources[name_key].mentions.add((start, end))
        for key, acc in self.sources.items():
            if key.startswith("person:"):
                acc.kind = self._person_kind(key) if acc.kind in ("person", "official") else acc.kind
        # a name met only inside quotation marks ("shouting “Allahu Akbar,” and ...") is words said, not a source
        kept = [
            a for a in self.sources.values() if not a.mentions or not all(self._quoted_at(m[0]) for m in a.mentions)
        ]
        ordered = sorted(kept, key=lambda a: min(a.mentions)[0] if a.mentions else a.first)
        return [Source(name=a.name, kind=a.kind, mentions=sorted(a.mentions)) for a in ordered]

    def _quoted_at(self, char: int) -> bool:
        k = bisect.bisect_right(self.token_starts, char) - 1
        return k >= 0 and self.in_quote(self.doc[k])


def is_speech_verb(token: Token, lexicon: frozenset[str]) -> bool:
    if token.lower_ == "according":
        return token.i + 1 < len(token.doc) and token.nbor().lower_ == "to"
    if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in lexicon:
        return False
    doc = token.doc
    if token.lemma_.lower() == "continue" and any(c.dep_ in _GOES_ON for c in token.children):
        return False  # "the course of steroids continued for 12 months": goes on, says nothing
    return not (token.i >= 2 and doc[token.i - 1].text == "-" and doc[token.i - 2].lower_ == "so")


# What "continue" takes when it means "go on" rather than "say further" ("'...,' he continued")
_GOES_ON = frozenset({"prep", "dobj", "xcomp", "npadvmod", "advcl", "acomp"})
