"""Hand-built analyses for renderer tests: realistic, overlapping, and hostile; no models needed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from unspin.analysis import (
    Analysis,
    Attribution,
    Claim,
    DeathsComparison,
    DetectorRun,
    Document,
    Event,
    Fatalities,
    Place,
    Quantity,
    Quote,
    RecordMatch,
    Sentence,
    Source,
    TechniqueSpan,
)

ARTICLE = (
    "Shelling kills 12 in Kharkiv as officials trade blame 🚨\n\n"
    "At least 12 people were killed on Tuesday when shells struck a market in Kharkiv, regional governor "
    'Oleh Syniehubov said. "This is a barbaric, cowardly attack on innocent civilians," Syniehubov told '
    "reporters. Moscow denied targeting civilians and claimed the market hid a weapons depot.\n\n"
    "The so-called peace talks are a farce. The so-called peace talks will never bring peace, and every "
    "patriot knows it. Either the West sends more weapons now, or the country falls.\n\n"
    "According to Reuters, a second strike hit Izium on 3 March, killing 4. Prices of bread rose 40% since "
    "January, the statistics office said."
)


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """(start, end) of the nth occurrence of needle in text: fixtures never hard-code offsets."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def tspan(text: str, technique: str, needle: str, score: float, nth: int = 0, **kw: object) -> TechniqueSpan:
    s, e = at(text, needle, nth)
    return TechniqueSpan(technique=technique, start=s, end=e, score=score, text=text[s:e], **kw)


def sentences(text: str, subjective: dict[str, float]) -> list[Sentence]:
    """Split on '. ' / paragraph breaks; a sentence whose text contains a key gets that subjectivity."""
    out: list[Sentence] = []
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in ".!?\n" and (i + 1 == len(text) or text[i + 1] in ' \n"'):
            end = i + 1
            if text[end : end + 1] == '"':
                end += 1
            chunk = text[start:end]
            lead = len(chunk) - len(chunk.lstrip())
            if chunk.strip():
                p = next((v for k, v in subjective.items() if k in chunk), 0.1)
                out.append(Sentence(start=start + lead, end=end, subjective=p >= 0.5, subjectivity=p))
            start = end
            i = end
            continue
        i += 1
    if text[start:].strip():
        lead = len(text[start:]) - len(text[start:].lstrip())
        out.append(Sentence(start=start + lead, end=len(text), subjective=False, subjectivity=0.1))
    return out


