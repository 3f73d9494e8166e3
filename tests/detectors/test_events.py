"""Events on a realistic conflict article, fatalities as ranges, and the cross-check against GED records."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import unspin
from unspin.analysis import Analysis, Event
from unspin.detectors.events import find_fatalities

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ARTICLE = FIXTURES / "conflict_article.txt"
GED = FIXTURES / "ged_sample.csv"


@pytest.fixture(autouse=True)
def _tmp_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("UNSPIN_STORE", f"sqlite:///{tmp_path / 'store.db'}")
    yield


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return unspin.analyze(ARTICLE, only=("events",), records=GED)


def event_with(analysis: Analysis, words: str) -> Event:
    for e in analysis.events:
        if words in e.text:
            return e
    raise AssertionError(f"no event in a sentence with {words!r}")


def test_events_publication_date_is_inferred_from_the_dateline(analysis: Analysis) -> None:
    saturday = next(d for d in analysis.dates if d.text == "Saturday")
    assert saturday.value == "2016-09-17" and saturday.inferred


def test_events_agreeing_event(analysis: Analysis) -> None:
    e = event_with(analysis, "shelled government-held districts")
    assert e.action == "shelling" and e.actor == "Islamic State fighters"
    assert e.date == "2016-09-16" and e.date_precision == "day"
    assert e.place == "Deir ez-Zor" and e.country == "SY"
    assert e.fatalities and (e.fatalities.low, e.fatalities.high, e.fatalities.exact) == (12, 12, True)
    best = e.matches[0]
    assert best.id == "900002" and best.days_apart == 0 and best.distance_km == 0.0
    assert best.date_agrees and best.place_agrees and best.actors_agree and best.deaths.agrees
    assert best.discrepancies == []


def test_events_contradicting_event_shows_the_discrepancy(analysis: Analysis) -> None:
    e = event_with(analysis, "warplanes struck")
    assert e.action == "air_strike" and e.actor == "Syrian government warplanes"
    assert e.date == "2016-09-17" and e.place == "Al Mayādīn"
    assert e.fatalities and e.fatalities.low == 120
    best = e.matches[0]
    assert best.id == "900001" and best.date_agrees and best.place_agrees
    assert best.deaths.agrees is False
    assert (best.deaths.recorded_low, best.deaths.recorded_best, best.deaths.recorded_high) == (30, 35, 48)
    assert "Deaths: the article claims 120 killed; record 900001 gives 35 (low 30, high 48)." in best.discrepancies


def test_events_vague_fatalities_and_other_actions(analysis: Analysis) -> None:
    tabqa = event_with(analysis, "Tabqa")
    assert tabqa.fatalities and (tabqa.fatalities.low, tabqa.fatalities.high) == (100, None)
    assert tabqa.matches and tabqa.matches[0].id == "900003" and tabqa.matches[0].deaths.agrees
    died = event_with(analysis, "if not thousands")
    assert died.fatalities and (died.fatalities.low, died.fatalities.high) == (200, 5000)
    actions = {e.action for e in analysis.events}
    assert {"siege", "aid", "capture", "withdraw", "negotiate", "air_strike", "shelling"} <= actions
    raqqa = event_with(analysis, "bombed a bridge")
    assert raqqa.actor == "US-led coalition aircraft" and raqqa.date == "2016-09-19"
    assert raqqa.fatalities and raqqa.fatalities.high == 0  # "No casualties were reported." completes it


def test_events_offsets_and_json(analysis: Analysis) -> None:
    text = analysis.document.text
    for e in analysis.events:
        assert text[e.start : e.end] == e.text
        if e.fatalities:
            assert text[e.fatalities.start : e.fatalities.end] == e.fatalities.text
    data = json.loads(analysis.to_json())
    keys = {
        "start",
        "end",
        "actor",
        "action",
        "target",
        "date",
        "date_precision",
        "place",
        "lat",
        "lon",
        "fatalities",
        "matches",
    }
    assert keys <= set(data["events"][0])
    assert {"name", "start", "end", "lat", "lon", "country"} <= set(data["places"][0])


def test_events_without_records_have_no_matches() -> None:
    a = unspin.analyze(ARTICLE, only=("events",))
    assert a.events and all(e.matches == [] for e in a.events)


def test_events_match_the_record_source_they_are_handed(tmp_path: Path) -> None:
    from unspin.crosscheck.ged import read_records
    from unspin.crosscheck.sources import MemoryRecords
    from unspin.store.records import StoreRecords, import_records

    url = f"sqlite:///{tmp_path / 'store.db'}"
    import_records(GED, url)
    for source in (StoreRecords(url), MemoryRecords(read_records(GED))):
        a = unspin.analyze(ARTICLE, unspin.Options(only=("events",)), unspin.Runtime(record_source=source))
        assert event_with(a, "warplanes struck").matches[0].id == "900001"


def test_events_cli_matches_the_users_store_when_no_file_is_given(tmp_path: Path) -> None:
    env = {**__import__("os").environ, "UNSPIN_STORE": f"sqlite:///{tmp_path / 'cli.db'}"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "unspin", *args], capture_output=True, text=True, timeout=300, check=False, env=env
        )

    assert run("records", "import", str(GED)).returncode == 0
    result = run("analyze", str(ARTICLE), "--only", "events", "--format", "json")
    assert result.returncode == 0, result.stderr
    matched = [e["matches"][0]["id"] for e in json.loads(result.stdout)["events"] if e["matches"]]
    assert "900001" in matched


@pytest.mark.parametrize(
    ("sentence", "low", "high", "exact"),
    [
        ("The strike killed 120 civilians.", 120, 120, True),
        ("At least 35 people were killed.", 35, None, False),
        ("Over 100 fighters were killed in clashes.", 100, None, False),
        ("More than 1,200 people have died.", 1200, None, False),
        ("Hundreds if not thousands of civilians have died.", 200, 5000, False),
        ("Dozens of people were killed.", 24, 99, False),
        ("Between 10 and 15 soldiers were killed.", 10, 15, False),
        ("Nearly 50 people died.", 40, 50, False),
        ("About 30 people were killed.", 24, 36, False),
        ("The death toll rose to 43.", 43, 43, True),
        ("Three children were killed.", 3, 3, True),
        ("No casualties were reported.", 0, 0, True),
        ("The blast left 17 dead.", 17, 17, True),
        ("Up to 60 people were killed.", 1, 60, False),
        ("Thousands of people have died.", 2000, 9999, False),
        ("Scores of civilians were killed.", 40, 99, False),
    ],
)
def test_events_fatalities(sentence: str, low: int, high: int | None, exact: bool) -> None:
    f = find_fatalities(sentence)
    assert f is not None, sentence
    assert (f.low, f.high, f.exact) == (low, high, exact)
    assert sentence[f.start : f.end] == f.text


def test_events_cli_json(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "unspin",
            "analyze",
            str(ARTICLE),
            "--only",
            "events",
            "--format",
            "json",
            "--records",
            str(GED),
            "--published",
            "2016-09-20",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**__import__("os").environ, "UNSPIN_STORE": f"sqlite:///{tmp_path / 's.db'}"},
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    discrepancies = [d for e in data["events"] for m in e["matches"][:1] for d in m["discrepancies"]]
    assert any("claims 120 killed" in d for d in discrepancies)


def test_events_parts_are_tied_to_their_offsets(analysis: Analysis) -> None:
    text = analysis.document.text
    e = event_with(analysis, "warplanes struck")
    assert e.trigger and text[e.trigger.start : e.trigger.end] == "warplanes"
    assert e.actor_span and text[e.actor_span.start : e.actor_span.end] == e.actor
    assert e.target_span and text[e.target_span.start : e.target_span.end] == e.target
    assert e.place_span and text[e.place_span.start : e.place_span.end] == "Al Mayadin"
    assert e.date_span and text[e.date_span.start : e.date_span.end] == "Saturday"
    assert "BEIRUT" not in {text[x.place_span.start : x.place_span.end] for x in analysis.events if x.place_span}


SAHEL = """Jihadists kill dozens in attack on Malian army camp

