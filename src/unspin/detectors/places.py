"""Places: every place mention geocoded offline against GeoNames (see `unspin.geo`).

Mentions come from spaCy's GPE/LOC/FAC entities and, because the small model often calls a town a
person or an organisation ("Palmyra", "Menaka") or misses it, from a scan of capitalised token runs
("Deir ez-Zor", "Dayr az Zawr", "Mazar-i-Sharif", "Cox's Bazar") checked against the gazetteer. A
scanned mention is kept only with evidence that it is a place: a locative word before it ("in", "near",
"shelled", "the port of" ...), a dateline position, a coordination with a place, or a candidate in a
country the article talks about. Languages, peoples and macro-regions ("Arabic", "Midwest") are never
places; a spelling guess (consonant skeleton) must also be spelt closely and lie in the article's countries.

Ambiguous names are resolved by score: population (log), how the name matched (an old or foreign name
yields to a sizeable place of that name today), national capitals, the countries the article names
(squared share, so a country named in passing counts little) and the sentence names ("Polish officials in
Kraków"), "Town, Country" / "Town, State" / "Town, Province" and "Country's Town" context, and how many of
the article's other places lie close by (two passes).
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

import numpy as np

from unspin.analysis import Place
from unspin.detectors.base import Findings, Parsed
from unspin.geo import Candidate, Gazetteer, gazetteer, name_key
from unspin.geo.aliases import ADMIN_SUFFIXES, NOT_PLACES
from unspin.geo.distance import EARTH_RADIUS_KM

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

log = logging.getLogger(__name__)

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
MISLABELS = frozenset({"PERSON", "ORG", "NORP", "WORK_OF_ART", "PRODUCT", "EVENT"})
# Directions from a place ("east of Palmyra"): cues for the name that follows.
COMPASS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"})
LOCATIVE = (
    frozenset(
        {
            "in",
            "near",
            "at",
            "from",
            "to",
            "into",
            "towards",
            "toward",
            "outside",
            "around",
            "across",
            "through",
            "via",
            "inside",
            "within",
            "of",
            "on",
            "between",
            "besieged",
            "entered",
            "reached",
            "captured",
            "seized",
            "shelled",
            "bombed",
            "struck",
            "hit",
            "recaptured",
            "retook",
            "besieging",
            "surrounding",
            "outskirts",
        }
    )
    | COMPASS
)
PARTICLES = frozenset(
    {
        "al",
        "el",
        "ar",
        "as",
        "ash",
        "ad",
        "az",
        "an",
        "at",
        "ez",
        "es",
        "ed",
        "er",
        "de",
        "du",
        "des",
        "la",
        "le",
        "sur",
        "am",
        "upon",
        "bin",
        "ibn",
        "abu",
        "um",
        "umm",
    }
)
ORG_WORDS = frozenset(
    {
        "Post",
        "Times",
        "Media",
        "Center",
        "Centre",
        "Council",
        "Committee",
        "Brigade",
        "Brigades",
        "Front",
        "Army",
        "University",
        "Airport",
        "Hospital",
        "Agency",
        "News",
        "Observatory",
        "Journal",
        "Club",
        "Party",
        "Company",
    }
)
PLACE_NOUNS = frozenset(
    {
        "city",
        "town",
        "village",
        "outskirts",
        "port",
        "capital",
        "suburb",
        "district",
        "province",
        "camp",
        "neighbourhood",
        "neighborhood",
        "area",
        "settlement",
        "governorate",
        "oblast",
    }
)
HYPHEN_PARTICLES = frozenset(
    {
        "i",
        "e",
        "ul",
        "o",
        "y",
        "on",
        "upon",
        "en",
        "sur",
        "sous",
        "les",
        "lès",
        "aux",
        "im",
        "der",
        "di",
        "da",
        "do",
        "dos",
        "das",
        "del",
        "della",
    }
)
HYPHENS = frozenset({"-", "‐", "‑"})
MAX_TOKENS = 6


class TokenIndex:
    """Token lookups by character offset, and the entities, computed once per document.

    Every lookup is a bisection or a dict access, so that work per mention does not grow with the document."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.starts = [t.idx for t in doc]
        self.ents = list(doc.ents)
        self.ent_ends = [ent.end_char for ent in self.ents]  # sorted: spaCy's entities never overlap
        self.mislabelled = {(ent.start, ent.end) for ent in self.ents if ent.label_ in MISLABELS}
        self.sents = list(doc.sents)
        self.sent_starts = [sent.start_char for sent in self.sents]
        self.ent_starts = [ent.start_char for ent in self.ents]
        # per sentence: how often each country is named, and which are named at each offset
        self.sentence_codes: dict[int, tuple[Counter[str], dict[int, Counter[str]]]] = {}

    def sentence_index(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, char) - 1)

    def sentence(self, char: int) -> Span:
        return self.sents[self.sentence_index(char)]

    def ents_overlapping(self, start: int, end: int) -> list[Span]:
        """The entities that overlap [start, end), in text order."""
        out = []
        for k in range(bisect.bisect_right(self.ent_ends, start), len(self.ents)):
            ent = self.ents[k]
            if ent.start_char >= end:
                break
            out.append(ent)
        return out

    def at_or_after(self, char: int) -> int:
        """Index of the first token starting at or after `char`."""
        return bisect.bisect_left(self.starts, char)


@dataclass
class Mention:
    start: int
    end: int
    text: str
    source: str  # "entity" (GPE/LOC/FAC), "mislabel" (PERSON/ORG ...), "scan"
    fixed: Candidate | None = None  # countries, regions, states: no ambiguity
    candidates: list[Candidate] = field(default_factory=list)
    constraint: str | None = None  # ISO code from "Town, Country"
    admin: bool = False  # "Idlib province"
    cue: bool = False
    chosen: Candidate | None = None
    local: frozenset[str] = frozenset()  # countries named in the same sentence
    weak: bool = False  # kept only with a locative cue


class PlacesDetector:
    name = "places"
    # v3: a game report's place names are its teams, names spaCy reads as companies or people and spelling guesses
    # need a cue (alternate names unlike the town's own need more), titles in quotation marks are no towns,
    # "east of X" is a cue, "Town, ST" postal codes name the state and constrain the town; v2: continents, planets
    # v8: a small town's name after "the" heading its phrase is a word ("the Constitution"), "Archbishop of X" a
    # title, "X Party" a movement, "X County" through a town abroad no area, a village abroad with no cue no place;
    # a name of several words ending in a proper noun is one whatever the tags of its first words ("Deir ez-Zor")
    id = "unspin.places.v8"
    languages = ("en",)  # English models and word lists
    requires: tuple[str, ...] = ()
    assigns = ("places",)

    def __call__(self, parsed: Parsed) -> Findings:
        return {"places": find_places(parsed.doc, gazetteer(parsed.runtime.cache_dir))}