def build_sample(text: str = ARTICLE, **doc: object) -> Analysis:
    t = text
    farce_s, farce_e = at(t, "The so-called peace talks are a farce")
    rep1 = tspan(
        t, "Repetition", "The so-called peace talks", 0.71, nth=1, evidence=[at(t, "The so-called peace talks", 0)]
    )
    techniques = [
        tspan(t, "Loaded_Language", "barbaric, cowardly attack", 0.93),
        tspan(t, "Name_Calling,Labeling", "cowardly", 0.62),  # nested inside the loaded language span
        tspan(t, "Loaded_Language", "so-called peace talks are a farce", 0.88),
        TechniqueSpan(technique="Doubt", start=farce_s, end=farce_e, score=0.55, text=t[farce_s:farce_e]),
        rep1,
        tspan(t, "Flag-Waving", "every patriot knows it", 0.67),
        tspan(t, "Black-and-White_Fallacy", "Either the West sends more weapons now, or the country falls", 0.81),
        tspan(t, "Exaggeration,Minimisation", "will never bring peace, and every", 0.44),  # overlaps Flag-Waving
        tspan(t, "Loaded_Language", "🚨", 0.5),  # astral code point: offsets are code points
    ]
    claim1 = at(t, "At least 12 people were killed on Tuesday when shells struck a market in Kharkiv")
    claim2 = at(t, "Prices of bread rose 40% since January")
    claim3 = at(t, "the market hid a weapons depot")
    q12 = at(t, "At least 12")
    q40 = at(t, "40%")
    quote = at(t, "This is a barbaric, cowardly attack on innocent civilians,")
    speaker = at(t, "Syniehubov", 1)
    kharkiv = at(t, "Kharkiv", 1)
    izium = at(t, "Izium")
    event1 = at(t, "shells struck a market in Kharkiv")
    event2 = at(t, "a second strike hit Izium on 3 March, killing 4")
    return Analysis(
        unspin_version="0.1.0",
        document=Document(
            text=t,
            title="Shelling kills 12 in Kharkiv as officials trade blame",
            url="https://news.example.org/world/kharkiv-market",
            site="Example News",
            author="Jane Reporter",
            published="2024-03-05",
            published_source="metadata",
            language="en",
            **doc,
        ),
        techniques=techniques,
        sentences=sentences(t, {"farce": 0.91, "patriot": 0.86, "Either the West": 0.78, "barbaric": 0.64}),
        claims=[
            Claim(
                start=claim1[0],
                end=claim1[1],
                text=t[claim1[0] : claim1[1]],
                checkworthiness=0.92,
                attributed=True,
                quantities=[
                    Quantity(
                        start=q12[0], end=q12[1], text="At least 12", kind="number", value=12, low=12, comparator=">="
                    )
                ],
            ),
            Claim(
                start=claim2[0],
                end=claim2[1],
                text=t[claim2[0] : claim2[1]],
                checkworthiness=0.74,
                attributed=True,
                quantities=[Quantity(start=q40[0], end=q40[1], text="40%", kind="percent", value=40, unit="%")],
            ),
            Claim(
                start=claim3[0], end=claim3[1], text=t[claim3[0] : claim3[1]], checkworthiness=0.41, attributed=False
            ),
        ],
        quotes=[
            Quote(
                start=quote[0],
                end=quote[1],
                text=t[quote[0] : quote[1]],
                speaker="Oleh Syniehubov",
                speaker_start=speaker[0],
                speaker_end=speaker[1],
                verb="told",
            ),
        ],
        sources=[
            Source(name="Oleh Syniehubov", kind="official", mentions=[at(t, "Oleh Syniehubov"), speaker]),
            Source(name="Reuters", kind="agency", mentions=[at(t, "Reuters")]),
            Source(name="statistics office", kind="government", mentions=[at(t, "statistics office")]),
        ],
        attributions=[
            Attribution(
                start=at(t, "claimed")[0], end=at(t, "claimed")[1], text="claimed", kind="verb", stance="doubt"
            ),
            Attribution(start=at(t, "said")[0], end=at(t, "said")[1], text="said", kind="verb"),
        ],
        places=[
            Place(
                name="Kharkiv", start=kharkiv[0], end=kharkiv[1], lat=49.9935, lon=36.2304, country="UA", feature="city"
            ),
            Place(name="Izium", start=izium[0], end=izium[1], lat=49.2128, lon=37.2566, country="UA", feature="city"),
        ],
        events=[
            Event(
                start=event2[0],
                end=event2[1],
                text=t[event2[0] : event2[1]],
                action="air_strike",
                place="Izium",
                lat=49.2128,
                lon=37.2566,
                country="UA",
                date="2024-03-03",
                date_precision="day",
                fatalities=Fatalities(start=event2[1] - 1, end=event2[1], text="4", low=4, high=4, exact=True),
            ),
            Event(
                start=event1[0],
                end=event1[1],
                text=t[event1[0] : event1[1]],
                actor="Russian forces",
                action="shelling",
                target="market",
                place="Kharkiv",
                lat=49.9935,
                lon=36.2304,
                country="UA",
                date="2024-03-05",
                date_precision="day",
                fatalities=Fatalities(start=q12[0], end=q12[1], text="At least 12", low=12, exact=False),
                matches=[
                    RecordMatch(
                        id="GED-552301",
                        score=0.86,
                        days_apart=0,
                        distance_km=3.2,
                        date_agrees=True,
                        place_agrees=True,
                        actors_agree=True,
                        deaths=DeathsComparison(
                            claimed_low=12, recorded_low=3, recorded_best=3, recorded_high=5, agrees=False
                        ),
                        discrepancies=["Article says at least 12 killed; the record says 3 (3–5)"],
                        record={
                            "side_a": "Government of Russia",
                            "where": "Kharkiv market",
                            "date_start": "2024-03-05",
                        },
                    )
                ],
            ),
        ],
        detectors=[DetectorRun(name="techniques", id="unspin.techniques.v1", seconds=0.1)],
        warnings=["Publication date taken from page metadata"],
    )


