"""Events: who did what to whom, when, where and with how many dead, for sentences that report one.

Rules over the shared spaCy parse, in the spirit of CAMEO/ACLED event coding. A sentence reports an event
when it holds a trigger ("shelled", "air strikes", "besieged", "seized", "killed" ...); the action type is
the most specific trigger in the sentence (air strike > shelling > siege > capture > withdraw > aid >
negotiate > protest > attack > kill), preferring triggers in the main clause over those in relative or
adverbial clauses; missile and rocket strikes count as shelling, as in ACLED. The actor is the trigger's subject (or the "by" agent of a passive),
the target its object (or the passive subject); the place is the most specific place in the sentence (else
the last town named in the sentences before; never a dateline's place); the date is the sentence's date
nearest the trigger, a dateline's excepted (else none). Sentences are spaCy's, split again at line breaks;
the headline is skipped (it summarises an event the body reports).

Fatalities, exact or vague, become ranges (`low`..`high`, high None = open), every amount read by
`unspin.text.numbers` (the same reading claims' quantities get):
- "120 killed", "killing 12", "killed 2 000 people" -> 120..120 exact; "no one was killed", "no casualties" -> 0..0
- "at least / more than / over N" -> N.. (open); "nearly / almost N" -> 0.8 N..N; "up to N" -> 1..N;
  "fewer than N" -> 0..N-1; "about / around / some / an estimated N" -> 0.8 N..1.2 N; "N to M", "between N and M"
  -> N..M
- vague amounts from its one table: "a dozen" 12; "a few" 2..5; "several" 3..9; "dozens" 24..99; "scores" 40..99;
  "hundreds" 200..999; "hundreds if not thousands" 200..5000; "thousands" 2000..9999; "tens of thousands"
  20000..99999

With `--records FILE` (`Options.records`) every event is matched against the UCDP GED records (see
`unspin.crosscheck.matching`); without it, against the records imported into the store, if there are any.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from unspin.analysis import DateMention, Event, Fatalities, Place
from unspin.analysis import Span as SpanModel
from unspin.crosscheck.link import cross_check
from unspin.detectors.base import Findings, Parsed
from unspin.detectors.dates import publication_anchor
from unspin.detectors.places import is_dateline
from unspin.models.features import span_entities
from unspin.text import numbers

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

log = logging.getLogger(__name__)

ACTION_ORDER = (
    "air_strike",
    "shelling",
    "siege",
    "capture",
    "withdraw",
    "aid",
    "negotiate",
    "protest",
    "attack",
    "kill",
)

# phrase patterns (lower-cased text) and verb lemmas per action
PHRASES: dict[str, tuple[str, ...]] = {
    "air_strike": (
        "air strike",
        "airstrike",
        "air raid",
        "air-strike",
        "drone strike",
        "warplanes",
        "jets struck",
        "aircraft struck",
        "aerial bombardment",
        "barrel bomb",
        "bombed",
        "bombing",
        "bombarded from the air",
    ),
    "shelling": (
        "shelled",
        "shelling",
        "artillery",
        "mortar",
        "rocket fire",
        "fired rockets",
        "barrage",
        "shells",
        "missile",
        "rockets struck",
        "rocket struck",
    ),
    "siege": ("besieged", "besieging", "siege", "blockade", "encircled", "under siege"),
    "capture": (
        "captured",
        "seized",
        "took control",
        "taken control",
        "take control",
        "recaptured",
        "retook",
        "overran",
        "fell to",
        "captures",
        "seize",
        "capture",
        "retaken",
        "gained control",
        "abducted",
        "kidnapped",
        "kidnapping",
        "taken hostage",
    ),
    "withdraw": ("withdrew", "withdrawn", "withdrawal", "retreated", "pulled back", "pulled out", "withdraw"),
    "aid": (
        "aid convoy",
        "humanitarian aid",
        "delivered aid",
        "airdrop",
        "air-dropped",
        "food aid",
        "supplies",
        "relief",
        "delivered food",
        "aid to",
    ),
    "negotiate": ("negotiat", "talks", "ceasefire agreement", "truce", "peace deal", "agreed a ceasefire", "brokered"),
    "protest": ("protest", "demonstrat", "rally", "rallied", "marched"),
    "attack": (
        "attacked",
        "attack",
        "assault",
        "ambush",
        "raid",
        "clashes",
        "clashed",
        "stormed",
        "offensive",
        "fighting",
        "struck",
        "shots rang out",
        "opened fire",
        "gunned down",
        "gunning down",
        "stabbed",
        "stabbing",
    ),
    "kill": (
        "killed",
        "killing",
        "dead",
        "died",
        "death toll",
        "deaths",
        "casualties",
        "massacre",
        "executed",
        "murdered",
        "beheaded",
        "slaughtered",
        "massacred",
        "assassinated",
        "strangled",
        "lynched",
        "to death",  # "beaten to death", "stabbed to death", "hacked to death"
    ),
}
TRIGGER_LEMMAS: dict[str, str] = {
    "shell": "shelling",
    "besiege": "siege",
    "encircle": "siege",
    "blockade": "siege",
    "capture": "capture",
    "seize": "capture",
    "recapture": "capture",
    "retake": "capture",
    "overrun": "capture",
    "withdraw": "withdraw",
    "retreat": "withdraw",
    "negotiate": "negotiate",
    "protest": "protest",
    "demonstrate": "protest",
    "attack": "attack",
    "storm": "attack",
    "ambush": "attack",
    "raid": "attack",
    "strike": "attack",
    "hit": "attack",
    "bomb": "air_strike",
    "kill": "kill",
    "die": "kill",
    "deliver": "aid",
    "airdrop": "aid",
    "drop": "aid",
    "execute": "kill",
    "murder": "kill",
    "behead": "kill",
    "slaughter": "kill",
    "assassinate": "kill",
    "assault": "attack",
    "clash": "attack",
    "fire": "shelling",
    "shoot": "attack",  # only a person shot (see _person_shot): not a film, a photo, a basket or a share price
    "pound": "shelling",
    "target": "attack",
}
# nouns that name an event, not who acts: "the strike took place", "clashes erupted"
EVENT_NOUNS = frozenset(
    {
        "strike",
        "airstrike",
        "attack",
        "raid",
        "shelling",
        "bombing",
        "fighting",
        "clash",
        "siege",
        "offensive",
        "assault",
        "ambush",
        "blockade",
        "protest",
        "talk",
        "barrage",
    }
)
AIR_WORDS = ("warplane", "jet", "aircraft", "drone", "helicopter", "air force", "airstrike", "air strike")
SPECIFIC_FEATURES = {"city": 0, "site": 0, "admin": 1, "region": 2, "lake": 2, "strait": 2, "sea": 3, "country": 4}

# Every amount is read by the one number reader (unspin.text.numbers): "2 000", "twenty-five", "a few".
AMOUNT = rf"(?P<amount>{numbers.AMOUNT})"
VICTIMS = (
    r"(?:\s+(?:of\s+)?(?:the\s+)?(?:[a-z\-]+\s+){0,2}?"
    r"(?:people|civilians|soldiers|fighters|militants|troops|children|women|men|residents|members|"
    r"policemen|officers|combatants|rebels|jihadists|persons|others|villagers|workers|refugees|"
    r"servicemen|insurgents|worshippers|patients))?"
)
DEATH_AFTER = (
    r"(?:\s+(?:were|have|has|had|been|was|are|being|reportedly|also|now)){0,3}\s+"
    r"(?:killed|dead|died|slain|executed|massacred)"
)
FATALITY_PATTERNS = [
    re.compile(
        rf"\b(?:killing|killed|kills|kill|leaving|left|claimed the lives of|death toll (?:rose |climbed )?(?:to|of|at))\s+{AMOUNT}{VICTIMS}(?:\s+dead)?",
        re.I,
    ),
    re.compile(rf"\b{AMOUNT}{VICTIMS}{DEATH_AFTER}", re.I),
    re.compile(rf"\b{AMOUNT}\s+(?:deaths|fatalities|dead)\b", re.I),
    re.compile(
        r"\b(?P<zero>no (?:one|casualties|deaths|fatalities)|nobody)(?:\s+(?:was|were))?(?:\s+(?:killed|reported|hurt))?",
        re.I,
    ),
]


@dataclass
class Trigger:
    action: str
    token: Token | None
    start: int
    end: int


class EventsDetector:
    name = "events"
    # v3: shells, pounds, targets, captures and ambushes need armed support; a capitalised match is a name
    # ("Tomb Raider"), as is one inside a name spaCy labels or in a long list of names; talks, aid and
    # withdrawals only in a story with a violent event that names victims or armed men; a person shot is an
    # attack, and the victims a killing names ("officers A and B were killed") are its count
    # v2: weak triggers need armed support; game reports, disease, markets
    # v6: crimes named by a court or a record ("convictions for assault"), weapons ("assault weapons") and fears
    # ("the fear of being gunned down") are no reports of violence; murders, beheadings, "beaten to death" with their
    # victims, a person attacked ("attacked a teenager"); a new country named ends the last town's reach
    id = "unspin.events.v6"
    languages = ("en",)  # English models and word lists
    requires: tuple[str, ...] = ("places", "dates")
    assigns = ("events",)

    def __call__(self, parsed: Parsed) -> Findings:
        anchor, _ = publication_anchor(parsed.analysis.document, parsed.options)
        events = find_events(parsed, anchor)
        # Records come from the source the caller handed in; without one, events are not cross-checked.
        cross_check(events, parsed.analysis.places, anchor, parsed.runtime.record_source)
        return {"events": events}


def find_events(parsed: Parsed, anchor: dt.date | None) -> list[Event]:
    places = _ByStart(parsed.analysis.places)
    dates = _ByStart(parsed.analysis.dates)
    events: list[Event] = []
    recent: list[Place] = []  # towns named in the sentences before
    last_dated: Event | None = None  # the last event dated to the day
    main_place = _main_place(parsed.analysis.places, parsed.text)
    sports = game_report(parsed.text)
    if video_game_page(parsed.text):
        return events
    for sent in _sentences(parsed):
        in_sent = places.within(sent.start_char, sent.end_char)
        skip = _is_headline(sent, parsed.analysis.document.title) or CLAIM_OF_RESPONSIBILITY.search(sent.text)
        trigger = None if skip else _trigger(sent)
        if trigger is not None and (not_an_event(sent.text) or (sports and not ARMED.search(sent.text))):
            trigger = None
        if trigger is not None and (_hypothetical(trigger.token) or sent.text.rstrip(" \"”’'").endswith("?")):
            trigger = None  # "could attack", "threatened to strike", "what if ...?": nothing happened
        if trigger is not None and (not _supported(trigger, sent) or _not_a_report(trigger, sent)):
            trigger = None
        if trigger is not None:
            sent_dates = dates.within(sent.start_char, sent.end_char)
            narrative = _narrative_date(dates, sent, parsed.text)
            previous = last_dated
            if previous is None or (
                narrative is not None and narrative.start > (previous.date_span.start if previous.date_span else -1)
            ):
                previous = _as_previous(narrative) if narrative is not None else previous
            local = recent or ([main_place] if main_place is not None and PLACE_CUE.search(sent.text) else [])
            event = _event(sent, trigger, in_sent, local, sent_dates, parsed.text, previous)
            if event is not None and event.date is None and narrative is not None and narrative.value:
                # "On 16 September ... The raid ...": the paragraph's day dates the events it goes on to tell
                event.date, event.date_end = narrative.value, narrative.end_value
                event.date_precision = narrative.precision
                event.date_span = SpanModel(start=narrative.start, end=narrative.end)
            if event is not None:
                event.confidence = event_confidence(event)
            if event is not None and event.action == "kill" and event.fatalities and event.fatalities.high == 0:
                # "No casualties were reported." completes the event before it
                if events and events[-1].fatalities is None and not in_sent:
                    events[-1].fatalities = event.fatalities
                event = None
            if event is not None:
                events.append(event)
                if event.date_precision == "day":
                    last_dated = event
        named = [p for p in in_sent if not is_dateline(parsed.text, p.start, p.end)]
        towns = [p for p in named if p.feature in {"city", "site"}]
        elsewhere = [p for p in named if p.country and all(p.country != town.country for town in recent)]
        if towns:
            recent = (recent + towns)[-3:]
        elif recent and elsewhere:
            recent = elsewhere[-1:]  # "And in Russia." after a stabbing in Munich: the next one is not in Munich
        else:
            recent = recent[-3:]
    # talks, aid, withdrawals and protests are conflict events only in a story that reports violence: one violent
    # event with its victims or armed men in its sentence ("It's striking that ..." in a trade story is not)
    violent = any(e.action in VIOLENT and _armed_or_deadly(e, parsed.text) for e in events)
    return [e for e in events if e.action in VIOLENT or violent]


def _armed_or_deadly(event: Event, text: str) -> bool:
    sentence = text[event.start : event.end]
    has_victims = event.fatalities is not None and event.fatalities.high != 0
    return has_victims or bool(SUPPORT.search(sentence) or ARMED.search(sentence))


VIOLENT = frozenset({"attack", "air_strike", "shelling", "kill", "capture", "siege"})

# Sentences that use the words of violence for something else: disasters, disease, accidents, politics, sport.
NOT_EVENT_PATTERNS = re.compile(
    r"\b(?:wild ?fires?|bush ?fires?|forest fires?|blazes?|fire (?:danger|risk|season|weather|crews?|engines?|"
    r"agency|department|fighters?)|firefighters?|drought|lightning|heat ?wave|storms?|flood(?:s|ing)?|"
    r"hurricanes?|tornado(?:es)?|earthquakes?|blackouts?|power outages?|outages?|"
    r"covid(?:-19)?|coronavirus|virus|pandemic|epidemic|outbreak|disease|cancer|overdoses?|flu|influenza|"
    r"plague|black death|infections?|infected|illness(?:es)?|pneumonia|bacteri(?:a|um)|ebola|cholera|measles|"
    r"malaria|\d[\d,]* (?:confirmed )?cases|world health organi[sz]ation|"
    r"car crash|crash(?:ed|es)?|collision|accident(?:s|al|ally)?|derail(?:ed|ment)?|drown(?:ed|ing)?|"
    r"smoke|pollution|emissions?|"
    r"under fire|came under criticism|hit(?:s|ting)? back|hit the ground running|hit (?:a )?record|"
    r"(?:heart|panic|asthma|anxiety|allergy) attacks?|natural causes|"
    r"personal attacks?|attack ads?|attacked each other|attacks? on (?:his|her|their) (?:record|character)|"
    r"combat (?:misinformation|climate|disinformation|fake)|war of words|fighting (?:for|to) (?:keep|save|win)|"
    r"tariffs?|trade war|(?:murder|homicide|crime|death) rates?|"
    r"match(?:es)?|tournament|champion(?:ship)?s?|semifinals?|quarterfinals?|league|\d-\d \(\d\)|"
    r"(?:beat|defeated|rallied to defeat))\b",
    re.I,
)
# ... unless the sentence also holds unmistakable armed violence ("gunmen", "troops", "shot dead").
ARMED = re.compile(
    r"\b(?:gunm[ae]n|gunfire|gunshot|shot dead|shooting|troops|soldiers|militants?|rebels?|insurgents?|jihadists?|"
    r"taliban|militias?|air ?strikes?|air raids?|shelling|artillery|mortars?|bomb(?:ing|s|ed)?|explosives?|"
    r"opened fire|killed by|massacre)\b",
    re.I,
)


# A game report uses the words of violence for play ("hit some tough shots", "a clash with Rondo"): on such a
# page only unmistakable armed violence is an event.
GAME_WORDS = re.compile(
    r"\b(?:rebounds?|assists?|touchdowns?|innings|halftime|half-time|overtime|quarterback|goalkeeper|goalie|"
    r"power[- ]play|free throws?|field goals?|three-pointers?|home runs?|playoffs?|(?:first|second|third|fourth) "
    r"(?:quarter|period|inning)|scored|goals?)\b",
    re.I,
)
GAME_SCORE = re.compile(r"(?<![\d.,-])\d{1,3}-\d{1,3}(?![\d-])")


# A video game's review or guide tells its combat in the words of violence ("killing them in one hit", "armed with
# melee weapons", troopers and blasters): a page that talks like one reports no real violence.
VIDEO_GAME_WORDS = re.compile(
    r"\b(?:gameplay|playthrough|boss (?:fight|battle)s?|skill tree|checkpoints?|save points?|DLC|frame ?rate|"
    r"controllers?|multiplayer|single-player|NPCs?|cutscenes?|difficulty (?:setting|level)s?|open world|"
    r"PS4|PS5|PlayStation|Xbox(?: One)?|Nintendo Switch|Steam|fast travel|respawn(?:s|ed)?|loot|quests?|"
    r"game ?play|level design|hit points|combos?|lightsabers?|upgrades?)\b",
    re.I,
)
VIDEO_GAME_TERMS = 5  # distinct terms: a news story that mentions a game names one or two


def video_game_page(text: str) -> bool:
    """A review or guide of a video game: several distinct terms of play."""
    return len({m.group(0).lower() for m in VIDEO_GAME_WORDS.finditer(text)}) >= VIDEO_GAME_TERMS


def game_report(text: str) -> bool:
    """Several scores or a run of game words: a sports report."""
    return len(GAME_SCORE.findall(text)) >= 3 or len(GAME_WORDS.findall(text)) >= 6


def not_an_event(sentence: str) -> bool:
    """A disaster, disease, accident, figure of speech, trade fight or sport: not a report of violence."""
    return bool(NOT_EVENT_PATTERNS.search(sentence)) and not ARMED.search(sentence)


# Words that name violence only with support in the sentence: "the target of a campaign", "fighting dirty air".
# "hit", "strike" and "attacked" are as often markets, illnesses, sport and politics ("the bond hit 16%", "tends
# to strike people who keep birds", "attacked Trump's family") as violence.
WEAK_TRIGGERS = frozenset(
    {
        "fighting",
        "target",
        "targeted",
        "targeting",
        "assault",
        "assaults",
        "assaulted",
        "assaulting",
        "struck",
        "attack",
        "attacks",
        "attacked",
        "attacking",
        "raid",
        "seize",
        "seized",
        "capture",
        "captured",
        "offensive",
        "protest",
        "protests",
        "protesters",
        "demonstrators",
        "demonstration",
        "demonstrations",
        "rally",
        "hit",
        "hits",
        "hitting",
        "strike",
        "strikes",
        "striking",
        "clash",
        "missile",
        "missiles",
        # "video captures", "a new reality ambushed her": figures unless armed violence is in the sentence
        "captures",
        "ambush",
        "ambushed",
        # a moon's ice "shell", "5,200 pounds of water vapour", "the highest priority targets" of a space agency
        "shell",
        "shells",
        "pound",
        "pounds",
        "pounded",
        "pounding",
        "targets",
    }
)
SUPPORT = re.compile(
    r"\b(?:kill(?:ed|ing|s)?|dead|died|wounded|injured|shot|gun(?:s|man|men|fire|ned|ning)?|stabb(?:ed|ing)|"
    r"kidnapp(?:ed|ing)|abduct(?:ed|ion)|clash(?:es|ed)?|tear gas|rubber bullets|petrol bombs?|violen(?:t|ce)|"
    r"weapons?|rifles?|police fired|casualties|hostages?|forces|fighters|army|islamic state|isis|isil|"
    r"peshmerga|al-shabaab|boko haram|gunmen|troops|soldiers|militants?|rebels?|drones?|"
    r"warplanes?|grenades?|explosions?|blasts?|security forces|fired|firing)\b",
    re.I,
)


ALLEGED = re.compile(r"\b(?:alleged(?:ly)?|accused of|accusations? of|charged (?:with|over))\W+(?:\w+\W+){0,2}$", re.I)


def _supported(trigger: Trigger, sent: Span) -> bool:
    """A weak trigger needs armed violence or its victims in the sentence; a protest needs a clash."""
    word = sent.text[trigger.start - sent.start_char : trigger.end - sent.start_char].lower()
    if trigger.action == "protest":
        return bool(SUPPORT.search(sent.text) or ARMED.search(sent.text))
    if word not in WEAK_TRIGGERS:
        return True
    if ALLEGED.search(sent.text[max(0, trigger.start - sent.start_char - 30) : trigger.start - sent.start_char]):
        return False  # "over alleged assaults on its men": a charge, not a report that it happened
    if word in PERSON_ATTACK_WORDS and _person_attacked(trigger.token):
        return True  # "attacked a teenager", "a woman was assaulted": a person, not a rival's record
    return bool(SUPPORT.search(sent.text) or ARMED.search(sent.text) or find_fatalities(sent.text) is not None)


PERSON_ATTACK_WORDS = frozenset({"attacked", "assaulted", "ambushed"})


def _person_attacked(tok: Token | None) -> bool:
    """The one attacked is a person named by a common noun ("attacked a teenager", "the man was assaulted"), or
    anyone assaulted ("you were assaulted"); a named person or organisation attacked is as often a political attack
    ("attacked Warren's plan")."""
    if tok is None:
        return False
    return any(
        child.dep_ in {"dobj", "nsubjpass"}
        and child.ent_type_ == ""
        and (child.lemma_.lower() in SHOT_NOUNS or (tok.lemma_ == "assault" and child.pos_ == "PRON"))
        for child in tok.children
    )


# The words of violence naming a crime in a court's or a record's words ("convictions for assault, kidnapping",
# "pending charges for sexually assaulting a child"), a weapon ("ban assault weapons"), or a fear ("the fear of
# being gunned down"): none reports that violence happened.
LEGAL_BEFORE = re.compile(
    r"\b(?:convict(?:ed|ions?)|charges?|charged|accused|indicted|pleaded guilty|pled guilty|sentenced|"
    r"criminal (?:histor(?:y|ies)|records?))\s+(?:\w+\s+){0,2}(?:of|for|with|to|over)\b[^.;]*$",
    re.I,
)
WEAPON_AFTER = re.compile(r"\s*(?:-?style\s+)?(?:weapons?|rifles?|guns?|vehicles?|ships?|helicopters?|craft)\b", re.I)
FEAR_BEFORE = re.compile(r"\b(?:fears?|risk|threat|danger|afraid|scared|terrified)\s+of\s+(?:\w+\s+){0,3}$", re.I)
LEGAL_REACH = 160  # characters before the trigger in its sentence


def _not_a_report(trigger: Trigger, sent: Span) -> bool:
    before = sent.text[max(0, trigger.start - sent.start_char - LEGAL_REACH) : trigger.start - sent.start_char]
    after = sent.text[trigger.end - sent.start_char :]
    weapon = trigger.token is not None and trigger.token.pos_ != "VERB" and WEAPON_AFTER.match(after)
    return bool(LEGAL_BEFORE.search(before) or weapon or FEAR_BEFORE.search(before[-60:]))


MODALS = frozenset({"would", "could", "might", "may", "can", "will", "should", "must"})
HYPOTHETICAL_HEADS = frozenset(
    {
        "threaten",
        "plan",
        "vow",
        "warn",
        "risk",
        "fear",
        "want",
        "seek",
        "intend",
        "prepare",
        "consider",
        "try",
        "refuse",
        "hope",
        "eager",
        "ready",
        "willing",
        "likely",
        "hopeful",
    }
)


def _hypothetical(tok: Token | None) -> bool:
    """A trigger under a modal, a negation or a verb of intent ('could strike', 'threatened to attack')."""
    if tok is None:
        return False
    verb = tok
    # spaCy makes a new Token object on every access: compare positions, never identity (a root's head is itself)
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head  # a noun trigger ("the withdrawal") is as hypothetical as the verb it hangs on
    if any(c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in MODALS) for c in verb.children):
        return True
    if verb.i != tok.i and verb.dep_ in {"xcomp", "ccomp"} and verb.head.lemma_ in HYPOTHETICAL_HEADS - {"try"}:
        return True
    head = tok.head
    if tok.dep_ in {"xcomp", "ccomp"} and head.lemma_ in HYPOTHETICAL_HEADS:
        return True
    return any(c.lower_ == "if" and c.dep_ == "mark" for c in tok.children)


# "the airport", "the city": the article's main place when the sentence names none
PLACE_CUE = re.compile(r"\bthe (?:airport|city|town|base|village|airbase|air base|garrison|outskirts)\b", re.I)


def _main_place(places: list[Place], text: str) -> Place | None:
    """The town the article names most (first on a tie), datelines aside: where 'the city' is."""
    towns = [p for p in places if p.feature in {"city", "site"} and not is_dateline(text, p.start, p.end)]
    if not towns:
        return None
    counts: dict[str, int] = {}
    for p in towns:
        counts[p.name] = counts.get(p.name, 0) + 1
    best = max(counts.values())
    return next(p for p in towns if counts[p.name] == best)


# How far back a paragraph break is looked for: a text with no breaks is never searched whole per sentence.
NARRATIVE_REACH = 5_000


def _narrative_date(dates: _ByStart[DateMention], sent: Span, text: str) -> DateMention | None:
    """The last day named before the sentence in its paragraph or the one before ('On 16 September ...')."""
    reach = max(0, sent.start_char - NARRATIVE_REACH)
    paragraph_start = text.rfind("\n\n", reach, sent.start_char)
    previous_start = text.rfind("\n\n", reach, paragraph_start) if paragraph_start > reach else -1
    window_start = max(reach, previous_start)
    before = [
        d
        for d in dates.within(window_start, sent.start_char)
        if d.value and d.precision == "day" and not re.match(r"\s*(?:—|–|--|-\s)", text[d.end : d.end + 4])
    ]
    return max(before, key=lambda d: d.start) if before else None


def _as_previous(date: DateMention) -> Event:
    """A dated mention as the 'event before' that 'the next day' counts from."""
    return Event(
        start=date.start,
        end=date.end,
        date=date.value,
        date_precision=date.precision,
        date_span=SpanModel(start=date.start, end=date.end),
    )


def event_confidence(event: Event) -> float:
    """How sure the sentence reports violence that happened: the kind of action, deaths, a place and a day."""
    score = 0.7 if event.action in VIOLENT else 0.5
    if event.fatalities is not None and (event.fatalities.high is None or event.fatalities.high > 0):
        score += 0.15
    if event.place is not None:
        score += 0.05
    if event.date is not None:
        score += 0.05
    return round(min(score, 0.95), 2)


Found = TypeVar("Found", Place, DateMention)


class _ByStart(Generic[Found]):
    """Findings looked up by the sentence they start in, by bisection (never a scan of all per sentence)."""

    def __init__(self, found: list[Found]) -> None:
        self.items: list[Found] = found
        self.order = sorted(range(len(found)), key=lambda k: found[k].start)
        self.starts = [found[k].start for k in self.order]

    def within(self, start: int, end: int) -> list[Found]:
        """Those starting in [start, end), in their original order."""
        first, last = bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)
        return [self.items[k] for k in sorted(self.order[first:last])]


# "JNIM claimed the attack": a claim about an event already reported, not a new one
CLAIM_OF_RESPONSIBILITY = re.compile(
    r"\bclaim(?:ed|s)?\s+(?:responsibility\s+for\s+)?(?:the|this|that|Tuesday's|Monday's|Wednesday's|Thursday's|"
    r"Friday's|Saturday's|Sunday's)\s+(?:\w+\s+)?(?:attack|strike|bombing|ambush|raid|assault)",
    re.I,
)


def _is_headline(sent: Span, title: str | None) -> bool:
    """The title repeats the story's main event in summary: it is not an event report of its own."""
    text = sent.text.strip()
    if title and text == title.strip():
        return True
    return sent.start_char == 0 and not text.endswith((".", "!", "?", '"', "”", "’"))


