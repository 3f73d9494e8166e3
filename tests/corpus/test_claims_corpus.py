"""`unspin corpus claims` end to end: a claim planted in three articles with different numbers, stored among real
PTC articles by `unspin corpus run`, comes back as one cluster with its discrepancy; `--like` finds it; a claim
of the same shape about another place and another authority is not merged into it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.corpus.conftest import ptc_texts
from tests.corpus.test_runner import ROOT, unspin

# Three outlets report the same flood toll, each with its own number; the third also reports a flood elsewhere,
# worded like the first claim (the unrelated claim that must stay apart).
PLANTED = [
    {
        "id": "valley-herald-floods",
        "site": "valleyherald.example",
        "url": "https://valleyherald.example/2026/03/02/sindh-floods",
        "title": "Floods sweep southern Pakistan",
        "published": "2026-03-02",
        "text": (
            "Floods sweep southern Pakistan\n\n"
            "Floods in Pakistan's Sindh province killed 62 people, the National Disaster Management Authority said "
            "on Monday.\n\n"
            "Rescue teams used boats to reach villages cut off by the water near Hyderabad, and the army flew "
            "food to families stranded on rooftops.\n\n"
            "The authority said more than 4,000 homes had been damaged and that the Indus was still rising.\n\n"
            "Farmers in the province said the rain had destroyed most of the cotton crop weeks before the "
            "harvest."
        ),
    },
    {
        "id": "coastal-daily-floods",
        "site": "coastaldaily.example",
        "url": "https://coastaldaily.example/news/pakistan-floods-toll",
        "title": "Pakistan flood toll rises",
        "published": "2026-03-03",
        "text": (
            "Pakistan flood toll rises\n\n"
            "Floods in Pakistan's Sindh province have killed more than 100 people, according to the National "
            "Disaster Management Authority.\n\n"
            "Officials in Karachi warned that more rain was expected this week and asked residents of low-lying "
            "districts to move to relief camps.\n\n"
            "The prime minister visited the flooded areas and promised compensation to the families of the "
            "dead.\n\n"
            "Aid groups said clean water was running short in the camps."
        ),
    },
    {
        "id": "morning-wire-floods",
        "site": "morningwire.example",
        "url": "https://morningwire.example/world/south-asia-floods",
        "title": "Deadly floods in Pakistan and Kenya",
        "published": "2026-03-04",
        "text": (
            "Deadly floods in Pakistan and Kenya\n\n"
            "The National Disaster Management Authority said floods in Pakistan's Sindh province had killed 87 "
            "people.\n\n"
            "Floods in Kenya's Garissa county killed 14 people, the Kenya Red Cross said.\n\n"
            "Meteorologists said both countries had received more than twice their usual rainfall for the "
            "season.\n\n"
            "Relief agencies appealed for funds to feed the families who had lost their homes."
        ),
    },
]


@pytest.fixture(scope="module")
def claims_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("claims")
    with (folder / "feed.jsonl").open("w", encoding="utf-8") as out:
        for record in PLANTED:
            out.write(json.dumps(record) + "\n")
        for name, text in ptc_texts(5, chars=2500):
            out.write(json.dumps({"id": name, "site": "ptc", "text": text}) + "\n")
    store = f"sqlite:///{folder / 'store.db'}"
    result = unspin("corpus", "run", str(folder / "feed.jsonl"), "--store", store, "--workers", "2", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "stored 8," in result.stderr
    return store


def _planted_documents(store: str) -> dict[str, str]:
    """document id -> record id of the planted articles."""
    from sqlalchemy import select

    from unspin.store import corpus

    with corpus.session(corpus.open_store(store)) as s:
        rows = s.execute(select(corpus.DocumentRow.id, corpus.DocumentRow.source)).all()
    return {doc: source.rsplit("#", 1)[-1] for doc, source in rows if "floods" in source}


def test_corpus_claims_finds_the_planted_claim_as_one_cluster_with_its_discrepancy(claims_store: str) -> None:
    from unspin.corpus.claims import cluster_claims
    from unspin.store import corpus

    planted = _planted_documents(claims_store)
    assert len(planted) == 3
    clusters = cluster_claims(corpus.open_store(claims_store))
    sindh = [c for c in clusters if any("Sindh" in v.text for v in c.variants)]
    assert len(sindh) == 1, [c.text for c in clusters]
    (cluster,) = sindh
    assert cluster.articles == 3
    assert {v.document_id for v in cluster.variants} == set(planted)
    assert all("Kenya" not in v.text and "Garissa" not in v.text for v in cluster.variants)
    assert cluster.first_seen == "2026-03-02"
    assert planted[cluster.first_document_id] == "valley-herald-floods"
    assert cluster.sites == ["valleyherald.example", "coastaldaily.example", "morningwire.example"]
    assert cluster.dates == ["2026-03-02", "2026-03-03", "2026-03-04"]
    assert {n.text for n in cluster.variants[0].numbers} == {"62"}
    disagreeing = {planted[d.document_id]: {n.text for n in d.numbers} for d in cluster.discrepancies}
    assert disagreeing == {"coastal-daily-floods": {"more than 100"}, "morning-wire-floods": {"87"}}
    assert all({n.text for n in d.first_numbers} == {"62"} for d in cluster.discrepancies)
    # no PTC claim joined it, and no cluster mixes the planted claim with anything else
    assert all(v.site != "ptc" for v in cluster.variants)


def test_corpus_claims_cli_lists_the_cluster_and_like_finds_the_claim(claims_store: str) -> None:
    planted = _planted_documents(claims_store)
    listed = unspin("corpus", "claims", "--store", claims_store, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    clusters = json.loads(listed.stdout)["clusters"]
    assert any({v["document_id"] for v in c["variants"]} == set(planted) for c in clusters)

    asked = "Pakistan floods in Sindh killed dozens of people, the disaster authority says"
    found = unspin("corpus", "claims", "--store", claims_store, "--like", asked, "--format", "json", "--limit", "5")
    assert found.returncode == 0, found.stderr
    matches = json.loads(found.stdout)["matches"]
    assert {m["document_id"] for m in matches[:3]} == set(planted)
    assert all("Sindh" in m["text"] for m in matches[:3])
    assert matches == sorted(matches, key=lambda m: -m["similarity"])

    table = subprocess.run(
        [sys.executable, "-m", "unspin", "corpus", "claims", "--store", claims_store],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "250"},
    )
    assert table.returncode == 0, table.stderr
    assert "more than 100 (coastaldaily.example, 2026-03-03)" in table.stdout
    assert "first: 62 (valleyherald.example)" in table.stdout


def test_corpus_claims_second_call_encodes_only_new_claims(claims_store: str, tmp_path: Path) -> None:
    from sqlalchemy import func, select

    from unspin.corpus.claims import cluster_claims
    from unspin.store import corpus

    engine = corpus.open_store(claims_store)
    first = cluster_claims(engine, min_articles=1)
    with corpus.session(engine) as s:
        cached = s.scalar(select(func.count()).select_from(corpus.ClaimVectorRow))
    assert cached is not None and cached >= sum(len(c.variants) for c in first) > 0
    again = cluster_claims(engine, min_articles=1)
    assert [c.model_dump() for c in again] == [c.model_dump() for c in first]
    with corpus.session(engine) as s:
        assert s.scalar(select(func.count()).select_from(corpus.ClaimVectorRow)) == cached


def test_corpus_claims_refuses_bad_options_and_a_missing_store(claims_store: str, tmp_path: Path) -> None:
    missing = unspin("corpus", "claims", "--store", f"sqlite:///{tmp_path / 'none.db'}")
    assert missing.returncode == 3 and "no store" in missing.stderr
    assert not (tmp_path / "none.db").exists()
    for bad in (["--min-articles", "0"], ["--format", "xml"], ["--like", "  "], ["--limit", "0"]):
        result = unspin("corpus", "claims", "--store", claims_store, *bad)
        assert result.returncode == 2, (bad, result.stderr)
        assert "Traceback" not in result.stderr