@pytest.fixture
def sample() -> Analysis:
    return build_sample()


HOSTILE = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "</title><script>window.__pwned=1</script>",
    '"><svg onload=window.__pwned=1>',
    "</style><script>window.__pwned=1</script>",
    "javascript:window.__pwned=1",
    "'; window.__pwned=1; '",
    '<a href="javascript:window.__pwned=1">click</a>',
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    "{{ 7*7 }}{% raw %}",
]


def build_hostile(payload: str) -> Analysis:
    """Every untrusted field carries the payload, with spans landing on it."""
    text = f"Breaking: {payload} said the minister. {payload} is a disgrace, {payload} again."
    s, e = at(text, payload)
    s2, e2 = at(text, payload, 1)
    s3, e3 = at(text, payload, 2)
    m = at(text, "minister")
    return Analysis(
        document=Document(
            text=text,
            title=payload,
            url=payload,
            site=payload,
            author=payload,
            published=payload,
            source=payload,
            language=payload,
        ),
        techniques=[
            TechniqueSpan(technique="Loaded_Language", start=s2, end=e2 + 15, score=0.9, text=text[s2 : e2 + 15]),
            TechniqueSpan(technique="Repetition", start=s3, end=e3, score=0.6, evidence=[(s, e)]),
            TechniqueSpan(technique=payload, start=s, end=e, score=0.5),
        ],
        sentences=[Sentence(start=0, end=len(text), subjective=True, subjectivity=0.7)],
        claims=[
            Claim(
                start=s,
                end=e,
                text=payload,
                checkworthiness=0.5,
                quantities=[Quantity(start=s, end=e, text=payload, kind="number", unit=payload, value=1)],
            )
        ],
        quotes=[
            Quote(start=s, end=e, text=payload, speaker=payload, speaker_start=m[0], speaker_end=m[1], verb=payload)
        ],
        sources=[Source(name=payload, kind="person", mentions=[(s, e)])],
        attributions=[Attribution(start=m[0], end=m[1], text=payload, kind="verb")],
        places=[Place(name=payload, start=s, end=e, lat=10.0, lon=20.0, country=payload)],
        events=[
            Event(
                start=s,
                end=e,
                text=payload,
                actor=payload,
                target=payload,
                place=payload,
                date=payload,
                lat=10.5,
                lon=20.5,
                country=payload,
                matches=[RecordMatch(id=payload, score=0.5, discrepancies=[payload], record={payload: payload})],
            )
        ],
        detectors=[DetectorRun(name=payload, id=payload, seconds=0.0)],
        warnings=[payload],
        unspin_version=payload,
    )


@pytest.fixture(params=HOSTILE, ids=[f"payload{i}" for i in range(len(HOSTILE))])
def hostile(request: pytest.FixtureRequest) -> Analysis:
    return build_hostile(request.param)


@pytest.fixture(params=HOSTILE[:5], ids=[f"payload{i}" for i in range(5)])
def payload(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["sample", "hostile"])
def any_analysis(request: pytest.FixtureRequest) -> Analysis:
    return build_sample() if request.param == "sample" else build_hostile(HOSTILE[0])


@pytest.fixture
def article_text() -> str:
    return ARTICLE


@pytest.fixture
def make_sample() -> Callable[..., Analysis]:
    return build_sample