def _sentences(parsed: Parsed) -> list[Span]:
    """spaCy's sentences, split again at line breaks (headlines, datelines and paragraphs are not joined)."""
    out: list[Span] = []
    for sent in parsed.doc.sents:
        start = sent.start
        for tok in sent:
            if tok.is_space and "\n" in tok.text and tok.i > start:
                out.append(parsed.doc[start : tok.i])
                start = tok.i + 1
        if start < sent.end:
            out.append(parsed.doc[start : sent.end])
    return [s for s in out if s.text.strip()]


def _trigger(sent: Span) -> Trigger | None:
    lower = sent.text.lower()
    found: dict[str, Trigger] = {}
    capitalised = _title_case(sent.text)
    # a short sentence in title case is a headline, where every word has its capital; a long one is a list of
    # names ("Metro Exodus, Attack on Titan, Rage 2"), where a capital starts a title
    headline = capitalised and len(sent) <= HEADLINE_TOKENS
    name_list = capitalised and not headline
    for action, phrases in PHRASES.items():
        for phrase in phrases:
            i = _find_word(lower, phrase)
            # a capital inside a sentence (not a headline) starts a name: "Tomb Raider", "Strike Force"
            starts_name = i > 0 and not headline and sent.text[i].isupper()
            # ... after a word, in a list of names, or as a team's plural ("Broncos vs. Raiders", "the Strikers")
            if i > 0 and TEAM_PLURAL.match(sent.text, i):
                continue  # even in a headline's capitals
            if starts_name and (name_list or sent.text[:i].rstrip()[-1:].isalnum()):
                continue
            if i >= 0 and action not in found:
                begin = sent.start_char + i
                end = _word_end(sent.text, i + len(phrase)) + sent.start_char
                token = _token_at(sent, begin)
                if token is not None and token.ent_type_ in NAME_LABELS:
                    continue  # "Attack on Titan" (a game), "Operation Storm" named by spaCy: a title, not a report
                found[action] = Trigger(action, token, begin, end)
    for tok in sent:
        lemma_action = TRIGGER_LEMMAS.get(tok.lemma_.lower())
        if tok.lemma_.lower() == "fire" and tok.pos_ in {"VERB", "NOUN"}:
            if not _weapon_fire(tok):
                continue
            # a gunman "opened fire", troops "fired on the crowd": shooting, an attack; shelling only when
            # what was fired is artillery ("fired rockets", "fired mortar rounds")
            lemma_action = "shelling" if _artillery_fired(tok) else "attack"
        if lemma_action and lemma_action not in found and tok.pos_ in {"VERB", "NOUN"}:
            if tok.lemma_.lower() == "shoot" and not _person_shot(tok):
                continue
            found[lemma_action] = Trigger(lemma_action, tok, tok.idx, tok.idx + len(tok.text))
    if not found:
        return None
    # "struck"/"hit"/"attacked" by aircraft are air strikes
    if "attack" in found and "air_strike" not in found and any(w in lower for w in AIR_WORDS):
        found["air_strike"] = found["attack"]
    # aid needs a delivery, not just the word "relief"
    if "aid" in found and not re.search(r"\b(aid|food|supplies|convoy|airdrop|air-dropped|medicine)", lower):
        del found["aid"]
    if not found:
        return None
    # the main clause reports the event; a relative clause ("..., which began withdrawing") adds background
    main = {a: t for a, t in found.items() if not _subordinate(t.token)}
    pool = main or found
    if set(pool) <= {"kill"} and set(found) - {"kill"}:
        pool = found  # "62 soldiers were killed when aircraft struck": the strike is the event
    for action in ACTION_ORDER:
        if action in pool:
            trig = pool[action]
            trig.action = action
            return trig
    return None