def find_places(doc: Doc, gaz: Gazetteer) -> list[Place]:
    text = doc.text
    mentions: list[Mention] = []
    taken = bytearray(len(text) + 1)

    def free(start: int, end: int) -> bool:
        return not any(taken[start:end])

    def take(m: Mention) -> None:
        mentions.append(m)
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)

    index = TokenIndex(doc)
    context: Counter[str] = Counter()  # country -> weight: named 2, unambiguous place 1, demonym 0.5
    # 0. datelines in capitals ("MADRID (AP) --", "ST. JOSEPH, Mich. (AP) --") and US state abbreviations
    for early in _dateline_and_state_mentions(text, gaz):
        if free(early.start, early.end):
            take(early)
    # 1. spaCy's place entities (demonyms labelled GPE only add country context)
    for ent in index.ents:
        if ent.label_ == "NORP" or (ent.label_ in PLACE_LABELS and gaz.is_demonym(ent.text)):
            code = gaz.country_code(ent.text)
            if code:
                context[code] += 0.5  # type: ignore[assignment]
            continue
        if ent.label_ not in PLACE_LABELS:
            continue
        span = _trim(ent)
        if span is None:
            continue
        mention = _resolve_span(span, gaz, "entity")
        if mention and free(mention.start, mention.end):
            take(mention)
    # 2. capitalised runs the model missed or mislabelled
    for run in _capitalised_runs(doc, gaz):
        for mention in _scan_run(index, run, gaz):
            if free(mention.start, mention.end) and _allowed_inside_entity(index, mention, gaz):
                take(mention)
    _states_after_commas(mentions, text, gaz)
    for m in mentions:
        if m.fixed and m.fixed.country:
            context[m.fixed.country] += 2 if m.fixed.feature == "country" else 1
        m.cue = m.cue or _has_cue(index, m.start) or is_dateline(text, m.start, m.end)
        m.local = _sentence_countries(index, m, gaz)
        _add_possessive_constraint(index, m, gaz)
    for m in mentions:  # unambiguous places the model itself found add their country
        countries = {c.country for c in m.candidates if c.match != "loose"}
        if m.source == "entity" and len(countries) == 1:
            context[countries.pop()] += 1
    # 3. keep scanned mentions with evidence, then disambiguate
    mentions = _keep_evidenced(mentions, context, text)
    for m in mentions:
        countries = {c.country for c in m.candidates if c.match != "loose"}
        if m.source != "entity" and len(countries) == 1:
            context[countries.pop()] += 1
    _disambiguate(mentions, context, gaz)
    names = ArticleNames(index)
    # "in Taylor's case": a cue before a possessive says nothing of the name ("in London's East End" is cued by
    # its other words), so it does not make a person's surname a place
    names.cued = {m.text for m in mentions if strong_cue(index, m, text) and not _possessive(text, m)}
    # what each name added to the context itself (a name of one country counts once per mention, see above)
    own = Counter(m.text for m in mentions if len({c.country for c in m.candidates if c.match != "loose"}) == 1)
    places: list[Place] = []
    for m in sorted(mentions, key=lambda m: m.start):
        chosen = m.fixed or m.chosen
        if chosen is None:
            continue
        confidence = place_confidence(m, chosen, index, names, context, gaz, own=own[m.text])
        if confidence < CONFIDENCE_CUT:
            continue  # not shown, not mapped, never an event's place
        feature = "admin" if m.admin else chosen.feature
        places.append(
            Place(
                start=m.start,
                end=m.end,
                name=chosen.name,
                lat=round(chosen.lat, 5),
                lon=round(chosen.lon, 5),
                country=chosen.country or None,
                geonameid=chosen.geonameid,
                feature=feature,
                confidence=round(confidence, 2),
            )
        )
    return places


# --- evidence and confidence ----------------------------------------------------------------------

# A place mention below this confidence is left out of `places` (and so of the map, events and cross-checks).
CONFIDENCE_CUT = 0.5
# All-caps abbreviations that are places. Any other acronym or all-caps token (GOP, CDC, SAG, SAA ...) is not,
# whatever GeoNames' alternate names (airport codes, local abbreviations) say.
PLACE_ABBREVIATIONS = frozenset(
    {"US", "U.S.", "USA", "U.S.A.", "UK", "U.K.", "UAE", "U.A.E.", "DRC", "DR Congo", "EU", "NYC", "D.C.", "DC"}
)
# Names of organisations and offices that a gazetteer holds as towns or buildings.
INSTITUTIONS = frozenset(
    {
        "White House",
        "Homeland",
        "Homeland Security",
        "Justice",
        "University",
        "Capitol Hill",
        "Downing Street",
        "Pentagon",
        "Kremlin",
        "Wall Street",
        "Hollywood",
        "Silicon Valley",
        "Vatican",
    }
)
# Bodies of the sky that GeoNames also holds as small towns ("Mars", "Jupiter", "Earth") or alternate names ("Moon").
SKY = frozenset(
    {
        "Moon",
        "Sun",
        "Earth",
        "Mars",
        "Venus",
        "Mercury",
        "Jupiter",
        "Saturn",
        "Uranus",
        "Neptune",
        "Pluto",
        "Europa",
        "Titan",
        "Enceladus",
        "Ganymede",
        "Callisto",
        "Io",
        "Ceres",
    }
)
# Verbs that make a capital or a country the government it names ("Washington said", "Beijing warned").
GOVERNMENT_VERBS = frozenset(
    {
        "say",
        "warn",
        "announce",
        "accuse",
        "deny",
        "demand",
        "insist",
        "urge",
        "claim",
        "respond",
        "reject",
        "condemn",
        "agree",
        "refuse",
        "threaten",
        "invade",
        "impose",
        "decide",
        "want",
        "seek",
        "argue",
        "hope",
        "pressure",
        "push",
        "blame",
        "retaliate",
        "vow",
        "sanction",
        "believe",
        "tell",
        "call",
    }
)

# A country (not its capital) stands for its government only with a verb of speech: "Iran denied ...".
SPEECH_VERBS = frozenset({"say", "warn", "announce", "accuse", "deny", "claim", "reject", "condemn", "vow", "insist"})

SPORT_VERBS = frozenset(
    {
        "beat",
        "defeat",
        "win",
        "lose",
        "play",
        "face",
        "advance",
        "qualify",
        "eliminate",
        "edge",
        "sweep",
        "draw",
        "tie",
        "rally",
        "overcome",
        "trounce",
        "thrash",
        "level",
    }
)


# Words before a name that make it a place whatever else the article calls it ("in Franklin", "the town of Hope").
STRONG_LOCATIVE = (
    frozenset(
        {
            "in",
            "near",
            "outside",
            "inside",
            "around",
            "across",
            "into",
            "towards",
            "toward",
            "through",
            "via",
            "within",
            "outskirts",
            "besieged",
            "shelled",
            "bombed",
            "attacked",
            "raided",
            "stormed",
            "overran",
            "captured",
            "recaptured",
            "retook",
            "seized",
            "entered",
            "fled",
            "evacuated",
            "reached",
            "liberated",
        }
    )
    | COMPASS
)  # "east of Palmyra", "kilometres north of the city": only a place lies in a direction from something
# Nouns after a place name that make the name part of an organisation's ("the Hong Kong police", "Kabul government").
ORGANISATION_NOUNS = frozenset(
    {
        "police",
        "garrison",
        "government",
        "regime",
        "administration",
        "authorities",
        "officials",
        "commission",
        "department",
        "office",
        "court",
        "council",
        "embassy",
        "army",
        "university",
        "olympics",
        "chief",
        "leadership",
        "ministry",
        "parliament",
        "legislature",
        "team",
        "squad",
        "club",
        "newspaper",
        "negotiators",
        "delegation",
    }
)
# What a capital (as the government) has: "Beijing's demands", "Kabul's position".
AGENCY_NOUNS = frozenset(
    {
        "demand",
        "decision",
        "position",
        "policy",
        "stance",
        "response",
        "offer",
        "proposal",
        "request",
        "refusal",
        "approval",
        "support",
        "ally",
        "leader",
        "official",
        "negotiator",
        "envoy",
        "ambassador",
        "insistence",
        "claim",
        "plan",
        "move",
        "intention",
        "backing",
        "pressure",
        "influence",
        "rule",
        "control",
    }
)
# Verbs a capital can be the subject of and still be the city ("Beijing is ...", "Kabul lies ...").
PLACE_VERBS = frozenset({"be", "lie", "sit", "host", "remain", "become", "have", "see", "experience", "suffer"})


def strong_cue(index: TokenIndex, m: Mention, text: str) -> bool:
    """A locative that only a place takes, a place noun ("the town of"), or a dateline."""
    if real_dateline(text, m.start, m.end):  # text passed in: Doc.text joins every token on each call
        return True
    k = index.at_or_after(m.start) - 1
    doc = index.doc
    while k >= 0 and doc[k].lower_ in {"the", "of"} | PLACE_NOUNS:
        if doc[k].lower_ in PLACE_NOUNS:
            return True
        k -= 1
    return k >= 0 and doc[k].lower_ in STRONG_LOCATIVE


# A capitalised name followed by a model number ("Thunderbolt 3", "Pixel 4a"), not a clock time or a score
MODEL_NUMBER = re.compile(r"\b([A-Z][a-z]+) \d{1,2}[a-z]?\b(?![.:,\-–]\d)")
DATELINE_TAIL = re.compile(r", (?:[A-Z][a-z]{2,8}\.? \d|[A-Z][a-z]{1,4}\.|[A-Z]{2}\b|[A-Z][a-z]+ \()")


