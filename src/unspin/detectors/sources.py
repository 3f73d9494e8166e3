"""Quotes, their speakers, the sources an article cites, and its attribution verbs and hedges.

Rule-based over the shared spaCy parse (no model of its own):

- **Direct quotes** come from the quotation marks (`unspin.detectors.quoting`); `start`/`end` cover the
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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from unspin.analysis import Attribution, Quote, Source
from unspin.detectors import outlets
from unspin.detectors.base import Findings, Parsed
from unspin.detectors.quoting import DOUBLE_CLOSE, OPENING_MARKS, QUOTE_MARKS, RawQuote, find_quotes, paragraphs

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

SourceKind = Literal[
    "agency", "newspaper", "broadcaster", "government", "official", "organisation", "document", "person", "other"
]
Stance = Literal["neutral", "doubt", "concession", "emphasis"]


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Attribution verbs (lemmas) and the stance the verb signals.
VERB_STANCE: dict[str, Stance] = {
    **dict.fromkeys(
        _words(
            "say tell state add report announce explain note write reply respond comment confirm mention ask "
            "answer recall describe deny quote tweet post predict estimate observe remark testify reveal "
            "argue suggest indicate continue"
        ),
        "neutral",
    ),
    **dict.fromkeys(_words("claim allege purport boast contend"), "doubt"),
    **dict.fromkeys(_words("admit concede acknowledge confess"), "concession"),
    **dict.fromkeys(
        _words(
            "insist stress emphasise emphasize assert maintain warn vow reiterate underline affirm declare pledge swear"
        ),
        "emphasis",
    ),
}
# Verbs that are attributions whatever follows them; the others need a content clause, a quote or a colon.
ALWAYS_ATTRIBUTION = _words(
    "say tell claim allege admit concede insist deny acknowledge stress warn confess assert reiterate "
    "emphasise emphasize announce declare vow"
)
# Further verbs that can introduce a direct quote but are not attribution verbs in themselves.
QUOTE_VERBS = frozenset(VERB_STANCE) | _words(
    "call urge accuse dismiss condemn promise threaten shout scream whisper quip joke cry exclaim conclude "
    "read put complain demand question wonder lament plead protest repeat brand label term "
    "praise criticise criticize slam blast hail chant detail elaborate recount muse opine posit proclaim reason "
    "reflect snap summarise summarize text email message yell mutter murmur sigh laugh beg inquire interject "
    "interrupt chime offer brag plead remind caution"
)
HEDGES: list[tuple[str, Stance]] = [
    (r"reportedly", "doubt"),
    (r"allegedly", "doubt"),
    (r"purportedly", "doubt"),
    (r"supposedly", "doubt"),
    (r"ostensibly", "doubt"),
    (r"so-called", "doubt"),
    (r"self-styled", "doubt"),
    (r"self-proclaimed", "doubt"),
    (r"unconfirmed", "doubt"),
    (r"unverified", "doubt"),
    (r"could not (?:be )?(?:independently )?(?:verified|verify|confirm(?:ed)?)", "doubt"),
    (
        r"it (?:is|was|has been) (?:widely )?(?:believed|thought|claimed|alleged|rumou?red|understood|said|reported)",
        "doubt",
    ),
    (r"(?:is|are|was|were) (?:said|believed|thought|reported|rumou?red|alleged) to", "doubt"),
    (r"(?:unnamed |anonymous )?sources (?:say|said|claim|claimed|suggest|suggested|told)", "doubt"),
    (r"rumou?rs? (?:say|has it|suggest)", "doubt"),
]
_HEDGE = re.compile(
    r"(?<![\w-])(?:" + "|".join(f"(?P<h{i}>{p})" for i, (p, _) in enumerate(HEDGES)) + r")(?![\w-])", re.IGNORECASE
)

TITLE_WORDS = _words(
    "minister president spokesman spokeswoman spokesperson secretary governor general commander ambassador "
    "official officials mayor premier chancellor senator congressman congresswoman lawmaker legislator "
    "chief head director deputy envoy diplomat representative prosecutor judge colonel major lieutenant "
    "captain admiral sergeant marshal king queen prince emir sheikh ayatollah pope chairman chairwoman "
    "chair mp leader adviser advisor aide attorney commissioner ombudsman speaker prime foreign defence "
    "defense interior drummer corporal private"
)
OFFICIAL_HEADS = _words(
    "minister president spokesman spokeswoman spokesperson secretary governor general commander ambassador "
    "official officials mayor premier chancellor senator lawmaker lawmakers legislator chief director deputy "
    "envoy diplomat diplomats representative prosecutor prosecutors judge colonel admiral king queen prince "
    "emir chairman chairwoman leader leaders adviser advisor aide aides commissioner ombudsman authorities "
    "spokespeople spokesmen officers officer"
)
GOVERNMENT_WORDS = _words(
    "ministry government kremlin pentagon department office army military forces police cabinet parliament "
    "council presidency administration navy command embassy agency authority authorities state prosecutor "
    "court duma senate congress commission secretariat headquarters staff guard service services "
    "directorate bureau"
)
GOVERNMENT_NAMES = frozenset(["White House", "Kremlin", "Pentagon", "Downing Street", "Elysee", "Élysée"])
DOCUMENT_WORDS = _words(
    "report statement study document documents memo memorandum letter communique communiqué assessment "
    "survey investigation review dossier cable filing transcript analysis audit briefing release bulletin "
    "resolution paper papers record records data figures estimate estimates post tweet video footage "
    "notice decree order indictment lawsuit complaint ruling verdict article articles"
)
PERSON_WORDS = _words(
    "witness witnesses resident residents doctor doctors nurse survivor survivors man woman mother father "
    "soldier soldiers farmer student activist activists journalist journalists correspondent analyst "
    "analysts expert experts researcher researchers lawyer neighbour neighbor relative relatives friend "
    "people source sources eyewitness eyewitnesses refugee refugees attorney attorneys"
)
TITLE_ABBREVIATIONS = {
    "sen": "senator",
    "rep": "representative",
    "gen": "general",
    "col": "colonel",
    "lt": "lieutenant",
    "gov": "governor",
    "pres": "president",
    "sgt": "sergeant",
    "capt": "captain",
    "adm": "admiral",
    "maj": "major",
    "cpl": "corporal",
}
HONORIFICS = _words("mr mrs ms miss dr sir dame lord lady rev prof mx madam monsieur")
NAME_PARTICLES = _words("al el bin ibn de van von der la le abu da di du")
GENERIC_ORG_HEADS = _words(
    "group organisation organization movement militia company firm party alliance body charity network "
    "watchdog monitor faction rebels insurgents"
)
HE_SHE = frozenset(["he", "she", "him", "her"])
THEY_IT = frozenset(["they", "it", "we", "them"])
DETERMINERS = frozenset(["a", "an", "the", "some", "one", "two", "three", "several", "many", "other", "another"])
ENTITY_LABELS = frozenset(["PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"])
SENTENCE_END = frozenset([".", "!", "?"])
SCARE_QUOTE_WORDS = 2  # quotes this short need a verb governing them


@dataclass
class Speaker:
    name: str
    start: int
    end: int
    kind: SourceKind
    key: str
    mention: tuple[int, int] | None = None  # the text's own mention (a description), when not a name


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


def _clean_name(text: str, start: int, end: int) -> tuple[int, int]:
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


class _Article:
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
        self.entity_of_token: list[Span | None] = [None] * len(self.doc)
        for ent in self.doc.ents:
            if ent.label_ in ENTITY_LABELS:
                for i in range(ent.start, ent.end):
                    self.entity_of_token[i] = ent
        self.person_at: dict[int, tuple[int, int, str]] = {}  # token index -> (start, end, key) of its name
        self.person_names: dict[str, str] = {}
        self.person_mentions: list[tuple[int, int, str]] = []  # (start, end, key), outside quotes
        self.person_words: list[tuple[str, set[str]]] = []
        self.mention_ends: list[int] = []
        self.titles: dict[str, set[str]] = {}
        self._index_people()
        self.speaker_of_verb: dict[int, Speaker | None] = {}
        self.history: list[tuple[int, Speaker]] = []  # (char offset of the verb, speaker), in text order
        self.sources: dict[str, _SourceAcc] = {}

    # -- positions ---------------------------------------------------------------------------------
    def paragraph_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, offset) - 1)

    def in_quote(self, token: Token) -> bool:
        return self.quote_of_token[token.i] != -1

    # -- people --------------------------------------------------------------------------------------
    def _index_people(self) -> None:
        """Every person named: spaCy's PERSON entities, and runs of capitalised proper nouns of two words
        or more that spaCy missed ("Kharkiv Mayor Ihor Terekhov" -> Ihor Terekhov, a mayor)."""
        doc = self.doc
        found: list[tuple[int, int, set[str]]] = []  # token ranges of names, with the titles before them
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                first, last = self._name_tokens(ent.start, ent.end)
                if first < last:
                    found.append((first, last, self._titles_of(first, last)))
        taken = {i for first, last, _ in found for i in range(first, last)}
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
        found.sort()
        keys: list[tuple[str, set[str]]] = []
        for first, last, titles in found:
            start, end = _clean_name(self.text, doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text))
            if start >= end:
                continue
            name = self.text[start:end]
            words = _name_words(name)
            key = next((k for k, kw in keys if words <= kw or kw <= words), None)
            if key is None:
                key = "person:" + name.lower()
                keys.append((key, words))
            else:
                index = next(n for n, (k, _) in enumerate(keys) if k == key)
                keys[index] = (key, keys[index][1] | words)
            if len(name) > len(self.person_names.get(key, "")):
                self.person_names[key] = name
            if titles:
                self.titles.setdefault(key, set()).update(titles)
            for t in range(first, last):
                self.person_at[t] = (start, end, key)
            if self.quote_of_token[first] == -1:
                self.person_mentions.append((start, end, key))
        self.person_words = keys
        self.person_mentions.sort(key=lambda m: m[1])
        self.mention_ends = [m[1] for m in self.person_mentions]

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
        titled = [k for k in range(first, last) if _title(doc[k]) in TITLE_WORDS or _title(doc[k]) in HONORIFICS]
        if titled and titled[-1] < last - 1:
            first = titled[-1] + 1
        while first < last and not (doc[first].is_alpha or "-" in doc[first].text):
            first += 1
        while last > first and not (doc[last - 1].is_alpha or "-" in doc[last - 1].text or doc[last - 1].text == "."):
            last -= 1
        return first, last

    def _run_titles(self, run_start: int, name_start: int) -> set[str]:
        return {_title(t) for t in self.doc[run_start:name_start] if _title(t) in TITLE_WORDS}

    def _titles_of(self, first: int, last: int) -> set[str]:
        """Title words before the name in its noun phrase ('Defence Minister Sergei Shoigu'), in an
        apposition ('Dmitry Peskov, the Kremlin spokesman') or the noun it is in apposition to
        ('His deputy, Olena Dmytrenko')."""
        doc = self.doc
        head = doc[last - 1]
        words = {_title(t) for t in doc[max(head.left_edge.i, first - 4) : first] if _title(t) in TITLE_WORDS}
        for child in head.children:
            if child.dep_ == "appos":
                words |= {_title(t) for t in child.subtree if _title(t) in TITLE_WORDS and t.i < child.i + 1}
        if head.dep_ == "appos" and head.head.lower_ in TITLE_WORDS | OFFICIAL_HEADS:
            words.add(head.head.lower_)
        return words

    def _person_by_words(self, token: Token) -> str | None:
        """The key of a person named before or after whose name contains this single word ('Terekhov')."""
        word = _name_words(token.text)
        matches = [key for key, words in self.person_words if word and word <= words]
        return matches[0] if len(matches) == 1 else None

    def _person_with_title(self, title: str, offset: int) -> tuple[int, int, str] | None:
        """The person last named with this title before `offset`, else the first one named after it."""
        titled = [m for m in self.person_mentions if title in self.titles.get(m[2], ())]
        earlier = [m for m in titled if m[0] < offset]
        if earlier:
            return earlier[-1]
        return titled[0] if titled else None

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
        if verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i:
            # "X admitted the strike took place but insisted …": the subject of the speech verb above
            head = verb.head
            if (
                not _is_speech_verb(head, QUOTE_VERBS)
                and head.dep_ == "ccomp"
                and _is_speech_verb(head.head, QUOTE_VERBS)
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

    def speaker_for_verb(self, verb: Token) -> Speaker | None:
        if verb.i in self.speaker_of_verb:
            return self.speaker_of_verb[verb.i]
        if verb.lower_ == "according":
            to = next((c for c in verb.children if c.lower_ == "to"), None)
            obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        else:
            obj = self.subject_of(verb)
        speaker = self.describe(obj) if obj is not None else None
        self.speaker_of_verb[verb.i] = speaker
        if speaker is not None:
            self.remember(verb.idx, speaker)
        return speaker

    def remember(self, offset: int, speaker: Speaker) -> None:
        bisect.insort(self.history, (offset, speaker), key=lambda entry: entry[0])
        self.add_source(speaker)

    def _person_speaker(self, start: int, end: int, key: str, mention: tuple[int, int] | None = None) -> Speaker:
        return Speaker(self.person_names[key], start, end, self._person_kind(key), key, mention=mention)

    def describe(self, token: Token) -> Speaker | None:
        lower = token.lower_
        if token.pos_ == "PRON" or lower in HE_SHE or lower in THEY_IT:
            if lower in HE_SHE:
                return self._antecedent_person(token.idx)
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
                    self.titles.setdefault(key, set()).add(token.lower_)
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
                    titled = any(_title(t) in TITLE_WORDS or t.lower_ in OFFICIAL_HEADS for t in between)
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
                        self.titles.setdefault(key, set()).add(token.lower_)
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
            and not outlets.lookup(token.text)
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

    def _antecedent_person(self, offset: int) -> Speaker | None:
        """The person a 'he'/'she' at `offset` refers to: the last one named in the same paragraph; else,
        within the two paragraphs before, the later of the last person who spoke and the last one named as
        the subject of a clause; else the last one named."""
        paragraph = self.paragraph_of(offset)
        earlier = self.person_mentions[: bisect.bisect_right(self.mention_ends, offset)]
        if earlier and self.paragraph_of(earlier[-1][0]) == paragraph:
            return self._person_speaker(*earlier[-1])  # named earlier in the same paragraph
        candidates: list[tuple[int, Speaker]] = []
        for start, end, key in reversed(earlier):
            if paragraph - self.paragraph_of(start) > 2:
                break
            if self._is_subject_at(start):
                candidates.append((start, self._person_speaker(start, end, key)))
                break
        for at, speaker in reversed(self.history):
            if at < offset and speaker.kind in ("person", "official") and paragraph - self.paragraph_of(at) <= 2:
                candidates.append((at, speaker))
                break
        if candidates:
            return max(candidates, key=lambda c: c[0])[1]
        if earlier:
            return self._person_speaker(*earlier[-1])
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
        for _, speaker in reversed(self.history):
            if speaker.kind not in ("person", "official") and speaker.start < offset:
                return speaker
        for ent in reversed(self.doc.ents):
            if ent.end_char <= offset and ent.label_ in ("ORG", "GPE") and self.quote_of_token[ent.start] == -1:
                return self._entity_speaker(ent[-1], ent)
        return None

    def _person_kind(self, key: str) -> SourceKind:
        return "official" if self.titles.get(key) else "person"

    def _entity_speaker(self, token: Token, ent: Span) -> Speaker | None:
        text = self.text
        if ent.label_ == "PERSON":
            return self._phrase_speaker(token)  # a PERSON entity that is not a name (see _index_people)
        start, end = _clean_name(text, ent.start_char, ent.end_char)
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
            if head in TITLE_WORDS:
                titled = self._person_with_title(head, start)
                if titled is not None:
                    return self._person_speaker(titled[0], titled[1], titled[2], mention=(start, end))
            # "the group", "the paramilitary group": the organisation last named as a subject
            if head in GENERIC_ORG_HEADS or token.lemma_.lower() in GENERIC_ORG_HEADS:
                body = self._recent_organisation(start)
                if body is not None:
                    return Speaker(body.name, start, end, body.kind, body.key, mention=(start, end))
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

    def _recent_organisation(self, before: int) -> Speaker | None:
        """The organisation named last before `before`, preferring one that was the subject of its clause."""
        fallback = None
        for ent in reversed(self.doc.ents):
            if ent.end_char > before or ent.label_ != "ORG" or "\n" in ent.text or self.in_quote(ent[0]):
                continue
            if outlets.lookup(ent.text) is not None:
                continue
            if ent.root.dep_ in ("nsubj", "nsubjpass"):
                return self._entity_speaker(ent.root, ent)
            if fallback is None:
                fallback = ent
        return self._entity_speaker(fallback.root, fallback) if fallback is not None else None

    def _earlier_source(self, head: str, before: int) -> Speaker | None:
        for _, speaker in reversed(self.history):
            if speaker.start >= before:
                continue
            words = speaker.name.split()
            if (words and words[-1].lower() == head) or head in self.titles.get(speaker.key, ()):
                return speaker
        for ent in reversed(self.doc.ents):  # a body named before without speaking
            if ent.end_char <= before and ent.label_ == "ORG" and ent[-1].lower_ == head and "\n" not in ent.text:
                found = self._entity_speaker(ent[-1], ent)
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
        for match in outlets.outlet_pattern().finditer(text):
            hit = outlets.lookup(match.group())
            if hit is not None:
                start, end = _clean_name(text, *match.span())
                self.add_source(Speaker(hit[0], start, end, hit[1], "outlet:" + hit[0]))
        for start, end, key in set(self.person_at.values()):
            if key in self.sources:
                self.sources[key].mentions.add((start, end))
        for token in self.doc:  # "Khweis" alone, however spaCy labelled it
            if token.i in self.person_at or not token.text[:1].isupper() or token.pos_ not in ("PROPN", "NOUN"):
                continue
            person = self._person_by_words(token)
            if person is not None and person in self.sources:
                start, end = _clean_name(text, token.idx, token.idx + len(token.text))
                if start < end:
                    self.sources[person].mentions.add((start, end))
        names = {key[5:]: key for key in self.sources if key.startswith("name:")}
        if names:
            for ent in self.doc.ents:
                if ent.label_ in ("ORG", "GPE", "NORP"):
                    start, end = _clean_name(text, ent.start_char, ent.end_char)
                    name_key = names.get(text[start:end].lower())
                    if name_key is not None:
                        self.sources[name_key].mentions.add((start, end))
        for key, acc in self.sources.items():
            if key.startswith("person:"):
                acc.kind = self._person_kind(key) if acc.kind in ("person", "official") else acc.kind
        ordered = sorted(self.sources.values(), key=lambda a: min(a.mentions)[0] if a.mentions else a.first)
        return [Source(name=a.name, kind=a.kind, mentions=sorted(a.mentions)) for a in ordered]


def _overlap(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> int:
    """Characters of [start, end) covered by `spans` (sorted, not overlapping each other)."""
    total = 0
    for a, b in spans[max(0, bisect.bisect_left(starts, start) - 1) : bisect.bisect_left(starts, end)]:
        if a < end and b > start:
            total += min(end, b) - max(start, a)
    return total


def _title(token: Token) -> str:
    """A title word, abbreviations spelt out ('Sen.' -> 'senator')."""
    word = token.lower_.strip(".")
    return TITLE_ABBREVIATIONS.get(word, word)


def _plain(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _name_words(name: str) -> set[str]:
    """The words of a name, lower-cased, with hyphenated parts split and lower-case or hyphenated
    particles dropped ('Abdel Fattah al-Burhan' -> {'abdel', 'fattah', 'burhan'}), so that 'Burhan' matches
    it; honorifics go too ('Mr Spencer' -> {'spencer'})."""
    words: set[str] = set()
    for word in name.split():
        parts = [p for p in re.split(r"[-‐]+", word) if p]
        for part in parts:
            low = part.lower().strip(".")
            if low in HONORIFICS:
                continue
            if low in NAME_PARTICLES and (len(parts) > 1 or part.islower()):
                continue
            words.add(low)
    return words


def _is_speech_verb(token: Token, lexicon: frozenset[str]) -> bool:
    if token.lower_ == "according":
        return token.i + 1 < len(token.doc) and token.nbor().lower_ == "to"
    if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in lexicon:
        return False
    doc = token.doc
    return not (token.i >= 2 and doc[token.i - 1].text == "-" and doc[token.i - 2].lower_ == "so")


def _after_so_called(text: str, mark: int) -> bool:
    return text[max(0, mark - 12) : mark].rstrip().lower().endswith(("so-called", "so called", "self-styled"))


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
    id = "unspin.sources.v1"
    requires: tuple[str, ...] = ()
    assigns = ("quotes", "sources", "attributions")

    def __call__(self, parsed: Parsed) -> Findings:
        if not parsed.text.strip() or len(parsed.doc) == 0:
            return {"quotes": [], "sources": [], "attributions": []}
        art = _Article(parsed)
        text = art.text
        doc = art.doc
        speech_tokens = [t for t in doc if _is_speech_verb(t, QUOTE_VERBS)]
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
        for raw, (verb, steps) in zip(art.raw_quotes, found, strict=True):
            words = len(re.findall(r"\w+", text[raw.start : raw.end]))
            if words <= SCARE_QUOTE_WORDS and (
                verb is None
                or steps > 2
                or verb.lower_ == "according"
                or _after_so_called(text, raw.mark_start)
                or self._modifier_quote(art, raw)
            ):
                continue  # a scare quote, not a quotation
            if verb is None and raw.group is not None:
                verb = group_verb.get(raw.group)
            speaker = art.speaker_for_verb(verb) if verb is not None else self._colon_speaker(art, raw)
            if speaker is None and raw.paragraph in last_in_para:
                speaker = last_in_para[raw.paragraph]
            if speaker is None:
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
                said_by.setdefault(_plain(text[raw.start : raw.end]), speaker)
        raw_results = [
            (raw, speaker if speaker is not None else said_by.get(_plain(text[raw.start : raw.end])), verb, group)
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
        colon_done: set[int] = set()
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
            if kind == "block":
                colon_done.add(token.i)
            used_verbs.add(token.i)
            quotes.append(self._quote(text, start, end, kind, art.speaker_for_verb(token), token, None, True))
        for block in self._block_paragraphs(art, speech_tokens):
            quotes.append(block)
            if block.verb_start is not None:
                used_verbs.update(t.i for t in speech_tokens if t.idx == block.verb_start)

        quotes.sort(key=lambda q: (q.start, q.end))
        attributions = self._attributions(art, speech_tokens, used_verbs)
        return {"quotes": quotes, "sources": art.finish_sources(), "attributions": attributions}

    # -- direct quotes -------------------------------------------------------------------------------
    def _verb_for_quote(self, art: _Article, qi: int, raw: RawQuote) -> tuple[Token | None, int]:
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
                if _is_speech_verb(head, QUOTE_VERBS) and not any(c.dep_ == "auxpass" for c in head.children):
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
                    and _is_speech_verb(child, QUOTE_VERBS)
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
                    if _is_speech_verb(token, QUOTE_VERBS):
                        return token, 0
                    if token.text in SENTENCE_END:
                        break
        # 3. before the quote, in the same sentence: He said: “…” / Smith told reporters “…”
        for j in range(first - 1, max(-1, first - 26), -1):
            token = doc[j]
            if token.idx < para_start or art.quote_of_token[j] != -1 or token.text in SENTENCE_END:
                break
            if _is_speech_verb(token, QUOTE_VERBS):
                return token, 0
        # 4. a colon ending the previous paragraph: He wrote:\n“…”
        if raw.paragraph > 0 and raw.mark_start == para_start:
            prev_start, prev_end = art.paras[raw.paragraph - 1]
            if text[prev_end - 1] == ":":
                return self._verb_before_colon(art, prev_start, prev_end - 1), 0
        return None, 0

    def _modifier_quote(self, art: _Article, raw: RawQuote) -> bool:
        """A short quote that modifies a noun ('the “Black Death” plague') is a name or a scare quote."""
        first = bisect.bisect_left(art.token_starts, raw.start)
        last = bisect.bisect_left(art.token_starts, raw.end)
        inside = range(first, last)
        roots = [art.doc[i] for i in inside if art.doc[i].head.i not in inside or art.doc[i].head.i == i]
        return bool(roots) and all(r.dep_ in ("compound", "amod", "nmod", "poss") for r in roots)

    def _colon_speaker(self, art: _Article, raw: RawQuote) -> Speaker | None:
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

    def _speaker_after_colon(self, art: _Article, raw: RawQuote) -> Speaker | None:
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

    def _verb_before_colon(self, art: _Article, para_start: int, colon: int) -> Token | None:
        j = bisect.bisect_left(art.token_starts, colon) - 1
        doc = art.doc
        for k in range(j, max(-1, j - 15), -1):
            token = doc[k]
            if token.idx < para_start or token.text in SENTENCE_END or art.quote_of_token[k] != -1:
                break
            if _is_speech_verb(token, QUOTE_VERBS):
                return token
        return None

    def _recent_speaker(self, art: _Article, raw: RawQuote) -> Speaker | None:
        for offset, speaker in reversed(art.history):
            if offset >= raw.mark_start:
                continue
            if raw.paragraph - art.paragraph_of(offset) <= 2:
                return speaker
            break
        return None

    # -- reported speech and block quotes --------------------------------------------------------
    def _reported_span(self, art: _Article, token: Token) -> tuple[int, int, Literal["reported", "block"]] | None:
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
                t.i for c in child.children if c.dep_ == "conj" and _is_speech_verb(c, QUOTE_VERBS) for t in c.subtree
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

    def _block_paragraphs(self, art: _Article, speech_tokens: list[Token]) -> list[Quote]:
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
        kind: Literal["direct", "reported", "block"],
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
            verb=text[verb_start:verb_end] if verb_start is not None else None,
            verb_start=verb_start,
            verb_end=verb_end,
            kind=kind,
            group=group,
            closed=closed,
        )

    # -- attributions --------------------------------------------------------------------------------
    def _attributions(self, art: _Article, speech_tokens: list[Token], used: set[int]) -> list[Attribution]:
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
        for match in _HEDGE.finditer(text):
            group = match.lastgroup
            stance = HEDGES[int(group[1:])][1] if group else "doubt"
            start, end = match.span()
            found[(start, end)] = Attribution(start=start, end=end, text=text[start:end], kind="hedge", stance=stance)
        return [found[k] for k in sorted(found)]
