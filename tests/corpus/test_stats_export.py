"""`corpus stats` and `corpus export` over a store filled by hand: measures counted only where their detector
ran, groups by site and month, one exported file per table."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from unspin.analysis import Analysis, Claim, Document, Provenance, Quote, Sentence, TechniqueSpan, document_id
from unspin.cli import app
from unspin.store import corpus as store

ALL_RAN = {"techniques": "t", "subjectivity": "s", "claims": "c", "sources": "q"}


def article(text: str, name: str, site: str, published: str, ran: dict[str, str]) -> Analysis:
    loaded = text.index("reckless")
    said = text.index("\"")
    return Analysis(
        document=Document(text=text, id=document_id(text, name), site=site, published=published),
        provenance=Provenance(unspin_version="0.1.0", detectors=ran),
        techniques=[TechniqueSpan(technique="Loaded_Language", start=loaded, end=loaded + 8, score=0.7)]
        if "techniques" in ran else [],
        sentences=[Sentence(start=0, end=said - 1, subjective=True, subjectivity=0.8),
                   Sentence(start=said, end=len(text), subjective=False, subjectivity=0.1)]
        if "subjectivity" in ran else [],
        claims=[Claim(start=said, end=len(text), text=text[said:], checkworthiness=0.6)] if "claims" in ran else [],
        quotes=[Quote(start=said, end=len(text), text=text[said:], speaker="Mayor Ann Lee" if site == "Daily" else None)]
        if "sources" in ran else [],
    )


def fill(url: str) -> str:
    engine = store.open_store(url)
    words = "The council passed the reckless budget late on Monday night after a long and bitter debate. "
    quote = "\"We had no other choice,\" the mayor said."
    stories = [
        ("a.txt", "Daily", "2024-03-02", ALL_RAN),
        ("b.txt", "Daily", "2024-04-11", ALL_RAN),
        ("c.txt", "Weekly", "2024-03-20", {"techniques": "t"}),  # --only techniques: nothing else counted
    ]
    for number, (name, site, published, ran) in enumerate(stories):
        text = words * (number + 1) + quote
        analysis = article(text, name, site, published, ran)
        store.save_analysis(engine, analysis, store.provenance_key(ran), name, None)
    return url


def test_corpus_stats_by_site_counts_only_what_ran(tmp_path: Path, store_url: str) -> None:
    url = fill(store_url)
    result = CliRunner().invoke(app, ["corpus", "stats", "--store", url, "--by", "site", "--format", "json"])
    assert result.exit_code == 0, result.output
    groups = {g["group"]: g for g in json.loads(result.output)["groups"]}
    daily, weekly = groups["Daily"], groups["Weekly"]
    assert (daily["articles"], weekly["articles"]) == (2, 1)
    assert daily["words"] == 16 + 32 + 2 * 8
    assert daily["techniques_per_1000_words"] == {"Loaded_Language": round(1000 * 2 / daily["words"], 3)}
    assert daily["opinion_share"] == 0.5 and daily["claims_per_article"] == 1.0
    assert (daily["quotes_with_named_source"], daily["quotes_without_named_source"]) == (2, 0)
    assert weekly["opinion_share"] is None and weekly["claims_per_article"] is None
    assert weekly["quotes_with_named_source"] is None
    assert weekly["technique_spans_per_1000_words"] == round(1000 / weekly["words"], 3)


def test_corpus_stats_by_month_as_csv(tmp_path: Path, store_url: str) -> None:
    url = fill(store_url)
    result = CliRunner().invoke(app, ["corpus", "stats", "--store", url, "--by", "month", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.output.splitlines()))
    assert [(row["group"], row["articles"]) for row in rows] == [("2024-03", "2"), ("2024-04", "1")]
    assert "per_1000_words:Loaded_Language" in rows[0]


def test_corpus_export_writes_one_file_per_table(tmp_path: Path, store_url: str) -> None:
    url = fill(store_url)
    out = tmp_path / "export"
    result = CliRunner().invoke(app, ["corpus", "export", "--store", url, "--format", "jsonl", "--out", str(out)])
    assert result.exit_code == 0, result.output
    techniques = [json.loads(line) for line in (out / "techniques.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(techniques) == 3 and {t["technique"] for t in techniques} == {"Loaded_Language"}
    assert all(t["text"] == "" and t["end"] - t["start"] == 8 for t in techniques)
    sentences = [json.loads(line) for line in (out / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [s["label"] for s in sentences] == ["opinion", "reporting"] * 2  # subjectivity ran on two articles
    assert (out / "sources.jsonl").read_text(encoding="utf-8") == ""
    analyses = (out / "analyses.jsonl").read_text(encoding="utf-8").splitlines()
    assert [Analysis.from_json(line).document.site for line in analyses] == ["Daily", "Daily", "Weekly"]
    result = CliRunner().invoke(app, ["corpus", "export", "--store", url, "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0
    with (out / "quotes.csv").open(encoding="utf-8") as stream:
        assert [row["speaker"] for row in csv.DictReader(stream)] == ["Mayor Ann Lee", "Mayor Ann Lee"]


def test_corpus_read_commands_refuse_a_missing_store_and_bad_options(tmp_path: Path) -> None:
    missing = f"sqlite:///{tmp_path / 'none.db'}"
    result = CliRunner().invoke(app, ["corpus", "stats", "--store", missing])
    assert result.exit_code == 3 and "no store at" in result.output
    assert not (tmp_path / "none.db").exists()
    result = CliRunner().invoke(app, ["corpus", "status", "--store", missing, "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.output)["documents"] == 0
    assert CliRunner().invoke(app, ["corpus", "stats", "--store", missing, "--by", "weekday"]).exit_code == 2
    assert CliRunner().invoke(app, ["corpus", "export", "--out", str(tmp_path), "--format", "parquet"]).exit_code == 2