def real_dateline(text: str, start: int, end: int) -> bool:
    """A dateline, not a sentence that starts a paragraph with a name ('Haig, 55, appeared ...'): the name in
    capitals, or followed by an agency, a dash, a date or a state ('ST. JOSEPH, Mich. (AP) --')."""
    if not is_dateline(text, start, end):
        return False
    name = text[start:end]
    return name.isupper() or text[end : end + 2] in {" (", " —", " -"} or bool(DATELINE_TAIL.match(text, end))


# The Associated Press' state abbreviations, read as states only after "Town, " ("Reno, Nev."): never as a
# gazetteer name ("Nev." is no New Zealand suburb).
STATE_ABBREVIATIONS = {
    "Ala.": "Alabama",
    "Ariz.": "Arizona",
    "Ark.": "Arkansas",
    "Calif.": "California",
    "Colo.": "Colorado",
    "Conn.": "Connecticut",
    "Del.": "Delaware",
    "Fla.": "Florida",
    "Ga.": "Georgia",
    "Ill.": "Illinois",
    "Ind.": "Indiana",
    "Kan.": "Kansas",
    "Ky.": "Kentucky",
    "La.": "Louisiana",
    "Md.": "Maryland",
    "Mass.": "Massachusetts",
    "Mich.": "Michigan",
    "Minn.": "Minnesota",
    "Miss.": "Mississippi",
    "Mo.": "Missouri",
    "Mont.": "Montana",
    "Neb.": "Nebraska",
    "Nev.": "Nevada",
    "N.H.": "New Hampshire",
    "N.J.": "New Jersey",
    "N.M.": "New Mexico",
    "N.Y.": "New York",
    "N.C.": "North Carolina",
    "N.D.": "North Dakota",
    "Okla.": "Oklahoma",
    "Ore.": "Oregon",
    "Pa.": "Pennsylvania",
    "R.I.": "Rhode Island",
    "S.C.": "South Carolina",
    "S.D.": "South Dakota",
    "Tenn.": "Tennessee",
    "Vt.": "Vermont",
    "Va.": "Virginia",
    "Wash.": "Washington",
    "W.Va.": "West Virginia",
    "Wis.": "Wisconsin",
    "Wyo.": "Wyoming",
}
US_POSTAL_CODES = {
    code: state
    for code, state in zip(
        [
            "AL",
            "AK",
            "AZ",
            "AR",
            "CA",
            "CO",
            "CT",
            "DE",
            "FL",
            "GA",
            "HI",
            "ID",
            "IL",
            "IN",
            "IA",
            "KS",
            "KY",
            "LA",
            "ME",
            "MD",
            "MA",
            "MI",
            "MN",
            "MS",
            "MO",
            "MT",
            "NE",
            "NV",
            "NH",
            "NJ",
            "NM",
            "NY",
            "NC",
            "ND",
            "OH",
            "OK",
            "OR",
            "PA",
            "RI",
            "SC",
            "SD",
            "TN",
            "TX",
            "UT",
            "VT",
            "VA",
            "WA",
            "WV",
            "WI",
            "WY",
        ],
        [
            "Alabama",
            "Alaska",
            "Arizona",
            "Arkansas",
            "California",
            "Colorado",
            "Connecticut",
            "Delaware",
            "Florida",
            "Georgia",
            "Hawaii",
            "Idaho",
            "Illinois",
            "Indiana",
            "Iowa",
            "Kansas",
            "Kentucky",
            "Louisiana",
            "Maine",
            "Maryland",
            "Massachusetts",
            "Michigan",
            "Minnesota",
            "Mississippi",
            "Missouri",
            "Montana",
            "Nebraska",
            "Nevada",
            "New Hampshire",
            "New Jersey",
            "New Mexico",
            "New York",
            "North Carolina",
            "North Dakota",
            "Ohio",
            "Oklahoma",
            "Oregon",
            "Pennsylvania",
            "Rhode Island",
            "South Carolina",
            "South Dakota",
            "Tennessee",
            "Texas",
            "Utah",
            "Vermont",
            "Virginia",
            "Washington",
            "West Virginia",
            "Wisconsin",
            "Wyoming",
        ],
        strict=True,
    )
}
STATE_AFTER_TOWN = re.compile(
    r"(?<=[A-Za-z], )(?:" + "|".join(re.escape(k) for k in sorted(STATE_ABBREVIATIONS, key=len, reverse=True)) + r")"
)
CAPS_DATELINE = re.compile(r"^([A-Z][A-Z.'’-]*(?: [A-Z][A-Z.'’-]*){0,3})(?=,| \(| —| -| --)", re.M)


# "Raleigh, NC": a postal code after a town and a comma ("Smith, MD" the doctor is checked against the gazetteer).
POSTAL_AFTER_TOWN = re.compile(r"\b([A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3}), ([A-Z]{2})\b(?![\w.])")


# A legislator's party and state: "Rep. Jane Roe (R-TX)", "Sen. John Doe (D-N.Y.)"
PARTY_STATE = re.compile(r"\((?:R|D|I)-([A-Z][A-Za-z.]{1,5})(?:,[^)]{1,40})?\)")


def _dateline_and_state_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    found: list[Mention] = []
    for match in PARTY_STATE.finditer(text):
        code = match.group(1)
        state_name = US_POSTAL_CODES.get(code) or STATE_ABBREVIATIONS.get(code)
        state = gaz.state(state_name) if state_name else None
        if state is not None:
            found.append(Mention(match.start(1), match.end(1), code, "entity", fixed=state))
    for match in STATE_AFTER_TOWN.finditer(text):
        state = gaz.state(STATE_ABBREVIATIONS[match.group(0)])
        if state is not None:
            found.append(Mention(match.start(), match.end(), match.group(0), "entity", fixed=state))
    for match in POSTAL_AFTER_TOWN.finditer(text):
        state_name = US_POSTAL_CODES.get(match.group(2))
        state = gaz.state(state_name) if state_name else None
        if state is not None and _town_of_state(match.group(1), state, gaz):
            found.append(Mention(match.start(2), match.end(2), match.group(2), "entity", fixed=state))
    for match in CAPS_DATELINE.finditer(text):
        name = match.group(1)
        if len(name) < 4 or name in PLACE_ABBREVIATIONS:
            continue
        title = name.title().replace("St.", "Saint") if name.startswith("ST.") else name.title()
        mention = _lookup(title, match.start(1), match.end(1), gaz, "entity")
        if mention is not None:
            mention.text = name
            mention.cue = True
            abbreviation = STATE_AFTER_TOWN.match(text, match.end(1) + 2)
            if abbreviation is not None and not mention.fixed:
                fixed = gaz.state(STATE_ABBREVIATIONS[abbreviation.group(0)])
                mention.constraint = f"US:{fixed.admin1}" if fixed is not None else None
            found.append(mention)
    return found


def _last_token(index: TokenIndex, m: Mention) -> Token | None:
    doc = index.doc
    i = index.at_or_after(m.start)
    if i >= len(doc):
        return None
    while i + 1 < len(doc) and doc[i + 1].idx < m.end:
        i += 1
    return doc[i]


def _names_an_organisation(index: TokenIndex, m: Mention) -> bool:
    """'the Hong Kong police', 'the UK police', 'the Kabul government': the name qualifies an institution."""
    tok = _last_token(index, m)
    if tok is None or tok.i + 1 >= len(index.doc):
        return False
    nxt = index.doc[tok.i + 1]
    if nxt.text in PROPER_ORGANISATION_HEADS:
        return True  # "the Green Party", "Harris County Green Party", "the National Front"
    return nxt.lower_ in ORGANISATION_NOUNS and nxt.pos_ in {"NOUN", "PROPN"}