HEADLINE_TOKENS = 20
# A capitalised plural of a trigger after the first word is a team ("Broncos vs. Raiders", "the Strikers"), not
# the people who attack ("Attackers" excepted)
TEAM_PLURAL = re.compile(r"(?!Attack)[A-Z][a-z]*ers\b")
# spaCy's labels for names of works, products and organisations: a trigger word inside one is part of a title.
NAME_LABELS = frozenset({"WORK_OF_ART", "PRODUCT", "ORG"})


def _title_case(text: str) -> bool:
    """A headline written in title case: most of its words of four letters or more start with a capital."""
    words = re.findall(r"[^\W\d_]{4,}", text)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


# Who can be shot in a report of violence: "a man was shot", "shot two police officers", "Smith was shot".
# Singular heads of one person besides those who can be shot: "a village chief", "his son".
PERSON_HEADS = frozenset(
    [
        "chief",
        "son",
        "daughter",
        "father",
        "mother",
        "brother",
        "sister",
        "wife",
        "husband",
        "leader",
        "commander",
        "official",
        "mayor",
        "priest",
        "imam",
        "farmer",
        "shepherd",
        "doctor",
        "nurse",
        "teacher",
        "journalist",
        "reporter",
        "photographer",
    ]
)
SHOT_NOUNS = frozenset(
    [
        "man",
        "men",
        "woman",
        "women",
        "boy",
        "boys",
        "girl",
        "girls",
        "child",
        "children",
        "teenager",
        "teen",
        "officer",
        "officers",
        "policeman",
        "policemen",
        "deputy",
        "deputies",
        "soldier",
        "soldiers",
        "civilian",
        "civilians",
        "protester",
        "protesters",
        "demonstrator",
        "demonstrators",
        "student",
        "students",
        "guard",
        "guards",
        "driver",
        "drivers",
        "suspect",
        "suspects",
        "victim",
        "victims",
        "people",
        "person",
        "resident",
        "residents",
        "worker",
        "workers",
        "journalist",
        "journalists",
    ]
)