BAMAKO, June 8, 2023 — Gunmen attacked an army post near Ménaka in eastern Mali on Tuesday, killing at least 23 \
soldiers, the army said in a statement.

The al-Qaeda-linked JNIM group claimed the attack. Two days later, Malian troops and Russian mercenaries \
recaptured the town of Anderamboukane, according to local officials.

Hundreds of people protested in Bamako on Wednesday against the UN mission, which began withdrawing from Kidal \
last month.
"""


def test_events_second_article_sahel() -> None:
    a = unspin.analyze(unspin.Document(text=SAHEL), only=("events",))
    got = [(e.action, e.date, e.place, e.country) for e in a.events]
    assert got == [
        ("attack", "2023-06-06", "Ménaka", "ML"),  # the headline and the claim of responsibility are no events
        ("capture", "2023-06-08", "Andéranboukan", "ML"),  # "two days later" counts from Tuesday
    ]  # the peaceful protest in Bamako reports no violence: no event
    first = a.events[0]
    assert first.actor == "Gunmen" and first.fatalities and (first.fatalities.low, first.fatalities.high) == (23, None)


def _events(text: str) -> list[Event]:
    return unspin.analyze(unspin.Document(text=text), only=("events",)).events


def test_a_heart_attack_is_no_attack() -> None:
    assert _events("The novelist died in his sleep at 52 of natural causes, most likely a heart attack, in 2006.") == []
    assert _events("She had a panic attack on the train to Leeds last Tuesday, her sister said.") == []


def test_a_team_in_capitals_is_no_raid() -> None:
    assert _events("Flashback: Chiefs vs. Raiders at Arrowhead Stadium in the record-breaking season of 2013.") == []
    # ... while a raid by gunmen stays one
    assert [e.action for e in _events("Gunmen raided a village in Zamfara on Sunday, killing 12 people.")]


def test_a_video_game_review_reports_no_violence() -> None:
    review = (
        "The gameplay loop is simple: explore, fight, upgrade. Boss fights are the highlight, and the skill tree "
        "opens new combos as you level up. On PC the frame rate held at 60, and checkpoints are generous. "
        "You parry the troopers' blaster bolts back at them, killing them in one hit, while the heavy units, armed "
        "with melee weapons, take longer to bring down."
    )
    assert _events(review) == []
    # a news story that mentions a game is still read
    news = (
        "The gunman, who had played a shooting game on his console for hours, opened fire at a school in Uvalde "
        "on Tuesday, killing 21 people, police said."
    )
    assert [e.action for e in _events(news)]


def test_opening_fire_is_an_attack_and_firing_rockets_is_shelling() -> None:
    shooting = _events("A gunman opened fire at a school in Parkland, Florida, on February 14, killing 17 people.")
    assert [e.action for e in shooting] == ["attack"]
    crowd = _events("Troops fired on the crowd in Khartoum on Monday, killing 12 protesters.")
    assert [e.action for e in crowd] == ["attack"]
    rockets = _events("Militants fired rockets at the base near Kabul on Sunday, wounding three soldiers.")
    assert [e.action for e in rockets] == ["shelling"]