# Capitalised heads that make the name before them a movement's ("Green Party"); in lower case they are other words.
PROPER_ORGANISATION_HEADS = frozenset({"Party", "Front", "League", "Movement"})
# "the Archbishop of Canterbury", "the Duke of York": a title names a person, not the place in it.
TITLE_OF = re.compile(
    r"\b(?:Archbishop|Bishop|Duke|Duchess|Earl|Countess|Marquess|Baron|Baroness|Viscount|Prince|Princess)\s+of\s+$"
)


PERSON_VERBS = frozenset(
    {
        "say",
        "tell",
        "add",
        "confess",
        "admit",
        "explain",
        "recall",
        "testify",
        "plead",
        "smile",
        "laugh",
        "write",
        "tweet",
    }
)
TITLES = frozenset(
    {
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Sen",
        "Rep",
        "Gov",
        "Cmdr",
        "Gen",
        "Col",
        "Capt",
        "Sgt",
        "Lt",
        "Judge",
        "President",
        "Senator",
        "Governor",
        "Minister",
        "Prof",
        "Rev",
        "Officer",
        "Attorney",
    }
)


SCORE = re.compile(r"(?<![\d-])\d{1,2}-\d{1,2}(?![\d-])")
# spaCy labels that name something other than a place ("Google" ORG, "Paramount" ORG, "Pine" PERSON).
OTHER_NAME_LABELS = frozenset({"ORG", "PERSON", "PRODUCT", "WORK_OF_ART"})
# Words before a country that make it the country, not its team, even on a sports page ("Uchiyama of Japan").
HOME_WORDS = frozenset({"in", "of", "from", "to", "at", "near", "across", "throughout"})


def _possessive(text: str, m: Mention) -> bool:
    return text.startswith(("'s", "’s"), m.end)


# "Frost & Sullivan", "Johnson & Johnson": names joined by an ampersand are a firm's (a country's "Trinidad &
# Tobago" is fixed before this is asked)
_AMPERSAND_AFTER = re.compile(r"\s*&\s*[A-Z]")
_AMPERSAND_BEFORE = re.compile(r"[A-Z][\w.’']*\s*&\s*$")


def _joined_by_ampersand(text: str, m: Mention) -> bool:
    return bool(_AMPERSAND_AFTER.match(text, m.end) or _AMPERSAND_BEFORE.search(text, max(0, m.start - 40), m.start))


def _alias(text: str, chosen: Candidate) -> bool:
    """The mention matched the place only by a spelling guess, or by an alternate name unlike its own name."""
    if chosen.match == "loose":
        return True
    return chosen.match == "alt" and SequenceMatcher(None, name_key(text), name_key(chosen.name)).ratio() < 0.5


_OPENING_QUOTES = ("“", '"', "‘")
_CLOSING_QUOTES = ("”", '"', "’")


def _whole_quotation(text: str, m: Mention) -> bool:
    """The mention is all there is between a pair of quotation marks (a comma or full stop may close it)."""
    before = text[max(0, m.start - 1) : m.start]
    after = text[m.end : m.end + 2]
    return before in _OPENING_QUOTES and (after[:1] in _CLOSING_QUOTES or after in {",”", ".”", ',"', '."'})


def _town_of_state(words: str, state: Candidate, gaz: Gazetteer) -> bool:
    """The last one to three words before the comma name a town of that state ("Charlotte" in North Carolina)."""
    parts = words.split()
    for width in (3, 2, 1):
        if len(parts) < width:
            continue
        name = " ".join(parts[-width:])
        mention = _lookup(name, 0, len(name), gaz, "scan")
        if mention and _has_town_in(mention.candidates, state):
            return True
    return False


def _has_town_in(candidates: list[Candidate], state: Candidate) -> bool:
    """One of the places a name may denote lies in that US state."""
    return any(c.country == "US" and c.admin1 == state.admin1 for c in candidates)


def _team(index: TokenIndex, m: Mention) -> bool:
    """On a sports page a country is its team ("Spain will face Croatia"), unless the text puts something in
    it or someone from it ("in Spain", "Mahut of France") or it qualifies a person ("Brazil star Neymar")."""
    i = index.at_or_after(m.start)
    doc = index.doc
    if i > 0 and doc[i - 1].lower_ in HOME_WORDS:
        return False
    tok = _last_token(index, m)
    return tok is None or tok.dep_ != "compound"


class ArticleNames:
    """The words the article uses for people (every part of a PERSON name: surnames come back alone) and the
    organisation and work names, so that 'Price', 'Walker' or 'Biden' is not taken for a town."""

    def __init__(self, index: TokenIndex) -> None:
        self.person_words: set[str] = set()
        self.cued: set[str] = set()
        self.text = index.doc.text
        # a sports report: several scores ("6-4", "3-0"); its countries are mostly national teams
        self.sports = len(SCORE.findall(self.text)) >= 3
        self.persons: set[str] = set()
        self.orgs: list[tuple[int, int, str]] = []
        self.organisation_heads: set[str] = set()
        # How spaCy labels each name across the article: a name it mostly calls an organisation, a product or a
        # person ("Google", a team's city in a game report) is that, even where it once calls it a place.
        self.label_votes: dict[str, Counter[bool]] = {}
        for ent in index.ents:
            if ent.label_ in PLACE_LABELS or ent.label_ in OTHER_NAME_LABELS:
                self.label_votes.setdefault(ent.text, Counter())[ent.label_ in PLACE_LABELS] += 1
            if ent.label_ == "PERSON" and len(ent) >= 1:
                self.persons.add(ent.text)
                # only full names teach surnames: a lone word, or "Mocímboa da Praia", may be spaCy's mislabel
                if len(ent) >= 2 and all(_is_cap(t) or t.text.endswith(".") for t in ent):
                    self.person_words.update(t.text for t in ent if _is_cap(t))
            elif ent.label_ in {"WORK_OF_ART", "PRODUCT", "LAW", "EVENT"}:  # ORG: see _allowed_inside_entity
                self.orgs.append((ent.start_char, ent.end_char, ent.label_))
            # "Cleveland Browns": the words an organisation's name starts with
            if ent.label_ == "ORG" and len(ent) >= 2:
                words = ent.text.split()
                self.organisation_heads.update(" ".join(words[:k]) for k in range(1, len(words)))
        doc = index.doc
        for tok in doc:
            if tok.pos_ != "PROPN" or not _is_cap(tok):
                continue
            # "Haig said", "Webb confessed": a name that speaks or owns up is a person's
            speaks = tok.dep_ == "nsubj" and tok.head.lemma_ in PERSON_VERBS
            # "Webb, 51," / "Mr. Haig": an age or a title goes with a person
            aged = (
                tok.i + 3 < len(doc)
                and doc[tok.i + 1].text == ","
                and doc[tok.i + 2].like_num
                and doc[tok.i + 3].text == ","
            )
            titled = tok.i > 0 and doc[tok.i - 1].text.rstrip(".") in TITLES
            if speaks or aged or titled:
                self.person_words.add(tok.text)

        # "Thunderbolt 3", "Galaxy 10": a name the article gives a model number is a product's here, wherever it
        # stands ("an older Thunderbolt dock")
        self.models = {match.group(1) for match in MODEL_NUMBER.finditer(self.text)}
        # a lone word tagged PERSON is often a town the small model does not know ("Palmyra"): full names only
        self.person_spans = [
            (ent.start_char, ent.end_char)
            for ent in index.ents
            if ent.label_ == "PERSON" and len(ent) >= 2 and all(_is_cap(t) or t.text.endswith(".") for t in ent)
        ]  # not "Mocímboa da Praia"

    def person(self, m: Mention) -> bool:
        """Tagged a person here, or (a town, not a country or state) a surname the article gives a person."""
        if m.fixed is not None or m.text in self.cued:
            return False  # the article puts this name after "in", "near", "the town of" somewhere: a place
        # part of a longer name ("Meadows" in "Mark Meadows"); a whole two-word PERSON is often a town the
        # small model does not know ("Chasiv Yar")
        if any(s <= m.start and m.end <= e and (s, e) != (m.start, m.end) for s, e in self.person_spans):
            return True
        words = m.text.split()
        return len(words) == 1 and words[0] in self.person_words

    def named_otherwise(self, m: Mention) -> str | None:
        """Whether spaCy calls this name an organisation, product, work or person here: "clearly" (three times
        or more, and three times as often as a place: its labels of one name vary from sentence to sentence),
        "only" (never a place), else None."""
        votes = self.label_votes.get(m.text)
        if votes is None or not votes[False]:
            return None
        if votes[False] >= 3 and votes[False] >= 3 * votes[True]:
            return "clearly"
        return "only" if not votes[True] else None

    def inside_name(self, m: Mention) -> bool:
        """The mention lies inside a longer organisation or work name ('Hong Kong Polytechnic ...' excepted)."""
        return any(s <= m.start and m.end <= e and (s, e) != (m.start, m.end) for s, e, _ in self.orgs)