def _person_shot(tok: Token) -> bool:
    """'shot two police officers', 'was shot and wounded', 'fatally shot', 'shot dead': a person shot, not a film
    shot on location, a player's shot or a share price that shot up."""
    if any(c.lower_ in {"fatally", "dead"} for c in tok.children):
        return True
    if tok.tag_ not in {"VBD", "VBN"}:
        return False
    return any(
        child.dep_ in {"dobj", "nsubjpass"}
        and (child.ent_type_ == "PERSON" or child.lemma_.lower() in SHOT_NOUNS or child.lower_ in SHOT_NOUNS)
        for child in tok.children
    )


def _weapon_fire(tok: Token) -> bool:
    """'opened fire', 'fired rockets', 'fired on the crowd' -- not 'fires' burning nor a worker 'fired'."""
    if tok.pos_ == "NOUN":
        return tok.head.lemma_ == "open"
    if any(c.dep_ in {"nsubjpass", "auxpass"} for c in tok.children):
        return False
    return any(
        c.lower_ in {"on", "at", "into", "from"}
        or c.lemma_ in {"rocket", "shot", "missile", "shell", "round", "bullet", "mortar", "gun", "weapon"}
        for c in tok.children
    )


_ARTILLERY = frozenset({"rocket", "missile", "shell", "mortar", "artillery", "howitzer", "grad", "katyusha"})


