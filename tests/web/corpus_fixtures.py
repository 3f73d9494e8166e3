"""A small real corpus store for the corpus pages and API, built through `unspin corpus run` (the real path).

Articles written for these tests: three outlets report the same bridge collapse with different death tolls (a
claim cluster with disagreeing numbers, and events on the map), a budget story, a hostile article (scripts,
handlers, `javascript:` links, SVG, a hostile title, site and URL), a few PTC articles, and one empty record that
the run records as a failure.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.corpus.conftest import ptc_texts
from tests.corpus.test_runner import unspin

HOSTILE_MARK = "unspin-hostile"
# What a script from the hostile article would do: set a global, open a dialog, or request this address.
HOSTILE_BEACON = "http://198.51.100.7/beacon"

BRIDGE = [
    {
        "id": "riverside-bridge",
        "site": "riverside.example",
        "url": "https://riverside.example/2026/04/14/bridge-collapse",
        "title": "Bridge collapse in Genoa kills 23",
        "author": "Paola Conti",
        "published": "2026-04-14",
        "text": (
            "Bridge collapse in Genoa kills 23\n\n"
            "The collapse of a motorway bridge in Genoa killed 23 people on Tuesday, the regional civil protection "
            "agency said.\n\n"
            "Firefighters worked through the night to reach cars trapped under the concrete, and the city's "
            "hospitals called in staff from their holidays.\n\n"
            "The transport minister said the operator had been warned about corrosion in the supports two years "
            "ago. Engineers said the bridge carried twice the traffic it was designed for."
        ),
    },
    {
        "id": "harbour-bridge",
        "site": "harbourpost.example",
        "url": "https://harbourpost.example/world/genoa-bridge-toll",
        "title": "Genoa bridge toll rises",
        "author": "Tom Avery",
        "published": "2026-04-15",
        "text": (
            "Genoa bridge toll rises\n\n"
            "The collapse of a motorway bridge in Genoa has killed 35 people, according to the regional civil "
            "protection agency.\n\n"
            "Rescue teams with dogs searched the rubble on Wednesday as relatives waited outside the morgue.\n\n"
            "Prosecutors opened an inquiry into the company that ran the motorway, which said it had inspected "
            "the bridge every three months."
        ),
    },
    {
        "id": "morning-bridge",
        "site": "morningledger.example",
        "url": "https://morningledger.example/europe/genoa",
        "title": "Italy mourns after Genoa bridge disaster",
        "author": "Paola Conti",
        "published": "2026-05-02",
        "text": (
            "Italy mourns after Genoa bridge disaster\n\n"
            "The regional civil protection agency said the collapse of the motorway bridge in Genoa had killed "
            "43 people.\n\n"
            "Thousands attended a state funeral in the city, where the president called the disaster "
            '"an unacceptable tragedy".\n\n'
            "The government said it would strip the operator of its licence and rebuild the bridge within a year."
        ),
    },
]

BUDGET = {
    "id": "budget-vote",
    "site": "riverside.example",
    "url": "https://riverside.example/2026/03/02/budget",
    "title": "Council passes budget after stormy debate",
    "author": "Marco Ferri",
    "published": "2026-03-02",
    "text": (
        "Council passes budget after stormy debate\n\n"
        "The city council approved its budget on Monday after a debate that opposition members called a "
        "disgraceful farce.\n\n"
        "The mayor said spending on schools would rise by 4 percent, while the opposition leader accused her of "
        "hiding cuts to bus services.\n\n"
        '"This is a budget for the few, not the many," the opposition leader told reporters.'
    ),
}

# Claims with no figure in them (for the has-a-claim-with-a-number filter).
STADIUM = {
    "id": "stadium-plan",
    "site": "harbourpost.example",
    "url": "https://harbourpost.example/city/stadium",
    "title": "Critics attack stadium plan",
    "author": "Tom Avery",
    "published": "2026-02-10",
    "text": (
        "Critics attack stadium plan\n\n"
        "Residents of the old docks said the new stadium would bring traffic and noise to their streets.\n\n"
        "The club's chairman insisted that the project would revive the whole neighbourhood, and the mayor "
        "promised that the city would not pay for it.\n\n"
        "Opponents accused the council of ignoring their petition."
    ),
}

GERMAN = {
    "id": "hafen-streik",
    "site": "hafenblatt.example",
    "url": "https://hafenblatt.example/hamburg/streik",
    "title": "Streik im Hamburger Hafen",
    "published": "2026-04-16",
    "text": (
        "Streik im Hamburger Hafen\n\n"
        "Die Hafenarbeiter in Hamburg haben am Mittwoch ihre Arbeit niedergelegt, teilte die Gewerkschaft mit.\n\n"
        "Nach Angaben des Hafenbetreibers warten mehr als vierzig Schiffe vor der Elbmündung auf ihre Abfertigung.\n\n"
        "Die Arbeitgeber nannten den Streik unverhältnismäßig und riefen zu neuen Verhandlungen auf."
    ),
}

HOSTILE = {
    "id": "hostile",
    "site": f'evil.example"><svg onload="window.{HOSTILE_MARK}=1"></svg><script>alert(1)</script>',
    "url": f"javascript:fetch('{HOSTILE_BEACON}')//https://evil.example/",
    "title": f'<script>window["{HOSTILE_MARK}"]=1;alert("title")</script><img src="{HOSTILE_BEACON}" onerror="alert(2)">',
    "author": '<b onmouseover="alert(3)">Mallory</b>',
    "published": "2026-04-20",
    "text": (
        "Storm damages harbour in Genoa\n\n"
        f"<script>window.{HOSTILE_MARK}=1; fetch('{HOSTILE_BEACON}')</script> A storm damaged the harbour in "
        f'Genoa on Monday, the port authority said. <img src="{HOSTILE_BEACON}" onerror="alert(\'img\')"> '
        "Officials said 12 boats had sunk.\n\n"
        f'<a href="javascript:alert(\'link\')">Read more</a> <svg onload="alert(\'svg\')"><circle r="9"/></svg> '
        f'<iframe src="{HOSTILE_BEACON}"></iframe>\n\n'
        'The harbour master called the damage "a catastrophe for the fishermen" and asked the government for '
        "help."
    ),
}


def write_feed(folder: Path, ptc_count: int = 3) -> Path:
    """The JSON Lines feed of the test corpus (with one empty record, which the run records as failed)."""
    records: list[dict[str, Any]] = [*BRIDGE, BUDGET, STADIUM, GERMAN, HOSTILE]
    for name, text in ptc_texts(ptc_count, chars=1200):
        records.append({"id": name, "site": "ptc.example", "text": text, "language": "en"})
    records.append({"id": "empty-record", "site": "riverside.example", "text": "   "})
    feed = folder / "feed.jsonl"
    with feed.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")
    return feed


def build_store(folder: Path) -> Path:
    """Run `unspin corpus run` (all detectors) on the feed into a fresh SQLite store; returns its path."""
    feed = write_feed(folder)
    database = folder / "store.db"
    result = unspin("corpus", "run", str(feed), "--store", f"sqlite:///{database}", "--workers", "2", "--quiet")
    assert result.returncode in (0, 1), result.stderr  # 1: a source failed (the empty record), as planned
    assert "Traceback" not in result.stderr
    return database


_built: dict[str, Path] = {}


def corpus_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test corpus's store, built once per test session (the API, page and browser tests share it; none of
    them writes to it but the claim clusterer's vector cache)."""
    if "store" not in _built:
        _built["store"] = build_store(tmp_path_factory.mktemp("corpus-web"))
    return _built["store"]