def _acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and (len(letters) <= 5 or "." in text)


SPORTING_PREPOSITIONS = frozenset({"to", "against", "over", "with", "by", "from", "at"})  # "lost to Spain"


def _government(index: TokenIndex, m: Mention, chosen: Candidate, gaz: Gazetteer) -> bool:
    """'Washington said', 'Beijing has warned': a country or capital as the subject of a government's verb."""
    capital = chosen.feature != "country" and gaz.is_capital(chosen)
    if chosen.feature != "country" and not capital:
        return False
    verbs = GOVERNMENT_VERBS if capital else SPEECH_VERBS
    i = index.at_or_after(m.start)
    if i >= len(index.doc):
        return False
    doc = index.doc
    last = i
    while last + 1 < len(doc) and doc[last + 1].idx < m.end:
        last += 1
    tok = doc[last]
    if tok.dep_ in {"nsubj", "nsubjpass"} and tok.head.lemma_ in verbs:
        return True
    if (
        capital
        and tok.dep_ in {"nsubj", "nsubjpass"}
        and tok.head.pos_ in {"VERB", "AUX"}
        and tok.head.lemma_ not in PLACE_VERBS
    ):
        return True  # "Beijing is balking", "Quito stripped him of his status"
    if capital and tok.dep_ == "poss" and tok.head.lemma_ in AGENCY_NOUNS:
        return True  # "Beijing's demands"
    # ... but "In the United States, the Bay Area faces alerts": a place after a locative is never the team
    sporting_preposition = tok.dep_ != "pobj" or tok.head.lower_ in SPORTING_PREPOSITIONS
    if chosen.feature == "country" and tok.dep_ in {"nsubj", "dobj", "pobj", "conj"} and sporting_preposition:
        head = tok.head.head if tok.dep_ in {"pobj", "conj"} else tok.head
        if head.lemma_ in SPORT_VERBS:
            return True  # "Argentina beat Chile", "lost to Spain": a national team
    return tok.dep_ == "conj" and tok.head.dep_ == "nsubj" and tok.head.head.lemma_ in verbs


def place_confidence(
    m: Mention,
    chosen: Candidate,
    index: TokenIndex,
    names: ArticleNames,
    context: Counter[str],
    gaz: Gazetteer,
    own: int = 0,
) -> float:
    """How sure a mention is a place, and the place chosen: the evidence a reader would use.

    Countries, states and regions named in full are near certain; a town spaCy recognised, or one with a
    locative cue ("in", "near", "the town of", a dateline), is likely; a bare scanned name is weak. A name the
    article uses for a person, an organisation or an office, an acronym that is no place abbreviation, or a
    capital or country used for its government is not a place (confidence under the cut).
    """
    text = m.text
    if _names_an_organisation(index, m):
        return 0.2  # "the UK police", "the Hong Kong garrison"
    if text in PLACE_ABBREVIATIONS or text in STATE_ABBREVIATIONS or (m.fixed is not None and text in US_POSTAL_CODES):
        return 0.9  # a postal code is a mention only after a town of its state (see POSTAL_AFTER_TOWN)
    dateline = real_dateline(names.text, m.start, m.end)
    if _acronym(text) and not (dateline and len(text) > 3):
        return 0.05  # GOP, CDC, SAG, SAA: GeoNames' codes and abbreviations are never names in prose
    if text in INSTITUTIONS or any(text.startswith(word + " ") for word in ("White", "Homeland")):
        return 0.1
    if text in SKY and not dateline:
        return 0.1  # a planet or moon, unless a dateline names the town ("MARS, Pa. —")
    if names.person(m):
        return 0.15 if not dateline else 0.6
    if not dateline and _joined_by_ampersand(names.text, m):
        return 0.2  # "Frost & Sullivan"
    if names.inside_name(m):  # (an organisation's own place name was ruled out at the top)
        return 0.2
    if TITLE_OF.search(names.text, max(0, m.start - 20), m.start):
        return 0.2
    if not dateline and _government(index, m, chosen, gaz):
        return 0.3
    # A game report's dateline is the town ("MADRID (AP) —", "DeKalb, Ill. —"); a team list's "Spain (Group F)"
    # only looks like one.
    town_dateline = dateline and (text.isupper() or names.text.startswith(", ", m.end))
    if names.sports and not town_dateline and _team(index, m):
        return 0.3  # "Columbus beat Detroit 4-2": in a game report a bare place name is its team
    cued = bool(dateline) or strong_cue(index, m, names.text)
    # a country that only this name brings to the story (its `own` occurrences), or a third as present as the
    # story's main one, and not named in the sentence, is foreign to it
    others = context[chosen.country] - (own if m.fixed is None else 0)
    foreign = others * 3 < max(context.values(), default=0) and chosen.country not in m.local
    if m.admin and m.fixed is None and chosen.population < 100_000 and foreign and not m.constraint:
        return 0.3  # "Cook County" in an Illinois story: not the area around Cook, a village in Australia
    if m.fixed is None and chosen.feature not in ("country", "admin") and not (dateline or m.constraint):
        if _common_noun_phrase(index, names.text, m, chosen):
            return 0.25  # "to the Constitution", "what in the Hell": a town's name after "the" is a word
        if _names_a_food(index, m):
            return 0.2  # "1 Fresno chile", "Dijon mustard": a food named after the town
        doubt = _doubtful_town(m, chosen, names, cued or _city_of_the_story(m, chosen, context, names))
        if doubt is not None:
            return doubt
    if m.fixed is not None:
        return 0.95 if chosen.feature == "country" else 0.9
    sure = m.source == "entity"
    big = chosen.population >= 100_000 and chosen.match in {"main", "alt", "alias"}
    in_context = chosen.country in context or chosen.country in m.local
    score = 0.55 if sure else 0.45  # a scanned name is here only with evidence (see _keep_evidenced)
    if cued:
        score += 0.3
    elif m.cue:
        score += 0.15  # "to", "from", "of", "at" also come before people and organisations
    if big:
        score += 0.2
    if in_context:
        score += 0.1
    if m.constraint:
        score += 0.2
    if chosen.match == "loose":
        score -= 0.2
    if chosen.population < TINY_TOWN and not (cued or m.cue or in_context or m.constraint):
        score = min(score, TINY_FOREIGN_TOWN)
    return max(0.0, min(1.0, score))


# A village of a country the article never names, with no locative before it ("partisans of Satan" is no village
# in North Korea), stays under the cut even when spaCy reads it as a place.
TINY_TOWN = 10_000
TINY_FOREIGN_TOWN = 0.45


# "the Cupertino-based company", "the Gaza-bound convoy": a place made an attribute; "the Non-scary stuff" is a word.
ATTRIBUTIVE_HYPHEN = re.compile(r"[-‑](?:[A-Z]|\w+ed\b|born\b|bound\b|area\b|run\b|made\b)")


# Foods named after towns ("a Fresno chile", "Dijon mustard", "Buffalo wings"): the town's name is the food's.
FOOD_NOUNS = frozenset(
    {
        "chile", "chiles", "chili", "chilis", "chilli", "pepper", "peppers", "mustard", "wings", "sprouts",
        "cheese", "ham", "sausage", "sausages", "sauce", "dressing", "lettuce", "cabbage", "onion", "onions",
        "bun", "buns", "cake", "cakes", "vinegar", "tea", "coffee", "beans", "rice", "steak", "salad",
    }
)  # fmt: skip