def _artillery_fired(tok: Token) -> bool:
    """What 'fire' fired is artillery: 'fired rockets', 'fired mortar rounds at the base'."""
    return any(
        t.lemma_.lower() in _ARTILLERY for c in tok.children if c.dep_ in {"dobj", "nsubjpass"} for t in c.subtree
    )


def _subordinate(tok: Token | None) -> bool:
    """Whether the token lies in a relative, adjectival or adverbial clause ("two days after troops
    withdrew"), walking up to the root (bounded)."""
    if tok is None:
        return False
    for _ in range(64):
        if tok.dep_ in {"relcl", "acl", "advcl", "pcomp"}:
            return True
        if tok.head.i == tok.i:  # spaCy makes a new Token per access: compare positions, never identity
            return False
        tok = tok.head
    return False


def _find_word(text: str, phrase: str) -> int:
    """Where `phrase` starts a word in `text` (lower case), or -1."""
    if phrase not in text:  # most phrases are in no sentence: a substring test spares the regex
        return -1
    m = _word_start(phrase).search(text)
    return m.start() if m else -1


@functools.cache
def _word_start(phrase: str) -> re.Pattern[str]:
    return re.compile(r"\b" + re.escape(phrase))


def _word_end(text: str, i: int) -> int:
    """Extend a phrase match to the end of its word ('negotiat' -> 'negotiated')."""
    while i < len(text) and (text[i].isalnum() or text[i] == "-"):
        i += 1
    return i