@pytest.fixture
def make_hostile() -> Callable[[str], Analysis]:
    return build_hostile


# --------------------------------------------------------------------------------------------- a long report

LONG_SPEAKERS = ["Maria Kovalenko", "the regional governor", "a spokesman for the ministry", "Ahmed Rahimi", ""]
LONG_PARAGRAPH = (
    'On Monday {speaker} said: "We have counted {n} bodies in the last week alone." '
    "Officials said the number of displaced people in the district rose to {big} since 2019, a disgraceful "
    "figure that nobody in the capital wants to hear about.\n\n"
)


def build_long(quotes: int = 40, **analysis: object) -> Analysis:
    """A long article shaped like a wire story: many quotes by a few speakers (one unnamed), many claims, a
    technique span in every paragraph, an event whose target is a count ('7,844')."""
    parts: list[str] = ["Death toll in the Donetsk district passes 7,844, officials say\n\n"]
    for i in range(quotes):
        speaker = LONG_SPEAKERS[i % len(LONG_SPEAKERS)] or "a witness"
        parts.append(LONG_PARAGRAPH.format(n=10 + i, speaker=speaker, big=f"{12000 + 150 * i:,}"))
    text = "".join(parts).rstrip("\n")
    quote_list: list[Quote] = []
    claim_list: list[Claim] = []
    technique_list: list[TechniqueSpan] = []
    for i in range(quotes):
        q0, q1 = at(text, "We have counted", i)
        q1 = text.index(" alone", q0) + len(" alone")
        named = LONG_SPEAKERS[i % len(LONG_SPEAKERS)]
        quote_list.append(Quote(start=q0, end=q1, text=text[q0:q1], speaker=named or None, verb="said"))
        c0, c1 = at(text, "Officials said the number of displaced people", i)
        c1 = text.index(" a disgraceful", c0)
        big = f"{12000 + 150 * i:,}"
        n0 = text.index(big, c0)
        y0 = text.index("2019", c0)
        claim_list.append(
            Claim(
                start=c0,
                end=c1,
                text=text[c0:c1],
                checkworthiness=round(0.95 - i * 0.01, 2),
                attributed=True,
                quantities=[
                    Quantity(start=n0, end=n0 + len(big), text=big, kind="number", value=12000 + 150 * i),
                    Quantity(start=y0, end=y0 + 4, text="2019", kind="number", value=2019),
                    Quantity(start=y0 - 6, end=y0 + 4, text="since 2019", kind="date", date="2019", value=2019),
                ],
            )
        )
        technique_list.append(tspan(text, "Loaded_Language", "disgraceful", round(0.5 + (i % 10) / 25, 2), nth=i))
    toll = at(text, "7,844")
    donetsk = at(text, "Donetsk")
    kill = Event(
        start=0,
        end=toll[1],
        text=text[: toll[1]],
        action="kill",
        target="7,844",
        place="Donetsk",
        lat=48.0159,
        lon=37.8028,
        country="UA",
        fatalities=Fatalities(start=toll[0], end=toll[1], text="7,844", low=7844, high=7844, exact=True),
    )
    return Analysis(
        unspin_version="0.1.0",
        document=Document(
            text=text, title="Death toll in the Donetsk district passes 7,844, officials say", language="en"
        ),
        techniques=technique_list,
        sentences=sentences(text, {"disgraceful": 0.8}),
        claims=claim_list,
        quotes=quote_list,
        places=[
            Place(
                name="Donetsk", start=donetsk[0], end=donetsk[1], lat=48.0159, lon=37.8028, country="UA", feature="city"
            )
        ],
        events=[kill],
        detectors=[
            DetectorRun(name=n, id=f"unspin.{n}.v1", seconds=0.1)
            for n in ("techniques", "entities", "sources", "subjectivity", "claims", "places", "dates", "events")
        ],
        **analysis,
    )


@pytest.fixture
def make_long() -> Callable[..., Analysis]:
    return build_long
