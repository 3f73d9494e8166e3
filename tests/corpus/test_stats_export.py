"""`corpus stats` and `corpus export` over a store filled by hand: measures counted only where their detector
ran (a later `--only` run does not hide what an earlier run analysed), groups by site and month, most-cited
sources and events; one exported file per table in csv, jsonl and parquet (read back with pyarrow), and PTC
labels whose offsets land on the exported article texts."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from unspin.analysis import (
    Analysis,
    Claim,
    Document,
    Event,
    Fatalities,
    Provenance,
    Quote,
    Sentence,
    TechniqueSpan,
    document_id,
)
from unspin.cli import app
from unspin.corpus import stats
from unspin.evaluate import ptc
from unspin.store import corpus as store

ALL_RAN = {"techniques": "t", "subjectivity": "s", "claims": "c", "sources": "q", "events": "e"}
STORY = "The council passed the reckless budget late on Monday night after a long and bitter debate. "
QUOTE = '"We had no other choice," the mayor said. '
STORIES = [
    ("a.txt", "Daily", "2024-03-02", ALL_RAN),
    ("b.txt", "Daily", "2024-04-11", ALL_RAN),
    ("c.txt", "Weekly", "2024-03-20", {"techniques": "t"}),  # --only techniques: nothing else counted
]
SHELLING = "Shelling killed at least 12 people in Avdiivka on Sunday, officials said."


def article(text: str, name: str, site: str, published: str | None, ran: dict[str, str]) -> Analysis:
    loaded = text.index("reckless")
    said = text.index('"')
    quoted = text.index('"', said + 1) + 1
    shelling = text.index("Shelling")
    killed = text.index("at least 12")
    return Analysis(
        document=Document(text=text, id=document_id(text, name), site=site, published=published),
        provenance=Provenance(unspin_version="0.1.0", detectors=ran),
        techniques=[TechniqueSpan(technique="Loaded_Language", start=loaded, end=loaded + 8, score=0.7)]
        if "techniques" in ran
        else [],
        sentences=[
            Sentence(start=0, end=said - 1, subjective=True, subjectivity=0.8),
            Sentence(start=said, end=len(text), subjective=False, subjectivity=0.1),
        ]
        if "subjectivity" in ran
        else [],
        claims=[
            Claim(start=shelling, end=len(text), text=text[shelling:], checkworthiness=0.6),
            Claim(start=0, end=said - 1, text=text[: said - 1], checkworthiness=0.2, selected=False),
        ]
        if "claims" in ran
        else [],
        quotes=[
            Quote(start=said, end=quoted, text=text[said:quoted], speaker="Mayor Ann Lee" if site == "Daily" else None),
            Quote(start=0, end=3, text=text[:3], kind="title"),
        ]  # a work's title in quotes: not a quote
        if "sources" in ran
        else [],
        events=[
            Event(
                start=shelling,
                end=len(text),
                action="shelling",
                place="Avdiivka",
                fatalities=Fatalities(start=killed, end=killed + 11, text="at least 12", low=12),
            )
        ]
        if "events" in ran
        else [],
    )


def save(engine: object, text: str, name: str, site: str, published: str | None, ran: dict[str, str]) -> None:
    analysis = article(text, name, site, published, ran)
    store.save_analysis(engine, analysis, store.provenance_key(ran), name, None)  # type: ignore[arg-type]


def fill(url: str) -> str:
    engine = store.open_store(url)
    for number, (name, site, published, ran) in enumerate(STORIES):
        save(engine, STORY * (number + 1) + QUOTE + SHELLING, name, site, published, ran)
    # a later `--only claims` run of a.txt: its techniques, opinion and quotes still come from the first run
    save(engine, STORY + QUOTE + SHELLING, "a.txt", "Daily", "2024-03-02", {"claims": "c"})
    return url


def stats_json(url: str, *args: str) -> dict[str, dict[str, object]]:
    result = CliRunner().invoke(app, ["corpus", "stats", "--store", url, "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return {g["group"]: g for g in json.loads(result.output)["groups"]}


def test_corpus_stats_by_site_counts_only_what_ran(store_url: str) -> None:
    groups = stats_json(fill(store_url), "--by", "site")
    daily, weekly = groups["Daily"], groups["Weekly"]
    words = len(STORY.split()), len(QUOTE.split()), len(SHELLING.split())
    assert (daily["articles"], weekly["articles"]) == (2, 1)
    assert daily["words"] == 3 * words[0] + 2 * (words[1] + words[2])
    assert daily["analysed"] == {"techniques": 2, "subjectivity": 2, "claims": 2, "sources": 2, "events": 2}
    assert daily["techniques_per_1000_words"] == {"Loaded_Language": round(1000 * 2 / daily["words"], 3)}
    assert daily["opinion_share"] == 0.5 and daily["claims_per_article"] == 1.0  # the unselected claim not counted
    assert (daily["quotes_with_named_source"], daily["quotes_without_named_source"]) == (2, 0)  # titles left out
    assert daily["most_cited_sources"] == [{"name": "Mayor Ann Lee", "quotes": 2}]
    assert daily["events"] == {
        "count": 2,
        "per_article": 1.0,
        "by_action": {"shelling": 2},
        "with_fatalities": 2,
        "fatalities_reported": 24,
    }
    assert weekly["analysed"] == {"techniques": 1, "subjectivity": 0, "claims": 0, "sources": 0, "events": 0}
    for measure in ("opinion_share", "claims_per_article", "quotes_with_named_source", "most_cited_sources", "events"):
        assert weekly[measure] is None, measure  # not analysed, never zero
    assert weekly["technique_spans_per_1000_words"] == round(1000 / weekly["words"], 3)


def test_corpus_stats_all_together_and_an_unnamed_speaker(tmp_path: Path, store_url: str) -> None:
    url = fill(store_url)
    save(store.open_store(url), STORY + QUOTE + SHELLING, "d.txt", "Weekly", "2024-05-01", ALL_RAN)
    (everything,) = stats_json(url).values()
    assert everything["group"] == "all" and everything["articles"] == 4
    assert (everything["quotes_with_named_source"], everything["quotes_without_named_source"]) == (2, 1)
    assert everything["claims"] == 3 and everything["claims_per_article"] == 1.0
    weekly = stats.compute(store.open_store(url), "site", site="Weekly")
    assert [g["group"] for g in weekly] == ["Weekly"] and weekly[0]["articles"] == 2
    assert weekly[0]["most_cited_sources"] == []  # analysed, and no named speaker: an empty list, not None


def test_corpus_stats_by_month_as_csv_and_table(tmp_path: Path, store_url: str) -> None:
    url = fill(store_url)
    engine = store.open_store(url)
    save(engine, STORY + QUOTE + SHELLING, "e.txt", "=cmd|' /C calc'!A0", None, {"techniques": "t"})
    result = CliRunner().invoke(app, ["corpus", "stats", "--store", url, "--by", "month", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.output.splitlines()))
    assert [(row["group"], row["articles"]) for row in rows] == [("2024-03", "2"), ("2024-04", "1"), ("(unknown)", "1")]
    assert rows[1]["most_cited_sources"] == "Mayor Ann Lee (1)" and rows[1]["events:shelling"] == "1"
    assert rows[0]["per_1000_words:Loaded_Language"] and rows[2]["opinion_share"] == ""  # empty: not analysed
    result = CliRunner().invoke(app, ["corpus", "stats", "--store", url, "--by", "site", "--format", "csv"])
    sites = [row["group"] for row in csv.DictReader(result.output.splitlines())]
    assert sites == ["Daily", "'=cmd|' /C calc'!A0", "Weekly"]  # defused for spreadsheets; ties by name
    result = CliRunner().invoke(app, ["corpus", "stats", "--store", url, "--by", "site"], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "=cmd|' /C calc'!A0" in result.output and "Mayor Ann Lee (2)" in result.output


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
    assert [Analysis.from_json(line).document.site for line in analyses] == ["Daily", "Daily", "Weekly", "Daily"]
    result = CliRunner().invoke(app, ["corpus", "export", "--store", url, "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0
    with (out / "quotes.csv").open(encoding="utf-8") as stream:
        assert [row["speaker"] for row in csv.DictReader(stream)] == ["Mayor Ann Lee", "", "Mayor Ann Lee", ""]
    with (out / "analyses.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert (
        len(rows) == 4
        and "analysis" not in rows[0]
        and json.loads(rows[3]["provenance"])["detectors"] == {"claims": "c"}
    )


def test_corpus_export_parquet_reads_back_typed(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    url = fill(f"sqlite:///{tmp_path / 'store.db'}")
    out = tmp_path / "parquet"
    result = CliRunner().invoke(app, ["corpus", "export", "--store", url, "--format", "parquet", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{name}.parquet" for name in ("documents", "analyses", *store.FINDING_TABLES, "failures")
    )
    events = pq.read_table(out / "events.parquet")
    assert events.schema.field("fatalities_low").type == pa.int64()
    assert events.schema.field("lat").type == pa.float64()
    assert events.column("fatalities_low").to_pylist() == [12, 12]
    assert events.column("action").to_pylist() == ["shelling", "shelling"]
    claims = pq.read_table(out / "claims.parquet")
    assert claims.schema.field("selected").type == pa.bool_()
    assert sorted(claims.column("selected").to_pylist()) == [False, False, False, True, True, True]
    documents = pq.read_table(out / "documents.parquet").to_pylist()
    assert sorted((d["site"], d["published"]) for d in documents) == [
        ("Daily", "2024-03-02"),
        ("Daily", "2024-04-11"),
        ("Weekly", "2024-03-20"),
    ]
    assert pq.read_table(out / "documents.parquet").schema.field("created").type == pa.timestamp("us")
    failures = pq.read_table(out / "failures.parquet")  # empty, and still a file with its columns
    assert failures.num_rows == 0 and "reason" in failures.schema.names


def test_corpus_export_ptc_spans_land_on_the_exported_texts(tmp_path: Path, store_url: str) -> None:
    url = fill(store_url)
    save(
        store.open_store(url), STORY + QUOTE + SHELLING, "f.txt", "Daily", "2024-06-01", {"claims": "c"}
    )  # no techniques
    out = tmp_path / "ptc"
    result = CliRunner().invoke(app, ["corpus", "export", "--store", url, "--format", "ptc", "--out", str(out)])
    assert result.exit_code == 0, result.output
    texts = ptc.read_articles(out / "articles")
    labels = ptc.read_labels(out / "techniques.labels")
    assert len(texts) == 3  # f.txt's techniques were never analysed: not written as an article without spans
    assert len(labels) == 3 and {label.article for label in labels} == set(texts)
    for label in labels:
        assert label.technique == "Loaded_Language"
        assert texts[label.article][label.start : label.end] == "reckless"


def test_corpus_read_commands_refuse_a_missing_store_and_bad_options(tmp_path: Path) -> None:
    missing = f"sqlite:///{tmp_path / 'none.db'}"
    result = CliRunner().invoke(app, ["corpus", "stats", "--store", missing])
    assert result.exit_code == 3 and "no store at" in result.output
    assert not (tmp_path / "none.db").exists()
    result = CliRunner().invoke(app, ["corpus", "status", "--store", missing, "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.output)["documents"] == 0
    assert CliRunner().invoke(app, ["corpus", "stats", "--store", missing, "--by", "weekday"]).exit_code == 2
    result = CliRunner().invoke(app, ["corpus", "status", "--store", "nosuchdb://x"])
    assert result.exit_code == 2 and "not a store URL" in result.output and "internal error" not in result.output
    assert CliRunner().invoke(app, ["corpus", "export", "--out", str(tmp_path), "--format", "xlsx"]).exit_code == 2
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    url = fill(f"sqlite:///{tmp_path / 'store.db'}")
    result = CliRunner().invoke(app, ["corpus", "export", "--store", url, "--out", str(a_file)])
    assert result.exit_code == 2 and "is a file" in result.output