def _token_at(sent: Span, char: int) -> Token | None:
    for tok in sent:
        if tok.idx <= char < tok.idx + len(tok.text):
            return tok
    return None


def _event(
    sent: Span,
    trig: Trigger,
    in_sent: list[Place],
    recent: list[Place],
    dates: list[DateMention],
    parsed_text: str,
    previous: Event | None = None,
) -> Event | None:
    actor, target = _roles(sent, trig)
    text = parsed_text
    # a dateline place ("BEIRUT, September 20 —") is where the reporter is, not where it happened
    in_sent = [p for p in in_sent if not is_dateline(text, p.start, p.end)]
    place = _best_place(in_sent) or (recent[-1] if recent else None)
    # a dateline date ("BEIRUT, September 20, 2016 — ...") dates the article, not the event
    dated = [d for d in dates if d.value and not re.match(r"\s*(?:—|–|--|-\s)", text[d.end : d.end + 4])]
    date = min(dated, key=lambda d: abs(d.start - trig.start)) if dated else None
    if date is None and previous is not None:
        date = _after_previous(sent, previous)
    fatalities = find_fatalities(sent.text, sent.start_char)
    action = trig.action
    if fatalities is None and action == "kill" and trig.token is not None:
        fatalities = _named_victims(trig.token)
    if fatalities is None and action == "kill":
        return None
    return Event(
        start=sent.start_char,
        end=sent.end_char,
        text=sent.text,
        actor=actor.text if actor else None,
        action=action,
        target=target.text if target else None,
        date=date.value if date else None,
        date_end=date.end_value if date else None,
        date_precision=date.precision if date else None,
        place=place.name if place else None,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        country=place.country if place else None,
        fatalities=fatalities,
        trigger=SpanModel(start=trig.start, end=trig.end),
        actor_span=SpanModel(start=actor.start, end=actor.end) if actor else None,
        target_span=SpanModel(start=target.start, end=target.end) if target else None,
        place_span=SpanModel(start=place.start, end=place.end) if place else None,
        date_span=SpanModel(start=date.start, end=date.end) if date else None,
    )