def _names_a_food(index: TokenIndex, m: Mention) -> bool:
    tok = _last_token(index, m)
    return tok is not None and tok.i + 1 < len(index.doc) and index.doc[tok.i + 1].lower_ in FOOD_NOUNS


def _common_noun_phrase(index: TokenIndex, text: str, m: Mention, chosen: Candidate) -> bool:
    """A small town's name right after a lower-case "the" and heading its phrase: towns take no article ("in the
    Hague" is The Hague's own name, and the big cities that take one are no small towns), words and institutions
    do ("the Constitution", "the Hell"). As a modifier the name stays the town's ("the Cupertino-based company",
    "the Cupertino campus")."""
    if chosen.population >= 100_000 or chosen.name.startswith("The "):
        return False
    if not re.search(r"(?<![A-Za-z])the\s+$", text[max(0, m.start - 5) : m.start]):
        return False
    if ATTRIBUTIVE_HYPHEN.match(text, m.end):
        return False
    tok = _last_token(index, m)
    k = tok.i + 1 if tok is not None else len(index.doc)
    while k < len(index.doc) and index.doc[k].text in {"-", "‑"}:
        k += 1  # "the Non-scary stuff": the word after the hyphen says what the name is part of
    return k >= len(index.doc) or index.doc[k].pos_ not in {"NOUN", "PROPN"}


def _city_of_the_story(m: Mention, chosen: Candidate, context: Counter[str], names: ArticleNames) -> bool:
    """A city of 100,000 or more, by its own name, in a country the article is about ("markets in Mumbai and
    Karachi fell" in a story on Pakistan): spaCy's occasional organisation label does not make it a company.
    Unless the article names a team or company after it ("the Cleveland Browns"), or puts it alone in quotation
    marks (a series' title)."""
    return (
        chosen.population >= 100_000
        and chosen.match == "main"
        and chosen.country in context
        and m.text not in names.organisation_heads
        and not names.sports
        and not _whole_quotation(names.text, m)
    )


def _doubtful_town(m: Mention, chosen: Candidate, names: ArticleNames, cued: bool) -> float | None:
    """The confidence of a town (no country, state or region; no dateline, no "Town, State") that the text
    gives reasons to doubt, or None when it gives none."""
    otherwise = names.named_otherwise(m)
    in_its_country = chosen.country in m.local  # "Palmyra, a Syrian desert town", "Djibo in northern Burkina Faso"
    # A name reached only through a spelling guess or an alternate name unlike the town's own ("Google" is one of
    # Topeka's in GeoNames, "Rose-Lynn" a guess at Rosslyn) that spaCy reads as a company or person is that, even
    # after "to" ("to Google's offices"), and after "in" when spaCy says so again and again.
    if (otherwise == "clearly" or (otherwise == "only" and not (cued or in_its_country))) and _alias(m.text, chosen):
        return 0.2
    if cued:
        return None
    if m.text in names.models:
        return 0.2  # "Thunderbolt 3": a product and its model number
    # "from Google", "at Paramount": the weak locatives come before companies too
    if otherwise == "clearly" or (otherwise == "only" and not (m.cue or in_its_country)):
        return 0.25  # "Paramount" the studio, "Nelson" the player
    if chosen.match == "loose":
        return 0.3  # a spelling guess ("SoFi" -> Sofia) is a town only where the text says it is a place
    if _whole_quotation(names.text, m):
        return 0.2  # “Fargo,”: a title in quotation marks (a series, a film, a song), not the town
    return None


# --- mention finding ------------------------------------------------------------------------------