RELATIVE_DAYS = re.compile(
    r"\b(?P<n>a|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+days?\s+(?P<dir>later|earlier|before)\b"
    r"|\b(?P<next>the (?:next|following) day|the day before|the previous day)\b",
    re.I,
)


def _after_previous(sent: Span, previous: Event) -> DateMention | None:
    """'Two days later', 'the next day': counted from the event reported just before, when it has a day."""
    if previous.date_precision != "day" or not previous.date:
        return None
    m = RELATIVE_DAYS.search(sent.text)
    if m is None:
        return None
    if m["next"]:
        days = 1 if m["next"].lower().endswith(("next day", "following day")) else -1
    else:
        n = m["n"].lower()
        count = 1 if n == "a" else int(numbers.parse_number(n) or 1)
        days = count if m["dir"].lower() == "later" else -count
    day = (dt.date.fromisoformat(previous.date) + dt.timedelta(days=days)).isoformat()
    start = sent.start_char + m.start()
    return DateMention(
        start=start, end=sent.start_char + m.end(), text=m.group(0), value=day, end_value=day, precision="day"
    )


def _best_place(places: list[Place]) -> Place | None:
    if not places:
        return None
    return min(places, key=lambda p: (SPECIFIC_FEATURES.get(p.feature or "city", 1), p.start))


@dataclass(frozen=True)
class Role:
    text: str
    start: int
    end: int


def _phrase(tok: Token) -> Role | None:
    """The noun phrase a token heads, without trailing clauses, appositions or prepositional modifiers
    ("forces near Aleppo" -> "forces"; "village of Tal Saman" is kept whole)."""
    out = []
    for t in tok.subtree:
        if (
            t.i > tok.i
            and t.head == tok
            and (
                t.dep_ in {"relcl", "acl", "appos", "punct", "advcl", "cc", "conj"}
                or (t.dep_ == "prep" and t.lower_ != "of")
            )
        ):
            break
        out.append(t)
    out = [t for t in out if not t.is_space]
    while out and out[-1].is_punct:
        out.pop()
    while out and out[0].lower_ in {"the", "a", "an"}:
        out.pop(0)
    if not out:
        return None
    first, last = min(out, key=lambda t: t.i), max(out, key=lambda t: t.i)
    return Role(tok.doc[first.i : last.i + 1].text, first.idx, last.idx + len(last.text))