def _trim(span: Span) -> Span | None:
    """Drop a leading 'the' and trailing possessive from an entity span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    while end > start and doc[end - 1].text in {"'s", "’s", "'", "’"}:
        end -= 1
    return doc[start:end] if end > start else None


def _resolve_span(span: Span, gaz: Gazetteer, source: str) -> Mention | None:
    """Resolve a token span, trying the whole span first, then it without an admin suffix."""
    doc = span.doc
    start_char, end_char = span.start_char, span.end_char
    name = span.text  # Doc.text joins every token: never call it per mention
    mention = _lookup(name, start_char, end_char, gaz, source)
    if mention:
        _add_constraint(doc, span.end, mention, gaz)
        state = gaz.state(name)
        upstate = span.start > 0 and doc[span.start - 1].lower_ in {"upstate", "downstate"}
        if not mention.fixed and state and (upstate or (span.end < len(doc) and doc[span.end].lower_ == "state")):
            mention.fixed = state  # "Washington state"
            return mention
        if not mention.fixed and span.end < len(doc) and doc[span.end].text in ADMIN_SUFFIXES:
            suffix = doc[span.end]
            mention.end = suffix.idx + len(suffix)
            mention.text = doc[span.start : span.end + 1].text
            mention.admin = True
        return mention
    # "Idlib province", "Donetsk region" inside the entity
    if len(span) > 1 and span[-1].lower_ in ADMIN_SUFFIXES:
        inner = doc[span.start : span.end - 1].text
        mention = _lookup(inner, start_char, end_char, gaz, source)
        if mention and not mention.fixed:
            mention.admin = True
            return mention
    return None


_LOWERCASE_PARTICLE = re.compile(r"(?:al|el|ad|ar|as|at|az|an|ash|ath|ibn|bin|de|du|la|le)[-‑ ]\w", re.I)


def _lookup(name: str, start: int, end: int, gaz: Gazetteer, source: str) -> Mention | None:
    stripped = name.rstrip()
    end -= len(name) - len(stripped)
    lead = len(stripped) - len(stripped.lstrip())
    name, start = stripped.lstrip(), start + lead
    if name in NOT_PLACES and (listed := gaz.country(name) or gaz.region(name)):
        # "Europe", "America": never a town of that name, but the continent or the country itself
        return Mention(start, end, name, source, fixed=listed)
    if name in NOT_PLACES or len(name) < 2:
        return None
    if not name[:1].isupper() and not _LOWERCASE_PARTICLE.match(name):
        return None  # "fall~", "the river": a place's name starts with a capital ("al-Bab" excepted)
    candidates = gaz.lookup(name, loose=len(name) >= 5)
    state = gaz.state(name)
    if state and any(c.population >= 500_000 and c.match in {"main", "alt"} and c.country == "US" for c in candidates):
        state = None  # "Washington", "New York": the city unless the text says state (see _resolve_span)
    fixed = gaz.country(name) or gaz.region(name) or state
    if fixed:
        return Mention(start, end, name, source, fixed=fixed)
    if candidates:
        return Mention(start, end, name, source, candidates=candidates)
    return None


def _add_constraint(doc: Doc, after: int, mention: Mention, gaz: Gazetteer) -> None:
    """'Palmyra, Syria' / 'Paris, Texas': the next comma-separated name constrains the country."""
    if mention.fixed or after + 1 >= len(doc) or doc[after].text != ",":
        return
    nxt = doc[after + 1]
    for width in (3, 2, 1):
        if after + 1 + width > len(doc):
            continue
        span = doc[after + 1 : after + 1 + width]
        if not span[0].text[:1].isupper():
            continue
        country = gaz.country(span.text)
        # after "Town, " a postal code is the state ("Raleigh, NC"): nowhere else, where "MD" or "PA" is a degree
        state = gaz.state(US_POSTAL_CODES.get(span.text, span.text))
        province = gaz.province(span.text)
        # "Athens, Georgia": a name that is a country and a US state is the state when the town before it is one
        # of that state's
        if country and state and _has_town_in(mention.candidates, state):
            mention.constraint = "US:" + state.admin1
            return
        if country:
            mention.constraint = country.country
            return
        if state:
            mention.constraint = "US:" + state.admin1
            return
        if province:
            mention.constraint = f"{province[0]}:{province[1]}"
            return
    del nxt


def _states_after_commas(mentions: list[Mention], text: str, gaz: Gazetteer) -> None:
    """In 'Palmyra, New York' the second name is the state the first lies in, not New York City."""
    ordered = sorted(mentions, key=lambda m: m.start)
    for m, nxt in itertools.pairwise(ordered):
        us_state_too = (
            (m.constraint or "").startswith("US:") and nxt.fixed is not None and nxt.fixed.feature == "country"
        )
        if m.constraint and ":" in m.constraint and text[m.end : nxt.start] == ", " and (not nxt.fixed or us_state_too):
            state = gaz.state(nxt.text) or gaz.region(nxt.text)
            if state is not None:
                nxt.fixed = state


def _capitalised_runs(doc: Doc, gaz: Gazetteer) -> list[tuple[int, int]]:
    """Token index ranges of capitalised words joined by spaces, hyphens and Arabic/French particles."""
    runs: list[tuple[int, int]] = []
    i, n = 0, len(doc)
    while i < n:
        if not _is_cap(doc[i]):
            i += 1
            continue
        j = i + 1
        while j < n:
            tok = doc[j]
            joined = (
                tok.text in HYPHENS
                and not doc[j - 1].whitespace_
                and j + 1 < n
                and (_is_cap(doc[j + 1]) or doc[j + 1].lower_ in PARTICLES | HYPHEN_PARTICLES)
            )
            particle = (
                tok.lower_ in PARTICLES
                and j + 1 < n
                and (_is_cap(doc[j + 1]) or (doc[j + 1].text in HYPHENS and j + 2 < n and _is_cap(doc[j + 2])))
            )
            # "Mazar-i-Sharif", "Stratford-upon-Avon": small words only between hyphens
            hyphen_particle = (
                tok.lower_ in HYPHEN_PARTICLES
                and doc[j - 1].text in HYPHENS
                and j + 2 < n
                and doc[j + 1].text in HYPHENS
                and _is_cap(doc[j + 2])
            )
            # "Cox's Bazar": a possessive inside a name, only when the whole name is a known place
            possessive = (
                tok.text in {"'s", "’s"}
                and j + 1 < n
                and _is_cap(doc[j + 1])
                and bool(gaz.lookup(doc[i : j + 2].text, loose=False))
            )
            if _is_cap(tok) or joined or particle or hyphen_particle or possessive:
                j += 1
            else:
                break
        runs.append((i, j))
        i = j
    return runs


def _is_cap(tok: Token) -> bool:
    t = tok.text
    return bool(t) and t[0].isupper() and (t.isalpha() or t.replace("'", "").replace("’", "").isalpha())


def _scan_run(index: TokenIndex, run: tuple[int, int], gaz: Gazetteer) -> list[Mention]:
    """Longest gazetteer matches inside a run, left to right."""
    doc = index.doc
    found: list[Mention] = []
    i, end = run
    while i < end:
        matched = False
        for j in range(min(end, i + MAX_TOKENS), i, -1):
            span = doc[i:j]
            if not _is_cap(span[0]) or not _is_cap(span[-1]):
                continue
            if j - i == 1 and (span.text in NOT_PLACES or span[0].is_stop):
                continue
            mention = _resolve_span(span, gaz, "scan")
            if mention is None:
                continue
            if not _rest_of_run_allows(doc, run, i, j):
                continue
            # A name of several words whose last is a proper noun is one ("Deir ez-Zor", its "Deir" tagged an
            # adjective); a lone word or a phrase ending in a common noun is doubtful.
            if not mention.fixed and not all(t.pos_ == "PROPN" or not _is_cap(t) for t in span):
                if span[0].is_sent_start:
                    continue
                if len(span) == 1 or span[-1].pos_ != "PROPN":
                    mention.weak = True  # capitalised mid-sentence but tagged a common noun ("shelled Sake")
            # a scanned mention that is a whole PERSON/ORG entity is a mislabel we correct
            if (i, j) in index.mislabelled:
                mention.source = "mislabel"
            found.append(mention)
            i = j
            matched = True
            break
        if not matched:
            i += 1
    return found


def _rest_of_run_allows(doc: Doc, run: tuple[int, int], i: int, j: int) -> bool:
    """Part of a longer name is no match ('Tal' in 'Tal Saman'), unless the rest is a title or glue word."""
    # only the run's first and last words outside the match matter: found directly, not by walking the run
    first = run[0] if run[0] < i else (j if j < run[1] else None)
    last = run[1] - 1 if run[1] - 1 >= j else (i - 1 if i - 1 >= run[0] else None)
    ends = [doc[k] for k in dict.fromkeys(k for k in (first, last) if k is not None)]
    return all(not _is_cap(t) or t.text in NOT_PLACES for t in ends)


def _allowed_inside_entity(index: TokenIndex, mention: Mention, gaz: Gazetteer) -> bool:
    """A name inside a longer PERSON/ORG entity ('Washington Post', 'Aleppo Media Centre') is not a place,
    unless the rest of the entity is places and glue ('Raqqa and Tadmur' tagged as one ORG)."""
    if mention.fixed and mention.fixed.feature == "country":
        return True
    for ent in index.ents_overlapping(mention.start, mention.end):
        if ent.label_ in PLACE_LABELS:
            continue
        if ent.label_ == "LANGUAGE":
            return False  # "Arabic", "English": languages are not places
        if ent.label_ == "NORP":
            continue  # spaCy often calls a town in a list of places a group of people
        if (ent.start_char, ent.end_char) == (mention.start, mention.end):
            return True
        rest = [t for t in ent if not (mention.start <= t.idx < mention.end)]
        return all(
            not _is_cap(t) or t.text in NOT_PLACES or bool(gaz.lookup(t.text, loose=False)) for t in rest
        ) and not any(t.text in ORG_WORDS for t in rest)
    return True


def is_dateline(text: str, start: int, end: int) -> bool:
    """'GOMA, February 20, 2024 —' / 'KYIV (Reuters) -': a place at the start of a line before a comma or '('."""
    if text[end : end + 2] not in {", ", " (", " —", " -"}:
        return False
    # only blanks back to the line start: walk back over them (never search a long line for its start)
    k = start - 1
    while k >= 0 and text[k] != "\n":
        if not text[k].isspace():
            return False
        k -= 1
    return True


def _sentence_countries(index: TokenIndex, m: Mention, gaz: Gazetteer) -> frozenset[str]:
    """Countries named in the mention's sentence, by name or demonym ('Polish officials in Kraków')."""
    if not index.sents:
        return frozenset()
    number = index.sentence_index(m.start)
    if number not in index.sentence_codes:  # once per sentence, however many places it names
        sent = index.sents[number]
        named = [(t.idx, t.text) for t in sent if t.text[:1].isupper()]
        for k in range(bisect.bisect_left(index.ent_starts, sent.start_char), len(index.ents)):
            ent = index.ents[k]
            if ent.start_char >= sent.end_char:
                break
            named.append((ent.start_char, ent.text))
        counts: Counter[str] = Counter()
        at: dict[int, Counter[str]] = {}
        for position, name in named:
            code = gaz.country_code(name)
            if code:
                counts[code] += 1
                at.setdefault(position, Counter())[code] += 1
        index.sentence_codes[number] = (counts, at)
    counts, at = index.sentence_codes[number]
    own = at.get(m.start, Counter())  # a name at the mention itself does not count, only the others
    return frozenset(code for code, count in counts.items() if count > own[code])


def _add_possessive_constraint(index: TokenIndex, m: Mention, gaz: Gazetteer) -> None:
    """'Libya's Tripoli': the country before the possessive constrains the place."""
    if m.fixed or m.constraint:
        return
    i = index.at_or_after(m.start)
    before = [index.doc[k] for k in range(max(0, i - 3), i)]
    if len(before) >= 2 and before[-1].text in {"'s", "’s"}:
        code = gaz.country_code(before[-2].text) if gaz.country(before[-2].text) else None
        if code:
            m.constraint = code


def _has_cue(index: TokenIndex, start_char: int) -> bool:
    k = index.at_or_after(start_char) - 1
    tokens = index.doc
    for _ in range(8):  # "in the outskirts of the city of": a few words back, never a whole run of "the of the"
        if k < 0 or tokens[k].lower_ not in {"the", "of"} | PLACE_NOUNS:
            break
        if tokens[k].lower_ in PLACE_NOUNS:
            return True
        k -= 1
    else:
        return False
    return k >= 0 and tokens[k].lower_ in LOCATIVE


def _keep_evidenced(mentions: list[Mention], context: Counter[str], text: str) -> list[Mention]:
    """The sure mentions, then the others with evidence, in the order repeated passes over them would keep them
    (a mention coordinated with one kept later in a pass waits for the next pass).

    Only coordination with a kept place depends on what was kept before, and a coordinated place is the
    mention right before or after in the text, so a pass looks again only at the neighbours of places it keeps."""

    def sure(m: Mention) -> bool:  # spaCy's own places, unless only a spelling guess matched them
        return bool(m.fixed) or (m.source == "entity" and not all(c.match == "loose" for c in m.candidates))

    kept = [m for m in mentions if sure(m)]
    pending = [m for m in mentions if not sure(m)]
    is_kept = {id(m) for m in kept}
    position = {id(m): p for p, m in enumerate(pending)}
    ordered = sorted(mentions, key=lambda m: m.start)
    neighbours: dict[int, list[Mention]] = {id(m): [] for m in mentions}
    for before, after in itertools.pairwise(ordered):
        neighbours[id(before)].append(after)
        neighbours[id(after)].append(before)

    def coordinated(m: Mention) -> bool:
        return any(id(other) in is_kept and _coordinated(m, other, context, text) for other in neighbours[id(m)])

    alone = [_evidenced_alone(m, context) for m in pending]
    queue = list(range(len(pending)))  # the first pass looks at every pending mention
    first_pass = True
    while queue:
        heapq.heapify(queue)
        later: set[int] = set()
        cursor = -1
        while queue:
            p = heapq.heappop(queue)
            m = pending[p]
            if p <= cursor or id(m) in is_kept:
                continue
            cursor = p
            verdict = alone[p] if first_pass else None
            if verdict is None and alone[p] is None:
                verdict = coordinated(m)
            if not verdict:
                continue
            kept.append(m)
            is_kept.add(id(m))
            for other in neighbours[id(m)]:
                q = position.get(id(other))
                if q is not None and id(other) not in is_kept and alone[q] is None:
                    if q > cursor:
                        heapq.heappush(queue, q)  # still ahead in this pass
                    else:
                        later.add(q)
        queue = sorted(later)
        first_pass = False
    return kept


def _evidenced_alone(m: Mention, context: Counter[str]) -> bool | None:
    """Evidence a mention has on its own: True or False, or None when only coordination with a kept place
    can decide (see `_coordinated`)."""
    if m.cue and not all(c.match == "loose" for c in m.candidates):
        return True
    if m.weak:
        return False
    best = max(m.candidates, key=lambda c: c.population)
    in_context = any(c.country in context and c.match != "loose" for c in m.candidates)
    if all(c.match == "loose" for c in m.candidates):  # a spelling guess needs the article's countries
        return any(c.country in context or c.country in m.local for c in m.candidates)
    if in_context and any(c.country in context and c.population >= 5000 and c.match != "loose" for c in m.candidates):
        return True
    if best.population >= 500_000 and best.match in {"main", "alt"}:
        return True
    return None


def _coordinated(m: Mention, other: Mention, context: Counter[str], text: str) -> bool:
    """Coordinated with a kept place: "Raqqa and Tadmur", "Homs, Hama and Idlib"."""
    gap = text[other.end : m.start] if other.end <= m.start else text[m.end : other.start]
    if gap.strip() not in {"and", ",", ", and", "or", "/"}:
        return False
    in_context = any(c.country in context and c.match != "loose" for c in m.candidates)
    others = other.candidates or ([other.fixed] if other.fixed else [])
    other_countries = {c.country for c in others}
    shared = any(c.country in other_countries and c.match != "loose" for c in m.candidates)
    big = any(c.population >= 100_000 and c.match in {"main", "alt"} for c in m.candidates)
    return in_context or shared or big


# --- disambiguation -------------------------------------------------------------------------------


def _density(c: Candidate, others: Points) -> float:
    """How many of the article's other places lie close by, each counting less with distance (150 km scale)."""
    lat1, lon1 = np.radians(c.lat), np.radians(c.lon)
    a = np.sin((others.lat - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(others.lat) * np.sin((others.lon - lon1) / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    return float(np.exp(-km / 150.0).sum())


class Points:
    """The other places' coordinates (radians) and countries, for scoring a candidate against them."""

    def __init__(self, places: list[Candidate]) -> None:
        self.lat = np.radians(np.array([p.lat for p in places], dtype=float))
        self.lon = np.radians(np.array([p.lon for p in places], dtype=float))
        self.countries = {p.country for p in places}
        self.empty = not places


def _score(c: Candidate, m: Mention, context: Counter[str], gaz: Gazetteer, others: Points | None = None) -> float:
    score = 1.5 * math.log10(c.population + 10)
    score += {"alias": 3.0, "main": 1.5, "alt": 0.5, "stripped": 0.3, "loose": -1.5}[c.match]
    if context:
        total = max(context.values())
        # squared share: the article's main country counts fully, a country named in passing much less
        score += 4.0 * (context.get(c.country, 0) / total) ** 2 if c.country in context else 0.0
    if m.constraint:
        country, _, admin1 = m.constraint.partition(":")
        score += 8.0 if c.country == country and (not admin1 or c.admin1 == admin1) else -2.0
    if c.match in {"main", "alt"} and gaz.is_capital(c):
        score += 2.0  # "Islamabad" is Pakistan's capital before it is an old name of Chittagong
        if c.match == "main" and c.population >= 1_000_000:
            score += 4.0  # "via Moscow and Paris" in a story about the US: a world capital, not Paris, Texas
    if c.match != "main" and any(o.match == "main" and o.population >= 100_000 for o in m.candidates):
        score -= 2.0  # an old or foreign name of one place yields to a sizeable place of that name today
    if c.country in m.local:
        score += 5.0
    if c.name == m.text:  # exact, diacritics included ("Kraków")
        score += 0.5
    if others is not None and not others.empty:
        score += min(3.0, _density(c, others))
        if c.country in others.countries:
            score += 1.0
    return score


MAX_CANDIDATES = 40


def _prune(m: Mention, context: Counter[str]) -> None:
    """Keep the most populous candidates and any in a country the article or the sentence names."""
    if len(m.candidates) <= MAX_CANDIDATES:
        return
    by_size = sorted(m.candidates, key=lambda c: -c.population)
    wanted = {m.constraint.partition(":")[0]} if m.constraint else set()
    keep = by_size[:MAX_CANDIDATES] + [
        c for c in by_size[MAX_CANDIDATES:] if c.country in context or c.country in m.local or c.country in wanted
    ]
    m.candidates = keep


# The article's other places that count for a place's neighbourhood: the mentions up to this many before and
# after it in the text. An article names far fewer, so for it this is all of them; a book-length text does
# not compare every place with every other.
NEIGHBOURHOOD = 200


def _disambiguate(mentions: list[Mention], context: Counter[str], gaz: Gazetteer) -> None:
    for m in mentions:
        _prune(m, context)
    for m in mentions:
        if not m.fixed:
            m.chosen = max(m.candidates, key=lambda c: _score(c, m, context, gaz))
    by_start = sorted(range(len(mentions)), key=lambda k: mentions[k].start)
    rank = [0] * len(mentions)
    for r, k in enumerate(by_start):
        rank[k] = r
    everyone = range(len(mentions))
    for _ in range(2):
        for k, m in enumerate(mentions):
            if m.fixed or len(m.candidates) < 2:
                continue
            low, high = max(0, rank[k] - NEIGHBOURHOOD), min(len(mentions), rank[k] + NEIGHBOURHOOD + 1)
            near = everyone if low == 0 and high == len(mentions) else sorted(by_start[low:high])
            seen: set[tuple[float, float]] = set()
            others: list[Candidate] = []
            for j in near:
                o = mentions[j]
                point = o.chosen or (o.fixed if o.fixed and o.fixed.feature != "country" else None)
                if o is m or o.text == m.text or point is None:
                    continue
                key = (round(point.lat, 2), round(point.lon, 2))
                if key not in seen:  # each place counts once however often it is named
                    seen.add(key)
                    others.append(point)
            points = Points(others)
            m.chosen = max(m.candidates, key=lambda c: _score(c, m, context, gaz, points))