def _roles(sent: Span, trig: Trigger) -> tuple[Role | None, Role | None]:
    tok = trig.token
    actor: Role | None = None
    target: Role | None = None
    if tok is not None:
        verb = tok if tok.pos_ in {"VERB", "AUX"} else None
        if verb is None and tok.head.pos_ == "VERB" and tok.dep_ in {"dobj", "attr", "pobj"}:
            verb = tok.head  # "launched air strikes": the launcher is the actor
        if verb is None and tok.head.pos_ == "VERB" and tok.dep_ == "nsubj":
            verb = tok.head
            if tok.lemma_.lower() not in EVENT_NOUNS:
                actor = _phrase(tok)  # "Syrian government warplanes struck": the aircraft are the actor
        if verb is not None:
            victim_subject = verb.lemma_ in {"die", "perish"}
            for child in verb.children:
                if child.i == tok.i:  # the trigger noun itself is neither actor nor target
                    continue
                if child.dep_ == "nsubj" and victim_subject:
                    target = target or _phrase(child)
                elif child.dep_ == "nsubj" and actor is None:
                    # "In Raqqa, the group's capital, coalition aircraft bombed": the apposition next to the verb
                    appos = [a for a in child.children if a.dep_ == "appos" and a.i == verb.i - 1]
                    actor = _phrase(appos[0] if appos else child)
                elif child.dep_ == "nsubjpass" and target is None:
                    target = _phrase(child)
                elif child.dep_ == "agent":
                    for g in child.children:
                        if g.dep_ == "pobj":
                            actor = _phrase(g)
                elif child.dep_ in {"dobj", "obj"} and target is None:
                    target = _phrase(child)
            if actor is None and verb.dep_ in {"xcomp", "conj", "advcl"}:
                for child in verb.head.children:
                    if child.dep_ == "nsubj":
                        actor = _phrase(child)
        if actor is None and tok.pos_ == "NOUN":
            # "Russian air strikes on X", "air strikes by Russian jets"
            mods = sorted(
                (c for c in tok.children if c.dep_ in {"amod", "compound", "nmod", "poss"} and c.ent_type_),
                key=lambda c: c.i,
            )
            if mods:
                start, end = mods[0].idx, mods[-1].idx + len(mods[-1].text)
                actor = Role(tok.doc[mods[0].i : mods[-1].i + 1].text, start, end)
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "by":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            actor = _phrase(g)
                if c.dep_ == "prep" and c.lower_ in {"on", "against"} and target is None:
                    for g in c.children:
                        if g.dep_ == "pobj":
                            target = _phrase(g)
    if actor is None:
        text = sent.doc[sent.start : sent.end].text
        ents = [
            e
            for e in span_entities([sent])[0]
            if e.label_ in {"ORG", "NORP", "GPE"}
            and e.start_char < trig.start
            and not _is_source(text, e.start_char - sent.start_char)
        ]
        if ents:
            actor = Role(ents[0].text, ents[0].start_char, ents[0].end_char)
    return _tidy(actor), _tidy(target)


def _is_source(text: str, offset: int) -> bool:
    """'According to the Syrian Observatory': who reports an event is not who did it."""
    return bool(re.search(r"according to\s+(?:the\s+)?$", text[max(0, offset - 20) : offset], re.I))


def _tidy(role: Role | None) -> Role | None:
    if role is None or not role.text.strip():
        return None
    if role.text.lower() in {"it", "they", "he", "she", "we", "who", "which", "that", "this", "place", "part"}:
        return None
    if len(role.text) > 80:
        cut = role.text[:80].rsplit(" ", 1)[0]
        return Role(cut, role.start, role.start + len(cut))
    return role


# Singular words for one person killed: "a police officer was killed", "killed a village chief and his son".
_ONE = frozenset({"a", "an", "the", "one", "his", "her", "their", "its"})


KILLING_LEMMAS = frozenset({"kill", "murder", "behead", "slaughter", "assassinate", "strangle", "lynch", "execute"})


def _named_victims(verb: Token) -> Fatalities | None:
    """The people a killing names without a number: "officers Eric Joering and Anthony Morelli were killed" is
    two, "a police officer was killed" one. A plural noun ("soldiers were killed") says no number: None."""
    to_death = verb.lower_ == "to" and verb.i + 1 < len(verb.doc) and verb.doc[verb.i + 1].lower_ == "death"
    if to_death:
        verb = verb.head  # "was beaten to death", "stabbed him to death": the verb's victims died
    elif verb.lemma_.lower() not in KILLING_LEMMAS:
        return None
    if verb.pos_ != "VERB":
        return None
    victim = next((c for c in verb.children if c.dep_ in ("nsubjpass", "dobj")), None)
    if victim is None:
        return None
    victims = [victim]
    while len(victims) < 10:  # "A, B and C": each conjunct hangs on the one before
        following = next((c for c in victims[-1].children if c.dep_ == "conj"), None)
        if following is None:
            break
        victims.append(following)
    for person in victims:
        # a name coordinated with a person's name is one too, whatever the small model labels it
        named = person.ent_type_ == "PERSON" or (person.pos_ == "PROPN" and victims[0].ent_type_ == "PERSON")
        one = person.tag_ == "NN" and any(c.dep_ in ("det", "poss") and c.lower_ in _ONE for c in person.children)
        if not (named or (one and person.lemma_.lower() in SHOT_NOUNS | PERSON_HEADS)):
            return None
    first = min(v.left_edge.i for v in victims)
    last = max(v.i for v in victims)
    words = verb.doc[first : last + 1]
    return Fatalities(
        start=words.start_char, end=words.end_char, text=words.text, low=len(victims), high=len(victims), exact=True
    )


def find_fatalities(text: str, offset: int = 0) -> Fatalities | None:
    """The first death count in a sentence, as a range (see the module docstring)."""
    best: tuple[int, Fatalities] | None = None
    for pattern in FATALITY_PATTERNS:
        for m in pattern.finditer(text):
            f = _fatalities(m, offset)
            if f is not None and (best is None or m.start() < best[0]):
                best = (m.start(), f)
            break
    return best[1] if best else None


def _fatalities(m: re.Match[str], offset: int) -> Fatalities | None:
    span_text = m.group(0)
    start, end = offset + m.start(), offset + m.end()
    groups = m.groupdict()
    if groups.get("zero"):
        return Fatalities(start=start, end=end, text=span_text, low=0, high=0, exact=True)
    amount = numbers.parse_amount(groups["amount"]) if groups.get("amount") else None
    if amount is None:
        return None
    low, high = amount.count_range()
    return Fatalities(start=start, end=end, text=span_text, low=low, high=high, exact=amount.exact)
